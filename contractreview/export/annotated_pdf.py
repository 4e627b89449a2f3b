"""A copy of a PDF contract with highlight annotations and pop-up notes on flagged evidence (pypdf).

Evidence boxes are in PDF points with a top-left origin (as the PDF ingester reports them); PDF
annotations use the bottom-left origin of the page's MediaBox, so ``y = mediabox.top - top``. When an
evidence item carries no boxes (a review rebuilt from the store), the quote is searched for on its page
with pypdfium2, the same engine that read the contract. Protections with no evidence at all are listed
in one sticky note on page 1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain import Analysis, Annotation, BBox, Evidence, ReportMeta, ReviewDecision
from ..errors import ExportError
from ._atomic import write_atomic
from ._locate import tokens
from .annotated_docx import comment_lines
from .model import build_report, not_checked_lines

# Highlight colours by status: red for missing-ish, amber for weak, blue-grey for needs review.
_COLOURS = {"missing": "ff6666", "weak": "ffcc33", "needs_review": "99aacc"}
_REVIEWER_COLOUR = "88dd99"  # the reviewer's own notes and evidence: green


@dataclass(frozen=True, slots=True)
class PdfHighlight:
    requirement_id: str
    page: int  # 1-based
    rect: tuple[float, float, float, float]  # PDF user space, bottom-left origin
    annotation_id: int | None = None  # the reviewer's annotation this note carries (issue #16)


def _appearance(writer, rect, boxes, colour: str):  # type: ignore[no-untyped-def]
    """A normal appearance stream (multiply-blended fill of each line box).

    Viewers that do not synthesise highlight appearances from /QuadPoints show this instead.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    x0, y0, x1, y1 = rect
    ops = [f"/GS0 gs {r:.3f} {g:.3f} {b:.3f} rg"]
    ops += [
        f"{bx0 - x0:.2f} {by0 - y0:.2f} {bx1 - bx0:.2f} {by1 - by0:.2f} re f" for bx0, by0, bx1, by1 in boxes
    ]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("ascii"))
    gs = DictionaryObject(
        {NameObject("/Type"): NameObject("/ExtGState"), NameObject("/BM"): NameObject("/Multiply")}
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(x1 - x0), FloatObject(y1 - y0)]
            ),
            NameObject("/Matrix"): ArrayObject([FloatObject(v) for v in (1, 0, 0, 1, 0, 0)]),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/ExtGState"): DictionaryObject({NameObject("/GS0"): gs})}
            ),
        }
    )
    return DictionaryObject({NameObject("/N"): writer._add_object(stream)})


def _match_lines(pdf, idx: int, pattern: re.Pattern[str]) -> list[list[BBox]]:  # type: ignore[no-untyped-def]
    """Per-line boxes of every match of ``pattern`` in the text of page ``idx`` (0-based).

    ``pdf`` is an open ``pypdfium2.PdfDocument``; the caller holds the pdfium lock. Boxes are in the
    ingester's coordinates (top-left origin, ``top = page height - pdfium y``), one per visual line.
    A damaged page gives no matches rather than stopping the export.
    """
    page = textpage = None
    try:
        page = pdf[idx]
        height = page.get_height()
        textpage = page.get_textpage()
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(text) != n:  # astral characters: keep string positions equal to pdfium's indices
            text = text[:n].ljust(n)
        found: list[list[BBox]] = []
        for match in pattern.finditer(text):
            lines: dict[float, BBox] = {}
            for i in range(match.start(), match.end()):
                if text[i].isspace():
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
                if x1 <= x0 or y1 <= y0:  # a character pdfium generated (no glyph on the page)
                    continue
                box = BBox(x0, height - y1, x1, height - y0)
                key = round(box.top, 0)
                lines[key] = lines[key].union(box) if key in lines else box
            if lines:
                found.append([b for _, b in sorted(lines.items())])
        return found
    except Exception:  # noqa: BLE001 - a damaged page must not stop the export
        return []
    finally:
        if textpage is not None:
            textpage.close()
        if page is not None:
            page.close()


def _words_pattern(text: str, limit: int) -> re.Pattern[str] | None:
    words = tokens(text)
    if not words:
        return None
    return re.compile(r"\W+".join(re.escape(w) for w in words[:limit]), re.IGNORECASE)


