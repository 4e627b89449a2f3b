"""The detail pane on its own: extracted terms, sources, copy, decision editing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from contractreview.domain import Decision, Finding, ReviewDecision, Severity, Source, Status
from contractreview.gui.detail_pane import DetailPane, describe_terms


def _finding(**kw) -> Finding:  # type: ignore[no-untyped-def]
    base = dict(
        requirement_id="breach_notice_deadline_to_lea", title="Breach notice to the school", category="breach",
        status=Status.WEAK, severity=Severity.HIGH, explanation="Weak: 240 hours after confirmation.",
        params={"breach_notice_max_hours": 240, "clock_start": "confirmation", "wording": "ten (10) days",
                "threshold_hours": 72, "threshold": 72, "threshold_unit": "hours",
                "threshold_basis": "project recommendation", "threshold_is_law": False},
        sources=(Source("8 NYCRR 121.10(a)", verified="primary"), Source("Model DPA 7.2", verified="unverified")),
        suggested_language="Provider shall notify the District within 72 hours of discovery.",
        vendor_question="Will you notify us within 72 hours of discovering a breach?",
    )
    base.update(kw)
    return Finding(**base)


def test_detail_describe_terms_reads_like_the_contract():
    lines = describe_terms(_finding().params)
    assert lines[0] == "Notice within 240 hours after confirmation (the contract says “ten (10) days”)"
    assert "Profile limit: 72 hours" in lines
    assert "This limit is a recommendation, not a legal requirement." in lines
    assert not any(line.startswith("Threshold") for line in lines)  # no raw keys leak through
    assert describe_terms({"deletion_after_request_days": 30, "threshold": 60, "threshold_unit": "days"}) == [
        "Deletion within 30 days of the school's request", "Profile limit: 60 days"]
    assert describe_terms({"breach_notice_max_hours": None}) == ["Notice deadline: none fixed (vague wording)"]


def test_detail_pane_shows_sources_marks_unverified_and_copies(qtbot):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_finding(_finding())
    assert "8 NYCRR 121.10(a)" in pane.sources.text()
    unverified_line = [ln for ln in pane.sources.text().splitlines() if "Model DPA" in ln][0]
    assert "unverified" in unverified_line
    assert "unverified" not in [ln for ln in pane.sources.text().splitlines() if "NYCRR" in ln][0]
    assert "Weak" in pane.status_line.text() and "High" in pane.status_line.text()
    qtbot.mouseClick(pane.copy_btn, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Provider shall notify the District within 72 hours of discovery."
    assert not pane.evidence_box.isVisibleTo(pane)  # a weak finding without evidence: no section
    pane.set_finding(_finding(status=Status.MISSING))
    assert pane.evidence_box.isVisibleTo(pane) and "Not found" in pane.evidence.text()
    assert not pane.show_evidence_btn.isVisibleTo(pane)


def test_detail_pane_emits_decision_at_once_and_note_after_pause(qtbot):
    pane = DetailPane()
    qtbot.addWidget(pane)
    f = _finding()
    pane.set_finding(f, ReviewDecision(f.requirement_id, Decision.ACCEPT, evidence_changed=True))
    assert pane.current_decision() is Decision.ACCEPT
    assert pane.evidence_badge.isVisibleTo(pane)
    with qtbot.waitSignal(pane.decisionEdited, timeout=1000) as sig:
        pane.decision.setCurrentIndex(pane.decision.findData(Decision.WAIVED.value))
    assert sig.args == [f.requirement_id, Decision.WAIVED, ""]
    with qtbot.waitSignal(pane.decisionEdited, timeout=3000) as sig:
        pane.note.setPlainText("District accepts the risk")
        assert pane.saved_label.text() == "Editing…"
    assert sig.args[2] == "District accepts the risk"
    # loading another finding does not emit anything
    with qtbot.assertNotEmitted(pane.decisionEdited):
        pane.set_finding(_finding(requirement_id="other", status=Status.MISSING))


def test_issue_13_detail_pane_says_not_checked_never_not_found(qtbot):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_finding(_finding(status=Status.NEEDS_REVIEW, params={}, layer="none"))
    assert pane.evidence_box.isVisibleTo(pane)
    assert "Not checked automatically" in pane.evidence.text() and "Not found" not in pane.evidence.text()
    assert not pane.show_evidence_btn.isVisibleTo(pane)
