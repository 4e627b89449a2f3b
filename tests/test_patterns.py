"""The engine's pattern files: valid JSONL, labels name requirements, ids unique, spaCy accepts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractreview.library import PATTERN_KINDS, load_library
from contractreview.paths import clause_library_dir

PATTERN_DIR = clause_library_dir() / "patterns"
FILES = sorted(PATTERN_DIR.glob("*.jsonl"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_patterns_every_default_requirement_has_cues() -> None:
    lib = load_library("default")
    for req in lib.requirements_for():
        kinds = {p["kind"] for p in lib.patterns_for(req.id)}
        assert "cue" in kinds, f"{req.id} has no cue patterns"
        assert "commit" in kinds, f"{req.id} has no commitment patterns"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_patterns_file_is_valid(path: Path) -> None:
    lib = load_library("default")
    rows = _rows(path)
    assert rows, f"{path.name} is empty"
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"duplicate rule ids in {path.name}"
    for r in rows:
        assert r["label"] == path.stem
        assert r["label"] == "_common" or r["label"] in lib.requirements
        assert r["kind"] in PATTERN_KINDS
        assert isinstance(r["pattern"], (str, list, dict)) and r["pattern"]
        if isinstance(r["pattern"], dict):
            assert set(r["pattern"]) == {"ARTICLES"}, "the only object pattern is an article citation"
        assert r["id"].startswith(path.stem + ".")


def test_patterns_compile_into_the_pipeline() -> None:
    from contractreview.nlp import build_pipeline

    rows = [r for p in FILES for r in _rows(p)]
    nlp = build_pipeline(patterns=rows)
    doc = nlp(
        "Provider shall not sell, rent or lease Student Data and will notify the District within 72 hours of a data breach."
    )
    labels = {s.label_ for s in doc.spans["cr_cue"]}
    assert {"no_sale_of_student_data", "breach_notice_deadline_to_lea"} <= labels


def test_patterns_examples_match_their_own_rule() -> None:
    """A pattern's ``example`` (a sentence the project wrote for it) is matched by that very rule."""
    from contractreview.library import PATTERN_KINDS
    from contractreview.nlp import build_pipeline

    rows = [r for p in FILES for r in _rows(p)]
    with_example = [r for r in rows if r.get("example")]
    assert len(with_example) >= 20
    nlp = build_pipeline(patterns=rows)
    docs = nlp.pipe(r["example"] for r in with_example)
    for r, doc in zip(with_example, docs, strict=True):
        assert r["kind"] in PATTERN_KINDS
        ids = {sp.id_ for sp in doc.spans[f"cr_{r['kind']}"]}
        assert r["id"] in ids, f"{r['id']} does not match its example {r['example']!r}"


def test_patterns_article_citations_have_examples() -> None:
    for r in (r for p in FILES for r in _rows(p)):
        if isinstance(r["pattern"], dict):
            assert r.get("example"), f"{r['id']} has no example"
