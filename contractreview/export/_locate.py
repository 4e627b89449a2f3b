"""Find where a quoted piece of evidence sits in a sequence of paragraph texts.

Evidence offsets index into ``Document.text`` as the ingester built it, which may differ from the
source file's own paragraphs (numbering labels, joined lines, smart quotes). Matching on word tokens
tolerates those differences; the occurrence count before ``Evidence.start`` picks the right one when
the same wording appears twice.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(text or "")]


class _Index:
    """Token positions by token, so repeated searches stay fast on long contracts."""

    def __init__(self, toks: list[str]) -> None:
        self.toks = toks
        self.where: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(toks):
            self.where[t].append(i)

    def find_all(self, needle: list[str]) -> list[int]:
        n = len(needle)
        return [i for i in self.where.get(needle[0], ()) if self.toks[i : i + n] == needle]


class Locator:
    """Locate quotes among ``paragraphs``; ``full_text`` is the ingested ``Document.text`` (optional)."""

    def __init__(self, paragraphs: Sequence[str], full_text: str = "") -> None:
        hay: list[str] = []
        self.owner: list[int] = []
        for idx, para in enumerate(paragraphs):
            toks = tokens(para)
            hay += toks
            self.owner += [idx] * len(toks)
        self.paras = _Index(hay)
        starts, full = [], []
        for m in _WORD.finditer(full_text or ""):
            starts.append(m.start())
            full.append(m.group().lower())
        self.full_starts = starts
        self.full = _Index(full)

    def locate(self, quote: str, start: int = -1) -> tuple[int, int] | None:
        """Index of the first and last paragraph holding ``quote``, or ``None`` when it is not there."""
        found = self._locate_run(tokens(quote), start)
        if found is not None:
            return found
        # A quote spanning paragraphs may carry labels inside it too: place its first and last lines.
        lines = [ln for ln in quote.split("\n") if tokens(ln)]
        if len(lines) < 2:
            return None
        first = self._locate_run(tokens(lines[0]), start)
        if first is None:
            return None
        last = self._locate_run(tokens(lines[-1]), -1, after=first[0])
        return (first[0], last[1]) if last is not None else first

    def _locate_run(self, needle: list[str], start: int, *, after: int = -1) -> tuple[int, int] | None:
        if not needle:
            return None
        # Leading tokens may be a numbering label the source file does not hold as text ("5.2", "a").
        for drop in range(0, min(4, len(needle))):
            sub = needle[drop:]
            if len(sub) < 2 and len(needle) > 1:
                break
            hits = [h for h in self.paras.find_all(sub) if self.owner[h] >= after]
            if not hits:
                continue
            k = 0
            if self.full_starts and start > 0:
                before = bisect.bisect_left(self.full_starts, start)
                k = sum(1 for i in self.full.find_all(sub) if i < before)
            pos = hits[min(k, len(hits) - 1)]
            return self.owner[pos], self.owner[pos + len(sub) - 1]
        return None


def locate(
    paragraphs: Sequence[str], quote: str, *, full_text: str = "", start: int = -1
) -> tuple[int, int] | None:
    """One-off :meth:`Locator.locate`."""
    return Locator(paragraphs, full_text).locate(quote, start)
