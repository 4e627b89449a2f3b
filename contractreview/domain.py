"""Domain model shared by every stage: frozen, slotted dataclasses and enums, no third-party imports.

One coordinate system serves highlighting, storage and reports: character offsets into
``Document.text`` plus a page number and a bounding box in PDF points (origin top-left, as
pdfplumber reports them; for DOCX and text the bbox is ``None``).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


def _frozen_map(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


class Format(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    MD = "md"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"


NOT_CHECKED_LAYER = "none"  # Finding.layer of a requirement the engine cannot check


class Status(StrEnum):
    SATISFIED = "satisfied"
    WEAK = "weak"
    MISSING = "missing"
    NEEDS_REVIEW = "needs_review"

    @property
    def is_flag(self) -> bool:
        """Anything but ``satisfied`` asks a reviewer to act."""
        return self is not Status.SATISFIED


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


class Decision(StrEnum):
    ACCEPT = "accept"
    NEEDS_NEGOTIATION = "needs_negotiation"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            "accept": "Accept",
            "needs_negotiation": "Needs negotiation",
            "waived": "Waived",
            "not_applicable": "Not applicable",
        }[self.value]


class ReviewerStatus(StrEnum):
    """The status a reviewer sets on a requirement; it overrides the engine's (issue #16)."""

    SATISFIED = "satisfied"
    WEAK = "weak"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            "satisfied": "satisfied",
            "weak": "weak",
            "missing": "missing",
            "not_applicable": "not applicable",
        }[self.value]


class AnchorState(StrEnum):
    """Where a reviewer's anchor stands on the document it belongs to."""

    ANCHORED = "anchored"  # the quote is at its offsets (made on this text, or unchanged in a revision)
    MOVED = "moved"  # carried from a previous version: found again elsewhere (exact or whitespace-normalised)
    UNMATCHED = "unmatched"  # carried from a previous version: the quote is no longer in the text


# --------------------------------------------------------------------------- ingestion


@dataclass(frozen=True, slots=True)
class BBox:
    """A rectangle in PDF points, origin at the top-left of the page."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    has_text_layer: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    """One visual line of body text on a PDF page (used for precise highlights)."""

    start: int
    end: int
    page: int
    bbox: BBox


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-like unit of the body text: ``Document.text[start:end]`` is its text."""

    start: int
    end: int
    page: int
    kind: BlockKind = BlockKind.PARAGRAPH
    bbox: BBox | None = None
    style: str = ""
    label: str = ""  # numbering label resolved from the source ("5.2(a)"), if any


@dataclass(frozen=True, slots=True)
class Furniture:
    """Running headers, footers and page numbers, kept out of the body text."""

    text: str
    page: int
    kind: BlockKind  # HEADER or FOOTER
    bbox: BBox | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment already present in the source document (DOCX)."""

    author: str
    text: str
    start: int  # offsets of the anchored text in Document.text (equal when unknown)
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    source_path: str
    sha256: str
    format: Format
    text: str
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()
    lines: tuple[Line, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    comments: tuple[Comment, ...] = ()
    title: str = ""

    @property
    def name(self) -> str:
        return self.source_path.replace("\\", "/").rsplit("/", 1)[-1]

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset`` (binary search; blocks are ordered)."""
        starts = [b.start for b in self.blocks]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < max(self.blocks[i].end, self.blocks[i].start + 1):
            return self.blocks[i]
        return None

    def page_at(self, offset: int) -> int:
        """The 1-based page of ``offset`` (the nearest earlier block's page)."""
        if not self.blocks:
            return 1
        starts = [b.start for b in self.blocks]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.blocks[i].page

    def boxes_for(self, start: int, end: int) -> tuple[tuple[int, BBox], ...]:
        """Page-and-rectangle pairs covering ``text[start:end]``, line-precise where lines are known."""
        out: list[tuple[int, BBox]] = []
        if self.lines:
            for ln in self.lines:
                if ln.end > start and ln.start < end:
                    out.append((ln.page, ln.bbox))
            if out:
                return tuple(out)
        for b in self.blocks:
            if b.end > start and b.start < end and b.bbox is not None:
                out.append((b.page, b.bbox))
        return tuple(out)


