"""Ingestion on the shared development corpus (skipped when ../shared is absent).

Figures printed with ``-s``: token similarity of our body text against CUAD's text twins and against
pdfplumber's ``extract_text`` (the independent reader), worst file named.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from contractreview.errors import ContractReviewError
from contractreview.ingest import load_document
from contractreview.segment import segment

pytestmark = pytest.mark.corpus

DOC_SUFFIXES = {".pdf", ".docx", ".md", ".txt"}


def _tokens(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def similarity(a: str, b: str) -> float:
    """Token-level similarity (difflib ratio over word tokens: 2·matches / total)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta and not tb:
        return 1.0
    return difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio()


def _cuad(corpus_dir: Path) -> Path:
    return corpus_dir / "cuad" / "hosting_and_service_contracts"


def _with_twins(corpus_dir: Path) -> list[tuple[Path, Path]]:
    base = _cuad(corpus_dir)
    pairs = []
    for pdf in sorted((base / "pdf").iterdir()):
        twin = base / "txt" / (pdf.stem + ".txt")
        if twin.exists():
            pairs.append((pdf, twin))
    return pairs


def test_ingest_corpus_every_document_loads(corpus_dir: Path) -> None:
    files = sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in DOC_SUFFIXES)
    assert len(files) > 50
    failures = []
    for p in files:
        if p.suffix.lower() == ".docx":
            pytest.importorskip("contractreview.ingest.docx")
        try:
            doc = load_document(p)
        except ContractReviewError as exc:  # pragma: no cover - reported below
            failures.append(f"{p.relative_to(corpus_dir)}: {exc}")
            continue
        assert doc.text.strip(), p.name
        for b in doc.blocks:
            assert doc.text[b.start : b.end].strip(), p.name
        clauses = segment(doc)
        assert clauses and all(c.page >= 1 for c in clauses)
    assert not failures, failures


def test_ingest_corpus_cuad_pdfs_match_text_twins(corpus_dir: Path) -> None:
    pairs = _with_twins(corpus_dir)
    assert len(pairs) >= 15
    scores = []
    for pdf, twin in pairs:
        doc = load_document(pdf)
        scores.append((similarity(doc.text, twin.read_text(encoding="utf-8", errors="replace")), pdf.name))
    worst = min(scores)
    mean = sum(s for s, _ in scores) / len(scores)
    print(f"\nCUAD text twins: {len(scores)} PDFs, mean {mean:.4f}, worst {worst[0]:.4f} ({worst[1][:40]})")
    assert worst[0] >= 0.95, scores


@pytest.mark.slow
def test_ingest_corpus_cuad_pdfs_match_pdfplumber(corpus_dir: Path) -> None:
    import pdfplumber

    pdfs = sorted((_cuad(corpus_dir) / "pdf").iterdir())
    sample = pdfs[::2][:10]  # a fixed, spread-out sample of 10
    scores = []
    for pdf in sample:
        doc = load_document(pdf)
        with pdfplumber.open(pdf) as plumb:
            ref = "\n".join(page.extract_text() or "" for page in plumb.pages)
        scores.append((similarity(doc.text, ref), pdf.name))
    worst = min(scores)
    mean = sum(s for s, _ in scores) / len(scores)
    print(f"\npdfplumber sample: {len(scores)} PDFs, mean {mean:.4f}, worst {worst[0]:.4f} ({worst[1][:40]})")
    assert worst[0] >= 0.95, scores
