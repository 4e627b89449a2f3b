"""Where bundled data lives, the same for an editable checkout, a wheel and a PyInstaller bundle."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    # Wheel / bundle: force-included under the package.
    packaged = Path(str(resources.files("contractreview"))) / name
    if packaged.is_dir():
        return packaged
    # PyInstaller one-folder bundle keeps data next to the executable's _internal folder.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidate = Path(frozen_root) / "contractreview" / name
        if candidate.is_dir():
            return candidate
    # Editable checkout: the top-level folder of the repository.
    return Path(__file__).resolve().parent.parent / name


def clause_library_dir() -> Path:
    return _data_dir("clause_library")


def resources_dir() -> Path:
    return _data_dir("resources")


def sample_contract(fmt: str = "pdf") -> Path:
    """The bundled sample contract written by the project (``pdf``, ``docx`` or ``md``)."""
    return resources_dir() / "sample" / f"sample_dpa.{fmt}"
