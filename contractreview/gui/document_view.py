"""The document pane: PDF pages rendered with pypdfium2, or flowing text for DOCX/TXT/Markdown.

Evidence is highlighted at its boxes (PDF) or character offsets (text). Clicking a highlight emits
``highlightClicked(requirement_id)``; :meth:`DocumentView.show_evidence` scrolls to a finding's
evidence and flashes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import BBox, BlockKind, Document, Evidence, Finding, Format, Status
from ..pdfium_guard import PDFIUM_LOCK
from .doc_selection import Mark, offset_at, snap_to_words, span_boxes
from .status_style import HIGHLIGHT_COLORS, STATUS_LABELS

PAGE_GAP = 14.0  # points between pages
ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
FLASH_TOGGLES = 6
FLASH_INTERVAL_MS = 140


@dataclass(frozen=True, slots=True)
class Highlight:
    requirement_id: str
    status: Status
    title: str
    start: int
    end: int
    boxes: tuple[tuple[int, BBox], ...]
    index: int = 0  # position in ``Finding.evidence``; 0 is the passage the detail pane quotes


def merge_line_boxes(boxes: Sequence[tuple[int, BBox]]) -> tuple[tuple[int, BBox], ...]:
    """One box per line: word boxes on the same page and line (vertical overlap over half the height)
    become one rectangle.

    Typewriter-style PDFs (one text object per word) gave every word its own dotted outline, which made
    the page unreadable at 77% (issue #17)."""
    out: list[tuple[int, BBox]] = []
    for page, box in boxes:
        if out:
            p, last = out[-1]
            overlap = min(last.bottom, box.bottom) - max(last.top, box.top)
            height = min(last.bottom - last.top, box.bottom - box.top)
            if p == page and height > 0 and overlap > 0.5 * height and box.x0 >= last.x0 - 1:
                out[-1] = (page, last.union(box))
                continue
        out.append((page, box))
    return tuple(out)


def highlights_for(findings: Sequence[Finding], document: Document | None = None) -> list[Highlight]:
    """One highlight per evidence of every finding; boxes come from the evidence or the document."""
    out: list[Highlight] = []
    for f in findings:
        evidence = list(f.evidence)
        ov = f.override
        if ov is not None and ov.in_force and ov.evidence is not None:
            # The reviewer's evidence comes first: the passage "Show evidence" jumps to (#16).
            a = ov.evidence
            evidence.insert(0, Evidence(a.quote, a.start, a.end, document.page_at(a.start) if document else 1))
        for i, ev in enumerate(evidence):
            boxes = ev.boxes
            if not boxes and document is not None and document.format is Format.PDF:
                boxes = document.boxes_for(ev.start, ev.end)
            out.append(Highlight(f.requirement_id, f.status, f.title, ev.start, ev.end, merge_line_boxes(boxes), i))
    return out


def _pen_for(status: Status, emphasized: bool) -> QPen:
    r, g, b = HIGHLIGHT_COLORS[status]
    pen = QPen(QColor(r, g, b).darker(150), 2.5 if emphasized else 1.0)
    # Line style differs per status so highlights are distinguishable without colour.
    pen.setStyle(
        {
            Status.MISSING: Qt.PenStyle.SolidLine,
            Status.WEAK: Qt.PenStyle.DashLine,
            Status.SATISFIED: Qt.PenStyle.DotLine,
            Status.NEEDS_REVIEW: Qt.PenStyle.DashDotLine,
        }[status]
    )
    pen.setCosmetic(True)
    return pen


def _brush_for(status: Status, alpha: int) -> QBrush:
    r, g, b = HIGHLIGHT_COLORS[status]
    return QBrush(QColor(r, g, b, alpha))


# ====================================================================== PDF


class _HighlightItem(QGraphicsRectItem):
    def __init__(self, rect: QRectF, hl: Highlight, view: PdfPagesView) -> None:
        super().__init__(rect)
        self.hl = hl
        self._view = view
        self.emphasized = False
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{STATUS_LABELS[hl.status]}: {hl.title} (click to show the finding)")
        self.apply_style()

    def apply_style(self, flash: bool = False) -> None:
        # satisfied evidence stays faint so the flags stand out on a busy page
        base = 35 if self.hl.status is Status.SATISFIED else 70
        alpha = 170 if flash else (110 if self.emphasized else base)
        self.setBrush(_brush_for(self.hl.status, alpha))
        self.setPen(_pen_for(self.hl.status, self.emphasized or flash))

    def paint(self, painter, option, widget=None) -> None:  # type: ignore[no-untyped-def]
        # Multiply keeps the page's black text black under the tint, however strong the emphasis.
        painter.save()
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        super().paint(painter, option, widget)
        painter.restore()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        event.accept()  # the click selects the finding on release: a drag over it selects text (#16)

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        moved = event.screenPos() - event.buttonDownScreenPos(Qt.MouseButton.LeftButton)
        if moved.manhattanLength() < 4:
            self._view.highlightClicked.emit(self.hl.requirement_id)
        event.accept()


ANNOTATION_COLOR = QColor(123, 31, 162)  # reviewer annotations: purple, apart from every status colour
SELECTION_COLOR = QColor(30, 136, 229)


class _MarkItem(QGraphicsRectItem):
    """A reviewer annotation on the page: purple outline (dashed red when it no longer matches)."""

    def __init__(self, rect: QRectF, mark: Mark, view: PdfPagesView) -> None:
        super().__init__(rect)
        self.mark = mark
        self._view = view
        self.setZValue(12)
        pen = QPen(QColor(198, 40, 40) if mark.unmatched else ANNOTATION_COLOR, 1.5)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine if mark.unmatched else Qt.PenStyle.SolidLine)
        self.setPen(pen)
        self.setBrush(QBrush(QColor(255, 235, 59, 60)))
        self.setToolTip(mark.tooltip)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self._view.markClicked.emit(self.mark.key)
        event.ignore()  # the view still sees the press: a drag starting here selects text


