"""``contractreview eval``: score the engine on labelled documents next to baselines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ._common import add_label_options, progress_bar

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared" / "corpus"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help="score the engine on labelled documents (with baselines)",
        description="Score satisfied/weak/missing decisions and key terms against gold labels.",
    )
    add_label_options(p, gold_alias=True)
    p.add_argument(
        "--frozen",
        action="store_true",
        help="score the frozen held-out split (eval/frozen) instead, as a whole only: once per release",
    )
    p.add_argument(
        "--profile",
        default=None,
        help="profile to score (default: the one the label files record, as 'labels export' writes it, else default)",
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument(
        "--cv",
        action="store_true",
        help="vendor-grouped cross-validation of the learned grader over every labelled document, "
        "next to the rules engine and the baselines (instead of the dev / held-out report)",
    )
    p.set_defaults(func=run)


def default_label_dirs() -> list[tuple[Path, str]]:
    out = []
    if (DEFAULT_SHARED / "labels").is_dir():
        out.append((DEFAULT_SHARED / "labels", "dev"))
    if (REPO / "eval" / "labels").is_dir():
        out.append((REPO / "eval" / "labels", "heldout"))
    return out


def run(args: Any) -> int:
    from ..errors import InputError
    from ..evaluation import evaluate, format_report, load_gold_dir
    from ..evaluation.labels import profile_for

    if args.frozen:
        dirs = [(REPO / "eval" / "frozen", "frozen")]
    elif args.labels:
        dirs = [
            (Path(d), "heldout" if Path(d).resolve() == (REPO / "eval" / "labels").resolve() else "dev")
            for d in args.labels
        ]
    else:
        dirs = default_label_dirs()
        if not (DEFAULT_SHARED / "labels").is_dir():  # e.g. run from a copy of the repository elsewhere
            sys.stderr.write(
                f"contractreview eval: note: no shared corpus at {DEFAULT_SHARED}: its 11 development labels are "
                "left out; pass --labels and --docs to score them\n"
            )
    if not dirs:
        raise InputError("no label folders found; pass --labels DIR", "labels")
    golds = [g for d, split in dirs for g in load_gold_dir(d, split=split)]
    args.profile = profile_for(golds, args.profile)
    # Label folders written by 'labels export' hold their documents (DIR/documents/...): look there too.
    docs = [Path(d) for d in args.docs] if args.docs else [*(d for d, _ in dirs if args.labels), DEFAULT_SHARED]
    if args.cv:
        if args.frozen:
            raise InputError("the frozen split is scored as a whole only, never cross-validated", "frozen")
        return run_cv(golds, docs, args)
    report = evaluate(
        golds,
        docs,
        profile=args.profile,
        on_document=lambda i, n, name: progress_bar(f"eval {name}", i / max(n, 1)),
    )
    progress_bar("eval", 1.0)
    _require_documents(len(golds), report.get("missing_documents") or [], docs)
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return 0


def _require_documents(n_golds: int, missing: list[str], docs: list[Path]) -> None:
    """A report over none of the labelled documents is no result: say where they were looked for."""
    from ..errors import InputError

    if n_golds and len(missing) >= n_golds:
        where = ", ".join(str(d) for d in docs)
        raise InputError(
            f"none of the {n_golds} labelled documents was found (looked in {where}); pass --docs with the "
            "folder their paths are relative to (the shared corpus)",
            "docs",
        )


def run_cv(golds: list[Any], docs: list[Path], args: Any) -> int:
    from ..errors import InputError
    from ..evaluation.cv import collect, cross_validate, format_cv_report
    from ..library import load_library

    library = load_library(args.profile)
    rows, missing = collect(
        golds, docs, library=library, on_document=lambda i, n, name: progress_bar(f"cv {name}", i / max(n, 1))
    )
    progress_bar("cv", 1.0)
    _require_documents(len(golds), missing, docs)
    if len({r.vendor for r in rows}) < 2:
        raise InputError("cross-validation needs labelled documents of at least two vendors", "labels")
    report = cross_validate(rows, [r.id for r in library.requirements_for()])
    report["missing_documents"] = missing
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    else:
        text = format_cv_report(report)
        if missing:
            text += "\n\ndocuments not found: " + ", ".join(missing)
        sys.stdout.write(text + "\n")
    return 0
