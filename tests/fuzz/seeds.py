"""Small valid seed documents the fuzzers mutate (generated, never copied from real contracts)."""

from __future__ import annotations

import io
from functools import lru_cache

SEED_CLAUSES = (
    '1. Definitions. "Student Data" means information that identifies a student.',
    "2.1 Provider shall notify the District within seventy-two (72) hours after discovery of a breach.",
    "2.2 Provider may, from time to time and at its discretion, share de-identified data with partners.",
    "3. Upon written request, Provider shall delete Student Data within thirty (30) days, except backups.",
    "4. Provider shall not sell Student Data, unless required by law; notwithstanding the foregoing, (a) none.",
)


@lru_cache(maxsize=1)
def seed_pdf() -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=LETTER, invariant=1)
    for page in range(2):
        y = 720
        for clause in SEED_CLAUSES:
            c.drawString(72, y, clause[:95])
            y -= 18
        c.drawString(300, 40, f"Page {page + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


@lru_cache(maxsize=1)
def seed_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Data Privacy Agreement", level=1)
    for clause in SEED_CLAUSES:
        document.add_paragraph(clause)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Retention"
    table.cell(0, 1).text = "60 days"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def seed_text() -> bytes:
    return "\n\n".join(SEED_CLAUSES).encode("utf-8")