def _search_boxes(pdf, ev: Evidence) -> list[tuple[int, BBox]]:  # type: ignore[no-untyped-def]
    """Find the quote on its page (then anywhere) by its words; boxes per matched line (pypdfium2)."""
    pattern = _words_pattern(ev.text, 40)
    if pattern is None:
        return []
    pages = list(range(len(pdf)))
    if 1 <= ev.page <= len(pages):
        pages.remove(ev.page - 1)
        pages.insert(0, ev.page - 1)
    for idx in pages:
        matches = _match_lines(pdf, idx, pattern)
        if matches:
            return [(idx + 1, b) for b in matches[0]]
    return []


def _selection_boxes(pdf, page_no: int, quote: str, lines: list[BBox]) -> list[tuple[int, BBox]]:  # type: ignore[no-untyped-def]
    """Character-precise boxes of the selected words on their page: the occurrence that lies on the
    selection's own lines (``lines``, from the ingested layout). Empty when it cannot be pinned down."""
    pattern = _words_pattern(quote, 60)
    if pattern is None or not (1 <= page_no <= len(pdf)):
        return []
    for boxes in _match_lines(pdf, page_no - 1, pattern):
        if all(any(ln.top - 2 <= (b.top + b.bottom) / 2 <= ln.bottom + 2 for ln in lines) for b in boxes):
            return [(page_no, b) for b in boxes]
    return []


def _place_highlight(  # type: ignore[no-untyped-def]
    writer, page_no: int, page_boxes: list[BBox], colour: str, note: str, author: str, subject: str, name: str
) -> tuple[float, float, float, float]:
    """One highlight over ``page_boxes`` (top-left-origin points) with its note and closed pop-up; its rect."""
    from pypdf.annotations import Highlight, Popup
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    page = writer.pages[page_no - 1]
    mb = page.mediabox
    left, top = float(mb.left), float(mb.top)
    quads: list[FloatObject] = []
    page_boxes_pdf: list[tuple[float, float, float, float]] = []
    for b in page_boxes:
        x0, x1 = left + b.x0, left + b.x1
        y_top, y_bot = top - b.top, top - b.bottom
        page_boxes_pdf.append((x0, y_bot, x1, y_top))
        quads += [FloatObject(v) for v in (x0, y_top, x1, y_top, x0, y_bot, x1, y_bot)]
    rect = (
        min(b[0] for b in page_boxes_pdf),
        min(b[1] for b in page_boxes_pdf),
        max(b[2] for b in page_boxes_pdf),
        max(b[3] for b in page_boxes_pdf),
    )
    hl = Highlight(rect=rect, quad_points=ArrayObject(quads), highlight_color=colour, printing=True)
    hl[NameObject("/AP")] = _appearance(writer, rect, page_boxes_pdf, colour)
    hl[NameObject("/Contents")] = _pdf_text(note)
    hl[NameObject("/T")] = _pdf_text(author)
    hl[NameObject("/Subj")] = _pdf_text(subject)
    hl[NameObject("/NM")] = _pdf_text(name)
    ref = writer.add_annotation(page_number=page_no - 1, annotation=hl)
    right = float(mb.right)
    popup_rect = (max(left, right - 220), max(float(mb.bottom), rect[3] - 140), right - 10, rect[3])
    writer.add_annotation(page_number=page_no - 1, annotation=Popup(rect=popup_rect, parent=ref, open=False))
    return rect


