"""Qt item models over domain objects: the findings checklist, grouped by category.

Views never see SQL rows or dicts: the model holds an ``Analysis`` and the reviewer's decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from ..domain import Analysis, Finding, ReviewDecision, Severity, Status
from ..engine.grader import UNCERTAIN, confidence_text, is_uncertain
from .status_style import SEVERITY_LABELS, STATUS_LABELS, STATUS_ORDER, status_icon, status_text

COL_TITLE = 0
COL_STATUS = 1
COL_SEVERITY = 2
COL_DECISION = 3
COL_CONFIDENCE = 4
COLUMNS = ("Requirement", "Status", "Severity", "Decision", "Confidence")

ROLE_FINDING = Qt.ItemDataRole.UserRole + 1
ROLE_REQUIREMENT_ID = Qt.ItemDataRole.UserRole + 2
ROLE_STATUS = Qt.ItemDataRole.UserRole + 3
ROLE_SEVERITY = Qt.ItemDataRole.UserRole + 4
ROLE_CATEGORY = Qt.ItemDataRole.UserRole + 5
ROLE_IS_GROUP = Qt.ItemDataRole.UserRole + 6
ROLE_SEARCH_TEXT = Qt.ItemDataRole.UserRole + 7
ROLE_CONFIDENCE = Qt.ItemDataRole.UserRole + 9

_GROUP = 0  # internalId of top-level (category) rows; a finding row carries its group index + 1

AnyIndex = QModelIndex | QPersistentModelIndex


# The group of requirements the engine cannot check (no detector in the clause library): its own group,
# after the categories, so a reviewer never reads them as "missing".
NOT_CHECKED_GROUP = "__not_checked__"
NOT_CHECKED_LABEL = "Not checked automatically (read the contract)"


def category_label(category: str) -> str:
    if category == NOT_CHECKED_GROUP:
        return NOT_CHECKED_LABEL
    return category.replace("_", " ").strip().capitalize() if category else "Other"


class FindingsModel(QAbstractItemModel):
    """Two levels: category rows, then one row per finding (requirement) in that category.

    Categories keep the order in which the analysis first mentions them (the profile's order);
    findings keep the analysis order within their category. Findings the engine could not check
    (:attr:`Finding.not_checked`) form their own last group, :data:`NOT_CHECKED_GROUP`.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._categories: list[str] = []
        self._by_category: list[list[Finding]] = []
        self._decisions: dict[str, ReviewDecision] = {}
        self.compact = False

    # ------------------------------------------------------------------ loading
    def set_analysis(self, analysis: Analysis | None, decisions: Mapping[str, ReviewDecision] | None = None) -> None:
        self.beginResetModel()
        self._categories = []
        self._by_category = []
        if analysis is not None:
            groups: dict[str, list[Finding]] = {}
            not_checked: list[Finding] = []
            for f in analysis.findings:
                if f.not_checked:
                    not_checked.append(f)
                else:
                    groups.setdefault(f.category, []).append(f)
            if not_checked:
                groups[NOT_CHECKED_GROUP] = not_checked
            self._categories = list(groups)
            self._by_category = [groups[c] for c in self._categories]
        self._decisions = dict(decisions or {})
        self.endResetModel()

    def replace_findings(self, findings: Iterable[Finding]) -> bool:
        """Swap in new versions of the same findings (a reviewer's override changed a status) without a
        model reset, so selection and scroll position stay; False when the grouping would change."""
        by_id = {f.requirement_id: f for f in findings}
        groups = [[by_id.get(f.requirement_id) for f in group] for group in self._by_category]
        for cat, old, new in zip(self._categories, self._by_category, groups, strict=True):
            for _old_f, n in zip(old, new, strict=True):
                if n is None or (cat == NOT_CHECKED_GROUP) != n.not_checked or (cat != NOT_CHECKED_GROUP and n.category != cat):
                    return False
        if len(by_id) != sum(len(g) for g in groups):
            return False
        old_groups, self._by_category = self._by_category, groups  # type: ignore[assignment]
        for row, (old, group) in enumerate(zip(old_groups, groups, strict=True)):
            changed = [i for i, (o, n) in enumerate(zip(old, group, strict=True)) if o != n]
            if changed:  # only the rows that changed: a full dataChanged re-filters and re-wraps every row
                parent = self.index(row, 0)
                self.dataChanged.emit(self.index(min(changed), 0, parent),
                                      self.index(max(changed), len(COLUMNS) - 1, parent))
                self.dataChanged.emit(parent, parent)
        return True

    def set_decisions(self, decisions: Mapping[str, ReviewDecision]) -> None:
        self._decisions = dict(decisions)
        self._emit_column_changed(COL_DECISION)
        if self._categories:
            self.dataChanged.emit(self.index(0, COL_TITLE), self.index(len(self._categories) - 1, COL_TITLE))

    def _group_changed(self, idx: QModelIndex) -> None:
        group = idx.parent().siblingAtColumn(COL_TITLE)
        self.dataChanged.emit(group, group)  # "n of m decided" in the category row

    def set_decision(self, decision: ReviewDecision) -> None:
        self._decisions[decision.requirement_id] = decision
        idx = self.index_for(decision.requirement_id, COL_DECISION)
        if idx.isValid():
            self.dataChanged.emit(idx, idx)
            self._group_changed(idx)

    def clear_decision(self, requirement_id: str) -> None:
        self._decisions.pop(requirement_id, None)
        idx = self.index_for(requirement_id, COL_DECISION)
        if idx.isValid():
            self._group_changed(idx)
            self.dataChanged.emit(idx, idx)

    def decision_for(self, requirement_id: str) -> ReviewDecision | None:
        return self._decisions.get(requirement_id)

    def _emit_column_changed(self, column: int) -> None:
        for row, findings in enumerate(self._by_category):
            if findings:
                parent = self.index(row, 0)
                self.dataChanged.emit(self.index(0, column, parent), self.index(len(findings) - 1, column, parent))

    # ------------------------------------------------------------------ lookup
    def findings(self) -> Iterable[Finding]:
        for group in self._by_category:
            yield from group

    def index_for(self, requirement_id: str, column: int = COL_TITLE) -> QModelIndex:
        for gi, group in enumerate(self._by_category):
            for fi, f in enumerate(group):
                if f.requirement_id == requirement_id:
                    return self.index(fi, column, self.index(gi, 0))
        return QModelIndex()

    def finding_at(self, index: AnyIndex) -> Finding | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._by_category[index.internalId() - 1][index.row()]

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for f in self.findings():
            out[f.status] += 1
        return out

    # ------------------------------------------------------------------ QAbstractItemModel
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row < len(self._categories):
                return self.createIndex(row, column, _GROUP)
            return QModelIndex()
        if parent.internalId() != _GROUP:
            return QModelIndex()
        group = parent.row()
        if row < len(self._by_category[group]):
            return self.createIndex(row, column, group + 1)
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        if not parent.isValid():
            return len(self._categories)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._by_category[parent.row()])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008,N802
        return self.rowCount(parent) > 0

    def set_compact(self, on: bool) -> None:
        """A narrow checklist: the Status column shows its icon only (its word is in the tooltip and the
        detail pane). Set on the source model: a Python ``data`` override on the proxy crashed PySide."""
        if on == self.compact:
            return
        self.layoutAboutToBeChanged.emit()
        self.compact = on
        self.layoutChanged.emit()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_STATUS, COL_STATUS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return "" if self.compact and section == COL_STATUS else COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == COL_STATUS:
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            return self._group_data(index, role)
        f = self._by_category[index.internalId() - 1][index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TITLE:
                return f.title
            if col == COL_STATUS:
                return "" if self.compact else _status_shown(f)
            if col == COL_SEVERITY:
                return SEVERITY_LABELS[f.severity]
            if col == COL_DECISION:
                d = self._decisions.get(f.requirement_id)
                if d is None:
                    return ""
                return d.decision.label + (" ⚑ evidence changed" if d.evidence_changed else "")
            if col == COL_CONFIDENCE:
                return "not checked" if f.not_checked else confidence_text(f.confidence)
        elif role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return status_icon(f.status)
        elif (
            role == Qt.ItemDataRole.FontRole
            and col == COL_CONFIDENCE
            and is_uncertain(f.confidence)
            and not f.not_checked
        ):
            font = QFont()
            font.setItalic(True)
            return font
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CONFIDENCE and f.not_checked:
                return "Not checked automatically: no rule of the clause library looks for this protection."
            if col == COL_CONFIDENCE:
                return (
                    f"Calibrated confidence that “{STATUS_LABELS[f.status]}” is right: {f.confidence:.2f}"
                    + (f" ({UNCERTAIN})" if is_uncertain(f.confidence) else "")
                )
            if f.override is not None:  # the reviewer's status beside the engine's (#16)
                from ..reviewer import describe_override

                return f"{f.title}: {describe_override(f, reason=True)}"
            return f"{f.title}: {STATUS_LABELS[f.status]} ({SEVERITY_LABELS[f.severity]} severity)\n{f.explanation}"
        elif role == ROLE_CONFIDENCE:
            return float(f.confidence)
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            shown = _status_shown(f).replace(" ✎", ", set by the reviewer")
            return f"{f.title}, {shown}, {SEVERITY_LABELS[f.severity]} severity"
        elif role == ROLE_FINDING:
            return f
        elif role == ROLE_REQUIREMENT_ID:
            return f.requirement_id
        elif role == ROLE_STATUS:
            return f.status.value
        elif role == ROLE_SEVERITY:
            return f.severity.value
        elif role == ROLE_CATEGORY:
            return f.category
        elif role == ROLE_IS_GROUP:
            return False
        elif role == ROLE_SEARCH_TEXT:
            parts = [f.title, f.requirement_id, f.explanation, *(e.text for e in f.evidence)]
            return "\n".join(parts).casefold()
        return None

    def _group_data(self, index: AnyIndex, role: int) -> Any:
        category = self._categories[index.row()]
        findings = self._by_category[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == COL_TITLE:
            # group rows span all columns in the view, so the summary rides with the title
            flags = sum(1 for f in findings if f.status.is_flag)
            summary = f"{flags} of {len(findings)} flagged" if flags else f"all {len(findings)} satisfied"
            if category == NOT_CHECKED_GROUP:
                summary = f"{len(findings)} to read yourself"
            decided = sum(1 for f in findings if f.requirement_id in self._decisions)
            if decided:  # issue #17: the header follows the review as decisions are made
                summary += f" · {decided} of {len(findings)} decided"
            return f"{category_label(category)} — {summary}"
        elif role == Qt.ItemDataRole.FontRole and index.column() == COL_TITLE:
            font = QFont()
            font.setBold(True)
            return font
        elif role == ROLE_IS_GROUP:
            return True
        elif role == ROLE_CATEGORY:
            return category
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Category {category_label(category)}"
        return None


class FindingsFilterProxy(QSortFilterProxyModel):
    """Filters finding rows by status, severity, category and a search string; empty groups hide."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._statuses: frozenset[Status] | None = None
        self._severities: frozenset[Severity] | None = None
        self._category: str | None = None
        self._search = ""

    def _refilter(self, change) -> None:  # type: ignore[no-untyped-def]
        # Qt >= 6.10 deprecates invalidateFilter() for begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateFilter()

    def set_statuses(self, statuses: Iterable[Status] | None) -> None:
        self._refilter(lambda: setattr(self, "_statuses", frozenset(statuses) if statuses is not None else None))

    def set_severities(self, severities: Iterable[Severity] | None) -> None:
        self._refilter(lambda: setattr(self, "_severities", frozenset(severities) if severities is not None else None))

    def set_category(self, category: str | None) -> None:
        self._refilter(lambda: setattr(self, "_category", category or None))

    def set_search(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_search", text.strip().casefold()))

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802
        """Sort findings within their category by the clicked column (status and severity by rank);
        categories keep the profile's order whichever way the findings are sorted."""
        model = self.sourceModel()
        if not left.parent().isValid():
            return (left.row() < right.row()) != (self.sortOrder() == Qt.SortOrder.DescendingOrder)
        col = left.column()

        def key(i: AnyIndex) -> Any:
            if col == COL_STATUS:
                return STATUS_ORDER.index(Status(model.data(i, ROLE_STATUS)))
            if col == COL_SEVERITY:
                return Severity(model.data(i, ROLE_SEVERITY)).rank
            if col == COL_CONFIDENCE:
                return float(model.data(i, ROLE_CONFIDENCE))
            return str(model.data(i, Qt.ItemDataRole.DisplayRole) or "").casefold()

        a, b = key(left), key(right)
        return a < b if a != b else left.row() < right.row()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        idx = model.index(source_row, 0, source_parent)
        if model.data(idx, ROLE_IS_GROUP):
            return False  # shown only through an accepted child (recursive filtering)
        if self._statuses is not None and Status(model.data(idx, ROLE_STATUS)) not in self._statuses:
            return False
        if self._severities is not None and Severity(model.data(idx, ROLE_SEVERITY)) not in self._severities:
            return False
        if self._category is not None and model.data(idx, ROLE_CATEGORY) != self._category:
            return False
        if self._search and self._search not in model.data(idx, ROLE_SEARCH_TEXT):
            return False
        return True


def _status_shown(f: Finding) -> str:
    """The checklist's status: the effective one, with ✎ when it is the reviewer's (issue #16)."""
    ov = f.override
    if ov is None or not ov.in_force:
        return status_text(f.status)
    if ov.status.value == "not_applicable":
        return "– Not applicable ✎"
    return status_text(f.status) + " ✎"


def counts_text(counts: Mapping[Status, int]) -> str:
    """"3 ✕ Missing · 5 ! Weak · 12 ✓ Satisfied" (statuses with a zero count are left out, except Missing)."""
    parts = []
    for s in STATUS_ORDER:
        n = counts.get(s, 0)
        if n or s is Status.MISSING:
            parts.append(f"{n} {status_text(s)}")
    return " · ".join(parts)
