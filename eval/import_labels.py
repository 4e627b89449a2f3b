#!/usr/bin/env python3
"""Turn an annotator's label file (full quotes) into the project's gold format (short anchors only).

    python eval/import_labels.py LABELS.json --docs ../shared/corpus --path scouted/x.md \
        --split frozen --manifest ../shared/corpus/scouted/MANIFEST.tsv --out eval/frozen/x.json

The repository keeps only text the project wrote, so each evidence quote becomes its first words (at most
12) that still occur in the document; statuses, confidences, key terms and the annotator's notes (the
annotator's own words) are kept. The script checks that every id of core_ids.txt is labelled and that every
anchor is found in the document, and refuses the file otherwise. It never runs the engine.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from contractreview.evaluation.labels import STATUSES
from contractreview.evaluation.metrics import locate, normalised_index

MAX_WORDS = 12
_WS = re.compile(r"\s+")


def anchor(quote: str, doc_index: tuple[str, list[int]]) -> str | None:
    """The first words of ``quote`` (at most 12, at least 4) that the evaluation itself can locate in the
    document (the same whitespace, case and quote-style folding as ``contractreview eval``)."""
    words = _WS.sub(" ", quote).strip().split(" ")
    for n in range(min(MAX_WORDS, len(words)), 3, -1):
        cand = " ".join(words[:n]).strip(" .;,")
        if locate(cand, *doc_index):
            return cand
    short = " ".join(words).strip(" .;,")
    return short if len(words) <= MAX_WORDS and locate(short, *doc_index) else None


def manifest_row(manifest: Path | None, name: str) -> dict[str, str]:
    if manifest is None:
        return {}
    with manifest.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row.get("file") == name:
                return row
    return {}


def convert(
    data: dict,
    doc_text: str,
    core_ids: list[str],
    *,
    path: str,
    split: str,
    meta: dict[str, str],
    annotator: str,
) -> dict:
    doc_index = normalised_index(doc_text)
    labels = data.get("labels") or {}
    missing_ids = [r for r in core_ids if r not in labels]
    if missing_ids:
        raise SystemExit(
            f"{data.get('doc')}: {len(missing_ids)} requirement ids unlabelled: {missing_ids[:5]}"
        )
    out_labels = {}
    for rid in core_ids:
        lab = labels[rid]
        status = str(lab.get("status", "")).strip().lower()
        if status not in STATUSES:
            raise SystemExit(f"{data.get('doc')}: {rid} has status {status!r}")
        anchors = []
        for q in lab.get("evidence") or []:
            a = anchor(q, doc_index)
            if a is None:
                raise SystemExit(f"{data.get('doc')}: {rid}: evidence not found in the document")
            anchors.append(a)
        if status != "missing" and not anchors:
            raise SystemExit(f"{data.get('doc')}: {rid} is {status} without evidence")
        out_labels[rid] = {
            "status": status,
            "evidence": anchors if status != "missing" else [],
            "confidence": lab.get("confidence", ""),
            "note": lab.get("note", ""),
        }
    out = {
        "doc": data.get("doc") or Path(path).stem,
        "path": path,
        "split": split,
        "kind": meta.get("kind", ""),
        "vendor": meta.get("vendor", ""),
        "source": meta.get("source", ""),
        "licence": meta.get("licence", ""),
        "annotator": annotator,
        "labels": out_labels,
        "params": dict(data.get("params") or {}),
    }
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", type=Path)
    ap.add_argument("--docs", type=Path, required=True, help="folder the document path is relative to")
    ap.add_argument("--path", required=True, help="the document, relative to --docs")
    ap.add_argument("--split", default="dev")
    ap.add_argument(
        "--text", type=Path, help="the text the annotator read, when the document is a PDF (its text twin)"
    )
    ap.add_argument(
        "--manifest", type=Path, help="a MANIFEST.tsv with file, repo, path, commit, licence, kind"
    )
    ap.add_argument("--vendor", default="")
    ap.add_argument(
        "--kind", default="", help="agreement | dpa | dpa_template | privacy_policy | terms_of_service"
    )
    ap.add_argument("--core-ids", type=Path, required=True)
    ap.add_argument(
        "--annotator",
        default="independent annotator (project helper), labelled without running the engine on this document",
    )
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    data = json.loads(args.labels.read_text(encoding="utf-8"))
    doc_text = (args.text or (args.docs / args.path)).read_text(encoding="utf-8", errors="replace")
    core = [x.strip() for x in args.core_ids.read_text(encoding="utf-8").splitlines() if x.strip()]
    row = manifest_row(args.manifest, Path(args.path).name)
    meta = {
        "kind": args.kind or row.get("kind", ""),
        "licence": row.get("licence", ""),
        "source": f"{row['repo']}: {row['path']} @ {row['commit'][:12]}" if row else "",
        "vendor": args.vendor,
    }
    out = convert(data, doc_text, core, path=args.path, split=args.split, meta=meta, annotator=args.annotator)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = {s: sum(v["status"] == s for v in out["labels"].values()) for s in STATUSES}
    print(f"{args.out.name}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
