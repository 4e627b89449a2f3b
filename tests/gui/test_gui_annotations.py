"""Issue #16 in the window: select a passage → comment → link it to a requirement → override a status.

Each flow runs on a generated contract and a real SQLite store, once with the mouse only and once with
the keyboard only, checks the store after every step, and reopens the review in a new window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from contractreview.domain import ReviewerStatus, Status
from contractreview.gui.annotations import UNMATCHED_TEXT, NotesModel, rows_for
from contractreview.gui.doc_selection import offset_at, snap_to_words, span_boxes
from contractreview.gui.models import COL_STATUS, ROLE_FINDING
from contractreview.gui.override_dialog import CommentDialog, OverrideDialog

from .conftest import build_window, open_and_wait
from .contracts import make_docx, make_pdf

PHRASE = "will not sell Student Data"
FAILURES: list[BaseException] = []


@pytest.fixture(autouse=True)
def _handler_failures():  # type: ignore[no-untyped-def]
    """An assertion inside a dialog handler fails the test (it ran inside the dialog's event loop)."""
    FAILURES.clear()
    yield
    if FAILURES:
        raise FAILURES[0]
LATE = "delete Student Data within 30 days of the request"


def _when_modal(qtbot, handler: Callable[[QWidget], None], *, popup: bool = False) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Run ``handler`` on the next modal dialog (or popup menu) once it is shown; returns what was seen."""
    seen: list[QWidget] = []
    tries = [0]

    def poll() -> None:
        w = QApplication.activePopupWidget() if popup else QApplication.activeModalWidget()
        tries[0] += 1
        if (w is None or not w.isVisible()) and tries[0] < 250:
            QTimer.singleShot(20, poll)
            return
        if w is None:
            FAILURES.append(AssertionError("no dialog or menu appeared"))
            return
        if not popup and not w.isActiveWindow() and tries[0] < 250:
            # the offscreen platform has no window manager to give the new dialog the focus: do its part
            w.activateWindow()
            QTimer.singleShot(20, poll)
            return
        seen.append(w)
        try:
            handler(w)
        except BaseException as exc:  # noqa: BLE001 - close it, or the nested event loop never returns
            FAILURES.append(exc)
            w.close()

    QTimer.singleShot(0, poll)
    return seen


def _click_action(qtbot, menu: QMenu, text: str) -> None:  # type: ignore[no-untyped-def]
    act = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    assert act.isEnabled(), text
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(act).center())


def _right_click(qtbot, widget: QWidget, pos: QPoint) -> None:  # type: ignore[no-untyped-def]
    """A right click: the button press, then the context-menu event the platform sends with it (QTest's
    synthetic clicks bypass the window system, which is what turns a right press into that event)."""
    qtbot.mouseClick(widget, Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos)))


def _back_to(qtbot, win) -> None:  # type: ignore[no-untyped-def]
    """After a dialog closed: the window manager would give the window the focus back; offscreen, we do."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)


def _view_point(win, scene: QPointF) -> QPoint:  # type: ignore[no-untyped-def]
    return win.doc_view.pdf.mapFromScene(scene)


def _drag_select(qtbot, win, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    """Drag with the mouse over ``text[start:end]`` on the rendered PDF page."""
    pdf = win.doc_view.pdf
    doc = win.analysis.document
    win.doc_view.show_span(start, end)  # scroll it into view (as Find would)
    boxes = span_boxes(doc, start, end)
    first = pdf.scene_rect_for(*boxes[0])
    last = pdf.scene_rect_for(*boxes[-1])
    a = _view_point(win, QPointF(first.left() + 2, first.center().y()))
    b = _view_point(win, QPointF(last.right() - 2, last.center().y()))
    qtbot.mousePress(pdf.viewport(), Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(pdf.viewport(), pos=(a + b) / 2)
    qtbot.mouseMove(pdf.viewport(), pos=b)
    qtbot.mouseRelease(pdf.viewport(), Qt.MouseButton.LeftButton, pos=b)


def _status_cell(win, requirement_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(win.model.index_for(requirement_id, COL_STATUS).data())


# ---------------------------------------------------------------------------------------------- units


def test_issue_16_pdf_points_map_to_text_offsets(tmp_path: Path) -> None:
    doc = make_pdf(tmp_path / "c.pdf", pages=2)
    i = doc.text.index(PHRASE)
    ln = next(ln for ln in doc.lines if ln.start <= i < ln.end)
    box = ln.bbox
    # left edge of the line -> its first character; right edge -> its end; between lines -> nearest line
    assert offset_at(doc, ln.page, box.x0 - 5, (box.top + box.bottom) / 2) == ln.start
    assert offset_at(doc, ln.page, box.x1 + 5, (box.top + box.bottom) / 2) == ln.end
    assert offset_at(doc, ln.page, box.x0, box.bottom + 0.5) is not None
    assert offset_at(doc, 99, 10, 10) is None
    # a point inside a word widens to the whole word
    s, e = snap_to_words(doc.text, i + 2, i + len(PHRASE) - 2)
    assert doc.text[s:e] == PHRASE
    assert snap_to_words("  ab cd  ", 0, 9) == (2, 7)
    boxes = span_boxes(doc, i, i + len(PHRASE))
    assert boxes and all(b.x1 > b.x0 for _p, b in boxes)
    assert boxes[0][1].x0 >= box.x0  # cut inside the first line, not the whole line


def test_issue_16_notes_model_lists_unmatched_first(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from contractreview.domain import Annotation, StatusOverride, TextAnchor

    text = "alpha beta gamma delta"
    a1 = Annotation(1, "s", TextAnchor.of(text, 6, 10), "check", "r1", "Ann", "2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z")
    a2 = Annotation(2, "s", TextAnchor.of(text, 0, 5), "gone", None, "Bob", "2026-01-01T10:00:00Z", "", "unmatched")
    ov = StatusOverride("r1", ReviewerStatus.SATISFIED, "clause 2", None, "Ann", "2026-01-01T11:00:00Z")
    rows = rows_for([a1, a2], {"r1": ov})
    assert [r.key for r in rows] == [2, 1, "r1"]
    model = NotesModel()
    model.set_rows(rows, {"r1": "Requirement one"})
    qtmodeltester.check(model)
    assert model.index(0, 0).data().startswith(UNMATCHED_TEXT)
    assert model.index(1, 2).data() == "Requirement one"
    assert model.index(2, 1).data() == "Reviewer: satisfied — clause 2"


def test_issue_16_override_dialog_needs_a_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = OverrideDialog("No targeted advertising", Status.MISSING, selection="clause 9.2 says so")
    qtbot.addWidget(dlg)
    assert not dlg.ok.isEnabled()
    assert dlg.status() is ReviewerStatus.SATISFIED  # proposes the opposite of the engine
    assert dlg.use_selection.isChecked()
    qtbot.keyClicks(dlg.reason, "   ")
    assert not dlg.ok.isEnabled()
    qtbot.keyClicks(dlg.reason, "clause 9.2")
    assert dlg.ok.isEnabled()
    assert dlg.clear_btn is None
    c = CommentDialog("a passage", [("r1", "Requirement one")])
    qtbot.addWidget(c)
    assert not c.ok.isEnabled()
    qtbot.keyClicks(c.comment, "ok")
    assert c.ok.isEnabled() and c.requirement_id() is None


# ---------------------------------------------------------------------------------------------- flows


def test_issue_16_mouse_only_select_comment_link_override_and_reopen(qtbot, store, core, contract):  # type: ignore[no-untyped-def]
    path, _doc = contract
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, str(path))
    sha, text = analysis.document.sha256, analysis.document.text
    i = text.index(PHRASE)

    # 1. select by dragging over the page (the phrase is a finding's highlighted evidence: a drag over
    # it selects text, only a click selects the finding)
    before = win.current_requirement()
    assert before != "no_sale_of_student_data"
    _drag_select(qtbot, win, i, i + len(PHRASE))
    assert win.doc_view.selection_span() == (i, i + len(PHRASE))
    assert win.current_requirement() == before
    assert win.notes.act_comment.isEnabled()

    # 2. right-click → Add Comment… → type, pick the requirement with the mouse, click OK
    def fill_comment(dlg: QWidget) -> None:
        assert isinstance(dlg, CommentDialog)
        assert not dlg.ok.isEnabled()
        qtbot.keyClicks(dlg.comment, "Sale ban is clear")
        combo = dlg.requirement
        qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)  # opens the list
        qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=3000)
        qtbot.wait(QApplication.doubleClickInterval() + 50)  # the list ignores a release right after opening
        view = combo.view()
        row = combo.findData("no_sale_of_student_data")
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center())
        assert dlg.requirement_id() == "no_sale_of_student_data"
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)

    dialogs = _when_modal(qtbot, fill_comment)
    _when_modal(qtbot, lambda menu: _click_action(qtbot, menu, "Add Comment…"), popup=True)
    pdf = win.doc_view.pdf
    pos = _view_point(win, pdf.scene_rect_for(*span_boxes(analysis.document, i, i + 5)[0]).center())
    _right_click(qtbot, pdf.viewport(), pos)
    qtbot.waitUntil(lambda: bool(store.annotations(sha)), timeout=5000)
    assert dialogs
    (note,) = store.annotations(sha)
    assert (note.anchor.start, note.anchor.end, note.anchor.quote) == (i, i + len(PHRASE), PHRASE)
    assert note.comment == "Sale ban is clear" and note.requirement_id == "no_sale_of_student_data"
    assert note.author == "Test Reviewer"
    assert win.notes.pane.model.rowCount() == 1
    assert win.doc_view.pdf.mark_items(), "the annotated passage is marked on the page"

    # 3. select the same passage again, then override a missing requirement from the checklist menu
    _drag_select(qtbot, win, i, i + len(PHRASE))
    rid = "no_targeted_advertising"
    assert win.analysis.finding(rid).status is Status.MISSING
    idx = win.proxy.mapFromSource(win.model.index_for(rid))
    rect = win.tree.visualRect(idx)
    qtbot.mouseClick(win.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.current_requirement() == rid

    def fill_override(dlg: QWidget) -> None:
        assert isinstance(dlg, OverrideDialog)
        qtbot.mouseClick(dlg.radios[ReviewerStatus.SATISFIED], Qt.MouseButton.LeftButton)
        assert not dlg.ok.isEnabled()
        qtbot.keyClicks(dlg.reason, "clause 2 bans all commercial use")
        assert dlg.use_selection.isChecked()
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)

    _when_modal(qtbot, fill_override)
    _when_modal(qtbot, lambda m: _click_action(qtbot, m, "Override Status…"), popup=True)
    _right_click(qtbot, win.tree.viewport(), rect.center())
    qtbot.waitUntil(lambda: rid in store.overrides(sha), timeout=5000)
    ov = store.overrides(sha)[rid]
    assert ov.status is ReviewerStatus.SATISFIED and ov.reason == "clause 2 bans all commercial use"
    assert ov.evidence is not None and ov.evidence.quote == PHRASE
    assert win.analysis.finding(rid).status is Status.SATISFIED  # the checklist shows the effective status
    assert "✎" in _status_cell(win, rid)
    assert win.detail.override_line.text().startswith("Engine: missing · Reviewer: satisfied")
    assert win.notes.pane.model.rowCount() == 2

    # 4. a new window on the same store shows all of it
    win.close()
    win2 = build_window(qtbot, store, core)
    open_and_wait(qtbot, win2, str(path))
    assert win2.analysis.finding(rid).status is Status.SATISFIED
    assert win2.analysis.finding(rid).engine_status is Status.MISSING
    assert [r.kind for r in win2.notes.pane.model.rows()] == ["annotation", "override"]
    assert win2.doc_view.pdf.mark_items()
    win2.select_requirement(rid)
    assert "Reviewer: satisfied" in win2.detail.override_line.text()


