"""Ingest + analyse as one generator: what the GUI worker, the CLI and batch runs all drive."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from .domain import Analysis, Progress


def iter_review(
    path: str | Path,
    *,
    profile: str = "default",
    library: object | None = None,
    password: str | None = None,
    ocr: bool = False,
) -> Generator[Progress, None, Analysis]:
    """Load ``path`` and analyse it, yielding ``Progress``; returns the ``Analysis``.

    Closing the generator (the GUI's Cancel) stops the work between steps. ``ocr`` runs scanned PDF pages
    through ``ocrmypdf`` first when it is installed (opt-in: OCR text can be wrong).
    :raises ContractReviewError: for any input the project cannot read (never anything else on purpose).
    """
    from .deadline import check, time_budget
    from .engine import iter_analyze
    from .engine.run import library_for
    from .ingest import load_document, load_document_with_ocr
    from .ingest.child import start_reading
    from .limits import Limits
    from .nlp import get_pipeline, pipeline_ready, prepare_pipeline

    limits = Limits.from_env()
    library = library_for(profile, library)
    loader = load_document_with_ocr if ocr else load_document
    yield Progress("ingest", 0, 1, f"Reading {Path(path).name}")
    started = time.monotonic()
    # spaCy's import and the pipeline build (most of a cold start) overlap reading the file: a forked child
    # reads it on a free core (contractreview.forked: Linux, a core free); otherwise a thread builds the
    # pipeline while this one reads. A pipeline already built (the GUI warms one up) needs neither.
    child = None
    if not pipeline_ready(library):
        child = start_reading(lambda: loader(path, password=password, limits=limits))
        if child is None:
            prepare_pipeline(library)
        else:
            get_pipeline(library)
    # One wall-time budget for reading and analysing the file (#19); the analysis loops check it.
    with time_budget(limits.max_analysis_seconds, path, started=started):
        document = child.result(started + limits.max_analysis_seconds) if child is not None else None
        if document is None:  # no child, or it failed: read here, with the in-process errors and limits
            document = loader(path, password=password, limits=limits)
        check("reading")
    yield Progress("ingest", 1, 1, f"Read {len(document.pages)} pages")
    steps = iter_analyze(document, profile=profile, library=library)
    while True:
        # The budget is entered around each step only, so that the caller's code between steps (the GUI
        # thread, a progress bar) never runs under it.
        with time_budget(limits.max_analysis_seconds, path, started=started):
            try:
                step = next(steps)
            except StopIteration as stop:
                return stop.value
            check(step.stage, step.done, step.total)
        yield step


def review(path: str | Path, **kwargs: object) -> Analysis:
    """Blocking variant of :func:`iter_review`."""
    gen = iter_review(path, **kwargs)  # type: ignore[arg-type]
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


class ReviewInChild:
    """A whole review of one file running in a forked child process (#13): see :func:`start_review_in_child`."""

    def __init__(self, pending: Any, path: str, profile: str, library_path: Path | None) -> None:
        self._pending = pending
        self.path = path
        self.profile = profile
        self.library_path = library_path
        self.started = time.monotonic()

    def serves(self, path: str | Path, profile: str, library_path: Path | None) -> bool:
        """True when this child reviews ``path`` as the caller would: same file, profile and library."""
        try:
            same_file = Path(path).resolve() == Path(self.path).resolve()
        except OSError:
            return False
        return same_file and profile == self.profile and library_path == self.library_path

    def iter_result(self, fallback: Callable[[], Generator[Progress, None, Analysis]]) -> Generator[Progress, None, Analysis]:
        """Wait for the child's analysis, yielding ``Progress`` (so a caller can cancel: closing the
        generator stops the child); when the child did not deliver one (an error, a crash, an answer that
        does not decode), run ``fallback()`` here instead: its errors are the ones the user sees, exactly as
        without the child. When the review's time limit (``CONTRACTREVIEW_MAX_ANALYSIS_SECONDS``) is spent,
        the one-line time-limit error instead of a second try."""
        from .errors import DocumentTooLargeError
        from .handover import analysis_from_records
        from .limits import Limits

        name = Path(self.path).name
        budget = Limits.from_env().max_analysis_seconds
        # The child stops itself at the budget (the same limits): a little longer for its answer to arrive.
        deadline = self.started + budget + min(5.0, 0.1 * budget)
        analysis = None
        yield Progress("ingest", 0, 1, f"Reading {name}")
        try:
            while not self._pending.ready(0.25) and time.monotonic() < deadline:
                yield Progress("analysis", 0, 0, f"Reviewing {name}")
            records = self._pending.result(deadline)
            if records is not None:
                try:
                    analysis = analysis_from_records(records)
                except ValueError:
                    analysis = None
        finally:
            self.close()
        if analysis is None and time.monotonic() - self.started >= budget:
            # The review's time is spent (the child ran out of it): reviewing again here would only make the
            # user wait the whole limit a second time for the same answer.
            raise DocumentTooLargeError(
                f"the review took longer than its time limit of {budget:g} seconds; it was stopped.",
                self.path,
                "Split the document, or raise CONTRACTREVIEW_MAX_ANALYSIS_SECONDS if it is trusted.",
            )
        if analysis is None:
            analysis = yield from fallback()
        return analysis

    def close(self) -> None:
        """Stop the child if it still runs, and reap it (idempotent)."""
        self._pending.close()


def start_review_in_child(
    path: str | Path, *, profile: str = "default", library_path: Path | None = None
) -> ReviewInChild | None:
    """Start reviewing ``path`` in a forked child, or None where forking is not possible
    (:func:`contractreview.forked.start`).

    For a program that is given the file as it starts (``contractreview-gui FILE``): the child imports
    spaCy, builds the pipeline, reads and analyses the file on the other core while the parent starts its
    window, then hands the analysis back whole (:mod:`contractreview.handover`, JSON). Only while this
    process runs no other thread (None otherwise): the child imports modules, and a lock another thread held
    at the fork would never be released there. ``library_path`` is the user's clause-library folder (None:
    the bundled library).
    """
    import threading

    from . import forked

    if threading.active_count() > 1:  # a thread might hold an import lock the child then waits on forever
        return None
    path = str(path)

    def work() -> list[Any]:
        from .handover import analysis_to_records

        library = None
        if library_path is not None:
            from .library import load_library

            library = load_library(profile, user_dir=library_path)
        return analysis_to_records(review(path, profile=profile, library=library))

    pending = forked.start(work)
    return None if pending is None else ReviewInChild(pending, path, profile, library_path)
