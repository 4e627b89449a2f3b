"""A message bar above the review (warning or information), with an optional action button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

_STYLES = {
    "warning": "QFrame#banner { background: #fff3cd; border: 1px solid #c9a227; } QLabel { color: #4a3700; }",
    "info": "QFrame#banner { background: #e3f2fd; border: 1px solid #64b5f6; } QLabel { color: #0d3c61; }",
}


class Banner(QFrame):
    """Hidden until :meth:`show_message`; the text wraps so nothing is cut on a narrow screen."""

    actionTriggered = Signal()  # noqa: N815
    secondTriggered = Signal()  # noqa: N815

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(name)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(name)
        self.button = QPushButton()
        self.button.clicked.connect(self.actionTriggered)
        self.second = QPushButton()
        self.second.clicked.connect(self.secondTriggered)
        self.close_btn = QPushButton("Dismiss")
        self.close_btn.setToolTip("Hide this message")
        self.close_btn.clicked.connect(self.hide)
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.second, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.close_btn, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_message(self, text: str, kind: str = "warning", action: str = "", second: str = "") -> None:
        self.setStyleSheet(_STYLES.get(kind, _STYLES["info"]))
        self.icon.setText("⚠" if kind == "warning" else "ℹ")
        self.label.setText(text)
        self.button.setText(action)
        self.button.setVisible(bool(action))
        self.second.setText(second)
        self.second.setVisible(bool(second))
        self.show()
