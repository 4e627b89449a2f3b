"""The analysis engine: clauses × requirements → findings, each satisfied, weak, missing or needs review.

One mechanism for every requirement and every document, one module per step:

- :mod:`.features`: candidate sentences annotated by the spaCy pipeline, grouped by requirement;
- :mod:`.scoring`: per sentence a relevance and a quality score (weights from the clause library);
- :mod:`.deadlines` and :mod:`.decision`: the status of each requirement;
- :mod:`.grader`: stage 2, the learned grader that rates (or, if it earned it, decides) the status;
- :mod:`.explanation`: evidence and plain-English reason; :mod:`.keyterms`: the five key terms;
- :mod:`.run`: :func:`iter_analyze`, the entry point that chains them; :func:`trace` returns the analysis
  with its features and verdicts (what the evaluation and the grader's training read).

Names are imported lazily (``from contractreview.engine import analyze``) so that importing
:mod:`.keyterms` or :mod:`.grader` alone (exports, GUI tables) does not load the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Bump when a change of the engine's code (not of the library) alters results; recorded in every analysis.
ENGINE_VERSION = "rules-1"

__all__ = ["ENGINE_VERSION", "EngineTrace", "analyze", "iter_analyze", "iter_trace", "trace"]

if TYPE_CHECKING:  # pragma: no cover
    from .run import EngineTrace, analyze, iter_analyze, iter_trace, trace


def __getattr__(name: str) -> Any:
    if name in ("EngineTrace", "analyze", "iter_analyze", "iter_trace", "trace"):
        from . import run

        return getattr(run, name)
    raise AttributeError(name)