class PdfPagesView(QGraphicsView):
    """All pages stacked vertically in one scene (units: PDF points); pixmaps render lazily."""

    highlightClicked = Signal(str)  # noqa: N815
    pageChanged = Signal(int)  # noqa: N815
    markClicked = Signal(object)  # Mark.key  # noqa: N815
    selectionChanged = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QColor("#8a8f96"))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName("Document pages")
        self._pdf = None  # pypdfium2.PdfDocument
        self._page_rects: list[QRectF] = []
        self._pixmaps: dict[int, QGraphicsPixmapItem] = {}
        self._rendered_scale: dict[int, float] = {}
        self._highlights: list[_HighlightItem] = []
        self._find_items: list[QGraphicsRectItem] = []
        self.zoom = 1.0
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(15)
        self._render_timer.timeout.connect(self.render_visible)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self._flash_items: list[_HighlightItem] = []
        self._flash_left = 0
        self._last_page = 0
        self.render_count = 0
        self.shown: Highlight | None = None  # the passage the last jump centred on
        self._document: Document | None = None
        self.selection: tuple[int, int] | None = None  # Document.text offsets of the dragged passage
        self._sel_items: list[QGraphicsRectItem] = []
        self._mark_items: list[_MarkItem] = []
        self._marks: list[Mark] = []
        self._press: QPointF | None = None
        self.context_actions: list = []

    # ------------------------------------------------------------------ loading
    def _stop_flash(self) -> None:
        # The flashing items are about to be deleted with the scene or the highlight set.
        self._flash_timer.stop()
        self._flash_items = []
        self._flash_left = 0

    def close_pdf(self) -> None:
        self._stop_flash()
        self.scene().clear()
        self._pixmaps.clear()
        self._rendered_scale.clear()
        self._highlights.clear()
        self._find_items.clear()
        self._sel_items.clear()
        self._mark_items.clear()
        self._page_rects.clear()
        self._document = None
        if self.selection is not None:
            self.selection = None
            self.selectionChanged.emit()
        if self._pdf is not None:
            try:
                with PDFIUM_LOCK:
                    self._pdf.close()
            except Exception:  # noqa: BLE001
                pass
        self._pdf = None

    def open_pdf(self, path: str, document: Document, password: str | None = None) -> None:
        import hashlib

        import pypdfium2 as pdfium

        from ..errors import FileAccessError
        from ..ingest import read_bytes
        from ..ingest.sniff import pdf_header_offset
        from ..limits import Limits

        self.close_pdf()
        self._document = document
        # Pages are rendered from the bytes the ingest reader accepted (same SHA-256), read once through
        # its checks (regular file, size), never from a path that may have changed since (#19).
        data = read_bytes(Path(path), Limits.from_env())
        if document.sha256 and hashlib.sha256(data).hexdigest() != document.sha256:
            raise FileAccessError("the file changed since it was analysed", path)
        data = data[max(0, pdf_header_offset(data)) :]
        with PDFIUM_LOCK:
            self._pdf = pdfium.PdfDocument(data, password=password)
            count = len(self._pdf)
        y = PAGE_GAP
        pages = document.pages or tuple()
        for i in range(count):
            if i < len(pages):
                w, h = pages[i].width, pages[i].height
            else:
                with PDFIUM_LOCK:
                    page = self._pdf[i]
                    w, h = page.get_size()
                    page.close()
            rect = QRectF(0, y, w, h)
            self._page_rects.append(rect)
            sheet = self.scene().addRect(rect, QPen(QColor("#555")), QBrush(QColor("white")))
            sheet.setZValue(0)
            y += h + PAGE_GAP
        width = max((r.width() for r in self._page_rects), default=612.0)
        self.scene().setSceneRect(QRectF(-PAGE_GAP, 0, width + 2 * PAGE_GAP, y))
        self.set_zoom(self.zoom)
        self.verticalScrollBar().setValue(0)
        self._render_timer.start()

    @property
    def page_count(self) -> int:
        return len(self._page_rects)

    # ------------------------------------------------------------------ rendering
    def set_zoom(self, zoom: float) -> None:
        page = self.current_page()
        self.zoom = max(0.25, min(zoom, 6.0))
        self.setTransform(QTransform.fromScale(self.zoom, self.zoom))
        if self._page_rects:
            self.go_to_page(page)
        self._render_timer.start()

    def fit_width(self) -> None:
        if not self._page_rects:
            return
        avail = self.viewport().width() - 24
        self.set_zoom(max(0.25, avail / (self._page_rects[0].width() + 2 * PAGE_GAP)))

    def _on_scroll(self) -> None:
        self._render_timer.start()
        page = self.current_page()
        if page != self._last_page:
            self._last_page = page
            self.pageChanged.emit(page)

    def visible_pages(self) -> list[int]:
        """0-based indexes of pages intersecting the viewport (plus one page of margin)."""
        if not self._page_rects:
            return []
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        vis = [i for i, r in enumerate(self._page_rects) if r.intersects(area)]
        if not vis:
            return []
        lo, hi = max(0, vis[0] - 1), min(len(self._page_rects) - 1, vis[-1] + 1)
        return list(range(lo, hi + 1))

    def render_visible(self) -> None:
        if self._pdf is None:
            return
        wanted = set(self.visible_pages())
        dpr = self.devicePixelRatioF() or 1.0
        scale = self.zoom * dpr
        for i in sorted(wanted):
            if abs(self._rendered_scale.get(i, 0.0) - scale) > 1e-6:
                self._render_page(i, scale)
        # Drop pixmaps far from the viewport: a 300-page contract must not keep 300 bitmaps.
        for i in [i for i in self._pixmaps if i not in wanted and (not wanted or min(abs(i - w) for w in wanted) > 4)]:
            self.scene().removeItem(self._pixmaps.pop(i))
            self._rendered_scale.pop(i, None)

    def _render_page(self, index: int, scale: float) -> None:
        assert self._pdf is not None
        with PDFIUM_LOCK:  # the worker thread may be inside pdfium reading another PDF
            page = self._pdf[index]
            try:
                bitmap = page.render(scale=scale, rev_byteorder=True, may_draw_forms=True)
                image = QImage(
                    bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                    QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888,
                ).copy()  # copy: the pdfium buffer is freed with the bitmap
                bitmap.close()
            finally:
                page.close()
        self.render_count += 1
        item = self._pixmaps.get(index)
        if item is None:
            item = QGraphicsPixmapItem()
            item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            item.setZValue(1)
            self.scene().addItem(item)
            self._pixmaps[index] = item
        item.setPixmap(QPixmap.fromImage(image))
        rect = self._page_rects[index]
        item.setTransform(QTransform.fromScale(1 / scale, 1 / scale))
        item.setPos(rect.topLeft())
        self._rendered_scale[index] = scale

    # ------------------------------------------------------------------ navigation
    def current_page(self) -> int:
        """1-based page at the middle of the viewport (where evidence is centred)."""
        if not self._page_rects:
            return 0
        probe = self.mapToScene(self.viewport().width() // 2, self.viewport().height() // 2).y()
        for i, r in enumerate(self._page_rects):
            if probe < r.bottom() + PAGE_GAP:
                return i + 1
        return len(self._page_rects)

    def go_to_page(self, page: int) -> None:
        if not self._page_rects:
            return
        i = max(0, min(page - 1, len(self._page_rects) - 1))
        top = self._page_rects[i].top() - PAGE_GAP / 2
        self.verticalScrollBar().setValue(int(self.mapFromScene(0, top).y() + self.verticalScrollBar().value()))

    def scene_rect_for(self, page: int, box: BBox) -> QRectF | None:
        if not 1 <= page <= len(self._page_rects):
            return None
        origin = self._page_rects[page - 1].topLeft()
        return QRectF(origin.x() + box.x0, origin.y() + box.top, box.x1 - box.x0, box.bottom - box.top)

    # ------------------------------------------------------------------ highlights
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._stop_flash()
        for item in self._highlights:
            self.scene().removeItem(item)
        self._highlights = []
        for hl in highlights:
            for page, box in hl.boxes:
                rect = self.scene_rect_for(page, box)
                if rect is None:
                    continue
                item = _HighlightItem(rect.adjusted(-1, -1, 1, 1), hl, self)
                self.scene().addItem(item)
                self._highlights.append(item)

    def highlight_items(self, requirement_id: str | None = None) -> list[_HighlightItem]:
        return [h for h in self._highlights if requirement_id is None or h.hl.requirement_id == requirement_id]

    # ------------------------------------------------------------------ reviewer selection and marks
    def _rect_items(self, boxes: Sequence[tuple[int, BBox]], make) -> list:  # type: ignore[no-untyped-def]
        items = []
        for page, box in boxes:
            rect = self.scene_rect_for(page, box)
            if rect is not None:
                item = make(rect)
                self.scene().addItem(item)
                items.append(item)
        return items

    def set_marks(self, marks: Sequence[Mark]) -> None:
        for item in self._mark_items:
            self.scene().removeItem(item)
        self._marks = list(marks)
        self._mark_items = []
        if self._document is None:
            return
        for m in self._marks:
            self._mark_items += self._rect_items(span_boxes(self._document, m.start, m.end),
                                                 lambda r, m=m: _MarkItem(r.adjusted(-1.5, -1.5, 1.5, 1.5), m, self))

    def mark_items(self) -> list[_MarkItem]:
        return list(self._mark_items)

    def set_selection(self, start: int | None, end: int | None = None) -> None:
        """Select ``Document.text[start:end]`` (None clears) and draw it on the pages."""
        for item in self._sel_items:
            self.scene().removeItem(item)
        self._sel_items = []
        span = None if start is None or end is None or end <= start or self._document is None else (start, end)
        if span is not None:
            pen = QPen(SELECTION_COLOR, 1)
            pen.setCosmetic(True)

            def make(rect: QRectF) -> QGraphicsRectItem:
                item = QGraphicsRectItem(rect)
                item.setPen(pen)
                item.setBrush(QBrush(QColor(30, 136, 229, 70)))
                item.setZValue(13)
                item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
                return item

            self._sel_items = self._rect_items(span_boxes(self._document, *span), make)
        if span != self.selection:
            self.selection = span
            self.selectionChanged.emit()

    def _offset_at(self, scene: QPointF) -> int | None:
        if self._document is None:
            return None
        for i, r in enumerate(self._page_rects):
            if scene.y() < r.bottom() + PAGE_GAP / 2:
                return offset_at(self._document, i + 1, scene.x() - r.left(), scene.y() - r.top())
        return None

    def _drag_to(self, scene: QPointF) -> None:
        assert self._press is not None and self._document is not None
        a, b = self._offset_at(self._press), self._offset_at(scene)
        if a is None or b is None:
            return
        self.set_selection(*snap_to_words(self._document.text, min(a, b), max(a, b)))

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self.mapToScene(event.position().toPoint())
            self._press_view = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self._press is not None and (event.buttons() & Qt.MouseButton.LeftButton):
            if (event.position().toPoint() - self._press_view).manhattanLength() >= 4:
                self._drag_to(self.mapToScene(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            if (event.position().toPoint() - self._press_view).manhattanLength() >= 4:
                self._drag_to(self.mapToScene(event.position().toPoint()))
            else:
                self.set_selection(None)  # a click clears the selection
            self._press = None
        super().mouseReleaseEvent(event)

    def context_menu(self) -> QMenu:
        """The page's context menu: the reviewer's actions (comment, override, re-anchor)."""
        menu = QMenu(self)
        for act in self.context_actions:
            menu.addAction(act) if act is not None else menu.addSeparator()
        return menu

    def contextMenuEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if not self.context_actions:
            return super().contextMenuEvent(event)
        self.context_menu().exec(event.globalPos())

    def show_requirement(self, requirement_id: str, index: int = 0) -> bool:
        """Emphasize the finding's passages and centre on passage ``index`` (the one the detail pane quotes).

        Issue #17: centring on the earliest passage put the view in the Introduction while the pane
        quoted the Definitions clause (page 22 instead of page 200 on a 300-page PDF)."""
        items = self.highlight_items(requirement_id)
        for h in self._highlights:
            h.emphasized = h.hl.requirement_id == requirement_id
            h.apply_style()
        self.shown = None
        if not items:
            return False
        want = index if any(it.hl.index == index for it in items) else min(it.hl.index for it in items)
        quoted = [it for it in items if it.hl.index == want]
        first = min(quoted, key=lambda it: (it.rect().top(), it.rect().left()))
        self.shown = first.hl
        self.centerOn(first.rect().center())
        self._render_timer.start()
        self._flash(quoted)
        return True

    def _flash(self, items: list[_HighlightItem]) -> None:
        self._flash_items = items
        self._flash_left = FLASH_TOGGLES
        self._flash_timer.start()
        self._flash_step()

    def _flash_step(self) -> None:
        if self._flash_left <= 0:
            self._flash_timer.stop()
            for it in self._flash_items:
                it.apply_style()
            return
        on = self._flash_left % 2 == 0
        for it in self._flash_items:
            it.apply_style(flash=on)
        self._flash_left -= 1

    def is_flashing(self) -> bool:
        return self._flash_timer.isActive()

    def show_find(self, boxes: Sequence[tuple[int, BBox]]) -> None:
        for item in self._find_items:
            self.scene().removeItem(item)
        self._find_items = []
        for page, box in boxes:
            rect = self.scene_rect_for(page, box)
            if rect is None:
                continue
            pen = QPen(QColor("#1a237e"), 2)
            pen.setCosmetic(True)
            item = self.scene().addRect(rect.adjusted(-2, -2, 2, 2), pen, QBrush(QColor(63, 81, 181, 60)))
            item.setZValue(11)
            self._find_items.append(item)
        if self._find_items:
            self.centerOn(self._find_items[0].rect().center())
            self._render_timer.start()


# ====================================================================== flowing text


class TextDocView(QPlainTextEdit):
    """DOCX / TXT / Markdown body text with highlights as extra selections."""

    highlightClicked = Signal(str)  # noqa: N815
    markClicked = Signal(object)  # Mark.key  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setAccessibleName("Document text")
        self._text = ""
        self._utf16: list[int] | None = None
        self._highlights: list[Highlight] = []
        self._current: str | None = None
        self._find: tuple[int, int] | None = None
        self._flash_left = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self.viewport().installEventFilter(self)
        self._press_pos = None
        self.shown: Highlight | None = None  # the passage the last jump scrolled to
        self._marks: list[Mark] = []
        self.context_actions: list = []

    def set_text(self, text: str) -> None:
        # '\r' would become a paragraph break and shift every offset after it; a space keeps them.
        self._text = text.replace("\r", " ")
        if any(ord(c) > 0xFFFF for c in self._text):
            acc, table = 0, []
            for c in self._text:
                table.append(acc)
                acc += 2 if ord(c) > 0xFFFF else 1
            table.append(acc)
            self._utf16 = table
        else:
            self._utf16 = None
        self.setPlainText(self._text)
        self._marks = []
        self._highlights = []
        self._current = None
        self._find = None

    def mark_headings(self, document: Document) -> None:
        """Headings in bold, so the flowing text keeps the contract's structure."""
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        for b in document.blocks:
            if b.kind is BlockKind.HEADING and b.end > b.start:
                cur = QTextCursor(self.document())
                cur.setPosition(self.qpos(b.start))
                cur.setPosition(self.qpos(b.end), QTextCursor.MoveMode.KeepAnchor)
                cur.mergeCharFormat(fmt)

    def qpos(self, offset: int) -> int:
        """Python string offset -> QTextDocument position (UTF-16 units)."""
        offset = max(0, min(offset, len(self._text)))
        return self._utf16[offset] if self._utf16 else offset

    def offset_of(self, qpos: int) -> int:
        if not self._utf16:
            return qpos
        import bisect

        return max(0, bisect.bisect_right(self._utf16, qpos) - 1)

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._highlights = list(highlights)
        self._refresh()

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(self.qpos(start))
        cur.setPosition(self.qpos(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    def _refresh(self, flash: bool = False) -> None:
        sels = []
        for hl in self._highlights:
            fmt = QTextCharFormat()
            current = hl.requirement_id == self._current
            r, g, b = HIGHLIGHT_COLORS[hl.status]
            base = 35 if hl.status is Status.SATISFIED else 60
            alpha = 220 if (current and flash) else (150 if current else base)
            fmt.setBackground(QColor(r, g, b, alpha))
            # underline style differs per status (not colour alone)
            fmt.setUnderlineStyle(
                {
                    Status.MISSING: QTextCharFormat.UnderlineStyle.SingleUnderline,
                    Status.WEAK: QTextCharFormat.UnderlineStyle.DashUnderline,
                    Status.SATISFIED: QTextCharFormat.UnderlineStyle.DotLine,
                    Status.NEEDS_REVIEW: QTextCharFormat.UnderlineStyle.DashDotLine,
                }[hl.status]
            )
            fmt.setUnderlineColor(QColor(r, g, b).darker(160))
            fmt.setToolTip(f"{STATUS_LABELS[hl.status]}: {hl.title}")
            sels.append(self._selection(hl.start, hl.end, fmt))
        for m in self._marks:  # reviewer annotations: a wavy purple underline over the status tint
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(255, 235, 59, 110))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(198, 40, 40) if m.unmatched else ANNOTATION_COLOR)
            fmt.setToolTip(m.tooltip)
            sels.append(self._selection(m.start, m.end, fmt))
        if self._find is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(63, 81, 181, 90))
            fmt.setFontUnderline(True)
            sels.append(self._selection(*self._find, fmt))
        self.setExtraSelections(sels)

    def set_marks(self, marks: Sequence[Mark]) -> None:
        self._marks = list(marks)
        self._refresh()

    def mark_at(self, offset: int) -> Mark | None:
        hits = [m for m in self._marks if m.start <= offset < m.end]
        return min(hits, key=lambda m: m.end - m.start) if hits else None

    def selected_span(self) -> tuple[int, int] | None:
        """``Document.text`` offsets of the reviewer's selection, trimmed of surrounding whitespace."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        start, end = self.offset_of(cur.selectionStart()), self.offset_of(cur.selectionEnd())
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def set_selection(self, start: int | None, end: int | None = None) -> None:
        cur = self.textCursor()
        if start is None or end is None:
            cur.clearSelection()
        else:
            cur.setPosition(self.qpos(start))
            cur.setPosition(self.qpos(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def context_menu(self, pos=None) -> QMenu:  # type: ignore[no-untyped-def]
        """Copy / Select All, after the reviewer's actions (comment, override, re-anchor)."""
        menu = self.createStandardContextMenu(pos) if pos is not None else self.createStandardContextMenu()
        if self.context_actions:
            first = menu.actions()[0] if menu.actions() else None
            for act in self.context_actions:
                if act is None:
                    menu.insertSeparator(first)
                else:
                    menu.insertAction(first, act)
            menu.insertSeparator(first)
        return menu

    def contextMenuEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.context_menu(event.pos()).exec(event.globalPos())

    def highlight_at(self, offset: int) -> Highlight | None:
        hits = [h for h in self._highlights if h.start <= offset < h.end]
        if not hits:
            return None
        return min(hits, key=lambda h: h.end - h.start)

    def show_requirement(self, requirement_id: str, index: int = 0) -> bool:
        """Mark the finding's passages and scroll to passage ``index`` (the one the detail pane quotes)."""
        self._current = requirement_id
        self.shown = None
        hits = [h for h in self._highlights if h.requirement_id == requirement_id]
        if not hits:
            self._refresh()
            return False
        first = next((h for h in hits if h.index == index), None) or min(hits, key=lambda h: (h.index, h.start))
        self.shown = first
        self.scroll_to_offset(first.start)
        self._flash_left = FLASH_TOGGLES
        self._flash_timer.start()
        self._flash_step()
        return True

    def scroll_to_offset(self, offset: int) -> None:
        cur = self.textCursor()
        cur.setPosition(self.qpos(offset))
        self.setTextCursor(cur)
        self.centerCursor()

    def _flash_step(self) -> None:
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._refresh()
            return
        self._refresh(flash=self._flash_left % 2 == 0)
        self._flash_left -= 1

    def is_flashing(self) -> bool:
        return self._flash_timer.isActive()

    def show_find(self, start: int, end: int) -> None:
        self._find = (start, end)
        self._refresh()
        self.scroll_to_offset(start)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.viewport():
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press_pos = event.position().toPoint()
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press_pos is not None:
                moved = (event.position().toPoint() - self._press_pos).manhattanLength()
                self._press_pos = None
                if moved < 4:
                    pos = self.cursorForPosition(event.position().toPoint()).position()
                    mark = self.mark_at(self.offset_of(pos))
                    if mark is not None:
                        self.markClicked.emit(mark.key)
                    hl = self.highlight_at(self.offset_of(pos))
                    if hl is not None:
                        self.highlightClicked.emit(hl.requirement_id)
        return super().eventFilter(obj, event)


# ====================================================================== container


class DocumentView(QWidget):
    """Toolbar (zoom, page, find) over a PDF page view or a text view."""

    highlightClicked = Signal(str)  # noqa: N815
    markClicked = Signal(object)  # a reviewer annotation's Mark.key  # noqa: N815
    selectionChanged = Signal()  # the reviewer's text selection changed  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.pdf = PdfPagesView(self)
        self.text = TextDocView(self)
        self.empty = QLabel("No document open.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        for w in (self.empty, self.pdf, self.text):
            self.stack.addWidget(w)
        self.pdf.highlightClicked.connect(self.highlightClicked)
        self.text.highlightClicked.connect(self.highlightClicked)
        self.pdf.markClicked.connect(self.markClicked)
        self.text.markClicked.connect(self.markClicked)
        self.pdf.selectionChanged.connect(self.selectionChanged)
        self.text.selectionChanged.connect(self.selectionChanged)
        self._find_span: tuple[int, int] | None = None

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.zoom_out_btn = self._tool("−", "Zoom out (Ctrl+-)", self.zoom_out)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400%") + 6)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_btn = self._tool("+", "Zoom in (Ctrl++)", self.zoom_in)
        self.fit_btn = self._tool("↔", "Fit page width", self.fit_width)
        self.page_spin = QSpinBox()
        self.page_spin.setAccessibleName("Page number")
        self.page_spin.setToolTip("Go to page")
        self.page_spin.setMinimum(1)
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.valueChanged.connect(self._on_page_spin)
        self.page_total = QLabel("of 1")
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find…")
        self.find_edit.setToolTip("Find in document (Ctrl+F); Enter for the next match")
        self.find_edit.setAccessibleName("Find in document")
        self.find_edit.setClearButtonEnabled(True)
        # a short placeholder that stays readable on a narrow pane at 150% (it was cut to "Fi…", #17)
        self.find_edit.setMinimumWidth(self.find_edit.fontMetrics().horizontalAdvance("Find…") + 30)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_status = QLabel("")
        self.find_prev_btn = self._tool("▲", "Previous match (Shift+Enter)", self.find_previous)
        self.find_next_btn = self._tool("▼", "Next match (Enter)", self.find_next)
        for w in (self.zoom_out_btn, self.zoom_label, self.zoom_in_btn, self.fit_btn):
            bar.addWidget(w)
        bar.addSpacing(6)
        self.page_label = QLabel("Page")
        bar.addWidget(self.page_label)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_total)
        bar.addStretch(1)
        bar.addWidget(self.find_edit, 2)
        bar.addWidget(self.find_prev_btn)
        bar.addWidget(self.find_next_btn)
        bar.addWidget(self.find_status)
        QShortcut(QKeySequence("Shift+Return"), self.find_edit, self.find_previous)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(self.stack, 1)
        self.pdf.pageChanged.connect(self._on_page_changed)
        self._find_pos = -1
        self._text_zoom = 0
        self.fitting = True  # until the reviewer zooms by hand
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(30)
        self._refit.timeout.connect(lambda: self.fitting and self.is_pdf and (self.pdf.fit_width(), self._update_zoom_label()))

    def _tool(self, text: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        b.clicked.connect(slot)
        return b

    # ------------------------------------------------------------------ content
    @property
    def is_pdf(self) -> bool:
        return self.stack.currentWidget() is self.pdf

    def set_document(
        self, document: Document | None, *, source_path: str | None = None, password: str | None = None
    ) -> None:
        """Show ``document``; PDFs are rendered from ``source_path`` (default: the document's own path)."""
        self.document = document
        self._find_pos = -1
        self._find_span = None
        self.find_status.setText("")
        if document is None:
            self.pdf.close_pdf()
            self.text.set_text("")
            self.stack.setCurrentWidget(self.empty)
            return
        path = source_path or document.source_path
        if document.format is Format.PDF and path and Path(path).is_file():
            try:
                self.pdf.open_pdf(path, document, password=password)
            except Exception as exc:  # noqa: BLE001 - fall back to the text; the findings still work
                self.text.set_text(document.text)
                self.stack.setCurrentWidget(self.text)
                self.empty.setText(f"Pages could not be rendered ({exc}); showing the text instead.")
            else:
                self.stack.setCurrentWidget(self.pdf)
        elif document.text:
            self.text.set_text(document.text)
            self.text.mark_headings(document)
            self.stack.setCurrentWidget(self.text)
        else:
            self.empty.setText("The contract text is not stored with this review. Open the file to see it.")
            self.stack.setCurrentWidget(self.empty)
        pages = max(1, len(document.pages)) if self.is_pdf else 1
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(pages)
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.page_spin.setEnabled(self.is_pdf)
        self.page_total.setText(f"of {pages}")
        self._update_zoom_label()

    def set_findings(self, findings: Sequence[Finding]) -> None:
        hls = highlights_for(findings, self.document)
        self.pdf.set_highlights(hls)
        self.text.set_highlights(hls)

    def show_evidence(self, requirement_id: str, index: int = 0) -> bool:
        """Scroll to the finding's passage ``index`` (0: the one the detail pane quotes) and flash it;
        False when it has none to show."""
        if self.is_pdf:
            return self.pdf.show_requirement(requirement_id, index)
        if self.stack.currentWidget() is self.text:
            return self.text.show_requirement(requirement_id, index)
        return False

    # ------------------------------------------------------------------ reviewer selection (#16)
    def selection_span(self) -> tuple[int, int] | None:
        """``Document.text`` offsets of the passage the reviewer selected: a drag on the pages, a
        selection in the text, else the current Find match (so the keyboard can select on a PDF)."""
        if self.document is None:
            return None
        span = self.pdf.selection if self.is_pdf else self.text.selected_span() if self.stack.currentWidget() is self.text else None
        return span or self._find_span

    def select_span(self, start: int, end: int) -> None:
        """Select ``Document.text[start:end]`` in whichever view shows the document."""
        if self.is_pdf:
            self.pdf.set_selection(start, end)
        else:
            self.text.set_selection(start, end)

    def clear_selection(self) -> None:
        self._find_span = None
        self.pdf.set_selection(None)
        self.text.set_selection(None)
        self.selectionChanged.emit()

    def set_marks(self, marks: Sequence[Mark]) -> None:
        """Mark the reviewer's annotated passages (both views; only one is shown)."""
        self.pdf.set_marks(marks if self.is_pdf else ())
        self.text.set_marks(marks if not self.is_pdf else ())

    def set_context_actions(self, actions: Sequence) -> None:
        """Actions offered first in the document's context menu (None: a separator)."""
        self.pdf.context_actions = list(actions)
        self.text.context_actions = list(actions)

    def shown_highlight(self) -> Highlight | None:
        """The passage the last evidence jump landed on (tests compare it with the quoted evidence)."""
        if self.is_pdf:
            return self.pdf.shown
        if self.stack.currentWidget() is self.text:
            return self.text.shown
        return None

    def show_span(self, start: int, end: int) -> bool:
        """Scroll to ``Document.text[start:end]`` and mark it (a key term's sentence); False when not shown."""
        if self.document is None or end <= start:
            return False
        if self.is_pdf:
            boxes = self.document.boxes_for(start, end)
            if not boxes:
                return False
            self.pdf.show_find(boxes)
            return True
        if self.stack.currentWidget() is self.text:
            self.text.show_find(start, end)
            return True
        return False

    # ------------------------------------------------------------------ zoom / pages
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        # a narrow pane (1366x768 at 150%) keeps the Find buttons: the word "Page" goes first ("[2] of 9")
        bar = self.layout().itemAt(0).layout()
        full = bar.minimumSize().width() + (0 if self.page_label.isVisible() else self.page_label.sizeHint().width() + bar.spacing())
        self.page_label.setVisible(self.width() >= full)
        if self.fitting and self.is_pdf:
            self._refit.start()  # "fit width" stays fit when the pane or window is resized (#17)

    def zoom_in(self) -> None:
        self.fitting = False
        if self.is_pdf:
            nxt = [z for z in ZOOM_STEPS if z > self.pdf.zoom + 1e-3]
            self.pdf.set_zoom(nxt[0] if nxt else ZOOM_STEPS[-1])
        else:
            self.text.zoomIn(1)
            self._text_zoom += 1
        self._update_zoom_label()

    def zoom_out(self) -> None:
        self.fitting = False
        if self.is_pdf:
            prv = [z for z in ZOOM_STEPS if z < self.pdf.zoom - 1e-3]
            self.pdf.set_zoom(prv[-1] if prv else ZOOM_STEPS[0])
        else:
            self.text.zoomOut(1)
            self._text_zoom -= 1
        self._update_zoom_label()

    def fit_width(self) -> None:
        self.fitting = True
        if self.is_pdf:
            self.pdf.fit_width()
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        if self.is_pdf:
            self.zoom_label.setText(f"{round(self.pdf.zoom * 100)}%")
        else:
            self.zoom_label.setText(f"{self._text_zoom:+d} pt" if self._text_zoom else "100%")

    def _on_page_spin(self, page: int) -> None:
        if self.is_pdf:
            self.pdf.go_to_page(page)

    def _on_page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page)
        self.page_spin.blockSignals(False)

    def go_to_page(self, page: int) -> None:
        self.page_spin.setValue(page)
        self.pdf.go_to_page(page)

    def next_page(self) -> None:
        self.go_to_page(self.page_spin.value() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.page_spin.value() - 1)

    # ------------------------------------------------------------------ find
    def focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def find_next(self) -> bool:
        return self._find(forward=True)

    def find_previous(self) -> bool:
        return self._find(forward=False)

    def _find(self, *, forward: bool) -> bool:
        needle = self.find_edit.text().strip()
        if not needle or self.document is None or not self.document.text:
            self.find_status.setText("")
            return False
        hay = self.document.text.casefold()
        key = needle.casefold()
        if forward:
            pos = hay.find(key, self._find_pos + 1)
            if pos < 0:
                pos = hay.find(key)
        else:
            pos = hay.rfind(key, 0, max(0, self._find_pos))
            if pos < 0:
                pos = hay.rfind(key)
        if pos < 0:
            self.find_status.setText("Not found")
            return False
        self._find_pos = pos
        total = hay.count(key)
        index = hay.count(key, 0, pos) + 1
        self.find_status.setText(f"{index} of {total}")
        end = pos + len(needle)
        self._find_span = (pos, end)
        self.selectionChanged.emit()
        if self.is_pdf:
            self.pdf.show_find(self.document.boxes_for(pos, end))
        else:
            self.text.show_find(pos, end)
        return True
