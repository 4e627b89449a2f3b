"""Verdict: each requirement of one document judged satisfied, weak or missing from its scored sentences.

No relevant sentence → missing. A relevant sentence whose quality reaches the threshold, with numbers within
the active profile's threshold where the requirement has one → satisfied. Anything else that addresses the
topic → weak (a refusal addresses it too: it must be negotiated).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain import Document, Status
from .deadlines import check_deadline
from .features import Features, Hit
from .scoring import Scored, doc_vector, model_status, relevant_sentences


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    best: tuple[Scored, ...]
    reasons: tuple[str, ...]
    params: Mapping[str, Any]
    layer: str = "rules"
    confidence: float = 1.0
    deadline: int = 0  # +1 a fixed deadline within the profile's limit, -1 vague / too long / late clock



def decide(rid: str, document: Document, feats: Features, library: Any, w: Mapping[str, Any]) -> Verdict:
    model = w.get("model")
    floor = model["min_relevance"] if model else w["relevance"]["min_relevance"]
    relevant = relevant_sentences(rid, feats, w, floor)
    if not relevant:
        return Verdict(Status.MISSING, (), (), {})
    strong = [s for s in relevant if s.relevance >= w["relevance"]["min_relevance"]]
    if strong:
        strong_ids = {id(s) for s in strong}  # identity, not dataclass equality: O(n), not O(n^2)
        relevant = strong + [s for s in relevant if id(s) not in strong_ids]
    reasons: list[str] = []
    params: dict[str, Any] = {}
    top = relevant[0]
    ok = top.quality >= w["satisfied_threshold"]
    if any(s.hit.denies or s.hit.refusals for s in relevant):
        worst = min(relevant, key=lambda s: s.quality)
        if top.quality - w["deny_anywhere_penalty"] < w["satisfied_threshold"] and ok:
            ok = False
            reasons.append(f'another sentence refuses or limits it ("{_short(document.text, worst.hit)}")')
    if not ok:
        reasons.extend(_weak_reasons(top))

    deadline = 0  # +1 a fixed deadline within the profile's limit, -1 vague / too long / late clock start
    blocked = False  # a hard rule forbids "satisfied"
    parameter = w["parameters"].get(rid)
    if parameter:
        check = check_deadline(rid, parameter, document.text, relevant, library, w)
        params.update(check.params)
        if check.stated is not None and check.stated in relevant and relevant[0] is not check.stated:
            relevant.remove(check.stated)
            relevant.insert(0, check.stated)  # the sentence stating the deadline is the best evidence
        if check.firm and not ok:
            # A firm deadline stated with a commitment word is itself the commitment ("shall notify ... within
            # 24 hours"), also when a vaguer timing word comes first ("without undue delay, and in any event
            # within 48 hours"): the fixed number is the outer limit.
            ok = True
            reasons = [
                r
                for r in reasons
                if "firm commitment" not in r and "hedged" not in r and "weak wording" not in r
            ]
        reasons.extend(check.reasons)
        blocked = check.blocked
        deadline = check.state
    layer = "rules"
    confidence = 1.0
    if model:
        status, confidence = model_status(doc_vector(relevant, w, deadline), model)
        layer = "classifier"
        if status is Status.WEAK and not reasons:
            reasons.extend(_weak_reasons(top) or ["the wording is not a firm commitment"])
    else:
        status = Status.SATISFIED if ok else Status.WEAK
        if not strong:
            status = Status.MISSING
    if status is Status.SATISFIED and blocked:
        params["deadline_blocked"] = True  # the figure alone stops "satisfied" (a corrected one re-checks it)
        status = Status.WEAK
        layer = "rules"
    if status is Status.MISSING:
        return Verdict(Status.MISSING, (), (), params, layer, confidence, deadline)
    best = tuple(relevant[: w["max_evidence"]])
    return Verdict(status, best, tuple(dict.fromkeys(reasons)), params, layer, confidence, deadline)


def _weak_reasons(s: Scored) -> list[str]:
    h = s.hit
    out: list[str] = []
    if h.refusals or h.denies:
        out.append(
            f"it refuses or disclaims it ({_rule_words((h.refusals or h.denies)[0])})"
        )
    if h.hedges:
        out.append(f'it is hedged ("{h.hedges[0]}")')
    if h.weaks:
        out.append(f"it uses weak wording ({_rule_words(h.weaks[0])})")
    if h.exceptions:
        out.append(f'it carves out exceptions ("{h.exceptions[0].lstrip("^")}")')
    if not h.commits:
        out.append("no firm commitment to the protection was found")
    return out


def _rule_words(rule: str) -> str:
    """The words a rule id names ("x.weak.such_as.2" → '"such as"'): a numeric suffix is not a word."""
    parts = [p for p in rule.split(".") if not p.isdigit()]
    return '"' + (parts[-1] if parts else rule).replace("_", " ") + '"'


def _short(text: str, h: Hit, n: int = 90) -> str:
    s = " ".join(text[h.start : h.end].split())
    return s if len(s) <= n else s[: n - 1] + "…"


