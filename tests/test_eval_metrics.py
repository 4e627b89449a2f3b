"""Evaluation metrics and label handling on data written by the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractreview.evaluation import Pair, key_term_scores, load_gold_dir, resolve_document, status_scores
from contractreview.evaluation.metrics import locate, normalised_index


def test_eval_status_scores_by_hand() -> None:
    pairs = [
        Pair("d", "a", "satisfied", "satisfied"),
        Pair("d", "b", "weak", "satisfied"),
        Pair("d", "c", "missing", "missing"),
        Pair("d", "e", "missing", "weak"),
    ]
    sc = status_scores(pairs)
    assert sc["accuracy"] == 0.5
    assert sc["per_status"]["satisfied"]["precision"] == 0.5
    assert sc["per_status"]["satisfied"]["recall"] == 1.0
    assert sc["per_status"]["missing"]["recall"] == 0.5
    assert sc["per_status"]["missing"]["precision"] == 1.0
    assert sc["confusion"]["missing"]["weak"] == 1
    # F1: satisfied 2/3, weak 0, missing 2/3
    assert sc["macro_f1"] == pytest.approx((2 / 3 + 0 + 2 / 3) / 3)


def test_eval_needs_review_counts_as_weak() -> None:
    sc = status_scores([Pair("d", "a", "weak", "needs_review")])
    assert sc["accuracy"] == 1.0


def test_eval_key_terms_exact_match() -> None:
    rows = [
        (
            {"breach_notice_max_hours": 72, "governing_law": "New York"},
            {"breach_notice_max_hours": 72.0, "governing_law": "new york"},
        ),
        ({"breach_notice_max_hours": None}, {"breach_notice_max_hours": 24}),
    ]
    sc = key_term_scores(rows, ("breach_notice_max_hours", "governing_law"))
    assert sc["n"] == 3 and sc["accuracy"] == pytest.approx(2 / 3)


def test_eval_locate_quote_ignores_whitespace_and_quote_style() -> None:
    text = "Provider  shall\nnotify the District’s office within 72 hours."
    norm, idx = normalised_index(text)
    span = locate("shall notify the District's office", norm, idx)
    assert (
        span is not None
        and text[span[0] : span[1]].startswith("shall")
        and text[span[0] : span[1]].endswith("office")
    )


def test_eval_labels_resolve_by_path_then_stem(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "vendor").mkdir(parents=True)
    (docs / "vendor" / "dpa.md").write_text("text", encoding="utf-8")
    (docs / "other.md").write_text("text", encoding="utf-8")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "a.json").write_text(
        json.dumps({"doc": "a", "path": "vendor/dpa.md", "labels": {"x": {"status": "weak"}}})
    )
    (labels / "other.json").write_text(
        json.dumps({"doc": "other", "labels": {"x": {"status": "needs_review"}}})
    )
    golds = load_gold_dir(labels)
    assert [g.doc for g in golds] == ["a", "other"]
    assert resolve_document(golds[0], [docs]) == docs / "vendor" / "dpa.md"
    assert resolve_document(golds[1], [docs]) == docs / "other.md"
    assert golds[1].labels["x"].status == "weak"


def test_issue_15_eval_reports_key_terms_per_document_and_terms_reported_where_none() -> None:
    from contractreview.domain import KEY_TERMS
    from contractreview.evaluation.labels import Gold
    from contractreview.evaluation.runner import DocResult, format_report, summarise

    none = {k: None for k in KEY_TERMS}
    stated = dict(none, deletion_after_termination_days=30, governing_law="Ireland")
    rs = [
        DocResult(Gold("a", "", {}, params=stated), "a.md", key_terms=dict(stated)),
        DocResult(Gold("b", "", {}, params=none), "b.md", key_terms=dict(none, breach_notice_max_hours=72)),
        DocResult(Gold("c", "", {}, params=stated), "c.md", key_terms=dict(none)),
    ]
    s = summarise(rs)
    assert s["key_terms"]["n"] == 15 and s["key_terms"]["accuracy"] == pytest.approx(12 / 15)
    assert s["key_terms"]["per_term"]["governing_law"] == pytest.approx(2 / 3)
    fr = s["key_terms"]["reported_where_none"]
    assert (fr["documents"], fr["of_documents"], fr["terms"], fr["of_terms"]) == (1, 3, 1, 11)
    assert s["per_document"]["b"]["key_terms_reported_where_none"] == ["breach_notice_max_hours"]
    assert s["per_document"]["c"]["key_terms_exact"]["governing_law"] is False
    text = format_report({"profile": "default", "library_version": "x", "splits": {"dev": s}})
    assert "key term reported where the gold says none: 0.333 of documents (1/3" in text
    assert "b" in text and "key terms ! + + + +" in text and "key terms + + + x x" in text


def test_eval_confidence_summary_counts_pairs_at_the_shipped_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-set confidence figure (the frozen split reports it too) is computed from the engine's pairs."""
    from contractreview.engine import grader
    from contractreview.evaluation.labels import Gold, GoldLabel
    from contractreview.evaluation.runner import DocResult, confidence_summary, summarise

    monkeypatch.setattr(grader, "confidence_threshold", lambda: 0.8)
    gold = Gold("d", "", {r: GoldLabel("satisfied") for r in "abcd"}, split="frozen")
    res = DocResult(gold=gold, document_path="d.txt")
    res.pairs["engine"] = [
        Pair("d", "a", "satisfied", "satisfied"),
        Pair("d", "b", "satisfied", "weak"),
        Pair("d", "c", "satisfied", "satisfied"),
        Pair("d", "d", "satisfied", "missing"),
    ]
    res.confidence = {"a": 0.95, "b": 0.85, "c": 0.55, "d": 0.3}
    c = confidence_summary([res])
    assert c["at_threshold"]["n"] == 2 and c["at_threshold"]["coverage"] == 0.5
    assert c["at_threshold"]["accuracy"] == 0.5
    assert {b["bin"]: b["accuracy"] for b in c["reliability"]} == {"0.3-0.4": 0.0, "0.5-0.6": 1.0, "0.8-0.9": 0.0, "0.9-1.0": 1.0}
    # Whole-only splits keep the summary figure but no per-document or per-requirement lines.
    whole = summarise([res], whole_only=True)
    assert whole["confidence"] == c and whole["per_document"] == {} and whole["per_requirement"] == {}


