"""How statuses look: a label, a shape and a colour, so a status is never shown by colour alone."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF

from ..domain import Decision, Severity, Status

STATUS_LABELS: dict[Status, str] = {
    Status.MISSING: "Missing",
    Status.WEAK: "Weak",
    Status.SATISFIED: "Satisfied",
    Status.NEEDS_REVIEW: "Needs review",
}

# A symbol accompanies every label in plain text too (tooltips, screen readers, monochrome screens).
STATUS_SYMBOLS: dict[Status, str] = {
    Status.MISSING: "✕",
    Status.WEAK: "!",
    Status.SATISFIED: "✓",
    Status.NEEDS_REVIEW: "?",
}

STATUS_COLORS: dict[Status, str] = {
    Status.MISSING: "#c62828",
    Status.WEAK: "#ef8f00",
    Status.SATISFIED: "#2e7d32",
    Status.NEEDS_REVIEW: "#1565c0",
}

# Highlight fills in the document view (translucent), per status.
HIGHLIGHT_COLORS: dict[Status, tuple[int, int, int]] = {
    Status.MISSING: (229, 57, 53),
    Status.WEAK: (255, 193, 7),
    Status.SATISFIED: (102, 187, 106),
    Status.NEEDS_REVIEW: (66, 165, 245),
}

SEVERITY_LABELS: dict[Severity, str] = {Severity.HIGH: "High", Severity.MEDIUM: "Medium", Severity.LOW: "Low"}

STATUS_ORDER: tuple[Status, ...] = (Status.MISSING, Status.WEAK, Status.NEEDS_REVIEW, Status.SATISFIED)


def status_text(status: Status) -> str:
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"


def decision_text(decision: Decision | None) -> str:
    return decision.label if decision is not None else ""


@cache
def status_icon(status: Status, size: int = 16) -> QIcon:
    """A distinct *shape* per status (circle-cross, triangle, circle-tick, square-question)."""
    icon = QIcon()
    for scale in (1, 2):
        px = QPixmap(size * scale, size * scale)
        px.setDevicePixelRatio(scale)
        px.fill(Qt.GlobalColor.transparent)
        p = QPainter(px)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(STATUS_COLORS[status])
        p.setBrush(color)
        p.setPen(QPen(color.darker(130), 1))
        r = QRectF(1, 1, size - 2, size - 2)
        if status is Status.WEAK:
            p.drawPolygon(QPolygonF([QPointF(size / 2, 1), QPointF(size - 1, size - 1), QPointF(1, size - 1)]))
        elif status is Status.NEEDS_REVIEW:
            p.drawRect(r)
        else:
            p.drawEllipse(r)
        p.setPen(QPen(QColor("white"), 1.6))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        p.setFont(font)
        text_rect = QRectF(0, 2, size, size - 2) if status is Status.WEAK else QRectF(0, 0, size, size)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, STATUS_SYMBOLS[status])
        p.end()
        icon.addPixmap(px)
    return icon
