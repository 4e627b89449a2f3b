"""Realistic synthetic contracts for the benchmark: the sample agreement's clauses, renumbered and varied,
repeated to the requested page count (PDF via reportlab, DOCX via python-docx)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from contractreview.paths import sample_contract

_FILLER = (
    "The parties acknowledge that the obligations in this Article apply to all Student Data regardless of the "
    "medium in which it is stored, and that the Provider remains responsible for the acts and omissions of its "
    "employees, agents and Subprocessors in connection with the Service. Notices under this Article shall be "
    "given in writing to the contacts named in Exhibit A, and each party shall keep those contacts current."
)


def _clauses() -> list[str]:
    text = sample_contract("md").read_text(encoding="utf-8")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if re.match(r"\d+\.\d+ ", p.strip())]
    return [re.sub(r"^\d+\.\d+ ", "", p) for p in paras]


def paragraphs(pages: int, seed: int = 7, per_page: float = 2.6) -> list[tuple[str, str]]:
    """``per_page`` paragraphs a page (2.6 fills a Letter page at 10.5 pt): numbered articles and sections."""
    rng = random.Random(seed)
    clauses = _clauses()
    out: list[tuple[str, str]] = [("title", "MASTER SERVICES AND DATA PROTECTION AGREEMENT")]
    article = 0
    while len(out) < pages * per_page:
        article += 1
        out.append(("heading", f"ARTICLE {article}. OBLIGATIONS OF THE PARTIES"))
        for section in range(1, 6):
            body = rng.choice(clauses) if section % 2 else _FILLER
            out.append(("para", f"{article}.{section} {body}"))
    return out


def write_pdf(dest: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("b", fontName="Times-Roman", fontSize=10.5, leading=13.5, spaceAfter=7)
    head = ParagraphStyle("h", fontName="Times-Bold", fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=5)
    styles = {"title": head, "heading": head, "para": body}

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, LETTER[1] - 0.6 * inch, "Benchmark Agreement - Confidential")
        canvas.drawCentredString(LETTER[0] / 2, 0.55 * inch, f"Page {doc.page}")
        canvas.restoreState()

    def build(per_page: float) -> int:
        doc = SimpleDocTemplate(str(dest), pagesize=LETTER, invariant=1)
        story = [Paragraph(t, styles[k]) for k, t in paragraphs(pages, per_page=per_page)]
        doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
        return doc.page

    per_page = 2.6
    for _ in range(4):  # calibrate until the page count is exact (layout is deterministic)
        got = build(per_page)
        if got == pages:
            break
        per_page *= pages / got
    return dest


def write_docx(dest: Path, pages: int) -> Path:
    import docx

    document = docx.Document()
    for n, (kind, text) in enumerate(paragraphs(pages, per_page=6)):
        if kind == "para":
            document.add_paragraph(text)
        else:
            document.add_heading(text, level=1 if kind == "heading" else 0)
        if n and n % 6 == 0:
            document.add_page_break()
    document.save(str(dest))
    return dest
