"""Reviewer corrections of key terms (issue #15): stored with the audit trail, kept across re-analysis,
threshold re-checked, and marked "corrected by the reviewer" in every export."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import docx
import pypdfium2
import pytest

from contractreview.cli import main
from contractreview.domain import Status
from contractreview.engine import analyze
from contractreview.engine.keyterms import apply_corrections
from contractreview.export import export_portfolio, export_report
from contractreview.ingest import load_document
from contractreview.store import open_store

# What the rules read in a text: the learned grader only rates it here (see conftest.rules_decide).
pytestmark = pytest.mark.usefixtures("rules_decide")

CONTRACT = """DATA PRIVACY AGREEMENT

This Data Privacy Agreement is between the Lakeside Unified School District (the "District") and Brightpath
Learning, Inc. (the "Provider").

1. Data Breach

1.1 Provider shall notify the District within ten (10) days after discovery of any breach of Student Data.

2. Return and Deletion

2.1 Upon termination of this Agreement, Provider shall delete all Student Data within thirty (30) days.

3. Governing Law

3.1 This Agreement is governed by the laws of the State of Oregon.
"""
BREACH = "breach_notice_deadline_to_lea"


@pytest.fixture()
def stored(tmp_path: Path) -> tuple[Path, int, Path]:
    src = tmp_path / "dpa.txt"
    src.write_text(CONTRACT, encoding="utf-8")
    db = tmp_path / "reviews.db"
    with open_store(db) as store:
        rid = store.save_analysis(analyze(load_document(src)))
    return db, rid, src


def test_issue_15_engine_reading_is_over_the_threshold(stored: tuple[Path, int, Path]) -> None:
    db, rid, _ = stored
    with open_store(db) as store:
        a = store.get_analysis(rid)
    assert a.key_terms["breach_notice_max_hours"] == 240
    f = a.finding(BREACH)
    assert f.status is Status.WEAK and f.params.get("deadline_blocked") is True


def test_issue_15_cli_correction_rechecks_threshold_and_survives_reanalysis(
    stored: tuple[Path, int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, rid, src = stored
    args = ["reviews", "key-term", str(rid), "breach_notice_max_hours", "24", "--db", str(db)]
    assert main([*args, "--reviewer", "Ana Reviewer", "--note", "per the signed amendment"]) == 0
    out = capsys.readouterr().out
    assert "breach_notice_max_hours: 24 hours (corrected by the reviewer)" in out
    assert f"{BREACH}: satisfied (threshold re-checked)" in out

    # Re-analysis of the same document: a new review, the correction still applies.
    with open_store(db) as store:
        rid2 = store.save_analysis(analyze(load_document(src)))
        assert rid2 != rid
        fresh = store.get_analysis(rid2)
        assert fresh.key_terms["breach_notice_max_hours"] == 240  # the stored analysis stays the engine's
        current = store.corrected(fresh)
        history = store.history(fresh.document.sha256, "key_term.breach_notice_max_hours")
    k = current.key_term("breach_notice_max_hours")
    assert (k.value, k.corrected, k.corrected_by, k.original_value) == (24, True, "Ana Reviewer", 240)
    assert current.key_terms["breach_notice_max_hours"] == 24
    f = current.finding(BREACH)
    assert f.status is Status.SATISFIED
    assert f.params["corrected_by_reviewer"] == "Ana Reviewer" and "Corrected by the reviewer" in f.explanation
    assert [h["action"] for h in history] == ["key_term_corrected"]
    assert history[0]["who"] == "Ana Reviewer" and history[0]["new"]["value"] == 24
    assert history[0]["new"]["engine_value"] == 240

    # A longer corrected value fails the threshold again; withdrawing the correction restores the engine.
    assert main(["reviews", "key-term", str(rid2), "breach_notice_max_hours", "5 days", "--db", str(db)]) == 0
    assert f"{BREACH}: weak (threshold re-checked)" in capsys.readouterr().out
    assert main(["reviews", "key-term", str(rid2), "breach_notice_max_hours", "--clear", "--db", str(db)]) == 0
    with open_store(db) as store:
        back = store.corrected(store.get_analysis(rid2))
        actions = [h["action"] for h in store.history(back.document.sha256, "key_term.breach_notice_max_hours")]
    assert back.key_terms["breach_notice_max_hours"] == 240 and not back.key_term("breach_notice_max_hours").corrected
    assert actions == ["key_term_corrected", "key_term_corrected", "key_term_correction_cleared"]


def test_issue_15_cli_rejects_a_value_that_does_not_fit(
    stored: tuple[Path, int, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, rid, _ = stored
    assert main(["reviews", "key-term", str(rid), "breach_notice_max_hours", "soon", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "must be a number of hours" in err and len(err.strip().splitlines()) == 1


def _pdf_text(path: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_issue_15_correction_flows_into_every_export(stored: tuple[Path, int, Path], tmp_path: Path) -> None:
    db, rid, _ = stored
    with open_store(db) as store:
        a = store.get_analysis(rid)
        store.set_key_term(a.document.sha256, "governing_law", "Washington", reviewer="Ana Reviewer",
                           engine_value=a.key_terms["governing_law"])
        a = store.corrected(a)
    mark = "corrected by the reviewer"
    for fmt in ("md", "html", "csv", "json"):
        text = export_report(a, {}, None, fmt, tmp_path / f"gap.{fmt}").read_text(encoding="utf-8-sig")
        assert mark in text and "Washington" in text and "Oregon" in text, fmt  # new value and engine's
        # The key-terms table is at the top: before the first finding.
        assert text.index("Washington") < text.index("Missing and weak") if fmt in ("md", "html") else True
    data = json.loads((tmp_path / "gap.json").read_text(encoding="utf-8"))
    law = next(k for k in data["key_terms"] if k["name"] == "governing_law")
    assert law["corrected_by_reviewer"] is True and law["engine_value"] == "Oregon"
    with open(tmp_path / "gap.csv", encoding="utf-8-sig", newline="") as fh:
        first = next(csv.DictReader(fh))
    assert first["requirement_id"] == "key_term.breach_notice_max_hours"
    d = docx.Document(str(export_report(a, {}, None, "docx", tmp_path / "gap.docx")))
    cells = " ".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert mark in cells and "Washington" in cells
    pdf_text = " ".join(_pdf_text(export_report(a, {}, None, "pdf", tmp_path / "gap.pdf")).split())
    assert "corrected by the" in pdf_text and "Washington" in pdf_text
    rows = list(csv.DictReader(open(export_portfolio([(a, {})], tmp_path / "p.csv"), encoding="utf-8-sig")))
    breach = next(r for r in rows if r["requirement_id"] == BREACH)
    assert breach["key_term"] == "240 hours (10 days)" and breach["key_term_source"] == "engine"


def test_issue_15_every_key_term_in_the_exports_links_to_its_sentence(stored: tuple[Path, int, Path], tmp_path: Path) -> None:
    db, rid, _ = stored
    with open_store(db) as store:
        a = store.get_analysis(rid)
    html = export_report(a, {}, None, "html", tmp_path / "gap.html").read_text(encoding="utf-8")
    # The link goes to the finding's numbered item (anchors carry no requirement ids, issue #18).
    target = re.search(r'<a href="#(item-\d+|ok-\d+)">', html)
    assert target and f'id="{target.group(1)}"' in html
    md = export_report(a, {}, None, "md", tmp_path / "gap.md").read_text(encoding="utf-8")
    # A text file has no pages: the clause alone (issue #18).
    assert "Clause 1.1: “1.1 Provider shall notify the District within ten (10) days" in md
    assert "≤ 72 hours after discovery (recommended practice, not law) — exceeds" in md


def test_issue_15_correction_of_a_term_the_engine_did_not_find() -> None:
    from contractreview.domain import KeyTermCorrection

    a = analyze(load_document_from_text(CONTRACT.replace("within thirty (30) days", "")))
    assert a.key_terms["deletion_after_termination_days"] is None
    fixed = apply_corrections(a, {"deletion_after_termination_days": KeyTermCorrection(
        "deletion_after_termination_days", 45, "Ana")})
    k = fixed.key_term("deletion_after_termination_days")
    assert (k.value, k.original_value, k.display) == (45, None, "45 days")
    assert "not stated" in k.finding
    assert fixed.finding("deletion_or_return_at_contract_end").params["deletion_after_termination_days"] == 45


def load_document_from_text(text: str):  # type: ignore[no-untyped-def]
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / "c.txt").write_text(text, encoding="utf-8")
    return load_document(folder / "c.txt")


def test_issue_15_a_term_not_stated_still_names_its_threshold() -> None:
    from contractreview.engine.keyterms import check, threshold_text

    a = analyze(load_document_from_text(CONTRACT.replace("within thirty (30) days", "")))
    request = a.key_term("deletion_after_request_days")  # its requirement is missing: no finding params
    assert request.value is None and request.threshold is not None and request.threshold.value == 60
    f = a.finding("deletion_on_lea_request")
    assert threshold_text(request, f) == "≤ 60 days (recommended practice, not law)"
    assert check(request, f) == "not stated"


def test_issue_15_corrections_travel_in_hand_over_files(stored: tuple[Path, int, Path], tmp_path: Path) -> None:
    db, rid, _ = stored
    with open_store(db) as store:
        sha = store.get_analysis(rid).document.sha256
        store.set_key_term(sha, "deletion_after_termination_days", 60, reviewer="Ana", engine_value=30)
        handover = store.export_review(rid, tmp_path / "handover.json")
    with open_store(tmp_path / "colleague.db") as other:
        new_id = other.import_review(handover)
        got = other.corrected(other.get_analysis(new_id))
        actions = [h["action"] for h in other.history(sha, "key_term.deletion_after_termination_days")]
    k = got.key_term("deletion_after_termination_days")
    assert (k.value, k.corrected_by, k.original_value) == (60, "Ana", 30)
    assert "key_term_correction_imported" in actions


def test_issue_15_correcting_the_clock_start_rechecks_the_breach_requirement() -> None:
    from contractreview.domain import KeyTermCorrection

    a = analyze(load_document_from_text(CONTRACT.replace("ten (10) days", "forty-eight (48) hours")))
    assert a.finding(BREACH).status is Status.SATISFIED and a.key_terms["breach_notice_clock_start"] == "discovery"
    fixed = apply_corrections(a, {"breach_notice_clock_start": KeyTermCorrection(
        "breach_notice_clock_start", "confirmation", "Ana", note="the clock runs from confirmation")})
    f = fixed.finding(BREACH)
    assert f.status is Status.WEAK and "the clock starts at confirmation, not at discovery" in f.explanation
    assert f.params["clock_start"] == "confirmation" and f.params["engine_values"] == {
        "breach_notice_clock_start": "discovery"}
    assert fixed.key_terms["breach_notice_max_hours"] == 48  # the other term stays the engine's
