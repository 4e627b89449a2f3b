"""The engine's findings in plain language, for documents people send (gap summary, change request,
annotated contract).

``Finding.explanation`` is written for the review team: it names the rule that fired and the clause
library's cues. A superintendent or a vendor's counsel reads none of that. :func:`plain_reason` turns a
finding into one sentence saying why, from its status, its parameters and the reasons the engine gave,
and works on explanations stored by earlier versions too. Rule ids, layers and confidence stay in the
JSON/CSV exports and the optional technical appendix.
"""

from __future__ import annotations

import re

from .domain import Finding, Status

# Words and shapes that belong to the engine, never to a document for people.
INTERNAL_WORDS = re.compile(
    r"\b(cues?|patterns?|features?|fingerprints?|rules?|rule ids?|scores?|classifier|heuristics?)\b"
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"  # snake_case ids: school_official_designation
    r"|\b[a-z_]+\.(?:cue|commit|weak|deny|scope|exclude|heading|refuse)\b",
    re.IGNORECASE,
)


def _profile_phrase(text: str, profile_label: str) -> str:
    """'the ny profile requires' → 'New York (Education Law 2-d …) requires' / 'the review standard requires'."""
    who = profile_label or "the review standard"
    return re.sub(r"\bthe\s+\S+\s+profile\b", who, text)


def _clean_reason(reason: str, profile_label: str = "") -> str:
    r = reason.strip().rstrip(".")
    # Words quoted from a rule id's tail in older explanations ("weak wording ("2")") say nothing.
    r = re.sub(r'\s*\("\d+"\)', "", r)
    r = re.sub(r'"([a-z]+(?:_[a-z]+)+)"', lambda m: '"' + m.group(1).replace("_", " ") + '"', r)
    r = _profile_phrase(r, profile_label)
    r = r.replace("the profile's limit", "the limit the district checks against")
    r = r.replace(", listed in the clause library as weak for this protection", ", wording that commonly weakens this protection")
    r = r.replace("a project recommendation, not a legal requirement", "recommended practice, not a legal requirement")
    return r


def _weak_reasons(explanation: str) -> list[str]:
    """The reasons after 'Weak: ' in an engine explanation, split on '; ' outside quotes."""
    # The learned grader's closing sentence ("Confidence 0.62, uncertain: …") is not a reason (issue #14).
    explanation = re.sub(r"\s+Confidence \d\.\d\d\b.*$", "", explanation or "", flags=re.S)
    m = re.search(r"\.\s+Weak:\s+(.*)$", explanation, re.S)
    if not m:
        return []
    body = m.group(1).strip().rstrip(".")
    out, depth, cur = [], False, ""
    i = 0
    while i < len(body):
        ch = body[i]
        if ch in '"“”':
            depth = not depth if ch == '"' else (ch == "“")
        if ch == ";" and not depth and body[i + 1 : i + 2] == " ":
            out.append(cur)
            cur = ""
            i += 2
            continue
        cur += ch
        i += 1
    if cur:
        out.append(cur)
    return [x for x in (s.strip() for s in out) if x]


def plain_reason(finding: Finding, profile_label: str = "") -> str:
    """Why the finding has its status, in one or two plain sentences."""
    st = finding.status
    if finding.not_checked:  # no rule looks for it (#13): never say the contract lacks it
        _, _, what = finding.explanation.partition("Read the contract for it: ")
        return "Not checked automatically: the review cannot look for this protection. Read the contract for it" + (
            f": {what}" if what else "."
        )
    if st is Status.MISSING:
        return "The contract has no clause that addresses this protection."
    if st is Status.SATISFIED:
        text = "The contract commits to this protection in firm terms."
        wording = finding.params.get("wording") if finding.params else None
        if wording:
            text += f" The deadline it states ({wording}) is within the limit the district checks against."
        return text
    reasons = [_clean_reason(r, profile_label) for r in _weak_reasons(finding.explanation)]
    reasons = [r for r in reasons if r and not INTERNAL_WORDS.search(_unquoted(r))]
    if st is Status.NEEDS_REVIEW:
        lead = "A person should read this clause: the automated review could not settle it"
        return lead + (": " + "; ".join(reasons) + "." if reasons else ".")
    # "hedged ("commercially reasonable")" and "weak wording ("commercially reasonable")" say one thing.
    hedged = {m.group(1) for r in reasons for m in [re.match(r'it is hedged \("([^"]+)"\)', r)] if m}
    reasons = [r for r in reasons if not (m := re.match(r'it uses weak wording \("([^"]+)"\)', r)) or m.group(1) not in hedged]
    if not reasons:
        reasons = ["the wording is not a firm commitment"]
    text = "; ".join(reasons)
    return "The wording falls short: " + text + "."


def _unquoted(text: str) -> str:
    """The text without its quotations (contract words may say 'rule' legitimately)."""
    return re.sub(r'"[^"]*"|“[^”]*”', "", text)


def technical_lines(finding: Finding) -> list[str]:
    """What the review team needs to trace a finding: id, layer, confidence, rules, engine explanation."""
    rules = ", ".join(dict.fromkeys(e.rule for e in finding.evidence if e.rule)) or "none"
    return [
        f"Requirement id: {finding.requirement_id}",
        f"Decided by: {finding.layer} (confidence {finding.confidence:.2f})",
        f"Rules that fired: {rules}",
        f"Engine explanation: {finding.explanation}",
    ]
