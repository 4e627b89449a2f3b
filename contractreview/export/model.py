"""The report model every export renders: one ordered, format-neutral view of a review.

Building it once keeps the DOCX, PDF, HTML, Markdown, CSV and JSON exports saying the same thing in
the same order; renderers only decide how it looks.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import __version__
from ..domain import (
    KEY_TERMS,
    Analysis,
    Evidence,
    Finding,
    KeyTerm,
    ReportMeta,
    ReviewDecision,
    Severity,
    Status,
)
from ..serialize import source_citation
from ..vocabulary import ContractTerms

DISCLAIMER = (
    "Not legal advice. This report was produced by an automated first-pass review of the contract text "
    "against a clause library; a qualified reviewer must confirm every finding before relying on it."
)

NOT_CHECKED_HEADING = "Not checked automatically"
NOT_CHECKED_INTRO = (
    "The automated review cannot look for these protections, so it did not check them. They are not "
    "reported as missing: read the contract for each one."
)

# Flagged findings: most severe first, then the worst status, then the profile's own order.
_STATUS_ORDER = {Status.MISSING: 0, Status.WEAK: 1, Status.NEEDS_REVIEW: 2, Status.SATISFIED: 3}

REVIEWER_HEADING = "The reviewer's status"
REVIEWER_INTRO = (
    "For these protections the reviewer's status replaces the automated review's; each line says what the "
    "automated review found, what the reviewer decided, and why."
)

STATUS_LABELS = {
    Status.MISSING: "Missing",
    Status.WEAK: "Weak",
    Status.NEEDS_REVIEW: "Needs review",
    Status.SATISFIED: "Satisfied",
}
SEVERITY_LABELS = {Severity.HIGH: "High", Severity.MEDIUM: "Medium", Severity.LOW: "Low"}
REVIEWER_LABELS = {
    "satisfied": "Satisfied",
    "weak": "Weak",
    "missing": "Missing",
    "not_applicable": "Not applicable",
}


_LINE_WRAP = re.compile(r"[ \t]*(?<!\n)\n(?!\n)[ \t]*")


@dataclass(frozen=True, slots=True)
class Quote:
    """One quoted piece of evidence, exactly as it appears in the contract text."""

    text: str
    clause: str  # as the engine recorded it (data exports)
    page: int
    label: str = ""  # the printed clause label (contractreview.place), "" = derive from ``clause``
    shown_page: int | None = -1  # the page to print; None where the file has no pages (DOCX); -1 = ``page``

    @property
    def display(self) -> str:
        """The quote for reading: the source's visual line ends become spaces, paragraph breaks stay.

        PDF text keeps the page's line wrapping; reproduced in a report it breaks lines mid-sentence.
        Data exports (CSV, JSON) keep :attr:`text` exactly.
        """
        return _LINE_WRAP.sub(" ", self.text)

    @property
    def where(self) -> str:
        from ..place import Place, evidence_place

        if self.label or self.shown_page != -1:
            page = self.page if self.shown_page == -1 else self.shown_page
            return Place(self.label, page).where
        return evidence_place(Evidence(self.text, 0, 0, self.page, self.clause)).where

    @property
    def where_sentence(self) -> str:
        """:attr:`where` starting with a capital, the rest untouched ("CCPA" stays "CCPA")."""
        w = self.where
        return w[:1].upper() + w[1:]


UNVERIFIED_FOR_PEOPLE = " (citation not verified; not to be cited as law)"


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One requirement as it appears in a report."""

    number: int  # 1-based position among the flagged items (0 for satisfied ones)
    requirement_id: str
    title: str
    category: str
    status: Status
    severity: Severity
    explanation: str
    quotes: tuple[Quote, ...]
    citations: tuple[str, ...]  # via serialize.source_citation: unverified ones are labelled
    suggested_language: str
    vendor_question: str
    decision: str = ""  # Decision.label, "" when undecided
    decision_value: str = ""
    note: str = ""
    decided_by: str = ""
    decided_at: str = ""
    evidence_changed: bool = False
    not_checked: bool = False  # Finding.not_checked: no rule of the clause library looks for it
    reason: str = ""  # the explanation in plain language (contractreview.plain), for documents people read
    technical: tuple[str, ...] = ()  # rule ids, layer, the engine's explanation: technical appendix only
    confidence: float = 1.0  # calibrated probability that the status is right (issue #14)
    # A reviewer's status override (issue #16): the reviewer's status is ``status`` (and the section the
    # item is in); ``reviewer_status`` is the ReviewerStatus value ("not_applicable" shows as such),
    # ``engine_status`` what the engine said, ``override_text`` the one line every export prints.
    reviewer_status: str = ""
    engine_status: str = ""
    override_text: str = ""
    override_reason: str = ""
    overridden_by: str = ""
    overridden_at: str = ""

    def quotes_by_place(self) -> list[tuple[Quote, bool]]:
        """The quotes, each with True when its place differs from the quote before (print the label then)."""
        out, prev = [], None
        for q in self.quotes:
            out.append((q, q.where != prev))
            prev = q.where
        return out

    @property
    def where(self) -> str:
        """Every distinct place the item quotes, once each ("clause 2, page 5; clause 6.1, page 3")."""
        return "; ".join(dict.fromkeys(q.where for q in self.quotes))

    @property
    def status_label(self) -> str:
        if self.reviewer_status:
            return f"{REVIEWER_LABELS.get(self.reviewer_status, STATUS_LABELS[self.status])} (reviewer)"
        return STATUS_LABELS[self.status]

    @property
    def overridden(self) -> bool:
        return bool(self.reviewer_status)

    @property
    def listed_title(self) -> str:
        """The title as listed among satisfied protections: marked when it is there by the reviewer's word."""
        return f"{self.title} ({self.status_label})" if self.overridden else self.title

    @property
    def override_sentence(self) -> str:
        """ "Engine: missing · Reviewer: satisfied, clause 9.2 — reason: … (Rhea, 2026-12-07)"; "" without."""
        if not self.override_text:
            return ""
        text = f"{self.override_text} — reason: {self.override_reason}"
        who = ", ".join(x for x in (self.overridden_by, local_date(self.overridden_at) if self.overridden_at else "") if x)
        return f"{text} ({who})" if who else text

    @property
    def people_citations(self) -> tuple[str, ...]:
        """The citations for documents people read: "(unverified)" read as "this law may not exist" to a
        superintendent (#18); it says what it means, as the GUI does. JSON/CSV keep ``citations``."""
        tag = " (unverified)"
        return tuple(c[: -len(tag)] + UNVERIFIED_FOR_PEOPLE if c.endswith(tag) else c for c in self.citations)

    @property
    def no_evidence_text(self) -> str:
        """What a report says where the item quotes nothing (never "not found" for an unchecked one); ""
        where the plain reason already says it (a superintendent read the same thing twice, #18)."""
        if self.reason and (self.not_checked or self.status is Status.MISSING):
            return ""
        if self.not_checked:
            return "Not checked automatically: read the contract for this protection."
        return "No evidence found in the contract."

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def decision_text(self) -> str:
        """The decision as one line, with the stale-evidence warning when it applies."""
        if not self.decision:
            return "Not decided yet"
        text = self.decision
        if self.decided_by:
            text += f" ({self.decided_by}"
            text += f", {local_date(self.decided_at)})" if self.decided_at else ")"
        if self.evidence_changed:
            text += " — evidence changed since decision"
        return text


