"""DOCX ingestion (#2): numbering labels, tracked changes, comments, furniture, footnotes, tables, pages.

Every file is generated here with python-docx plus raw WordprocessingML; expected values are written
from the generator's definitions (what Word would show), not from the reader's output.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from pathlib import Path

import docgen_docx as gen
import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from contractreview.domain import BlockKind, Format
from contractreview.ingest.docx import format_number, load_docx
from contractreview.limits import Limits


def load(data: bytes, name: str = "contract.docx", **kw):
    return load_docx(
        Path(name),
        data,
        hashlib.sha256(data).hexdigest(),
        original_view=kw.pop("original_view", False),
        limits=kw.pop("limits", Limits()),
    )


@pytest.fixture(scope="module")
def contract_bytes() -> bytes:
    return gen.contract_docx()


@pytest.fixture(scope="module")
def contract(contract_bytes):
    return load(contract_bytes)


def block_texts(doc, kind=None):
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind is kind]


def test_ingest_docx_generated_file_is_a_real_docx(contract_bytes):
    # python-docx can open what the generator wrote, so the reader is tested on genuine files.
    opened = docx.Document(io.BytesIO(contract_bytes))
    assert any("Breach Notification" in p.text for p in opened.paragraphs)


def test_ingest_docx_document_fields(contract, contract_bytes):
    assert contract.format is Format.DOCX
    assert contract.sha256 == hashlib.sha256(contract_bytes).hexdigest()
    assert contract.name == "contract.docx"
    assert contract.title == "Student Data Privacy Agreement"
    assert all(b.bbox is None for b in contract.blocks)
    assert all((p.width, p.height) == (612.0, 792.0) for p in contract.pages)


def test_ingest_docx_numbering_labels_resolved(contract):
    labels = [b.label for b in contract.blocks if b.label]
    assert labels == [
        "1.", "1.1", "1.2",
        "2.", "2.1", "(a)", "(b)", "(i)",
        "3.", "3.1",
        "4.", "4.1",
        "•", "•",
        "1.",  # startOverride restarts the shared outline list
        "Article I", "Section 1.1", "Section 1.2", "(01)",
        "C)", "D)",
        "[1]",  # footnote
    ]  # fmt: skip


def test_ingest_docx_label_prefixed_into_text(contract):
    lines = contract.text.splitlines()
    assert "2.1 The Provider shall encrypt Student Data in transit and at rest." in lines
    assert "(b) using AES-256 for stored backups." in lines
    assert "Section 1.1 Governing law is New York." in lines
    assert "C) Option C text." in lines  # suff=space
    # bullets keep their label on the block but are not written into the text
    assert "Chief Privacy Officer" in lines


def test_ingest_docx_offsets_exact_and_ordered(contract):
    previous_end = -1
    for b in contract.blocks:
        piece = contract.text[b.start : b.end]
        assert piece and piece == piece.strip()
        assert b.start > previous_end
        previous_end = b.end
        if b.label and b.label != "•":
            assert piece.startswith(b.label)
    # the blocks and single newlines make up the whole text
    assert "\n".join(block_texts(contract)) == contract.text


def test_ingest_docx_headings_by_style(contract):
    headings = [
        (b.style, contract.text[b.start : b.end]) for b in contract.blocks if b.kind is BlockKind.HEADING
    ]
    assert headings[0] == ("Title", "Student Data Privacy Agreement")
    assert ("Heading 1", "3. Breach Notification") in headings
    assert ("Heading 2", "Article I General Terms") in headings
    kinds = {contract.text[b.start : b.end]: b.kind for b in contract.blocks}
    assert kinds["1.1 Student Data means any information that identifies a student."] is BlockKind.LIST_ITEM
    assert kinds["Security contacts:"] is BlockKind.PARAGRAPH


def test_ingest_docx_tracked_changes_accepted_by_default(contract):
    assert (
        "3.1 The Provider shall notify the District within 72 hours of discovery of a breach."
        in contract.text
    )
    assert "ten (10) business days" not in contract.text
    assert any("tracked changes" in w for w in contract.warnings)


def test_ingest_docx_tracked_changes_original_view(contract_bytes):
    doc = load(contract_bytes, original_view=True)
    assert (
        "3.1 The Provider shall notify the District within ten (10) business days of discovery of a breach."
        in doc.text
    )
    assert "72 hours" not in doc.text
    assert any("tracked changes" in w and "original" in w for w in doc.warnings)


def test_ingest_docx_no_tracked_changes_no_warning():
    doc = load(gen.simple_docx())
    assert not any("tracked" in w for w in doc.warnings)


def test_ingest_docx_comments_anchored_to_offsets(contract):
    assert len(contract.comments) == 1
    c = contract.comments[0]
    assert c.author == "District Reviewer"
    assert c.text == "Ask whether backups are covered."
    assert contract.text[c.start : c.end] == "for stored backups"


def test_ingest_docx_comment_anchor_survives_original_view(contract_bytes):
    doc = load(contract_bytes, original_view=True)
    c = doc.comments[0]
    assert doc.text[c.start : c.end] == "for stored backups"


def test_ingest_docx_headers_footers_are_furniture(contract):
    assert "Confidential" not in contract.text
    header = [f for f in contract.furniture if f.kind is BlockKind.HEADER]
    footer = [f for f in contract.furniture if f.kind is BlockKind.FOOTER]
    assert [f.text for f in header] == ["Acme Learning Co. - Confidential"]
    assert [f.text for f in footer] == ["Student Data Privacy Agreement v3"]


def test_ingest_docx_footnotes_after_body(contract):
    notes = [b for b in contract.blocks if b.kind is BlockKind.FOOTNOTE]
    assert len(notes) == 1
    assert contract.text[notes[0].start : notes[0].end] == "[1] As defined in 34 CFR 99.3."
    assert notes[0] is contract.blocks[-1]
    assert notes[0].page == 1  # page of the reference in 1.2


def test_ingest_docx_table_cells_in_reading_order(contract):
    cells = block_texts(contract, BlockKind.TABLE_CELL)
    assert cells == ["Data element", "Retention", "Assessment scores", "Deleted at termination"]


def test_ingest_docx_page_break_advances_page(contract):
    page = {contract.text[b.start : b.end]: b.page for b in contract.blocks}
    assert page["3. Breach Notification"] == 1
    assert page["4. Deletion"] == 2
    assert len(contract.pages) == 2
    assert contract.page_at(contract.text.index("4.1 Data is deleted")) == 2


def test_ingest_docx_multi_paragraph_cell_is_one_block():
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)
    cell.text = "Line one"
    cell.add_paragraph("Line two")
    table.cell(0, 1).text = "Right"
    doc = load(gen.save(d))
    assert block_texts(doc, BlockKind.TABLE_CELL) == ["Line one\nLine two", "Right"]


def test_ingest_docx_nums_sharing_an_abstract_continue_like_word():
    d = docx.Document()
    gen.add_numbering(
        d, [gen.OUTLINE_ABSTRACT], [gen._num(301, 90), gen._num(302, 90), gen._num(303, 90, {0: 5})]
    )
    gen.numbered(d, "first", 301)
    gen.numbered(d, "second", 301)
    gen.numbered(d, "continues through another num", 302)
    gen.numbered(d, "override starts at five", 303)
    gen.numbered(d, "and goes on", 303)
    doc = load(gen.save(d))
    assert [b.label for b in doc.blocks] == ["1.", "2.", "3.", "5.", "6."]


def test_ingest_docx_deeper_levels_restart_after_parent():
    d = docx.Document()
    gen.add_numbering(d, [gen.OUTLINE_ABSTRACT], [gen._num(301, 90)])
    for text, lvl in [
        ("A", 0),
        ("a1", 1),
        ("a2", 1),
        ("B", 0),
        ("b1", 1),
        ("x", 2),
        ("y", 2),
        ("b2", 1),
        ("z", 2),
    ]:
        gen.numbered(d, text, 301, lvl)
    doc = load(gen.save(d))
    assert [b.label for b in doc.blocks] == ["1.", "1.1", "1.2", "2.", "2.1", "(a)", "(b)", "2.2", "(a)"]


def test_ingest_docx_numbering_through_heading_style():
    """Headings numbered by their style (numPr in styles.xml, level chosen by the lvl's pStyle)."""
    d = docx.Document()
    abstract = f"""
    <w:abstractNum {gen.NSDECL} w:abstractNumId="95">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="Heading1"/>
        <w:lvlText w:val="ARTICLE %1."/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>
        <w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl>
    </w:abstractNum>"""
    gen.add_numbering(d, [abstract], [gen._num(310, 95)])
    for style_name in ("Heading 1", "Heading 2"):
        ppr = d.styles[style_name].element.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {gen.NSDECL}><w:numId w:val="310"/></w:numPr>'))
    d.add_heading("Definitions", level=1)
    d.add_heading("Student Data", level=2)
    d.add_heading("Records", level=2)
    d.add_heading("Security", level=1)
    d.add_heading("Encryption", level=2)
    doc = load(gen.save(d))
    assert doc.text.splitlines() == [
        "ARTICLE I. Definitions",
        "1.1 Student Data",
        "1.2 Records",
        "ARTICLE II. Security",
        "2.1 Encryption",
    ]
    assert all(b.kind is BlockKind.HEADING for b in doc.blocks)


def test_ingest_docx_numbering_formats():
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]
    assert [format_number(n, "upperRoman") for n in (4, 9, 14, 40, 1999)] == [
        "IV",
        "IX",
        "XIV",
        "XL",
        "MCMXCIX",
    ]
    assert format_number(7, "decimalZero") == "07"
    assert format_number(3, "ordinalText") == "3"  # unknown formats fall back to decimal


