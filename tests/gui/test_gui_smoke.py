from __future__ import annotations

from .conftest import SCREENSHOTS, open_and_wait


def test_main_window_opens_pdf_and_shows_findings(qtbot, window, contract):
    path, _doc = contract
    analysis = open_and_wait(qtbot, window, path)
    qtbot.wait(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SCREENSHOTS / "_dev_main.png"))
    assert window.analysis is analysis