@dataclass(frozen=True, slots=True)
class KeyTermRow:
    """One key term at the top of a report: value, the sentence it came from, its threshold check."""

    name: str
    label: str
    value: str  # "72 hours after discovery (to the school)", "Not stated"
    quote: Quote | None  # the sentence, where it is
    threshold: str  # the profile threshold it is checked against ("≤ 72 hours (recommended practice, not law)")
    check: str  # within | exceeds | no fixed figure | not stated | late clock start | ""
    finding: str
    requirement_id: str = ""
    corrected_by: str = ""  # "" = read by the engine
    engine_value: str = ""  # the engine's reading, shown next to a reviewer's correction

    @property
    def corrected(self) -> bool:
        return bool(self.corrected_by)

    @property
    def value_text(self) -> str:
        """The value with the reviewer's mark when corrected."""
        if not self.corrected:
            return self.value
        return f"{self.value} — corrected by the reviewer ({self.corrected_by}; the engine read {self.engine_value})"

    @property
    def source_text(self) -> str:
        """Where the value comes from, quoted: "Clause 2.1, page 1: “…”"."""
        if self.quote is None:
            return "not stated in the contract" if not self.corrected else "reviewer's correction"
        if not self.corrected and (self.check == "not stated" or self.value == "Not stated"):
            # The sentence the reading stopped at states no figure for this term: say so, or a reader takes
            # the quote for the source of a value.
            return f"No figure stated. The closest sentence, {self.quote.where}: “{self.quote.display}”"
        return f"{self.quote.where_sentence}: “{self.quote.display}”"


