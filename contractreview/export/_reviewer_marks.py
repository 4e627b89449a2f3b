"""The reviewer's own marks in an annotated copy (issue #16): annotations and overrides' evidence.

One list serves the annotated DOCX (Word comments on the selected words) and the annotated PDF (notes on
highlighted text), so both say the same thing. Marks whose passage is no longer in this version of the
contract become summary lines instead of comments on the wrong words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import Analysis, Annotation
from .model import ReportItem, ReportModel, comment_lines_for


@dataclass(frozen=True, slots=True)
class ReviewerMark:
    start: int  # offsets into Document.text
    end: int
    quote: str
    lines: tuple[str, ...]  # the comment's paragraphs
    author: str
    subject: str  # short title (PDF /Subj)
    requirement_id: str = ""
    annotation_id: int | None = None


def _title(analysis: Analysis, model: ReportModel, rid: str | None) -> str:
    if not rid:
        return ""
    for i in (*model.flagged, *model.not_checked, *model.satisfied):
        if i.requirement_id == rid:
            return i.title
    f = analysis.finding(rid)
    return f.title if f is not None and f.title else "another protection"


def _placeable(analysis: Analysis, start: int, end: int, quote: str) -> bool:
    text = analysis.document.text
    return not text or text[start:end] == quote


def reviewer_marks(
    analysis: Analysis, model: ReportModel, annotations: Sequence[Annotation], default_author: str
) -> tuple[list[ReviewerMark], list[str]]:
    """(marks to place on the text, summary lines for what cannot be placed)."""
    marks: list[ReviewerMark] = []
    summary: list[str] = []
    for a in annotations:
        title = _title(analysis, model, a.requirement_id)
        lines = [f"Reviewer's note: {a.comment}" if a.comment else "Reviewer's note"]
        if title:
            lines.append(f"Evidence for: {title}")
        if a.anchor_state == "unmatched" or not _placeable(analysis, a.anchor.start, a.anchor.end, a.anchor.quote):
            summary.append(
                f"Reviewer's note on a passage no longer in this version (“{_short(a.anchor.quote)}”): {a.comment}"
            )
            continue
        marks.append(
            ReviewerMark(a.anchor.start, a.anchor.end, a.anchor.quote, tuple(lines), a.author or default_author,
                         "Reviewer's note" + (f": {title}" if title else ""), a.requirement_id or "", a.id)
        )
    items: list[ReportItem] = [i for i in (*model.flagged, *model.not_checked, *model.satisfied) if i.override_text]
    for item in items:
        f = analysis.finding(item.requirement_id)
        ov = f.override if f is not None else None
        if ov is None:
            continue
        ev = ov.evidence
        if ev is not None and ov.in_force and _placeable(analysis, ev.start, ev.end, ev.quote):
            marks.append(
                ReviewerMark(ev.start, ev.end, ev.quote, tuple(comment_lines_for(item)), ov.author or default_author,
                             f"{item.title} ({item.status_label})", item.requirement_id)
            )
        elif not item.status.is_flag or not f.evidence:  # flagged ones with evidence carry it in their comment
            summary.append(f"{item.title}: {item.override_text} — reason: {item.override_reason}")
    return marks, summary


def _short(text: str, n: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def span_in(paragraph_text: str, mark: ReviewerMark, full_text: str) -> tuple[int, int] | None:
    """Where ``mark``'s words are in ``paragraph_text`` (any spacing, any case); the occurrence that
    matches the mark's position within its own paragraph of ``full_text`` when the words repeat."""
    words = re.findall(r"\w+", mark.quote)
    if not words:
        return None
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)
    hits = [(m.start(), m.end()) for m in pattern.finditer(paragraph_text)]
    if not hits:
        return None
    k = 0
    if full_text:
        para_start = full_text.rfind("\n", 0, mark.start) + 1
        k = sum(1 for m in pattern.finditer(full_text, para_start) if m.start() < mark.start)
    return hits[min(k, len(hits) - 1)]
