"""Run a piece of the review in a forked child process, on the machine's other core (#13).

Python threads cannot run Python code at the same time (the global interpreter lock), so the two places
where a review has independent work to overlap use a child process instead:

- reading the file while the pipeline is built (:mod:`contractreview.ingest.child`);
- reading the second half of a long contract's candidate sentences while the parent reads the first
  (:func:`contractreview.engine.features.iter_extract_features`).

:func:`start` forks (Linux only), the child runs ``work()`` and writes the list it returns back as JSON lines through a
pipe (data, never pickle), and the parent collects it with :meth:`Pending.result` once its own share is
done. The child changes nothing a user sees: if it fails in any way (an error, a crash, a kill, an answer
that does not decode), :meth:`Pending.result` returns None and the caller does the work itself, so every
error is reported exactly as without the child.

Forking a process that runs other threads (the GUI) copies locks those threads may hold. The child only
reads text, so the locks that matter are pdfium's (held across the fork, so no thread is inside pdfium
when it happens: :data:`contractreview.pdfium_guard.PDFIUM_LOCK`) and those of ``sys.stdout`` and
``sys.stderr`` (the child of a threaded process gets fresh ones pointing to the null device). Python
re-creates its own import and threading locks in a child.

A child helps only when a core is free: on a machine already busy it only adds the fork and the hand-over.
``CONTRACTREVIEW_FORK`` says when to fork: ``auto`` (the default: when the load average leaves a core
free), ``always`` or ``never``.
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

FORK_ENV = "CONTRACTREVIEW_FORK"  # auto | always | never


def can_fork() -> bool:
    """True where :func:`start` may fork: on Linux, unless ``CONTRACTREVIEW_FORK`` says ``never``, and in
    ``auto`` mode only while a core is free (the one-minute load average, which counts this process,
    below the number of cores minus a half)."""
    mode = os.environ.get(FORK_ENV, "auto").strip().lower() or "auto"
    if mode == "never" or not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return False
    if mode == "always":
        return True
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return cores > 1 and load < cores - 0.5


class Pending:
    """The result of ``work()`` in a child process (see the module docstring)."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._done = False

    def ready(self, timeout: float = 0.0) -> bool:
        """True once the child has started to answer or has ended (:meth:`result` then returns soon);
        waits at most ``timeout`` seconds. Never reads: the answer stays for :meth:`result`."""
        if self._done:
            return True
        try:
            readable, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        except (OSError, ValueError):
            return True
        return bool(readable)

    def result(self, deadline: float | None = None) -> list[Any] | None:
        """The list ``work()`` returned (decoded JSON items), or None when the child did not deliver it.

        ``deadline`` (a ``time.monotonic()`` value): a child still working then is stopped and None
        returned; the caller's own attempt then stops at its time budget as it always has.
        """
        chunks: list[bytes] = []
        try:
            while True:
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self._fd], [], [], wait)
                if not ready:
                    return None  # past the deadline: close() below stops the child
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            self.close()
        # One JSON line per item, each decoded on its own: a 300-page document's layout in one json.loads
        # held the GIL (and so the GUI thread) for 130 ms once.
        lines = b"".join(chunks).split(b"\n")
        try:
            head = json.loads(lines[0])
            if not (isinstance(head, dict) and head.get("ok") is True and head.get("items") == len(lines) - 2):
                return None  # failed, or cut short (the last line is the empty one after the final newline)
            return [json.loads(line) for line in lines[1:-1]]
        except ValueError:
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


def start(work: Callable[[], list[Any]]) -> Pending | None:
    """Fork a child that runs ``work()`` (a list of JSON data items) and sends the list back; None
    where forking is not possible (:func:`can_fork`), would be unsafe (another thread is inside pdfium)
    or fails. The child never returns from here."""
    if not can_fork():
        return None
    from .pdfium_guard import PDFIUM_LOCK

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
    if pid == 0:  # the child: work, answer, and leave without running the parent's exit handlers
        _child(work, r, w, threaded)
    os.close(w)
    return Pending(pid, r)


def _child(work: Callable[[], Any], r: int, w: int, threaded: bool) -> None:
    code = 0
    try:
        os.close(r)
        if threaded:  # another thread may have held the stream locks at the fork
            sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        from .deadline import set_tick

        set_tick(None)  # the parent draws the progress bar; two writers would garble it
        def line(value: Any) -> str:  # JSON escapes every newline inside strings: one item, one line
            return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"

        try:
            items = list(work())
            out = line({"ok": True, "items": len(items)}) + "".join(line(item) for item in items)
        except BaseException:  # noqa: BLE001 - the parent does the work again and reports the error
            out = line({"ok": False})
        view = memoryview(out.encode("utf-8"))
        while view:
            view = view[os.write(w, view):]
    except BaseException:  # noqa: BLE001 - a broken pipe (the parent gave up): nothing to report
        code = 1
    finally:
        os._exit(code)
