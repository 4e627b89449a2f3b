"""Small helpers shared by command modules (no heavy imports)."""

from __future__ import annotations

import sys
from typing import TextIO


def progress_bar(label: str, fraction: float, stream: TextIO | None = None, width: int = 30) -> None:
    """Draw a one-line progress bar on stderr when it is a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return
    from ..textsafe import one_line

    label = one_line(label)
    filled = int(width * max(0.0, min(1.0, fraction)))
    stream.write(f"\r{label[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {fraction * 100:5.1f}%")
    if fraction >= 1.0:
        stream.write("\n")
    stream.flush()


def add_db_option(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument("--db", metavar="PATH", help="review database (default: the user data folder)")