def test_issue_16_keyboard_only_select_comment_link_override_and_reopen(qtbot, store, core, docx_contract):  # type: ignore[no-untyped-def]
    path, _doc = docx_contract
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, str(path))
    sha, text = analysis.document.sha256, analysis.document.text
    i = text.index(PHRASE)

    def key(k, mod=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
        qtbot.keyClick(QApplication.focusWidget() or win, k, mod)

    # 1. Ctrl+F, type the phrase, Enter: the match is the selection
    win.activateWindow()
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is win.doc_view.find_edit
    qtbot.keyClicks(win.doc_view.find_edit, PHRASE)
    key(Qt.Key.Key_Return)
    assert win.doc_view.selection_span() == (i, i + len(PHRASE))
    # ... or in the text: Ctrl+2 puts the focus on it, the caret is at the match; Shift+Right selects
    key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is win.doc_view.text
    for _ in PHRASE:
        key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert win.doc_view.selection_span() == (i, i + len(PHRASE))

    # 2. Ctrl+Shift+M → type, Tab to the requirement, arrow down to it, Enter
    target = "no_sale_of_student_data"

    def fill_comment(dlg: QWidget) -> None:
        assert isinstance(dlg, CommentDialog)
        assert QApplication.focusWidget() is dlg.comment  # the dialog opens in the comment box
        qtbot.keyClicks(QApplication.focusWidget(), "Sale ban is clear")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dlg.requirement
        while dlg.requirement_id() != target:
            before = dlg.requirement.currentIndex()
            qtbot.keyClick(dlg.requirement, Qt.Key.Key_Down)
            assert dlg.requirement.currentIndex() != before
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    _when_modal(qtbot, fill_comment)
    key(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(store.annotations(sha)), timeout=5000)
    _back_to(qtbot, win)
    (note,) = store.annotations(sha)
    assert note.anchor.quote == PHRASE and note.anchor.start == i
    assert note.requirement_id == target and note.comment == "Sale ban is clear"
    assert win.doc_view.text._marks, "the annotated passage is marked in the text"

    # 3. select the evidence again (Ctrl+F, Enter), Ctrl+1 to the checklist, arrows to it, Ctrl+Shift+R
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_Return)
    assert win.doc_view.selection_span() == (i, i + len(PHRASE))
    rid = "no_targeted_advertising"
    key(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is win.tree
    key(Qt.Key.Key_Home)
    for _ in range(20):
        if win.current_requirement() == rid:
            break
        key(Qt.Key.Key_Down)
    assert win.current_requirement() == rid

    def fill_override(dlg: QWidget) -> None:
        assert isinstance(dlg, OverrideDialog)
        assert QApplication.focusWidget() is dlg.radios[ReviewerStatus.SATISFIED]  # the proposed status
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)  # arrows move along the choices
        assert dlg.status() is ReviewerStatus.WEAK
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dlg.reason
        qtbot.keyClicks(dlg.reason, "clause 2 only covers sale")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Tab)  # to the evidence check box
        assert QApplication.focusWidget() is dlg.use_selection and dlg.use_selection.isChecked()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    _when_modal(qtbot, fill_override)
    key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: rid in store.overrides(sha), timeout=5000)
    _back_to(qtbot, win)
    ov = store.overrides(sha)[rid]
    assert (ov.status, ov.reason, ov.evidence.quote if ov.evidence else None) == (
        ReviewerStatus.WEAK, "clause 2 only covers sale", PHRASE)
    assert win.analysis.finding(rid).status is Status.WEAK
    assert win.detail.override_line.text().startswith("Engine: missing · Reviewer: weak")

    # 4. reopen in a new window
    win.close()
    win2 = build_window(qtbot, store, core)
    open_and_wait(qtbot, win2, str(path))
    assert win2.analysis.finding(rid).status is Status.WEAK
    assert "✎" in _status_cell(win2, rid)
    assert [r.text for r in win2.notes.pane.model.rows()] == ["Sale ban is clear", "Reviewer: weak — clause 2 only covers sale"]
    assert win2.doc_view.text._marks


