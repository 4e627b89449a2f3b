"""The reviewer's word is final (issue #16): apply status overrides to an analysis and say so plainly.

An override never rewrites what the engine found: the finding keeps the engine's status in
``Finding.engine_status`` and carries the :class:`~contractreview.domain.StatusOverride` itself, so every
screen and export can show both ("Engine: missing · Reviewer: satisfied, clause 9.2").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from .domain import Analysis, AnchorState, Finding, ReviewerStatus, Status, StatusOverride, TextAnchor

# The status a finding shows under a reviewer's override. "Not applicable" is no gap: it leaves the
# flagged list like a satisfied requirement, and every label says "not applicable" (ReviewerStatus.label).
_AS_STATUS = {
    ReviewerStatus.SATISFIED: Status.SATISFIED,
    ReviewerStatus.WEAK: Status.WEAK,
    ReviewerStatus.MISSING: Status.MISSING,
    ReviewerStatus.NOT_APPLICABLE: Status.SATISFIED,
}

_ENGINE_WORDS = {
    Status.SATISFIED: "satisfied",
    Status.WEAK: "weak",
    Status.MISSING: "missing",
    Status.NEEDS_REVIEW: "needs review",
}


def status_for(status: ReviewerStatus | str) -> Status:
    """The :class:`Status` a finding shows for a reviewer's status."""
    return _AS_STATUS[ReviewerStatus(status)]


def engine_words(finding: Finding) -> str:
    """What the engine said, in plain words ("missing", "not checked")."""
    status = finding.engine_status if finding.engine_status is not None else finding.status
    if status is Status.NEEDS_REVIEW and finding.layer == "none":
        return "not checked"
    return _ENGINE_WORDS[status]


def apply_overrides(analysis: Analysis, overrides: Mapping[str, StatusOverride]) -> Analysis:
    """``analysis`` with the reviewer's status on every overridden finding (the engine's kept beside it).

    Overrides for requirements the analysis does not have are ignored. An override whose evidence was
    not found again in a revised version (``anchor_state == "unmatched"``) is attached but not applied:
    the engine's status shows until the reviewer resolves it. Applying twice is the same as once.
    """
    if not overrides:
        return analysis
    from .place import place_of

    base = engine_view(analysis)
    doc = base.document
    findings: list[Finding] = []
    changed = False
    for f in base.findings:
        ov = overrides.get(f.requirement_id)
        if ov is None:
            findings.append(f)
            continue
        if ov.evidence is not None and not ov.place and doc.text and ov.evidence.matches(doc.text):
            where = place_of(doc, base.clauses, ov.evidence.start, ov.evidence.end).where
            ov = dataclasses.replace(ov, place="" if where == "the contract" else where)
        status = status_for(ov.status) if ov.in_force else f.status
        findings.append(dataclasses.replace(f, status=status, engine_status=f.status, override=ov))
        changed = True
    return dataclasses.replace(base, findings=tuple(findings)) if changed else analysis


def engine_view(analysis: Analysis) -> Analysis:
    """``analysis`` as the engine produced it: overrides removed, the engine's statuses back."""
    if not any(f.override is not None for f in analysis.findings):
        return analysis
    findings = tuple(
        dataclasses.replace(f, status=f.engine_status or f.status, engine_status=None, override=None)
        if f.override is not None
        else f
        for f in analysis.findings
    )
    return dataclasses.replace(analysis, findings=findings)


def describe_override(finding: Finding, *, reason: bool = False) -> str:
    """The one plain-English line the GUI and exports show for an overridden finding, "" when there is none.

    "Engine: missing · Reviewer: satisfied, clause 9.2"; with ``reason`` the reviewer's reason follows
    ("… — reason: the clause on page 9 sets 72 hours"). An override waiting for the reviewer (its
    evidence is not in this version) says so.
    """
    ov = finding.override
    if ov is None:
        return ""
    text = f"Engine: {engine_words(finding)} · Reviewer: {ov.status.label}"
    if ov.place:
        text += f", {ov.place}"
    if not ov.in_force:
        text += " (its evidence is not in this version of the contract: to be confirmed by the reviewer)"
    if reason and ov.reason:
        text += f" — reason: {ov.reason}"
    return text


