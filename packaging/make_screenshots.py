"""Regenerate the laptop screenshots in docs/screenshots (issue #17).

    .venv/bin/python packaging/make_screenshots.py [OUTDIR]

Renders the bundled sample PDF offscreen, first flag selected, on a 1366x768 screen at 100% and at 150%
(``QT_SCALE_FACTOR=1.5``: the window is 911x512 logical pixels, the PNG 1366x768), each in a fresh
process with its own settings folder and review database, so nothing of the user's leaks in.
Look at the images after regenerating them: no requirement title, detail line or button may be cut.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOTS = (
    ("laptop_1366x768.png", "1366x768", "1"),
    ("laptop_1366x768_150pct.png", "1366x768", "1.5"),
)


def main(argv: list[str]) -> int:
    from contractreview.paths import sample_contract

    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    sample = sample_contract("pdf")
    failed = 0
    for name, screen, scale in SHOTS:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale,
                       CONTRACTREVIEW_CONFIG_DIR=str(Path(tmp) / "config"))
            cmd = [sys.executable, "-m", "contractreview.gui.app", str(sample), "--offscreen-screenshot",
                   str(out / name), "--screen", screen, "--db", str(Path(tmp) / "reviews.sqlite3")]
            code = subprocess.run(cmd, env=env, timeout=300).returncode
        print(f"{out / name}: {'written' if code == 0 else f'FAILED ({code})'}")
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
