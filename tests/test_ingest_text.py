"""Plain text and Markdown ingestion: encodings, blocks, offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractreview.domain import BlockKind, Format
from contractreview.errors import CorruptDocumentError, UnsupportedFormatError
from contractreview.ingest import load_document

CONTRACT = (
    "DATA PRIVACY AGREEMENT\n\n"
    "1. Definitions\n"
    '"Student Data" means any information about a student.\n\n'
    "2. Security\n"
    "2.1 Vendor shall encrypt Student Data at rest.\n"
    "2.2 Vendor shall notify the District within 72 hours of a breach.\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _check_offsets(doc) -> None:  # type: ignore[no-untyped-def]
    prev_end = 0
    for b in doc.blocks:
        assert prev_end <= b.start < b.end <= len(doc.text)
        chunk = doc.text[b.start : b.end]
        assert chunk == chunk.strip() and chunk
        prev_end = b.end


def test_ingest_text_utf8_blocks_and_offsets(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "dpa.txt", CONTRACT.encode("utf-8")))
    assert doc.format == Format.TXT
    assert doc.warnings == ()
    _check_offsets(doc)
    texts = [doc.text[b.start : b.end] for b in doc.blocks]
    assert texts[0] == "DATA PRIVACY AGREEMENT"
    assert doc.blocks[0].kind == BlockKind.HEADING
    assert "2.2 Vendor shall notify the District within 72 hours of a breach." in texts
    assert all(b.page == 1 for b in doc.blocks)
    assert len(doc.sha256) == 64


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_ingest_text_bom_encodings(tmp_path: Path, encoding: str) -> None:
    doc = load_document(_write(tmp_path, "dpa.txt", ("Café “quoted” — ok\n\n" + CONTRACT).encode(encoding)))
    assert doc.text.startswith("Café “quoted” — ok")
    assert doc.warnings == ()


def test_ingest_text_cp1252_fallback_warns(tmp_path: Path) -> None:
    data = "The District’s data – “Student Data” – stays in the café.".encode("cp1252")
    doc = load_document(_write(tmp_path, "terms.txt", data))
    assert "District’s" in doc.text and "café" in doc.text
    assert any("Windows-1252" in w for w in doc.warnings)


def test_ingest_text_binary_is_unsupported(tmp_path: Path) -> None:
    p = _write(tmp_path, "terms.txt", bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormatError) as exc:
        load_document(p)
    assert "terms.txt" in str(exc.value)


def test_ingest_text_zero_bytes_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptDocumentError) as exc:
        load_document(_write(tmp_path, "empty.txt", b""))
    assert "empty.txt" in str(exc.value) and "empty" in exc.value.reason


def test_ingest_text_form_feed_splits_pages(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "paged.txt", b"Page one text.\n\x0cPage two text.\n\x0cThird.\n"))
    assert len(doc.pages) == 3
    assert [b.page for b in doc.blocks] == [1, 2, 3]
    assert doc.page_at(doc.text.index("Third")) == 3


def test_ingest_markdown_headings_lists_and_inline_markup(tmp_path: Path) -> None:
    md = (
        "# Privacy Policy\n\n"
        "We **never** sell [student data](https://example.com/data).\n\n"
        "**Sharing of Information**\n\n"
        "## Retention\n"
        "- We delete data within 30 days.\n"
        "- Backups expire\n  after 90 days.\n\n"
        "| Term | Value |\n|---|---|\n| Notice | 72 hours |\n"
    )
    doc = load_document(_write(tmp_path, "policy.md", md.encode()))
    assert doc.format == Format.MD
    _check_offsets(doc)
    kinds = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert kinds[0] == (BlockKind.HEADING, "Privacy Policy")
    assert (BlockKind.PARAGRAPH, "We never sell student data.") in kinds
    assert (BlockKind.HEADING, "Sharing of Information") in kinds
    assert (BlockKind.HEADING, "Retention") in kinds
    assert (BlockKind.LIST_ITEM, "We delete data within 30 days.") in kinds
    assert (BlockKind.LIST_ITEM, "Backups expire\nafter 90 days.") in kinds
    assert (BlockKind.TABLE_CELL, "Notice | 72 hours") in kinds
    assert doc.title == "Privacy Policy"


def test_ingest_markdown_front_matter_html_headings_and_pipe_tables(tmp_path: Path) -> None:
    md = (
        "---\ntitle: Vendor Data Agreement\nversions:\n  fpt: '*'\n---\n\n"
        "## Security\n\nVendor encrypts data.\n\n"
        '<p id="a"><h1>Appendix A – Safeguards</h1></p>\n\n'
        "Domain | Practice\n-------|---------|\nAccess | Least privilege\n\n"
        "- Appendix B – listed in contents only\n"
    )
    doc = load_document(_write(tmp_path, "dpa.md", md.encode()))
    assert doc.title == "Vendor Data Agreement"
    assert "title:" not in doc.text and "fpt" not in doc.text
    heads = [(b.style, doc.text[b.start : b.end]) for b in doc.blocks if b.kind == BlockKind.HEADING]
    assert heads == [("h2", "Security"), ("h1", "Appendix A – Safeguards")]
    cells = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == BlockKind.TABLE_CELL]
    assert cells == ["Domain | Practice", "Access | Least privilege"]

    from contractreview.segment import segment

    clauses = segment(doc)
    assert [c.number for c in clauses] == ["", "Appendix A"]
    assert clauses[1].kind == "exhibit"
    # the contents entry "Appendix B" stays inside Appendix A instead of opening an exhibit
    assert doc.text[clauses[1].start : clauses[1].end].endswith("listed in contents only")


def test_ingest_plain_text_capitals_paragraph_is_not_split(tmp_path: Path) -> None:
    txt = (
        "7. WARRANTY\n\nTHE SERVICES ARE PROVIDED AS IS WITHOUT ANY\nWARRANTY OF ANY KIND EXPRESS OR IMPLIED\n"
        "INCLUDING MERCHANTABILITY\n\n8. TERM\nThis agreement lasts one year.\n"
    )
    doc = load_document(_write(tmp_path, "w.txt", txt.encode()))
    texts = [doc.text[b.start : b.end] for b in doc.blocks]
    assert texts[1].startswith("THE SERVICES") and texts[1].endswith("MERCHANTABILITY")
    assert doc.blocks[1].kind == BlockKind.PARAGRAPH


def test_ingest_saved_web_page_html(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style>"
        "<script>alert('no')</script></head><body><nav><a href='/'>Home</a></nav>"
        "<h1>Student Privacy Terms</h1><p>We <b>never</b> sell student data &amp; records.</p>"
        "<h2>3. Deletion</h2><ul><li>Deleted within 30 days.</li><li>Backups expire.</li></ul>"
        "<table><tr><td>Notice</td><td>72 hours</td></tr></table></body></html>"
    )
    doc = load_document(_write(tmp_path, "terms.html", html.encode()))
    texts = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert texts[0] == (BlockKind.HEADING, "Student Privacy Terms")
    assert (BlockKind.PARAGRAPH, "We never sell student data & records.") in texts
    assert (BlockKind.HEADING, "3. Deletion") in texts
    assert (BlockKind.LIST_ITEM, "Deleted within 30 days.") in texts
    assert "alert" not in doc.text and "color" not in doc.text and "Home" not in doc.text
    assert "Notice" in doc.text and "72 hours" in doc.text
    assert any("web page" in w for w in doc.warnings)


def test_ingest_text_property_any_text_loads_with_exact_offsets(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from contractreview.errors import ContractReviewError
    from contractreview.segment import segment

    pieces = st.sampled_from(
        [
            "# ",
            "## ",
            "- ",
            "1. ",
            "(a) ",
            "| a | b |\n|---|---|\n",
            "\n",
            "\n\n",
            "**",
            "[x](y)",
            "ARTICLE II\n",
            "\x0c",
            "---\n",
            "```\n",
            "<h2>T</h2>",
            "Section 3 ",
            "   ",
        ]
    )
    content = st.lists(st.one_of(pieces, st.text(max_size=30)), max_size=40).map("".join)
    counter = iter(range(100_000))

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(content, st.sampled_from(["a.md", "a.txt", "a.html"]))
    def check(body: str, name: str) -> None:
        p = tmp_path / f"{next(counter)}-{name}"
        p.write_bytes(body.encode("utf-8", "surrogatepass"))
        try:
            doc = load_document(p)
        except ContractReviewError:
            return
        _check_offsets(doc)
        for b in doc.blocks:
            assert 1 <= b.page <= len(doc.pages)
        prev = 0
        for c in segment(doc):
            assert prev <= c.start < c.end <= len(doc.text)
            prev = c.end

    check()


WRAPPED = (
    "1. Processing\n\n"
    "The Processor shall process the personal data of the Controller only on documented\n\n"
    "instructions and solely to the extent that such processing is necessary to provide the\n\n"
    "Services described in the Agreement, and for no other purpose whatsoever under this DPA.\n\n"
    "2. Security\n\n"
    "The Processor shall implement appropriate technical and organisational measures that\n\n"
    "protect the personal data against accidental or unlawful destruction, loss or alteration.\n\n"
    "a) encryption of the personal data in transit and at rest where this is appropriate,\n\n"
    "b) regular testing of the effectiveness of those measures by an independent auditor.\n\n"
    "The Processor shall keep a record of every access to the personal data by its staff and\n\n"
    "make that record available to the Controller within ten business days of a request.\n"
)


def test_ingest_text_rejoins_lines_separated_by_blank_lines(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "wrapped.md", WRAPPED.encode("utf-8")))
    _check_offsets(doc)
    texts = [doc.text[b.start : b.end] for b in doc.blocks]
    joined = [t for t in texts if t.startswith("The Processor shall process")]
    assert joined and joined[0].endswith("for no other purpose whatsoever under this DPA."), texts
    # Numbered headings and list items still start their own blocks.
    assert "2. Security" in texts
    assert any(t.startswith("b) regular testing") for t in texts), texts
    assert any("broken sentences were joined" in w and "wrapped.md" in w for w in doc.warnings)


def test_ingest_text_leaves_ordinary_paragraphs_alone(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path, "dpa.txt", CONTRACT.encode("utf-8")))
    assert doc.warnings == ()
    prose = "\n\n".join(
        f"Paragraph {i} of the agreement states a complete obligation of the provider here." for i in range(8)
    )
    doc2 = load_document(_write(tmp_path, "prose.md", prose.encode("utf-8")))
    assert len(doc2.blocks) == 8 and doc2.warnings == ()


def test_markdown_escaped_clause_numbers_and_sentence_case_headings(tmp_path: Path) -> None:
    from contractreview.segment import segment

    text = (
        "# Data Processing Agreement\n\n"
        "9\\. Data subject rights\n\n"
        "The Processor shall assist the Controller with requests from data subjects.\n\n"
        "10\\. Deletion and return of Personal Data\n\n"
        "Upon expiry of the Services the Processor shall delete all Personal Data within thirty days.\n"
    )
    doc = load_document(_write(tmp_path, "escaped.md", text.encode("utf-8")))
    clauses = segment(doc)
    headed = {c.number: c.heading for c in clauses if c.number}
    assert headed.get("9") == "Data subject rights", headed
    assert headed.get("10") == "Deletion and return of Personal Data", headed
    body = [c for c in clauses if c.number == "10"][0]
    assert "shall delete all Personal Data" in doc.text[body.start : body.end]
