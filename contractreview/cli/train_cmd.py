"""``contractreview train``: rebuild the learned grader from labelled documents (seeded, deterministic)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ._common import add_label_options, progress_bar


def register(sub: Any) -> None:
    p = sub.add_parser(
        "train",
        help="rebuild the learned grader artifact from labelled documents",
        description="Train the stage-2 grader on labelled documents, calibrate its confidence "
        "leave-one-vendor-out, and write its JSON artifact (same labels, same bytes).",
    )
    add_label_options(p)
    p.add_argument(
        "--out",
        metavar="PATH",
        help="where to write the artifact (default: the grader.json shipped in the package)",
    )
    p.add_argument("--profile", default="default", help="profile to train for (default: %(default)s)")
    p.add_argument(
        "--extra-gold",
        action="append",
        metavar="DIR",
        help="also train on a folder written by 'labels export' (the district's own reviews; opt-in, repeatable)",
    )
    p.add_argument(
        "--decide",
        choices=("auto", "always", "never"),
        default="auto",
        help="whether the grader decides statuses: auto = only if its vendor-grouped CV beats the rules' "
        "accuracy and satisfied recall (default); always / never override that",
    )
    p.add_argument(
        "--gdpr-detector",
        action="store_true",
        help="instead of the grader, rebuild the learned GDPR presence detector from the DPA corpus's sentence "
        "labels: grouped cross-validation on the development DPAs with presence gold, the pre-registered "
        "selection and ship rules, then the artifact (DPAs Online 94 and above are never read)",
    )
    p.add_argument(
        "--csv",
        metavar="PATH",
        help="with --gdpr-detector: the corpus CSV (default: ../shared/corpus/gdpr_dpa/train_set.csv)",
    )
    p.add_argument(
        "--presence", metavar="DIR", help="with --gdpr-detector: presence gold (default: eval/gdpr_presence)"
    )
    p.add_argument(
        "--stage1",
        action="store_true",
        help="also train the stage-1 sentence classifier and give the grader its two features "
        "(writes stage1.npz beside the artifact; costs analysis time, see docs/model-card.md)",
    )
    p.set_defaults(func=run)


def run_gdpr_detector(args: Any) -> int:
    """``train --gdpr-detector``: CV, selection, and the artifact when the ship rule holds."""
    from ..engine.presence import ARTIFACT_PATH
    from ..errors import InputError
    from ..evaluation.gdpr_detector import format_report, train_artifact
    from .eval_gdpr_cmd import DEFAULT_CSV, DEFAULT_PRESENCE

    path = Path(args.csv) if args.csv else DEFAULT_CSV
    if not path.is_file():
        raise InputError("the GDPR DPA corpus was not found (pass --csv PATH).", path)
    presence = Path(args.presence) if args.presence else DEFAULT_PRESENCE
    out = Path(args.out) if args.out else ARTIFACT_PATH
    try:
        report, raw = train_artifact(
            path, presence, out, on_progress=lambda i, n, name: progress_bar(f"train {name}", i / max(n, 1))
        )
    except OSError as exc:
        raise InputError(f"cannot write the artifact ({exc.strerror or exc})", out) from exc
    progress_bar("train", 1.0)
    sys.stdout.write(format_report(report) + "\n")
    if raw is None:
        sys.stdout.write("the ship rule does not hold: no artifact written\n")
    else:
        import hashlib

        sys.stdout.write(f"wrote {out} ({len(raw):,} bytes, sha256 {hashlib.sha256(raw).hexdigest()})\n")
    return 0


def run(args: Any) -> int:
    if getattr(args, "gdpr_detector", False):
        return run_gdpr_detector(args)
    from ..engine.grader import ARTIFACT_PATH
    from ..engine.train import artifact_bytes, train_from_labels
    from ..errors import InputError
    from ..evaluation import load_gold_dir
    from ..library import load_library
    from .eval_cmd import DEFAULT_SHARED, default_label_dirs

    dirs = [Path(d) for d in args.labels] if args.labels else [d for d, _ in default_label_dirs()]
    if not dirs:
        raise InputError("no label folders found; pass --labels DIR", "labels")
    golds = [g for d in dirs for g in load_gold_dir(d)]
    docs = [Path(d) for d in args.docs] if args.docs else [DEFAULT_SHARED]
    for extra in args.extra_gold or ():
        # The district's reviews (issue #16): their documents are inside the folder (DIR/documents/...).
        golds += load_gold_dir(Path(extra))
        docs.append(Path(extra))
    library = load_library(args.profile)
    art, report, missing = train_from_labels(
        golds,
        docs,
        library=library,
        settings={"decide": args.decide, "stage1": args.stage1},
        on_document=lambda i, n, name: progress_bar(f"train {name}", i / max(n, 1)),
    )
    progress_bar("train", 1.0)
    out = Path(args.out) if args.out else ARTIFACT_PATH
    s1_bytes = report.pop("stage1_bytes", None)
    try:
        out.write_bytes(artifact_bytes(art))
        if s1_bytes is not None:  # the stage-1 sentence classifier the grader reads, beside it
            (out.parent / art["meta"]["stage1"]["file"]).write_bytes(s1_bytes)
    except OSError as exc:
        raise InputError(f"cannot write the artifact ({exc.strerror or exc})", out) from exc
    cvm = art["meta"]["cv_leave_one_vendor_out"]
    g, r = cvm["grader"], cvm["rules"]
    c, ci = cvm["confidence_at_threshold"], cvm["confidence_at_threshold_independent"]
    sys.stdout.write(
        f"trained on {art['meta']['pairs']} pairs of {len(art['meta']['documents'])} documents "
        f"({art['meta']['vendor_groups']} vendors); leave-one-vendor-out accuracy grader {g['accuracy']:.3f} "
        f"vs rules {r['accuracy']:.3f}; grader decides: {'yes' if art['decides'] else 'no (confidence only)'}\n"
        f"confidence >= {art['threshold']:.3f} (calibrated on {cvm['calibrated_on']} documents): accuracy "
        f"{c['accuracy']:.3f} on {c['coverage']:.1%} of all pairs, {ci['accuracy']:.3f} on {ci['coverage']:.1%} "
        f"of the independently labelled pairs\n"
        f"wrote {out}\n"
    )
    if missing:
        sys.stdout.write("documents not found: " + ", ".join(missing) + "\n")
    return 0