# --------------------------------------------------------------------------- segmentation


@dataclass(frozen=True, slots=True)
class Clause:
    """A numbered or headed unit of the contract: ``Document.text[start:end]`` is its text."""

    start: int
    end: int
    number: str  # "5.2(a)", "Article V", "" for unnumbered
    heading: str
    path: str  # "Article V > 5.2 > (a)"
    level: int
    page: int
    kind: str = "section"  # section | definition | exhibit | preamble | paragraph


# --------------------------------------------------------------------------- clause library


@dataclass(frozen=True, slots=True)
class Source:
    """A legal or model-contract source behind a requirement, as catalogued in the requirement facts."""

    citation: str  # "8 NYCRR 121.10(a)"
    name: str = ""
    status: str = ""  # mandatory | model | guidance | voluntary ...
    verified: str = ""  # primary | secondary | model_text | unverified

    @property
    def is_verified(self) -> bool:
        return bool(self.verified) and not self.verified.startswith("unverified")


@dataclass(frozen=True, slots=True)
class Threshold:
    """A numeric limit a profile sets for one parameter, e.g. breach notice ≤ 168 hours."""

    parameter: str  # breach_notice_max_hours | deletion_after_request_days | ...
    value: float | None
    unit: str  # hours | days | months
    basis: str  # human-readable basis ("7 calendar days, 8 NYCRR 121.10(a)")
    verified: str  # primary | secondary | model_text | unverified | recommendation
    clock_start: str = ""  # required clock start, e.g. "discovery"

    @property
    def is_law(self) -> bool:
        """True only for values that may be presented to users as a legal requirement."""
        return self.verified in {"primary", "secondary"}


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    title: str
    category: str
    severity: Severity
    description: str
    why: str
    sources: tuple[Source, ...]
    suggested_language: str
    vendor_question: str
    parameters: tuple[str, ...] = ()  # names of numeric parameters checked against thresholds
    weak_cues: tuple[str, ...] = ()
    origin: str = ""  # file the requirement came from (for error messages and provenance)
    # What the engine needs to judge it (all from the requirement's file in the clause library):
    deadline_required: bool = False  # no fixed deadline (parameters[0]) -> never satisfied
    notice_to: str = ""  # a notice owed only to someone else is no evidence ("school")
    right_of: str = ""  # the protection is a right of the school/user: their sentences count
    prohibited_verbs: tuple[str, ...] = ()  # a negation of one of these verbs forbids the practice
    definition_is_evidence: bool = False  # a definition ("X means ...") can satisfy it


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    label: str
    requirement_ids: tuple[str, ...]
    thresholds: Mapping[str, Threshold] = field(default_factory=_frozen_map)
    legal_basis: str = ""
    description: str = ""


# --------------------------------------------------------------------------- reviewer anchors (issue #16)


_WS = re.compile(r"\s+")


