"""PDF ingestion with pypdfium2: text with line boxes, reading order, de-hyphenation, running furniture.

Speed drives the design: pdfium gives a page's whole text in one call and line rectangles in a few
more, so we never ask for per-character boxes except on the rare line that has to be split (two columns
drawn row by row, or a hyphenated word that pdfium has already glued across a line break). pdfplumber
would be about ten times slower per page and is used only by the tests, as an independent reader.

Coordinates are PDF points with the origin at the top-left of the page, like pdfplumber's.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..domain import BBox, Block, BlockKind, Document, Format, Furniture, Line, Page
from ..errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    NoTextLayerError,
)
from ..limits import Limits
from ..segment import looks_like_heading, match_number
from .pdf_budget import check_pdf_streams
from .sniff import pdf_header_offset

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)
_SOFT_HYPHEN = "\ufffe"  # pdfium's mark for a hyphen it judged to be a line-end hyphenation
_HYPHENS = ("-", "\u00ad", "\u2010", _SOFT_HYPHEN)
# Ligatures become letters ("conﬁdential" must match "confidential"); odd spaces become spaces.
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SPACES = {
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\ufeff": "",
    "\u200b": "",
}
_TRANSLATE = str.maketrans({**{chr(c): " " for c in range(32)}, **_SPACES, **_LIGATURES})


@dataclass(slots=True)
class _Frag:
    """One visual line (or line piece) of a page, before reading order and furniture are settled."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    order: int
    hyphen: bool = False  # ends in a line-end hyphen that should disappear if the next piece continues
    bold: bool = False  # the line's first character is set in a bold face
    size: float = 0.0  # font size of the first character (points)

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


def _open(data: bytes, path: Path, password: str | None):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedDocumentError(
                    "the password is wrong.", path, "Check it and try again.", wrong_password=True
                ) from exc
            raise EncryptedDocumentError("the PDF is encrypted and needs a password.", path) from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(
                "the PDF uses an encryption scheme that cannot be opened.",
                path,
                "Ask the vendor for an unencrypted copy.",
            ) from exc
        raise CorruptDocumentError(
            f"the PDF is damaged and cannot be read ({exc}).",
            path,
            "Ask the vendor for a fresh copy or re-save it from a PDF viewer.",
        ) from exc


class _FontProbe:
    """Bold and size of one character: one or two pdfium calls per line, never per character."""

    def __init__(self, textpage) -> None:  # type: ignore[no-untyped-def]
        import ctypes

        import pypdfium2.raw as raw

        self.raw = raw
        self.tp = textpage.raw
        self.buf = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.flags_ref = ctypes.byref(self.flags)
        self.cache: dict[tuple[bytes, int], bool] = {}

    def __call__(self, index: int) -> tuple[bool, float]:
        raw = self.raw
        size = float(raw.FPDFText_GetFontSize(self.tp, index))
        if raw.FPDFText_GetFontInfo(self.tp, index, self.buf, 128, self.flags_ref) <= 0:
            return False, size
        key = (self.buf.value, self.flags.value)
        bold = self.cache.get(key)
        if bold is None:
            # The standard 14 fonts report no weight; their names say it ("Helvetica-Bold").
            name = key[0].lower()
            bold = (
                raw.FPDFText_GetFontWeight(self.tp, index) >= 600
                or any(w in name for w in (b"bold", b"black", b"heavy", b"semibold", b"demi"))
                or bool(key[1] & (1 << 18))
            )
            self.cache[key] = bold
        return bold, size


def _page_fragments(textpage, height: float) -> list[_Frag]:  # type: ignore[no-untyped-def]
    """Visual lines of one page in pdfium's order (usually the content-stream order)."""
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # astral characters: indices and string positions no longer agree
        text = text[:n].ljust(n)
    frags: list[_Frag] = []
    probe = _FontProbe(textpage)
    pos = 0
    for m in _LINE_BREAK.finditer(text + "\r\n"):
        start, end = pos, m.start()
        pos = m.end()
        if end <= start or not text[start:end].strip():
            continue
        count = textpage.count_rects(start, end - start)
        rects = [textpage.get_rect(k) for k in range(count)]
        if not rects:
            continue
        if len(rects) == 1 or not _needs_split(rects):
            left = min(r[0] for r in rects)
            right = max(r[2] for r in rects)
            bottom = min(r[1] for r in rects)
            top = max(r[3] for r in rects)
            frag = _frag(text[start:end], left, height - top, right, height - bottom, len(frags))
            first = start + len(text[start:end]) - len(text[start:end].lstrip())
            frag.bold, frag.size = probe(first)
            frags.append(frag)
        else:
            pieces = _split_line(textpage, text, start, end, rects, height, len(frags))
            for frag, first in pieces:
                frag.bold, frag.size = probe(first)
                frags.append(frag)
    return frags


