"""Builders for store tests: real Document/Analysis objects made from domain.py dataclasses.

No tests here; the engine is not needed (store tests must not depend on it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from contractreview.domain import (
    Analysis,
    BBox,
    Block,
    BlockKind,
    Clause,
    Document,
    Evidence,
    Finding,
    Format,
    Line,
    Page,
    Severity,
    Source,
    Status,
)

BREACH_OK = "5.1 Breach notice. Vendor shall notify the District within 72 hours of discovery of a breach."
BREACH_WEAK = "5.1 Breach notice. Vendor will endeavour to notify the District without undue delay."
DELETE_OK = "6.2 Deletion. Vendor shall delete all student data within 30 days of termination."
ADS = "7.1 Advertising. Vendor shall not use student data for targeted advertising."
GOVLAW = "9.4 Governing law. This Agreement is governed by the laws of the State of New York."

REQS = ("breach_notification", "data_deletion", "no_targeted_ads")


def make_document(paragraphs: list[str], *, name: str = "vendor-dpa.pdf", salt: str = "") -> Document:
    """A two-page PDF-like Document whose blocks and lines carry real bboxes."""
    text_parts: list[str] = []
    blocks: list[Block] = []
    lines: list[Line] = []
    pos = 0
    for i, para in enumerate(paragraphs):
        start, end = pos, pos + len(para)
        page = 1 if i < 2 else 2
        top = 72.0 + 40.0 * (i % 2)
        blocks.append(Block(start, end, page, BlockKind.PARAGRAPH, BBox(72.0, top, 540.0, top + 24.0), "", para.split()[0]))
        mid = start + len(para) // 2
        lines.append(Line(start, mid, page, BBox(72.0, top, 540.0, top + 12.0)))
        lines.append(Line(mid, end, page, BBox(72.0, top + 12.0, 400.0, top + 24.0)))
        text_parts.append(para)
        pos = end + 2
    text = "\n\n".join(text_parts)
    sha = hashlib.sha256((text + salt).encode("utf-8")).hexdigest()
    return Document(
        source_path=f"/contracts/{name}",
        sha256=sha,
        format=Format.PDF,
        text=text,
        pages=(Page(1, 612.0, 792.0), Page(2, 612.0, 792.0)),
        blocks=tuple(blocks),
        warnings=("page 2: running footer removed",),
        lines=tuple(lines),
        title="Data Privacy Agreement",
    )


def make_clauses(doc: Document) -> tuple[Clause, ...]:
    return tuple(
        Clause(b.start, b.end, b.label, doc.text[b.start : b.end].split(".", 2)[1].strip(), b.label, 2, b.page)
        for b in doc.blocks
    )


def evidence_for(doc: Document, needle: str, rule: str) -> Evidence:
    start = doc.text.index(needle)
    end = start + len(needle)
    return Evidence(
        text=doc.text[start:end], start=start, end=end, page=doc.page_at(start),
        clause=(doc.block_at(start).label if doc.block_at(start) else ""), rule=rule,
        boxes=doc.boxes_for(start, end),
    )


def make_analysis(
    doc: Document,
    statuses: Mapping[str, Status],
    *,
    needles: Mapping[str, str] | None = None,
    profile: str = "default",
    library_version: str = "2026.12.0",
) -> Analysis:
    needles = needles or {}
    findings = []
    for rid, status in statuses.items():
        ev = (evidence_for(doc, needles[rid], f"{rid}.commit"),) if rid in needles else ()
        findings.append(
            Finding(
                requirement_id=rid,
                title=rid.replace("_", " ").title(),
                category="security",
                status=status,
                severity=Severity.HIGH,
                explanation=f"{rid}: {status.value} (rule {rid}.commit)",
                evidence=ev,
                params={"breach_notice_max_hours": 72} if rid == "breach_notification" else {},
                sources=(Source("8 NYCRR 121.10(a)", "Part 121", "mandatory", "primary"),
                         Source("SDPC NDPA v2 §5", "NDPA", "model", "unverified")),
                confidence=0.75 if status is Status.WEAK else 1.0,
                suggested_language="Vendor shall ...",
                vendor_question="Will you ...?",
            )
        )
    return Analysis(
        document=doc,
        clauses=make_clauses(doc),
        profile=profile,
        library_version=library_version,
        tool_version="0.1.0",
        findings=tuple(findings),
        key_terms={"breach_notice_max_hours": 72, "governing_law": "New York"},
    )


def contract_v1() -> Analysis:
    doc = make_document([BREACH_WEAK, DELETE_OK, ADS, GOVLAW])
    return make_analysis(
        doc,
        {"breach_notification": Status.WEAK, "data_deletion": Status.SATISFIED, "no_targeted_ads": Status.MISSING},
        needles={"breach_notification": "notify the District without undue delay",
                 "data_deletion": "delete all student data within 30 days"},
    )


def contract_v2() -> Analysis:
    doc = make_document([BREACH_OK, DELETE_OK, ADS, GOVLAW], name="vendor-dpa-rev2.pdf")
    return make_analysis(
        doc,
        {"breach_notification": Status.SATISFIED, "data_deletion": Status.WEAK, "no_targeted_ads": Status.SATISFIED},
        needles={"breach_notification": "notify the District within 72 hours",
                 "data_deletion": "delete all student data within 30 days",
                 "no_targeted_ads": "shall not use student data for targeted advertising"},
    )
