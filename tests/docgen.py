"""Generators for test PDFs (reportlab) with known text and geometry.

Each generator writes a real file and returns facts the tests check against: the paragraphs in reading
order, the running header/footer strings, the phrase positions. Nothing here reads ../shared.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 10.0
LEADING = 13.0
MARGIN = 72.0

CLAUSE_SENTENCES = (
    "The Vendor shall use Student Data only to provide the Services to the District.",
    "The Vendor shall not sell, rent or disclose Student Data to any third party for advertising.",
    "All Student Data shall be encrypted in transit and at rest using industry standard methods.",
    "The Vendor shall notify the District of any breach within seventy-two hours of discovery.",
    "Upon termination the Vendor shall delete all Student Data within thirty days and certify deletion.",
    "The District may audit the Vendor's security practices once per year on reasonable notice.",
)


@dataclass
class PdfFacts:
    path: Path
    paragraphs: list[str] = field(default_factory=list)  # body paragraphs in reading order
    headers: list[str] = field(default_factory=list)  # running header text per page
    footers: list[str] = field(default_factory=list)
    pages: int = 0


def _wrap(text: str, width: float, font: str = FONT, size: float = SIZE) -> list[str]:
    return simpleSplit(text, font, size, width)


def _new_canvas(path: Path, pagesize: tuple[float, float] = LETTER) -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=pagesize, pageCompression=1)
    c.setTitle("")
    return c


def contract_paragraphs(articles: int = 4, sections: int = 3) -> list[str]:
    """Numbered contract text: "ARTICLE n – HEADING" then "n.m Sentence …" paragraphs."""
    heads = [
        "DEFINITIONS",
        "DATA USE",
        "DATA SECURITY",
        "BREACH NOTICE",
        "DELETION",
        "AUDIT",
        "TERM",
        "GENERAL",
    ]
    out = [
        "DATA PRIVACY AGREEMENT",
        "This Data Privacy Agreement is entered into by the School District and the Vendor named below.",
    ]
    for a in range(1, articles + 1):
        out.append(f"ARTICLE {a} – {heads[(a - 1) % len(heads)]}")
        for s in range(1, sections + 1):
            sent = CLAUSE_SENTENCES[(a * sections + s) % len(CLAUSE_SENTENCES)]
            out.append(f"{a}.{s} {sent} This obligation applies to clause {a}.{s} and survives termination.")
    return out


def write_pdf(
    path: Path,
    paragraphs: Sequence[str],
    *,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool = False,
    min_pages: int = 1,
    pagesize: tuple[float, float] = LETTER,
) -> PdfFacts:
    """Single-column PDF: paragraphs wrapped to the text width, a blank line between paragraphs.

    ``header``/``footer`` repeat on every page ("{page}" and "{pages}" are substituted); page numbers
    are drawn as "Page N of M" centred at the bottom when ``page_numbers`` is set.
    """
    width, height = pagesize
    text_width = width - 2 * MARGIN
    # Lay out first so "of M" is known.
    layout: list[list[tuple[str, str]]] = [[]]
    y = height - MARGIN
    for p in paragraphs:
        font = BOLD if p.isupper() or p.startswith("ARTICLE") else FONT
        lines = _wrap(p, text_width, font)
        if y - LEADING * len(lines) < MARGIN and layout[-1]:
            layout.append([])
            y = height - MARGIN
        for ln in lines:
            layout[-1].append((font, ln))
            y -= LEADING
        layout[-1].append(("", ""))
        y -= LEADING
    while len(layout) < min_pages:
        layout.append([])
    total = len(layout)
    facts = PdfFacts(path, list(paragraphs), pages=total)
    c = _new_canvas(path, pagesize)
    for n, page in enumerate(layout, start=1):
        y = height - MARGIN
        for font, ln in page:
            if font:
                c.setFont(font, SIZE)
                c.drawString(MARGIN, y, ln)
            y -= LEADING
        c.setFont(FONT, 8)
        if header is not None:
            h = header.format(page=n, pages=total)
            c.drawString(MARGIN, height - 36, h)
            facts.headers.append(h)
        if footer is not None:
            f = footer.format(page=n, pages=total)
            c.drawString(MARGIN, 30, f)
            facts.footers.append(f)
        if page_numbers:
            c.drawCentredString(width / 2, 18, f"Page {n} of {total}")
        c.showPage()
    c.save()
    return facts


def contract_pdf(path: Path, pages: int = 3, **kw: object) -> PdfFacts:
    """A numbered contract long enough to fill ``pages`` pages (at least)."""
    articles = 1
    paras = contract_paragraphs(articles, 8)
    # ~40 lines per page; each section is about three lines plus a gap.
    while len(paras) * 3.2 < pages * 44:
        articles += 1
        paras = contract_paragraphs(articles, 8)
    return write_pdf(path, paras, min_pages=pages, **kw)  # type: ignore[arg-type]


def two_column_pdf(
    path: Path, left: Sequence[str], right: Sequence[str], *, title: str = "", interleaved: bool = False
) -> PdfFacts:
    """Two columns with a 36 pt gutter; ``interleaved`` draws row by row (left, right, left, …) so the
    content stream order is *not* the reading order."""
    width, height = LETTER
    gutter = 36.0
    col_w = (width - 2 * MARGIN - gutter) / 2
    c = _new_canvas(path)
    top = height - MARGIN
    if title:
        c.setFont(BOLD, 14)
        c.drawCentredString(width / 2, top, title)
        top -= 2 * LEADING

    def column_lines(paras: Sequence[str]) -> list[str]:
        out: list[str] = []
        for p in paras:
            out.extend(_wrap(p, col_w))
            out.append("")
        return out

    lcol, rcol = column_lines(left), column_lines(right)
    c.setFont(FONT, SIZE)
    if interleaved:
        for i in range(max(len(lcol), len(rcol))):
            y = top - i * LEADING
            if i < len(lcol) and lcol[i]:
                c.drawString(MARGIN, y, lcol[i])
            if i < len(rcol) and rcol[i]:
                c.drawString(MARGIN + col_w + gutter, y, rcol[i])
    else:
        for x, col in ((MARGIN, lcol), (MARGIN + col_w + gutter, rcol)):
            for i, ln in enumerate(col):
                if ln:
                    c.drawString(x, top - i * LEADING, ln)
    c.showPage()
    c.save()
    return PdfFacts(path, ([title] if title else []) + list(left) + list(right), pages=1)


def hyphenated_pdf(path: Path, lines: Sequence[str]) -> PdfFacts:
    """Lines drawn exactly as given (so a test controls where a word is split with a hyphen)."""
    width, height = LETTER
    c = _new_canvas(path)
    c.setFont(FONT, SIZE)
    y = height - MARGIN
    for ln in lines:
        if ln:
            c.drawString(MARGIN, y, ln)
        y -= LEADING
    c.showPage()
    c.save()
    return PdfFacts(path, list(lines), pages=1)


def _png_bytes(w: int = 200, h: int = 260) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    for y in range(20, h - 20, 12):
        draw.line((20, y, w - 20, y), fill="black", width=3)  # looks like lines of print
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def scanned_pdf(path: Path, pages: int = 2, text_pages: Sequence[int] = (), stamp: bool = False) -> PdfFacts:
    """Pages that carry only an image (a "scan"), except those in ``text_pages`` (1-based) which have text.

    ``stamp`` adds a text-layer page number ("Page N") to every page, as scanning services do.
    """
    from reportlab.lib.utils import ImageReader

    width, height = LETTER
    img = ImageReader(io.BytesIO(_png_bytes()))
    c = _new_canvas(path)
    paras = []
    for n in range(1, pages + 1):
        if n in text_pages:
            c.setFont(FONT, SIZE)
            line = f"Page {n} has a real text layer about Student Data."
            c.drawString(MARGIN, height - MARGIN, line)
            paras.append(line)
        else:
            c.drawImage(img, MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)
        if stamp:
            c.setFont(FONT, 8)
            c.drawCentredString(width / 2, 20, f"Page {n}")
        c.showPage()
    c.save()
    return PdfFacts(path, paras, pages=pages)


def encrypt_pdf(src: Path, dest: Path, user_password: str, owner_password: str | None = None) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(
        user_password=user_password,
        owner_password=owner_password or user_password + "-owner",
        algorithm="AES-128",
    )
    with open(dest, "wb") as fh:
        writer.write(fh)
    return dest


def add_javascript_and_attachment(src: Path, dest: Path) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.add_attachment("payload.txt", b"not a contract")
    # Document-level JavaScript in the /Names tree, written by hand (pypdf 7 removed add_js).
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    add = getattr(writer, "add_object", None) or writer._add_object
    ref = add(action)
    root = writer._root_object
    names = root.get("/Names")
    names = names.get_object() if names is not None else DictionaryObject()
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), ref])}
    )
    root[NameObject("/Names")] = names
    with open(dest, "wb") as fh:
        writer.write(fh)
    return dest


def giant_page_pdf(path: Path, side_inches: float = 250.0) -> PdfFacts:
    side = side_inches * 72
    c = _new_canvas(path, (side, side))
    c.setFont(FONT, SIZE)
    c.drawString(MARGIN, side - MARGIN, "A page far larger than any contract page.")
    c.showPage()
    c.save()
    return PdfFacts(path, ["A page far larger than any contract page."], pages=1)


def rows_pdf(path: Path, rows: Sequence[Sequence[tuple[float, str, str]]], size: float = SIZE) -> PdfFacts:
    """Rows of (x, text, font) pieces, one row per ``LEADING``; an empty row leaves a blank line."""
    width, height = LETTER
    c = _new_canvas(path)
    y = height - MARGIN
    texts = []
    for row in rows:
        for x, text, font in row:
            c.setFont(font, size)
            c.drawString(x, y, text)
            texts.append(text)
        y -= LEADING
    c.showPage()
    c.save()
    return PdfFacts(path, texts, pages=1)
