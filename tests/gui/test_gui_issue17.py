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


NOTE = "Reminder: call the vendor on Monday about the invoice for the reading app."


class NoteCore(HandCore):
    """The core's answer for a one-line note: every requirement missing."""

    def review(self, path, *, profile, library=None, password=None):  # type: ignore[no-untyped-def]
        from contractreview.domain import Analysis, Block, Document, Finding, Format, Page, Status

        from .contracts import REQUIREMENTS

        if str(path) in self.documents:
            return (yield from super().review(path, profile=profile, library=library, password=password))
        self.calls.append(("review", profile))
        yield from ()
        text = Path(path).read_text(encoding="utf-8")
        doc = Document(str(path), "1" * 64, Format.TXT, text, (Page(1, 612.0, 792.0),), (Block(0, len(text), 1),))
        findings = tuple(Finding(requirement_id=rid, title=t, category=c, status=Status.MISSING, severity=sev,
                                 explanation=f"{t}: missing.")
                         for rid, (t, c, sev, _p, _s) in REQUIREMENTS.items())
        return Analysis(document=doc, clauses=(), profile=profile, library_version="test-lib",
                        tool_version="test", findings=findings)


def test_issue_17_not_a_contract_shows_a_warning_banner(qtbot, store, tmp_path, contract):
    note = tmp_path / "note.txt"
    note.write_text(NOTE + "\n", encoding="utf-8")
    path, doc = contract
    win = build_window(qtbot, store, NoteCore({str(path): doc}))
    open_and_wait(qtbot, win, note)
    assert win.not_contract_bar.isVisible()
    assert "note.txt: this does not look like a contract" in win.not_contract_bar.label.text()
    assert win.not_contract_bar.label.wordWrap()
    # a real contract afterwards clears it
    open_and_wait(qtbot, win, path)
    assert not win.not_contract_bar.isVisible()
    win.close()


def test_issue_17_reopen_same_file_opens_latest_review_and_offers_reanalyse(qtbot, store, core, contract):
    from contractreview.domain import Decision

    path, _doc = contract
    win = build_window(qtbot, store, core)
    first = open_and_wait(qtbot, win, path)
    first_id = win.review_id
    win.save_decision("breach_notification", Decision.NEEDS_NEGOTIATION, "ask for 72 hours")
    assert not win.reopen_bar.isVisible()
    win.close_contract()
    calls = len(core.calls)
    open_and_wait(qtbot, win, str(path))
    # no new analysis, no new stored review: the latest review, with its decision
    assert len(core.calls) == calls
    assert win.review_id == first_id and len(store.list_reviews()) == 1
    assert win.analysis.document.sha256 == first.document.sha256
    assert win.model.decision_for("breach_notification").note == "ask for 72 hours"
    assert win.reopen_bar.isVisible() and win.reopen_bar.button.isVisible()
    assert "Re-a" in win.reopen_bar.button.text()
    # Re-analyse: read the file again, a new review, the decision carried over by hash
    with qtbot.waitSignal(win.analysisShown, timeout=20000):
        win.reopen_bar.button.click()
    assert len(core.calls) == calls + 1
    assert win.review_id != first_id and len(store.list_reviews()) == 2
    assert not win.reopen_bar.isVisible()
    assert win.model.decision_for("breach_notification").decision is Decision.NEEDS_NEGOTIATION
    win.close()


LONG_RULE = "deidentified_data_safeguards.weak_language_may_use_without_firm_commitment_rule"