@dataclass(frozen=True, slots=True)
class ReportModel:
    title: str
    document_name: str
    sha256: str
    vendor: str
    agreement: str
    date: str
    profile: str
    reviewer: str
    library_version: str
    tool_version: str
    review_id: int | None
    pages: int
    flagged: tuple[ReportItem, ...]  # missing, weak, and needs review after a reviewer's correction
    satisfied: tuple[ReportItem, ...]
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # status -> severity -> n
    disclaimer: str = DISCLAIMER
    key_terms: tuple[KeyTermRow, ...] = ()
    profile_label: str = ""  # "New York (Education Law 2-d, 8 NYCRR Part 121)"; the id when unknown
    technical_appendix: bool = False
    terms: ContractTerms = field(default_factory=ContractTerms)  # names used in suggested language

    @property
    def overridden(self) -> tuple[ReportItem, ...]:
        """Every item with a reviewer's status override, in report order (issue #16)."""
        return tuple(i for i in (*self.flagged, *self.not_checked, *self.satisfied) if i.override_text)

    def key_term_rows(self) -> tuple[list[str], list[list[str]]]:
        """The key-terms table shown at the top of every gap summary: header row and one row per term."""
        header = ["Key term", "Value", "From the contract", "Checked against"]
        rows = [
            [k.label, k.value_text, k.source_text, " — ".join(x for x in (k.threshold, k.check) if x)]
            for k in self.key_terms
        ]
        return header, rows
    not_checked: tuple[ReportItem, ...] = ()  # needs_review: no detector in the clause library
    engine_version: str = ""
    library_fingerprint: str = ""
    grader: str = ""
    detector: str = ""  # sha256 of the learned presence detector consulted (issue #20), "" when none

    @property
    def sha256_short(self) -> str:
        """For running footers only; the title block shows the full digest."""
        return self.sha256[:12]

    def title_block(self) -> list[tuple[str, str]]:
        """Label/value rows of the title block, in display order."""
        return [
            ("Vendor", self.vendor or "(not recorded)"),
            ("Agreement", self.agreement or "(not recorded)"),
            ("Document", self.document_name),
            ("Date", self.date),
            ("Profile", self.profile_label or self.profile),
            ("Reviewer", self.reviewer or "(not recorded)"),
            ("Clause library", self.library_version),
            ("ContractReview", self.tool_version),
            ("Document SHA-256", self.sha256),
        ]

    def provenance_lines(self) -> list[str]:
        """Which engine and which library files produced the review: technical appendix and data exports
        only (people-facing pages name the clause library version)."""
        return [
            f"Engine version: {self.engine_version or '(not recorded)'}",
            f"Clause library {self.library_version}, fingerprint {self.library_fingerprint or '(not recorded)'}",
            f"Learned grader: {self.grader or '(none)'}",
            *([f"Learned presence detector: {self.detector}"] if self.detector else []),
        ]

    @property
    def summary_sentence(self) -> str:
        """The review in one or two sentences, above the at-a-glance table (#18: a superintendent reads
        this first): "Of the 47 protections checked, 12 are missing and 11 are weak (6 of high severity) …"."""
        def n(status: Status, severity: Severity | None = None) -> int:
            per = self.counts.get(status.value, {})
            return per.get(severity.value, 0) if severity is not None else sum(per.values())

        def are(k: int) -> str:
            return f"{k} is" if k == 1 else f"{k} are"

        total = sum(sum(per.values()) for per in self.counts.values())
        missing, weak = n(Status.MISSING), n(Status.WEAK)
        high = n(Status.MISSING, Severity.HIGH) + n(Status.WEAK, Severity.HIGH)
        text = f"Of the {total} protections checked, {are(missing)} missing and {are(weak)} weak"
        if missing + weak:
            text += f" ({high} of them of high severity)"
        text += f"; {are(n(Status.SATISFIED))} in place."
        ruled_out = sum(self.counts.get(NOT_APPLICABLE, {}).values())
        if ruled_out:
            text += f" The reviewer ruled {ruled_out} not applicable to this contract."
        unchecked = len(self.not_checked)
        review = n(Status.NEEDS_REVIEW) - unchecked
        if unchecked:
            text += f" {unchecked} cannot be checked automatically: a person should read the contract for {'it' if unchecked == 1 else 'them'}."
        if review > 0:
            text += f" {review} need{'s' if review == 1 else ''} a person's reading of the clause."
        return text

    def count_rows(self) -> tuple[list[str], list[list[str]]]:
        """The at-a-glance table: header row and one row per status, plus a total row."""
        header = ["Status"] + [SEVERITY_LABELS[s] for s in Severity] + ["Total"]
        rows: list[list[str]] = []
        for st in (Status.MISSING, Status.WEAK, Status.NEEDS_REVIEW, Status.SATISFIED):
            per = self.counts.get(st.value, {})
            if st is Status.NEEDS_REVIEW and not sum(per.values()):
                continue  # only shown when the engine produced any
            rows.append(
                [STATUS_LABELS[st]] + [str(per.get(s.value, 0)) for s in Severity] + [str(sum(per.values()))]
            )
        per = self.counts.get(NOT_APPLICABLE, {})
        if sum(per.values()):
            rows.append(
                ["Not applicable (reviewer)"] + [str(per.get(s.value, 0)) for s in Severity] + [str(sum(per.values()))]
            )
        totals = [sum(p.get(s.value, 0) for p in self.counts.values()) for s in Severity]
        rows.append(["Total"] + [str(t) for t in totals] + [str(sum(totals))])
        return header, rows


