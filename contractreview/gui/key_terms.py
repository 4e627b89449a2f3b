"""The key-terms table at the top of the review: value, quoted sentence (click to jump), threshold, and the
reviewer's corrections.

The rows are :class:`contractreview.export.model.KeyTermRow` objects, the same ones every gap summary
prints, so the window and the exports never say different things.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain import Analysis, KeyTerm
from ..export.model import KeyTermRow, key_term_rows

COL_TERM = 0
COL_VALUE = 1
COL_SENTENCE = 2
COL_THRESHOLD = 3
ROLE_KEY_TERM = Qt.ItemDataRole.UserRole + 21  # the domain KeyTerm (offsets of its sentence)
ROLE_NAME = Qt.ItemDataRole.UserRole + 22
HEADERS = ("Key term", "Value", "From the contract (click to show)", "Checked against")

AnyIndex = QModelIndex | QPersistentModelIndex


class KeyTermsModel(QAbstractTableModel):
    """One row per key term of the shown analysis."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[KeyTermRow, ...] = ()
        self._terms: dict[str, KeyTerm] = {}

    def set_analysis(self, analysis: Analysis | None) -> None:
        self.beginResetModel()
        self._rows = key_term_rows(analysis) if analysis is not None else ()
        self._terms = {k.name: k for k in analysis.key_term_readings} if analysis is not None else {}
        self.endResetModel()

    def row_for(self, name: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.name == name), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TERM:
                return r.label
            if col == COL_VALUE:
                return r.value_text
            if col == COL_SENTENCE:
                return " ".join(r.source_text.split())
            if col == COL_THRESHOLD:
                return " — ".join(x for x in (r.threshold, r.check) if x)
        elif role == Qt.ItemDataRole.ToolTipRole:
            return r.finding or None
        elif role == Qt.ItemDataRole.FontRole and col == COL_VALUE and r.corrected:
            f = QFont()
            f.setItalic(True)
            return f
        elif role == ROLE_KEY_TERM:
            return self._terms.get(r.name)
        elif role == ROLE_NAME:
            return r.name
        return None


class CorrectionDialog(QDialog):
    """Ask the reviewer for the corrected value and a note."""

    def __init__(self, label: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Correct: {label}")
        form = QFormLayout(self)
        form.addRow(QLabel(f"The engine read: {current}"))
        self.value = QLineEdit()
        self.value.setPlaceholderText("e.g. 72, 3 days, 2 weeks, discovery, New York, or 'not stated'")
        self.value.setAccessibleName("Corrected value")
        self.note = QLineEdit()
        self.note.setPlaceholderText("why (optional): e.g. clause 7.2 of the signed amendment")
        self.note.setAccessibleName("Note")
        form.addRow("&Value:", self.value)
        form.addRow("&Note:", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class KeyTermsPanel(QWidget):
    """The table plus Correct… / Undo correction buttons."""

    jumpRequested = Signal(int, int)  # noqa: N815  (start, end) offsets of the sentence
    correctionRequested = Signal(str, str, str)  # noqa: N815  (term, typed value, note)
    correctionCleared = Signal(str)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Key terms")
        self.model = KeyTermsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Key terms table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(COL_TERM, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Interactive)
        h.resizeSection(COL_VALUE, 320)
        h.setSectionResizeMode(COL_SENTENCE, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(COL_THRESHOLD, QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._jump)
        self.table.activated.connect(self._jump)
        self.correct_btn = QPushButton("Co&rrect…")
        self.correct_btn.setToolTip("Correct the selected key term (kept across re-analyses, shown in every export)")
        self.correct_btn.clicked.connect(self.correct_selected)
        self.undo_btn = QPushButton("&Undo correction")
        self.undo_btn.clicked.connect(self._undo_selected)
        buttons = QHBoxLayout()
        hint = QLabel("Click a row to show its sentence; correct a value the engine read wrong.")
        hint.setWordWrap(True)
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.correct_btn)
        buttons.addWidget(self.undo_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def set_analysis(self, analysis: Analysis | None) -> None:
        self.model.set_analysis(analysis)
        rows = self.model.rowCount()
        height = self.table.horizontalHeader().sizeHint().height() + rows * self.table.verticalHeader().defaultSectionSize()
        # All rows when there is room; on a short laptop screen the dock may shrink to two rows and scroll (#17).
        two = self.table.horizontalHeader().sizeHint().height() + min(rows, 2) * self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(two + 4)
        self.table.setMaximumHeight(height + 4)
        self._update_buttons()

    def _selected(self) -> QModelIndex:
        return self.table.currentIndex()

    def _update_buttons(self) -> None:
        idx = self._selected()
        term = idx.data(ROLE_KEY_TERM) if idx.isValid() else None
        self.correct_btn.setEnabled(idx.isValid())
        self.undo_btn.setEnabled(bool(term is not None and term.corrected))

    def _jump(self, index: QModelIndex) -> None:
        self._update_buttons()
        term = index.data(ROLE_KEY_TERM)
        if term is not None and term.evidence is not None:
            self.jumpRequested.emit(term.evidence.start, term.evidence.end)

    def select(self, name: str) -> bool:
        row = self.model.row_for(name)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, COL_VALUE))
        return True

    def correct_selected(self) -> None:
        idx = self._selected()
        if not idx.isValid():
            return
        name = idx.data(ROLE_NAME)
        label = self.model.index(idx.row(), COL_TERM).data()
        current = self.model.index(idx.row(), COL_VALUE).data()
        dialog = CorrectionDialog(label, current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.correctionRequested.emit(name, dialog.value.text(), dialog.note.text())

    def _undo_selected(self) -> None:
        idx = self._selected()
        if idx.isValid():
            self.correctionCleared.emit(idx.data(ROLE_NAME))