@pytest.mark.parametrize("size", [(1366, 768), (911, 512)], ids=["1366x768", "1366x768-at-150pct"])
def test_issue_17_laptop_titles_wrap_and_requirement_column_gets_the_room(qtbot, store, core, contract, size):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QAbstractButton, QHeaderView

    from contractreview.gui.delegates import WrappingTitleDelegate
    from contractreview.gui.models import COL_TITLE, ROLE_FINDING

    path, _doc = contract
    win = build_window(qtbot, store, core)
    win.resize(*size)
    open_and_wait(qtbot, win, path)
    qtbot.wait(50)
    tree, header = win.tree, win.tree.header()
    assert header.sectionResizeMode(COL_TITLE) == QHeaderView.ResizeMode.Stretch
    assert not tree.uniformRowHeights()
    assert isinstance(tree.itemDelegateForColumn(COL_TITLE), WrappingTitleDelegate)
    title_w = header.sectionSize(COL_TITLE)
    others = [header.sectionSize(c) for c in range(header.count()) if c != COL_TITLE]
    assert title_w >= max(others) and title_w >= 0.45 * tree.viewport().width()
    fm = tree.fontMetrics()
    for g in range(win.proxy.rowCount()):
        parent = win.proxy.index(g, 0)
        for r in range(win.proxy.rowCount(parent)):
            idx = win.proxy.index(r, COL_TITLE, parent)
            title = idx.data(ROLE_FINDING).title
            rect = tree.visualRect(idx)
            need = fm.boundingRect(QRect(0, 0, rect.width() - 10, 10_000), int(Qt.TextFlag.TextWordWrap), title)
            assert need.height() <= rect.height(), f"{title!r} cut: needs {need.height()} px, row {rect.height()}"
    # the detail pane wraps a long rule id instead of cutting every line
    finding = win.current_finding()
    ev = replace(finding.evidence[0], rule=LONG_RULE) if finding.evidence else None
    long = replace(finding, explanation=f"{finding.title}: weak (rule {LONG_RULE}).",
                   evidence=(ev,) if ev else ())
    win.detail.set_finding(long)
    qtbot.wait(20)
    view_w = win.detail.viewport().width()
    assert win.detail.widget().width() <= view_w
    for label in (win.detail.explanation, win.detail.evidence, win.detail.status_line, win.detail.title):
        assert label.wordWrap() and label.minimumSizeHint().width() <= view_w
    # no button squeezed below its label
    for button in win.findChildren(QAbstractButton):
        if button.isVisible() and button.text():
            assert button.width() >= button.minimumSizeHint().width(), button.text()
    assert win.doc_view.find_edit.width() >= win.doc_view.find_edit.fontMetrics().horizontalAdvance("Find…")
    win.close()


def test_issue_17_settings_label_has_no_literal_ampersand(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    from contractreview.gui.settings_dialog import SettingsDialog
    from contractreview.settings import Settings

    dlg = SettingsDialog(Settings(), 10.0)
    qtbot.addWidget(dlg)
    labels = {lab.text(): lab for lab in dlg.findChildren(QLabel)}
    assert "&Library folder:" in labels
    assert labels["&Library folder:"].buddy() is dlg.library  # the & is a mnemonic, not shown


def test_issue_17_window_geometry_from_another_scale_is_not_restored_blindly(qtbot, store, core):
    from contractreview.settings import Settings

    win = build_window(qtbot, store, core)
    avail = win.screen().availableGeometry()
    win.resize(avail.width() * 3, avail.height() * 3)  # a geometry saved on a bigger or unscaled screen
    win.move(avail.width() * 4, 0)  # and off this screen
    geo = bytes(win.saveGeometry().data())
    win.close()
    from contractreview.gui.app import create_window

    win2 = create_window(store, Settings().with_window(geo, b""), review=core.review, analyze=core.analyze,
                         list_profiles=lambda _d: ["default"], save_settings=lambda s: None)
    qtbot.addWidget(win2)
    assert win2.width() <= avail.width() and win2.height() <= avail.height()
    assert win2.frameGeometry().intersects(avail)
    assert win2.width() >= 0.6 * min(1400, avail.width() * 0.92)
    win2.close()


def _titles_in(win, category_row=0):  # type: ignore[no-untyped-def]
    from contractreview.gui.models import ROLE_FINDING

    parent = win.proxy.index(category_row, 0)
    return [win.proxy.index(r, 0, parent).data(ROLE_FINDING) for r in range(win.proxy.rowCount(parent))]


def test_issue_17_sort_by_column_within_categories(qtbot, window, contract):
    from PySide6.QtCore import Qt

    from contractreview.gui.models import COL_SEVERITY, COL_STATUS, COL_TITLE
    from contractreview.gui.status_style import STATUS_ORDER

    path, _doc = contract
    open_and_wait(qtbot, window, path)
    groups = [window.proxy.index(g, 0).data() for g in range(window.proxy.rowCount())]
    profile_order = [[f.requirement_id for f in _titles_in(window, g)] for g in range(len(groups))]
    assert window.tree.isSortingEnabled()
    window.tree.sortByColumn(COL_TITLE, Qt.SortOrder.DescendingOrder)
    for g in range(len(groups)):
        titles = [f.title for f in _titles_in(window, g)]
        assert titles == sorted(titles, key=str.casefold, reverse=True)
    # categories keep the profile's order whichever way findings are sorted
    assert [window.proxy.index(g, 0).data() for g in range(window.proxy.rowCount())] == groups
    window.tree.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)
    for g in range(len(groups)):
        ranks = [STATUS_ORDER.index(f.status) for f in _titles_in(window, g)]
        assert ranks == sorted(ranks)
    window.tree.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
    for g in range(len(groups)):
        ranks = [f.severity.rank for f in _titles_in(window, g)]
        assert ranks == sorted(ranks)
    window.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # View > Checklist in Profile Order
    assert [[f.requirement_id for f in _titles_in(window, g)] for g in range(len(groups))] == profile_order


