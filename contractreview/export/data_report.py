"""CSV and JSON gap summaries for spreadsheets and other tools.

CSV cells that a spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``, tab or CR)
get a leading apostrophe, the usual CSV-injection guard; everything else is verbatim.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ._atomic import write_atomic, write_text_atomic
from .model import KeyTermRow, ReportItem, ReportModel, report_to_dict

CSV_COLUMNS = (
    "number",
    "requirement_id",
    "title",
    "category",
    "severity",
    "status",
    "decision",
    "note",
    "decided_by",
    "evidence_changed",
    "clause",
    "page",
    "evidence",
    "citations",
    "explanation",
    "suggested_language",
    "vendor_question",
    "confidence",
    # issue #16, last so that older spreadsheets keep their column positions: ``status`` is the reviewer's
    # where one is set ("not_applicable" included), these say what the engine said and why the reviewer differs
    # (both empty where the status is the engine's own)
    "engine_status",
    "reviewer_override",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell value a spreadsheet will show as text, never evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(i: ReportItem) -> list[str]:
    return [
        str(i.number) if i.number else "",
        i.requirement_id,
        i.title,
        i.category,
        i.severity.value,
        i.reviewer_status or i.status.value,
        i.decision_value,
        i.note,
        i.decided_by,
        "yes" if i.evidence_changed else "",
        " | ".join(q.clause for q in i.quotes),
        " | ".join(str(q.page) for q in i.quotes),
        "\n---\n".join(q.text for q in i.quotes),
        "; ".join(i.citations),
        i.explanation,
        i.suggested_language,
        i.vendor_question,
        f"{i.confidence:.2f}",
        i.engine_status,  # "" where the status is the engine's own
        f"{i.override_text} — reason: {i.override_reason}" if i.override_text else "",
    ]


def _key_term_row(k: KeyTermRow) -> list[str]:
    return [
        "",
        f"key_term.{k.name}",
        k.label,
        "key term",
        "",
        k.check,
        "corrected" if k.corrected else "",
        f"corrected by the reviewer; the engine read {k.engine_value}" if k.corrected else "",
        k.corrected_by,
        "",
        k.quote.clause if k.quote else "",
        str(k.quote.page) if k.quote else "",
        k.quote.text if k.quote else "",
        k.threshold,
        f"{k.value}. {k.finding}",
        "",
        "",
        "",
        "",
        "",
    ]


def write_csv(model: ReportModel, dest: Path) -> Path:
    """The key terms, then one row per requirement: flagged ones first in report order, then satisfied ones."""

    def _w(tmp: Path) -> None:
        # utf-8-sig so Excel on Windows reads accents correctly.
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS)
            # The key terms come first, one row each ("key_term.<name>"), as at the top of every summary.
            for k in model.key_terms:
                w.writerow([safe_cell(c) for c in _key_term_row(k)])
            for item in (*model.flagged, *model.not_checked, *model.satisfied):
                w.writerow([safe_cell(c) for c in _row(item)])

    return write_atomic(dest, _w)


def write_json(model: ReportModel, dest: Path) -> Path:
    return write_text_atomic(dest, json.dumps(report_to_dict(model), indent=2, ensure_ascii=False) + "\n")