def test_issue_16_edit_delete_clear_with_undo(qtbot, store, core, docx_contract):  # type: ignore[no-untyped-def]
    path, _doc = docx_contract
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, str(path))
    sha, text = analysis.document.sha256, analysis.document.text
    i = text.index(PHRASE)
    note = win.notes.create_annotation(i, i + len(PHRASE), "first", None)
    assert note is not None

    def edit(dlg: QWidget) -> None:
        dlg.comment.setPlainText("second")
        dlg.requirement.setCurrentIndex(dlg.requirement.findData("no_sale_of_student_data"))
        dlg.accept()

    _when_modal(qtbot, edit)
    assert win.notes.edit(win.notes.pane.model.rows()[0])
    (a,) = store.annotations(sha)
    assert (a.comment, a.requirement_id) == ("second", "no_sale_of_student_data")
    win.undo_stack.undo()
    (a,) = store.annotations(sha)
    assert (a.comment, a.requirement_id) == ("first", None)

    # Delete from the pane with the Delete key, then Undo brings it back
    win.notes.show_pane()
    win.notes.pane.view.setCurrentIndex(win.notes.pane.model.index(0, 0))
    qtbot.keyClick(win.notes.pane.view, Qt.Key.Key_Delete)
    assert store.annotations(sha) == []
    win.undo_stack.undo()
    (a,) = store.annotations(sha)
    assert (a.comment, a.anchor.quote) == ("first", PHRASE)

    # override, then clear it; undo restores it
    rid = "no_targeted_advertising"
    win.select_requirement(rid)
    assert win.notes.write_override(rid, ReviewerStatus.NOT_APPLICABLE, "no ads in this product", None)
    assert "Not applicable" in _status_cell(win, rid)
    assert win.notes.clear_current_override()
    assert rid not in store.overrides(sha)
    assert win.analysis.finding(rid).status is Status.MISSING
    win.undo_stack.undo()
    assert store.overrides(sha)[rid].status is ReviewerStatus.NOT_APPLICABLE
    assert win.analysis.finding(rid).override is not None
    # the writes are as fast as a decision's (one transaction on the GUI thread)
    assert win.notes.timings["set_override_s"] < 0.5 and win.notes.timings["add_annotation_s"] < 0.5


