"""Reference points printed next to the engine's figures.

- ``keyword``: any cue word of the requirement anywhere in the text → satisfied, else missing.
- ``cue_only``: the engine's own cue and commitment patterns, without negation, hedges, refusals,
  numbers or party roles (a relevant sentence with a commitment pattern → satisfied, else weak).
- ``all_missing`` / ``all_satisfied`` / ``all_weak``: the trivial answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..engine.features import Features
from ..engine.scoring import score_hit
from ..inflection import compile_patterns


@lru_cache(maxsize=64)
def _keyword_rx(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(
        r"(?<![a-z0-9])(?:"
        + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        + r")(?![a-z0-9])"
    )


def cue_words(library: Any, rid: str) -> tuple[str, ...]:
    """The requirement's cue phrases, lemma patterns expanded into the literal phrases they stand for."""
    words = []
    for p in compile_patterns(library.patterns_for(rid)):
        if p.get("kind") == "cue" and isinstance(p["pattern"], str):
            words.append(p["pattern"].lower())
    return tuple(sorted(set(words)))


def keyword(text: str, library: Any, rid: str) -> str:
    rx = _keyword_rx(cue_words(library, rid))
    return "satisfied" if rx is not None and rx.search(text.lower()) else "missing"


def cue_only(feats: Features, rid: str, w: Mapping[str, Any]) -> str:
    hits = feats.hits.get(rid, [])
    relevant = [
        h
        for h in hits
        if score_hit(h, rid, feats, w).relevance >= w["relevance"]["min_relevance"] and (h.cues or h.heading)
    ]
    if not relevant:
        return "missing"
    return "satisfied" if any(h.commits for h in relevant) else "weak"


TRIVIAL = {"all_missing": "missing", "all_satisfied": "satisfied", "all_weak": "weak"}
