"""Item delegates for the checklist."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView


class WrappingTitleDelegate(QStyledItemDelegate):
    """Requirement titles wrap at the width of their column instead of ending in "…".

    QTreeView asks for row heights without telling the delegate the column width, so a word-wrapped
    title would keep a one-line row and be cut (issue #17: "Vendor a…" at 150%). This delegate
    measures the text at the column's real width.
    """

    def __init__(self, tree: QTreeView, column: int) -> None:
        super().__init__(tree)
        self._tree = tree
        self._column = column

    def _text_width(self, index: QModelIndex, option: QStyleOptionViewItem) -> int:
        tree = self._tree
        width = tree.header().sectionSize(self._column)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        if self._column == 0:
            width -= tree.indentation() * (depth + (1 if tree.rootIsDecorated() else 0))
        margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, tree) + 1
        return max(40, width - 2 * margin - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | Any) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        if index.column() != self._column or self._tree.isFirstColumnSpanned(index.row(), index.parent()):
            return base
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        fm = option.fontMetrics
        rect = fm.boundingRect(QRect(0, 0, self._text_width(index, option), 100_000),
                               int(Qt.TextFlag.TextWordWrap), text)
        return QSize(base.width(), max(base.height(), rect.height() + 6))

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | Any) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.column() == self._column:
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
