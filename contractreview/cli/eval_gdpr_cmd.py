"""``contractreview eval-gdpr``: missing-requirement detection on the GDPR Art. 28 DPA corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ._common import progress_bar

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CSV = REPO.parent / "shared" / "corpus" / "gdpr_dpa" / "train_set.csv"
DEFAULT_PRESENCE = REPO / "eval" / "gdpr_presence"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval-gdpr",
        help="score missing-requirement detection of the gdpr profile on the DPA corpus",
        description="Rebuild each data processing agreement from its labelled sentences, analyse it with the "
        "gdpr profile and score the 'missing' flags against the labels, next to keyword and trivial baselines.",
    )
    p.add_argument(
        "--csv", metavar="PATH", help="the corpus CSV (default: ../shared/corpus/gdpr_dpa/train_set.csv)"
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N agreements (by id)")
    p.add_argument(
        "--presence",
        metavar="DIR",
        help="presence-level gold labels (default: eval/gdpr_presence when it exists)",
    )
    p.add_argument(
        "--presence-only",
        action="store_true",
        help="analyse only the agreements that have presence labels (the others are never read by the engine)",
    )
    p.add_argument(
        "--detector-cv",
        action="store_true",
        help="score the learned presence detector by grouped cross-validation on the development DPAs with "
        "presence gold, next to the rules and the keyword baseline (never reads DPAs Online 94 and above; "
        "a few minutes)",
    )
    p.set_defaults(func=run)


def run(args: Any) -> int:
    from ..errors import InputError
    from ..evaluation.gdpr import evaluate_gdpr, format_gdpr_report, gdpr_report_dict

    path = Path(args.csv) if args.csv else DEFAULT_CSV
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1.", path)
    if not path.is_file():
        raise InputError("the GDPR DPA corpus was not found (pass --csv PATH).", path)
    presence = (
        Path(args.presence) if args.presence else (DEFAULT_PRESENCE if DEFAULT_PRESENCE.is_dir() else None)
    )
    if args.detector_cv:
        from ..evaluation.gdpr_detector import format_report, run_cv

        if presence is None:
            raise InputError("--detector-cv needs presence labels (pass --presence DIR).", DEFAULT_PRESENCE)
        _, cv_report = run_cv(
            path, presence, on_progress=lambda i, n, name: progress_bar(f"eval-gdpr {name}", i / max(n, 1))
        )
        progress_bar("eval-gdpr", 1.0)
        if args.json:
            sys.stdout.write(
                json.dumps({**cv_report.summary(), "grid": cv_report.cv["grid"]}, indent=2) + "\n"
            )
        else:
            sys.stdout.write(format_report(cv_report) + "\n")
        return 0
    if args.presence_only and presence is None:
        raise InputError("--presence-only needs presence labels (pass --presence DIR).", DEFAULT_PRESENCE)
    report = evaluate_gdpr(
        path,
        limit=args.limit,
        presence_dir=presence,
        presence_only=args.presence_only,
        on_document=lambda i, n, name: progress_bar(f"eval-gdpr {name}", i / max(n, 1)),
    )
    progress_bar("eval-gdpr", 1.0)
    if args.json:
        sys.stdout.write(json.dumps(gdpr_report_dict(report), indent=2) + "\n")
    else:
        sys.stdout.write(format_gdpr_report(report) + "\n")
    return 0
