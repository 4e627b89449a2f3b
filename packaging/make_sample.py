#!/usr/bin/env python3
"""Regenerate the bundled sample contract (PDF and DOCX) from ``resources/sample/sample_dpa.md``.

    python3 packaging/make_sample.py          # writes resources/sample/sample_dpa.{pdf,docx}

The Markdown file is the single source written by the project. The PDF (reportlab) carries a running
header and a "Page N of M" footer so that the app's header/footer handling is exercised; the DOCX uses
Word heading styles. Output is deterministic (fixed creation dates) so regenerating changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "sample" / "sample_dpa.md"
RUNNING_HEADER = "BrightPath Learning / Maple Valley USD - Student Data Privacy Agreement"


def parse(markdown: str) -> list[tuple[str, str]]:
    """``[(kind, text)]`` with kind ``title`` / ``heading`` / ``para``."""
    items: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        text = " ".join(line.strip() for line in chunk.splitlines())
        if text.startswith("## "):
            items.append(("heading", text[3:]))
        elif text.startswith("# "):
            items.append(("title", text[2:]))
        else:
            items.append(("para", text))
    return items


def write_pdf(items: list[tuple[str, str]], dest: Path) -> None:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=11, leading=14.5, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName="Times-Bold", fontSize=12, leading=15, spaceBefore=10, spaceAfter=6)
    title = ParagraphStyle("title", fontName="Times-Bold", fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=14)
    styles = {"title": title, "heading": heading, "para": body}

    class NumberedDoc(SimpleDocTemplate):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.total_pages = 0

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, LETTER[1] - 0.6 * inch, RUNNING_HEADER)
        canvas.drawCentredString(LETTER[0] / 2, 0.55 * inch, f"Page {doc.page} of {doc.total_pages or '?'}")
        canvas.restoreState()

    def build(total: int) -> int:
        doc = NumberedDoc(
            str(dest), pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch, bottomMargin=inch,
            title="Student Data Privacy Agreement (sample)", author="ContractReview project",
            creator="ContractReview packaging/make_sample.py", invariant=1,
        )
        doc.total_pages = total
        story = []
        for kind, text in items:
            story.append(Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), styles[kind]))
        story.append(Spacer(1, 12))
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return doc.page

    build(build(0))  # second pass knows the page count for "Page N of M"


def write_docx(items: list[tuple[str, str]], dest: Path) -> None:
    import datetime as dt

    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "ContractReview project"
    document.core_properties.title = "Student Data Privacy Agreement (sample)"
    fixed = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    document.sections[0].header.paragraphs[0].text = RUNNING_HEADER
    for kind, text in items:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.save(str(dest))


def main() -> int:
    items = parse(SOURCE.read_text(encoding="utf-8"))
    write_pdf(items, SOURCE.with_suffix(".pdf"))
    write_docx(items, SOURCE.with_suffix(".docx"))
    for ext in ("pdf", "docx"):
        path = SOURCE.with_suffix("." + ext)
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