def test_issue_16_revised_version_lists_unmatched_and_reanchors(qtbot, store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from . import contracts
    from .contracts import HandCore

    v1 = tmp_path / "vendor_terms.docx"
    d1 = make_docx(v1)
    # the revision changes the governing law and keeps the sale ban
    revised = list(contracts.BASE_CLAUSES)
    revised[5] = ("6. Governing Law", "This Agreement is governed by the laws of the State of California.")
    monkeypatch.setattr(contracts, "BASE_CLAUSES", revised)
    v2 = tmp_path / "vendor_terms_v2.docx"
    d2 = make_docx(v2)
    core = HandCore({str(v1): d1, str(v2): d2})
    win = build_window(qtbot, store, core)
    win.non_interactive = True  # a failure prints instead of waiting in a message box
    a1 = open_and_wait(qtbot, win, str(v1))
    law = "laws of the State of New York"
    i, j = a1.document.text.index(PHRASE), a1.document.text.index(law)
    win.notes.create_annotation(i, i + len(PHRASE), "keep", None)
    win.notes.create_annotation(j, j + len(law), "NY law is fine", None)
    rid = "no_targeted_advertising"
    win.select_requirement(rid)
    win.notes.write_override(rid, ReviewerStatus.SATISFIED, "state law covers it", (j, j + len(law)))

    a2 = open_and_wait(qtbot, win, str(v2))
    assert a2.document.sha256 != a1.document.sha256
    assert store.previous_version(a2.document.sha256) == a1.document.sha256  # linked as its revision
    notes = store.annotations(a2.document.sha256)
    assert sorted(n.anchor_state for n in notes) == ["anchored", "unmatched"] or \
        sorted(n.anchor_state for n in notes) == ["moved", "unmatched"]
    rows = win.notes.pane.model.rows()
    assert rows[0].unmatched and rows[0].text == "NY law is fine"
    assert rows[1].unmatched and rows[1].kind == "override"
    assert win.analysis.finding(rid).status is Status.MISSING  # not applied until resolved
    assert win.notes.pane.model.index(0, 0).data().startswith(UNMATCHED_TEXT)
    assert "no longer match" in win.notes.pane.header.text()
    assert win.notes.dock.isVisible()
    # the reviewer points it at the new wording
    new = "laws of the State of California"
    k = a2.document.text.index(new)
    win.doc_view.select_span(k, k + len(new))
    win.notes.pane.view.setCurrentIndex(win.notes.pane.model.index(0, 0))
    assert win.notes.act_reanchor.isEnabled()
    win.notes.act_reanchor.trigger()
    moved = next(n for n in store.annotations(a2.document.sha256) if n.comment == "NY law is fine")
    assert (moved.anchor.quote, moved.anchor_state) == (new, "anchored")
    # ... and the override: its evidence re-pointed, it applies again
    win.doc_view.select_span(k, k + len(new))
    win.notes.pane.select("override", rid)
    win.notes.act_reanchor.trigger()
    assert store.overrides(a2.document.sha256)[rid].evidence.quote == new
    assert win.analysis.finding(rid).status is Status.SATISFIED
    assert not any(r.unmatched for r in win.notes.pane.model.rows())
    # carried once: what the reviewer deletes stays deleted when the revision is opened again
    for n in store.annotations(a2.document.sha256):
        store.delete_annotation(n.id)
    win.close()
    win2 = build_window(qtbot, store, core)
    open_and_wait(qtbot, win2, str(v2))
    assert store.annotations(a2.document.sha256) == []
    assert len(store.annotations(a1.document.sha256)) == 2  # the earlier version keeps its own


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_issue_16_annotation_jump_marks_and_highlights(qtbot, store, core, contract, docx_contract, fmt):  # type: ignore[no-untyped-def]
    path = contract[0] if fmt == "pdf" else docx_contract[0]
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, str(path))
    j = analysis.document.text.index(LATE)
    win.notes.create_annotation(j, j + len(LATE), "see 5", None)
    row = win.notes.pane.model.rows()[0]
    assert win.notes.jump_to(row)
    if fmt == "pdf":
        assert win.doc_view.pdf._find_items  # the passage is marked where it was jumped to
    else:
        assert win.doc_view.text._find == (j, j + len(LATE))


