"""The reviewer's dialogs of issue #16: a comment on a passage, and a status override with its reason.

Both only collect input; the window's :class:`~contractreview.gui.annotations.ReviewerNotes` writes it
through the controller. OK stays disabled until the required text is typed; Ctrl+Return accepts from
inside the text box, where Return starts a new line.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import ReviewerStatus, Status

QUOTE_CHARS = 220

STATUS_CHOICES = (
    (ReviewerStatus.SATISFIED, "&Satisfied", "The contract provides this protection"),
    (ReviewerStatus.WEAK, "&Weak", "The contract addresses it, but not well enough"),
    (ReviewerStatus.MISSING, "&Missing", "The contract does not provide it"),
    (ReviewerStatus.NOT_APPLICABLE, "Not a&pplicable", "The protection does not apply to this agreement"),
)


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A passage on one line, cut at ``limit`` characters ("…")."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _quote_label(text: str) -> QLabel:
    label = QLabel(f"“{short_quote(text)}”")
    label.setWordWrap(True)
    label.setAccessibleName("Selected passage")
    label.setStyleSheet("QLabel { background: #f6f2fa; border-left: 3px solid #7b1fa2; padding: 4px; }")
    return label


def _text_box(name: str, placeholder: str, text: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on (keyboard-only flow), it does not type a tab
    line = box.fontMetrics().lineSpacing()
    box.setMinimumHeight(line * 3 + 12)
    box.setMaximumHeight(line * 6 + 12)  # the dialog must fit a 1366x768 screen at 150% (512 px high)
    return box


class CommentDialog(QDialog):
    """A comment on a passage, optionally saying which requirement the passage addresses."""

    def __init__(self, quote: str, requirements: Sequence[tuple[str, str]], *, comment: str = "",
                 requirement_id: str | None = None, title: str = "Add comment", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        if quote:
            lay.addWidget(_quote_label(quote))
        form = QFormLayout()
        self.comment = _text_box("Comment", "What should the team know about this passage?", comment)
        form.addRow("&Comment:", self.comment)
        self.requirement = QComboBox()
        self.requirement.setAccessibleName("This passage addresses")
        self.requirement.setToolTip("Link the passage to a requirement as evidence for it")
        self.requirement.addItem("— no requirement —", None)
        for rid, name in requirements:
            self.requirement.addItem(name, rid)
        self.requirement.setCurrentIndex(max(0, self.requirement.findData(requirement_id)) if requirement_id else 0)
        form.addRow("This passage &addresses:", self.requirement)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.comment.textChanged.connect(self._update_ok)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._accept_if_ready)
        self._update_ok()
        self.comment.setFocus()
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def _update_ok(self) -> None:
        self.ok.setEnabled(bool(self.comment_text()))

    def _accept_if_ready(self) -> None:
        if self.ok.isEnabled():
            self.accept()

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def requirement_id(self) -> str | None:
        return self.requirement.currentData()


class OverrideDialog(QDialog):
    """Set the reviewer's status for one requirement, with a required reason and optional evidence."""

    def __init__(self, title: str, engine_status: Status, *, current: object = None, selection: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override status")
        self.cleared = False
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{_escape(title)}</b><br>The engine says: {_escape(engine_status.value.replace('_', ' '))}")
        head.setWordWrap(True)
        lay.addWidget(head)
        box = QGroupBox("Your status")
        bl = QGridLayout(box)  # two by two: short enough for a laptop at 150%
        self.group = QButtonGroup(self)
        self.radios: dict[ReviewerStatus, QRadioButton] = {}
        for i, (status, label, tip) in enumerate(STATUS_CHOICES):
            rb = QRadioButton(label)
            rb.setToolTip(tip)
            self.group.addButton(rb)
            self.radios[status] = rb
            bl.addWidget(rb, i // 2, i % 2)
        lay.addWidget(box)
        chosen = getattr(current, "status", None)
        if chosen is None:  # propose the opposite of the engine: an override usually disagrees with it
            chosen = ReviewerStatus.MISSING if engine_status is Status.SATISFIED else ReviewerStatus.SATISFIED
        self.radios[ReviewerStatus(chosen)].setChecked(True)
        self.radios[ReviewerStatus(chosen)].setFocus()
        form = QFormLayout()
        self.reason = _text_box("Reason", "Required: why, e.g. “clause 9.2 requires notice within 72 hours”",
                                getattr(current, "reason", "") or "")
        form.addRow("&Reason:", self.reason)
        lay.addLayout(form)
        self.use_selection = QCheckBox("&Use the selected text as evidence")
        self.use_selection.setAccessibleName("Use the selected text as evidence")
        lay.addWidget(self.use_selection)
        if selection:
            self.use_selection.setChecked(True)
            lay.addWidget(_quote_label(selection))
        else:
            self.use_selection.setEnabled(False)
            evidence = getattr(current, "evidence", None)
            self.use_selection.setText("Use the selected text as evidence (select a passage in the document first)")
            if evidence is not None:
                lay.addWidget(QLabel("Evidence kept: “" + short_quote(evidence.quote, 120) + "”"))
        self.hint = QLabel("")
        self.hint.setStyleSheet("color: #8a1c1c;")
        lay.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setDefault(True)
        self.clear_btn: QPushButton | None = None
        if current is not None:
            self.clear_btn = self.buttons.addButton("C&lear Override", QDialogButtonBox.ButtonRole.DestructiveRole)
            self.clear_btn.setToolTip("Go back to the engine's status (the audit log keeps this override)")
            self.clear_btn.clicked.connect(self._clear)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._accept_if_ready)
        self._update_ok()
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _update_ok(self) -> None:
        ok = bool(self.reason_text())
        self.ok.setEnabled(ok)
        self.hint.setText("" if ok else "A reason is required.")

    def _accept_if_ready(self) -> None:
        if self.ok.isEnabled():
            self.accept()

    def _clear(self) -> None:
        self.cleared = True
        self.accept()

    def status(self) -> ReviewerStatus:
        return next(s for s, rb in self.radios.items() if rb.isChecked())

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