def test_eval_scores_a_districts_labels_under_the_profile_they_were_judged_under(tmp_path: Path) -> None:
    from contractreview.errors import InputError
    from contractreview.evaluation.labels import profile_for

    def write(name: str, profile: str | None) -> None:
        data = {"doc": name, "labels": {"no_sale_of_student_data": {"status": "satisfied"}}}
        if profile:
            data["profile"] = profile
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")

    write("a", "ny")
    write("b", None)
    golds = load_gold_dir(tmp_path)
    assert profile_for(golds, None) == "ny"
    assert profile_for(golds, "default") == "default"  # asked for: it wins
    assert profile_for(golds[1:], None) == "default"
    write("c", "ca")
    with pytest.raises(InputError, match="different profiles"):
        profile_for(load_gold_dir(tmp_path), None)


@pytest.mark.parametrize("cv", [False, True])
def test_eval_refuses_a_report_over_no_document_and_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cv: bool
) -> None:
    """A report of 0 documents read like a result (from another copy of the repository the default shared
    corpus was simply absent): it is now one error line naming the folder searched."""
    from contractreview.cli import main

    labels, empty = tmp_path / "labels", tmp_path / "nowhere"
    labels.mkdir()
    empty.mkdir()
    for name in ("a", "b"):
        data = {"doc": name, "path": f"vendors/{name}.md", "vendor": name,
                "labels": {"no_sale_of_student_data": {"status": "satisfied", "evidence": ["we never sell"]}}}
        (labels / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    code = main(["eval", "--labels", str(labels), "--docs", str(empty), *(["--cv"] if cv else [])])
    err = capsys.readouterr().err
    assert code == 2
    assert "none of the 2 labelled documents was found" in err and str(empty) in err

    (empty / "vendors").mkdir()
    (empty / "vendors" / "a.md").write_text("# Terms\n\nWe never sell student data.\n", encoding="utf-8")
    if not cv:  # one document found: a report, with the other named as not found
        assert main(["eval", "--labels", str(labels), "--docs", str(empty)]) == 0
        assert "documents not found: b" in capsys.readouterr().out