NOT_APPLICABLE = "not_applicable"  # a counts key beside the statuses: the reviewer ruled it out (issue #16)


def _count_key(f: Finding) -> str:
    """Where a finding counts at a glance: its status, or "not_applicable" when the reviewer ruled so (it is
    no gap, and not a protection in place either)."""
    ov = f.override
    if ov is not None and ov.in_force and ov.status.value == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return f.status.value


def local_date(iso: str) -> str:
    """The local calendar date of an ISO-8601 timestamp stored in UTC ("2026-12-07T23:30:00Z" → the
    district's own date); a bare date is returned as is."""
    if len(iso) <= 10:
        return iso
    try:
        stamp = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:10]
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=_dt.UTC)
    return stamp.astimezone().date().isoformat()


def _quote(e: Evidence, analysis: Analysis | None) -> Quote:
    from ..place import evidence_place

    pl = evidence_place(e, analysis.document if analysis else None, analysis.clauses if analysis else ())
    return Quote(e.text, e.clause, e.page, pl.label, pl.page)


def _item(
    number: int,
    f: Finding,
    decision: ReviewDecision | None,
    analysis: Analysis | None = None,
    terms: ContractTerms | None = None,
    profile_label: str = "",
) -> ReportItem:
    from ..plain import plain_reason, technical_lines
    from ..reviewer import describe_override
    from ..vocabulary import apply_terms

    terms = terms or ContractTerms()
    # The engine may cite the same span twice (e.g. for two rules); quote it once.
    evidence = list(f.evidence)
    ov = f.override if f.overridden else None
    if ov is not None and ov.evidence is not None and analysis is not None and ov.evidence.matches(analysis.document.text):
        # The passage the reviewer pointed at comes first: it is what the reviewer's status rests on.
        a = ov.evidence
        evidence.insert(0, Evidence(a.quote, a.start, a.end, analysis.document.page_at(a.start)))
    quotes = tuple(dict.fromkeys(_quote(e, analysis) for e in evidence if e.text))
    reason = plain_reason(f, profile_label)
    if f.override is not None:
        line = describe_override(f, reason=True)
        reason = f"{line}. The automated review: {reason}" if reason else line
    return ReportItem(
        number=number,
        requirement_id=f.requirement_id,
        title=f.title or f.requirement_id,
        category=f.category,
        status=f.status,
        severity=f.severity,
        explanation=f.explanation,
        quotes=quotes,
        citations=tuple(source_citation(s) for s in f.sources),
        suggested_language=apply_terms(f.suggested_language, terms),
        vendor_question=apply_terms(f.vendor_question, terms),
        decision=decision.decision.label if decision else "",
        decision_value=decision.decision.value if decision else "",
        note=decision.note if decision else "",
        decided_by=decision.reviewer if decision else "",
        decided_at=decision.updated_at if decision else "",
        evidence_changed=bool(decision and decision.evidence_changed),
        reason=reason,
        technical=tuple(technical_lines(f)),
        confidence=float(f.confidence),
        not_checked=f.not_checked,
        reviewer_status=ov.status.value if ov is not None else "",
        engine_status=(f.engine_status or f.status).value if f.override is not None else "",
        override_text=describe_override(f) if f.override is not None else "",
        override_reason=f.override.reason if f.override is not None else "",
        overridden_by=f.override.author if f.override is not None else "",
        overridden_at=f.override.at if f.override is not None else "",
    )