def _frag(s: str, x0: float, top: float, x1: float, bottom: float, order: int) -> _Frag:
    s = s.translate(_TRANSLATE).rstrip()
    hyphen = False
    if s.endswith(_SOFT_HYPHEN):
        # "e-" + "business" is a compound, not a split word: keep one-letter prefixes hyphenated.
        hyphen = len(s) >= 3 and s[-2].isalpha() and s[-3].isalpha()
        s = s[:-1] + "-"
    elif len(s) >= 3 and s[-1] in _HYPHENS and s[-2].isalpha() and s[-3].isalpha():
        hyphen = True
        if s[-1] != "-":
            s = s[:-1] + "-"
    s = s.replace(_SOFT_HYPHEN, "-")
    return _Frag(s, x0, top, x1, bottom, order, hyphen)


# Words that end a line with a hyphen because they are half of a compound, not of a split word. Number
# words matter most: "seventy-two hours" must stay a duration the analysis can read.
_COMPOUND_PREFIXES = frozenset(
    "twenty thirty forty fifty sixty seventy eighty ninety one two three four five six seven eight nine ten "
    "third non self opt well cross follow long short full part".split()
)


def _keeps_hyphen(line: str) -> bool:
    words = line[:-1].split()
    return bool(words) and words[-1].lower().strip("(\"'“‘") in _COMPOUND_PREFIXES


def _needs_split(rects: list[tuple[float, float, float, float]]) -> bool:
    """True when a pdfium line holds pieces far apart: two columns, or two visual lines."""
    for a, b in zip(rects, rects[1:], strict=False):
        h = max(a[3] - a[1], b[3] - b[1], 1.0)
        if b[3] < a[1] + 0.3 * h or a[3] < b[1] + 0.3 * h:  # no vertical overlap: another line
            return True
        if b[0] - a[2] > max(2.0 * h, 14.0) or a[0] - b[2] > max(2.0 * h, 14.0):
            return True
    return False


def _split_line(
    textpage, text: str, start: int, end: int, rects, height: float, order: int
) -> list[tuple[_Frag, int]]:  # type: ignore[no-untyped-def]
    """Split one pdfium line at wide gaps or line changes, using per-character boxes (rare path)."""
    pieces: list[list[int]] = []
    boxes: list[tuple[float, float, float, float]] = []
    prev = None
    for i in range(start, end):
        ch = text[i]
        box = textpage.get_charbox(i, loose=True)
        if ch.isspace() or box[2] <= box[0] and box[3] <= box[1]:
            if pieces:
                pieces[-1].append(i)
            continue
        if prev is not None:
            h = max(prev[3] - prev[1], box[3] - box[1], 1.0)
            new_line = box[3] < prev[1] + 0.3 * h or prev[3] < box[1] + 0.3 * h
            gap = box[0] - prev[2]
            if new_line or gap > max(2.0 * h, 14.0) or gap < -2.0 * h:
                pieces.append([])
                boxes.append(box)
        if not pieces:
            pieces.append([])
            boxes.append(box)
        pieces[-1].append(i)
        b = boxes[-1]
        boxes[-1] = (min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3]))
        prev = box
    out: list[tuple[_Frag, int]] = []
    for idx, box in zip(pieces, boxes, strict=True):
        s = "".join(text[i] for i in idx)
        if s.strip():
            out.append((_frag(s, box[0], height - box[3], box[2], height - box[1], order + len(out)), idx[0]))
    return out


