#!/usr/bin/env python3
"""Agreement of two annotators who labelled the same documents: raw, Cohen's kappa, per class, confusion.

    python eval/agreement.py FOLDER_A FOLDER_B [--json]

Each folder holds label JSON files (gold format); documents are matched by their "doc" name.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from contractreview.evaluation.agreement import agreement_report, format_agreement, paired
from contractreview.evaluation.labels import load_gold_dir


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    report = agreement_report(paired(load_gold_dir(args.a), load_gold_dir(args.b)))
    print(json.dumps(report, indent=1) if args.json else format_agreement(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
