"""`contractreview-gui --offscreen-screenshot`: the non-interactive mode packaging smoke tests rely on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contractreview.paths import sample_contract

REPO = Path(__file__).resolve().parents[2]
_RUN = "import sys; from contractreview.gui.app import main; sys.exit(main(sys.argv[1:]))"


def _gui(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUN, *args, "--db", str(tmp_path / "r.db")],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_screenshot_of_the_sample(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    proc = _gui(tmp_path, "--offscreen-screenshot", str(png), str(sample_contract("pdf")))
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The picture shows the contract: owner-only, like every export (#19; it was written 0644).
    assert png.stat().st_mode & 0o777 == 0o600


def test_a_broken_file_fails_fast_with_the_reason_instead_of_a_modal_dialog(tmp_path: Path) -> None:
    broken = tmp_path / "vendor_terms.pdf"
    broken.write_bytes(b"%PDF-1.7\n% truncated by the test\n")
    proc = _gui(tmp_path, "--offscreen-screenshot", str(tmp_path / "shot.png"), str(broken))
    assert proc.returncode == 1
    assert "vendor_terms.pdf" in proc.stderr
