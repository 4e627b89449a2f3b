"""Explanation: the evidence, the plain-English reason and the finding of one requirement."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain import Clause, Document, Evidence, Finding, Requirement, Status
from .decision import Verdict
from .features import Hit
from .scoring import Scored


def _where(document: Document, clauses: tuple[Clause, ...], h: Hit) -> tuple[str, int]:
    page = document.page_at(h.start)
    if 0 <= h.clause < len(clauses):
        c = clauses[h.clause]
        return (c.number or c.heading[:60]), page
    return "", page


def evidence_for(
    document: Document, clauses: tuple[Clause, ...], s: Scored, rid: str, satisfied: bool = False
) -> Evidence:
    h = s.hit
    clause, page = _where(document, clauses, h)
    # The rule named is the one behind the verdict: a satisfied finding is not "because of" the vague
    # timing word a fixed deadline overrides.
    order = (h.commits, h.cues, h.denies, h.weaks) if satisfied else (h.commits, h.denies, h.weaks, h.cues)
    rule = next((r[0] for r in order if r), f"{rid}.heading")
    return Evidence(
        text=document.text[h.start : h.end],
        start=h.start,
        end=h.end,
        page=page,
        clause=clause,
        rule=rule,
        boxes=document.boxes_for(h.start, h.end),
    )


def _place(ev: Evidence) -> str:
    where = (
        f"clause {ev.clause}"
        if ev.clause and any(ch.isdigit() for ch in ev.clause[:4])
        else (f'"{ev.clause}"' if ev.clause else "the text")
    )
    return f"{where}, page {ev.page}"


def explain_not_checked(req: Requirement) -> str:
    description = req.description.rstrip(".")
    return (
        f"{req.title}: not checked automatically. The clause library has no rule that detects this "
        f"protection, so the engine did not look for it. Read the contract for it: {description}."
    )


def _library_weak_cues(req: Requirement, evidence: tuple[Evidence, ...], reasons: Iterable[str]) -> list[str]:
    """The requirement's ``weak_cues`` found in the evidence and not already quoted by another reason."""
    said = " ".join(reasons).lower()
    text = " ".join(" ".join(ev.text.split()).lower() for ev in evidence)
    return [c for c in dict.fromkeys(c.lower() for c in req.weak_cues) if c in text and c not in said]


def explain(req: Requirement, d: Verdict, evidence: tuple[Evidence, ...]) -> str:
    if d.status is Status.MISSING:
        return f"{req.title}: not found. No clause addresses this protection (no cue of the clause library matched)."
    ev = evidence[0]
    quote = " ".join(ev.text.split())
    quote = quote if len(quote) <= 160 else quote[:159] + "…"
    lead = f'{req.title}: {_place(ev)} (rule {ev.rule}) says "{quote}"'
    if d.status is Status.SATISFIED:
        extra = ""
        if d.params.get("wording"):
            extra = f" The deadline ({d.params['wording']}) is within the profile's limit."
        return f"{lead}. This is a firm commitment.{extra}"
    reasons = list(d.reasons) or ["the wording is not a firm commitment"]
    cues = _library_weak_cues(req, evidence, reasons)
    if cues:
        listed = ", ".join(f'"{c}"' for c in cues)
        reasons.append(
            f"the evidence says {listed}, listed in the clause library as weak for this protection"
        )
    return f"{lead}. Weak: {'; '.join(reasons)}."


def finding(req: Requirement, d: Verdict, explanation: str, evidence: tuple[Evidence, ...]) -> Finding:
    return Finding(
        requirement_id=req.id,
        title=req.title,
        category=req.category,
        status=d.status,
        severity=req.severity,
        explanation=explanation,
        evidence=evidence,
        params=dict(d.params),
        sources=tuple(req.sources),
        suggested_language=req.suggested_language,
        vendor_question=req.vendor_question,
        layer=d.layer,
        confidence=round(d.confidence, 3),
    )

