"""The cue ruler's match table: what the engine reads instead of Span objects (no spaCy import here)."""

from __future__ import annotations

from typing import Any

MATCHES = "cr_matches"  # doc.user_data key of the table CueRuler writes
LOWERS = "cr_lowers"  # doc.user_data key of the tokens' lower-case forms (written by the roles component)


def matches(doc: Any, kind: str) -> tuple[tuple[int, int, str, str], ...]:
    """The library rules of ``kind`` ("cue", "commit", ...) that matched ``doc``: ``(start, end, label,
    rule id)`` in token offsets, sorted; empty when the cue ruler did not run on ``doc``."""
    table = doc.user_data.get(MATCHES)
    return table.get(kind, ()) if table is not None else ()


def lowers(doc: Any) -> list[str]:
    """The lower-case form of each token of ``doc`` (read once by the pipeline when it could)."""
    got = doc.user_data.get(LOWERS)
    return got if got is not None else [t.lower_ for t in doc]