def test_issue_16_window_exports_carry_comments_and_the_reviewers_status(qtbot, store, core, docx_contract, tmp_path):  # type: ignore[no-untyped-def]
    import zipfile

    path, _doc = docx_contract
    win = build_window(qtbot, store, core)
    analysis = open_and_wait(qtbot, win, str(path))
    i = analysis.document.text.index(PHRASE)
    win.notes.create_annotation(i, i + len(PHRASE), "Sale ban is clear", "no_sale_of_student_data")
    win.select_requirement("no_targeted_advertising")
    win.notes.write_override("no_targeted_advertising", ReviewerStatus.SATISFIED, "clause 2 covers it", (i, i + len(PHRASE)))
    out = win.controller.export_annotated(tmp_path / "annotated.docx")
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "Sale ban is clear" in comments and "Test Reviewer" in comments
    md = win.controller.export_report("md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Engine: missing · Reviewer: satisfied" in md


def test_issue_16_override_updates_checklist_in_place_and_filters_follow(qtbot, store, core, contract):  # type: ignore[no-untyped-def]
    import dataclasses

    from contractreview.gui.models import FindingsModel

    win = build_window(qtbot, store, core)
    open_and_wait(qtbot, win, str(contract[0]))
    rid = "no_targeted_advertising"
    win.status_filter.setCurrentIndex(win.status_filter.findData("flags"))
    win.select_requirement(rid)
    visible = lambda: any(i.data(ROLE_FINDING).requirement_id == rid for i in win._visible_findings())  # noqa: E731
    assert visible()
    win.notes.write_override(rid, ReviewerStatus.SATISFIED, "clause 2", None)
    assert not visible(), "a satisfied override leaves the flags filter"
    assert win.counts_label.text().startswith("0 ✕ Missing")
    win.notes.clear_override(rid)
    assert visible() and win.counts_label.text().startswith("1 ✕ Missing")
    # a finding that would change group (not checked -> overridden) is refused, so the window rebuilds
    model = FindingsModel()
    f = win.analysis.finding(rid)
    nc = dataclasses.replace(f, status=Status.NEEDS_REVIEW, layer="none")
    model.set_analysis(dataclasses.replace(win.analysis, findings=(nc,)))
    assert not model.replace_findings([dataclasses.replace(nc, status=Status.SATISFIED, layer="rules")])
    assert model.replace_findings([dataclasses.replace(nc, explanation="changed")])