def test_ingest_docx_field_codes_hidden_results_kept():
    d = docx.Document()
    p = d.add_paragraph("See ")
    p._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(
        parse_xml(
            f'<w:r {gen.NSDECL}><w:instrText xml:space="preserve"> REF _Ref123 \\h </w:instrText></w:r>'
        )
    )
    p._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f"<w:r {gen.NSDECL}><w:t>Section 4.2</w:t></w:r>"))
    p._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="end"/></w:r>'))
    p.add_run(" for details.")
    doc = load(gen.save(d))
    assert doc.text == "See Section 4.2 for details."


def test_ingest_docx_hidden_text_left_out_with_warning():
    d = docx.Document()
    p = d.add_paragraph("Visible clause.")
    hidden = p.add_run(" Vendor may sell data.")
    hidden.font.hidden = True
    doc = load(gen.save(d))
    assert doc.text == "Visible clause."
    assert any("hidden text" in w for w in doc.warnings)


def test_ingest_docx_tabs_and_line_breaks():
    d = docx.Document()
    p = d.add_paragraph("Name:\tAcme")
    p.add_run().add_break()
    p.add_run("Address: 1 Main St")
    doc = load(gen.save(d))
    assert doc.text == "Name:\tAcme\nAddress: 1 Main St"


def test_ingest_docx_rendered_page_breaks_trusted():
    """When Word left w:lastRenderedPageBreak marks, they decide the pages (no estimate on top)."""
    d = docx.Document()
    d.add_paragraph("Page one text.")
    p = d.add_paragraph()
    p._p.append(
        parse_xml(f"<w:r {gen.NSDECL}><w:lastRenderedPageBreak/><w:t>Page two starts here.</w:t></w:r>")
    )
    long = d.add_paragraph()
    long._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:t xml:space="preserve">Runs over </w:t></w:r>'))
    long._p.append(
        parse_xml(f"<w:r {gen.NSDECL}><w:lastRenderedPageBreak/><w:t>onto page three.</w:t></w:r>")
    )
    d.add_paragraph("Still page three. " * 400)  # far more than a page of text, but Word says otherwise
    doc = load(gen.save(d))
    pages = [b.page for b in doc.blocks]
    assert pages == [1, 2, 2, 3]
    assert len(doc.pages) == 3


