"""analyze() on small contracts written by the tests: satisfied / weak / missing variants per profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.domain import Status
from contractreview.engine import analyze
from contractreview.ingest import load_document
from contractreview.library import load_library

# What the rules read in a text: the learned grader only rates it here (see conftest.rules_decide).
pytestmark = pytest.mark.usefixtures("rules_decide")

BASE = """# Data Privacy Agreement

This Data Privacy Agreement is between the Springfield School District (the "District") and
Acme Learning, Inc. (the "Provider").

## 1. Purpose

1.1 Provider shall use Student Data solely for the purpose of providing the Services to the District.

## 2. Data Security

2.1 Provider shall encrypt all Student Data in transit and at rest using AES-256 and TLS 1.2 or higher.

{breach}

## 4. Use of Data

{sale}

## 5. Return and Deletion

{deletion}

## 6. Governing Law

6.1 This Agreement shall be governed by the laws of the State of New York.
"""

BREACH = {
    "24h": "## 3. Data Breach\n\n3.1 Provider shall notify the District within twenty-four (24) hours of discovery of any breach of Student Data.",
    "120h": "## 3. Data Breach\n\n3.1 Provider shall notify the District within five (5) days after discovery of any breach of Student Data.",
    "240h": "## 3. Data Breach\n\n3.1 Provider shall notify the District within ten (10) days after discovery of any breach of Student Data.",
    "promptly": "## 3. Data Breach\n\n3.1 Provider shall promptly notify the District of any breach of Student Data.",
    "confirmed": "## 3. Data Breach\n\n3.1 Provider shall notify the District within forty-eight (48) hours after Provider confirms a breach of Student Data.",
    "absent": "## 3. Support\n\n3.1 Provider shall answer support tickets within two business days.",
}
SALE = {
    "no_sale": "4.1 Provider shall not sell, rent, lease or trade Student Data.",
    "may_sell": "4.1 Provider may sell or share aggregated information with partners as part of a business transaction.",
    "absent": "4.1 Provider shall keep the Services available during school hours.",
}
DELETION = {
    "30d": "5.1 Upon written request of the District, Provider shall delete all Student Data within thirty (30) days of the request.",
    "refused": "5.1 Provider is not required to delete Student Data upon request of the District and may retain it for its business purposes.",
    "absent": "5.1 The District may terminate this Agreement for convenience.",
}


def _doc(tmp_path: Path, breach: str = "24h", sale: str = "no_sale", deletion: str = "30d"):
    path = tmp_path / f"dpa_{breach}_{sale}_{deletion}.md"
    path.write_text(
        BASE.format(breach=BREACH[breach], sale=SALE[sale], deletion=DELETION[deletion]), encoding="utf-8"
    )
    return load_document(path)


def _status(tmp_path: Path, rid: str, profile: str = "default", **variant: str) -> Status:
    analysis = analyze(_doc(tmp_path, **variant), profile=profile)
    finding = analysis.finding(rid)
    assert finding is not None
    return finding.status


@pytest.mark.parametrize(
    ("variant", "profile", "expected"),
    [
        ("24h", "default", Status.SATISFIED),
        ("240h", "default", Status.WEAK),
        ("promptly", "default", Status.WEAK),
        ("confirmed", "default", Status.WEAK),
        ("absent", "default", Status.MISSING),
        ("120h", "default", Status.WEAK),  # 120 h > 72 h project recommendation
        ("120h", "ny", Status.SATISFIED),  # 120 h <= 168 h (7 days, NY Part 121)
    ],
)
def test_analyze_breach_notice_statuses(tmp_path: Path, variant: str, profile: str, expected: Status) -> None:
    assert _status(tmp_path, "breach_notice_deadline_to_lea", profile, breach=variant) is expected


def test_analyze_breach_params_name_numbers_and_basis(tmp_path: Path) -> None:
    analysis = analyze(_doc(tmp_path, breach="240h"), profile="default")
    f = analysis.finding("breach_notice_deadline_to_lea")
    assert f.params["breach_notice_max_hours"] == 240
    assert f.params["threshold_hours"] == 72
    assert f.params["threshold_is_law"] is False
    assert "240 hours" in f.explanation and "72 hours" in f.explanation
    assert "project recommendation" in f.explanation
    assert analysis.key_terms["breach_notice_max_hours"] == 240
    assert analysis.key_terms["breach_notice_clock_start"] == "discovery"
    assert analysis.key_terms["governing_law"] == "New York"


@pytest.mark.parametrize(
    ("variant", "expected"),
    [("no_sale", Status.SATISFIED), ("may_sell", Status.WEAK), ("absent", Status.MISSING)],
)
def test_analyze_sale_of_data(tmp_path: Path, variant: str, expected: Status) -> None:
    assert _status(tmp_path, "no_sale_of_student_data", sale=variant) is expected


@pytest.mark.parametrize(
    ("variant", "expected"), [("30d", Status.SATISFIED), ("refused", Status.WEAK), ("absent", Status.MISSING)]
)
def test_analyze_deletion_on_request(tmp_path: Path, variant: str, expected: Status) -> None:
    assert _status(tmp_path, "deletion_on_lea_request", deletion=variant) is expected


def test_analyze_deletion_days_key_term(tmp_path: Path) -> None:
    analysis = analyze(_doc(tmp_path))
    assert analysis.key_terms["deletion_after_request_days"] == 30


def test_analyze_one_finding_per_requirement_with_exact_evidence(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    analysis = analyze(doc, profile="default")
    ids = [f.requirement_id for f in analysis.findings]
    assert ids == [r.id for r in load_library("default").requirements_for()]
    for f in analysis.findings:
        assert (f.status is Status.MISSING) == (not f.evidence)
        for ev in f.evidence:
            assert doc.text[ev.start : ev.end] == ev.text
            assert ev.rule
            assert ev.page == 1
        assert f.explanation


def test_analyze_explanation_names_clause_and_rule(tmp_path: Path) -> None:
    analysis = analyze(_doc(tmp_path, breach="promptly"))
    f = analysis.finding("breach_notice_deadline_to_lea")
    assert f.evidence[0].clause.startswith("3")
    assert "clause 3" in f.explanation and "page 1" in f.explanation and "rule " in f.explanation
    assert "no fixed deadline" in f.explanation


def test_analyze_pdf_evidence_has_boxes(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path = tmp_path / "dpa.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    y = 720
    for line in (
        "1. Data Breach",
        "1.1 Provider shall notify the District within twenty-four (24) hours",
        "of discovery of any breach of Student Data.",
        "",
        "2. Sale",
        "2.1 Provider shall not sell Student Data.",
    ):
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    doc = load_document(path)
    analysis = analyze(doc)
    f = analysis.finding("no_sale_of_student_data")
    assert f.status is Status.SATISFIED
    assert f.evidence[0].boxes and f.evidence[0].boxes[0][0] == 1


def test_iter_analyze_yields_progress_then_returns(tmp_path: Path) -> None:
    from contractreview.engine import iter_analyze

    gen = iter_analyze(_doc(tmp_path))
    steps = []
    while True:
        try:
            steps.append(next(gen))
        except StopIteration as stop:
            analysis = stop.value
            break
    assert steps and steps[-1].fraction == 1.0
    assert len(analysis.findings) == 40


_CLAUSES = [
    "Provider shall not sell, rent or lease Student Data.",
    "Provider may share aggregated information with partners from time to time.",
    "Provider shall notify the District within 48 hours after discovery of a data breach.",
    "Upon written request of the District, Provider shall delete Student Data within 30 days.",
    "Provider is not required to delete backups.",
    "The District may audit Provider once per year.",
    "Student Data is the property of the District.",
    "Provider shall encrypt Student Data in transit and at rest.",
    "These terms may be changed at any time by posting a new version.",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(_CLAUSES), min_size=1, max_size=6),
    st.sampled_from(["\n\n", "\n\n## Section\n\n"]),
)
def test_analyze_evidence_offsets_always_match_text(tmp_path: Path, clauses: list[str], sep: str) -> None:
    """Whatever the contract, every evidence span is exactly the document text at its offsets."""
    path = tmp_path / "generated.md"
    body = sep.join(f"{i + 1}. {c}" for i, c in enumerate(clauses))
    path.write_text(f"# Agreement\n\n{body}\n", encoding="utf-8")
    doc = load_document(path)
    analysis = analyze(doc)
    assert len(analysis.findings) == 40
    for f in analysis.findings:
        for ev in f.evidence:
            assert doc.text[ev.start : ev.end] == ev.text
            assert ev.start < ev.end


def _analyse_text(tmp_path: Path, body: str):
    path = tmp_path / "mechanism.md"
    path.write_text("# Service Terms\n\n" + body, encoding="utf-8")
    return analyze(load_document(path))


def test_definition_sentence_is_not_evidence_of_an_obligation(tmp_path: Path) -> None:
    body = (
        '1.1 "Data Incident" means any unauthorized acquisition of, or access to, Pupil Records.\n\n'
        "1.2 The Company shall keep Pupil Records on servers located in the United States.\n"
    )
    finding = _analyse_text(tmp_path, body).finding("successor_entity_bound")
    assert finding is not None and finding.status is Status.MISSING, finding.explanation
    # The same words stated as an obligation are evidence.
    body2 = "1.1 In the event of a merger or acquisition of the Company, any successor shall be bound by these terms.\n"
    found = _analyse_text(tmp_path, body2).finding("successor_entity_bound")
    assert found is not None and found.status is not Status.MISSING


def test_documents_named_after_a_precedence_commitment_are_not_a_hedge(tmp_path: Path) -> None:
    body = (
        "7.4 This Addendum shall prevail over any privacy policy, online terms or end-user license "
        "accepted by a teacher or a pupil.\n"
    )
    finding = _analyse_text(tmp_path, body).finding("dpa_precedence_over_clickwrap")
    assert finding is not None and finding.status is Status.SATISFIED, finding.explanation
    hedged = "7.4 In case of a conflict, our Privacy Policy shall prevail over this Addendum.\n"
    weak = _analyse_text(tmp_path, hedged).finding("dpa_precedence_over_clickwrap")
    assert weak is not None and weak.status is not Status.SATISFIED, weak.explanation


def test_notice_in_the_sentence_after_the_context(tmp_path: Path) -> None:
    body = (
        "3.2 The Company will not release Pupil Records to anyone except as required by law. "
        "Should the Company be served with a warrant or subpoena for Pupil Records, the Company shall "
        "notify the School District promptly so that it may seek a protective order.\n"
    )
    finding = _analyse_text(tmp_path, body).finding("compelled_disclosure_notice")
    assert finding is not None and finding.status is not Status.MISSING, finding.explanation


def test_a_refusal_of_the_protection_is_weak_not_missing(tmp_path: Path) -> None:
    body = "12.3 The Company may update the Terms at any time, effective upon posting.\n"
    finding = _analyse_text(tmp_path, body).finding("no_unilateral_terms_changes")
    assert finding is not None and finding.status is Status.WEAK, finding.explanation
    unrelated = "12.3 The Company may update the software at any time.\n"
    other = _analyse_text(tmp_path, unrelated).finding("no_unilateral_terms_changes")
    assert other is not None and other.status is Status.MISSING, other.explanation


class _LibraryWithExtraPatterns:
    """The real clause library plus a few patterns (as a user overlay would add them)."""

    def __init__(self, base, extra: list[dict]) -> None:
        self._base = base
        self._extra = extra
        self.fingerprint = base.fingerprint + "+extra" + str(len(extra))

    def all_patterns(self) -> list[dict]:
        return list(self._base.all_patterns()) + self._extra

    def __getattr__(self, name: str):
        return getattr(self._base, name)


def test_exclude_pattern_stops_a_sentence_counting_for_its_requirement(tmp_path: Path) -> None:
    from contractreview.engine.features import extract_features
    from contractreview.nlp import get_pipeline
    from contractreview.segment import segment

    path = tmp_path / "exclude.md"
    path.write_text("# Terms\n\n4.1 Provider shall not sell, rent or trade Student Data.\n", encoding="utf-8")
    document = load_document(path)
    base = load_library("default")
    rid = "no_sale_of_student_data"
    plain = extract_features(document, segment(document), base, get_pipeline(base))
    assert plain.hits.get(rid)
    extra = [{"label": rid, "id": f"{rid}.exclude.test_rent", "kind": "exclude", "pattern": "rent or trade"}]
    lib = _LibraryWithExtraPatterns(base, extra)
    excluded = extract_features(document, segment(document), lib, get_pipeline(lib))
    assert not excluded.hits.get(rid)
    # Other requirements of the same sentence are untouched.
    assert {k for k in plain.hits if k != rid} == set(excluded.hits)


def _finding(tmp_path: Path, body: str, rid: str):
    finding = _analyse_text(tmp_path, body).finding(rid)
    assert finding is not None, rid
    return finding


def test_a_clause_heading_scopes_the_sentences_under_it(tmp_path: Path) -> None:
    # The sentence names neither a breach nor an incident type the scope patterns know; its heading does.
    under = "## 5. Personal Data Breaches\n\nIf Acme learns of an event affecting the data, Acme shall notify the District without undue delay.\n"
    finding = _finding(tmp_path, under, "breach_notice_deadline_to_lea")
    assert finding.status is Status.WEAK, finding.explanation
    assert "without undue delay" in finding.evidence[0].text
    # The same sentence under an unrelated heading is not about breach notice at all.
    elsewhere = under.replace("Personal Data Breaches", "Support Requests")
    other = _finding(tmp_path, elsewhere, "breach_notice_deadline_to_lea")
    assert other.status is Status.MISSING, other.explanation
    # A one-word scope term in a heading ("Notice") names no subject.
    generic = under.replace("Personal Data Breaches", "Privacy Notice")
    third = _finding(tmp_path, generic, "breach_notice_deadline_to_lea")
    assert third.status is Status.MISSING, third.explanation


def test_a_negated_use_reaching_a_prohibited_purpose_is_a_commitment(tmp_path: Path) -> None:
    body = (
        "4.2 Provider pledges to not use or disclose student information collected through the school "
        "service (whether personal information or otherwise) for behavioral targeting of advertisements.\n"
    )
    finding = _finding(tmp_path, body, "no_targeted_advertising")
    assert finding.status is Status.SATISFIED, finding.explanation
    # Without the negation the same words describe what the provider does.
    allowed = body.replace("to not use or disclose", "to use and disclose")
    other = _finding(tmp_path, allowed, "no_targeted_advertising")
    assert other.status is not Status.SATISFIED, other.explanation


def test_a_line_break_inside_a_phrase_does_not_hide_it(tmp_path: Path) -> None:
    # Hard-wrapped text (and every PDF) breaks lines mid-phrase; the patterns must read across the break.
    one_line = "1.1 Provider shall use Student Data solely for the purpose of providing the Services to the District.\n"
    wrapped = one_line.replace("solely for the ", "solely for the\n")
    a = _analyse_text(tmp_path, one_line).finding("purpose_limitation")
    b = _analyse_text(tmp_path, wrapped).finding("purpose_limitation")
    assert a is not None and b is not None
    assert a.status is Status.SATISFIED, a.explanation
    assert b.status is a.status, b.explanation
    assert "solely for the\npurpose" in b.evidence[0].text


def test_a_negated_verb_only_commits_to_the_prohibition_it_names(tmp_path: Path) -> None:
    body = "4.1 We do not sell student personal information to third parties.\n"
    analysis = _analyse_text(tmp_path, body)
    sale = analysis.finding("no_sale_of_student_data")
    assert sale is not None and sale.status is Status.SATISFIED, sale.explanation
    # Not selling to third parties is not a promise never to disclose to them.
    redisclosure = analysis.finding("no_redisclosure_without_authorization")
    assert redisclosure is not None and redisclosure.status is not Status.SATISFIED, redisclosure.explanation
    # The cue may be the negated verb itself.
    market = _analyse_text(tmp_path, "4.2 We will not sell data, nor will we market to students using it.\n")
    finding = market.finding("no_marketing_to_students_or_parents")
    assert finding is not None and finding.status is Status.SATISFIED, finding.explanation


def test_a_vague_time_capped_by_a_fixed_deadline_is_satisfied(tmp_path: Path) -> None:
    body = (
        "## 3. Data Breach\n\n3.1 Provider shall notify the District without undue delay, and in any event "
        "within forty-eight (48) hours after discovery of any breach of Student Data.\n"
    )
    finding = _finding(tmp_path, body, "breach_notice_deadline_to_lea")
    assert finding.status is Status.SATISFIED, finding.explanation
    assert finding.params["breach_notice_max_hours"] == 48
    # The rule named is the one behind the verdict, not the vague timing word the deadline overrides.
    assert ".weak." not in finding.evidence[0].rule, finding.evidence[0].rule
    # Without the outer limit the same words are a hedge.
    vague = body.replace(", and in any event within forty-eight (48) hours after discovery", "")
    weak = _finding(tmp_path, vague, "breach_notice_deadline_to_lea")
    assert weak.status is Status.WEAK, weak.explanation


def test_each_deletion_period_belongs_to_the_event_named_after_it(tmp_path: Path) -> None:
    body = (
        "## 5. Return and Deletion\n\n5.1 Provider shall delete Student Data within ten (10) days of the "
        "District's written request, and in any event no later than ninety (90) days after termination of "
        "the Agreement.\n"
    )
    analysis = _analyse_text(tmp_path, body)
    assert analysis.key_terms["deletion_after_request_days"] == 10
    assert analysis.key_terms["deletion_after_termination_days"] == 90