def profile_label(name: str) -> str:
    """The profile's label for people ("Core K-12 protections"); the name when the library lacks it."""
    try:
        from ..library import load_library

        return load_library(name).profile.label or name
    except Exception:  # noqa: BLE001 - a report must not fail for want of a label
        return name


def contract_terms(analysis: Analysis, meta: ReportMeta | None = None) -> ContractTerms:
    """The defined names detected in the contract, with the reviewer's overrides from ``meta``."""
    from ..vocabulary import detect_terms

    meta = meta or ReportMeta()
    found = detect_terms(analysis.document)
    return found.merged(ContractTerms(vendor=meta.vendor_term, school=meta.school_term, data=meta.data_term))


def _engine_value(k: KeyTerm) -> str:
    v = dataclasses.replace(k, value=k.original_value, corrected_by="", corrected_at="")
    return v.display if k.original_value is not None else "not stated"


def key_term_rows(analysis: Analysis) -> tuple[KeyTermRow, ...]:
    """The analysis' key terms as report rows (values read by the engine or corrected by the reviewer)."""
    from ..engine.keyterms import TERM_LABELS, check, threshold_text

    readings = {k.name: k for k in analysis.key_term_readings}
    out: list[KeyTermRow] = []
    for name in KEY_TERMS:
        k = readings.get(name)
        if k is None:  # an analysis stored before key-term details: the bare value
            raw = analysis.key_terms.get(name)
            k = KeyTerm(name, raw, finding="" if raw is not None else "Not stated")
        finding = analysis.finding(k.requirement_id) if k.requirement_id else None
        value = k.display
        if k.value is not None and name == "breach_notice_max_hours":
            clock = readings.get("breach_notice_clock_start")
            if k.event:
                value += f" after {k.event}"
            elif clock is not None and clock.value:
                value += f" after {clock.value}"
            if k.party:
                value += " (to the school)" if k.party == "school" else f" (to {k.party})"
        if name == "governing_law":
            extra = [f"courts: {k.venue}" if k.venue else "", f"arbitration seat: {k.seat}" if k.seat else ""]
            extra = [x for x in extra if x]
            if extra:
                value += " (" + "; ".join(extra) + ")"
        ev = k.evidence
        out.append(
            KeyTermRow(
                name=name,
                label=TERM_LABELS[name],
                value=value,
                quote=_quote(ev, analysis) if ev is not None and ev.text else None,
                threshold=threshold_text(k, finding),
                check=check(k, finding),
                finding=k.finding,
                requirement_id=k.requirement_id,
                corrected_by=k.corrected_by if k.corrected else "",
                engine_value=_engine_value(k) if k.corrected else "",
            )
        )
    return tuple(out)