def test_ingest_docx_long_text_without_breaks_gets_estimated_pages():
    d = docx.Document()
    for i in range(200):
        d.add_paragraph(f"Clause {i}. " + "The Provider shall keep Student Data confidential. " * 5)
    doc = load(gen.save(d))
    assert doc.blocks[0].page == 1
    # ~280 characters per paragraph, about 12 of them per Letter page
    assert 10 <= doc.blocks[-1].page <= 30
    assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)


def test_ingest_docx_section_page_size():
    d = docx.Document()
    d.sections[0].page_width = docx.shared.Mm(210)
    d.sections[0].page_height = docx.shared.Mm(297)
    d.add_paragraph("A4 contract.")
    doc = load(gen.save(d))
    assert doc.pages[0].width == pytest.approx(595.3, abs=0.5)
    assert doc.pages[0].height == pytest.approx(841.9, abs=0.5)


def test_ingest_docx_text_limit():
    from contractreview.errors import DocumentTooLargeError

    with pytest.raises(DocumentTooLargeError, match="big.docx"):
        load(gen.long_docx(pages=5), name="big.docx", limits=Limits(max_text_chars=2000))


def test_ingest_docx_100_pages_under_one_second():
    data = gen.long_docx(pages=100)
    load(data)  # warm imports
    t0 = time.perf_counter()
    doc = load(data)
    elapsed = time.perf_counter() - t0
    assert len(doc.pages) == 100
    assert doc.blocks[-1].label == "100.8"
    assert elapsed < 1.0, f"100-page DOCX took {elapsed:.2f} s"


