"""Deadlines in contract wording, normalised to hours, with the event that starts the clock.

Pure Python (no spaCy) so that the parser can be tested and property-checked on its own; the
``contractreview_durations`` component wraps it. Conventions follow the requirement facts README:
days × 24, weeks × 168, business days × 7/5 rounded up, "immediately" → 0, vague wording → ``None``
unless an outer limit follows it ("promptly, and in any event within 24 hours" → 24).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNITS = {
    "ones": [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ],
    "tens": ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
}
WORD_NUMBERS: dict[str, int] = {w: i for i, w in enumerate(_UNITS["ones"])}
for _i, _t in enumerate(_UNITS["tens"]):
    if _t:
        WORD_NUMBERS[_t] = _i * 10
        for _j in range(1, 10):
            WORD_NUMBERS[f"{_t}-{_j and _UNITS['ones'][_j]}"] = _i * 10 + _j
            WORD_NUMBERS[f"{_t} {_UNITS['ones'][_j]}"] = _i * 10 + _j
WORD_NUMBERS.update(
    {
        "a": 1,
        "an": 1,
        "one hundred": 100,
        "hundred": 100,
        "a hundred": 100,
        "one hundred twenty": 120,
        "three hundred sixty-five": 365,
        "one hundred eighty": 180,
        "ninety (90)": 90,
    }
)

_WORDS_RE = "|".join(
    sorted((re.escape(w) for w in WORD_NUMBERS if w not in {"a", "an"}), key=len, reverse=True)
)
_UNIT_RE = r"(?P<biz>business\s+|working\s+|calendar\s+)?(?P<unit>hours?|hrs?|h|days?|weeks?|months?|years?)"
# "seventy-two (72) hours", "72 hours", "seventy-two hours", "a 48-hour", "(72) hours"
DURATION_RE = re.compile(
    rf"\b(?:(?P<word>{_WORDS_RE})\s*(?:\(\s*(?P<paren>\d{{1,4}})\s*\)\s*)?|(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{1,4}}(?:\.\d+)?)\s*(?:\(\s*[a-z][a-z\- ]*\s*\)\s*)?(?:-\s*)?)"
    + _UNIT_RE
    + r"\b",
    re.IGNORECASE,
)
IMMEDIATE_RE = re.compile(r"\bimmediate(?:ly)?\b", re.IGNORECASE)
VAGUE_RE = re.compile(
    r"\b(?:promptly|prompt|without\s+undue\s+delay|without\s+unreasonable\s+delay|as\s+soon\s+as\s+(?:reasonably\s+)?"
    r"(?:practicable|possible|feasible)|as\s+quickly\s+as\s+(?:reasonably\s+)?possible|(?:within\s+)?a\s+reasonable\s+"
    r"(?:time|period)|(?:commercially\s+)?reasonable\s+time|expeditiously|timely|in\s+a\s+timely\s+manner|most\s+expedient)\b",
    re.IGNORECASE,
)
OUTER_RE = re.compile(
    r"\b(?:in\s+any\s+event|in\s+no\s+event|no\s+later\s+than|not\s+later\s+than|not\s+exceeding|no\s+more\s+than|"
    r"not\s+to\s+exceed|at\s+the\s+latest|but\s+(?:in\s+any\s+case\s+)?within|in\s+no\s+case|in\s+any\s+case|"
    r"no\s+greater\s+than|not\s+greater\s+than|no\s+longer\s+than|not\s+longer\s+than)\b",
    re.IGNORECASE,
)
_CLOCK = (
    ("confirmation", re.compile(r"\bconfirm(?:s|ed|ing|ation)?\b", re.IGNORECASE)),
    ("determination", re.compile(r"\bdetermin(?:e|es|ed|ing|ation)\b", re.IGNORECASE)),
    (
        "discovery",
        re.compile(
            r"\b(?:discover(?:s|ed|y|ing)?|aware(?:ness)?|learn(?:s|ed|ing)?|knowledge|detect(?:s|ed|ion|ing)?|"
            r"becom(?:es|ing)\s+aware|identif(?:y|ies|ied|ying|ication)|reasonabl[ey]\s+belie(?:f|ve|ves))\b",
            re.IGNORECASE,
        ),
    ),
)
_QUICK = re.compile(
    r"hour|hrs?\b|\dh\b|day|week|month|year|immediate|prompt|delay|soon|reasonable|expedit|timely|quickly",
    re.IGNORECASE,
)
_HOURS = {"hour": 1, "hr": 1, "day": 24, "week": 168, "month": 24 * 30, "year": 24 * 365}


@dataclass(frozen=True, slots=True)
class Duration:
    """One deadline: ``text[start:end]`` in the parsed string; ``hours`` is None for vague wording."""

    start: int
    end: int
    text: str
    value: float | None  # in ``unit``
    unit: str  # hour | day | week | month | year | immediate | vague
    business: bool = False
    outer: bool = False  # follows "in any event", "no later than", ...

    @property
    def hours(self) -> float | None:
        if self.unit == "immediate":
            return 0.0
        if self.value is None or self.unit not in _HOURS:
            return None
        if self.business and self.unit == "day":
            return math.ceil(self.value * 7 / 5) * 24.0
        return float(self.value * _HOURS[self.unit])

    @property
    def days(self) -> float | None:
        h = self.hours
        return None if h is None else h / 24.0

    @property
    def vague(self) -> bool:
        return self.unit == "vague"


def _unit(raw: str) -> str:
    raw = raw.lower()
    if raw == "h":
        return "hour"
    for u in ("hour", "hr", "day", "week", "month", "year"):
        if raw.startswith(u):
            return "hour" if u == "hr" else u
    return raw


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


def parse_durations(text: str) -> list[Duration]:
    """Every deadline in ``text`` in order: numeric, immediate and vague ones."""
    text = text.translate(_DASHES)  # "seventy–two" (en dash) reads as "seventy-two"; length unchanged
    found: list[Duration] = []
    if not _QUICK.search(text):  # most sentences state no deadline: skip the large expressions
        return found
    for m in DURATION_RE.finditer(text):
        if m.group("paren"):
            value = float(m.group("paren"))
        elif m.group("num"):
            value = float(m.group("num").replace(",", ""))
        else:
            value = float(WORD_NUMBERS[re.sub(r"\s+", " ", m.group("word").lower())])
        biz = (m.group("biz") or "").strip().lower() in {"business", "working"}
        before = text[max(0, m.start() - 40) : m.start()]
        found.append(
            Duration(
                m.start(),
                m.end(),
                m.group(0),
                value,
                _unit(m.group("unit")),
                biz,
                bool(OUTER_RE.search(before)),
            )
        )
    for m in IMMEDIATE_RE.finditer(text):
        found.append(Duration(m.start(), m.end(), m.group(0), 0.0, "immediate"))
    for m in VAGUE_RE.finditer(text):
        found.append(Duration(m.start(), m.end(), m.group(0), None, "vague"))
    found.sort(key=lambda d: d.start)
    return found


def outer_deadline(durations: list[Duration]) -> Duration | None:
    """The binding limit: an outer limit after a vague promise, else the first numeric one, else a vague one.

    "Promptly, and in any event within 24 hours" → the 24 hours; "promptly" alone → the vague duration.
    """
    numeric = [d for d in durations if d.hours is not None]
    if not numeric:
        return durations[0] if durations else None
    # An outer limit binds when it caps a softer promise stated before it ("promptly, and in any event
    # within 24 hours"). Otherwise the first deadline is the duty's own; later figures in the same
    # sentence are usually other duties (a final report in 30 days, updates every 7 days, a permitted
    # law-enforcement delay).
    outer = [d for d in numeric if d.outer]
    if outer and any(v.vague and v.start < outer[0].start for v in durations):
        return outer[0]
    return numeric[0]


def clock_start(text: str) -> str | None:
    """Which event starts the notice clock: discovery, confirmation, determination (or None)."""
    hits = []
    for name, rx in _CLOCK:
        m = rx.search(text)
        if m:
            hits.append((name, m.start()))
    if not hits:
        return None
    names = {h[0] for h in hits}
    # A confirmed/determined breach is a later trigger than awareness: the stricter reading for the school.
    for name in ("confirmation", "determination"):
        if name in names:
            return name
    return "discovery"


def clock_start_after(text: str, pos: int, window: int = 120) -> str | None:
    """The trigger named right after a deadline ("within 72 hours after discovery ...") rather than anywhere
    in the sentence, where a later duty ("... and shall confirm the notice in writing") would be misread as
    the clock start; falls back to :func:`clock_start` on the whole sentence."""
    near = text[pos : pos + window]
    hits = [(m.start(), name) for name, rx in _CLOCK if (m := rx.search(near))]
    if hits:
        return min(hits)[1]
    return clock_start(text)