def test_issue_17_undo_and_redo_a_decision_and_a_note(qtbot, window, contract):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    from contractreview.domain import Decision

    path, _doc = contract
    analysis = open_and_wait(qtbot, window, path)
    sha = analysis.document.sha256
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert "Edit" in menus
    assert window.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.save_decision("breach_notification", Decision.NEEDS_NEGOTIATION, "")
    window.save_decision("breach_notification", Decision.NEEDS_NEGOTIATION, "ask for 72 hours")
    window.save_decision("no_sale_of_student_data", Decision.ACCEPT, "")
    assert "Accept" in window.act_undo.text() or "decision" in window.act_undo.text()
    window.tree.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(window.tree, "z", modifier=qtbot_ctrl())  # Ctrl+Z from the checklist
    assert window.model.decision_for("no_sale_of_student_data") is None
    assert "no_sale_of_student_data" not in window.store.decisions(sha)
    window.act_undo.trigger()  # the note
    assert window.model.decision_for("breach_notification").note == ""
    assert window.store.decisions(sha)["breach_notification"].note == ""
    window.act_undo.trigger()  # the decision itself
    assert window.model.decision_for("breach_notification") is None
    assert not window.act_undo.isEnabled()
    window.act_redo.trigger()
    window.act_redo.trigger()
    assert window.store.decisions(sha)["breach_notification"].note == "ask for 72 hours"
    assert window.detail.note.toPlainText() == "ask for 72 hours"  # the pane shows what was redone


def qtbot_ctrl():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.KeyboardModifier.ControlModifier


def test_issue_17_group_headers_count_decisions(qtbot, window, contract):
    from contractreview.domain import Decision

    path, _doc = contract
    open_and_wait(qtbot, window, path)
    src = window.model.index_for("breach_notification")
    group = src.parent()
    before = group.data()
    assert "decided" not in before
    window.save_decision("breach_notification", Decision.ACCEPT, "")
    total = window.model.rowCount(group)
    assert group.data().endswith(f"1 of {total} decided")
    window.clear_decision("breach_notification")
    assert group.data() == before


def test_issue_17_export_offers_to_open_the_file_and_its_folder(qtbot, window, contract, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    path, _doc = contract
    open_and_wait(qtbot, window, path)
    dest = tmp_path / "out" / "report.md"
    dest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), "Markdown (*.md)"))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    assert window.export_report() == dest
    assert window.export_bar.isVisible() and "report.md" in window.export_bar.label.text()
    window.export_bar.button.click()
    window.export_bar.second.click()
    assert opened == [str(dest), str(dest.parent)]


