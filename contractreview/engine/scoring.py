"""Scores: per requirement and sentence, a *relevance* and a *quality* score.

Relevance (is this sentence about the protection?) and quality (does it commit to it, or hedge, carve out or
refuse?) are weighted sums of the features of :mod:`.features`. The weights are data
(``clause_library/weights.json``), not code; so are the word lists (``clause_library/lexicons/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain import Status
from ..paths import clause_library_dir
from .features import Features, Hit

# The built-in library's weights (``contractreview.evaluation.fit`` rewrites its model).
WEIGHTS_PATH = clause_library_dir() / "weights.json"


def load_weights(library: Any = None) -> Mapping[str, Any]:
    """What the decision reads: the library's weights, per-requirement facts and word lists.

    ``library`` defaults to the built-in library (default profile); see :meth:`ClauseLibrary.engine_data`.
    """
    if library is None:
        from ..library import load_library

        library = load_library()
    return library.engine_data()



@dataclass(frozen=True, slots=True)
class Scored:
    hit: Hit
    relevance: float
    quality: float



def weak_words(rule_id: str) -> str:
    """The words of a weak-wording rule id ("purpose_limitation.weak.such_as.2" → "such as")."""
    return rule_id.rsplit(".weak.", 1)[-1].split(".")[0].replace("_", " ")


def generic_weak(rule_id: str, generic: frozenset[str]) -> bool:
    """One-word hedges any sentence may contain (``generic_weak`` in the ``hedges`` lexicon) weaken a
    sentence about the protection but do not make a sentence about something else relevant to it
    ("we may share information ... with law enforcement")."""
    return weak_words(rule_id) in generic


def score_hit(hit: Hit, rid: str, feats: Features, w: Mapping[str, Any]) -> Scored:
    r, q = w["relevance"], w["quality"]
    generic = w["lexicon"]["generic_weak"]
    cue = sum(feats.cue_weights.get(c, 1.0) for c in set(hit.cues))
    rel = (
        r["cue"] * min(cue, r["cue_cap"])
        + r["heading"] * hit.heading
        + r["commit"] * bool(hit.commits)
        # Wording that hedges or refuses *this* protection addresses it too ("we may modify these terms").
        + r.get("weak", 0.0) * bool(hit.denies or any(not generic_weak(x, generic) for x in hit.weaks))
    )
    # A commitment made by the school or the user ("the Client will indemnify the Provider") is not the vendor's.
    vendor_bound = hit.subject not in ("school", "user") or rid in w.get("rights_of_school_or_user", ())
    qual = (
        q["commit"] * (bool(hit.commits) and vendor_bound)
        + q["modal"] * (hit.modal and vendor_bound)
        - q.get("other_party", 0.0) * (not vendor_bound)
        - q["weak"] * bool(hit.weaks)
        - q["hedge"] * bool(hit.hedges)
        - q["deny"] * bool(hit.denies or hit.refusals)
        - q["exception"] * carves_out(hit, w["lexicon"]["broad_carve_outs"])
    )
    return Scored(hit, rel, qual)


def carves_out(hit: Hit, broad: tuple[str, ...]) -> bool:
    """A carve-out that weakens the sentence.

    "shall not … other than for school purposes" or "… except for subprocessors" inside a commitment is
    the protection itself; "unless", "subject to", "to the extent" or a sentence-opening exception is not
    (``broad``: ``broad_carve_outs`` of the ``negation`` lexicon, matched on the trigger's first two words).
    """
    if not hit.exceptions:
        return False
    if not hit.commits:
        return True
    return any(e.startswith("^") or e.startswith(tuple(broad)) for e in hit.exceptions)


def relevant_sentences(rid: str, feats: Features, w: Mapping[str, Any], floor: float) -> list[Scored]:
    scored = [score_hit(h, rid, feats, w) for h in feats.hits.get(rid, [])]
    need_scope = rid in feats.has_scope_patterns
    # The context a scope pattern asks for may sit in the previous sentence of the same numbered clause
    # ("... or as required by law. If Provider receives a subpoena ..., Provider shall notify the District");
    # only a sentence with the requirement's own commitment wording borrows it (a bare topic word next to
    # a scoped sentence is too little).
    out = [
        s
        for s in scored
        if s.relevance >= floor
        and (s.hit.cues or s.hit.heading)
        and (
            s.hit.scope
            or s.hit.heading
            or s.hit.heading_scope
            or not need_scope
            or (s.hit.commits and s.hit.context_scope)
        )
        and not (rid in w["notice_to"] and owed_elsewhere(s.hit, w["notice_to"][rid]))
    ]
    out.sort(key=lambda s: (-(s.quality + 0.25 * s.relevance), s.hit.start))
    return out


FEATURE_NAMES = (
    "bias",
    "max_relevance",
    "log_relevant",
    "top_quality",
    "any_commit",
    "commit_share",
    "any_weak",
    "weak_share",
    "any_hedge_top",
    "any_deny",
    "any_exception_top",
    "heading",
    "modal_top",
    "deadline_ok",
    "deadline_bad",
    "strong_relevant",
)


def doc_vector(rel: list[Scored], w: Mapping[str, Any], deadline: int) -> list[float]:
    """Document-level features of one requirement (inputs of the status model)."""
    import math

    if not rel:
        return [1.0] + [0.0] * (len(FEATURE_NAMES) - 1)
    top = rel[0]
    n = len(rel)
    top3 = rel[:3]
    vendor = [s for s in rel if s.hit.subject not in ("school", "user")]
    return [
        1.0,
        min(max(s.relevance for s in rel), 5.0) / 5.0,
        math.log1p(n) / 3.0,
        max(-3.0, min(3.0, top.quality)) / 3.0,
        float(any(s.hit.commits for s in vendor)),
        sum(bool(s.hit.commits) for s in rel) / n,
        float(any(s.hit.weaks for s in rel)),
        sum(bool(s.hit.weaks) for s in rel) / n,
        float(any(s.hit.hedges for s in top3)),
        float(any(s.hit.denies or s.hit.refusals for s in rel)),
        float(any(s.hit.exceptions for s in top3)),
        float(any(s.hit.heading for s in rel)),
        float(top.hit.modal),
        float(deadline > 0),
        float(deadline < 0),
        float(sum(s.relevance >= w["relevance"]["min_relevance"] for s in rel) > 0),
    ]


_CLASSES = (Status.SATISFIED, Status.WEAK, Status.MISSING)


def model_status(vec: list[float], model: Mapping[str, Any]) -> tuple[Status, float]:
    """Softmax over satisfied / weak / missing with the weights in ``weights.json`` (``model``)."""
    import math

    scores = [sum(a * b for a, b in zip(model["coef"][c.value], vec, strict=True)) for c in _CLASSES]
    top = max(scores)
    exps = [math.exp(x - top) for x in scores]
    i = max(range(3), key=lambda k: scores[k])
    return _CLASSES[i], exps[i] / sum(exps)



def owed_elsewhere(h: Hit, recipient: str) -> bool:
    """A notice owed only to others (users, parents) is not a notice to ``recipient`` (the school)."""
    return bool(h.recipients) and recipient not in h.recipients


