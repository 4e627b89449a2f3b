"""Regular expressions over a whole contract, scanned in pieces so that no single scan holds the GIL long.

Why: ``re`` never releases the GIL. One ``finditer`` over the text of a 300-page contract (600,000
characters) that finds nothing is a single C call of 20-190 ms on our 2-core machine, and 2-3 times that
when the machine is busy; the GUI thread cannot run a line of Python meanwhile, so the window freezes while
the worker analyses (issue #17: the longest event-loop gap was such a scan). Here each scan covers about
``piece`` characters and Python runs between scans, where the interpreter hands the GIL to a waiting thread.

The matches are those of ``rx.finditer(text)``: each one is re-matched on the whole text at its start, so
its end, groups and look-arounds are the whole text's. The one assumption: no attempt of the pattern, one
that fails included, reads more than ``reach`` characters past where it starts (the project's patterns are
bounded: ``[^.;]{0,200}`` and a few words; only a run of 1,000 spaces or a 1,000-letter word goes past).
The overlap costs ``reach / piece`` (3%) more scanning than one whole-text call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

#: characters per scan: about 10 ms for the slowest governing-law pattern on the development machine
PIECE = 32_768
#: how far past its start an attempt may read (see the module docstring)
REACH = 1_024


def finditer(
    rx: re.Pattern[str], text: str, *, piece: int = PIECE, reach: int = REACH
) -> Iterator[re.Match[str]]:
    """The matches of ``rx.finditer(text)``, found by scans of at most ``piece + reach`` characters.

    For patterns that never match the empty string (after an empty match the scan moves on one character).
    """
    n = len(text)
    pos = 0
    while True:
        stop = pos + piece
        if stop + reach >= n:  # the rest in one scan: plain finditer from here
            yield from rx.finditer(text, pos)
            return
        window = stop + reach
        m = rx.search(text, pos, window)
        while m is not None and m.start() < stop:
            # The same attempt on the whole text: the window's end may have cut the match short, or let a
            # look-ahead or ``$`` succeed where the whole text goes on.
            full = rx.match(text, m.start())
            if full is None:
                m = rx.search(text, m.start() + 1, window)
                continue
            yield full
            pos = full.end() if full.end() > full.start() else full.end() + 1
            m = rx.search(text, pos, window) if pos < stop else None
        pos = max(pos, stop)


def sub(rx: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str, **kwargs: int) -> str:
    """``rx.sub(repl, text)`` with the matches of :func:`finditer` (same result, short scans)."""
    parts: list[str] = []
    last = 0
    for m in finditer(rx, text, **kwargs):
        parts.append(text[last : m.start()])
        parts.append(repl(m))
        last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
