"""Issue #17: a review workspace a reviewer trusts on a real laptop.

Each test here failed before the change it guards (the jump to the quoted passage, the not-a-contract
warning, reopening a stored review, laptop and high-DPI layout, sorting, undo, compare versions).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from contractreview.domain import Evidence

from .conftest import build_window, open_and_wait
from .contracts import HandCore, hand_analysis, make_docx, make_pdf


class TwoPassageCore(HandCore):
    """The deletion finding quotes a passage late in the contract first, then one from the start.

    Engines order evidence by strength, not by position: the detail pane quotes ``evidence[0]``, so the
    jump must land there, not on the earliest highlight."""

    LATE = "delete Student Data within 30 days of the request"
    EARLY = "Student Data means any information about a student"

    def _two(self, analysis):  # type: ignore[no-untyped-def]
        doc = analysis.document
        evs = []
        for phrase in (self.LATE, self.EARLY):
            s = doc.text.find(phrase)
            assert s >= 0
            evs.append(Evidence(doc.text[s:s + len(phrase)], s, s + len(phrase), doc.page_at(s), "", "r",
                                doc.boxes_for(s, s + len(phrase))))
        findings = tuple(replace(f, evidence=tuple(evs)) if f.requirement_id == "data_deletion_on_request" else f
                         for f in analysis.findings)
        return replace(analysis, findings=findings)

    def review(self, path, *, profile, library=None, password=None):  # type: ignore[no-untyped-def]
        analysis = yield from super().review(path, profile=profile, library=library, password=password)
        return self._two(analysis)


def _select(qtbot, win, rid):  # type: ignore[no-untyped-def]
    assert win.select_requirement(rid)
    qtbot.wait(30)


@pytest.mark.parametrize("kind", ["pdf300", "docx"])
def test_issue_17_jump_lands_on_the_quoted_passage(qtbot, store, tmp_path, kind):
    if kind == "pdf300":
        path = tmp_path / "long.pdf"
        doc = make_pdf(path, pages=300)
    else:
        path = tmp_path / "terms.docx"
        doc = make_docx(path)
    core = TwoPassageCore({str(path): doc})
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, path)
    finding = analysis.finding("data_deletion_on_request")
    quoted = finding.evidence[0]
    if kind == "pdf300":
        assert quoted.page > 150 and finding.evidence[1].page < 5  # the case of the issue: far apart
    _select(qtbot, win, "no_sale_of_student_data")
    _select(qtbot, win, "data_deletion_on_request")
    assert TwoPassageCore.LATE in win.detail.evidence.text()
    for attempt in ("select", "button"):
        if attempt == "button":
            win.doc_view.go_to_page(1) if kind == "pdf300" else win.doc_view.text.scroll_to_offset(0)
            qtbot.wait(30)
            win.detail.show_evidence_btn.click()
            qtbot.wait(30)
        shown = win.doc_view.shown_highlight()
        assert shown is not None and shown.requirement_id == "data_deletion_on_request"
        assert doc.text[shown.start:shown.end] == quoted.text
        if kind == "pdf300":
            assert {p for p, _ in shown.boxes} == {quoted.page}
            assert win.doc_view.pdf.current_page() == quoted.page
            assert win.doc_view.page_spin.value() == quoted.page
        else:
            view = win.doc_view.text
            rect = view.cursorRect(view.textCursor())
            assert view.textCursor().position() == view.qpos(quoted.start)
            assert view.viewport().rect().contains(rect.center())
    win.close()