def _norm_furniture(s: str, page_no: int) -> str:
    """Comparison key for running lines.

    Short lines ignore all digits ("Page 3", "Rev. 2 – p. 7"). Long lines ignore only numbers that can be
    the page number (within two of the physical page, for unnumbered cover pages) and "of N" totals;
    other numbers must repeat exactly, or boilerplate sentences that differ by a clause number would vanish.
    """
    words = s.lower().split()
    joined = " ".join(words)
    if len(words) <= 6:
        return re.sub(r"\d+", "#", joined)

    def page_like(m: re.Match[str]) -> str:
        return "#" if abs(int(m.group(0)) - page_no) <= 2 else m.group(0)

    return re.sub(r"(?<![\d.])\d{1,4}(?![\d.]\d)", page_like, re.sub(r"\bof \d+", "of #", joined))


def _find_furniture(pages: list[tuple[float, list[_Frag]]]) -> list[set[int]]:
    """Indices of fragments per page that are running headers, footers or page numbers.

    A line in the top or bottom 12% of the page is furniture when its digit-blind text recurs on at least
    half the pages (and at least two), or when it is a bare page number.
    """
    # Running furniture sits at the same height on every page; body lines that happen to repeat do not.
    zone_keys: list[dict[int, tuple[str, str, int]]] = []
    counts: Counter[tuple[str, str, int]] = Counter()
    for page_no, (height, frags) in enumerate(pages, 1):
        keys: dict[int, tuple[str, str, int]] = {}
        if frags:
            for i, f in enumerate(frags):
                if f.bottom <= 0.12 * height:
                    keys[i] = ("top", _norm_furniture(f.text, page_no), round(f.top / 6))
                elif f.top >= 0.88 * height:
                    keys[i] = ("bottom", _norm_furniture(f.text, page_no), round((height - f.bottom) / 6))
        zone_keys.append(keys)
        counts.update(set(keys.values()))
    with_text = sum(1 for _, f in pages if f)
    need = max(2, (with_text + 1) // 2)
    out: list[set[int]] = []
    for (_height, frags), keys in zip(pages, zone_keys, strict=True):
        drop: set[int] = set()
        for i, key in keys.items():
            # A long line matched only by blinding its page number needs three pages to count as running.
            enough = need if "#" not in key[1] or len(key[1].split()) <= 6 else max(3, need)
            if (with_text >= 2 and counts[key] >= enough) or _PAGE_NUMBER.match(frags[i].text):
                drop.add(i)
        out.append(drop)
    return out


def _column_order(frags: list[_Frag], width: float) -> tuple[list[_Frag], list[int]]:
    """Reading order for a page, and a column id per fragment (0 = full width / single column).

    A two-column page has a vertical gutter in the middle third that no line crosses except full-width
    ones (titles); lines are read band by band (bands separated by full-width lines), left column first.
    """
    if len(frags) < 6:
        return frags, [0] * len(frags)
    step = 2.0
    bins = int(width / step) + 2
    cover = [0] * (bins + 1)
    for f in frags:
        a = max(0, int(f.x0 / step))
        b = min(bins, int(f.x1 / step) + 1)
        cover[a] += 1
        cover[b] -= 1
    running = 0
    for i in range(bins + 1):
        running += cover[i]
        cover[i] = running
    lo, hi = int(0.25 * width / step), int(0.75 * width / step)
    allowed = max(1, len(frags) // 10)
    best: tuple[int, int] | None = None
    run_start = None
    for i in range(lo, hi + 1):
        if cover[i] <= allowed:
            if run_start is None:
                run_start = i
        else:
            if run_start is not None and (best is None or i - run_start > best[1] - best[0]):
                best = (run_start, i)
            run_start = None
    if run_start is not None and (best is None or hi + 1 - run_start > best[1] - best[0]):
        best = (run_start, hi + 1)
    if best is None or (best[1] - best[0]) * step < 8.0:
        return frags, [0] * len(frags)
    gx0, gx1 = best[0] * step, best[1] * step
    gutter = (gx0 + gx1) / 2
    left = [f for f in frags if f.x1 <= gx1 and f.x1 < gutter + step]
    right = [f for f in frags if f.x0 >= gx0 and f.x0 > gutter - step]
    if len(left) < 3 or len(right) < 3 or min(len(left), len(right)) < 0.2 * len(frags):
        return frags, [0] * len(frags)
    # A table whose last column holds ticks or amounts is not a second column of prose.
    chars_l, chars_r = sum(len(f.text) for f in left), sum(len(f.text) for f in right)
    if min(chars_l, chars_r) < 0.25 * (chars_l + chars_r):
        return frags, [0] * len(frags)
    # The two sides must sit beside each other, not one above the other.
    overlap = min(max(f.bottom for f in left), max(f.bottom for f in right)) - max(
        min(f.top for f in left), min(f.top for f in right)
    )
    if overlap <= 0:
        return frags, [0] * len(frags)
    col: dict[int, int] = {}
    for f in frags:
        col[id(f)] = 1 if f.x1 < gutter else (2 if f.x0 > gutter else 0)
    ordered: list[_Frag] = []
    cols: list[int] = []
    band: list[_Frag] = []

    def flush_band() -> None:
        for c in (1, 2):
            for f in sorted((f for f in band if col[id(f)] == c), key=lambda f: (round(f.top / 3), f.x0)):
                ordered.append(f)
                cols.append(c)
        band.clear()

    for f in sorted(frags, key=lambda f: (round(f.top / 3), f.x0)):
        if col[id(f)] == 0:
            flush_band()
            ordered.append(f)
            cols.append(0)
        else:
            band.append(f)
    flush_band()
    return ordered, cols


@dataclass(slots=True)
class _Assembler:
    parts: list[str]
    length: int
    blocks: list[Block]
    lines: list[Line]
    last_frag: _Frag | None = None  # last body line of the previous page

    def start_block(self) -> int:
        if self.length:
            self.parts.append("\n\n")
            self.length += 2
        return self.length

    def add_text(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)


def _merge_labels(frags: list[_Frag], cols: list[int]) -> tuple[list[_Frag], list[int]]:
    """Glue a lone clause number ("A.", "5.2") to the text set a tab stop away on the same row."""
    out: list[_Frag] = []
    out_cols: list[int] = []
    i = 0
    while i < len(frags):
        f = frags[i]
        if i + 1 < len(frags) and len(f.text) <= 10 and cols[i] == cols[i + 1]:
            g = frags[i + 1]
            same_row = abs(g.top - f.top) < 0.5 * f.height and g.x0 > f.x1
            if same_row and match_number(f.text.strip() + " X") is not None:
                merged = _Frag(
                    f.text.strip() + " " + g.text.lstrip(),
                    f.x0,
                    min(f.top, g.top),
                    g.x1,
                    max(f.bottom, g.bottom),
                    f.order,
                    g.hyphen,
                    f.bold or g.bold,
                    max(f.size, g.size),
                )
                out.append(merged)
                out_cols.append(cols[i])
                i += 2
                continue
        out.append(f)
        out_cols.append(cols[i])
        i += 1
    return out, out_cols


def _blocks_for_page(
    asm: _Assembler, page_no: int, frags: list[_Frag], cols: list[int], stamps: frozenset[str] = frozenset()
) -> None:
    if not frags:
        return
    frags, cols = _merge_labels(frags, cols)
    gaps = [
        b.top - a.bottom
        for a, b in zip(frags, frags[1:], strict=False)
        if 0 <= b.top - a.bottom < 3 * a.height
    ]
    typical_gap = statistics.median(gaps) if gaps else 2.0
    sizes = [f.height for f in frags]
    typical_size = statistics.median(sizes)
    right_edge: dict[int, float] = defaultdict(float)
    left_edge: dict[int, float] = defaultdict(lambda: 1e9)
    for f, c in zip(frags, cols, strict=True):
        right_edge[c] = max(right_edge[c], f.x1)
        left_edge[c] = min(left_edge[c], f.x0)

    font_sizes = [f.size for f in frags if f.size > 0]
    body_font = statistics.median(font_sizes) if font_sizes else 0.0

    def is_heading(f: _Frag, c: int, prev: _Frag | None, gap_before: bool) -> bool:
        # Full-width lines are paragraph text even in capitals or bold (warranty disclaimers, notices).
        if len(f.text) >= 100 or f.x1 - f.x0 >= 0.7 * max(1.0, right_edge[c] - left_edge[c]):
            return False
        if (body_font > 0 and 0 < f.size < 0.85 * body_font) or f.height < 0.6 * typical_size:
            return False  # small print (captions, footnote markers) is never a heading
        if f.text.strip() in stamps:
            return False  # "CONFIDENTIAL TREATMENT" stamped all over a filing is not a heading
        if looks_like_heading(f.text):
            return True
        if len(f.text.split()) > 14 or f.text.rstrip().endswith((",", ";")) or not f.text[:1].isalnum():
            return False
        # A short bold or larger line that starts a paragraph is a heading ("Data Security").
        starts = prev is None or gap_before or not (prev.bold or prev.size > body_font * 1.12)
        return starts and (f.bold or (body_font > 0 and f.size > body_font * 1.12))

    block_start = -1
    block_lines: list[tuple[int, int, _Frag]] = []
    block_kind = BlockKind.PARAGRAPH

    def close() -> None:
        nonlocal block_start, block_lines, block_kind
        if block_lines:
            box = BBox(
                block_lines[0][2].x0, block_lines[0][2].top, block_lines[0][2].x1, block_lines[0][2].bottom
            )
            for _, _, f in block_lines[1:]:
                box = box.union(BBox(f.x0, f.top, f.x1, f.bottom))
            asm.blocks.append(Block(block_start, asm.length, page_no, block_kind, box))
        block_start, block_lines, block_kind = -1, [], BlockKind.PARAGRAPH

    prev: _Frag | None = None
    prev_col = -1
    prev_heading = False
    first = frags[0]
    tail = asm.last_frag
    # A sentence running over the page break: this page's first block follows the previous page's last
    # one after a single "\n" (or nothing, to mend a hyphenated word) instead of a paragraph break.
    continues = (
        tail is not None
        and bool(asm.blocks)
        and asm.blocks[-1].kind == BlockKind.PARAGRAPH
        and asm.blocks[-1].end == asm.length
        and first.text[:1].islower()
        and (tail.hyphen or not tail.text.rstrip().endswith((".", ":", ";", "!", "?")))
    )
    for f, c in zip(frags, cols, strict=True):
        new_block = prev is None or c != prev_col
        gap_break = False
        if prev is not None and not new_block:
            gap = f.top - prev.bottom
            gap_break = gap > max(typical_gap * 1.6, typical_gap + 0.45 * typical_size) or gap < -prev.height
        heading = is_heading(f, c, prev if not new_block else None, gap_break) and not (
            continues and f is first
        )
        if not new_block and prev is not None:
            if gap_break:
                new_block = True
            elif heading or prev_heading:
                new_block = True
            elif match_number(f.text) is not None and not _runs_on(prev, f, right_edge[c]):
                new_block = True
            elif (
                prev.text.rstrip().endswith((".", ":", ";"))
                and prev.x1 < right_edge[c] - 0.15 * (right_edge[c] - f.x0)
                and not prev.hyphen
            ):
                new_block = True
        join_hyphen = not new_block and prev is not None and prev.hyphen and f.text[:1].islower()
        if new_block:
            close()
            if continues and f is first and tail is not None:
                if tail.hyphen and not _keeps_hyphen(tail.text):
                    _drop_last_hyphen(asm)
                elif not tail.hyphen:
                    asm.add_text("\n")
                block_start = asm.length
            else:
                block_start = asm.start_block()
            block_kind = BlockKind.HEADING if heading else BlockKind.PARAGRAPH
        elif join_hyphen and _keeps_hyphen(prev.text if prev is not None else ""):
            pass  # "seventy-" + "two hours": a compound broken at its hyphen; join it, hyphen kept
        elif join_hyphen:
            # "protec-" + "tion": drop the hyphen that the previous line added, keep offsets exact.
            _drop_last_hyphen(asm)
            block_lines[-1] = (block_lines[-1][0], block_lines[-1][1] - 1, block_lines[-1][2])
        else:
            asm.add_text("\n")
            if block_kind == BlockKind.HEADING:
                block_kind = BlockKind.PARAGRAPH
        s = f.text.strip()
        start = asm.length
        asm.add_text(s)
        line = Line(start, asm.length, page_no, BBox(f.x0, f.top, f.x1, f.bottom))
        asm.lines.append(line)
        block_lines.append((start, asm.length, f))
        prev, prev_col, prev_heading = f, c, heading
    close()
    asm.last_frag = prev


_FIGURE_RUNS_ON = re.compile(r"^\(\d{1,4}\)\s+[a-z]")


def _runs_on(prev: _Frag, f: _Frag, right: float) -> bool:
    """"... within sixty" + "(60) days.": a figure in brackets that wrapped to the next line, not an item
    label: the previous line runs to the right edge without closing punctuation and a lower-case word follows."""
    return (
        bool(_FIGURE_RUNS_ON.match(f.text.strip()))
        and not prev.text.rstrip().endswith((".", ":", ";"))
        and prev.x1 >= right - 0.15 * max(1.0, right - f.x0)
    )


def _drop_last_hyphen(asm: _Assembler) -> None:
    """Remove the hyphen that ends the text so far, trimming the last Line (and a closed block ending there)."""
    asm.parts[-1] = asm.parts[-1][:-1]
    asm.length -= 1
    last = asm.lines[-1]
    asm.lines[-1] = Line(last.start, last.end - 1, last.page, last.bbox)
    if asm.blocks and asm.blocks[-1].end == asm.length + 1:
        b = asm.blocks[-1]
        asm.blocks[-1] = Block(b.start, b.end - 1, b.page, b.kind, b.bbox, b.style, b.label)


def load_pdf(
    path: Path,
    data: bytes,
    sha256: str,
    *,
    password: str | None,
    limits: Limits,
    warnings: list[str] | None = None,
) -> Document:
    """Read a PDF into a ``Document``.

    :raises EncryptedDocumentError: a password is needed or wrong.
    :raises NoTextLayerError: no page has any text (a scan).
    :raises DocumentTooLargeError: page count, page size or time over ``limits``.
    :raises CorruptDocumentError: pdfium cannot parse the file.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from ..pdfium_guard import PDFIUM_LOCK

    started = time.monotonic()
    warns = list(warnings or [])
    offset = pdf_header_offset(data)
    if offset > 0:
        # Junk before the header (offsets in the file count from the header): give pdfium the PDF itself.
        data = data[offset:]
    check_pdf_streams(data, path, limits, started=started, password=password)
    with PDFIUM_LOCK:  # pdfium is not thread-safe (the GUI may be rendering pages meanwhile)
        pdf = _open(data, path, password)
        try:
            n_pages = len(pdf)
            if n_pages == 0:
                raise CorruptDocumentError("the PDF has no pages.", path)
            if n_pages > limits.max_pages:
                raise DocumentTooLargeError(
                    f"the PDF has {n_pages} pages, more than the limit of {limits.max_pages}.",
                    path,
                    "Split it or raise CONTRACTREVIEW_MAX_PAGES.",
                )
            try:
                if raw.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0:
                    warns.append(
                        f"{path.name} contains JavaScript; it was ignored (nothing in the file was run)."
                    )
            except (AttributeError, pdfium.PdfiumError):  # pragma: no cover - older pdfium builds
                pass
            try:
                if pdf.count_attachments() > 0:
                    warns.append(f"{path.name} has embedded files; they were not opened or analysed.")
            except pdfium.PdfiumError:  # pragma: no cover
                pass

            per_page: list[tuple[float, list[_Frag]]] = []
            sizes: list[tuple[float, float]] = []
            imaged: list[bool] = []
            total_chars = 0
            for i in range(n_pages):
                if i:  # let a waiting thread (the GUI rendering a page) in between pages
                    PDFIUM_LOCK.release()
                    time.sleep(0)
                    PDFIUM_LOCK.acquire()
                if time.monotonic() - started > limits.max_seconds:
                    raise DocumentTooLargeError(
                        f"reading took longer than {limits.max_seconds:g} seconds (stopped at page {i + 1} of {n_pages}).",
                        path,
                        "Raise CONTRACTREVIEW_MAX_SECONDS if the file is trusted.",
                    )
                try:
                    page = pdf[i]
                except pdfium.PdfiumError as exc:
                    raise CorruptDocumentError(f"page {i + 1} is damaged ({exc}).", path) from exc
                width, height = page.get_size()
                if width * height > limits.max_page_area_pt2 or width <= 0 or height <= 0:
                    raise DocumentTooLargeError(
                        f"page {i + 1} measures {width / 72:.0f} × {height / 72:.0f} inches, beyond the page-size limit.",
                        path,
                    )
                textpage = page.get_textpage()
                frags = _page_fragments(textpage, height)
                total_chars += sum(len(f.text) for f in frags)
                if total_chars > limits.max_text_chars:
                    raise DocumentTooLargeError(
                        f"the text is longer than {limits.max_text_chars:,} characters.", path
                    )
                # Only pages with little text can be scans (possibly stamped with a page or Bates number).
                imaged.append(sum(len(f.text) for f in frags) < 200 and _has_images(page, raw))
                textpage.close()
                page.close()
                per_page.append((float(height), frags))
                sizes.append((float(width), float(height)))
            title = ""
            try:
                title = (pdf.get_metadata_value("Title") or "").strip()
            except (pdfium.PdfiumError, KeyError, AttributeError):  # pragma: no cover
                title = ""
        finally:
            pdf.close()

    furniture_idx = _find_furniture(per_page)
    if not any(len(drop) < len(frags) for (_h, frags), drop in zip(per_page, furniture_idx, strict=True)):
        # Every line on every page looked like a running header or footer (e.g. one numbered line per
        # page). Dropping them all would call a PDF with text "scanned"; keep them as body text instead.
        furniture_idx = [set() for _ in per_page]
    bodies: list[list[_Frag]] = []
    furniture: list[Furniture] = []
    for page_no, ((height, frags), drop) in enumerate(zip(per_page, furniture_idx, strict=True), 1):
        body = []
        for i, f in enumerate(frags):
            if i in drop:
                kind = BlockKind.HEADER if f.top < height / 2 else BlockKind.FOOTER
                furniture.append(Furniture(f.text.strip(), page_no, kind, BBox(f.x0, f.top, f.x1, f.bottom)))
            else:
                body.append(f)
        bodies.append(body)
    # A page is a scan when it carries an image and (apart from running furniture) almost no text.
    scanned = [
        n
        for n, (body, img) in enumerate(zip(bodies, imaged, strict=True), 1)
        if img and sum(len(f.text.strip()) for f in body) < 20
    ]
    pages = [
        Page(n, w, h, bool(body) and n not in scanned)
        for n, ((w, h), body) in enumerate(zip(sizes, bodies, strict=True), 1)
    ]
    if not any(p.has_text_layer for p in pages):
        what = "scanned images" if scanned else "no text"
        raise NoTextLayerError(f"none of its {n_pages} page(s) has a text layer ({what}).", path)
    if scanned:
        warns.append(
            f"{path.name}: page(s) {_page_list(scanned)} have no text layer (scanned images?) and were not "
            "analysed; OCR them to include their text."
        )
    # Short lines repeated verbatim mid-page three or more times are stamps, not headings.
    seen = Counter(f.text.strip() for body in bodies for f in body if len(f.text) < 60)
    stamps = frozenset(t for t, n in seen.items() if n >= 3)
    asm = _Assembler([], 0, [], [])
    for page_no, (body, (width, _height)) in enumerate(zip(bodies, sizes, strict=True), 1):
        ordered, cols = _column_order(body, width)
        _blocks_for_page(asm, page_no, ordered, cols, stamps)
    heading_title = next(
        (
            " ".join("".join(asm.parts)[b.start : b.end].split())
            for b in asm.blocks
            if b.kind == BlockKind.HEADING and b.page <= 2
        ),
        "",
    )
    # Metadata titles are often an editor's file name ("Microsoft Word - dpa_v3.doc"); the first heading
    # on the page is what a reader calls the document.
    body_start = " ".join("".join(asm.parts)[:5000].split()).lower()
    if heading_title or len(title) > 100 or " ".join(title.split()).lower() not in body_start:
        title = heading_title
    return Document(
        source_path=str(path),
        sha256=sha256,
        format=Format.PDF,
        text="".join(asm.parts),
        pages=tuple(pages),
        blocks=tuple(asm.blocks),
        warnings=tuple(warns),
        lines=tuple(asm.lines),
        furniture=tuple(furniture),
        title=title[:200],
    )


def _has_images(page, raw) -> bool:  # type: ignore[no-untyped-def]
    try:
        for _obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
            return True
    except Exception:  # noqa: BLE001 - a damaged object tree only means "don't know"
        return False
    return False


def _page_list(numbers: list[int]) -> str:
    if len(numbers) > 12:
        return ", ".join(map(str, numbers[:12])) + f" and {len(numbers) - 12} more"
    return ", ".join(map(str, numbers))