def _nearest(spans: list[tuple[int, int]], start: int) -> tuple[int, int] | None:
    return min(spans, key=lambda sp: (abs(sp[0] - start), sp[0])) if spans else None


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place ``quote`` is in ``text``: exact occurrences, else (none exact) with any whitespace between
    its words. The one matching rule for re-anchoring and the CLI's ``--quote``."""
    spans: list[tuple[int, int]] = []
    if quote:
        i = text.find(quote)
        while i >= 0:
            spans.append((i, i + len(quote)))
            i = text.find(quote, i + 1)
    if not spans:
        words = quote.split()
        if words:
            pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
            spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    return spans


_CONTEXT = 80  # characters of surrounding text compared on each side
_NEED = 24  # normalised characters of agreeing context that place a repeated quote


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _flex(normalised: str) -> str:
    """A regular expression for whitespace-normalised text that matches it with any whitespace."""
    return r"\s+".join(re.escape(part) for part in normalised.split(" "))


def _overlapping(pattern: re.Pattern[str], text: str) -> set[tuple[int, int]]:
    """Spans of group 1 of every match, overlapping ones included (repeated words share their context)."""
    out: set[tuple[int, int]] = set()
    m = pattern.search(text)
    while m is not None:
        out.add(m.span(1))
        m = pattern.search(text, m.start() + 1)
    return out


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def reanchor(anchor: TextAnchor, text: str, old_text: str | None = None) -> tuple[TextAnchor, AnchorState]:
    """Find ``anchor``'s quote in ``text``: at its offsets (anchored), else exactly elsewhere, else with
    whitespace normalised (moved), else (the old anchor, unmatched).

    With ``old_text`` (the text the anchor was made on): words that occur once in each version are taken
    as they are; repeated words are placed by the text around them, an occurrence counting only where the
    text before or after it agrees with the old text for at least 24 characters (whitespace normalised;
    less at the very start or end), the best-agreeing one winning. So a clause the vendor rewrote is
    listed as unmatched instead of being moved onto the same words in another clause. Without
    ``old_text``, the occurrence nearest the old position wins.
    """
    if old_text is None:
        if anchor.matches(text):
            return anchor, AnchorState.ANCHORED
        best = _nearest(find_quote(text, anchor.quote), anchor.start)
        if best is None:
            return anchor, AnchorState.UNMATCHED
        return TextAnchor.of(text, *best), AnchorState.MOVED
    spans = find_quote(text, anchor.quote)
    if anchor.matches(text) and (anchor.start, anchor.end) not in spans:
        spans.append((anchor.start, anchor.end))
    if len(spans) == 1 and len(find_quote(old_text, anchor.quote)) <= 1:
        # Words that occur once in each version are the same passage, whatever changed around them.
        s0, e0 = spans[0]
        if (s0, e0) == (anchor.start, anchor.end) and anchor.matches(text):
            return anchor, AnchorState.ANCHORED
        return TextAnchor.of(text, s0, e0), AnchorState.MOVED
    old_before = _norm(old_text[max(0, anchor.start - _CONTEXT) : anchor.start])
    old_after = _norm(old_text[anchor.end : anchor.end + _CONTEXT])
    # Only occurrences with agreeing context are candidates: look for the quote together with the last /
    # first 24 characters around it (one pass over the text each, however often the words repeat).
    quote = _flex(_norm(anchor.quote))
    candidates: set[tuple[int, int]] = set()
    if old_before:
        candidates |= _overlapping(re.compile(f"{_flex(old_before[-_NEED:])}({quote})"), text)
    if old_after:
        candidates |= _overlapping(re.compile(f"({quote}){_flex(old_after[:_NEED])}"), text)
    if not (old_before or old_after):
        candidates = set(spans)
    scored = []
    for s0, e0 in candidates:
        before = _common_suffix(old_before, _norm(text[max(0, s0 - _CONTEXT) : s0]))
        after = _common_prefix(old_after, _norm(text[e0 : e0 + _CONTEXT]))
        same = (s0, e0) == (anchor.start, anchor.end)
        scored.append((before + after, same, -abs(s0 - anchor.start), s0, e0))
    if not scored:
        return anchor, AnchorState.UNMATCHED
    _score, same, _dist, s0, e0 = max(scored)
    if same and anchor.matches(text):
        return anchor, AnchorState.ANCHORED
    return TextAnchor.of(text, s0, e0), AnchorState.MOVED