def test_ingest_docx_bundled_sample_contract():
    from contractreview.paths import sample_contract

    path = sample_contract("docx")
    if not path.exists():
        pytest.skip("bundled sample DOCX not present")
    data = path.read_bytes()
    doc = load_docx(path, data, hashlib.sha256(data).hexdigest(), original_view=False, limits=Limits())
    assert len(doc.text) > 1000
    assert all(doc.text[b.start : b.end].strip() for b in doc.blocks)


def test_ingest_docx_through_dispatcher(tmp_path):
    ingest = pytest.importorskip("contractreview.ingest")
    if not hasattr(ingest, "load_document"):
        pytest.skip("ingest dispatcher not written yet")
    path = tmp_path / "dispatched.docx"
    gen.contract_docx(path)
    doc = ingest.load_document(path)
    assert doc.format is Format.DOCX
    assert "3.1 The Provider shall notify the District within 72 hours" in doc.text
    original = ingest.load_document(path, original_view=True)
    assert "ten (10) business days" in original.text


def test_ingest_docx_corpus_files(corpus_dir):
    files = sorted(corpus_dir.rglob("*.docx"))
    if not files:
        pytest.skip("no DOCX files in ../shared/corpus")
    for path in files:
        data = path.read_bytes()
        doc = load_docx(path, data, hashlib.sha256(data).hexdigest(), original_view=False, limits=Limits())
        for b in doc.blocks:
            assert doc.text[b.start : b.end].strip()


def test_ingest_docx_deleted_numbered_clause_renumbers_like_word():
    """Accepting the deletion of clause 2 makes clause 3 the new 2; the original view keeps 1-2-3."""
    d = docx.Document()
    gen.add_numbering(d, [gen.OUTLINE_ABSTRACT], [gen._num(301, 90)])
    gen.numbered(d, "Kept clause.", 301)
    gone = gen.add_tracked_paragraph(d, [("del", "Vendor may sell aggregate data.")], mark="del")
    gen.set_numbering(gone, 301, 0)
    gen.numbered(d, "Last clause.", 301)
    added = gen.add_tracked_paragraph(d, [("ins", "Vendor shall not sell data.")], mark="ins")
    gen.set_numbering(added, 301, 0)
    data = gen.save(d)
    assert load(data).text.splitlines() == [
        "1. Kept clause.",
        "2. Last clause.",
        "3. Vendor shall not sell data.",
    ]
    assert load(data, original_view=True).text.splitlines() == [
        "1. Kept clause.",
        "2. Vendor may sell aggregate data.",
        "3. Last clause.",
    ]