def annotate_pdf(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision],
    meta: ReportMeta,
    source: Path,
    dest: Path,
    *,
    password: str | None = None,
    data: bytes | None = None,
    annotations: Sequence[Annotation] = (),
) -> tuple[Path, list[PdfHighlight]]:
    """Write the highlighted copy; returns the path and every highlight placed.

    ``annotations``: the reviewer's annotations of the document; each becomes a note on its highlighted
    text (author = the annotation's author), as does an overridden status's evidence (issue #16).

    ``data``: the contract's bytes as vetted by :func:`~contractreview.ingest.vetted_bytes` (read here
    through it when not given); the file is never opened by path by pypdf or pypdfium2.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import NameObject

    from ..ingest.sniff import pdf_header_offset
    from ..pdfium_guard import PDFIUM_LOCK
    from ._source import analysed_bytes

    source = Path(source)
    if data is None:
        data = analysed_bytes(analysis, source, password)
    data = data[max(0, pdf_header_offset(data)) :]
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(password or ""):
            raise ExportError("is encrypted; give its password (--password) to annotate it.", source)
        writer = PdfWriter(clone_from=reader)
        if encrypted:
            # The copy must stay as protected as the original: same password, AES-256.
            writer.encrypt(user_password=password or "", algorithm="AES-256")
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(f"cannot read the contract to annotate ({exc.strerror or exc}).", source) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for broken files
        raise ExportError(f"is not a PDF that can be annotated ({exc}).", source) from exc

    _strip_scripts(writer)
    _strip_embedded_files(writer)
    model = build_report(analysis, decisions, meta)
    author = meta.reviewer or "ContractReview"
    evidence_by_req = {f.requirement_id: f.evidence for f in analysis.findings}
    doc = analysis.document
    placed: list[PdfHighlight] = []
    unplaced: list[str] = []
    searched = None  # the contract opened in pypdfium2, only when a quote has to be searched for

    def search_doc():  # type: ignore[no-untyped-def]
        """The contract in pypdfium2, opened on first use; call with PDFIUM_LOCK held."""
        nonlocal searched
        if searched is None:
            import pypdfium2 as pdfium

            searched = pdfium.PdfDocument(data, password=password or None)
        return searched

    try:
        for item in model.flagged:
            note = "\n".join(comment_lines(item))
            any_box = False
            for ev in evidence_by_req.get(item.requirement_id, ()):
                boxes = list(ev.boxes) or list(doc.boxes_for(ev.start, ev.end) if doc.text else ())
                if not boxes:
                    with PDFIUM_LOCK:  # pdfium is not thread-safe (the GUI may be rendering pages)
                        boxes = _search_boxes(search_doc(), ev)
                by_page: dict[int, list[BBox]] = {}
                for page_no, box in boxes:
                    if 1 <= page_no <= len(writer.pages):
                        by_page.setdefault(page_no, []).append(box)
                for page_no, page_boxes in by_page.items():
                    rect = _place_highlight(
                        writer, page_no, page_boxes, _COLOURS.get(item.status.value, "ffcc33"), note, author,
                        f"{item.title} ({item.status_label})",
                        f"contractreview-{item.number}-{page_no}-{len(placed)}",  # no ids in the file (#18)
                    )
                    placed.append(PdfHighlight(item.requirement_id, page_no, rect))
                    any_box = True
            if not any_box:
                unplaced.append(item.requirement_id)
        from ._reviewer_marks import reviewer_marks

        marks, reviewer_summary = reviewer_marks(analysis, model, annotations, author)
        for n, mark in enumerate(marks, 1):
            ev = Evidence(mark.quote, mark.start, mark.end, doc.page_at(mark.start) if doc.blocks else 1)
            boxes = list(doc.boxes_for(mark.start, mark.end) if doc.text else ())
            pages = {p for p, _ in boxes}
            if len(pages) == 1:
                # The layout knows the lines; the page's characters give the selection's own extent.
                with PDFIUM_LOCK:
                    selected = _selection_boxes(search_doc(), pages.pop(), mark.quote, [b for _, b in boxes])
                boxes = selected or boxes
            if not boxes:
                with PDFIUM_LOCK:
                    boxes = _search_boxes(search_doc(), ev)
            by_page = {}
            for page_no, box in boxes:
                if 1 <= page_no <= len(writer.pages):
                    by_page.setdefault(page_no, []).append(box)
            if not by_page:
                reviewer_summary.append(f"{mark.subject}: {' '.join(mark.lines)}")
            for page_no, page_boxes in by_page.items():
                rect = _place_highlight(writer, page_no, page_boxes, _REVIEWER_COLOUR, "\n".join(mark.lines),
                                        mark.author, mark.subject, f"contractreview-reviewer-{n}-{page_no}")
                placed.append(PdfHighlight(mark.requirement_id, page_no, rect, mark.annotation_id))
    finally:
        if searched is not None:
            with PDFIUM_LOCK:
                searched.close()

    if (unplaced or model.not_checked or reviewer_summary) and len(writer.pages):
        items = {i.requirement_id: i for i in model.flagged}
        lines = []
        if unplaced:
            lines.append(
                f"ContractReview: {len(unplaced)} flagged protection(s) with no clause to highlight:"
            )
        lines += [
            f"{items[r].number}. {items[r].title}: {items[r].status_label} — {items[r].decision_text}"
            for r in unplaced
        ]
        lines += not_checked_lines(model)
        lines += reviewer_summary
        lines.append("Not legal advice.")
        mb = writer.pages[0].mediabox
        rect = (float(mb.left) + 10, float(mb.top) - 34, float(mb.left) + 34, float(mb.top) - 10)
        sticky = Text(rect=rect, text="\n".join(lines), open=False)
        sticky[NameObject("/Contents")] = _pdf_text("\n".join(lines))
        sticky[NameObject("/T")] = _pdf_text(author)
        sticky[NameObject("/Name")] = NameObject("/Comment")
        writer.add_annotation(page_number=0, annotation=sticky)


    def _save(tmp: Path) -> None:
        writer.write(str(tmp))

    path = write_atomic(Path(dest), _save, refuse=(source,))
    return path, placed


_ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm", "/URI", "/GoToR", "/GoToE")


def _is_active_action(obj) -> bool:  # type: ignore[no-untyped-def]
    try:
        obj = obj.get_object()
        return hasattr(obj, "get") and str(obj.get("/S", "")) in _ACTIVE_ACTIONS
    except Exception:  # noqa: BLE001 - a broken action is dropped like an active one
        return True


def _strip_scripts(writer) -> int:  # type: ignore[no-untyped-def]
    """Remove document JavaScript and automatic actions from the copy (issue #7): the annotated copy
    goes to colleagues and counsel and must not carry a vendor file's scripts. Text, pages, links a
    reader clicks and embedded files are kept; returns how many entries were removed."""
    from pypdf.generic import NameObject

    removed = 0
    root = writer._root_object
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if "/JavaScript" in names:
            del names[NameObject("/JavaScript")]
            removed += 1
    if "/OpenAction" in root and _is_active_action(root["/OpenAction"]):
        del root[NameObject("/OpenAction")]
        removed += 1
    if "/AA" in root:
        del root[NameObject("/AA")]
        removed += 1
    for page in writer.pages:
        if "/AA" in page:
            del page[NameObject("/AA")]
            removed += 1
    return removed


def _strip_embedded_files(writer) -> int:  # type: ignore[no-untyped-def]
    """Drop the vendor's attachments (embedded files, associated files, file-attachment annotations)
    from the copy (#19): the reviewer's copy goes on to colleagues, and an attached program would travel
    with it under the district's name. Returns how many were removed."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject

    removed = 0
    root = writer._root_object
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        if "/EmbeddedFiles" in names:
            del names[NameObject("/EmbeddedFiles")]
            removed += 1
    for key in ("/AF", "/Collection"):
        if key in root:
            del root[NameObject(key)]
            removed += 1
    for page in writer.pages:
        if "/AF" in page:
            del page[NameObject("/AF")]
            removed += 1
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                removed += 1
                continue
            kept.append(ref)
        page[NameObject("/Annots")] = kept
    # The cloned object table still holds the files themselves, now unreferenced: blank every embedded
    # file stream (marked /Type /EmbeddedFile, or named by a file specification's /EF).
    blank: set[int] = set()
    for i, obj in enumerate(writer._objects):
        if not isinstance(obj, DictionaryObject):
            continue
        if obj.get("/Type") == "/EmbeddedFile":
            blank.add(i)
        ef = obj.get("/EF")
        if ef is not None:
            for ref in ef.get_object().values():
                if isinstance(ref, IndirectObject):
                    blank.add(ref.idnum - 1)
    for i in blank:
        if 0 <= i < len(writer._objects):
            writer._objects[i] = NullObject()
            removed += 1
    return removed


def _pdf_text(value: str):
    """A PDF text string readers agree on: ASCII as is, anything else UTF-16BE with a byte-order mark.

    pypdf would write "—" or "é" in PDFDocEncoding, which is valid PDF but which some readers
    (pdfplumber's annotation parser among them) fail to decode; UTF-16BE with BOM reads everywhere.
    """
    from pypdf.generic import TextStringObject

    text = TextStringObject(value)
    if not value.isascii():
        import codecs

        text.autodetect_utf16 = True
        text.utf16_bom = codecs.BOM_UTF16_BE
    return text


def write_annotated_pdf(
    analysis: Analysis, decisions: Mapping[str, ReviewDecision], meta: ReportMeta, source: Path, dest: Path
) -> Path:
    return annotate_pdf(analysis, decisions, meta, source, dest)[0]
