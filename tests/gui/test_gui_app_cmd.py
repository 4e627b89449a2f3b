"""``contractreview gui`` / ``contractreview demo`` and the ``contractreview-gui`` entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contractreview.cli.app_cmd import NO_DISPLAY_MESSAGE, has_display
from contractreview.gui.app import parse_args


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({}, "win32", True),
        ({}, "darwin", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "darwin", False),
    ],
)
def test_app_cmd_has_display(env, platform, expected):
    assert has_display(env, platform) is expected


def test_app_cmd_demo_without_display_prints_analysis_and_stores_it(capsys, monkeypatch, tmp_path):
    from contractreview.cli import main
    from contractreview.store import open_store

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == NO_DISPLAY_MESSAGE
    assert "sample_dpa.pdf" in out and "missing" in out.lower()
    with open_store(db) as store:
        (review,) = store.list_reviews()
        assert review.name == "sample_dpa.pdf"
        assert f"Saved as review {review.id}" in out


def test_app_gui_args_parsed_without_argparse():
    a = parse_args(["c.pdf", "--db", "x.sqlite3", "--profile=ny", "--offscreen-screenshot", "o.png"])
    assert (a.file, a.db, a.profile, a.screenshot) == ("c.pdf", "x.sqlite3", "ny", "o.png")
    with pytest.raises(SystemExit):
        parse_args(["--bogus"])
    with pytest.raises(SystemExit):
        parse_args(["a.pdf", "b.pdf"])


def test_app_offscreen_screenshot_entry_point(tmp_path):
    """The packaged entry point renders a window on a contract without a display and exits 0."""
    pytest.importorskip("contractreview.engine.run")
    from .contracts import make_pdf

    contract = tmp_path / "c.pdf"
    make_pdf(contract, pages=1)
    png = tmp_path / "shot.png"
    env = {"CONTRACTREVIEW_DATA_DIR": str(tmp_path / "data"), "CONTRACTREVIEW_CONFIG_DIR": str(tmp_path / "cfg"),
           "PATH": "", "HOME": str(tmp_path)}
    code = "import sys; from contractreview.gui.app import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, str(contract), "--offscreen-screenshot", str(png)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert img.width() >= 1000 and img.height() >= 600
    # the review was stored in the isolated data folder
    from contractreview.store import open_store

    with open_store(tmp_path / "data" / "reviews.sqlite3") as store:
        assert [r.name for r in store.list_reviews()] == ["c.pdf"]


def test_app_cli_help_does_not_import_qt():
    code = "import sys; from contractreview.cli import main; main(['gui', '--help'])\n"
    code2 = "import sys, contractreview.cli.app_cmd; print('PySide6' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "FILE" in proc.stdout