def test_ingest_docx_empty_numbered_paragraph_still_counts():
    d = docx.Document()
    gen.add_numbering(d, [gen.OUTLINE_ABSTRACT], [gen._num(301, 90)])
    gen.numbered(d, "One.", 301)
    gen.numbered(d, "", 301)  # Word shows "2." on an empty line
    gen.numbered(d, "Three.", 301)
    assert load(gen.save(d)).text.splitlines() == ["1. One.", "3. Three."]


def test_ingest_docx_endnotes_after_footnotes():
    d = docx.Document()
    p = d.add_paragraph("Body with an endnote.")
    gen.add_endnote_reference(p, 2)
    q = d.add_paragraph("And another.")
    gen.add_endnote_reference(q, 3)
    data = gen.add_part(
        gen.save(d),
        "word/endnotes.xml",
        gen.endnotes_xml({2: "First endnote.", 3: "Second endnote."}),
        gen.ENDNOTES_CT,
        gen.ENDNOTES_REL,
        "rIdEnd1",
    )
    doc = load(data)
    notes = [(b.label, doc.text[b.start : b.end]) for b in doc.blocks if b.kind is BlockKind.FOOTNOTE]
    assert notes == [("[i]", "[i] First endnote."), ("[ii]", "[ii] Second endnote.")]


def test_ingest_docx_section_headers_on_their_pages():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Master Agreement"
    d.add_paragraph("Main terms.")
    exhibit = d.add_section()
    exhibit.header.is_linked_to_previous = False
    exhibit.header.paragraphs[0].text = "Exhibit A - Data Inventory"
    d.add_paragraph("Exhibit terms.")
    doc = load(gen.save(d))
    pages = {doc.text[b.start : b.end]: b.page for b in doc.blocks}
    assert pages == {"Main terms.": 1, "Exhibit terms.": 2}  # a new-page section break
    headers = {(f.text, f.page) for f in doc.furniture if f.kind is BlockKind.HEADER}
    assert headers == {("Master Agreement", 1), ("Exhibit A - Data Inventory", 2)}


def test_ingest_docx_field_spanning_paragraphs():
    """A table-of-contents field: instructions hidden, results kept, even across paragraphs."""
    d = docx.Document()
    first = d.add_paragraph()
    first._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="begin"/></w:r>'))
    first._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'))
    first._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="separate"/></w:r>'))
    first.add_run("1. Definitions\t2")
    last = d.add_paragraph("2. Security\t3")
    last._p.append(parse_xml(f'<w:r {gen.NSDECL}><w:fldChar w:fldCharType="end"/></w:r>'))
    d.add_paragraph("Body text.")
    doc = load(gen.save(d))
    assert doc.text.splitlines() == ["1. Definitions\t2", "2. Security\t3", "Body text."]


