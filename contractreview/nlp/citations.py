"""Article citations in running text, read as numbers (pure Python).

"Articles 32 to 36", "Arts. 32-36", "Articles 33 and 34", "Article 33(3)" and "Art. 28(3)(f), 32 to 36" all
name sets of article numbers. The clause library says which article numbers stand for which duty (pattern
objects ``{"ARTICLES": [33]}``); this module only finds the citations and the numbers they cover, so that a
range covers every article it spans, not only the two written down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Citation", "parse_article_citations"]

# "Article(s)" in any case; the abbreviation "Art."/"Arts." capitalised ("state of the art 32-bit" is none).
_HEAD = re.compile(r"\b(?:[Aa]rticles?|ARTICLES?|Arts?|ARTS?)\b\.?\s*(?=\d)")
_NUMBER = re.compile(r"(\d{1,3})(?!\d)(?![.,]\d)")
# Sub-references after a number: "(3)", "(1)(a)", "(3) lit. f", "para. 2" are parts of that article.
_SUBREF = re.compile(
    r"\s*(?:\(\s*[0-9]{1,2}[a-z]?\s*\)|\(\s*[a-z]{1,4}\s*\)|(?:para|paragraph|lit)\.?\s*[0-9a-z]{1,3}\b)",
    re.IGNORECASE,
)
_AGAIN = r"(?:articles?\s+|arts?\.?\s*)?"  # "Article 33 and Article 34": the word may be repeated
_RANGE = re.compile(r"\s*(?:-|–|—|to|through|until|up\s+to)\s*" + _AGAIN + r"(?=\d)", re.IGNORECASE)
_LIST = re.compile(r"\s*(?:,\s*(?:and|or)?|and/or|and|or|&|as\s+well\s+as)\s*" + _AGAIN + r"(?=\d)", re.IGNORECASE)
_INCLUSIVE = re.compile(r"\s*\(\s*(?:both\s+)?inclusive\s*\)", re.IGNORECASE)
# A citation of the contract's own articles is not a citation of the law: "Article 5 of this Agreement".
_OWN = re.compile(r"\s*(?:of\s+this|of\s+these|hereof|herein|above|below)\b", re.IGNORECASE)

MAX_RANGE = 30  # "Articles 12 to 22" spans 11; a longer "range" is more likely two unrelated numbers


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation: character offsets into the text and the article numbers it covers."""

    start: int
    end: int
    numbers: frozenset[int]


def _subrefs(text: str, pos: int) -> int:
    while m := _SUBREF.match(text, pos):
        pos = m.end()
    return pos


def parse_article_citations(text: str) -> list[Citation]:
    """Every article citation of ``text``, each with the set of article numbers it names."""
    out: list[Citation] = []
    pos = 0
    while head := _HEAD.search(text, pos):
        m = _NUMBER.match(text, head.end())
        if not m:
            pos = head.end()
            continue
        numbers = {int(m.group(1))}
        last = int(m.group(1))
        end = _subrefs(text, m.end())
        while True:
            r = _RANGE.match(text, end)
            joined = r or _LIST.match(text, end)
            if not joined:
                break
            n = _NUMBER.match(text, joined.end())
            if not n:
                break
            value = int(n.group(1))
            if r:
                if not last < value <= last + MAX_RANGE:
                    break
                numbers.update(range(last, value + 1))
            else:
                numbers.add(value)
            last = value
            end = _subrefs(text, n.end())
        inclusive = _INCLUSIVE.match(text, end)
        if inclusive:
            end = inclusive.end()
        if not _OWN.match(text, end):
            out.append(Citation(head.start(), end, frozenset(numbers)))
        pos = end
    return out