def test_issue_17_compare_with_the_earlier_version_word_by_word(qtbot, store, core, contract):
    from contractreview.domain import Status
    from contractreview.gui.compare import diff_html

    path, doc = contract
    current = hand_analysis(doc)
    old_doc = replace(doc, sha256="e" * 64, source_path=str(path.with_name("vendor_dpa_v1.pdf")))
    f = current.finding("data_deletion_on_request")
    old_ev = replace(f.evidence[0], text="delete Student Data within 7 days of the request")
    earlier = replace(current, document=old_doc, findings=tuple(
        replace(x, status=Status.WEAK, evidence=(old_ev,)) if x.requirement_id == f.requirement_id else x
        for x in current.findings))
    earlier_id = store.save_analysis(earlier)
    other_id = store.save_analysis(replace(earlier, document=replace(old_doc, sha256="f" * 64,
                                                                     source_path="/elsewhere/unrelated.pdf")))
    win = build_window(qtbot, store, core)
    open_and_wait(qtbot, win, path)
    assert win.act_compare.isEnabled()
    win.non_interactive = True
    dlg = win.compare_versions()
    qtbot.addWidget(dlg)
    assert dlg.earlier.currentData() == earlier_id  # proposed by name: vendor_dpa_v1 is vendor_dpa
    text = dlg.view.toPlainText()
    assert "Deletion on request" in text and "Status: weak → satisfied" in text
    html = diff_html(store, earlier_id, win.review_id)
    assert ">7</del>" in html and ">30</ins>" in html
    # chosen by hand
    dlg.earlier.setCurrentIndex(dlg.earlier.findData(other_id))
    assert "Deletion on request" in dlg.view.toPlainText()
    win.close()


def test_issue_17_smaller_points_filter_second_contract_local_time_refit(qtbot, window, contract, docx_contract):
    from contractreview.domain import Decision

    path, _doc = contract
    open_and_wait(qtbot, window, path)
    # the detail pane does not keep a finding the filter hides
    window.select_requirement("no_sale_of_student_data")  # satisfied
    window.status_filter.setCurrentIndex(window.status_filter.findData("flags"))
    shown = window.detail.finding
    assert shown is None or shown.status.is_flag
    assert shown is None or window.current_finding() == shown
    # decision times in local time, not UTC
    window.select_requirement("breach_notification")
    window.save_decision("breach_notification", Decision.ACCEPT, "")
    assert "UTC" not in window.detail.decided_by.text() and " at " in window.detail.decided_by.text()
    # fit width follows the pane's size until the reviewer zooms by hand
    view = window.doc_view
    z0 = view.pdf.zoom
    window.splitter.setSizes([300, 900, 300])
    qtbot.waitUntil(lambda: abs(view.pdf.zoom - z0) > 0.05, timeout=2000)
    view.zoom_in()
    z1 = view.pdf.zoom
    window.splitter.setSizes([500, 500, 400])
    qtbot.wait(100)
    assert view.pdf.zoom == z1
    # a second contract starts clean: no Find term, no search, no filter left from the first
    view.find_edit.setText("Provider")
    window.search.setText("deletion")
    dpath, _ddoc = docx_contract
    open_and_wait(qtbot, window, dpath)
    assert view.find_edit.text() == "" and window.search.text() == ""
    assert window.status_filter.currentIndex() == 0
    assert window.current_finding() is not None and window.current_finding().status.is_flag


def test_issue_17_review_controller_without_a_window(store, contract, tmp_path):
    """Store, open review, decisions and exports work with no widget at all."""
    import ast
    import inspect

    from contractreview.domain import Decision
    from contractreview.gui import controller as controller_module
    from contractreview.gui.controller import ReviewController

    tree = ast.parse(inspect.getsource(controller_module))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m.startswith("PySide6") for m in imported)
    path, doc = contract
    ctl = ReviewController(store, reviewer=lambda: "Ana")
    assert ctl.stored_review(str(path), "default") is None
    analysis = hand_analysis(doc)
    ctl.state.analysis = ctl.state.engine_analysis = analysis
    ctl.state.review_id = ctl.save(analysis, str(path))
    rd = ctl.set_decision("breach_notification", Decision.ACCEPT, "fine")
    assert rd.reviewer == "Ana" and ctl.decisions()["breach_notification"].note == "fine"
    summary, stored = ctl.stored_review(str(path), "default")
    assert summary.id == ctl.state.review_id and stored.document.sha256 == doc.sha256
    out = ctl.export_report("md", tmp_path / "r.md")
    assert "Breach notification to the school" in out.read_text(encoding="utf-8")
    assert ctl.export_portfolio(tmp_path / "p.csv").is_file()
    assert ctl.clear_decision("breach_notification") and ctl.decisions() == {}


