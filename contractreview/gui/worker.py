"""Drive a core generator (``pipeline.iter_review``, ``engine.iter_analyze``) on a worker thread.

The worker only runs the generator and hands back its result; it never touches the store. The GUI
thread persists results (STYLE.md: "the worker thread never touches the store").
Cancel sets a flag; the worker closes the generator at its next ``yield``, which stops the work
between steps (``GeneratorExit`` runs the core's cleanup in the thread that owns the generator).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..domain import Progress

GeneratorFactory = Callable[[], Generator[Progress, None, Any]]


class GeneratorWorker(QObject):
    """Runs ``factory()`` to exhaustion in ``run``; emits progress, then exactly one of finished/failed/cancelled."""

    progress = Signal(object)  # Progress
    finished = Signal(object)  # the generator's return value
    failed = Signal(object)  # the exception raised
    cancelled = Signal()
    done = Signal()  # after any of the three above

    #: progress signals are coalesced to this interval so a chatty generator cannot flood the event loop
    PROGRESS_INTERVAL_S = 0.03

    def __init__(self, factory: GeneratorFactory) -> None:
        super().__init__()
        self._factory = factory
        self._cancel = threading.Event()
        self.elapsed_s = 0.0

    def cancel(self) -> None:
        """Thread-safe: ask the worker to stop at the next step."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        t0 = time.perf_counter()
        last_emit = 0.0
        gen: Generator[Progress, None, Any] | None = None
        try:
            if self._cancel.is_set():
                self.cancelled.emit()
                return
            gen = self._factory()
            while True:
                if self._cancel.is_set():
                    gen.close()
                    self.cancelled.emit()
                    return
                try:
                    step = next(gen)
                except StopIteration as stop:
                    self.elapsed_s = time.perf_counter() - t0
                    self.finished.emit(stop.value)
                    return
                now = time.perf_counter()
                if isinstance(step, Progress) and (
                    now - last_emit >= self.PROGRESS_INTERVAL_S or step.done >= step.total
                ):
                    last_emit = now
                    self.progress.emit(step)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI thread
            if gen is not None:
                try:
                    gen.close()
                except Exception:  # noqa: BLE001
                    pass
            self.elapsed_s = time.perf_counter() - t0
            self.failed.emit(exc)
        finally:
            self.done.emit()


class _Relay(QObject):
    def __init__(self, on_progress, on_finished, on_failed, on_cancelled) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._cb = (on_progress, on_finished, on_failed, on_cancelled)

    @Slot(object)
    def progress(self, value: object) -> None:
        if self._cb[0]:
            self._cb[0](value)

    @Slot(object)
    def finished(self, value: object) -> None:
        if self._cb[1]:
            self._cb[1](value)

    @Slot(object)
    def failed(self, value: object) -> None:
        if self._cb[2]:
            self._cb[2](value)

    @Slot()
    def cancelled(self) -> None:
        if self._cb[3]:
            self._cb[3]()


class WorkerHandle:
    """A started worker and its thread; keeps both alive until the thread ends."""

    def __init__(self, worker: GeneratorWorker, thread: QThread, relay: QObject) -> None:
        self.worker = worker
        self.thread = thread
        self.relay = relay

    def cancel(self) -> None:
        self.worker.cancel()

    def is_running(self) -> bool:
        try:
            return self.thread.isRunning()
        except RuntimeError:  # the QThread was already deleted: it has finished
            return False

    def wait(self, ms: int = 30000) -> bool:
        """Block until the thread ends. ``quit`` first: the worker's own ``done -> quit`` is queued to the GUI
        thread, which is the thread blocked here, so without it the wait would run into its timeout."""
        try:
            self.thread.quit()  # thread-safe; honoured by exec() even if it has not started yet
            return self.thread.wait(ms)
        except RuntimeError:
            return True


def start_worker(
    factory: GeneratorFactory,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    parent: QObject | None = None,
) -> WorkerHandle:
    """Start ``factory`` on a new QThread; callbacks run on the GUI thread (queued connections)."""
    thread = QThread(parent)
    thread.setObjectName("contractreview-worker")
    worker = GeneratorWorker(factory)
    worker.moveToThread(thread)
    # The relay lives in the calling (GUI) thread, so its slots run there through queued connections;
    # connecting plain Python callables directly would run them on the worker thread.
    relay = _Relay(on_progress, on_finished, on_failed, on_cancelled)
    worker.progress.connect(relay.progress)
    worker.finished.connect(relay.finished)
    worker.failed.connect(relay.failed)
    worker.cancelled.connect(relay.cancelled)
    thread.started.connect(worker.run)
    worker.done.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    handle = WorkerHandle(worker, thread, relay)
    thread.start()
    return handle
