"""Issue #18 helpers: write every export a district sends, and read each back with an independent reader.

The readers are not the writers' libraries where that can be avoided: python-docx reads DOCX (paragraphs,
tables, footers and the comments part), pypdfium2 reads the PDF report's text, html.parser reads the
HTML (text and attribute values), pypdf reads the annotated PDF's notes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# Engine words and shapes that must not reach a document for people. Lowercase words only: "COPPA Rule"
# is the name of a law in a citation.
INTERNAL = re.compile(
    r"\b(cues?|patterns?|features?|fingerprints?|rules?|rule ids?|scores?|classifier)\b"
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"  # requirement ids: school_official_designation
    r"|\b[a-z_]+\.(?:cue|commit|weak|deny|scope|exclude|heading)\b"  # rule ids: x.cue.y
)


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.footer.paragraphs] + [p.text for p in s.header.paragraphs]
    parts.append(d.core_properties.title or "")
    return "\n".join(parts)


def docx_comments(path: Path) -> str:
    import docx

    return "\n".join(c.text for c in docx.Document(str(path)).comments)


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def pdf_notes(path: Path) -> str:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(str(path)).pages:
        for a in page.get("/Annots") or []:
            a = a.get_object()
            out += [str(a.get(k, "")) for k in ("/Contents", "/Subj", "/T")]
    return "\n".join(out)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.parts += [v for k, v in attrs if v and k not in ("content", "style")]

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.parts.append(data)


def html_text(path: Path) -> str:
    p = _Html()
    p.feed(path.read_text(encoding="utf-8"))
    return "\n".join(p.parts)


def internal_hits(text: str, contract_text: str = "", ignore: tuple[str, ...] = ()) -> list[str]:
    """Internal words in ``text`` that are not words the contract itself says at that spot.

    A hit is the contract's own when the hit with a neighbouring word occurs in the contract text
    (contract quotes may say "rule" or "features"); with no contract text every hit counts.
    """
    for name in ignore:  # the document's file name ("sample_dpa.pdf") may well be snake_case
        text = text.replace(name, " ")
    flat = " ".join(text.split())
    contract = " ".join(contract_text.split()).lower()
    hits = []
    for m in INTERNAL.finditer(flat):
        if contract:
            left = flat[max(0, m.start() - 30) : m.end()].split()[-2:]
            right = flat[m.start() : m.end() + 30].split()[:2]
            if any(len(w) == 2 and " ".join(w).lower().strip("“”\"'.,;:()") in contract for w in (left, right)):
                continue
            if m.group(0).lower() in contract and not re.search(r"[._]", m.group(0)):
                # The lone word is in the contract, and its neighbours were split by a table column.
                window = flat[max(0, m.start() - 60) : m.end() + 60]
                if "“" in window or "”" in window or '"' in window:
                    continue
        hits.append(flat[max(0, m.start() - 40) : m.end() + 40])
    return hits


def write_people_exports(analysis, decisions, meta, out: Path, source: Path | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every people-facing export of ``analysis``, as text read back: name -> text."""
    from contractreview.export import export_annotated, export_change_request, export_report

    texts = {
        "gap.docx": docx_text(export_report(analysis, decisions, meta, "docx", out / "gap.docx")),
        "gap.pdf": pdf_text(export_report(analysis, decisions, meta, "pdf", out / "gap.pdf")),
        "gap.html": html_text(export_report(analysis, decisions, meta, "html", out / "gap.html")),
        "gap.md": export_report(analysis, decisions, meta, "md", out / "gap.md").read_text(encoding="utf-8"),
        "request.docx": docx_text(export_change_request(analysis, decisions, meta, out / "request.docx")),
    }
    if source is not None and source.suffix.lower() in (".pdf", ".docx"):
        dest = export_annotated(analysis, decisions, meta, source, out / f"annotated{source.suffix.lower()}")
        texts["annotated"] = docx_comments(dest) if dest.suffix == ".docx" else pdf_notes(dest)
    return texts
