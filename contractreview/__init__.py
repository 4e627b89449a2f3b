"""ContractReview: offline review of ed-tech vendor contracts for student-data protections.

The façade keeps imports lazy so that ``contractreview --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "load_document",
    "segment",
    "analyze",
    "iter_analyze",
    "load_library",
    "ClauseLibrary",
]

if TYPE_CHECKING:  # pragma: no cover
    from .analyze import analyze, iter_analyze
    from .ingest import load_document
    from .library import ClauseLibrary, load_library
    from .segment import segment

_LAZY = {
    "load_document": ("contractreview.ingest", "load_document"),
    "segment": ("contractreview.segment", "segment"),
    "analyze": ("contractreview.analyze", "analyze"),
    "iter_analyze": ("contractreview.analyze", "iter_analyze"),
    "load_library": ("contractreview.library", "load_library"),
    "ClauseLibrary": ("contractreview.library", "ClauseLibrary"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)
