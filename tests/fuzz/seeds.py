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
    # A numbered list, a tracked insertion and a comment-free footnote-free body: the XML structure the
    # element-level fuzzer (test_fuzz.test_mutated_docx_xml) rearranges.
    for item in ("Access controls", "Encryption at rest"):
        document.add_paragraph(item, style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Retention"
    table.cell(0, 1).text = "60 days"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def seed_text() -> bytes:
    return "\n\n".join(SEED_CLAUSES).encode("utf-8")


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of the DOCX ``data`` with some members replaced (valid CRCs, so the XML parser sees them)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def docx_part(name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(seed_docx())) as zf:
        return zf.read(name)
