"""``contractreview gui [FILE]`` and ``contractreview demo``: start the desktop app (Qt imported lazily)."""

from __future__ import annotations

import os
import sys
from typing import Any

from ._common import add_db_option

NO_DISPLAY_MESSAGE = "No display found — showing the analysis in the terminal"


def register(sub: Any) -> None:
    p = sub.add_parser("gui", help="open the desktop review workspace",
                       description="Open the desktop review workspace, optionally on a contract file.")
    p.add_argument("file", nargs="?", metavar="FILE", help="contract to open (PDF, DOCX, TXT, MD)")
    p.add_argument("--profile", help="requirement profile to review against")
    add_db_option(p)
    p.set_defaults(func=run_gui)

    d = sub.add_parser("demo", help="open the bundled sample contract (in the terminal when there is no display)",
                       description="Open the bundled sample contract in the desktop app; without a display, "
                                   "print its analysis in the terminal instead.")
    d.add_argument("--profile", default="default", help="requirement profile (default: %(default)s)")
    add_db_option(d)
    d.set_defaults(func=run_demo)


def has_display(environ: Any = None, platform: str | None = None) -> bool:
    """True when a window can be shown: always on Windows/macOS, with DISPLAY/WAYLAND_DISPLAY elsewhere."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    if env.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if plat.startswith(("win", "darwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _gui_argv(file: str | None, args: Any) -> list[str]:
    argv = [file] if file else []
    if getattr(args, "profile", None):
        argv += ["--profile", args.profile]
    if getattr(args, "db", None):
        argv += ["--db", args.db]
    return argv


def run_gui(args: Any) -> int:
    # gui.app.main checks first that Qt can start (gui/preflight.py) and says why in one line when not.
    from ..gui.app import main

    return main(_gui_argv(args.file, args))


def render_terminal(analysis: Any) -> str:
    """The analyze command's text rendering."""
    from .analyze_cmd import render_text

    return render_text(analysis)


def run_demo(args: Any) -> int:
    from ..errors import FileAccessError
    from ..paths import sample_contract
    from ..settings import demo_db_path

    if not getattr(args, "db", None):
        # The sample's review goes to a demo database, so a first run never adds to the user's own reviews.
        args.db = str(demo_db_path())

    sample = sample_contract("pdf")
    if not sample.is_file():
        raise FileAccessError("the bundled sample contract is not installed.", sample)
    if has_display():
        from ..gui.preflight import check

        problem = check()
        if not problem:
            from ..gui.app import main

            return main(_gui_argv(str(sample), args))
        print(f"The desktop app cannot start: {problem}", file=sys.stderr)
    print(NO_DISPLAY_MESSAGE)
    from ..pipeline import review
    from ..store import open_store

    analysis = review(sample, profile=args.profile)
    print(render_terminal(analysis))
    with open_store(args.db) as store:  # the same embedded SQLite store the desktop app uses
        review_id = store.save_analysis(analysis, source_path=str(sample))
        where = store.path
    print(f"Saved as review {review_id} in the demo database {where} (your own reviews are kept elsewhere).")
    print(
        f"Next: `contractreview reviews show {review_id} --db {where}`, "
        f"`contractreview export {review_id} --db {where} --format pdf -o gaps.pdf`, "
        "or `contractreview analyze YOUR_CONTRACT.pdf`."
    )
    return 0