def quote_hash(quote: str) -> str:
    """SHA-256 of the whitespace-normalised quote: the same words wrapped differently hash the same."""
    return hashlib.sha256(_WS.sub(" ", quote or "").strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class TextAnchor:
    """A reviewer's selection: offsets into ``Document.text`` plus the quoted text and its hash.

    The quote is what makes the anchor survive: offsets alone point at other words in a revised version.
    """

    start: int
    end: int
    quote: str
    quote_sha256: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> TextAnchor:
        """The anchor of ``text[start:end]``; raises ValueError for offsets outside the text or empty."""
        start, end = int(start), int(end)
        if not (0 <= start < end <= len(text)):
            raise ValueError(
                f"the selection {start}–{end} is not a passage of this document's text (0–{len(text)})."
            )
        quote = text[start:end]
        return cls(start, end, quote, quote_hash(quote))

    def matches(self, text: str) -> bool:
        """The anchor's quote is exactly at its offsets in ``text``."""
        return 0 <= self.start <= self.end <= len(text) and text[self.start : self.end] == self.quote


@dataclass(frozen=True, slots=True)
class Annotation:
    """A reviewer's comment on a passage, optionally linked to a requirement as evidence."""

    id: int
    sha256: str
    anchor: TextAnchor
    comment: str
    requirement_id: str | None
    author: str
    created_at: str
    updated_at: str
    anchor_state: str = "anchored"  # AnchorState value


@dataclass(frozen=True, slots=True)
class StatusOverride:
    """A reviewer's status for one requirement of one document; the reviewer's word is final."""

    requirement_id: str
    status: ReviewerStatus
    reason: str
    evidence: TextAnchor | None
    author: str
    at: str
    anchor_state: str = "anchored"  # AnchorState value; "unmatched" = evidence gone in this version
    place: str = ""  # where the evidence is, for people ("clause 9.2, page 3"); set by apply_overrides

    @property
    def in_force(self) -> bool:
        """An override whose evidence is no longer in the text waits for the reviewer; it is not applied."""
        return self.anchor_state != AnchorState.UNMATCHED.value


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """What :meth:`Store.carry_forward` did with a previous version's annotations and overrides.

    ``moved`` and ``unmatched`` hold the carried :class:`Annotation` / :class:`StatusOverride` objects as
    stored on the new version; ``kept`` those whose quote stands at the same offsets (or that have no
    evidence to anchor). Nothing is ever dropped: unmatched ones are stored for the reviewer to resolve.
    """

    moved: list[Annotation | StatusOverride] = field(default_factory=list)
    unmatched: list[Annotation | StatusOverride] = field(default_factory=list)
    kept: list[Annotation | StatusOverride] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.moved) + len(self.unmatched) + len(self.kept)


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str  # == Document.text[start:end]
    start: int
    end: int
    page: int
    clause: str = ""  # clause number ("5.2(a)") or heading when unnumbered
    rule: str = ""  # id of the pattern/rule that found it
    boxes: tuple[tuple[int, BBox], ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    requirement_id: str
    title: str
    category: str
    status: Status
    severity: Severity
    explanation: str
    evidence: tuple[Evidence, ...] = ()
    params: Mapping[str, Any] = field(default_factory=_frozen_map)
    sources: tuple[Source, ...] = ()
    suggested_language: str = ""
    vendor_question: str = ""
    layer: str = "rules"  # which layer decided: rules | grader (issue #14) | classifier | none (not checked)
    confidence: float = 1.0
    # A reviewer's override (issue #16, set by contractreview.reviewer.apply_overrides): ``status`` is then
    # the reviewer's and ``engine_status`` what the engine said. Both None for the engine's own finding.
    engine_status: Status | None = None
    override: StatusOverride | None = None

    @property
    def overridden(self) -> bool:
        """The status shown is the reviewer's, not the engine's."""
        return self.override is not None and self.override.in_force

    @property
    def not_checked(self) -> bool:
        """The engine could not check this requirement (no detector in the clause library).

        Such a finding is ``needs_review`` with layer ``none``; a ``needs_review`` that a reviewer's
        correction produced (the engine checked, the reviewer disagreed) is not "not checked".
        """
        return self.status is Status.NEEDS_REVIEW and self.layer == NOT_CHECKED_LAYER


@dataclass(frozen=True, slots=True)
class Analysis:
    document: Document
    clauses: tuple[Clause, ...]
    profile: str
    library_version: str
    tool_version: str
    findings: tuple[Finding, ...]
    key_terms: Mapping[str, Any] = field(default_factory=_frozen_map)
    # The same terms with what they are attached to (event, party, sentence); empty for analyses read
    # from JSON written before they existed.
    key_term_readings: tuple[KeyTerm, ...] = ()
    # Provenance: which engine and which knowledge (library files incl. weights and lexicons) produced it.
    engine_version: str = ""
    library_fingerprint: str = ""
    # sha256 of the learned grader's artifact (engine/grader.json) that rated the findings; "" when none did.
    grader: str = ""
    # sha256 of the learned presence detector's artifact (engine/presence_gdpr.npz) when the profile has duties
    # it can find (issue #20); "" when it was not consulted.
    detector: str = ""

    def counts(self) -> dict[Status, int]:
        out = {s: 0 for s in Status}
        for f in self.findings:
            out[f.status] += 1
        return out

    def finding(self, requirement_id: str) -> Finding | None:
        for f in self.findings:
            if f.requirement_id == requirement_id:
                return f
        return None

    def key_term(self, name: str) -> KeyTerm | None:
        for k in self.key_term_readings:
            if k.name == name:
                return k
        return None


@dataclass(frozen=True, slots=True)
class Progress:
    """Yielded by long operations; ``done``/``total`` are in the stage's own units."""

    stage: str
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


KEY_TERMS: tuple[str, ...] = (
    "breach_notice_max_hours",
    "breach_notice_clock_start",
    "deletion_after_request_days",
    "deletion_after_termination_days",
    "governing_law",
)


class KeyTermState(StrEnum):
    STATED = "stated"  # a value read from (or corrected against) the contract
    VAGUE = "vague"  # the topic is addressed without a fixed figure ("promptly", "upon request")
    NOT_STATED = "not_stated"  # the contract states no such term: an explicit outcome, not a gap in reading


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """One key term as read from the contract, with the event and party it is attached to.

    ``value`` is what ``Analysis.key_terms[name]`` holds (hours, days, a clock-start word or a place).
    ``evidence`` is the sentence it came from, so every displayed value links to its text. A reviewer's
    correction keeps the engine's reading in ``original_value`` and is never presented as the engine's.
    """

    name: str  # one of KEY_TERMS
    value: Any = None
    state: KeyTermState = KeyTermState.NOT_STATED
    unit: str = ""  # hours | days | "" (clock start, governing law)
    event: str = ""  # what starts the clock: discovery | confirmation | determination | request | termination
    party: str = ""  # to whom it is owed: school | parents/users | "" when not applicable
    wording: str = ""  # the words the value was read from ("seventy-two (72) hours")
    evidence: Evidence | None = None  # the sentence
    requirement_id: str = ""  # the requirement whose profile threshold checks it
    finding: str = ""  # one plain-English line; says "Not stated" when nothing is stated
    venue: str = ""  # governing law only: the courts named, kept apart from the law
    seat: str = ""  # governing law only: the arbitration seat
    corrected_by: str = ""  # reviewer who corrected the value ("" = read by the engine)
    corrected_at: str = ""
    original_value: Any = None  # the engine's reading, kept when a reviewer corrected it
    note: str = ""  # the reviewer's note on a correction
    threshold: Threshold | None = None  # the active profile's limit it is checked against

    @property
    def corrected(self) -> bool:
        return bool(self.corrected_by or self.corrected_at)

    @property
    def display(self) -> str:
        """The value for people: "72 hours", "30 days", "California", "Not stated"."""
        if self.value is None:
            return "Vague (no fixed figure)" if self.state is KeyTermState.VAGUE else "Not stated"
        if self.unit and isinstance(self.value, (int, float)):
            v = int(self.value) if float(self.value).is_integer() else self.value
            text = f"{v} {self.unit[:-1] if v == 1 else self.unit}"
            if self.unit == "hours" and v >= 48 and v % 24 == 0:
                text += f" ({int(v // 24)} days)"  # "336 hours (14 days)": contracts count notice in days
            return text
        return str(self.value)


@dataclass(frozen=True, slots=True)
class KeyTermCorrection:
    """A reviewer's correction of one key term of one document (kept across re-analyses)."""

    name: str
    value: Any  # None = the reviewer says the contract states no such term
    reviewer: str = ""
    note: str = ""
    updated_at: str = ""
    original_value: Any = None  # what the engine read when the correction was made


# --------------------------------------------------------------------------- review


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A reviewer's decision on one requirement of one document (kept across re-analyses)."""

    requirement_id: str
    decision: Decision
    note: str = ""
    reviewer: str = ""
    updated_at: str = ""  # ISO-8601, UTC
    evidence_text: str = ""  # the evidence the decision was made on
    evidence_changed: bool = False  # the current analysis quotes different evidence


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """Title-block facts for exports."""

    reviewer: str = ""
    vendor: str = ""
    agreement: str = ""
    date: str = ""  # ISO date of the report
    review_id: int | None = None
    # The reviewer's names for the parties and the data ("" = as detected in the contract), used in
    # suggested language, vendor questions and the change request (issue #18).
    vendor_term: str = ""
    school_term: str = ""
    data_term: str = ""
    technical_appendix: bool = False  # add rule ids, layers and the engine's explanations (review team only)