def sort_flagged(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    """Flagged findings by severity, then status (missing before weak), then the profile's order."""
    indexed = [(i, f) for i, f in enumerate(findings) if f.status.is_flag]
    indexed.sort(key=lambda p: (p[1].severity.rank, _STATUS_ORDER[p[1].status], p[0]))
    return [f for _, f in indexed]


def printable_name(name: str) -> str:
    """A file name fit for a report: bytes that were not UTF-8 (Linux names read with surrogateescape)
    become U+FFFD, since no exporter can write lone surrogates."""
    return re.sub("[\ud800-\udfff]", "\ufffd", name)


def build_report(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision] | None = None,
    meta: ReportMeta | None = None,
) -> ReportModel:
    """Assemble the report model from an analysis, the reviewer's decisions and title-block facts."""
    decisions = decisions or {}
    meta = meta or ReportMeta()
    doc = analysis.document
    terms = contract_terms(analysis, meta)
    plabel = profile_label(analysis.profile)
    flags = sort_flagged(analysis.findings)
    flagged = tuple(
        _item(n, f, decisions.get(f.requirement_id), analysis, terms, plabel)
        for n, f in enumerate((f for f in flags if not f.not_checked), 1)
    )
    # Numbered after the flagged ones: a requirement the engine cannot check is never called missing.
    not_checked = tuple(
        _item(n, f, decisions.get(f.requirement_id), analysis, terms, plabel)
        for n, f in enumerate((f for f in flags if f.not_checked), len(flagged) + 1)
    )
    satisfied = tuple(
        _item(0, f, decisions.get(f.requirement_id), analysis, terms, plabel)
        for f in analysis.findings
        if f.status is Status.SATISFIED
    )
    counts: dict[str, dict[str, int]] = {st.value: {s.value: 0 for s in Severity} for st in Status}
    counts[NOT_APPLICABLE] = {s.value: 0 for s in Severity}
    for f in analysis.findings:
        counts[_count_key(f)][f.severity.value] += 1
    agreement = meta.agreement or doc.title
    return ReportModel(
        title="Contract review: gap summary",
        document_name=printable_name(doc.name),
        sha256=doc.sha256,
        vendor=meta.vendor or terms.vendor_name,  # the name the contract's preamble gives the vendor
        agreement=agreement,
        date=meta.date or _dt.date.today().isoformat(),
        profile=analysis.profile,
        reviewer=meta.reviewer,
        library_version=analysis.library_version,
        tool_version=analysis.tool_version or __version__,
        review_id=meta.review_id,
        pages=len(doc.pages),
        flagged=flagged,
        satisfied=satisfied,
        counts=counts,
        key_terms=key_term_rows(analysis),
        profile_label=plabel,
        technical_appendix=meta.technical_appendix,
        terms=terms,
        not_checked=not_checked,
        engine_version=analysis.engine_version,
        library_fingerprint=analysis.library_fingerprint,
        grader=analysis.grader,
        detector=analysis.detector,
    )


