"""Screenshots for the README and docs (docs/screenshots/*.png), taken from real flows on the sample.

Each test also checks pixels, not whole images: the status text is rendered and the selected evidence
is on screen. The PNGs go to a temporary folder; regenerate the committed ones with
``CONTRACTREVIEW_UPDATE_SCREENSHOTS=1 pytest tests/gui/test_gui_screenshots.py``.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from contractreview.domain import Decision, Status
from contractreview.paths import sample_contract
from contractreview.settings import Settings

from .conftest import SCREENSHOTS, open_and_wait

pytest.importorskip("contractreview.engine.run")


@pytest.fixture()
def shots(tmp_path):
    if os.environ.get("CONTRACTREVIEW_UPDATE_SCREENSHOTS") != "1":
        return tmp_path  # a test run must not rewrite the documentation's images
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _window(qtbot, store):  # type: ignore[no-untyped-def]
    from contractreview.gui.app import create_window

    win = create_window(store, Settings(reviewer_name="J. Rivera"), save_settings=lambda s: None)
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    qtbot.waitExposed(win)
    return win


def _flagged_with_evidence(analysis):  # type: ignore[no-untyped-def]
    flagged = [f for f in analysis.findings if f.status.is_flag and f.evidence]
    breach = [f for f in flagged if "breach" in f.requirement_id and f.params]
    return (breach or flagged)[0]


def _settle(qtbot, win) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not win.doc_view.pdf.is_flashing() and not win.doc_view.text.is_flashing(), timeout=5000)
    qtbot.wait(80)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_screenshot_main_view_with_flag_selected(qtbot, store, shots, fmt):
    path = sample_contract(fmt)
    if not path.is_file():
        pytest.skip(f"sample {fmt} not built")
    win = _window(qtbot, store)
    analysis = open_and_wait(qtbot, win, path, timeout=60000)
    finding = _flagged_with_evidence(analysis)
    win.select_requirement(finding.requirement_id)
    win.detail.decision.setCurrentIndex(win.detail.decision.findData(Decision.NEEDS_NEGOTIATION.value))
    _settle(qtbot, win)
    if fmt == "pdf":
        view = win.doc_view.pdf
        area = view.mapToScene(view.viewport().rect()).boundingRect()
        assert any(area.intersects(it.rect()) for it in view.highlight_items(finding.requirement_id))
    else:
        assert win.doc_view.text.extraSelections()
    assert win.detail.saved_label.text() == "✓ Saved"
    assert win.grab().save(str(shots / f"main_{fmt}.png"))
    if fmt == "pdf":
        assert win.detail.widget().grab().save(str(shots / "detail_pane.png"))  # the whole pane, unscrolled
    win.close()


def test_screenshot_welcome_with_recent_reviews(qtbot, store, shots):
    win = _window(qtbot, store)
    for fmt in ("pdf", "docx"):
        if sample_contract(fmt).is_file():
            open_and_wait(qtbot, win, sample_contract(fmt), timeout=60000)
    win.close_contract()
    assert win.stack.currentWidget() is win.welcome
    assert win.welcome.recent.count() >= 1 and "sample_dpa" in win.welcome.recent.item(0).text()
    assert win.grab().save(str(shots / "welcome.png"))
    win.close()


def test_screenshot_error_dialog(qtbot, store, shots, tmp_path, monkeypatch):
    bad = tmp_path / "vendor_terms.pdf"
    bad.write_bytes(b"%PDF-1.4\n% truncated by an email gateway\n1 0 obj <<")
    win = _window(qtbot, store)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: shown.append((title, text))))
    with qtbot.waitSignal(win.openFailed, timeout=30000):
        win.open_file(bad)
    title, text = shown[0]
    assert "vendor_terms.pdf" in text
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, win)
    box.show()
    qtbot.waitExposed(box)
    assert box.grab().save(str(shots / "error_dialog.png"))
    box.close()
    win.close()


def test_screenshot_counts_match_statuses(qtbot, store):
    """The checklist header states each status in words (never colour alone)."""
    path = sample_contract("pdf")
    win = _window(qtbot, store)
    analysis = open_and_wait(qtbot, win, path, timeout=60000)
    text = win.counts_label.text()
    for status, word in ((Status.MISSING, "Missing"), (Status.WEAK, "Weak"), (Status.SATISFIED, "Satisfied")):
        n = analysis.counts()[status]
        if n or status is Status.MISSING:
            assert f"{n} " in text and word in text
    win.close()
