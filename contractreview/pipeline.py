"""Ingest + analyse as one generator: what the GUI worker, the CLI and batch runs all drive."""

from __future__ import annotations

import time
from collections.abc import Generator
from pathlib import Path

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
