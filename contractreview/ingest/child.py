"""Read a document in a forked child process while the parent builds the review pipeline (#13).

A review that starts cold (the command line; the GUI opening a file as it starts) spends most of its
start-up importing spaCy and building the pipeline, and a thread cannot overlap that with reading the
file: both hold Python's global interpreter lock. A child process can. :func:`start_reading` forks (Linux
only), the child reads the file and writes the document back as JSON through a pipe
(:func:`contractreview.serialize.layout_to_dict`: data, never pickle), and the parent picks it up with
:meth:`ChildRead.result` once its own work is done.

Forking a process that runs other threads (the GUI) copies locks those threads may hold. The child only
reads the file, so the locks that matter are pdfium's (held across the fork, so no thread is inside
pdfium when it happens: :data:`contractreview.pdfium_guard.PDFIUM_LOCK`) and those of ``sys.stdout`` and
``sys.stderr`` (the child of a threaded process gets fresh ones pointing to the null device). Python
re-creates its own import and threading locks in a child.

The child changes nothing the user sees: if it fails in any way (the file cannot be read, the child
crashes or is killed, the answer does not decode), :meth:`ChildRead.result` returns None and the caller
reads the file itself, so every error message is exactly the in-process one. Only a child still running
when the review's time budget is spent is stopped and reported like an in-process read that ran over.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ..domain import Document

_DISABLE_ENV = "CONTRACTREVIEW_NO_FORK"


def can_fork() -> bool:
    """True where :func:`start_reading` may fork: Linux, not disabled by ``CONTRACTREVIEW_NO_FORK=1``."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and os.environ.get(_DISABLE_ENV, "") in ("", "0")
    )


class ChildRead:
    """A document being read by a child process (see the module docstring)."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._done = False

    def result(self, deadline: float | None = None) -> Document | None:
        """The document the child read, or None when it did not (the caller then reads it itself).

        ``deadline`` (a ``time.monotonic()`` value): when the child is still reading then, it is stopped
        and None returned; the caller's own read then stops at its budget as it always has.
        """
        chunks: list[bytes] = []
        try:
            while True:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self._fd], [], [], wait)
                if not ready:
                    return None  # over the budget: close() below stops the child
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            self.close()
        try:
            data = json.loads(b"".join(chunks))
            if not data.get("ok"):
                return None
            return document_from_json(data["document"])
        except (ValueError, KeyError, TypeError):
            return None

    def close(self) -> None:
        """Stop the child if it still runs and reap it (idempotent)."""
        if self._done:
            return
        self._done = True
        try:
            os.close(self._fd)
        except OSError:
            pass
        try:
            pid, _status = os.waitpid(self._pid, os.WNOHANG)
            if pid == 0:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
        except (ChildProcessError, ProcessLookupError, OSError):
            pass

    def __del__(self) -> None:  # a review abandoned mid-way (Ctrl+C, an error) leaves no child behind
        self.close()


def start_reading(read: Callable[[], Document]) -> ChildRead | None:
    """Fork a child that runs ``read()`` and sends its document back; None where forking is not possible
    (:func:`can_fork`) or fails. The child never returns from here."""
    if not can_fork():
        return None
    from ..pdfium_guard import PDFIUM_LOCK

    threaded = threading.active_count() > 1
    # Never fork while another thread is inside pdfium: the child would inherit a half-done pdfium call.
    if not PDFIUM_LOCK.acquire(blocking=False):
        return None
    try:
        try:
            r, w = os.pipe()
        except OSError:
            return None
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
    finally:
        PDFIUM_LOCK.release()  # in the parent, and the child's own copy (this thread holds it in both)
    if pid == 0:  # the child: read, answer, and leave without running the parent's exit handlers
        code = 0
        try:
            os.close(r)
            if threaded:  # another thread may have held the stream locks at the fork
                sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            try:
                payload: dict[str, Any] = {"ok": True, "document": document_to_json(read())}
            except BaseException:  # noqa: BLE001 - the parent reads the file again and reports the error
                payload = {"ok": False}
            data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
        except BaseException:  # noqa: BLE001 - a broken pipe (the parent gave up): nothing to report
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    return ChildRead(pid, r)


def document_to_json(doc: Document) -> dict[str, Any]:
    from ..serialize import layout_to_dict

    return {
        "source_path": doc.source_path,
        "sha256": doc.sha256,
        "format": doc.format.value,
        "text": doc.text,
        "layout": layout_to_dict(doc),
    }


def document_from_json(data: dict[str, Any]) -> Document:
    from ..serialize import document_from_layout

    return document_from_layout(
        source_path=data["source_path"],
        sha256=data["sha256"],
        fmt=data["format"],
        text=data["text"],
        layout=data["layout"],
    )
