"""Issue #13: ``contractreview-gui FILE`` shows the analysis a forked child made while Qt started.

The window's first open of that file takes the child's analysis (equal to its own review); any other open
stops the child and reviews in this process; a launched app never imports spaCy before the first finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from contractreview.pipeline import review, start_review_in_child

from .conftest import open_and_wait
from .contracts import make_pdf

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the review child runs on Linux only")


def _window(qtbot, store, **services):  # type: ignore[no-untyped-def]
    from contractreview.gui.app import create_window
    from contractreview.settings import Settings

    win = create_window(store, Settings(reviewer_name="Ana Reviewer"), save_settings=lambda s: None, **services)
    qtbot.addWidget(win)
    win.show()
    return win


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_first_open_shows_the_childs_analysis(qtbot, store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    path = tmp_path / "vendor_dpa.pdf"
    make_pdf(path, pages=3)
    first = start_review_in_child(path)
    assert first is not None

    def not_here(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("the window reviewed the file itself")

    win = _window(qtbot, store, review=not_here, first_review=first)
    shown = open_and_wait(qtbot, win, path, timeout=60000)
    expected = review(path)
    assert shown.findings == expected.findings and shown.clauses == expected.clauses
    assert shown.document == expected.document
    assert win.review_id is not None  # saved like any review
    assert win.services.first_review is None
    assert _reaped(first._pending._pid)
    win.close()


def test_another_file_stops_the_child_and_is_reviewed_here(qtbot, store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    given, opened = tmp_path / "given.pdf", tmp_path / "opened.pdf"
    make_pdf(given, pages=2)
    make_pdf(opened, pages=2)
    first = start_review_in_child(given)
    assert first is not None
    calls: list[str] = []

    def here(path, **kw):  # type: ignore[no-untyped-def]
        from contractreview.pipeline import iter_review

        calls.append(str(path))
        return iter_review(path, **kw)

    win = _window(qtbot, store, review=here, first_review=first)
    shown = open_and_wait(qtbot, win, opened, timeout=60000)
    assert calls == [str(opened)]
    assert shown.document.source_path == str(opened)
    assert _reaped(first._pending._pid)
    win.close()


_LAUNCH = """
import json, sys
from contractreview.gui.app import launch, parse_args
launched = launch(parse_args([sys.argv[1], "--db", sys.argv[2]]))
window, app = launched.window, launched.app
from PySide6.QtCore import QEventLoop, QTimer
out = {}
first = QEventLoop()  # app.quit() would close the window (Qt 6)
def shown(analysis):
    out["spacy_imported_before_first_finding"] = "spacy" in sys.modules
    out["findings"] = [[f.requirement_id, f.status.value, [e.start for e in f.evidence]] for f in analysis.findings]
    first.quit()
window.analysisShown.connect(shown)
window.openFailed.connect(lambda e: (out.setdefault("failed", repr(e)), first.quit()))
QTimer.singleShot(120000, first.quit)
first.exec()
loop = QEventLoop()  # the warm-up starts once the first finding is shown
QTimer.singleShot(60000, loop.quit)
timer = QTimer(); timer.timeout.connect(lambda: "warm_up_frozen_objects" in window.timings and loop.quit())
timer.start(50)
loop.exec()
out["warmed_up_after"] = "warm_up_frozen_objects" in window.timings
from contractreview.pipeline import review
expected = review(sys.argv[1])
out["same_as_here"] = out.get("findings") == [
    [f.requirement_id, f.status.value, [e.start for e in f.evidence]] for f in expected.findings]
window.close()
launched.close()
print(json.dumps(out))
"""


def test_launching_with_a_file_shows_the_first_finding_without_loading_spacy_here(tmp_path: Path) -> None:
    path = tmp_path / "vendor_dpa.pdf"
    make_pdf(path, pages=3)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CONTRACTREVIEW_FORK": "always"}
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, str(path), str(tmp_path / "r.db")], capture_output=True,
                          text=True, timeout=180, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "failed" not in out
    assert out["spacy_imported_before_first_finding"] is False  # the child did the review
    assert out["same_as_here"] is True
    assert out["warmed_up_after"] is True  # a re-analysis later does not start cold

    env["CONTRACTREVIEW_FORK"] = "never"  # no child: the window reviews the file itself, as before
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, str(path), str(tmp_path / "r2.db")], capture_output=True,
                          text=True, timeout=180, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["spacy_imported_before_first_finding"] is True and out["same_as_here"] is True
