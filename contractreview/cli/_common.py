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


def add_label_options(parser, *, gold_alias: bool = False) -> None:  # type: ignore[no-untyped-def]
    """``--labels DIR`` and ``--docs DIR`` (repeatable), shared by ``eval`` and ``train``."""
    names = ("--labels", "--gold") if gold_alias else ("--labels",)
    parser.add_argument(
        *names,
        dest="labels",
        action="append",
        metavar="DIR",
        help="folder of gold label JSON files (repeatable; default: ../shared/corpus/labels and eval/labels)",
    )
    parser.add_argument(
        "--docs",
        action="append",
        metavar="DIR",
        help="folder the labels' document paths are relative to (default: ../shared/corpus)",
    )
