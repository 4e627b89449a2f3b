"""Find where a quoted piece of evidence sits in a sequence of paragraph texts.

Evidence offsets index into ``Document.text`` as the ingester built it, which may differ from the
source file's own paragraphs (numbering labels, joined lines, smart quotes). Matching on word tokens
tolerates those differences; the occurrence count before ``Evidence.start`` picks the right one when
the same wording appears twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(text or "")]


def _find_all(hay: list[str], needle: list[str]) -> list[int]:
    if not needle or len(needle) > len(hay):
        return []
    first = needle[0]
    n = len(needle)
    return [i for i, t in enumerate(hay) if t == first and hay[i : i + n] == needle]


def locate(
    paragraphs: Sequence[str], quote: str, *, full_text: str = "", start: int = -1
) -> tuple[int, int] | None:
    """Index of the first and last paragraph holding ``quote``, or ``None`` when it is not there.

    :param full_text: the ingested ``Document.text`` (optional) and ``start`` the evidence offset in it,
        used to choose among repeated occurrences.
    """
    hay: list[str] = []
    owner: list[int] = []
    for idx, para in enumerate(paragraphs):
        toks = tokens(para)
        hay += toks
        owner += [idx] * len(toks)
    needle = tokens(quote)
    if not needle:
        return None
    # Leading tokens may be a numbering label the source file does not hold as text ("5.2", "a").
    for drop in range(0, min(4, len(needle))):
        sub = needle[drop:]
        if len(sub) < 2 and len(needle) > 1:
            break
        hits = _find_all(hay, sub)
        if not hits:
            continue
        k = 0
        if full_text and start > 0:
            k = len(_find_all(tokens(full_text[:start]), sub))
        pos = hits[min(k, len(hits) - 1)]
        return owner[pos], owner[pos + len(sub) - 1]
    return None
