"""``contractreview ingest FILE``: show what the reader sees in a contract (pages, blocks, clauses, warnings).

Useful when a finding looks wrong: it shows whether the text, reading order and clause numbers came
through. ``--json`` prints offsets and bounding boxes for tooling.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

SCHEMA = "contractreview/ingest-v1"


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "ingest",
        help="read a contract and print its pages, blocks, clauses and warnings",
        description=(
            "Read a PDF, DOCX, text or Markdown contract (the format is detected from the content) and print "
            "what was extracted: pages, blocks, numbered clauses, running headers/footers and warnings. "
            "Use --json for character offsets and bounding boxes (PDF points, origin top-left)."
        ),
    )
    p.add_argument("file", metavar="FILE", help="contract file (PDF, DOCX, TXT, MD)")
    p.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--password", default=None, help="password of an encrypted PDF")
    p.add_argument(
        "--original",
        action="store_true",
        help="DOCX with tracked changes: the original text instead of the accepted view",
    )
    p.add_argument(
        "--ocr",
        action="store_true",
        help="run scanned pages through ocrmypdf first (must be installed separately)",
    )
    p.add_argument("--lines", action="store_true", help="with --json: include every visual line with its box")
    p.add_argument("--text", action="store_true", help="text output: also print the full body text")
    p.set_defaults(func=run)


def _bbox(b: Any) -> list[float] | None:
    return None if b is None else [round(b.x0, 2), round(b.top, 2), round(b.x1, 2), round(b.bottom, 2)]


def document_to_dict(doc: Any, clauses: Any, *, lines: bool = False) -> dict[str, Any]:
    """The JSON shape printed by ``ingest --json`` (schema ``contractreview/ingest-v1``)."""
    text = doc.text
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "name": doc.name,
        "sha256": doc.sha256,
        "format": doc.format.value,
        "title": doc.title,
        "characters": len(text),
        "warnings": list(doc.warnings),
        "pages": [
            {
                "number": p.number,
                "width": round(p.width, 2),
                "height": round(p.height, 2),
                "has_text_layer": p.has_text_layer,
            }
            for p in doc.pages
        ],
        "blocks": [
            {
                "start": b.start,
                "end": b.end,
                "page": b.page,
                "kind": b.kind.value,
                "label": b.label,
                "style": b.style,
                "bbox": _bbox(b.bbox),
                "text": text[b.start : b.end],
            }
            for b in doc.blocks
        ],
        "clauses": [
            {
                "start": c.start,
                "end": c.end,
                "number": c.number,
                "heading": c.heading,
                "path": c.path,
                "level": c.level,
                "page": c.page,
                "kind": c.kind,
                "boxes": [{"page": pg, "bbox": _bbox(bb)} for pg, bb in doc.boxes_for(c.start, c.end)[:1]],
            }
            for c in clauses
        ],
        "furniture": [
            {"text": f.text, "page": f.page, "kind": f.kind.value, "bbox": _bbox(f.bbox)}
            for f in doc.furniture
        ],
        "comments": [
            {"author": c.author, "text": c.text, "start": c.start, "end": c.end} for c in doc.comments
        ],
    }
    if lines:
        out["lines"] = [
            {"start": ln.start, "end": ln.end, "page": ln.page, "bbox": _bbox(ln.bbox)} for ln in doc.lines
        ]
    return out


def run(args: argparse.Namespace) -> int:
    from ..ingest import load_document
    from ..segment import segment
    from ..textsafe import one_line

    if args.ocr:
        from ..ingest import load_document_with_ocr

        doc = load_document_with_ocr(args.file, password=args.password)
    else:
        doc = load_document(args.file, password=args.password, original_view=args.original)
    clauses = segment(doc)
    out = sys.stdout
    if args.json or args.format == "json":
        from ..textsafe import json_text

        out.write(json_text(document_to_dict(doc, clauses, lines=args.lines), indent=2) + "\n")
        return 0
    no_text = [p.number for p in doc.pages if not p.has_text_layer]
    out.write(f"{one_line(doc.name)}  ({doc.format.value.upper()}, sha256 {doc.sha256[:12]}…)\n")
    if doc.title:
        out.write(f"Title:     {one_line(doc.title)}\n")
    out.write(
        f"Pages:     {len(doc.pages)}"
        + (f" (no text layer: {', '.join(map(str, no_text))})" if no_text else "")
        + "\n"
    )
    out.write(f"Text:      {len(doc.text):,} characters in {len(doc.blocks)} blocks\n")
    if doc.furniture:
        kinds = sorted({f.text for f in doc.furniture})
        shown = "; ".join(one_line(k[:40]) for k in kinds[:3]) + (" …" if len(kinds) > 3 else "")
        out.write(f"Furniture: {len(doc.furniture)} running header/footer lines removed ({shown})\n")
    if doc.comments:
        out.write(f"Comments:  {len(doc.comments)}\n")
    out.write(f"Clauses:   {len(clauses)}\n")
    for c in clauses:
        first = " ".join(doc.text[c.start : c.end].split())
        label = c.number or c.kind
        heading = c.heading or (first[:60] + ("…" if len(first) > 60 else ""))
        out.write(f"  p.{c.page:<3} {'  ' * max(0, c.level - 1)}{one_line(label):<12} {one_line(heading)}\n")
    for w in doc.warnings:
        out.write(f"Warning:   {one_line(w)}\n")
    if args.text:
        out.write("\n" + doc.text + "\n")
    return 0
