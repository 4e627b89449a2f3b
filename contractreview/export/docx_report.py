"""Word (DOCX) gap summary, written with python-docx; the PDF report follows the same sections."""

from __future__ import annotations

from pathlib import Path

from ._atomic import save_docx, write_atomic
from ._text import xml_safe as _x
from .model import (
    NOT_CHECKED_HEADING,
    NOT_CHECKED_INTRO,
    REVIEWER_HEADING,
    REVIEWER_INTRO,
    ReportItem,
    ReportModel,
)


def _table(document, header: list[str] | None, rows: list[list[str]], widths=None):  # type: ignore[no-untyped-def]
    ncols = len(header) if header else len(rows[0])
    table = document.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    if widths:
        table.autofit = False
    if header:
        cells = table.add_row().cells
        for c, h in zip(cells, header, strict=True):
            c.text = _x(h)
            for r in c.paragraphs[0].runs:
                r.bold = True
    for row in rows:
        cells = table.add_row().cells
        for c, v in zip(cells, row, strict=True):
            c.text = _x(v)
    from docx.oxml import OxmlElement

    for row in table.rows:  # a row is not split across pages (Word's "Allow row to break" off)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if widths:
        from docx.shared import Inches

        for row in table.rows:  # Word reads the cell widths, LibreOffice the grid: set both
            for c, w in zip(row.cells, widths, strict=True):
                c.width = Inches(w)
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Inches(w)
    return table


def _labelled(document, label: str, value: str):  # type: ignore[no-untyped-def]
    p = document.add_paragraph()
    p.add_run(label + ": ").bold = True
    p.add_run(_x(value))
    return p


def _keep_next(p):  # type: ignore[no-untyped-def]
    """Keep a label or heading on the page of what it introduces (Word's "Keep with next")."""
    p.paragraph_format.keep_with_next = True
    return p


def _item(document, i: ReportItem) -> None:  # type: ignore[no-untyped-def]
    _keep_next(document.add_heading(_x(f"{i.number}. {i.title}"), level=2))
    p = _keep_next(document.add_paragraph())
    p.add_run(f"{i.status_label}").bold = True
    p.add_run(f" · Severity: {i.severity_label}")
    if i.reason:
        document.add_paragraph(_x(i.reason))
    if i.quotes:
        for q, new_place in i.quotes_by_place():
            if new_place:
                _keep_next(document.add_paragraph()).add_run(_x(q.where_sentence + ":")).italic = True
            document.add_paragraph(_x(q.display), style="Quote")
    elif i.no_evidence_text:
        document.add_paragraph().add_run(i.no_evidence_text).italic = True
    if i.citations:
        _labelled(document, "Sources", "; ".join(i.people_citations))
    _labelled(document, "Reviewer decision", i.decision_text)
    if i.note:
        _labelled(document, "Note", i.note)
    if i.suggested_language:
        _keep_next(document.add_paragraph()).add_run("Suggested language:").bold = True
        document.add_paragraph(_x(i.suggested_language), style="Intense Quote")
    if i.vendor_question:
        _labelled(document, "Question for the vendor", i.vendor_question)


def add_page_field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def _fld(kind: str):  # type: ignore[no-untyped-def]
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(_fld("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(_fld("separate"))
    paragraph.add_run("1")  # shown until the reader updates fields
    run = paragraph.add_run()
    run._r.append(_fld("end"))


def page_footer(section, text: str) -> None:  # type: ignore[no-untyped-def]
    """Footer: ``text · Page X of Y`` (fields Word and LibreOffice fill in when they lay out pages)."""
    footer = section.footer.paragraphs[0]
    footer.text = _x(text) + " · Page "
    add_page_field(footer, "PAGE")
    footer.add_run(" of ")
    add_page_field(footer, "NUMPAGES")


def _technical(document, model: ReportModel) -> None:  # type: ignore[no-untyped-def]
    document.add_page_break()
    document.add_heading("Technical appendix (for the review team)", level=1)
    document.add_paragraph(
        "How the automated review reached each finding. Not part of what is sent to the vendor."
    )
    for line in model.provenance_lines():
        document.add_paragraph(_x(line), style="List Bullet")
    for i in (*model.flagged, *model.not_checked, *model.satisfied):
        _keep_next(document.add_heading(_x(f"{i.title} ({i.status_label})"), level=3))
        for line in i.technical:
            document.add_paragraph(_x(line), style="List Bullet")


def build_docx(model: ReportModel):  # type: ignore[no-untyped-def]
    """The report as a python-docx ``Document`` (callers save it)."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = _x(f"{model.title}: {model.document_name}")
    document.core_properties.author = _x(model.reviewer or "ContractReview")
    document.core_properties.comments = "Not legal advice"
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    # Short enough for one line next to "Page X of Y"; the versions are in the title block.
    page_footer(document.sections[0], f"Not legal advice · {model.document_name} ({model.sha256_short})")

    document.add_heading(_x(model.title), level=0)
    document.add_paragraph().add_run(_x(model.disclaimer)).italic = True
    _table(document, None, [[k, v] for k, v in model.title_block()], widths=[1.5, 4.5])

    # The summary first: what a superintendent reads before anything else (#18).
    _keep_next(document.add_heading("At a glance", level=1))
    _keep_next(document.add_paragraph(_x(model.summary_sentence)))
    header, rows = model.count_rows()
    _table(document, header, rows)

    _keep_next(document.add_heading("Key terms", level=1))
    kh, krows = model.key_term_rows()
    _table(document, kh, krows, widths=[1.1, 1.2, 2.3, 1.4])

    _keep_next(document.add_heading(f"Missing and weak protections ({len(model.flagged)})", level=1))
    if not model.flagged:
        document.add_paragraph("None: every requirement of the profile is satisfied.")
    for item in model.flagged:
        _item(document, item)
    if model.not_checked:
        document.add_heading(f"{NOT_CHECKED_HEADING} ({len(model.not_checked)})", level=1)
        document.add_paragraph(NOT_CHECKED_INTRO)
        for item in model.not_checked:
            _item(document, item)

    if model.overridden:
        _keep_next(document.add_heading(f"{REVIEWER_HEADING} ({len(model.overridden)})", level=1))
        document.add_paragraph(REVIEWER_INTRO)
        for i in model.overridden:
            p = document.add_paragraph(style="List Bullet")
            p.add_run(_x(f"{i.title}: ")).bold = True
            p.add_run(_x(i.override_sentence))

    _keep_next(document.add_heading(f"Satisfied protections ({len(model.satisfied)})", level=1))
    if model.satisfied:
        _table(
            document,
            ["Protection", "Severity", "Where"],
            [[i.listed_title, i.severity_label, i.where] for i in model.satisfied],
            widths=[3.0, 0.8, 2.2],
        )
    else:
        document.add_paragraph("None.")
    document.add_paragraph().add_run(_x(model.disclaimer)).italic = True
    if model.technical_appendix:
        _technical(document, model)
    return document


def write_docx(model: ReportModel, dest: Path) -> Path:
    document = build_docx(model)
    return write_atomic(dest, save_docx(document))
