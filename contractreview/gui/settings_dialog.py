"""Settings: reviewer name, clause-library folder (validated), text size."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SettingsDialog(QDialog):
    def __init__(self, settings: Any, font_size: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        form = QFormLayout()
        self.reviewer = QLineEdit(getattr(settings, "reviewer_name", ""))
        self.reviewer.setAccessibleName("Reviewer name")
        self.reviewer.setToolTip("Recorded with every decision you make")
        form.addRow("&Reviewer name:", self.reviewer)
        row = QHBoxLayout()
        self.library = QLineEdit(getattr(settings, "library_dir", ""))
        self.library.setAccessibleName("Clause library folder")
        self.library.setPlaceholderText("(bundled clause library)")
        self.library.setToolTip("A folder with your own requirements/profiles, layered over the bundled library")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.library, 1)
        row.addWidget(browse)
        lib_label = QLabel("&Library folder:")  # a row holding a layout gets no buddy: the & would show
        lib_label.setBuddy(self.library)
        form.addRow(lib_label, row)
        self.font = QDoubleSpinBox()
        self.font.setRange(7, 28)
        self.font.setSingleStep(1)
        self.font.setDecimals(0)
        self.font.setSuffix(" pt")
        self.font.setValue(font_size)
        self.font.setAccessibleName("Text size")
        form.addRow("&Text size:", self.font)
        self.problems = QLabel("")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problems)
        lay.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Clause library folder", self.library.text())
        if folder:
            self.library.setText(folder)

    def validate(self) -> list[str]:
        folder = self.library.text().strip()
        if not folder:
            return []
        from ..library import validate_library_dir

        try:
            return list(validate_library_dir(folder))
        except Exception as exc:  # noqa: BLE001 - shown to the user, the dialog stays open
            return [str(exc)]

    def accept(self) -> None:
        problems = self.validate()
        if problems:
            self.problems.setText("The library folder has problems:\n" + "\n".join(problems[:8]))
            return
        super().accept()

    def result_settings(self) -> Any:
        return replace(self._settings, reviewer_name=self.reviewer.text().strip(), library_dir=self.library.text().strip())

    def font_size(self) -> float:
        return float(self.font.value())
