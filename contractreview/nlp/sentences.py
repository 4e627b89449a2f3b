"""A legal-aware sentence splitter working on character offsets (pure Python, fast).

It does not split after abbreviations common in contracts ("Sec. 5.2", "e.g.", "i.e.", "Inc.", "No. 3",
"U.S."), nor inside a clause number, and it splits enumerations "(a) ...; (b) ..." into their items so
that a hedge in item (b) does not colour item (a).
"""

from __future__ import annotations

import re

_ABBREV = {
    "sec",
    "secs",
    "e.g",
    "i.e",
    "inc",
    "ltd",
    "llc",
    "co",
    "corp",
    "no",
    "nos",
    "art",
    "arts",
    "para",
    "paras",
    "cf",
    "etc",
    "vs",
    "v",
    "u.s",
    "u.k",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "p",
    "pp",
    "cl",
    "ch",
    "s",
    "ss",
    "approx",
    "incl",
    "viz",
    "al",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "dept",
    "govt",
    "n.y",
    "cal",
    "c.f.r",
    "u.s.c",
    "stat",
    "gen",
    "ed",
    "reg",
    "regs",
}
_END_RE = re.compile(r"[.!?](?:[\"'\u201d\u2019)\]]*)(?=\s+|$)")
_ENUM_RE = re.compile(r";\s*(?:and\s+|or\s+)?(?=\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_MAX_SENTENCE = 1500


def _is_boundary(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if m and m.group(1).lower().rstrip(".") in _ABBREV:
        return False
    if m and len(m.group(1)) == 1 and m.group(1).isupper():  # initials "J. Smith", "(A). "
        return False
    # "5.2" is caught by requiring whitespace after the dot; "Section 5. Data" is a heading run-in: split.
    nxt = text[dot + 1 : dot + 3].lstrip()
    if nxt[:1].islower():
        return False
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (and enumeration item) spans of ``text[start:end]`` as absolute offsets, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cut = start
    for m in _END_RE.finditer(text, start, end):
        if _is_boundary(text, m.start()):
            spans.append((cut, m.end()))
            cut = m.end()
    spans.append((cut, end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        pieces = [s]
        for m in _ENUM_RE.finditer(text, s, e):
            pieces.append(m.end())
        pieces.append(e)
        for a, b in zip(pieces, pieces[1:], strict=False):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            while b - a > _MAX_SENTENCE:  # runaway text without punctuation (tables, lists)
                nl = text.rfind("\n", a, a + _MAX_SENTENCE)
                cut2 = nl if nl > a else a + _MAX_SENTENCE
                out.append((a, cut2))
                a = cut2
                while a < b and text[a].isspace():
                    a += 1
            if b > a:
                out.append((a, b))
    return out
