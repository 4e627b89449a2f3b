"""Builders for the export tests: real contracts (reportlab PDF, python-docx DOCX) and real Analysis
objects whose evidence offsets and boxes are computed here, independently of the ingest engine.

No tests live here; the export test modules import it by path.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from contractreview.domain import (
    Analysis,
    BBox,
    Block,
    Decision,
    Document,
    Evidence,
    Finding,
    Format,
    Line,
    Page,
    ReportMeta,
    ReviewDecision,
    Severity,
    Source,
    Status,
)

# The contract is written by this test module (fictional vendor), never copied from a corpus.
CLAUSES = [
    "MASTER SERVICES AGREEMENT between Riverbend Unified School District and Example Learning Co.",
    "1. Definitions. Student Data means any information that identifies a student and is provided by the District.",
    "4.1 Use of Data. The Vendor may use de-identified Student Data to improve its products at its sole discretion.",
    "7.1 Deletion. Upon written request, the Vendor will delete Student Data within thirty (30) days.",
    "9.3 Security Incidents. The Vendor will notify the District of a confirmed security breach within ten (10) "
    "business days after confirmation of the breach.",
    "12. Governing Law. This Agreement is governed by the laws of the State of New York.",
]
# phrase -> (requirement id, title, status, severity, clause number); phrases are exact substrings.
PHRASES = {
    "notify the District of a confirmed security breach within ten (10) business days": (
        "breach_notification",
        "Breach notification to the district",
        Status.WEAK,
        Severity.HIGH,
        "9.3",
    ),
    "may use de-identified Student Data to improve its products at its sole discretion": (
        "deidentified_data_use",
        "Limits on de-identified data use",
        Status.WEAK,
        Severity.MEDIUM,
        "4.1",
    ),
    "delete Student Data within thirty (30) days": (
        "deletion_on_request",
        "Deletion on request",
        Status.SATISFIED,
        Severity.HIGH,
        "7.1",
    ),
}
MISSING = [
    ("subprocessor_flowdown", "Subprocessors bound by the same terms", Severity.HIGH),
    ("annual_security_audit", "Annual security audit", Severity.LOW),
]
# requirement id -> title: people-facing exports name a finding by its title only (issue #18).
TITLES = {v[0]: v[1] for v in PHRASES.values()} | {rid: title for rid, title, _ in MISSING}


def mark(rid: str) -> str:
    """How a comment or note on ``rid`` begins: its title, then the status."""
    return TITLES[rid] + ":"


PDF_BREAK_BEFORE = 4  # clause index starting page 2 of the PDF


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def make_pdf_contract(path: Path) -> Path:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    story = []
    for i, text in enumerate(CLAUSES):
        if i == PDF_BREAK_BEFORE:
            story.append(PageBreak())
        story.append(Paragraph(text.replace("&", "&amp;"), ss["BodyText"]))
    SimpleDocTemplate(str(path), pagesize=LETTER, invariant=1).build(story)
    return path


def make_docx_contract(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(CLAUSES[0], level=1)
    for text in CLAUSES[1:4]:
        # split the clause number into its own bold run, as real contracts do
        num, rest = text.split(" ", 1)
        p = d.add_paragraph()
        p.add_run(num + " ").bold = True
        p.add_run(rest)
    table = d.add_table(rows=1, cols=2)  # the breach clause lives in a table cell
    table.cell(0, 0).text = "Schedule B"
    table.cell(0, 1).text = CLAUSES[4]
    d.add_paragraph(CLAUSES[5])
    d.save(str(path))
    return path


def pdf_document(path: Path) -> Document:
    """Document built with pdfplumber: one line per text line, offsets and boxes from its chars."""
    import pdfplumber

    text_parts: list[str] = []
    lines: list[Line] = []
    blocks: list[Block] = []
    pages: list[Page] = []
    pos = 0
    with pdfplumber.open(str(path)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            pages.append(Page(pno, float(page.width), float(page.height)))
            for ln in page.extract_text_lines():
                t = ln["text"]
                bbox = BBox(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
                lines.append(Line(pos, pos + len(t), pno, bbox))
                blocks.append(Block(pos, pos + len(t), pno, bbox=bbox))
                text_parts.append(t)
                pos += len(t) + 1
    return Document(
        source_path=str(path),
        sha256=sha256(path),
        format=Format.PDF,
        text="\n".join(text_parts),
        pages=tuple(pages),
        blocks=tuple(blocks),
        lines=tuple(lines),
        title="Master Services Agreement",
    )


def docx_document(path: Path) -> Document:
    import docx

    from contractreview.export.annotated_docx import body_paragraphs

    paras = [p.text for p in body_paragraphs(docx.Document(str(path)))]
    blocks, pos = [], 0
    for t in paras:
        blocks.append(Block(pos, pos + len(t), 1))
        pos += len(t) + 1
    return Document(
        source_path=str(path),
        sha256=sha256(path),
        format=Format.DOCX,
        text="\n".join(paras),
        pages=(Page(1, 612.0, 792.0),),
        blocks=tuple(blocks),
        title="Master Services Agreement",
    )


def phrase_boxes_pdf(path: Path, phrase: str) -> list[tuple[int, BBox]]:
    """Boxes of ``phrase`` per visual line, found by pdfplumber's own search (whitespace-tolerant)."""
    import pdfplumber

    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    with pdfplumber.open(str(path)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            hits = page.search(pattern, regex=True, return_chars=True)
            if hits:
                by_line: dict[float, BBox] = {}
                for ch in hits[0]["chars"]:
                    k = round(ch["top"])
                    b = BBox(ch["x0"], ch["top"], ch["x1"], ch["bottom"])
                    by_line[k] = by_line[k].union(b) if k in by_line else b
                return [(pno, b) for _, b in sorted(by_line.items())]
    raise AssertionError(f"phrase not in PDF: {phrase}")


def find_in_text(document: Document, phrase: str) -> tuple[int, int]:
    """Offsets of ``phrase`` in ``document.text`` allowing line breaks where the phrase has spaces."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    m = re.search(pattern, document.text)
    assert m, phrase
    return m.start(), m.end()


def make_analysis(
    document: Document, *, pdf_path: Path | None = None, document_boxes: bool = False
) -> Analysis:
    findings: list[Finding] = []
    for phrase, (rid, title, status, sev, clause) in PHRASES.items():
        start, end = find_in_text(document, phrase)
        boxes = tuple(phrase_boxes_pdf(pdf_path, phrase)) if pdf_path else ()
        if document_boxes:  # as the engine does: line rectangles from the ingested layout
            boxes = document.boxes_for(start, end)
        ev = Evidence(
            text=document.text[start:end],
            start=start,
            end=end,
            page=boxes[0][0] if boxes else document.page_at(start),
            clause=clause,
            rule=f"{rid}.commit",
            boxes=boxes,
        )
        findings.append(
            Finding(
                requirement_id=rid,
                title=title,
                category="security",
                status=status,
                severity=sev,
                explanation=f"Clause {clause} addresses {title.lower()}"
                + ("" if status is Status.SATISFIED else " but hedges it."),
                evidence=(ev,),
                sources=(
                    Source("34 CFR 99.31", verified="primary"),
                    Source("Model DPA 5.4", verified="unverified"),
                ),
                suggested_language=f"The Vendor shall comply with {title.lower()} & related <obligations>.",
                vendor_question=f"How do you meet {title.lower()}?",
            )
        )
    for rid, title, sev in MISSING:
        findings.append(
            Finding(
                requirement_id=rid,
                title=title,
                category="governance",
                status=Status.MISSING,
                severity=sev,
                explanation=f"No clause addresses {title.lower()}.",
                sources=(Source("Ed. Law 2-d", verified="secondary"),),
                suggested_language=f"Add: {title}.",
                vendor_question=f"Will you agree to {title.lower()}?",
            )
        )
    return Analysis(
        document=document,
        clauses=(),
        profile="default",
        library_version="2026.12-test",
        tool_version="0.1.0",
        findings=tuple(findings),
    )


def make_decisions() -> dict[str, ReviewDecision]:
    return {
        "breach_notification": ReviewDecision(
            "breach_notification",
            Decision.NEEDS_NEGOTIATION,
            note="Ask for 72 hours <script>alert(1)</script>",
            reviewer="Dana Reviewer",
            updated_at="2026-12-01T10:00:00Z",
            evidence_changed=True,
        ),
        "annual_security_audit": ReviewDecision(
            "annual_security_audit", Decision.WAIVED, note="Covered by SOC 2 report", reviewer="Dana Reviewer"
        ),
    }


META = ReportMeta(
    reviewer="Dana Reviewer",
    vendor="Example Learning Co.",
    agreement="Master Services Agreement",
    date="2026-12-03",
    review_id=7,
)
FLAGGED_IDS = {
    "breach_notification",
    "deidentified_data_use",
    "subprocessor_flowdown",
    "annual_security_audit",
}