def test_ingest_docx_text_box_warned():
    d = docx.Document()
    p = d.add_paragraph("Before the box.")
    p._p.append(
        parse_xml(
            f'<w:r {gen.NSDECL} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Boxed clause.</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
    )
    doc = load(gen.save(d))
    assert doc.text == "Before the box."
    assert any("text box" in w for w in doc.warnings)


def test_ingest_docx_comment_spanning_paragraphs():
    d = docx.Document()
    first = d.add_paragraph("Intro. ")
    start_run = first.add_run("The Provider may share data")
    second = d.add_paragraph()
    end_run = second.add_run("with affiliates")
    second.add_run(" for any purpose.")
    d.add_comment([start_run, end_run], text="Too broad.", author="DR")
    doc = load(gen.save(d))
    c = doc.comments[0]
    assert doc.text[c.start : c.end] == "The Provider may share data\nwith affiliates"


def _reference_labels(levels: list[int]) -> list[str]:
    """Hierarchical counting written independently of the reader: 1. / 1.1 / (a) / (i)."""
    counters = [0, 0, 0, 0]
    out = []
    for lvl in levels:
        counters[lvl] += 1
        for deeper in range(lvl + 1, 4):
            counters[deeper] = 0
        # a level used before its parents shows the parents' start value (1)
        shown = [c or 1 for c in counters]
        if lvl == 0:
            out.append(f"{shown[0]}.")
        elif lvl == 1:
            out.append(f"{shown[0]}.{shown[1]}")
        elif lvl == 2:
            out.append(f"({'abcdefghijklmnopqrstuvwxyz'[shown[2] - 1]})")
        else:
            romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
            out.append(f"({romans[shown[3] - 1]})")
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=12))
def test_ingest_docx_property_outline_labels_and_offsets(levels):
    d = docx.Document()
    gen.add_numbering(d, [gen.OUTLINE_ABSTRACT], [gen._num(301, 90)])
    for i, lvl in enumerate(levels):
        gen.numbered(d, f"Clause text {i}.", 301, lvl)
    doc = load(gen.save(d))
    expected = _reference_labels(levels)
    assert [b.label for b in doc.blocks] == expected
    assert doc.text.splitlines() == [f"{label} Clause text {i}." for i, label in enumerate(expected)]
    for b in doc.blocks:
        assert doc.text[b.start : b.end].startswith(b.label + " ")


def test_ingest_docx_strict_open_xml(contract_bytes):
    """Word's "Strict Open XML Document" uses ISO 29500 strict namespaces for the same vocabulary."""
    strict = {
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }

    def to_strict(body: bytes) -> bytes:
        for old, new in strict.items():
            body = body.replace(old, new)
        return body

    with zipfile.ZipFile(io.BytesIO(contract_bytes)) as zf:
        names = [n for n in zf.namelist() if n.endswith((".xml", ".rels"))]
    data = gen.rewrite_zip(contract_bytes, replace={n: to_strict for n in names})
    assert b"purl.oclc.org" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    doc = load(data)
    assert doc.text == load(contract_bytes).text
    assert doc.comments and doc.furniture


def test_ingest_docx_style_list_with_direct_level():
    """numId from the style, ilvl given directly on the paragraph."""
    d = docx.Document()
    gen.add_numbering(d, [gen.OUTLINE_ABSTRACT], [gen._num(320, 90)])
    style = d.styles.add_style("Clause", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {gen.NSDECL}><w:numId w:val="320"/></w:numPr>')
    )
    d.add_paragraph("Top.", style="Clause")
    sub = d.add_paragraph("Sub.", style="Clause")
    sub._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {gen.NSDECL}><w:ilvl w:val="1"/></w:numPr>'))
    assert load(gen.save(d)).text.splitlines() == ["1. Top.", "1.1 Sub."]


def test_ingest_docx_table_rows_in_content_controls_and_comment_in_cell():
    d = docx.Document()
    table = d.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Plain row"
    cell_par = table.cell(1, 0).paragraphs[0]
    cell_par.add_run("Retention: ")
    anchored = cell_par.add_run("as long as necessary")
    d.add_comment([anchored], text="Needs a limit.", author="DR")
    # wrap the second row in a repeating-section content control
    row = table.rows[1]._tr
    sdt = parse_xml(f"<w:sdt {gen.NSDECL}><w:sdtPr/><w:sdtContent/></w:sdt>")
    row.addprevious(sdt)
    sdt[1].append(row)
    doc = load(gen.save(d))
    assert block_texts(doc, BlockKind.TABLE_CELL) == ["Plain row", "Retention: as long as necessary"]
    c = doc.comments[0]
    assert doc.text[c.start : c.end] == "as long as necessary"
