"""Batch review of a vendor inventory: many contracts, several processes, one store, one portfolio.

``iter_batch`` is a generator like every long operation (``Progress`` out, ``BatchResult`` returned), so
the CLI draws a bar and a GUI or a test just exhausts it. The unit of work, :func:`review_file`, is a
plain module-level function from a path to a small picklable result: the same function runs under
``concurrent.futures`` here, or under Dask / Ray for a consortium-size inventory (see docs/batch.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from .domain import Analysis, Progress
from .errors import ContractReviewError

CONTRACT_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".markdown", ".text")


@dataclass(frozen=True, slots=True)
class BatchItem:
    path: str
    state: str  # done | skipped | failed
    reason: str = ""
    review_id: int | None = None
    sha256: str = ""
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BatchResult:
    items: tuple[BatchItem, ...]
    analyses: tuple[Analysis, ...]  # slim analyses (document text dropped) of the files reviewed now

    def by_state(self, state: str) -> list[BatchItem]:
        return [i for i in self.items if i.state == state]


def collect_files(args: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus contracts found (recursively) in the folders named; sorted, no duplicates."""
    seen: dict[Path, None] = {}
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in CONTRACT_SUFFIXES and not child.name.startswith("."):
                    seen.setdefault(child, None)
        else:
            seen.setdefault(path, None)
    return list(seen)


def file_sha256(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe or device would block or never end; the worker's reader refuses it
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None  # the worker reports the access problem with the project's own message
    return h.hexdigest()


def slim(analysis: Analysis) -> Analysis:
    """The analysis without the document's text and layout (findings and evidence quotes are kept)."""
    doc = dataclasses.replace(analysis.document, text="", blocks=(), lines=(), furniture=(), comments=())
    return dataclasses.replace(analysis, document=doc, clauses=())


# ------------------------------------------------------------------ the unit of work (runs in a worker)
_WORKER: dict[str, object] = {}


def _init_worker(profile: str, library_dir: str | None) -> None:
    """Load the clause library and build the spaCy pipeline once per worker process."""
    from .library import load_library
    from .nlp import get_pipeline

    library = load_library(profile, user_dir=Path(library_dir) if library_dir else None)
    get_pipeline(library)
    _WORKER["library"] = library


def _init_pool_worker(profile: str, library_dir: str | None) -> None:
    """:func:`_init_worker` in a pool process: the pool already keeps every core busy, so the review's
    own forked children (:mod:`contractreview.forked`) would only add work, unless the user asked for them."""
    from .forked import FORK_ENV

    if os.environ.get(FORK_ENV, "auto").strip().lower() in ("", "auto"):
        os.environ[FORK_ENV] = "never"
    _init_worker(profile, library_dir)


def review_file(path: str, profile: str = "default", library_dir: str | None = None, db: str | None = None,
                password: str | None = None) -> tuple[str, object]:
    """Ingest, analyse and (when ``db`` is given) store one contract.

    Returns ``("done", (review_id, slim_analysis))`` or ``("failed", message)``; never raises for bad input,
    so one broken file cannot stop an inventory run.
    """
    from .library import load_library
    from .pipeline import review

    try:
        library = _WORKER.get("library") or load_library(profile, user_dir=Path(library_dir) if library_dir else None)
        analysis = review(path, profile=profile, library=library, password=password)
        review_id = None
        if db is not None:
            from .store import open_store

            with open_store(db) as store:
                review_id = store.save_analysis(
                    analysis, source_path=str(Path(path).resolve()),
                    library_fingerprint=getattr(library, "fingerprint", ""),
                )
        return "done", (review_id, slim(analysis))
    except ContractReviewError as exc:
        return "failed", exc.message
    except MemoryError:
        return "failed", f"{Path(path).name}: ran out of memory while reading it"


# ------------------------------------------------------------------ the driver
def iter_batch(
    files: Sequence[Path],
    *,
    jobs: int = 1,
    profile: str = "default",
    library_dir: str | None = None,
    db: str | None = None,
    skip_reviewed: bool = True,
) -> Generator[Progress, None, BatchResult]:
    """Review ``files`` with ``jobs`` worker processes; skip files already reviewed with this library version."""
    from .library import load_library

    library = load_library(profile, user_dir=Path(library_dir) if library_dir else None)
    items: list[BatchItem] = []
    analyses: list[Analysis] = []
    todo: list[Path] = []
    if skip_reviewed and db is not None:
        from .store import open_store

        with open_store(db) as store:
            for path in files:
                sha = file_sha256(path)
                prior = store.latest_review(sha, profile, library.version) if sha else None
                if prior is not None:
                    items.append(BatchItem(str(path), "skipped", f"already reviewed (review {prior.id})",
                                           prior.id, sha, dict(getattr(prior, "counts", {}) or {})))
                else:
                    todo.append(path)
    else:
        todo = list(files)
    total = len(files)
    yield Progress("batch", len(items), total, f"{len(items)} already reviewed")

    def record(path: Path, state: str, payload: object) -> None:
        if state == "done":
            review_id, analysis = payload  # type: ignore[misc]
            analyses.append(analysis)
            counts = {s.value: n for s, n in analysis.counts().items()}
            items.append(BatchItem(str(path), "done", "", review_id, analysis.document.sha256, counts))
        else:
            items.append(BatchItem(str(path), "failed", str(payload)))

    args = (profile, library_dir, db)
    # Built here once: forked workers (Linux) inherit the pipeline; spawned ones (Windows, macOS) build it
    # in their initializer.
    _init_worker(profile, library_dir)
    if jobs <= 1 or len(todo) <= 1:
        for path in todo:
            state, payload = review_file(str(path), *args)
            record(path, state, payload)
            yield Progress("batch", len(items), total, path.name)
    else:
        workers = min(jobs, len(todo), os.cpu_count() or jobs)
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_pool_worker, initargs=(profile, library_dir)) as pool:
            pending: dict[Future, Path] = {pool.submit(review_file, str(p), *args): p for p in todo}
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        path = pending.pop(fut)
                        try:
                            state, payload = fut.result()
                        except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                            state, payload = "failed", f"{path.name}: the worker process failed ({exc.__class__.__name__})"
                        record(path, state, payload)
                        yield Progress("batch", len(items), total, path.name)
            except GeneratorExit:
                for fut in pending:
                    fut.cancel()
                raise
    order = {str(p): i for i, p in enumerate(files)}
    items.sort(key=lambda i: order.get(i.path, len(order)))
    return BatchResult(tuple(items), tuple(analyses))
