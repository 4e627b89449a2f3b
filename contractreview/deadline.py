"""An overall time budget for reading and analysing one contract, with progress inside long steps (#19).

Reading has had time limits since the first hardening round; analysis had none, so a 19 MB text ran for
minutes with a frozen progress bar and no way to stop it from the CLI but Ctrl+C. :func:`iter_review`
(``pipeline.py``) opens a budget for the file; the analysis loops iterate through :func:`paced`, which
reports progress and, once the budget is spent, raises :class:`~contractreview.errors.DocumentTooLargeError`
naming the file: one line, exit 2, nothing half-written.

The budget is per thread (the GUI analyses on a worker thread, the CLI on the main one).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import DocumentTooLargeError

T = TypeVar("T")
Tick = Callable[[str, int, int], None]

_local = threading.local()


@dataclass(slots=True)
class _Budget:
    ends: float
    seconds: float
    path: str


@contextmanager
def time_budget(seconds: float, path: str | Path, *, started: float | None = None) -> Iterator[None]:
    """Within the block, :func:`check` and :func:`paced` stop the work ``seconds`` after ``started``
    (a ``time.monotonic()`` value; default now)."""
    previous = getattr(_local, "budget", None)
    begin = time.monotonic() if started is None else started
    _local.budget = _Budget(begin + seconds, seconds, str(path))
    try:
        yield
    finally:
        _local.budget = previous


def budget_end() -> float | None:
    """When this thread's budget runs out (a ``time.monotonic()`` value), or None without a budget."""
    budget: _Budget | None = getattr(_local, "budget", None)
    return budget.ends if budget is not None else None


def set_tick(on_tick: Tick | None) -> Tick | None:
    """Install a progress callback for this thread (the CLI's progress bar); returns the previous one."""
    previous = getattr(_local, "tick", None)
    _local.tick = on_tick
    return previous


def check(stage: str = "", done: int = 0, total: int = 0) -> None:
    """Report progress and raise when the budget of this thread is spent (no budget: progress only)."""
    tick = getattr(_local, "tick", None)
    if tick is not None:
        tick(stage, done, total)
    budget: _Budget | None = getattr(_local, "budget", None)
    if budget is None:
        return
    if time.monotonic() > budget.ends:
        where = f" (stopped while {stage}, {done:,} of {total:,})" if stage and total else ""
        raise DocumentTooLargeError(
            f"the review took longer than its time limit of {budget.seconds:g} seconds{where}; it was stopped.",
            budget.path,
            "Split the document, or raise CONTRACTREVIEW_MAX_ANALYSIS_SECONDS if it is trusted.",
        )


def paced(
    items: Iterable[T], stage: str, total: int = 0, every: int = 256, *, offset: int = 0, scale: float = 1.0
) -> Iterator[T]:
    """``items``, with :func:`check` every ``every`` items; item ``i`` reports ``offset + i * scale`` done
    (a share of a larger job: the first half of the sentences, read while a child reads the other)."""
    for i, item in enumerate(items):
        if i % every == 0:
            check(stage, offset + int(i * scale), total)
        yield item
