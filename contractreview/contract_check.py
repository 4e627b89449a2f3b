"""Is this document a contract at all?

A one-sentence note analysed against 40 requirements comes back as "40 × Missing", which reads like a
very bad contract rather than a wrong file (issue #17). :func:`check_contract` looks for the plainest
signs of an agreement — enough text, numbered or headed clauses, named parties, contract wording — and
says in one line what is lacking. The GUI shows the line as a banner above the results and the CLI prints
it on stderr; both call this function. Pure Python: no spaCy, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .domain import Clause, Document

MIN_WORDS = 120  # a short addendum is about 200 words; a memo line or a cover e-mail is far less
MIN_CONTRACT_WORDS = 3  # distinct contract words ("agreement", "shall", "party", ...)

_CONTRACT_WORDS = (
    "agreement", "contract", "shall", "hereby", "whereas", "party", "parties", "terms", "term",
    "terminate", "termination", "warrant", "warrants", "indemnify", "liability", "governed", "obligations",
    "effective date", "in witness whereof", "signature", "addendum", "license", "licence",
)
_WORD_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _CONTRACT_WORDS) + r")\b", re.IGNORECASE)
# Who the agreement binds: "between X and Y", a defined party ("the Provider"), or the usual roles.
_PARTY_RE = re.compile(
    r"\bbetween\b.{1,200}?\band\b"
    r"|\(\s*(?:the\s+)?[\"“'‘]\w[\w ]{0,40}[\"”'’]\s*\)"
    r"|\b(?:provider|vendor|district|school|licensee|licensor|customer|company|contractor|supplier|"
    r"lea|operator|controller|processor|party|parties)\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class ContractCheck:
    """What :func:`check_contract` found; ``warning`` is empty when the document looks like a contract."""

    words: int
    clauses: int
    parties: bool
    contract_words: int
    warning: str = ""

    @property
    def looks_like_contract(self) -> bool:
        return not self.warning


def check_contract(document: Document, clauses: Sequence[Clause] | None = None) -> ContractCheck:
    """Judge whether ``document`` has enough contract-like text for the findings to mean anything.

    :param clauses: the analysis's clauses; segmented here when not given (a review read from the store).
    """
    text = document.text or ""
    words = len(text.split())
    if clauses is None:
        try:
            from .segment import segment

            clauses = segment(document) if text else ()
        except Exception:  # noqa: BLE001 - a segmentation bug must not hide the warning
            clauses = ()
    numbered = sum(1 for c in clauses if c.number or c.heading)
    found = {m.group(0).lower() for m in _WORD_RE.finditer(text[:200_000])}
    parties = bool(_PARTY_RE.search(text[:200_000]))
    lacking: list[str] = []
    if words < MIN_WORDS:
        lacking.append(f"only {words} word{'s' if words != 1 else ''}")
    if numbered == 0:
        lacking.append("no numbered or headed clauses")
    if not parties:
        lacking.append("no parties named")
    if len(found) < MIN_CONTRACT_WORDS:
        lacking.append("almost no contract wording")
    # Short but real (a one-page addendum with clauses and parties) passes; so does a long unnumbered
    # agreement. Two signs missing, or no text to speak of, is not a contract.
    suspicious = words < MIN_WORDS // 3 or len(lacking) >= 2
    warning = ""
    if suspicious:
        warning = (
            f"{document.name}: this does not look like a contract ({', '.join(lacking)}); "
            "the findings are unlikely to mean anything. Check that this is the right file."
        )
    return ContractCheck(words, numbered, parties, len(found), warning)
