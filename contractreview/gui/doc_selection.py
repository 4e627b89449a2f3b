"""Text selection on rendered PDF pages, mapped to ``Document.text`` offsets (issue #16).

The page view shows pictures of the pages, so a drag is mapped back to the text through the lines the
reader recorded (``Document.lines``: character range and box of every visual line). Within a line the
character is found by its horizontal position in proportion to the line's width, then the span is
widened to whole words: a reviewer selects passages, never half words. Pure functions, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import BBox, Document


@dataclass(frozen=True, slots=True)
class Mark:
    """A passage the document view marks (a reviewer annotation); ``key`` comes back when it is clicked."""

    key: object
    start: int
    end: int
    tooltip: str = ""
    unmatched: bool = False


def _page_lines(document: Document, page: int) -> list[tuple[int, int, BBox]]:
    lines = [(ln.start, ln.end, ln.bbox) for ln in document.lines if ln.page == page]
    if not lines:  # readers that record blocks only
        lines = [(b.start, b.end, b.bbox) for b in document.blocks if b.page == page and b.bbox is not None]
    return lines


def offset_at(document: Document, page: int, x: float, y: float) -> int | None:
    """The ``Document.text`` offset under point (``x``, ``y``) in PDF points of ``page`` (1-based);
    the nearest line when the point is between lines; None when the page has no text."""
    lines = _page_lines(document, page)
    if not lines:
        return None

    def distance(item: tuple[int, int, BBox]) -> float:
        box = item[2]
        return 0.0 if box.top <= y <= box.bottom else min(abs(y - box.top), abs(y - box.bottom))

    start, end, box = min(lines, key=distance)
    if x <= box.x0 or end <= start:
        return start
    if x >= box.x1:
        return end
    return start + round((x - box.x0) / max(box.x1 - box.x0, 1e-6) * (end - start))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``text[start:end]`` to whole words and trim surrounding whitespace."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start > 0 and not text[start - 1].isspace() and start < len(text) and not text[start].isspace():
        start -= 1
    while end < len(text) and end > 0 and not text[end - 1].isspace() and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def span_boxes(document: Document, start: int, end: int) -> tuple[tuple[int, BBox], ...]:
    """Boxes covering ``text[start:end]`` on the pages, cut inside the first and last line."""
    out: list[tuple[int, BBox]] = []
    source: Sequence = document.lines or [b for b in document.blocks if b.bbox is not None]
    for ln in source:
        if ln.end <= start or ln.start >= end:
            continue
        box = ln.bbox
        n = max(1, ln.end - ln.start)
        x0 = box.x0 + (max(start, ln.start) - ln.start) / n * (box.x1 - box.x0)
        x1 = box.x0 + (min(end, ln.end) - ln.start) / n * (box.x1 - box.x0)
        out.append((ln.page, BBox(x0, box.top, max(x1, x0 + 1), box.bottom)))
    return tuple(out)
