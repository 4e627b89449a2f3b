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
    ("laptop_1366x768.png", "1366x768", "1", False),
    ("laptop_1366x768_150pct.png", "1366x768", "1.5", False),
    # with a reviewer's comment and status override (issue #16)
    ("annotations_1366x768.png", "1366x768", "1", True),
    ("annotations_1366x768_150pct.png", "1366x768", "1.5", True),
)


def seed_notes(db: Path) -> None:
    """A comment linked to a requirement and an override with evidence on the sample's stored review."""
    from contractreview.domain import TextAnchor
    from contractreview.store import open_store

    with open_store(db) as store:
        (summary,) = store.recent_documents(1)
        analysis = store.get_analysis(summary.id)
        text, sha = analysis.document.text, analysis.document.sha256
        # the flag the window selects on opening (checklist order: categories as first met), so the
        # detail pane shows the override: the reviewer finds it worse than the engine did
        checked = [f for f in analysis.findings if not f.not_checked]
        order = {c: i for i, c in reversed(list(enumerate(f.category for f in checked)))}
        flagged = min((f for f in checked if f.status.is_flag and f.evidence), key=lambda f: (order[f.category], checked.index(f)))
        ev = flagged.evidence[0]
        anchor = TextAnchor.of(text, ev.start, ev.end)
        store.add_annotation(sha, anchor, "Ask the vendor to name the exceptions; counsel to check before signing.",
                             requirement_id=flagged.requirement_id, author="J. Rivera")
        store.set_override(sha, flagged.requirement_id, "missing" if flagged.status.value == "weak" else "weak",
                           "the exceptions swallow the rule", evidence=anchor, author="J. Rivera")


def main(argv: list[str]) -> int:
    from contractreview.paths import sample_contract

    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    sample = sample_contract("pdf")
    failed = 0
    for name, screen, scale, notes in SHOTS:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=scale,
                       CONTRACTREVIEW_CONFIG_DIR=str(Path(tmp) / "config"))
            db = Path(tmp) / "reviews.sqlite3"
            cmd = [sys.executable, "-m", "contractreview.gui.app", str(sample), "--offscreen-screenshot",
                   str(out / name), "--screen", screen, "--db", str(db)]
            code = subprocess.run(cmd, env=env, timeout=300).returncode
            if notes and code == 0:  # reopen the stored review with a comment and an override on it
                seed_notes(db)
                code = subprocess.run(cmd, env=env, timeout=300).returncode
        print(f"{out / name}: {'written' if code == 0 else f'FAILED ({code})'}")
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
