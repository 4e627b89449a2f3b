"""Fixtures for the GUI tests: a real store file, generated contracts, a window over them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest.importorskip("PySide6")

from .contracts import HandCore, make_docx, make_pdf  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own settings folder, so gui.ini (splitter, text size) does not leak between tests."""
    monkeypatch.setenv("CONTRACTREVIEW_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


@pytest.fixture()
def store(store_path: Path):  # type: ignore[no-untyped-def]
    from contractreview.store import open_store

    s = open_store(store_path)
    yield s
    s.close()


@pytest.fixture()
def contract(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "vendor_dpa.pdf"
    return path, make_pdf(path, pages=3)


@pytest.fixture()
def docx_contract(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "vendor_terms.docx"
    return path, make_docx(path)


@pytest.fixture()
def core(contract, docx_contract) -> HandCore:  # type: ignore[no-untyped-def]
    return HandCore({str(contract[0]): contract[1], str(docx_contract[0]): docx_contract[1]})


def build_window(qtbot, store, core, settings=None, profiles=("default", "ny")):  # type: ignore[no-untyped-def]
    from contractreview.gui.app import create_window
    from contractreview.settings import Settings

    saved = []
    win = create_window(
        store,
        settings or Settings(reviewer_name="Test Reviewer"),
        review=core.review,
        analyze=core.analyze,
        list_profiles=lambda _d: list(profiles),
        save_settings=saved.append,
    )
    win.saved_settings = saved
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture()
def window(qtbot, store, core):  # type: ignore[no-untyped-def]
    win = build_window(qtbot, store, core)
    yield win
    if win.job is not None:
        win.job.cancel()
        win.job.wait(5000)


def open_and_wait(qtbot, win, path, timeout=20000):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.analysisShown, timeout=timeout) as blocker:
        win.open_file(path)
    return blocker.args[0]