def test_issue_17_print_gap_summary_to_a_pdf_printer(qtbot, window, contract, tmp_path):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtPrintSupport import QPrinter

    path, _doc = contract
    open_and_wait(qtbot, window, path)
    assert window.act_print.isEnabled()
    assert window.act_print.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    out = tmp_path / "printed.pdf"
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert window.print_summary(printer)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    from contractreview.ingest import load_document

    text = load_document(out).text
    assert "Breach notification to the school" in text


def test_issue_17_word_boxes_of_a_typewriter_pdf_become_one_outline_per_line():
    from contractreview.domain import BBox
    from contractreview.gui.document_view import merge_line_boxes

    words = [(3, BBox(72 + 40 * i, 100, 72 + 40 * i + 35, 112)) for i in range(8)]
    next_line = [(3, BBox(72 + 40 * i, 116, 72 + 40 * i + 35, 128)) for i in range(3)]
    merged = merge_line_boxes(words + next_line + [(4, BBox(72, 100, 100, 112))])
    assert merged == ((3, BBox(72, 100, 72 + 40 * 7 + 35, 112)), (3, BBox(72, 116, 72 + 40 * 2 + 35, 128)),
                      (4, BBox(72, 100, 100, 112)))


def test_issue_17_at_150pct_the_checklist_shows_eight_rows_under_folded_key_terms(qtbot, store, core, contract):
    """1366x768 at 150% (911x512 logical): the key-terms table folds to one line and the checklist drops
    the columns the detail pane repeats, so at least eight rows fit (two fitted before)."""
    from contractreview.gui.models import COL_CONFIDENCE, COL_SEVERITY, COL_STATUS

    path, _doc = contract
    win = build_window(qtbot, store, core)
    win.resize(911, 512)
    open_and_wait(qtbot, win, path)
    qtbot.wait(100)
    assert not win.review_header.is_expanded() and win.review_header.summary.isVisible()
    assert win.key_terms_dock.height() <= 3 * win.fontMetrics().height()
    assert "Breach notice" in win.review_header.summary.toolTip()
    header = win.tree.header()
    assert header.isSectionHidden(COL_SEVERITY) and header.isSectionHidden(COL_CONFIDENCE)
    assert not header.isSectionHidden(COL_STATUS) and header.sectionSize(COL_STATUS) <= 40
    vp = win.tree.viewport().rect()
    shown = [idx for idx in _all_rows(win) if vp.contains(win.tree.visualRect(idx))]
    assert len(shown) >= 8, len(shown)
    assert win._gui_settings.value("key_terms_expanded") is None  # the automatic default is not remembered
    # unfolding shows the table; the reviewer's choice is remembered for the next contract
    win.review_header.toggle.click()
    assert win.review_header.is_expanded() and win.key_terms.table.isVisible()
    assert str(win._gui_settings.value("key_terms_expanded")).lower() == "true"
    # a wide window keeps every column
    win.resize(1600, 1000)
    qtbot.waitUntil(lambda: not header.isSectionHidden(COL_SEVERITY), timeout=2000)
    assert not win.model.compact
    win.close()


def _all_rows(win):  # type: ignore[no-untyped-def]
    out = []
    for g in range(win.proxy.rowCount()):
        parent = win.proxy.index(g, 0)
        out.append(parent)
        out.extend(win.proxy.index(r, 0, parent) for r in range(win.proxy.rowCount(parent)))
    return out
