"""Deadline parsing: every wording form, business days, outer limits, clock start."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractreview.nlp.durations import WORD_NUMBERS, clock_start, outer_deadline, parse_durations


def _hours(text: str) -> float | None:
    d = outer_deadline(parse_durations(text))
    return None if d is None else d.hours


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("within seventy-two (72) hours of discovery", 72),
        ("within 72 hours", 72),
        ("within seventy-two hours", 72),
        ("no later than forty-eight (48) hours", 48),
        ("a 24-hour window", 24),
        ("within thirty days", 720),
        ("within 30 calendar days", 720),
        ("one (1) week", 168),
        ("two weeks", 336),
        ("ten (10) business days", 336),  # 10 × 7/5 = 14 calendar days
        ("three business days", 120),  # 3 × 7/5 = 4.2 → 5 days
        ("five (5) working days", 168),
        ("immediately", 0),
        ("promptly, and in any event within 24 hours", 24),
        ("without undue delay and in no event later than seventy-two (72) hours", 72),
    ],
)
def test_nlp_durations_forms(text: str, hours: float) -> None:
    assert _hours(text) == hours


@pytest.mark.parametrize(
    "text",
    [
        "promptly",
        "without undue delay",
        "as soon as practicable",
        "as soon as reasonably possible",
        "within a reasonable time",
        "in a timely manner",
    ],
)
def test_nlp_durations_vague_wording_has_no_hours(text: str) -> None:
    d = outer_deadline(parse_durations(f"Provider shall notify the District {text}."))
    assert d is not None and d.vague and d.hours is None


def test_nlp_durations_no_deadline() -> None:
    assert parse_durations("Provider shall encrypt Student Data.") == []


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("within 72 hours after discovery of the breach", "discovery"),
        ("within 72 hours of becoming aware of a breach", "discovery"),
        ("within 72 hours after Provider learns of a breach", "discovery"),
        ("within 10 days after confirmation of the breach", "confirmation"),
        ("within 10 days after Provider confirms a breach", "confirmation"),
        ("within 5 days after Provider determines that a breach occurred", "determination"),
        ("within 72 hours", None),
    ],
)
def test_nlp_durations_clock_start(text: str, start: str | None) -> None:
    assert clock_start(text) == start


_NUMBER_WORDS = sorted(
    (w, n) for w, n in WORD_NUMBERS.items() if n > 0 and " " not in w and w not in {"a", "an", "hundred"}
)


@given(st.sampled_from(_NUMBER_WORDS), st.sampled_from(["hours", "days", "weeks"]), st.booleans())
def test_nlp_durations_round_trip(word_n: tuple[str, int], unit: str, with_digits: bool) -> None:
    """Writing a number the way contracts do and parsing it back gives the same hours."""
    word, n = word_n
    text = f"within {word} ({n}) {unit}" if with_digits else f"within {word} {unit}"
    per = {"hours": 1, "days": 24, "weeks": 168}[unit]
    assert _hours(text) == n * per


# Regressions from the final review: each of these once gave a wrong number or clock start.
@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("within seventy\u2013two hours after discovery", 72.0),  # en dash in the number word
        ("within forty\u2011eight hours", 48.0),  # non-breaking hyphen
        ("within 1,000 days", 24000.0),
        ("within 1.5 hours", 1.5),
        ("within 48 (forty-eight) hours", 48.0),
        ("within 72h of discovery", 72.0),
        ("within 24 hours after discovery, and shall provide a final written report no later than 30 days", 24.0),
        ("within twenty-four (24) hours, and will update the District every 7 days", 24.0),
        ("within 72 hours, unless a delay of up to 30 days is requested by law enforcement", 72.0),
        ("promptly, and in any event within 24 hours", 24.0),
    ],
)
def test_binding_deadline_regressions(text: str, hours: float) -> None:
    from contractreview.nlp.durations import outer_deadline, parse_durations

    d = outer_deadline(parse_durations(text))
    assert d is not None and d.hours == hours


def test_clock_start_is_read_right_after_the_deadline() -> None:
    from contractreview.nlp.durations import clock_start_after

    text = "Provider shall notify the District within 72 hours after discovery, and shall confirm such notice in writing."
    assert clock_start_after(text, text.index("72")) == "discovery"
    text = "Provider shall notify the District within 10 business days after it confirms the breach."
    assert clock_start_after(text, text.index("10")) == "confirmation"
