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
            assert set(r["pattern"]) in ({"ARTICLES"}, {"LEMMA"}), "object patterns: article citation or lemma"
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
    nlp = build_pipeline(patterns=rows)
    docs = nlp.pipe(r["example"] for r in rows)
    for r, doc in zip(rows, docs, strict=True):
        assert r["kind"] in PATTERN_KINDS
        ids = {sp.id_ for sp in doc.spans[f"cr_{r['kind']}"]}
        assert r["id"] in ids, f"{r['id']} does not match its example {r['example']!r}"


def test_patterns_every_pattern_has_its_own_example() -> None:
    """Issue #13: every rule carries a sentence written by the project that shows what it is for."""
    rows = [r for p in FILES for r in _rows(p)]
    missing = [r["id"] for r in rows if not (isinstance(r.get("example"), str) and r["example"].strip())]
    assert not missing, f"patterns without an example: {missing[:10]}"
    lemma = [r for r in rows if isinstance(r["pattern"], dict) and "LEMMA" in r["pattern"]]
    assert len(lemma) >= 100  # the inflected variants collapsed into lemma patterns (#13)


# --------------------------------------------------------------------------- lemma patterns (issue #13)


def test_inflection_word_forms_cover_regular_and_irregular_inflections() -> None:
    from contractreview.inflection import word_forms

    assert {"notify", "notifies", "notified", "notifying"} <= set(word_forms("notify"))
    assert {"commits", "committed", "committing"} <= set(word_forms("commit"))
    assert {"processes", "processed", "processing"} <= set(word_forms("process"))
    assert {"sells", "sold", "selling"} <= set(word_forms("sell"))
    assert "seed" not in word_forms("see")  # an irregular verb gets no regular past
    assert "children" in word_forms("child")
    assert word_forms("the") == ("the",) and word_forms("72") == ("72",)
    assert "notification" not in word_forms("notify")  # a derived word is its own lemma
    assert word_forms("documented") == ("documented",) and word_forms("written") == ("written",)
    assert word_forms("setting") == ("setting", "settings")


def test_inflection_expand_phrase_inflects_the_head_of_a_compound() -> None:
    from contractreview.inflection import count_phrases, expand_phrase

    phrases = list(expand_phrase("Sub-processor"))
    assert phrases[0] == "sub-processor" and "sub-processors" in phrases
    assert not any(p.startswith("subs") for p in phrases)
    assert "notified the district" in set(expand_phrase("notify the district"))
    assert count_phrases("notify the district") == len(list(expand_phrase("notify the district")))


def test_lemma_pattern_matches_every_inflection_under_one_rule_id() -> None:
    from contractreview.nlp import build_pipeline

    rows = [
        {"label": "breach_cooperation", "id": "t.cue.cooperate", "kind": "cue", "pattern": {"LEMMA": "cooperate"}},
        {
            "label": "breach_cooperation",
            "id": "t.commit.notify",
            "kind": "commit",
            "pattern": [{"LEMMA": "notify"}, {"LOWER": "the"}, {"LEMMA": {"IN": ["district", "school"]}}],
        },
    ]
    nlp = build_pipeline(patterns=rows)
    for text in ("Vendor will cooperate.", "Vendor cooperates.", "Vendor cooperated.", "Vendor is cooperating."):
        doc = nlp(text)
        assert [sp.id_ for sp in doc.spans["cr_cue"]] == ["t.cue.cooperate"], text
    doc = nlp("Vendor offers cooperation.")
    assert not doc.spans["cr_cue"]
    doc = nlp("Vendor notified the Schools.")
    assert [sp.text for sp in doc.spans["cr_commit"]] == ["notified the Schools"]


def test_lemma_pattern_reaches_the_engine_as_literal_phrases_of_one_rule() -> None:
    """The engine's prefilters read phrase strings: a lemma pattern arrives as the phrases it stands for."""
    from contractreview.nlp import profile_patterns

    lib = load_library("default")
    lemma = [p for p in lib.all_patterns() if isinstance(p["pattern"], dict) and "LEMMA" in p["pattern"]]
    assert lemma, "the built-in library uses lemma patterns"
    compiled = profile_patterns(lib)
    assert not any(isinstance(p["pattern"], dict) and "LEMMA" in p["pattern"] for p in compiled)
    rid = "breach_notice_deadline_to_lea.cue.notify"
    phrases = {p["pattern"] for p in compiled if p["id"] == rid}
    assert {"notify", "notifies", "notified", "notifying"} <= phrases
