"""Issue #18 target: no rule ids or engine words in the people-facing exports of any labelled corpus
document (skipped when ../shared is absent).

Documents: every label file of ../shared/corpus/labels, and those of eval/labels whose split is dev,
heldout or train. The frozen split (eval/frozen) and the scouted folder are never read.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from contractreview.domain import ReportMeta

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
SPLITS = {"dev", "heldout", "train"}

_spec = importlib.util.spec_from_file_location("people_exports", Path(__file__).with_name("people_exports.py"))
P = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(P)  # type: ignore[union-attr]


def _documents(corpus_dir: Path) -> list[Path]:
    from contractreview.evaluation import load_gold_dir
    from contractreview.evaluation.labels import resolve_document

    golds = load_gold_dir(corpus_dir / "labels") + [
        g for g in load_gold_dir(REPO / "eval" / "labels") if g.split in SPLITS
    ]
    docs: dict[str, Path] = {}
    for g in golds:
        p = resolve_document(g, [corpus_dir])
        if p is not None and "scouted" not in p.relative_to(corpus_dir).parts:
            docs.setdefault(str(p), p)
    return sorted(docs.values())


def test_issue_18_corpus_people_exports_have_no_internal_words(corpus_dir: Path, tmp_path: Path) -> None:
    from contractreview.pipeline import review

    docs = _documents(corpus_dir)
    assert len(docs) >= 40
    meta = ReportMeta(reviewer="Corpus Check", date="2026-12-07")
    failures: list[str] = []
    for k, path in enumerate(docs):
        analysis = review(path)
        out = tmp_path / f"d{k}"
        out.mkdir()
        texts = P.write_people_exports(analysis, {}, meta, out, source=path)
        names = (path.name, path.stem, analysis.document.title)
        for name, text in texts.items():
            hits = P.internal_hits(text, analysis.document.text, ignore=names)
            failures += [f"{path.name} {name}: …{h}…" for h in hits[:3]]
    print(f"\n{len(docs)} documents, {len(failures)} internal words found")
    assert failures == []
