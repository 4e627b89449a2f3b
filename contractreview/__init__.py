"""ContractReview: offline review of ed-tech vendor contracts for student-data protections.

The façade keeps imports lazy so that ``contractreview --help`` stays fast. ``segment`` is not re-exported
here: it shares its name with its module, and Python rebinds a package attribute to the submodule once it is
imported. Use ``from contractreview.segment import segment``. The engine lives in :mod:`contractreview.engine`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load_document",
    "analyze",
    "iter_analyze",
    "review",
    "iter_review",
    "load_library",
    "ClauseLibrary",
]

if TYPE_CHECKING:  # pragma: no cover
    from .engine import analyze, iter_analyze
    from .ingest import load_document
    from .library import ClauseLibrary, load_library
    from .pipeline import iter_review, review

_LAZY = {
    "load_document": ("contractreview.ingest", "load_document"),
    "analyze": ("contractreview.engine", "analyze"),
    "iter_analyze": ("contractreview.engine", "iter_analyze"),
    "review": ("contractreview.pipeline", "review"),
    "iter_review": ("contractreview.pipeline", "iter_review"),
    "load_library": ("contractreview.library", "load_library"),
    "ClauseLibrary": ("contractreview.library", "ClauseLibrary"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)
