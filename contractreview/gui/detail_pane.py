"""The detail pane: everything about one finding, and the reviewer's decision on it.

The pane does not save anything itself: it emits ``decisionEdited`` and the main window writes the
decision through the store on the GUI thread, then calls :meth:`DetailPane.mark_saved`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..domain import Analysis, Decision, Finding, ReviewDecision, Status
from ..place import evidence_place
from ..serialize import source_citation
from .status_style import SEVERITY_LABELS, STATUS_COLORS, status_icon, status_text

NOT_CHECKED_EVIDENCE = (
    "Not checked automatically: the clause library has no rule that detects this protection, so nothing was "
    "looked for. Read the contract for it."
)

NOTE_SAVE_DELAY_MS = 700


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _plural(n: Any, unit: str) -> str:
    return f"{_num(n)} {unit}" if n == 1 else f"{_num(n)} {unit}s"


def describe_terms(params: Mapping[str, Any]) -> list[str]:
    """Plain-English lines for a finding's extracted numbers.

    ``{"breach_notice_max_hours": 240, "clock_start": "confirmation", "threshold_hours": 72}`` ->
    ``["Notice within 240 hours after confirmation", "Profile limit: 72 hours"]``.
    """
    p = dict(params)
    lines: list[str] = []
    clock = p.pop("clock_start", None) or p.pop("breach_notice_clock_start", None)
    wording = p.pop("wording", None)
    said = f" (the contract says “{wording}”)" if wording else ""
    if "breach_notice_max_hours" in p:
        hours = p.pop("breach_notice_max_hours")
        if hours is None:
            text = "Notice deadline: none fixed (vague wording)"
        elif hours == 0:
            text = "Notice immediately"
        else:
            text = f"Notice within {_plural(hours, 'hour')}"
        if clock:
            text += f" after {clock}"
        lines.append(text + said)
        said = ""
    elif clock:
        lines.append(f"Clock starts at {clock}")
    for key, label in (
        ("deletion_after_request_days", "Deletion within {} of the school's request"),
        ("deletion_after_termination_days", "Deletion within {} after the agreement ends"),
    ):
        if key in p:
            v = p.pop(key)
            text = label.format(_plural(v, "day")) if v is not None else label.format("an unstated time")
            lines.append(text + said)
            said = ""
    basis = p.pop("threshold_basis", "")
    is_law = p.pop("threshold_is_law", None)
    limit = None
    if "threshold_hours" in p:
        limit = _plural(p.pop("threshold_hours"), "hour")
        p.pop("threshold", None)
        p.pop("threshold_unit", None)
    elif "threshold" in p:
        unit = str(p.pop("threshold_unit", "") or "").rstrip("s")
        value = p.pop("threshold")
        limit = _plural(value, unit) if unit else _num(value)
    elif "threshold_days" in p:
        limit = _plural(p.pop("threshold_days"), "day")
    if limit is not None:
        lines.append(f"Profile limit: {limit}")
    if basis:
        lines.append(f"Basis: {basis}")
    if is_law is False and limit is not None:
        lines.append("This limit is a recommendation, not a legal requirement.")
    if said:
        lines.append(f"Wording: “{wording}”")
    for key, value in p.items():
        if value in (None, "", [], {}):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else _num(value)
        lines.append(f"{key.replace('_', ' ').capitalize()}: {shown}")
    return lines


_LONG_WORD = re.compile(r"\S{18,}")
_BREAK_AFTER = re.compile(r"([_./\\:-])(?=\S)")
ZWSP = "\u200b"


def breakable(text: str) -> str:
    """Let long unbroken words (rule ids such as ``breach_notice.weak_language_vague_timing``, URLs)
    wrap after ``_ . / - :`` (zero-width spaces), so a narrow pane wraps lines instead of cutting them
    mid-word (issue #17). Normal words are left alone."""
    return _LONG_WORD.sub(lambda m: _BREAK_AFTER.sub(r"\1" + ZWSP, m.group(0)), text)


def _override_text(finding: Finding) -> str:
    """The core's one line for a finding the reviewer overrode; "" when there is no override."""
    from ..reviewer import describe_override

    if getattr(finding, "override", None) is None:
        return ""
    return describe_override(finding)


def _local(iso: str) -> str:
    """A stored UTC time as the reviewer's local time ("on 2026-03-02 at 09:05"); #17: it said UTC."""
    from datetime import datetime

    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:16].replace("T", " ") + " UTC"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone().strftime("on %Y-%m-%d at %H:%M")