def report_to_dict(model: ReportModel) -> dict:
    """The JSON export's shape (schema ``contractreview/report-v1``)."""

    def item(i: ReportItem) -> dict:
        return {
            "number": i.number,
            "requirement_id": i.requirement_id,
            "title": i.title,
            "category": i.category,
            "status": i.status.value,
            "severity": i.severity.value,
            "explanation": i.explanation,
            "reason": i.reason,
            "evidence": [
                {"text": q.text, "clause": q.clause, "page": q.page, "where": q.where} for q in i.quotes
            ],
            "citations": list(i.citations),
            "suggested_language": i.suggested_language,
            "vendor_question": i.vendor_question,
            "decision": i.decision_value or None,
            "note": i.note,
            "decided_by": i.decided_by,
            "decided_at": i.decided_at,
            "evidence_changed": i.evidence_changed,
            "confidence": round(i.confidence, 3),
            # Additive (issue #16): ``status`` is the reviewer's where one is set; both are kept.
            "engine_status": i.engine_status or i.status.value,
            "reviewer_status": i.reviewer_status or None,
            "override": {
                "text": i.override_text,
                "reason": i.override_reason,
                "by": i.overridden_by,
                "at": i.overridden_at,
            }
            if i.override_text
            else None,
        }

    return {
        "schema": "contractreview/report-v1",
        "disclaimer": model.disclaimer,
        "title_block": {
            "vendor": model.vendor,
            "agreement": model.agreement,
            "document": model.document_name,
            "sha256": model.sha256,
            "date": model.date,
            "profile": model.profile,
            "reviewer": model.reviewer,
            "library_version": model.library_version,
            "tool_version": model.tool_version,
            "engine_version": model.engine_version,
            "library_fingerprint": model.library_fingerprint,
            "grader": model.grader,
            "detector": model.detector,
            "review_id": model.review_id,
            "pages": model.pages,
            "profile_label": model.profile_label,
            "terms": {
                "vendor": model.terms.vendor,
                "school": model.terms.school,
                "data": model.terms.data,
                "subprocessor": model.terms.subprocessor,
            },
        },
        "key_terms": [
            {
                "name": k.name,
                "label": k.label,
                "value": k.value,
                "display": k.value_text,  # with "corrected by the reviewer" when it is
                "evidence": {"text": k.quote.text, "clause": k.quote.clause, "page": k.quote.page} if k.quote else None,
                "threshold": k.threshold,
                "check": k.check,
                "finding": k.finding,
                "corrected_by_reviewer": k.corrected,
                "corrected_by": k.corrected_by,
                "engine_value": k.engine_value if k.corrected else None,
            }
            for k in model.key_terms
        ],
        "counts": {st: dict(per) for st, per in model.counts.items()},
        "flagged": [item(i) for i in model.flagged],
        "not_checked": [item(i) for i in model.not_checked],
        "satisfied": [item(i) for i in model.satisfied],
    }


def not_checked_lines(model: ReportModel) -> list[str]:
    """Summary lines for annotated copies: protections the engine could not check (no evidence to mark)."""
    if not model.not_checked:
        return []
    lines = [
        f"{len(model.not_checked)} protection(s) {NOT_CHECKED_HEADING.lower()} "
        "(the automated review cannot look for them; read the contract for each):"
    ]
    lines += [f"{i.number}. {i.title} ({i.severity_label}) — {i.decision_text}" for i in model.not_checked]
    return lines


def comment_lines_for(item: ReportItem) -> list[str]:
    """The text of a finding's comment in an annotated copy, one entry per comment paragraph."""
    lines = [f"{item.title}: {item.status_label} ({item.severity_label} severity)"]
    if item.reason:
        lines.append(item.reason)
    lines.append(f"Reviewer decision: {item.decision_text}")
    if item.note:
        lines.append(f"Note: {item.note}")
    if item.suggested_language and item.status.is_flag:
        lines.append(f"Suggested language: {item.suggested_language}")
    if item.vendor_question and item.status.is_flag:
        lines.append(f"Question for the vendor: {item.vendor_question}")
    if item.citations:
        lines.append("Sources: " + "; ".join(item.people_citations))
    return lines
