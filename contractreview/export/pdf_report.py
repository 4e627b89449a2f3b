"""PDF gap summary with reportlab's platypus, laid out like the DOCX report (same sections, same order).

Why reportlab: it is pure Python (no LibreOffice, wkhtmltopdf or Cairo to install next to a desktop
app), BSD-licensed, maintained for over twenty years with regular releases, and its platypus layer
flows paragraphs and tables across pages by itself. Standard PDF fonts are used, so nothing is
embedded or fetched.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ._atomic import write_atomic
from ._text import xml_safe
from .model import (
    NOT_CHECKED_HEADING,
    NOT_CHECKED_INTRO,
    REVIEWER_HEADING,
    REVIEWER_INTRO,
    ReportItem,
    ReportModel,
)


def _p(text: str) -> str:
    """Plain text to platypus paragraph markup (escaped, newlines kept)."""
    return escape(xml_safe(text)).replace("\n", "<br/>")


def _styles():  # type: ignore[no-untyped-def]
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    ss = getSampleStyleSheet()
    base = ParagraphStyle(
        "Body", parent=ss["BodyText"], fontName="Helvetica", fontSize=10, leading=13, spaceAfter=4
    )
    return {
        "title": ParagraphStyle(
            "T", parent=ss["Title"], fontName="Helvetica-Bold", fontSize=20, leading=24, alignment=0
        ),
        "h1": ParagraphStyle(
            "H1",
            parent=ss["Heading1"],
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=12,
            textColor=colors.HexColor("#223366"),
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "H2",
            parent=ss["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=10,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "H3", parent=ss["Heading3"], fontName="Helvetica-Bold", fontSize=10.5, leading=13, keepWithNext=1
        ),
        # A label that introduces a quote ("Clause 5.2, page 3:", "Suggested language:") stays with it.
        "label": ParagraphStyle("L", parent=base, keepWithNext=1),
        "label_italic": ParagraphStyle("LI", parent=base, fontName="Helvetica-Oblique", keepWithNext=1),
        "body": base,
        "italic": ParagraphStyle("I", parent=base, fontName="Helvetica-Oblique"),
        "cell": ParagraphStyle("C", parent=base, fontSize=9, leading=11, spaceAfter=0),
        "quote": ParagraphStyle(
            "Q",
            parent=base,
            leftIndent=14,
            rightIndent=14,
            fontName="Helvetica-Oblique",
            textColor=colors.HexColor("#333344"),
            backColor=colors.HexColor("#f2f2f6"),
            borderPadding=4,
            spaceBefore=2,
            spaceAfter=8,
        ),
        "suggested": ParagraphStyle(
            "S",
            parent=base,
            leftIndent=14,
            rightIndent=14,
            backColor=colors.HexColor("#eef6ee"),
            borderPadding=4,
            spaceBefore=2,
            spaceAfter=8,
        ),
        "disclaimer": ParagraphStyle(
            "D",
            parent=base,
            fontName="Helvetica-Oblique",
            backColor=colors.HexColor("#fff4d6"),
            borderPadding=4,
            spaceBefore=4,
            spaceAfter=10,
        ),
    }


def _table(rows: list[list[str]], st, *, header: bool, widths=None):  # type: ignore[no-untyped-def]
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_p(c), st["cell"]) for c in r] for r in rows]
    t = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6f2")))
    else:
        style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e6e6f2")))
    t.setStyle(TableStyle(style))
    return t


def _item(i: ReportItem, st) -> list:  # type: ignore[no-untyped-def]
    from reportlab.platypus import KeepTogether, Paragraph

    head = [
        Paragraph(_p(f"{i.number}. {i.title}"), st["h2"]),
        Paragraph(f"<b>{_p(i.status_label)}</b> · Severity: {_p(i.severity_label)}", st["label"]),
    ]
    if i.reason:
        head.append(Paragraph(_p(i.reason), st["body"]))
    out: list = [KeepTogether(head)]
    if i.quotes:
        for q, new_place in i.quotes_by_place():
            if new_place:
                out.append(Paragraph(_p(q.where_sentence + ":"), st["label_italic"]))
            out.append(Paragraph(_p(q.display), st["quote"]))
    elif i.no_evidence_text:
        out.append(Paragraph(_p(i.no_evidence_text), st["italic"]))
    if i.citations:
        out.append(Paragraph("<b>Sources:</b> " + _p("; ".join(i.people_citations)), st["body"]))
    out.append(Paragraph("<b>Reviewer decision:</b> " + _p(i.decision_text), st["body"]))
    if i.note:
        out.append(Paragraph("<b>Note:</b> " + _p(i.note), st["body"]))
    if i.suggested_language:
        out.append(Paragraph("<b>Suggested language:</b>", st["label"]))
        out.append(Paragraph(_p(i.suggested_language), st["suggested"]))
    if i.vendor_question:
        out.append(Paragraph("<b>Question for the vendor:</b> " + _p(i.vendor_question), st["body"]))
    return out


def _technical(model: ReportModel, st) -> list:  # type: ignore[no-untyped-def]
    from reportlab.platypus import PageBreak, Paragraph

    out: list = [
        PageBreak(),
        Paragraph("Technical appendix (for the review team)", st["h1"]),
        Paragraph(
            "How the automated review reached each finding. Not part of what is sent to the vendor.", st["body"]
        ),
    ]
    out += [Paragraph("• " + _p(line), st["cell"]) for line in model.provenance_lines()]
    for i in (*model.flagged, *model.not_checked, *model.satisfied):
        out.append(Paragraph(_p(f"{i.title} ({i.status_label})"), st["h3"]))
        out += [Paragraph("• " + _p(line), st["cell"]) for line in i.technical]
    return out


def build_story(model: ReportModel) -> list:  # type: ignore[type-arg]
    from reportlab.platypus import Paragraph

    st = _styles()
    story: list = [
        Paragraph(_p(model.title), st["title"]),
        Paragraph(_p(model.disclaimer), st["disclaimer"]),
        _table([[k, v] for k, v in model.title_block()], st, header=False, widths=[110, 360]),
        # The summary first: what a superintendent reads before anything else (#18).
        Paragraph("At a glance", st["h1"]),
        Paragraph(_p(model.summary_sentence), st["body"]),
    ]
    header, rows = model.count_rows()
    story.append(_table([header, *rows], st, header=True, widths=[100, 70, 70, 70, 70]))
    # keepWithNext on the heading would carry the whole table to the next page (half of page 1 left
    # blank); the table splits by rows and repeats its header instead, and the heading needs 1.5 inches.
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import CondPageBreak

    story.append(CondPageBreak(1.5 * inch))
    story.append(Paragraph("Key terms", ParagraphStyle("h1_split", parent=st["h1"], keepWithNext=0)))
    kh, krows = model.key_term_rows()
    story.append(_table([kh, *krows], st, header=True, widths=[90, 110, 180, 90]))
    story.append(Paragraph(_p(f"Missing and weak protections ({len(model.flagged)})"), st["h1"]))
    if not model.flagged:
        story.append(Paragraph("None: every requirement of the profile is satisfied.", st["body"]))
    for item in model.flagged:
        story += _item(item, st)
    if model.not_checked:
        story.append(Paragraph(_p(f"{NOT_CHECKED_HEADING} ({len(model.not_checked)})"), st["h1"]))
        story.append(Paragraph(_p(NOT_CHECKED_INTRO), st["body"]))
        for item in model.not_checked:
            story += _item(item, st)
    if model.overridden:
        story.append(Paragraph(_p(f"{REVIEWER_HEADING} ({len(model.overridden)})"), st["h1"]))
        story.append(Paragraph(_p(REVIEWER_INTRO), st["body"]))
        for i in model.overridden:
            story.append(Paragraph(f"• <b>{_p(i.title)}:</b> {_p(i.override_sentence)}", st["body"]))
    story.append(Paragraph(_p(f"Satisfied protections ({len(model.satisfied)})"), st["h1"]))
    if model.satisfied:
        rows2 = [["Protection", "Severity", "Where"]] + [
            [i.listed_title, i.severity_label, i.where] for i in model.satisfied
        ]
        story.append(_table(rows2, st, header=True, widths=[250, 60, 160]))
    else:
        story.append(Paragraph("None.", st["body"]))
    story.append(Paragraph(_p(model.disclaimer), st["disclaimer"]))
    if model.technical_appendix:
        story += _technical(model, st)
    return story


def write_pdf(model: ReportModel, dest: Path) -> Path:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.units import inch
    from reportlab.platypus import SimpleDocTemplate

    footer = xml_safe(
        f"Not legal advice · ContractReview {model.tool_version} · {model.document_name} ({model.sha256_short})"
    )

    from reportlab.pdfgen.canvas import Canvas

    class _NumberedCanvas(Canvas):
        """Draws the footer with "Page X of Y" once the page count is known (pages are buffered)."""

        def __init__(self, *a, **kw) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*a, **kw)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                self.setFont("Helvetica", 8)
                self.drawString(inch, 0.5 * inch, footer[:100])
                self.drawRightString(LETTER[0] - inch, 0.5 * inch, f"Page {self._pageNumber} of {total}")
                self.restoreState()
                super().showPage()
            super().save()

    def _w(tmp: Path) -> None:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=LETTER,
            leftMargin=inch,
            rightMargin=inch,
            topMargin=0.8 * inch,
            bottomMargin=0.8 * inch,
            title=xml_safe(f"{model.title}: {model.document_name}"),
            author=xml_safe(model.reviewer or "ContractReview"),
            subject="Not legal advice",
            creator=f"ContractReview {model.tool_version}",
            invariant=1,  # reproducible output: no timestamps or random ids in the file
        )
        doc.build(build_story(model), canvasmaker=_NumberedCanvas)

    return write_atomic(dest, _w)
