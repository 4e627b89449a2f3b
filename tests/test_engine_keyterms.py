"""Key terms (issue #15) on excerpts the project writes, rendered as plain text, DOCX and PDF.

Each error kind of the issue has a case in ``keyterm_excerpts.CASES``; every case checks all five terms, so
a term reported where none is stated fails as surely as a wrong figure.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docgen
import docx
import pytest
from keyterm_excerpts import CASES, Case
from reportlab.lib.pagesizes import LETTER

from contractreview.domain import KEY_TERMS, Analysis, KeyTermState
from contractreview.engine import analyze, keyterms
from contractreview.ingest import load_document
from contractreview.serialize import analysis_from_dict, analysis_to_dict

FORMATS = ("txt", "docx", "pdf")
TARGET = 0.95


def write_case(case: Case, fmt: str, folder: Path) -> Path:
    path = folder / f"{case.id}.{fmt}"
    if fmt == "txt":
        path.write_text(case.text(), encoding="utf-8")
    elif fmt == "docx":
        d = docx.Document()
        for p in case.paragraphs():
            d.add_paragraph(p)
        buf = io.BytesIO()
        d.save(buf)
        path.write_bytes(buf.getvalue())
    else:
        _write_pdf(path, case.paragraphs(pdf=True))
    return path


def _write_pdf(path: Path, paragraphs: list[str]) -> None:
    """Paragraphs wrapped to the text width; a ``|`` forces a line break there (PDF-style hyphenation)."""
    width, height = LETTER
    c = docgen._new_canvas(path)
    c.setFont(docgen.FONT, docgen.SIZE)
    y = height - docgen.MARGIN
    for para in paragraphs:
        for piece in para.split("|"):
            for line in docgen._wrap(piece, width - 2 * docgen.MARGIN):
                c.drawString(docgen.MARGIN, y, line)
                y -= docgen.LEADING
        y -= docgen.LEADING
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Analysis]]:
    folder = tmp_path_factory.mktemp("keyterms")
    return {
        fmt: {case.id: analyze(load_document(write_case(case, fmt, folder))) for case in CASES} for fmt in FORMATS
    }


def _wrong(case: Case, analysis: Analysis) -> dict[str, tuple[object, object]]:
    exp = case.expected()
    return {k: (exp[k], analysis.key_terms[k]) for k in KEY_TERMS if analysis.key_terms[k] != exp[k]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_15_exact_match_on_written_excerpts(results: dict[str, dict[str, Analysis]], fmt: str) -> None:
    pairs = ok = 0
    wrong: dict[str, object] = {}
    for case in CASES:
        bad = _wrong(case, results[fmt][case.id])
        pairs += len(KEY_TERMS)
        ok += len(KEY_TERMS) - len(bad)
        if bad:
            wrong[case.id] = bad
    rate = ok / pairs
    print(f"key-term exact match on {len(CASES)} written excerpts ({fmt}): {rate:.3f} ({ok}/{pairs})")
    assert rate >= TARGET, wrong


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_issue_15_each_error_kind_plain_text(results: dict[str, dict[str, Analysis]], case: Case) -> None:
    assert not _wrong(case, results["txt"][case.id]), case.kind


@pytest.mark.parametrize("case_id", ["breach_hyphen_pdf", "delete_hyphen_pdf"])
def test_issue_15_numbers_hyphenated_across_pdf_lines(results: dict[str, dict[str, Analysis]], case_id: str) -> None:
    case = next(c for c in CASES if c.id == case_id)
    analysis = results["pdf"][case_id]
    assert len(analysis.document.pages) == 1
    assert not _wrong(case, analysis)


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_15_every_reading_links_to_its_sentence(results: dict[str, dict[str, Analysis]], fmt: str) -> None:
    for case in CASES:
        a = results[fmt][case.id]
        assert [k.name for k in a.key_term_readings] == list(KEY_TERMS)
        for k in a.key_term_readings:
            assert a.key_terms[k.name] == k.value
            assert k.finding
            if k.value is not None:
                assert k.evidence is not None, (case.id, k.name)
                assert a.document.text[k.evidence.start : k.evidence.end] == k.evidence.text
                assert k.wording and " ".join(k.wording.split()) in " ".join(k.evidence.text.split())
            elif k.state is KeyTermState.NOT_STATED:
                assert k.finding.startswith("Not stated"), k.finding
            if fmt == "pdf" and k.evidence is not None:
                assert k.evidence.boxes, (case.id, k.name)


def test_issue_15_event_and_party_are_read(results: dict[str, dict[str, Analysis]]) -> None:
    a = results["txt"]["delete_both_one_sentence"]
    assert a.key_term("deletion_after_request_days").event == "request"
    assert a.key_term("deletion_after_termination_days").event == "termination"
    b = results["txt"]["breach_business_days"].key_term("breach_notice_max_hours")
    assert (b.value, b.event, b.party, b.unit) == (168, "confirmation", "school", "hours")
    assert "five (5) business days" in b.wording
    parents = results["txt"]["breach_parents_only"].key_term("breach_notice_max_hours")
    assert parents.value is None and parents.party == "parents/users"
    assert "parents/users, not to the school" in parents.finding


def test_issue_15_governing_law_venue_and_seat_kept_apart(results: dict[str, dict[str, Analysis]]) -> None:
    law = results["txt"]["law_with_venue"].key_term("governing_law")
    assert (law.value, law.venue) == ("New York", "Delaware")
    seat = results["txt"]["law_with_seat"].key_term("governing_law")
    assert (seat.value, seat.seat) == ("Netherlands", "London")
    only_seat = results["txt"]["law_seat_only"].key_term("governing_law")
    assert only_seat.value is None and only_seat.seat == "San Francisco"
    assert "Not stated" in only_seat.finding and "arbitration seat: San Francisco" in only_seat.finding


def test_issue_15_not_stated_is_explicit(results: dict[str, dict[str, Analysis]]) -> None:
    a = results["txt"]["breach_distractors"]
    for name in ("deletion_after_request_days", "deletion_after_termination_days", "governing_law"):
        k = a.key_term(name)
        assert k.value is None and k.state is KeyTermState.NOT_STATED and k.display == "Not stated"
    vague = a.key_term("breach_notice_max_hours")
    assert vague.state is KeyTermState.VAGUE and vague.wording == "promptly"
    assert vague.finding.startswith("Not stated as a fixed figure")


def test_issue_15_key_terms_round_trip_additively_through_analysis_json(
    results: dict[str, dict[str, Analysis]],
) -> None:
    a = results["txt"]["delete_both_one_sentence"]
    data = json.loads(json.dumps(analysis_to_dict(a)))
    assert set(data["key_terms"]) == set(KEY_TERMS)  # the v1 map is unchanged
    back = analysis_from_dict(data)
    assert back.key_term_readings == tuple(k for k in a.key_term_readings)
    del data["key_term_details"]  # an older file without the details still reads
    assert analysis_from_dict(data).key_terms == a.key_terms


@pytest.mark.parametrize(
    ("sentence", "parameter", "hours"),
    [
        ("Provider shall delete the data within 10 days of the request and within 90 days after termination.",
         "deletion_after_termination_days", 90 * 24),
        ("Provider shall delete the data within 10 days of the request and within 90 days after termination.",
         "deletion_after_request_days", 10 * 24),
        ("If we do not hear from you within 7 days, your data is deleted.", "deletion_after_request_days", None),
        ("Either party may end this Agreement on 30 days' notice, after which Provider deletes the data.",
         "deletion_after_termination_days", None),
        # A table row of a DPA annex: "Agreement duration + 30 days" runs from the end of the agreement, and
        # "any other retention period requested by the Client" names no request clock.
        ("Retention | Agreement duration + 30 days (data return period) or any other retention period requested "
         "by the Client | erasure or destruction", "deletion_after_termination_days", 30 * 24),
        ("Retention | Agreement duration + 30 days (data return period) or any other retention period requested "
         "by the Client | erasure or destruction", "deletion_after_request_days", None),
        ("Processor shall erase the data within 30 days of a data subject's request.",
         "deletion_after_request_days", None),
    ],
)
def test_issue_15_deadline_parser_keeps_each_figure_with_its_event(sentence: str, parameter: str, hours: float | None) -> None:
    found = [d.hours for d in keyterms.deadlines(sentence, parameter) if d.hours is not None]
    assert (found[0] if found else None) == hours


@pytest.mark.parametrize(
    ("raw", "name", "value"),
    [("72", "breach_notice_max_hours", 72), ("3 days", "breach_notice_max_hours", 72),
     ("2 weeks", "deletion_after_request_days", 14), ("not stated", "deletion_after_termination_days", None),
     ("Discovery", "breach_notice_clock_start", "discovery"), ("  New  York ", "governing_law", "New York")],
)
def test_keyterms_parse_reviewer_values(raw: str, name: str, value: object) -> None:
    assert keyterms.parse_value(name, raw) == value


@pytest.mark.parametrize(("raw", "name"), [("soon", "breach_notice_max_hours"), ("later", "breach_notice_clock_start"),
                                           ("5", "no_such_term")])
def test_keyterms_reject_values_that_do_not_fit(raw: str, name: str) -> None:
    with pytest.raises(ValueError):
        keyterms.parse_value(name, raw)
