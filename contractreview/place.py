"""Where a passage sits in the contract, said the way a reader would find it: one function for every
export and the GUI.

A quote is labelled by the clause that contains its first character (not by the sentence's feature
index), so a passage that starts with "ATTACHMENT B" is never labelled with the attachment before it.
A heading line inside a clause (a bold line the PDF reader marked as a heading, or a short line in
capitals) counts as a clause heading: a finding under "Data Security" that has a bare "(b)" above it is
labelled by the heading, not "clause b". Pages are cited only where the file has pages: a PDF's page,
or nothing for DOCX and text (Word lays out pages itself; the ingester's page numbers for DOCX are an
estimate), so DOCX citations say "section …" instead of inventing a page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .domain import BlockKind, Clause, Document, Evidence, Format

_CONTAINERS = ("article", "exhibit", "schedule", "appendix", "annex", "attachment", "addendum", "section", "part")
_CONTAINER = re.compile(
    r"^(article|exhibit|schedule|appendix|annex|attachment|addendum|section|part)\s+([\w.\-]+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Place:
    """A passage's clause label and page, ready to print."""

    label: str  # "clause 5.2", "Attachment B", "section “Data Security”", "" when nothing is known
    page: int | None  # None where the format has no pages of its own (DOCX, text)

    @property
    def where(self) -> str:
        parts = [p for p in (self.label, f"page {self.page}" if self.page else "") if p]
        return ", ".join(parts) or "the contract"

    @property
    def where_sentence(self) -> str:
        w = self.where
        return w[:1].upper() + w[1:]


def _tidy_caps(text: str) -> str:
    """'DATA SECURITY' reads as 'Data Security'; mixed case is kept as written."""
    text = " ".join(text.split()).rstrip(":.")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) >= 0.8:
        small = {"of", "and", "or", "the", "to", "for", "in", "on", "a", "an", "by", "with"}
        words = text.lower().split()
        text = " ".join(
            w if (i and w in small) else (w.upper() if re.fullmatch(r"[ivxlc]+|[a-z]", w) and i else w.capitalize())
            for i, w in enumerate(words)
        )
    return text


def format_label(number: str, heading: str = "", parent: str = "") -> str:
    """The printed label of a clause from its number, heading and the label of the clause it sits in."""
    number = " ".join((number or "").split())
    heading = " ".join((heading or "").split())
    if number:
        m = _CONTAINER.match(number)
        if m:
            return f"{m.group(1).capitalize()} {m.group(2).upper() if len(m.group(2)) <= 3 else m.group(2)}"
        if number[:1].isdigit():
            return f"clause {number}"
        # A bare sub-item ("b", "(b)", "iv"): meaningless on its own, so say what it is part of.
        sub = number if number.startswith("(") else f"({number.rstrip('.')})"
        return f"{parent}, paragraph {sub}" if parent else f"clause {number}"
    if heading:
        return f"section “{_tidy_caps(heading)[:70]}”"
    return ""


def _heading_line(line: str) -> str:
    """The line as a clause heading if it looks like one (an attachment title or a short line in capitals)."""
    from .segment import looks_like_heading

    s = " ".join(line.split())
    if not s:
        return ""
    m = _CONTAINER.match(s)
    if m and len(s) <= 90:
        return format_label(f"{m.group(1)} {m.group(2)}")
    if looks_like_heading(s):
        return format_label("", s)
    return ""


def _parent_label(clauses: Sequence[Clause], idx: int) -> str:
    """Label of the nearest clause above ``idx`` that has a number or heading of its own."""
    level = clauses[idx].level
    for c in reversed(clauses[:idx]):
        if c.level < level and (c.number or c.heading):
            if c.number and not (c.number[:1].isdigit() or _CONTAINER.match(c.number)):
                continue
            return format_label(c.number, c.heading)
    return ""


def _lettered_parent(clauses: Sequence[Clause], idx: int) -> str:
    """The letter ("J") of the lettered section a numbered clause sits in, or ""."""
    level = clauses[idx].level
    for c in reversed(clauses[:idx]):
        if c.level < level and c.number:
            n = c.number.strip("().")
            return n if n.isalpha() and len(n) <= 4 and not _CONTAINER.match(c.number) else ""
    return ""


def clause_index(clauses: Sequence[Clause], offset: int) -> int:
    """Index of the clause containing ``offset`` (the last one starting at or before it), -1 if none."""
    starts = [c.start for c in clauses]
    return bisect.bisect_right(starts, offset) - 1


def has_pages(document: Document) -> bool:
    """Only a PDF has pages a reader can check; DOCX pages depend on Word's layout."""
    return document.format is Format.PDF


def place_of(document: Document, clauses: Sequence[Clause], start: int, end: int | None = None) -> Place:
    """The clause label and page of ``document.text[start:end]``."""
    text = document.text
    end = len(text) if end is None else end
    span = text[start:end]
    pos = start + (len(span) - len(span.lstrip()))
    page = document.page_at(pos) if has_pages(document) else None
    # The passage opens with its own heading line ("ATTACHMENT B", "DATA SECURITY").
    first_line = span.lstrip().split("\n", 1)[0]
    own = _heading_line(first_line) if "\n" in span.strip() or len(first_line) < len(span.strip()) else ""
    if own and not own.startswith("section"):
        return Place(own, page)
    i = clause_index(clauses, pos)
    label = ""
    c = clauses[i] if i >= 0 else None
    if c is not None:
        if c.kind == "preamble" and not (c.number or c.heading):
            label = "opening paragraph"
        else:
            label = format_label(c.number, c.heading, _parent_label(clauses, i))
            letter = _lettered_parent(clauses, i)
            if letter and c.number[:1].isdigit():
                # "2" under a lettered section "J." is J's paragraph 2, not the contract's clause 2.
                label = f"section {letter}, paragraph {c.number}"
    # A heading line between the clause's start and the passage: the reader sees the passage under it.
    lo = c.start if c is not None else 0
    for b in reversed(document.blocks):
        if b.start > pos:
            continue
        if b.start < lo or b.start == lo:
            break
        line = text[b.start : b.end]
        is_heading = b.kind is BlockKind.HEADING or (b.end - b.start <= 90 and "\n" not in line.strip())
        h = _heading_line(line) if is_heading else ""
        if h:
            if c is None or not c.number or not c.number[:1].isdigit():
                label = h
            break
    return Place(label, page)


def evidence_place(ev: Evidence, document: Document | None = None, clauses: Sequence[Clause] = ()) -> Place:
    """:func:`place_of` for a piece of evidence; the stored label when the text no longer matches."""
    stored = format_label(ev.clause) if _looks_numbered(ev.clause) else format_label("", ev.clause)
    if document is not None and document.text[ev.start : ev.end] == ev.text and ev.text:
        if clauses:
            return place_of(document, clauses, ev.start, ev.end)
        # An analysis without its clauses (built by hand): the recorded label, the format's page rule.
        return Place(stored, ev.page if has_pages(document) else None)
    page = ev.page if document is None or has_pages(document) else None
    return Place(stored, page or None)


def _looks_numbered(label: str) -> bool:
    s = (label or "").strip()
    return bool(s) and (s[:1].isdigit() or bool(_CONTAINER.match(s)) or (" " not in s and len(s) <= 6))
