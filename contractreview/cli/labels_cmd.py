"""``contractreview labels export``: a district's reviews as gold labels for ``eval --gold`` (issue #16).

Thin: parse, call :func:`contractreview.evaluation.district.export_labels`, render.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..textsafe import one_line
from ._common import add_db_option


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "labels",
        help="turn the district's reviews into evaluation labels",
        description="Work with gold labels made from the reviews in the review database.",
    )
    ls = p.add_subparsers(dest="labels_command", metavar="ACTION")
    q = ls.add_parser(
        "export",
        help="write reviewed documents in the evaluation gold format (for 'eval --gold DIR')",
        description=(
            "Write one label file per reviewed document into DIR, with a private copy of the contract under "
            "DIR/documents. A requirement is labelled with the reviewer's status override, or with the engine's "
            "status where the reviewer accepted the finding; requirements nobody ruled on are left out. "
            "Evidence is the reviewer's passages (offsets and quotes); key terms are the reviewer's corrections. "
            "Nothing leaves the machine. Then: 'contractreview eval --gold DIR'."
        ),
    )
    q.add_argument("dir", metavar="DIR", help="folder to write (created owner-only)")
    q.add_argument(
        "--reviews",
        default=None,
        metavar="IDS",
        help="review ids, comma-separated (default: the latest review of every reviewed document)",
    )
    add_db_option(q)
    q.set_defaults(func=cmd_export)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def cmd_export(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..evaluation.district import export_labels
    from .reviews_cmd import _open

    ids = None
    if args.reviews:
        try:
            ids = [int(x) for x in args.reviews.replace(" ", "").split(",") if x]
        except ValueError as exc:
            raise InputError("--reviews takes review ids separated by commas (e.g. 3,7,12)", args.reviews) from exc
    with _open(args) as store:
        result = export_labels(store, Path(args.dir), ids)
    for line in result.skipped:
        print(f"note: {one_line(line)}", file=sys.stderr)
    print(f"Wrote {len(result.written)} label file(s) with {result.labels} reviewed requirement(s) to "
          f"{one_line(args.dir)}")
    if result.written:
        print(f"Measure the engine on them: contractreview eval --gold {one_line(args.dir)}")
    return 0
