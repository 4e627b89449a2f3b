"""Whole-window flows on the real worker thread, over generated contracts and a real SQLite store.

The core is stood in by ``HandCore`` (hand-built analyses of the generated files) so these tests pin
the GUI's behaviour; ``test_gui_real_pipeline.py`` runs the same flows through the real core.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from contractreview.domain import Decision, Status
from contractreview.errors import CorruptDocumentError
from contractreview.gui.models import ROLE_FINDING
from contractreview.store import open_store

from .conftest import build_window, open_and_wait


def _select(qtbot, win, requirement_id):  # type: ignore[no-untyped-def]
    assert win.select_requirement(requirement_id)
    qtbot.waitUntil(lambda: win.current_requirement() == requirement_id)


def _evidence_visible(win, requirement_id) -> bool:  # type: ignore[no-untyped-def]
    view = win.doc_view.pdf
    items = view.highlight_items(requirement_id)
    area = view.mapToScene(view.viewport().rect()).boundingRect()
    return bool(items) and any(area.contains(it.rect()) for it in items)


def test_workspace_open_pdf_lists_findings_with_counts(qtbot, window, contract):
    path, doc = contract
    analysis = open_and_wait(qtbot, window, path)
    assert window.stack.currentWidget() is window.review_page
    assert window.counts_label.text() == "1 ✕ Missing · 2 ! Weak · 2 ✓ Satisfied"
    assert window.model.counts()[Status.WEAK] == 2
    assert window.doc_view.is_pdf and window.doc_view.pdf.page_count == len(doc.pages) == 3
    assert "vendor_dpa.pdf" in window.windowTitle() and "saved" in window.windowTitle()
    # the review was persisted by the GUI thread
    assert window.review_id is not None
    assert window.store.get_summary(window.review_id).sha256 == analysis.document.sha256
    # the first flag is selected on open
    assert window.current_finding().status.is_flag


def test_workspace_clicking_finding_scrolls_to_evidence_and_flashes(qtbot, window, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    view = window.doc_view.pdf
    _select(qtbot, window, "no_sale_of_student_data")  # page 1
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert not _evidence_visible(window, "data_deletion_on_request") or True
    _select(qtbot, window, "data_deletion_on_request")  # page 2
    qtbot.waitUntil(lambda: _evidence_visible(window, "data_deletion_on_request"))
    assert view.is_flashing()
    assert window.doc_view.page_spin.value() == 2
    item = view.highlight_items("data_deletion_on_request")[0]
    assert item.emphasized
    assert not view.highlight_items("no_sale_of_student_data")[0].emphasized
    # the detail pane shows the same finding
    assert window.detail.title.text() == "Deletion on request"
    assert "delete Student Data within 30 days" in window.detail.evidence.text()


def test_workspace_rendered_highlight_sits_on_the_drawn_text(qtbot, window, contract):
    """Pixels under the highlight are darker than the white page: the box covers the drawn line."""
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    _select(qtbot, window, "breach_notification")
    view = window.doc_view.pdf
    qtbot.waitUntil(lambda: not view.is_flashing(), timeout=3000)
    item = view.highlight_items("breach_notification")[0]
    qtbot.waitUntil(lambda: view.render_count > 0)
    img = view.viewport().grab().toImage()
    r = view.mapFromScene(item.rect()).boundingRect()
    inside = [img.pixelColor(x, r.center().y()).lightness() for x in range(r.left() + 4, r.right() - 4, 3)]
    above = view.mapFromScene(item.rect().center().x(), item.rect().top() - 30)
    assert min(inside) < 150  # glyphs inside the box
    assert img.pixelColor(above).lightness() > 240  # blank page above it


def test_workspace_clicking_highlight_selects_its_finding(qtbot, window, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    _select(qtbot, window, "breach_notification")
    view = window.doc_view.pdf
    _select(qtbot, window, "subprocessor_obligations")
    view.centerOn(view.highlight_items("breach_notification")[0].rect().center())
    target = view.highlight_items("breach_notification")[0]
    pos = view.mapFromScene(target.rect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.current_requirement() == "breach_notification")
    assert window.detail.title.text() == "Breach notification to the school"


def test_workspace_f8_and_shift_f8_walk_the_flags(qtbot, window, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    order = [window.tree.model().index(r, 0, window.tree.model().index(g, 0)).data(ROLE_FINDING)
             for g in range(window.proxy.rowCount()) for r in range(window.proxy.rowCount(window.proxy.index(g, 0)))]
    flags = [f.requirement_id for f in order if f.status.is_flag]
    assert flags == ["breach_notification", "no_targeted_advertising", "subprocessor_obligations"]
    window.tree.setFocus()
    assert window.current_requirement() == flags[0]
    seen = []
    for _ in range(3):
        qtbot.keyClick(window.tree, Qt.Key.Key_F8)
        seen.append(window.current_requirement())
    assert seen == [flags[1], flags[2], flags[0]]  # wraps around
    qtbot.keyClick(window.tree, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_requirement() == flags[2]


def test_workspace_decision_saved_immediately_and_survives_reopen(qtbot, store, store_path, core, contract):
    path, doc = contract
    win = build_window(qtbot, store, core)
    open_and_wait(qtbot, win, path)
    _select(qtbot, win, "breach_notification")
    combo = win.detail.decision
    combo.setCurrentIndex(combo.findData(Decision.NEEDS_NEGOTIATION.value))
    assert win.detail.saved_label.text() == "✓ Saved"
    win.detail.note.setPlainText("Ask for 72 hours from discovery")
    qtbot.waitUntil(lambda: win.detail.saved_label.text() == "✓ Saved", timeout=3000)
    # another connection to the same file sees it (committed, not cached)
    with open_store(store_path) as other:
        d = other.decisions(doc.sha256)["breach_notification"]
    assert d.decision is Decision.NEEDS_NEGOTIATION
    assert d.note == "Ask for 72 hours from discovery"
    assert d.reviewer == "Test Reviewer"
    win.close()
    # a new window over the same database shows the decision again
    with open_store(store_path) as store2:
        win2 = build_window(qtbot, store2, core)
        assert win2.welcome.recent.count() == 1 and "vendor_dpa.pdf" in win2.welcome.recent.item(0).text()
        open_and_wait(qtbot, win2, path)
        _select(qtbot, win2, "breach_notification")
        assert win2.detail.current_decision() is Decision.NEEDS_NEGOTIATION
        assert win2.detail.note.toPlainText() == "Ask for 72 hours from discovery"
        win2.close()


def test_workspace_profile_switch_reanalyses_and_keeps_decisions(qtbot, window, core, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    _select(qtbot, window, "no_targeted_advertising")
    window.detail.decision.setCurrentIndex(window.detail.decision.findData(Decision.WAIVED.value))
    with qtbot.waitSignal(window.analysisShown, timeout=10000):
        window.profile_combo.setCurrentIndex(window.profile_combo.findData("ny"))
    assert core.calls[-1] == ("analyze", "ny")  # re-analysed from the loaded document, not re-read
    assert window.analysis.profile == "ny"
    assert window.model.index_for("ny_parents_bill_of_rights").isValid()
    assert window.model.decision_for("no_targeted_advertising").decision is Decision.WAIVED
    assert window.current_requirement() == "no_targeted_advertising"  # selection kept
    assert window.detail.current_decision() is Decision.WAIVED
    assert "(ny)" in window.windowTitle()
    assert window.saved_settings[-1].profile == "ny"


def test_workspace_encrypted_pdf_asks_for_password_and_retries(qtbot, store, tmp_path, monkeypatch):
    from .contracts import HandCore, make_pdf

    path = tmp_path / "locked.pdf"
    doc = make_pdf(path, pages=1, password="s3cret")
    core = HandCore({str(path): doc}, passwords={str(path): "s3cret"})
    win = build_window(qtbot, store, core)
    prompts = []
    answers = iter([("wrong", True), ("s3cret", True)])

    def fake_get_text(parent, title, label, echo=None, *a, **k):  # type: ignore[no-untyped-def]
        prompts.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    with qtbot.waitSignal(win.analysisShown, timeout=10000):
        win.open_file(path)
    assert len(prompts) == 2
    assert "locked.pdf" in prompts[0] and "password" in prompts[0]
    assert "not correct" in prompts[1]
    assert win.password == "s3cret"
    win.close()


def test_workspace_corrupt_file_shows_error_and_keeps_state(qtbot, window, contract, tmp_path, monkeypatch):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    before = window.analysis
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: shown.append((title, text))))
    with qtbot.waitSignal(window.openFailed, timeout=10000) as blocker:
        window.open_file(bad)
    assert isinstance(blocker.args[0], CorruptDocumentError)
    assert shown and "broken.pdf" in shown[0][1] and "damaged" in shown[0][1]
    assert window.analysis is before  # the open contract is untouched
    assert window.stack.currentWidget() is window.review_page


def test_workspace_cancel_stops_the_generator(qtbot, store, contract):
    from .contracts import HandCore

    path, doc = contract
    core = HandCore({str(path): doc}, step_delay=0.05, steps=200)
    win = build_window(qtbot, store, core)
    with qtbot.waitSignal(win.busyChanged, timeout=5000):
        win.open_file(path)
    assert win.cancel_btn.isVisible()
    qtbot.wait(150)
    handle = win.job
    qtbot.mouseClick(win.cancel_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=5000)
    assert handle.wait(5000)
    assert core.closed == 1  # GeneratorExit reached the core
    assert win.analysis is None and win.stack.currentWidget() is win.welcome
    assert not win.cancel_btn.isVisible()
    assert store.list_reviews() == []
    win.close()


def test_workspace_docx_shows_flowing_text_with_highlights(qtbot, window, docx_contract):
    path, doc = docx_contract
    open_and_wait(qtbot, window, path)
    assert window.doc_view.stack.currentWidget() is window.doc_view.text
    text_view = window.doc_view.text
    assert text_view.toPlainText() == doc.text
    _select(qtbot, window, "data_deletion_on_request")
    cur = text_view.textCursor()
    ev = window.analysis.finding("data_deletion_on_request").evidence[0]
    assert cur.position() == ev.start
    sels = text_view.extraSelections()
    spans = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in sels}
    assert (ev.start, ev.end) in spans
    # headings keep the contract's structure in bold; body text stays regular
    heading = next(b for b in doc.blocks if b.kind.value == "heading")
    body = next(b for b in doc.blocks if b.kind.value == "paragraph")
    c = text_view.textCursor()
    c.setPosition(heading.start + 1)
    assert c.charFormat().font().bold()
    c.setPosition(body.start + 1)
    assert not c.charFormat().font().bold()
    # clicking inside another highlight selects that finding
    other = window.analysis.finding("no_sale_of_student_data").evidence[0]
    c = text_view.textCursor()
    c.setPosition(other.start + 3)
    pos = text_view.cursorRect(c).center()
    qtbot.mouseClick(text_view.viewport(), Qt.MouseButton.LeftButton, pos=pos + QPoint(2, 0))
    qtbot.waitUntil(lambda: window.current_requirement() == "no_sale_of_student_data")


def test_workspace_find_in_document_and_filters(qtbot, window, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    window.doc_view.find_edit.setText("governed by the laws")
    assert window.doc_view.find_next()
    assert window.doc_view.find_status.text() == "1 of 1"
    window.doc_view.find_edit.setText("no such phrase anywhere")
    assert not window.doc_view.find_next()
    assert window.doc_view.find_status.text() == "Not found"
    window.status_filter.setCurrentIndex(window.status_filter.findData("missing"))
    assert window.proxy.rowCount() == 1
    # selecting a filtered-out finding (e.g. from a highlight) clears the filters
    window.select_requirement("no_sale_of_student_data")
    assert window.status_filter.currentIndex() == 0
    assert window.current_requirement() == "no_sale_of_student_data"


def test_workspace_splitter_layout_is_remembered(qtbot, store, core):
    win = build_window(qtbot, store, core)
    win.splitter.setSizes([300, 700, 400])
    sizes = win.splitter.sizes()
    win.close()
    win2 = build_window(qtbot, store, core)
    assert win2.splitter.sizes() == sizes
    win2.close()


def test_workspace_keyboard_only_from_welcome_to_highlighted_flag(qtbot, store, contract, monkeypatch):
    """Welcome view -> keyboard opens a contract -> F8 walks flags -> Enter shows the evidence."""
    from PySide6.QtWidgets import QFileDialog

    from .contracts import HandCore

    path, doc = contract
    core = HandCore({str(path): doc})
    win = build_window(qtbot, store, core)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    win.activateWindow()
    win.welcome.open_btn.setFocus()
    with qtbot.waitSignal(win.analysisShown, timeout=10000):
        qtbot.keyClick(win.welcome.open_btn, Qt.Key.Key_Space)  # the focused button
    assert win.tree.hasFocus() or win.focusWidget() is win.tree
    first = win.current_requirement()
    assert win.current_finding().status.is_flag
    qtbot.keyClick(win.tree, Qt.Key.Key_F8)
    assert win.current_requirement() != first
    qtbot.keyClick(win.tree, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert win.current_requirement() == first == "breach_notification"
    qtbot.keyClick(win.tree, Qt.Key.Key_Return)
    assert win.doc_view.pdf.is_flashing()
    assert win.doc_view.pdf.highlight_items("breach_notification")[0].emphasized
    # decide from the keyboard: Ctrl+Alt+2 = Needs negotiation, saved at once
    qtbot.keyClick(win.tree, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert store.decisions(doc.sha256)["breach_notification"].decision is Decision.NEEDS_NEGOTIATION
    win.close()


def test_workspace_recent_review_of_moved_file_opens_from_the_store(qtbot, window, contract):
    path, doc = contract
    open_and_wait(qtbot, window, path)
    window.select_requirement("no_targeted_advertising")
    window.detail.decision.setCurrentIndex(window.detail.decision.findData(Decision.WAIVED.value))
    window.close_contract()
    path.rename(path.with_name("moved.pdf"))
    window.refresh_recent()
    summary = window.welcome.recent.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(window.analysisShown, timeout=5000):
        window.welcome.recentActivated.emit(summary)
    assert window.analysis.document.sha256 == doc.sha256
    assert window.model.counts()[Status.MISSING] == 1
    assert window.model.decision_for("no_targeted_advertising").decision is Decision.WAIVED
    # pages cannot be rendered without the file; the stored text (if the store keeps it) is shown instead
    if window.analysis.document.text:
        assert window.doc_view.stack.currentWidget() is window.doc_view.text
        assert window.doc_view.text.toPlainText() == doc.text
    else:
        assert window.doc_view.stack.currentWidget() is window.doc_view.empty
    assert "no longer" in window.statusBar().currentMessage()


def test_workspace_decision_can_be_withdrawn(qtbot, window, contract):
    path, doc = contract
    open_and_wait(qtbot, window, path)
    window.select_requirement("subprocessor_obligations")
    combo = window.detail.decision
    combo.setCurrentIndex(combo.findData(Decision.ACCEPT.value))
    assert "subprocessor_obligations" in window.store.decisions(doc.sha256)
    combo.setCurrentIndex(0)  # "— not decided —"
    assert "subprocessor_obligations" not in window.store.decisions(doc.sha256)
    assert window.model.decision_for("subprocessor_obligations") is None
    assert window.detail.saved_label.text() == "✓ Saved"
    actions = [h.get("action") for h in window.store.history(doc.sha256, "subprocessor_obligations")]
    assert "decision_cleared" in actions
