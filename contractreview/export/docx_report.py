"""Word (DOCX) gap summary, written with python-docx; the PDF report follows the same sections."""

from __future__ import annotations

from pathlib import Path

from ._atomic import write_atomic
from ._text import xml_safe as _x
from .model import ReportItem, ReportModel


def _table(document, header: list[str] | None, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    ncols = len(header) if header else len(rows[0])
    table = document.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
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
    return table


def _labelled(document, label: str, value: str):  # type: ignore[no-untyped-def]
    p = document.add_paragraph()
    p.add_run(label + ": ").bold = True
    p.add_run(_x(value))
    return p


def _item(document, i: ReportItem) -> None:  # type: ignore[no-untyped-def]
    document.add_heading(_x(f"{i.number}. {i.title}"), level=2)
    p = document.add_paragraph()
    p.add_run(f"{i.status_label}").bold = True
    p.add_run(f" · Severity: {i.severity_label} · Requirement: {i.requirement_id}")
    if i.explanation:
        document.add_paragraph(_x(i.explanation))
    if i.quotes:
        for q in i.quotes:
            document.add_paragraph().add_run(_x(q.where_sentence + ":")).italic = True
            document.add_paragraph(_x(q.display), style="Quote")
    else:
        document.add_paragraph().add_run("No evidence found in the contract.").italic = True
    if i.citations:
        _labelled(document, "Sources", "; ".join(i.citations))
    _labelled(document, "Reviewer decision", i.decision_text)
    if i.note:
        _labelled(document, "Note", i.note)
    if i.suggested_language:
        document.add_paragraph().add_run("Suggested language:").bold = True
        document.add_paragraph(_x(i.suggested_language), style="Intense Quote")
    if i.vendor_question:
        _labelled(document, "Question for the vendor", i.vendor_question)


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
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = f"Not legal advice · ContractReview {model.tool_version} · {model.document_name} ({model.sha256_short})"

    document.add_heading(_x(model.title), level=0)
    document.add_paragraph().add_run(_x(model.disclaimer)).italic = True
    _table(document, None, [[k, v] for k, v in model.title_block()])

    document.add_heading("Key terms", level=1)
    kh, krows = model.key_term_rows()
    _table(document, kh, krows)

    document.add_heading("At a glance", level=1)
    header, rows = model.count_rows()
    _table(document, header, rows)

    document.add_heading(f"Missing and weak protections ({len(model.flagged)})", level=1)
    if not model.flagged:
        document.add_paragraph("None: every requirement of the profile is satisfied.")
    for item in model.flagged:
        _item(document, item)

    document.add_heading(f"Satisfied protections ({len(model.satisfied)})", level=1)
    if model.satisfied:
        _table(
            document,
            ["Protection", "Severity", "Where"],
            [[i.title, i.severity_label, "; ".join(q.where for q in i.quotes)] for i in model.satisfied],
        )
    else:
        document.add_paragraph("None.")
    document.add_paragraph().add_run(_x(model.disclaimer)).italic = True
    return document


def write_docx(model: ReportModel, dest: Path) -> Path:
    document = build_docx(model)
    return write_atomic(dest, lambda tmp: document.save(str(tmp)))
