"""The strip above the review: key terms (collapsible) and the contract's names used in exports.

Issue #17: on a 1366x768 screen at 150% the key-terms table took so much height that two checklist rows
were left. The table now folds into one line ("▸ Key terms: breach notice 336 hours · …") that opens on a
click; it starts folded on a short screen, and the reviewer's choice is remembered.

Issue #18: the change request and the suggested language speak of the parties and the data by the
names the contract defines ("Provider", "SFUSD", "Confidential Data"). :class:`NamesDialog` shows those
names, as detected, and lets the reviewer change them; the window stores them with the review.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..vocabulary import ContractTerms
from .key_terms import COL_TERM, COL_VALUE, KeyTermsPanel

#: what the exports say when the contract defines no name (vocabulary.apply_terms' neutral words)
NEUTRAL = {"vendor": "the vendor", "school": "the district", "data": "student data"}
FIELDS = (
    ("vendor", "&Vendor:", "The vendor's name, as the contract defines it (\"Provider\", \"Stanford Research Organization\")"),
    ("school", "&School or district:", "The school's or district's name (\"the District\", \"SFUSD\")"),
    ("data", "Protected &data:", "The contract's defined term for the protected data (\"Student Data\", \"Confidential Data\")"),
)


def effective(detected: ContractTerms, stored: ContractTerms) -> ContractTerms:
    """The names the exports use: the reviewer's where given, else the contract's."""
    return detected.merged(stored)


class NamesDialog(QDialog):
    """The contract's names for the vendor, the school and the data, editable; defaults are the detected ones."""

    def __init__(self, detected: ContractTerms, stored: ContractTerms, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Names used in exports")
        self.detected = detected
        lay = QVBoxLayout(self)
        intro = QLabel(
            "The change request, the suggested language and the vendor questions call the parties and the data "
            "by these names. They are read from the contract's preamble and definitions; change them if the "
            "contract uses other names. Leave a field empty for a neutral word."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.edits: dict[str, QLineEdit] = {}
        now = effective(detected, stored)
        for key, label, tip in FIELDS:
            edit = QLineEdit(getattr(now, key))
            edit.setPlaceholderText(NEUTRAL[key])
            edit.setToolTip(tip)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.setMaxLength(120)
            form.addRow(label, edit)
            self.edits[key] = edit
        lay.addLayout(form)
        full = {"vendor": detected.vendor_name, "school": detected.school_name, "data": ""}
        found = ", ".join(
            (getattr(detected, k) or "—") + (f" ({full[k]})" if full[k] and getattr(detected, k) else "")
            for k, _l, _t in FIELDS
        )
        self.detected_label = QLabel(f"Found in the contract: {found}")
        self.detected_label.setWordWrap(True)
        lay.addWidget(self.detected_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.reset_btn = buttons.addButton("Use the contract's &names", QDialogButtonBox.ButtonRole.ResetRole)
        self.reset_btn.clicked.connect(self.reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(min(520, max(360, self.sizeHint().width())))

    def reset(self) -> None:
        for key, edit in self.edits.items():
            edit.setText(getattr(self.detected, key))

    def terms(self) -> ContractTerms:
        return ContractTerms(**{k: " ".join(e.text().split()) for k, e in self.edits.items()})


class ReviewHeader(QWidget):
    """A one-line header (fold toggle, key-terms summary, Names… button) over the key-terms panel."""

    expandedChanged = Signal(bool)  # noqa: N815
    userToggled = Signal(bool)  # the reviewer clicked the toggle (remembered; the automatic default is not)  # noqa: N815
    namesRequested = Signal()  # noqa: N815

    def __init__(self, key_terms: KeyTermsPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Key terms and names")
        self.key_terms = key_terms
        self._expanded = True
        self.toggle = QToolButton()
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setText("Key terms")
        self.toggle.setAccessibleName("Show key terms")
        self.toggle.setAutoRaise(True)
        self.toggle.clicked.connect(self._clicked)
        self.summary = QLabel("")
        self.summary.setAccessibleName("Key terms summary")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.names_btn = QPushButton("&Names…")
        self.names_btn.setToolTip("The names the exports use for the vendor, the school and the data")
        self.names_btn.clicked.connect(self.namesRequested)
        self.names_btn.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.toggle)
        row.addWidget(self.summary, 1)
        row.addStretch(0)
        row.addWidget(self.names_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(row)
        lay.addWidget(key_terms, 1)
        self._full_summary = ""
        self.set_expanded(True)

    def _clicked(self) -> None:
        self.set_expanded(not self._expanded)
        self.userToggled.emit(self._expanded)

    def is_expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, on: bool) -> None:
        self._expanded = on
        self.toggle.setToolTip("Hide the key-terms table" if on else "Show the key-terms table (deadlines, governing law)")
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.key_terms.setVisible(on)
        self.summary.setVisible(not on)
        # folded, the strip is one line high, so the checklist below gets the height
        self.setMaximumHeight(16777215 if on else self.toggle.sizeHint().height() + 2)
        self.expandedChanged.emit(on)

    def refresh(self, names: ContractTerms | None = None) -> None:
        """Re-read the summary from the key-terms table; ``names`` go into the Names… tooltip."""
        m = self.key_terms.model
        parts = [f"{m.index(r, COL_TERM).data()}: {m.index(r, COL_VALUE).data()}" for r in range(m.rowCount())]
        self._full_summary = " · ".join(parts)
        self.summary.setToolTip(self._full_summary)
        self._elide()
        if names is None:
            self.names_btn.setToolTip("The names the exports use for the vendor, the school and the data")
        else:
            shown = "; ".join(f"{label.replace('&', '').rstrip(':').lower()} “{getattr(names, k) or NEUTRAL[k]}”"
                              for k, label, _t in FIELDS)
            self.names_btn.setToolTip(f"Names in exports: {shown}. Click to change them.")

    def _elide(self) -> None:
        width = max(40, self.summary.width())
        self.summary.setText(self.summary.fontMetrics().elidedText(self._full_summary, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        self._elide()
