"""Reviewer annotations and status overrides in the window (issue #16).

``NotesModel`` lists annotations and overrides (a Qt model over the domain objects), ``AnnotationsPane``
shows it in a dock, and ``ReviewerNotes`` is the glue the main window owns: its actions (Add Comment…,
Override Status…, Re-anchor Here, Delete), the dialogs, undo, the marks in the document view and the
carry-over onto a revised version. Everything is written through the ``ReviewController`` on the GUI
thread, as decisions are; the pane never touches the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..errors import ContractReviewError
from .doc_selection import Mark
from .models import ROLE_FINDING
from .override_dialog import CommentDialog, OverrideDialog, short_quote

COL_PASSAGE = 0
COL_COMMENT = 1
COL_REQUIREMENT = 2
COL_AUTHOR = 3
COL_TIME = 4
COLUMNS = ("Passage", "Comment", "Requirement", "By", "When")
ROLE_ROW = Qt.ItemDataRole.UserRole + 1

CARRIED = ("annotation_carried", "override_carried")
UNMATCHED_TEXT = "⚠ no longer matches — resolve"
MOVED_TEXT = "↻ re-anchored"

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One line of the pane: a reviewer annotation, or a status override (``kind``)."""

    kind: str  # "annotation" | "override"
    key: Any  # Annotation.id, or the override's requirement id
    start: int  # -1: an override without evidence
    end: int
    quote: str
    text: str
    requirement_id: str | None
    author: str
    at: str
    state: str = "anchored"  # anchored | moved | unmatched
    item: Any = None  # the Annotation or StatusOverride

    @property
    def unmatched(self) -> bool:
        return self.state == "unmatched"

    @property
    def has_passage(self) -> bool:
        return self.start >= 0 and self.end > self.start


def status_label(status: Any) -> str:
    return str(getattr(status, "value", status)).replace("_", " ")


def rows_for(annotations: Sequence[Any], overrides: dict[str, Any]) -> list[NoteRow]:
    """Pane rows: annotations in text order, then overrides; unmatched ones first, to be resolved."""
    rows = [NoteRow("annotation", a.id, a.anchor.start, a.anchor.end, a.anchor.quote, a.comment, a.requirement_id,
                    a.author, a.updated_at or a.created_at, a.anchor_state, a) for a in annotations]
    for rid, o in overrides.items():
        ev = o.evidence
        rows.append(NoteRow("override", rid, ev.start if ev else -1, ev.end if ev else -1, ev.quote if ev else "",
                            f"Reviewer: {status_label(o.status)} — {o.reason}", rid, o.author, o.at, o.anchor_state, o))
    return sorted(rows, key=lambda r: (not r.unmatched, r.kind != "annotation", r.start))


def _local(iso: str) -> str:
    from datetime import datetime

    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return (iso or "")[:16].replace("T", " ")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


