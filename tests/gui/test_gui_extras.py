"""Exports, settings, About, drag-and-drop and accessibility of the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from contractreview.domain import Decision

from .conftest import open_and_wait


def test_extras_export_report_writes_chosen_format(qtbot, window, contract, tmp_path, monkeypatch):
    pytest.importorskip("contractreview.export")
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    window.select_requirement("breach_notification")
    window.detail.decision.setCurrentIndex(window.detail.decision.findData(Decision.NEEDS_NEGOTIATION.value))
    dest = tmp_path / "out" / "report.md"
    dest.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(dest), "Markdown (*.md)")))
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: errors.append(a[2])))
    out = window.export_report()
    assert not errors
    assert out == dest and dest.is_file()
    text = dest.read_text(encoding="utf-8")
    assert "Breach notification to the school" in text
    assert "Needs negotiation" in text  # the decision made in the GUI reached the report
    assert window.saved_settings[-1].last_export_dir == str(dest.parent)


def test_extras_export_annotated_pdf_leaves_source_untouched(qtbot, window, contract, tmp_path, monkeypatch):
    pytest.importorskip("contractreview.export")
    path, _doc = contract
    before = Path(path).read_bytes()
    open_and_wait(qtbot, window, path)
    dest = tmp_path / "annotated.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(dest), "")))
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: errors.append(a[2])))
    assert window.export_annotated() == dest, errors
    assert dest.read_bytes()[:5] == b"%PDF-"
    assert Path(path).read_bytes() == before


def test_extras_settings_dialog_rejects_bad_library_folder(qtbot, tmp_path):
    from contractreview.gui.settings_dialog import SettingsDialog
    from contractreview.settings import Settings

    dlg = SettingsDialog(Settings(reviewer_name="A"), 10, None)
    qtbot.addWidget(dlg)
    bad = tmp_path / "lib"
    (bad / "requirements").mkdir(parents=True)
    (bad / "requirements" / "x.toml").write_text("this is = = not toml", encoding="utf-8")
    dlg.library.setText(str(bad))
    dlg.reviewer.setText("  B. Reviewer ")
    dlg.accept()
    assert dlg.result() != SettingsDialog.DialogCode.Accepted
    assert "problems" in dlg.problems.text()
    dlg.library.setText("")
    dlg.accept()
    assert dlg.result() == SettingsDialog.DialogCode.Accepted
    assert dlg.result_settings().reviewer_name == "B. Reviewer"


def test_extras_about_box_names_app_and_library_versions(qtbot, window, monkeypatch):
    from contractreview import __version__

    shown = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: shown.append(text)))
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert shown and __version__ in shown[0] and "clause library" in shown[0]


def test_extras_drop_a_file_opens_it(qtbot, window, contract):
    path, _doc = contract
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.analysisShown, timeout=10000) as sig:
        window.dropEvent(event)
    assert sig.args[0].document.source_path == str(path)


def test_extras_every_control_has_an_accessible_name_or_text(qtbot, window, contract):
    path, _doc = contract
    open_and_wait(qtbot, window, path)
    missing = []
    for cls in (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit):
        for w in window.findChildren(cls):
            if not w.isVisibleTo(window) or isinstance(w.parent(), QAbstractSpinBox):
                continue  # a spin box's inner editor is named through the spin box
            label = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
            if not label.strip():
                missing.append(f"{type(w).__name__} {w.objectName()}")
    assert missing == []


def test_extras_menus_show_shortcuts_for_core_actions(window):
    for act in (window.act_open, window.act_next_flag, window.act_prev_flag, window.act_export_report):
        assert not act.shortcut().isEmpty(), act.text()


def test_extras_text_size_is_applied_and_remembered(qtbot, store, core):
    from .conftest import build_window

    win = build_window(qtbot, store, core)
    base = win.font().pointSizeF()
    win.change_font_size(+2)
    assert win.font().pointSizeF() == base + 2
    win.close()
    win2 = build_window(qtbot, store, core)
    assert win2.font().pointSizeF() == base + 2
    win2.set_font_size(base)  # leave the shared QApplication font as it was
    win2.close()