class _Section(QGroupBox):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 6, 8, 8)


def _wrap_label(text: str = "", name: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        lab.setAccessibleName(name)
    return lab


class DetailPane(QScrollArea):
    decisionEdited = Signal(str, object, str)  # requirement_id, Decision, note  # noqa: N815
    decisionCleared = Signal(str)  # requirement_id: back to "not decided"  # noqa: N815
    showEvidenceRequested = Signal(str)  # noqa: N815
    overrideRequested = Signal(str)  # requirement_id: the reviewer wants to set their own status (#16)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: Analysis | None = None  # the shown review, for evidence labels (set by the window)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps instead
        self.setAccessibleName("Finding details")
        self.finding: Finding | None = None
        self._loading = False
        self._had_decision = False
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(8, 8, 8, 8)

        self.placeholder = _wrap_label("Select a requirement in the checklist to see why it was flagged.")
        lay.addWidget(self.placeholder)

        self.content = QWidget()
        c = QVBoxLayout(self.content)
        c.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.status_icon = QLabel()
        self.title = _wrap_label(name="Requirement")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        head.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.title, 1)
        c.addLayout(head)
        self.status_line = _wrap_label(name="Status")
        c.addWidget(self.status_line)
        # The reviewer's status beside the engine's: "Engine: missing · Reviewer: satisfied, clause 9.2" (#16)
        orow = QHBoxLayout()
        self.override_line = _wrap_label(name="Reviewer's status")
        self.override_line.setStyleSheet("color: #6a1b9a; font-weight: bold;")
        self.override_btn = QPushButton("&Override Status…")
        self.override_btn.setToolTip("Set your own status for this requirement, with a reason (Ctrl+Shift+R)")
        self.override_btn.clicked.connect(lambda: self.finding and self.overrideRequested.emit(self.finding.requirement_id))
        orow.addWidget(self.override_line, 1)
        orow.addWidget(self.override_btn, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        c.addLayout(orow)
        self.evidence_badge = QLabel("⚑ Evidence changed since the decision was recorded — please re-check")
        self.evidence_badge.setWordWrap(True)
        self.evidence_badge.setAccessibleName("Evidence changed")
        self.evidence_badge.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #c9a227; padding: 4px; }"
        )
        c.addWidget(self.evidence_badge)

        self.explanation_box = _Section("Why")
        self.explanation = _wrap_label(name="Explanation")
        self.explanation_box.body.addWidget(self.explanation)
        c.addWidget(self.explanation_box)

        self.evidence_box = _Section("Evidence in the contract")
        self.evidence = _wrap_label(name="Evidence")
        self.show_evidence_btn = QPushButton("Show in document")
        self.show_evidence_btn.setToolTip("Scroll the document to this evidence")
        self.show_evidence_btn.clicked.connect(lambda: self.finding and self.showEvidenceRequested.emit(self.finding.requirement_id))
        self.evidence_box.body.addWidget(self.evidence)
        self.evidence_box.body.addWidget(self.show_evidence_btn, 0, Qt.AlignmentFlag.AlignLeft)
        c.addWidget(self.evidence_box)

        self.terms_box = _Section("Extracted terms")
        self.terms = _wrap_label(name="Extracted terms")
        self.terms_box.body.addWidget(self.terms)
        c.addWidget(self.terms_box)

        self.sources_box = _Section("Sources")
        self.sources = _wrap_label(name="Sources")
        self.sources_box.body.addWidget(self.sources)
        c.addWidget(self.sources_box)

        self.language_box = _Section("Suggested language")
        self.language = QPlainTextEdit()
        self.language.setReadOnly(True)
        self.language.setAccessibleName("Suggested language")
        self.language.setMaximumHeight(84)
        self.copy_btn = QPushButton("&Copy suggested language")
        self.copy_btn.setToolTip("Copy the suggested clause to the clipboard")
        self.copy_btn.clicked.connect(self.copy_language)
        self._copy_timer = QTimer(self)
        self._copy_timer.setSingleShot(True)
        self._copy_timer.setInterval(1500)
        self._copy_timer.timeout.connect(lambda: self.copy_btn.setText("&Copy suggested language"))
        self.language_box.body.addWidget(self.language)
        self.language_box.body.addWidget(self.copy_btn, 0, Qt.AlignmentFlag.AlignLeft)
        c.addWidget(self.language_box)

        self.question_box = _Section("Question for the vendor")
        self.question = _wrap_label(name="Vendor question")
        self.question_box.body.addWidget(self.question)
        c.addWidget(self.question_box)

        self.decision_box = _Section("Your decision")
        form = QFormLayout()
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        self.decision.setToolTip("Saved as soon as you change it")
        self.decision.addItem("— not decided —", None)
        for d in Decision:
            self.decision.addItem(d.label, d.value)  # Qt keeps the plain string
        self.decision.currentIndexChanged.connect(self._decision_changed)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Decision note")
        self.note.setPlaceholderText("Note (saved automatically)")
        self.note.setMaximumHeight(70)
        self.note.setTabChangesFocus(True)
        self.note.textChanged.connect(self._note_changed)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self._emit_decision)
        form.addRow("&Decision:", self.decision)
        form.addRow("&Note:", self.note)
        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName("Save state")
        self.decided_by = _wrap_label()
        form.addRow("", self.saved_label)
        form.addRow("", self.decided_by)
        self.decision_box.body.addLayout(form)
        c.addWidget(self.decision_box)
        c.addStretch(1)
        lay.addWidget(self.content)
        lay.addStretch(1)
        self.content.hide()
        # The pane never shows a horizontal scroll bar, so it must not be squeezed below what its
        # buttons and wrapped text need: the splitter then takes the room from the page view (#17).
        self.setMinimumWidth(self.content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 20)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.NoFrame)

    # ------------------------------------------------------------------ display
    def set_finding(self, finding: Finding | None, decision: ReviewDecision | None = None) -> None:
        self.flush()
        self.finding = finding
        if finding is None:
            self.content.hide()
            self.placeholder.show()
            return
        self._loading = True
        try:
            self.placeholder.hide()
            self.content.show()
            self.status_icon.setPixmap(status_icon(finding.status, 20).pixmap(20, 20))
            self.title.setText(breakable(finding.title))
            self.status_line.setText(breakable(
                f"{status_text(finding.status)} · {SEVERITY_LABELS[finding.severity]} severity · {finding.requirement_id}"
            ))
            self.status_line.setStyleSheet(f"color: {STATUS_COLORS[finding.status]}; font-weight: bold;")
            self.override_line.setText(breakable(_override_text(finding)))
            self.override_line.setVisible(bool(self.override_line.text()))
            self.explanation.setText(breakable(finding.explanation or "—"))
            ov = finding.override
            if ov is not None and ov.in_force and ov.evidence is not None:
                quote = " ".join(ov.evidence.quote.split())
                by = f" ({ov.author})" if ov.author else ""
                self.evidence.setText(breakable(f"Reviewer's evidence{by}: “{quote}”" + (f"\n— {ov.place}" if ov.place else "")
                                                + (f"\nReason: {ov.reason}" if ov.reason else "")))
                self.show_evidence_btn.show()
                self.evidence_box.show()
            elif finding.evidence:
                ev = finding.evidence[0]
                # The same label and page as every export (contractreview.place).
                a = self.analysis
                where = evidence_place(ev, a.document if a else None, a.clauses if a else ()).where
                more = f"\n(+{len(finding.evidence) - 1} more passage(s) highlighted)" if len(finding.evidence) > 1 else ""
                rule = f"\nRule: {ev.rule}" if ev.rule else ""
                quote = " ".join(ev.text.split())  # PDF line breaks inside a sentence read as spaces
                self.evidence.setText(breakable(f"“{quote}”\n— {where}{rule}{more}"))
                self.show_evidence_btn.show()
                self.evidence_box.show()
            elif finding.status is Status.MISSING:
                self.evidence.setText("Not found: no clause in the contract addresses this protection.")
                self.show_evidence_btn.hide()
                self.evidence_box.show()
            elif finding.not_checked:
                self.evidence.setText(NOT_CHECKED_EVIDENCE)
                self.show_evidence_btn.hide()
                self.evidence_box.show()
            else:
                self.evidence_box.hide()
            terms = describe_terms(finding.params)
            self.terms.setText(breakable("\n".join(f"• {t}" for t in terms)))
            self.terms_box.setVisible(bool(terms))
            if finding.sources:
                self.sources.setText(breakable(
                    "\n".join(
                        f"• {source_citation(s)}" + (f" — {s.name}" if s.name else "")
                        + ("" if s.is_verified else "  [unverified: not to be cited as law]")
                        for s in finding.sources
                    )
                ))
            self.sources_box.setVisible(bool(finding.sources))
            self.language.setPlainText(finding.suggested_language)
            self.language_box.setVisible(bool(finding.suggested_language))
            self.question.setText(breakable(finding.vendor_question))
            self.question_box.setVisible(bool(finding.vendor_question))
            self.show_decision(decision)
            self.saved_label.setText("")
        finally:
            self._loading = False
        self.verticalScrollBar().setValue(0)

    def show_decision(self, decision: ReviewDecision | None) -> None:
        was = self._loading
        self._loading = True
        try:
            self._had_decision = decision is not None
            idx = self.decision.findData(decision.decision.value) if decision else 0
            self.decision.setCurrentIndex(max(0, idx))
            self.note.setPlainText(decision.note if decision else "")
            self.evidence_badge.setVisible(bool(decision and decision.evidence_changed))
            if decision and (decision.reviewer or decision.updated_at):
                who = f" by {decision.reviewer}" if decision.reviewer else ""
                when = _local(decision.updated_at) if decision.updated_at else ""
                self.decided_by.setText(f"Recorded{who} {when}".strip())
            else:
                self.decided_by.setText("")
        finally:
            self._loading = was

    def copy_language(self) -> None:
        QGuiApplication.clipboard().setText(self.language.toPlainText())
        self.copy_btn.setText("Copied ✓")
        self._copy_timer.start()  # a child timer: it dies with the pane, unlike a bare singleShot

    # ------------------------------------------------------------------ editing
    def _decision_changed(self) -> None:
        if not self._loading:
            self._emit_decision()

    def _note_changed(self) -> None:
        if not self._loading:
            self.saved_label.setText("Editing…")
            self._note_timer.start()

    def flush(self) -> None:
        """Save a pending note edit now (before switching findings or closing)."""
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._emit_decision()

    def current_decision(self) -> Decision | None:
        value = self.decision.currentData()
        return Decision(value) if value else None

    def _emit_decision(self) -> None:
        self._note_timer.stop()
        if self.finding is None:
            return
        decision = self.current_decision()
        if decision is None:
            if self._had_decision:
                self._had_decision = False
                self.decisionCleared.emit(self.finding.requirement_id)
                return
            if self.note.toPlainText().strip():
                self.saved_label.setText("Choose a decision to save the note")
            return
        self._had_decision = True
        self.decisionEdited.emit(self.finding.requirement_id, decision, self.note.toPlainText())

    def mark_saved(self, ok: bool, message: str = "") -> None:
        self.saved_label.setText("✓ Saved" if ok else f"✕ Not saved: {message}")
        self.saved_label.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828; font-weight: bold;")