class NotesModel(QAbstractTableModel):
    """The reviewer's annotations and overrides of the open document, one row each."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[NoteRow] = []
        self._titles: dict[str, str] = {}

    def set_rows(self, rows: Sequence[NoteRow], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._titles = dict(titles)
        self.endResetModel()

    def rows(self) -> list[NoteRow]:
        return list(self._rows)

    def row_of(self, kind: str, key: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if r.kind == kind and r.key == key), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        title = self._titles.get(r.requirement_id or "", r.requirement_id or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_PASSAGE:
                passage = f"“{short_quote(r.quote, 80)}”" if r.quote else "(no passage)"
                marker = UNMATCHED_TEXT + ": " if r.unmatched else MOVED_TEXT + " " if r.state == "moved" else ""
                return marker + passage
            if col == COL_COMMENT:
                return short_quote(r.text, 120)
            if col == COL_REQUIREMENT:
                return title
            if col == COL_AUTHOR:
                return r.author
            if col == COL_TIME:
                return _local(r.at)
        elif role == Qt.ItemDataRole.ToolTipRole:
            state = {"unmatched": "\n\nThis passage is not in the revised version: re-point it (select the new text, "
                                   "then Re-anchor Here) or delete it.",
                     "moved": "\n\nRe-anchored onto this version by text match."}.get(r.state, "")
            return f"“{short_quote(r.quote, 400)}”\n\n{r.text}{state}" if r.quote else r.text + state
        elif role == Qt.ItemDataRole.ForegroundRole and r.unmatched and col == COL_PASSAGE:
            return QColor(183, 28, 28)
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            kind = "Override" if r.kind == "override" else "Comment"
            state = ", no longer matches" if r.unmatched else ""
            return f"{kind}{state}: {r.text}, {title}, by {r.author or 'unknown'}"
        elif role == ROLE_ROW:
            return r
        return None


class AnnotationsPane(QWidget):
    """The list of annotations and overrides, with Edit, Delete and Re-anchor Here."""

    activated = Signal(object)  # NoteRow  # noqa: N815
    editRequested = Signal(object)  # noqa: N815
    deleteRequested = Signal(object)  # noqa: N815
    reanchorRequested = Signal(object)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Annotations")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 4)
        lay.setSpacing(2)
        self.header = QLabel("")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Annotations summary")
        lay.addWidget(self.header)
        row = QHBoxLayout()
        self.model = NotesModel(self)
        self.view = QTreeView()
        self.view.setAccessibleName("Annotations list")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_PASSAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_COMMENT, QHeaderView.ResizeMode.Stretch)
        for c in (COL_REQUIREMENT, COL_AUTHOR, COL_TIME):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_REQUIREMENT, 170)
        header.resizeSection(COL_AUTHOR, 100)
        header.resizeSection(COL_TIME, header.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 16)
        self.view.activated.connect(lambda idx: self._emit(self.activated, idx))
        self.view.clicked.connect(lambda idx: self._emit(self.activated, idx))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        row.addWidget(self.view, 1)
        buttons = QVBoxLayout()
        self.edit_btn = QPushButton("&Edit…")
        self.edit_btn.setToolTip("Change the comment, or the reviewer's status and reason (F2)")
        self.delete_btn = QPushButton("De&lete")
        self.delete_btn.setToolTip("Delete the annotation, or withdraw the override (Del); Undo brings it back")
        self.reanchor_btn = QPushButton("Re-anchor &Here")
        self.reanchor_btn.setToolTip("Point it at the text selected in the document (Ctrl+Shift+H)")
        self.edit_btn.clicked.connect(lambda: self._emit(self.editRequested))
        self.delete_btn.clicked.connect(lambda: self._emit(self.deleteRequested))
        self.reanchor_btn.clicked.connect(lambda: self._emit(self.reanchorRequested))
        for b in (self.edit_btn, self.delete_btn, self.reanchor_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        row.addLayout(buttons)
        lay.addLayout(row, 1)
        self.view.installEventFilter(self)  # F2 edits, Delete deletes the current row
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.update_buttons())
        self.can_reanchor: Callable[[], bool] = lambda: False
        self.update_buttons()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if obj is self.view and event.type() == QEvent.Type.KeyPress and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            signal = {Qt.Key.Key_F2: self.editRequested, Qt.Key.Key_Delete: self.deleteRequested}.get(event.key())
            if signal is not None:
                self._emit(signal)
                return True
        return super().eventFilter(obj, event)

    def _emit(self, signal: Any, index: QModelIndex | None = None) -> None:
        row = self.current_row() if index is None else index.data(ROLE_ROW)
        if row is not None:
            signal.emit(row)

    def current_row(self) -> NoteRow | None:
        idx = self.view.currentIndex()
        return idx.siblingAtColumn(0).data(ROLE_ROW) if idx.isValid() else None

    def select(self, kind: str, key: Any) -> bool:
        r = self.model.row_of(kind, key)
        if r < 0:
            return False
        idx = self.model.index(r, 0)
        self.view.setCurrentIndex(idx)
        self.view.scrollTo(idx)
        return True

    def set_rows(self, rows: Sequence[NoteRow], titles: dict[str, str], message: str = "") -> None:
        current = self.current_row()
        self.model.set_rows(rows, titles)
        if current is not None:
            self.select(current.kind, current.key)
        notes = sum(1 for r in rows if r.kind == "annotation")
        overrides = len(rows) - notes
        lost = sum(1 for r in rows if r.unmatched)
        text = f"{notes} comment(s) · {overrides} override(s)"
        if lost:
            text += f" · <b style='color:#b71c1c'>{lost} no longer match — resolve: select the new text and choose " \
                    "Re-anchor Here, or delete</b>"
        if not rows:
            text = ("No comments yet. Select a passage in the document, then Review ▸ Add Comment… (Ctrl+Shift+M) "
                    "or right-click it.")
        self.header.setText(f"{message}<br>{text}" if message else text)
        self.update_buttons()

    def update_buttons(self) -> None:
        row = self.current_row()
        self.edit_btn.setEnabled(row is not None)
        self.delete_btn.setEnabled(row is not None)
        self.reanchor_btn.setEnabled(row is not None and self.can_reanchor())

    def _context_menu(self, pos: QPoint) -> None:
        if self.current_row() is None:
            return
        menu = QMenu(self)
        for text, signal, enabled in (("&Show in Document", self.activated, True), ("&Edit…", self.editRequested, True),
                                      ("Re-anchor &Here", self.reanchorRequested, self.reanchor_btn.isEnabled()),
                                      ("De&lete", self.deleteRequested, True)):
            act = menu.addAction(text)
            act.setEnabled(enabled)
            act.triggered.connect(lambda _=False, s=signal: self._emit(s))
        menu.exec(self.view.viewport().mapToGlobal(pos))


class _NoteCommand(QUndoCommand):
    """An annotation or override change, already written; undo and redo call back through the store."""

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._done = True  # pushed after the change was saved: the first redo() does nothing

    def undo(self) -> None:
        self._undo()

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._redo()


class ReviewerNotes(QObject):
    """The annotation and override features of one main window (its actions, dock, dialogs and undo)."""

    changed = Signal()  # the store's annotations or overrides changed  # noqa: N815

    def __init__(self, window: Any, review_menu: QMenu | None = None) -> None:
        super().__init__(window)
        self.w = window
        self.controller = window.controller
        self.timings: dict[str, float] = {}
        self._carried: set[str] = set()
        self._shown_sha: str | None = None
        self._marks: list[Mark] = []
        self._marked_doc: Any = None
        self.last_report: Any = None
        self.pane = AnnotationsPane(window)
        self.pane.can_reanchor = lambda: self.w.doc_view.selection_span() is not None
        self.dock = QDockWidget("Annotations", window)
        self.dock.setObjectName("annotationsDock")
        self.dock.setWidget(self.pane)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.key_terms_dock, self.dock)  # a tab beside Key terms: no height lost
        self.dock.hide()

        act = window._action
        self.act_comment = act("Add &Comment…", self.add_comment, ["Ctrl+Shift+M", "Ctrl+Alt+M"],
                               "Comment on the passage selected in the document")
        self.act_override = act("&Override Status…", self.override_current, "Ctrl+Shift+R",
                                "Set your own status for the selected requirement, with a reason")
        self.act_clear_override = act("C&lear Override", self.clear_current_override, None,
                                      "Go back to the engine's status for the selected requirement")
        self.act_reanchor = act("Re-anchor &Here", self.reanchor_current, "Ctrl+Shift+H",
                                "Point the selected annotation or override at the selected text")
        self.act_show_pane = act("&Annotations", self.show_pane, "Ctrl+5", "Show the list of comments and overrides")
        if review_menu is not None:
            review_menu.addSeparator()
            for a in (self.act_comment, self.act_override, self.act_clear_override, self.act_reanchor, self.act_show_pane):
                review_menu.addAction(a)
        window.doc_view.set_context_actions([self.act_comment, self.act_override, self.act_reanchor])
        window.doc_view.selectionChanged.connect(self.update_actions)
        window.doc_view.markClicked.connect(self._on_mark_clicked)
        self.pane.activated.connect(self.jump_to)
        self.pane.editRequested.connect(self.edit)
        self.pane.deleteRequested.connect(self.delete)
        self.pane.reanchorRequested.connect(self.reanchor)
        self.pane.view.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        window.analysisShown.connect(lambda _a: self.refresh(carry=True))
        window.tree.selectionModel().currentRowChanged.connect(lambda *_: self.update_actions())
        window.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        window.tree.customContextMenuRequested.connect(self._checklist_menu)
        detail = window.detail
        if hasattr(detail, "overrideRequested"):
            detail.overrideRequested.connect(self.override)
        self.update_actions()

    # ------------------------------------------------------------------ state
    @property
    def document(self) -> Any:
        a = self.controller.analysis
        return a.document if a is not None else None

    def _writable(self) -> bool:
        if self.controller.analysis is None or self.controller.store is None or self.w.review_id is None:
            self._say("This review is not stored, so comments and overrides cannot be kept.")
            return False
        return True

    def _say(self, text: str, ms: int = 5000) -> None:
        self.w.statusBar().showMessage(text, ms)

    def _titles(self) -> dict[str, str]:
        a = self.controller.analysis
        return {f.requirement_id: f.title for f in a.findings} if a is not None else {}

    def update_actions(self) -> None:
        has = self.controller.analysis is not None
        selected = has and self.w.doc_view.selection_span() is not None
        self.act_comment.setEnabled(selected)
        finding = self.w.current_finding() if has else None
        self.act_override.setEnabled(finding is not None)
        self.act_clear_override.setEnabled(finding is not None and finding.override is not None)
        self.act_reanchor.setEnabled(selected and self.pane.current_row() is not None)
        self.act_show_pane.setEnabled(has)
        self.pane.update_buttons()

    def _override_of(self, requirement_id: str) -> Any:
        try:
            return self.controller.overrides().get(requirement_id)
        except ContractReviewError:
            return None

    def refresh(self, carry: bool = False, message: str = "") -> None:
        """Re-read annotations and overrides of the open document into the pane and the page marks."""
        if carry:
            message = self._carry_forward() or message
        if self.controller.analysis is None:
            self.pane.set_rows([], {})
            self.w.doc_view.set_marks([])
            self._marks, self._marked_doc = [], None
            self.dock.hide()
            self.update_actions()
            return
        try:
            annotations = self.controller.annotations()
            overrides = self.controller.overrides()
        except ContractReviewError as exc:
            self._say(f"Comments could not be read: {exc.message}", 8000)
            annotations, overrides = [], {}
        rows = rows_for(annotations, overrides)
        self.pane.set_rows(rows, self._titles(), message)
        marks = [
            Mark(("annotation", a.id), a.anchor.start, a.anchor.end, f"Comment by {a.author or 'reviewer'}: {a.comment}",
                 a.anchor_state == "unmatched")
            for a in annotations if a.anchor_state != "unmatched" and a.anchor.end > a.anchor.start
        ]
        if marks != self._marks or self.w.doc_view.document is not self._marked_doc:
            self.w.doc_view.set_marks(marks)  # only when they changed: an override does not move them
            self._marks, self._marked_doc = marks, self.w.doc_view.document
        lost = any(r.unmatched for r in rows)
        first = self.controller.sha256 != self._shown_sha  # another document: its notes come to the front
        self._shown_sha = self.controller.sha256
        if (rows or message) and not self.dock.isVisible():
            self.show_pane(focus=False)
        elif message or lost or (rows and first):
            self.dock.raise_()
        self.update_actions()
        self.changed.emit()

    def show_pane(self, focus: bool = True, raise_: bool = True) -> None:
        """Show the Annotations tab (beside Key terms); ``raise_`` brings it to the front."""
        w = self.w
        if not self.dock.isVisible():
            self.dock.show()
            # as the key terms: at most a quarter of a laptop's height (512 logical px at 150%)
            QTimer.singleShot(0, self, lambda: self.dock.isVisible() and w.resizeDocks(
                [self.dock], [max(110, int(w.height() * 0.24))], Qt.Orientation.Vertical))
        if raise_:
            self.dock.raise_()
        elif w.key_terms_dock.isVisible():
            w.key_terms_dock.raise_()
        if focus:
            self.pane.view.setFocus()
            if not self.pane.view.currentIndex().isValid() and self.pane.model.rowCount():
                self.pane.view.setCurrentIndex(self.pane.model.index(0, 0))

    # ------------------------------------------------------------------ revised versions
    def _carry_forward(self) -> str:
        """Once per opened revision: re-anchor the previous version's notes onto it; the pane's message."""
        store, a = self.controller.store, self.controller.analysis
        if store is None or a is None or not a.document.text or a.document.sha256 in self._carried:
            return ""
        self._carried.add(a.document.sha256)
        try:
            if any(h.get("action") in CARRIED for h in store.history(a.document.sha256)):
                return ""  # carried once already: what the reviewer deleted since stays deleted
            if self.controller.annotations() or self.controller.overrides():
                return ""  # the reviewer has started on this version: nothing is added behind their back
            previous = self._previous_version(a.document.sha256)
            if previous is None:
                return ""
            sha, name, linked = previous
            if not (store.annotations(sha) or store.overrides(sha)):
                return ""
            if not linked:  # record the revision, so Compare and the CLI see it too
                store.link_version(a.document.sha256, sha, who=self.controller.reviewer())
            report = self.controller.carry_forward(sha)
        except ContractReviewError as exc:
            self._say(f"Comments of the earlier version were not carried over: {exc.message}", 8000)
            return ""
        self.last_report = report
        moved, lost = len(report.moved) + len(report.kept), len(report.unmatched)
        if not moved and not lost:
            return ""
        text = f"Carried over from the earlier version {name}: {moved} found again"
        return text + (f", <b>{lost} no longer match</b>." if lost else ".")

    def _previous_version(self, sha256: str) -> tuple[str, str, bool] | None:
        """The linked previous version, else the review the comparison proposes (same title or file name)."""
        store = self.controller.store
        linked = store.previous_version(sha256)
        summary = next((s for s in store.recent_documents(limit=500) if s.sha256 == sha256), None)
        if summary is None:
            return None
        from .compare import candidates

        others, i = candidates(store, summary)
        if linked:
            found = next((s for s in others if s.sha256 == linked), None)
            return linked, found.name if found else linked[:12], True
        if i < 0 or (others[i].started_at or "") >= (summary.started_at or ""):
            return None  # only an earlier review is taken for this one's previous version
        return others[i].sha256, others[i].name, False

    # ------------------------------------------------------------------ annotations
    def add_comment(self, span: tuple[int, int] | None = None) -> Any:
        """Comment on the selected passage (``span``: offsets into the document text)."""
        span = span or self.w.doc_view.selection_span()
        doc = self.document
        if span is None or doc is None:
            self._say("Select a passage in the document first (drag over it, or find it with Ctrl+F).")
            return None
        if not self._writable():
            return None
        start, end = span
        current = self.w.current_finding()
        dlg = CommentDialog(doc.text[start:end], list(self._titles().items()), parent=self.w)
        self.last_dialog = dlg
        if current is not None:  # proposed, not chosen: the reviewer links a passage on purpose
            dlg.requirement.setToolTip(f"Link the passage to a requirement as evidence for it (selected: {current.title})")
        if dlg.exec() != CommentDialog.DialogCode.Accepted:
            return None
        return self.create_annotation(start, end, dlg.comment_text(), dlg.requirement_id())

    def create_annotation(self, start: int, end: int, comment: str, requirement_id: str | None) -> Any:
        t0 = time.perf_counter()
        try:
            note = self.controller.add_annotation(start, end, comment, requirement_id)
        except (ContractReviewError, ValueError) as exc:
            self.w._error("Comment not saved", getattr(exc, "message", str(exc)))
            return None
        self.timings["add_annotation_s"] = time.perf_counter() - t0
        state = {"id": note.id}
        sha = self.document.sha256

        def undo() -> None:
            self._guarded(sha, lambda: self.controller.delete_annotation(state["id"]))

        def redo() -> None:
            def again() -> None:
                state["id"] = self.controller.add_annotation(start, end, comment, requirement_id).id
            self._guarded(sha, again)

        self.w.undo_stack.push(_NoteCommand("comment", undo, redo))
        self.w.doc_view.clear_selection()
        self.refresh()
        self.show_pane(focus=False)
        self.pane.select("annotation", note.id)
        self._say("Comment saved.", 3000)
        return note

    def _guarded(self, sha: str, fn: Callable[[], Any], *, statuses: bool = False) -> None:
        """Run an undo/redo step when its document is still open, then show the result."""
        if self.document is None or self.document.sha256 != sha:
            return
        try:
            fn()
        except (ContractReviewError, ValueError) as exc:
            self._say(f"Not undone: {getattr(exc, 'message', exc)}", 8000)
        if statuses:
            self._after_override_change()
        else:
            self.refresh()

    def edit(self, row: NoteRow) -> bool:
        if row.kind == "override":
            return self.override(row.requirement_id or "") is not None
        if not self._writable():
            return False
        a = row.item
        dlg = CommentDialog(row.quote, list(self._titles().items()), comment=a.comment,
                            requirement_id=a.requirement_id, title="Edit comment", parent=self.w)
        self.last_dialog = dlg
        if dlg.exec() != CommentDialog.DialogCode.Accepted:
            return False
        new_comment, new_req = dlg.comment_text(), dlg.requirement_id()
        if (new_comment, new_req) == (a.comment, a.requirement_id):
            return False
        try:
            self.controller.update_annotation(a.id, comment=new_comment, requirement_id=new_req)
        except (ContractReviewError, ValueError) as exc:
            self.w._error("Comment not saved", getattr(exc, "message", str(exc)))
            return False
        sha = self.document.sha256
        self.w.undo_stack.push(_NoteCommand(
            "comment edit",
            lambda: self._guarded(sha, lambda: self.controller.update_annotation(a.id, comment=a.comment, requirement_id=a.requirement_id)),
            lambda: self._guarded(sha, lambda: self.controller.update_annotation(a.id, comment=new_comment, requirement_id=new_req)),
        ))
        self.refresh()
        return True

    def delete(self, row: NoteRow) -> bool:
        if row.kind == "override":
            return self.clear_override(row.requirement_id or "")
        if not self._writable():
            return False
        a = row.item
        try:
            done = self.controller.delete_annotation(a.id)
        except ContractReviewError as exc:
            self.w._error("Comment not deleted", exc.message)
            return False
        state = {"id": a.id}
        sha = self.document.sha256

        def undo() -> None:
            def again() -> None:
                state["id"] = self.controller.restore_annotation(a).id
            self._guarded(sha, again)

        self.w.undo_stack.push(_NoteCommand("comment deletion", undo,
                                            lambda: self._guarded(sha, lambda: self.controller.delete_annotation(state["id"]))))
        self.refresh()
        self._say("Comment deleted (Ctrl+Z brings it back).", 4000)
        return bool(done)

    def jump_to(self, row: NoteRow) -> bool:
        """Scroll the document to the row's passage and mark it; an override also selects its requirement."""
        if row.kind == "override" and row.requirement_id:
            self.w.select_requirement(row.requirement_id)
        if not row.has_passage or row.unmatched:
            if row.unmatched:
                self._say("This passage is not in this version: select the new text, then Re-anchor Here.", 6000)
            self.update_actions()
            return False
        shown = self.w.doc_view.show_span(row.start, row.end)
        self.update_actions()
        return shown

    def _on_mark_clicked(self, key: Any) -> None:
        kind, ident = key
        self.show_pane(focus=False)
        self.pane.select(kind, ident)
        self.update_actions()

    # ------------------------------------------------------------------ re-anchoring
    def reanchor_current(self) -> bool:
        row = self.pane.current_row()
        return self.reanchor(row) if row is not None else False

    def reanchor(self, row: NoteRow) -> bool:
        """Point the annotation or override at the text selected now (after a revision moved or lost it)."""
        span = self.w.doc_view.selection_span()
        if span is None:
            self._say("Select the passage's new text in the document first, then choose Re-anchor Here.", 6000)
            return False
        if not self._writable():
            return False
        try:
            if row.kind == "annotation":
                note = self.controller.reanchor_annotation(row.item, *span)
                key: Any = note.id
            else:
                o = row.item
                self.controller.set_override(o.requirement_id, o.status, o.reason, span)
                key = o.requirement_id
                self._after_override_change()
        except (ContractReviewError, ValueError) as exc:
            self.w._error("Not re-anchored", getattr(exc, "message", str(exc)))
            return False
        self.w.doc_view.clear_selection()
        self.refresh()
        self.pane.select(row.kind, key)
        self._say("Re-anchored to the selected text.", 3000)
        return True

    # ------------------------------------------------------------------ overrides
    def override_current(self) -> Any:
        f = self.w.current_finding()
        return self.override(f.requirement_id) if f is not None else None

    def override(self, requirement_id: str) -> Any:
        """Ask for the reviewer's status and reason for ``requirement_id`` and write it."""
        if not requirement_id or not self._writable():
            return None
        a = self.controller.analysis
        finding = a.finding(requirement_id)
        if finding is None:
            return None
        current = self._override_of(requirement_id)
        span = self.w.doc_view.selection_span()
        engine = getattr(finding, "engine_status", None) or finding.status
        dlg = OverrideDialog(finding.title, engine, current=current,
                             selection=a.document.text[span[0]:span[1]] if span else "", parent=self.w)
        self.last_dialog = dlg
        if dlg.exec() != OverrideDialog.DialogCode.Accepted:
            return None
        if dlg.cleared:
            self.clear_override(requirement_id)
            return None
        evidence: Any = span if (span and dlg.use_selection.isChecked()) else (current.evidence if current else None)
        return self.write_override(requirement_id, dlg.status(), dlg.reason_text(), evidence, current)

    def write_override(self, requirement_id: str, status: Any, reason: str, evidence: Any, before: Any = None) -> Any:
        t0 = time.perf_counter()
        try:
            result = self.controller.set_override(requirement_id, status, reason, evidence)
        except (ContractReviewError, ValueError) as exc:
            self.w._error("Override not saved", getattr(exc, "message", str(exc)))
            return None
        self.timings["set_override_s"] = time.perf_counter() - t0
        self._push_override_undo(requirement_id, before, result)
        self._after_override_change()
        self.timings["override_shown_s"] = time.perf_counter() - t0
        self._say(f"Saved: reviewer's status {status_label(status)}.", 3000)
        return result

    def clear_current_override(self) -> bool:
        f = self.w.current_finding()
        return self.clear_override(f.requirement_id) if f is not None else False

    def clear_override(self, requirement_id: str) -> bool:
        if not self._writable():
            return False
        before = self._override_of(requirement_id)
        try:
            done = self.controller.clear_override(requirement_id)
        except ContractReviewError as exc:
            self.w._error("Override not withdrawn", exc.message)
            return False
        if before is not None:
            self._push_override_undo(requirement_id, before, None)
        self._after_override_change()
        self._say("Override withdrawn: the engine's status applies again.", 4000)
        return bool(done)

    def _push_override_undo(self, requirement_id: str, before: Any, after: Any) -> None:
        sha = self.document.sha256

        def put(target: Any) -> Callable[[], None]:
            def write() -> None:
                if target is None:
                    self.controller.clear_override(requirement_id)
                else:
                    self.controller.set_override(requirement_id, target.status, target.reason, target.evidence)
            return lambda: self._guarded(sha, write, statuses=True)

        self.w.undo_stack.push(_NoteCommand("status override", put(before), put(after)))

    def _after_override_change(self) -> None:
        """Show the effective statuses in the checklist, counts, highlights and detail pane.

        The open analysis (key-term corrections included) gets the overrides again; the checklist's
        findings are swapped in place, which keeps this as quick as a decision (re-showing the whole
        review took about 110 ms on the sample)."""
        from ..reviewer import apply_overrides, engine_view
        from .models import counts_text

        w = self.w
        if w.analysis is None:
            return
        try:
            new = apply_overrides(engine_view(w.analysis), self.controller.overrides())
        except ContractReviewError as exc:
            self._say(f"Overrides could not be read: {exc.message}", 8000)
            return
        w.analysis = new
        w.detail.analysis = new
        if not w.model.replace_findings(new.findings):  # a not-checked requirement changed group
            w._show_analysis(w.engine_analysis, persisted=w.saved, keep_view=True)
            return
        w.counts_label.setText(counts_text(new.counts()))
        w.doc_view.set_findings(new.findings)
        current = w.current_finding()
        if current is not None:
            w.detail.set_finding(new.finding(current.requirement_id), w.model.decision_for(current.requirement_id))
        self.refresh()

    # ------------------------------------------------------------------ checklist context menu
    def checklist_menu(self, pos: QPoint) -> QMenu | None:
        """The checklist row's context menu (the row under ``pos`` becomes current); None off the rows."""
        idx = self.w.tree.indexAt(pos)
        finding = idx.data(ROLE_FINDING) if idx.isValid() else None
        if finding is None:
            return None
        self.w.tree.setCurrentIndex(idx.siblingAtColumn(0))
        self.update_actions()
        menu = QMenu(self.w.tree)
        for act in (self.act_override, self.act_clear_override, self.w.act_show_evidence):
            menu.addAction(act)
        return menu

    def _checklist_menu(self, pos: QPoint) -> None:
        menu = self.checklist_menu(pos)
        if menu is not None:
            menu.exec(self.w.tree.viewport().mapToGlobal(pos))

