"""What the worker hands the GUI thread after an analysis: the analysis, ready to store and to show.

Issue #17: after the worker finished a 300-page PDF, the GUI thread spent about 0.3 s in one slot turning
the analysis into JSON for the store and checking whether the file looks like a contract; the window
froze for that long. Both are pure functions of the analysis, so they now run on the worker, after the
core generator returns; the GUI thread only writes the rows and fills its views.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from ..contract_check import ContractCheck, check_contract
from ..domain import Analysis, Progress


@dataclass(frozen=True)
class Opened:
    analysis: Analysis
    prepared: Any  # store.PreparedReview, or None when it could not be prepared (saved the slow way)
    check: ContractCheck | None


def finish_on_worker(gen: Generator[Progress, None, Analysis], path: str | None) -> Generator[Progress, None, Opened]:
    """Run the core generator ``gen``, then prepare its analysis for the store and the warning bar."""
    analysis = yield from gen
    yield Progress("finishing", 1, 1, "Preparing the results")
    try:
        from ..store.repository import prepare_review

        prepared = prepare_review(analysis, source_path=path)
    except Exception:  # noqa: BLE001 - the GUI thread then serialises it itself and reports any error
        prepared = None
    try:
        check = check_contract(analysis.document, analysis.clauses or None)
    except Exception:  # noqa: BLE001
        check = None
    return Opened(analysis, prepared, check)
