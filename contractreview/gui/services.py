"""What the GUI needs from the core, gathered by the composition root (``app.py``) and passed in.

Tests build a ``Services`` around a real store file and, where needed, their own generator factories.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import Analysis, Document, Progress

ReviewFactory = Callable[..., Generator[Progress, None, Analysis]]  # (path, *, profile, library, password)
AnalyzeFactory = Callable[..., Generator[Progress, None, Analysis]]  # (document, *, profile, library)


def _default_review(path: str | Path, *, profile: str, library: Any = None, password: str | None = None,  # type: ignore[no-untyped-def]
                    ocr: bool = False):
    from ..pipeline import iter_review

    return iter_review(path, profile=profile, library=library, password=password, ocr=ocr)


def _default_analyze(document: Document, *, profile: str, library: Any = None):  # type: ignore[no-untyped-def]
    from ..engine import iter_analyze

    return iter_analyze(document, profile=profile, library=library)


def _default_load_library(profile: str, user_dir: Path | None) -> Any:
    from ..library import load_library

    return load_library(profile, user_dir=user_dir)


def _default_list_profiles(user_dir: Path | None) -> list[str]:
    try:
        from ..library import list_profiles

        return list_profiles(user_dir) or ["default"]
    except Exception:  # noqa: BLE001 - an unusable library is reported when analysing, not here
        return ["default"]


def _default_save_settings(settings: Any) -> None:
    from ..settings import save_settings

    save_settings(settings)


@dataclass
class Services:
    store: Any  # contractreview.store.Store (or None: reviews are then not saved)
    settings: Any  # contractreview.settings.Settings
    review: ReviewFactory = _default_review
    analyze: AnalyzeFactory = _default_analyze
    load_library: Callable[[str, Path | None], Any] = _default_load_library
    list_profiles: Callable[[Path | None], list[str]] = _default_list_profiles
    save_settings: Callable[[Any], None] = _default_save_settings
    extra: dict[str, Any] = field(default_factory=dict)
    # A review of the file given on the command line, already running in a forked child
    # (``pipeline.ReviewInChild``, #13); the first open takes it (or stops it when it does not serve).
    first_review: Any = None

    def take_first_review(self) -> Any:
        first, self.first_review = self.first_review, None
        return first
