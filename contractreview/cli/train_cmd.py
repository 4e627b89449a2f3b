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
    p.set_defaults(func=run)


def run(args: Any) -> int:
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
        settings={"decide": args.decide},
        on_document=lambda i, n, name: progress_bar(f"train {name}", i / max(n, 1)),
    )
    progress_bar("train", 1.0)
    out = Path(args.out) if args.out else ARTIFACT_PATH
    try:
        out.write_bytes(artifact_bytes(art))
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
