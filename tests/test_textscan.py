"""Whole-text regular expressions in short scans (issue #17: one scan held the GIL and froze the window)."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_issue_15_keyterm_mechanisms import LAW

from contractreview import textscan
from contractreview.engine import keyterms

KEYTERM_PATTERNS = (
    [rx for rx, _strong in keyterms._LAW_PATTERNS]
    + list(keyterms._VENUE_PATTERNS)
    + list(keyterms._SEAT_PATTERNS)
    + [keyterms._ABBREVIATION]
)


def _found(matches):  # type: ignore[no-untyped-def]
    return [(m.span(), m.groupdict(), m.group(0)) for m in matches]


def _contract_text(repeats: int = 3) -> str:
    """The governing-law sentences of the #15 tests between filler of varying length, so that matches fall
    on every side of the piece boundaries."""
    filler = "The Provider shall keep records of its processing. "
    parts = []
    for i in range(repeats):
        for j, (sentence, _law) in enumerate(LAW):
            parts.append(
                filler * ((i + j) % 4) + sentence + (" U.S.A. " if j % 5 == 0 else " ") + "\n" * (j % 3)
            )
    return "".join(parts)


@pytest.mark.parametrize("rx", KEYTERM_PATTERNS, ids=lambda rx: rx.pattern[:30])
@pytest.mark.parametrize(("piece", "reach"), [(64, 600), (500, 600), (4096, 1024)])
def test_textscan_finds_what_finditer_finds_with_the_keyterm_patterns(
    rx: re.Pattern[str], piece: int, reach: int
) -> None:
    text = _contract_text()
    expected = _found(rx.finditer(text))
    assert _found(textscan.finditer(rx, text, piece=piece, reach=reach)) == expected


def test_textscan_has_matches_to_compare() -> None:
    """The comparison above is not vacuous: the text has governing-law, venue, seat and abbreviation matches."""
    text = _contract_text()
    for group in (keyterms._LAW_PATTERNS, keyterms._VENUE_PATTERNS, keyterms._SEAT_PATTERNS):
        pats = [p[0] if isinstance(p, tuple) else p for p in group]
        assert sum(len(list(rx.finditer(text))) for rx in pats) >= 3
    assert len(list(keyterms._ABBREVIATION.finditer(text))) >= 3


def test_textscan_window_end_invents_no_match() -> None:
    """A scan window that ends just after "France" would satisfy ``(?=\\.|$)``; the whole text does not."""
    rx = re.compile(r"law of (?P<place>[A-Z][a-z]+)(?=\.|$)")
    text = "x" * 90 + "the law of France applies. " + "y" * 200 + "the law of Spain." + "z" * 300
    cut = text.index("France") + len("France")
    # piece + reach puts the first window's end right after "France"
    got = _found(textscan.finditer(rx, text, piece=cut - 10, reach=10))
    assert got == _found(rx.finditer(text))
    assert [g[1]["place"] for g in got] == ["Spain"]


def test_textscan_sub_is_re_sub() -> None:
    text = _contract_text()
    rx = keyterms._ABBREVIATION
    repl = lambda m: m.group(0).replace(".", " ")  # noqa: E731
    assert textscan.sub(rx, repl, text, piece=300, reach=100) == rx.sub(repl, text)
    assert textscan.sub(rx, repl, "no abbreviations here") == "no abbreviations here"


# Bounded patterns (no attempt reads more than 10 characters) over a small alphabet: the same matches as
# finditer for any text and any piece size.
BOUNDED = [
    re.compile(r"ab{1,5}c"),
    re.compile(r"\bx[ay]{0,3}z\b"),
    re.compile(r"q(?=r|$)"),
    re.compile(r"(?m)y$"),
    re.compile(r"c\.(?! )"),
    re.compile(r"(?<=a)b[^.]{0,4}?\."),
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="abcxyzqr .\n", max_size=300),
    which=st.integers(0, len(BOUNDED) - 1),
    piece=st.integers(1, 40),
    reach=st.integers(10, 30),
)
def test_textscan_property_same_matches_as_finditer(text: str, which: int, piece: int, reach: int) -> None:
    rx = BOUNDED[which]
    assert _found(textscan.finditer(rx, text, piece=piece, reach=reach)) == _found(rx.finditer(text))


class _Recorder:
    """A compiled pattern that records how many characters each scan covers."""

    def __init__(self, rx: re.Pattern[str], scans: list[int]) -> None:
        self._rx = rx
        self._scans = scans
        self.pattern = rx.pattern

    def _note(self, text: str, pos: int, endpos: int) -> None:
        self._scans.append(min(endpos, len(text)) - pos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize):  # type: ignore[no-untyped-def]
        self._note(text, pos, endpos)
        return self._rx.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):  # type: ignore[no-untyped-def]
        self._note(text, pos, endpos)
        return self._rx.finditer(text, pos, endpos)

    def sub(self, repl, text: str, count: int = 0):  # type: ignore[no-untyped-def]
        self._note(text, 0, len(text))
        return self._rx.sub(repl, text, count)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize):  # type: ignore[no-untyped-def]
        return self._rx.match(text, pos, endpos)  # one attempt at ``pos``, not a scan


def test_issue_17_governing_law_reads_a_long_contract_in_short_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 400,000-character contract: the same reading, and no regular-expression scan longer than a piece
    (on main each pattern scanned the whole text in one call, up to 250 ms with the GIL held)."""
    filler = "The Provider shall keep records of its processing activities and make them available. " * 4700
    text = (
        filler
        + "\n\nThis Agreement shall be governed by the laws of the State of New York. Any dispute shall be "
        "heard by the courts located in the State of New York. " + filler[:20000]
    )
    assert len(text) > 400_000
    expected = keyterms.read_governing_law(text)
    assert expected.law == "New York" and expected.venue == "New York"
    scans: list[int] = []
    monkeypatch.setattr(
        keyterms, "_LAW_PATTERNS", tuple((_Recorder(rx, scans), s) for rx, s in keyterms._LAW_PATTERNS)
    )
    monkeypatch.setattr(
        keyterms, "_VENUE_PATTERNS", tuple(_Recorder(rx, scans) for rx in keyterms._VENUE_PATTERNS)
    )
    monkeypatch.setattr(
        keyterms, "_SEAT_PATTERNS", tuple(_Recorder(rx, scans) for rx in keyterms._SEAT_PATTERNS)
    )
    monkeypatch.setattr(keyterms, "_ABBREVIATION", _Recorder(keyterms._ABBREVIATION, scans))
    assert keyterms.read_governing_law(text) == expected
    assert len(scans) > 100  # many short scans...
    assert max(scans) <= textscan.PIECE + textscan.REACH  # ...and none over the whole text


def test_vocabulary_definition_scans_find_what_a_whole_text_scan_finds() -> None:
    """The Names dialog and the exports read defined terms on the GUI thread; in short scans now (#17)."""
    from contractreview import vocabulary

    defs = (
        'Acme Learning, Inc. (the "Provider") and the Springfield Unified School District ("District"). ',
        '"Student Data" means any information about a student. ',
        '"Subprocessor", as used in this Agreement, refers to a third party. ',
        "The Provider shall keep records of its processing. ",
    )
    text = "".join(defs[(i * 7) % len(defs)] * (1 + i % 3) for i in range(400))
    assert len(text) > 3 * 600
    for rx in (vocabulary._MEANS_DEF, vocabulary._PAREN_DEF):
        whole = _found(rx.finditer(text))
        assert whole  # the text has definitions of each kind to compare
        for piece, reach in ((64, 600), (500, 600), (4096, 1024)):
            assert _found(textscan.finditer(rx, text, piece=piece, reach=reach)) == whole
