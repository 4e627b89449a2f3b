"""Every way a file can fail to load ends in a ContractReviewError that names the file and the reason."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import docgen
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.domain import Format
from contractreview.errors import (
    ContractReviewError,
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    FileAccessError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from contractreview.ingest import load_document
from contractreview.limits import Limits


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("err") / "small.pdf"
    docgen.write_pdf(
        path, ["1. Vendor shall protect Student Data.", "2. Vendor shall delete data on request."]
    )
    return path


def test_ingest_errors_nonexistent_path(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError) as exc:
        load_document(tmp_path / "missing-contract.pdf")
    assert "missing-contract.pdf" in str(exc.value) and "does not exist" in str(exc.value)


def test_ingest_errors_directory(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="folder"):
        load_document(tmp_path)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read anything")
def test_ingest_errors_unreadable(tmp_path: Path, small_pdf: Path) -> None:
    p = tmp_path / "locked.pdf"
    p.write_bytes(small_pdf.read_bytes())
    p.chmod(0)
    with pytest.raises(FileAccessError, match="locked.pdf"):
        load_document(p)


def test_ingest_errors_zero_byte_pdf(tmp_path: Path) -> None:
    p = tmp_path / "zero.pdf"
    p.write_bytes(b"")
    with pytest.raises(CorruptDocumentError) as exc:
        load_document(p)
    assert "zero.pdf" in str(exc.value)


def test_ingest_errors_truncated_pdf(tmp_path: Path, small_pdf: Path) -> None:
    p = tmp_path / "cut.pdf"
    p.write_bytes(small_pdf.read_bytes()[:400])
    with pytest.raises(CorruptDocumentError) as exc:
        load_document(p)
    assert "cut.pdf" in str(exc.value) and "damaged" in str(exc.value)


def test_ingest_errors_half_truncated_pdf_only_our_errors(tmp_path: Path, small_pdf: Path) -> None:
    data = small_pdf.read_bytes()
    p = tmp_path / "half.pdf"
    p.write_bytes(data[: len(data) // 2])
    try:
        doc = load_document(p)
    except ContractReviewError as exc:
        assert "half.pdf" in str(exc)
    else:  # pdfium may repair it; then what it reads must be a prefix of the truth
        assert doc.format == Format.PDF


def test_ingest_errors_encrypted_pdf(tmp_path: Path, small_pdf: Path) -> None:
    enc = docgen.encrypt_pdf(small_pdf, tmp_path / "locked.pdf", "s3cret")
    with pytest.raises(EncryptedDocumentError) as exc:
        load_document(enc)
    assert not exc.value.wrong_password and "password" in str(exc.value) and "locked.pdf" in str(exc.value)
    with pytest.raises(EncryptedDocumentError) as exc2:
        load_document(enc, password="wrong")
    assert exc2.value.wrong_password
    doc = load_document(enc, password="s3cret")
    assert "Vendor shall protect Student Data." in doc.text


def test_ingest_errors_owner_password_only_opens(tmp_path: Path, small_pdf: Path) -> None:
    enc = docgen.encrypt_pdf(small_pdf, tmp_path / "restricted.pdf", "", owner_password="owner")
    assert "delete data on request" in load_document(enc).text


def test_ingest_errors_all_pages_scanned(tmp_path: Path) -> None:
    facts = docgen.scanned_pdf(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(NoTextLayerError) as exc:
        load_document(facts.path)
    assert "OCR" in str(exc.value) and "scan.pdf" in str(exc.value)


def test_ingest_errors_some_pages_scanned_warns(tmp_path: Path) -> None:
    facts = docgen.scanned_pdf(tmp_path / "mixed.pdf", pages=3, text_pages=[1, 3])
    doc = load_document(facts.path)
    assert [p.has_text_layer for p in doc.pages] == [True, False, True]
    assert any("page(s) 2 " in w and "OCR" in w for w in doc.warnings)
    assert "Page 3 has a real text layer" in doc.text


def test_ingest_errors_pdf_named_txt_loads_as_pdf(tmp_path: Path, small_pdf: Path) -> None:
    p = tmp_path / "contract.txt"
    p.write_bytes(small_pdf.read_bytes())
    doc = load_document(p)
    assert doc.format == Format.PDF
    assert any("named like a TXT" in w for w in doc.warnings)


def test_ingest_errors_text_named_pdf_loads_as_text(tmp_path: Path) -> None:
    p = tmp_path / "terms.pdf"
    p.write_text("1. The vendor keeps data safe.\n", encoding="utf-8")
    doc = load_document(p)
    assert doc.format == Format.TXT and any("named like a PDF" in w for w in doc.warnings)


def test_ingest_errors_docx_named_pdf_loads_as_docx(tmp_path: Path) -> None:
    pytest.importorskip("contractreview.ingest.docx")
    import docx

    d = docx.Document()
    d.add_paragraph("The vendor shall notify the district of a breach.")
    p = tmp_path / "dpa.pdf"
    d.save(str(p))
    doc = load_document(p)
    assert doc.format == Format.DOCX
    assert "notify the district" in doc.text
    assert any("named like a PDF" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word"),
        ("scan.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        ("blob.txt", bytes(range(256)) * 4, "binary"),
    ],
)
def test_ingest_errors_unsupported_formats(tmp_path: Path, name: str, data: bytes, what: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(UnsupportedFormatError) as exc:
        load_document(p)
    assert what in str(exc.value) and name in str(exc.value)


def test_ingest_errors_zip_without_word_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    p = tmp_path / "archive.docx"
    p.write_bytes(buf.getvalue())
    with pytest.raises(UnsupportedFormatError, match="ZIP"):
        load_document(p)


def test_ingest_errors_limits(tmp_path: Path, small_pdf: Path) -> None:
    facts = docgen.contract_pdf(tmp_path / "three.pdf", pages=3)
    with pytest.raises(DocumentTooLargeError, match="pages"):
        load_document(facts.path, limits=Limits(max_pages=2))
    with pytest.raises(DocumentTooLargeError, match=r"the file is [0-9.]+ kB, more than the limit of 100 bytes"):
        load_document(small_pdf, limits=Limits(max_file_bytes=100))
    with pytest.raises(DocumentTooLargeError, match="seconds"):
        load_document(facts.path, limits=Limits(max_seconds=0.0))


def test_ingest_errors_giant_page(tmp_path: Path) -> None:
    facts = docgen.giant_page_pdf(tmp_path / "huge.pdf")
    with pytest.raises(DocumentTooLargeError, match="page 1"):
        load_document(facts.path)


def test_ingest_errors_javascript_and_attachments_warn(tmp_path: Path, small_pdf: Path) -> None:
    p = docgen.add_javascript_and_attachment(small_pdf, tmp_path / "js.pdf")
    doc = load_document(p)
    assert any("JavaScript" in w for w in doc.warnings)
    assert any("embedded files" in w for w in doc.warnings)
    assert "protect Student Data" in doc.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.tuples(st.integers(0, 4000), st.binary(min_size=0, max_size=8)), max_size=6),
    name=st.sampled_from(["a.pdf", "a.txt", "a.md", "a.docx", "a"]),
)
def test_ingest_errors_mutated_pdf_only_raises_our_errors(
    tmp_path: Path, small_pdf: Path, cuts: list[tuple[int, bytes]], name: str
) -> None:
    data = bytearray(small_pdf.read_bytes())
    for pos, junk in cuts:
        pos = pos % max(1, len(data))
        data[pos : pos + len(junk)] = junk
    p = tmp_path / name
    p.write_bytes(bytes(data))
    try:
        doc = load_document(p)
    except ContractReviewError:
        return
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(doc.text)


def test_ingest_errors_scans_stamped_with_page_numbers(tmp_path: Path) -> None:
    facts = docgen.scanned_pdf(tmp_path / "stamped.pdf", pages=3, stamp=True)
    with pytest.raises(NoTextLayerError):
        load_document(facts.path)
    facts = docgen.scanned_pdf(tmp_path / "stamped2.pdf", pages=3, text_pages=[2], stamp=True)
    doc = load_document(facts.path)
    assert [p.has_text_layer for p in doc.pages] == [False, True, False]
    assert any("page(s) 1, 3 " in w for w in doc.warnings)


def test_ingest_errors_ocr_path_without_ocrmypdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from contractreview.ingest import load_document_with_ocr

    monkeypatch.setattr(shutil, "which", lambda name: None)
    facts = docgen.scanned_pdf(tmp_path / "scan.pdf", pages=1)
    with pytest.raises(NoTextLayerError, match="ocrmypdf is not installed"):
        load_document_with_ocr(facts.path)
    # files that need no OCR load as usual, without calling the tool
    text = docgen.write_pdf(tmp_path / "text.pdf", ["1. Vendor shall protect data."])
    assert "protect data" in load_document_with_ocr(text.path).text


@pytest.mark.slow
def test_ingest_errors_ocr_path_with_ocrmypdf(tmp_path: Path) -> None:
    from contractreview.ingest import load_document_with_ocr, ocr_available

    if not ocr_available():
        pytest.skip("ocrmypdf is not installed")
    facts = docgen.scanned_pdf(tmp_path / "scan.pdf", pages=2, text_pages=[1])
    doc = load_document_with_ocr(facts.path)
    assert doc.source_path == str(facts.path)
    assert any("OCR" in w for w in doc.warnings)


def test_ingest_cli_password_and_errors(
    tmp_path: Path, small_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from contractreview.cli import main

    enc = docgen.encrypt_pdf(small_pdf, tmp_path / "locked.pdf", "s3cret")
    assert main(["ingest", str(enc)]) == 2
    assert "locked.pdf" in capsys.readouterr().err
    assert main(["ingest", str(enc), "--password", "nope"]) == 2
    assert "wrong" in capsys.readouterr().err
    assert main(["ingest", str(enc), "--password", "s3cret", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "locked.pdf" and [c["number"] for c in data["clauses"]] == ["1", "2"]


# --------------------------------------------------------------------------- QA additions (#2, #7)


def test_ingest_errors_encrypted_docx_asks_for_password_not_format(tmp_path: Path) -> None:
    """Word saves a password-protected .docx as an OLE container; that must read as 'password', not '.doc'."""
    import docgen_docx

    p = tmp_path / "locked vendor DPA.docx"
    p.write_bytes(docgen_docx.encrypted_ooxml())
    with pytest.raises(EncryptedDocumentError) as exc:
        load_document(p)
    msg = str(exc.value)
    assert "locked vendor DPA.docx" in msg and "password" in msg
    assert "legacy" not in msg and ".doc)" not in msg
    # Whatever it is named: the content decides.
    q = tmp_path / "renamed.pdf"
    q.write_bytes(p.read_bytes())
    with pytest.raises(EncryptedDocumentError, match="renamed.pdf"):
        load_document(q)


def test_ingest_errors_legacy_doc_still_unsupported(tmp_path: Path) -> None:
    import struct

    # A CFB whose directory names a WordDocument stream, no EncryptionInfo: a genuine Word 97 file.
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3)).ljust(512, b"\x00")
    name = "WordDocument\x00".encode("utf-16-le")
    p = tmp_path / "old.doc"
    p.write_bytes(header + name.ljust(512, b"\x00") + bytes(1024))
    with pytest.raises(UnsupportedFormatError, match="legacy Word"):
        load_document(p)


def _many_pages_pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(612, 792))
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(72, 400, f"{n}. The Vendor shall protect Student Data under section {n}.")
        c.drawString(72, 386, f"Duty {n} covers {('records', 'logs', 'backups', 'exports')[n % 4]} kept for the District.")
        c.setFont("Helvetica", 8)
        c.drawCentredString(306, 30, f"Page {n} of {pages}")
        c.showPage()
    c.save()
    return path


def test_ingest_errors_thousand_page_pdf(tmp_path: Path) -> None:
    """Issue #7: a 1,000-page PDF loads within the default limits, in bounded time, or is refused by max_pages."""
    import time

    p = _many_pages_pdf(tmp_path / "thousand.pdf", 1000)
    t0 = time.perf_counter()
    doc = load_document(p)
    elapsed = time.perf_counter() - t0
    assert len(doc.pages) == 1000
    assert "section 1000." in doc.text and "section 1." in doc.text
    assert elapsed < 30, f"1,000 pages took {elapsed:.1f} s"
    with pytest.raises(DocumentTooLargeError) as exc:
        load_document(p, limits=Limits(max_pages=999))
    assert "thousand.pdf" in str(exc.value) and "1000" in str(exc.value).replace(",", "")


def test_ingest_errors_text_only_in_header_band_is_not_called_scanned(tmp_path: Path) -> None:
    """Regression: one numbered line near the top of every page was all taken as running headers,
    and the PDF was refused as having 'no text layer' although every page has text."""
    from reportlab.pdfgen import canvas

    p = tmp_path / "short-pages.pdf"
    c = canvas.Canvas(str(p), pagesize=(612, 792))
    for n in range(1, 6):
        c.setFont("Helvetica", 11)
        c.drawString(72, 720, f"{n}. The Vendor shall protect Student Data under section {n}.")
        c.showPage()
    c.save()
    doc = load_document(p)
    assert all(pg.has_text_layer for pg in doc.pages)
    for n in range(1, 6):
        assert f"under section {n}." in doc.text


def _hostile_inputs(tmp: Path, small_pdf: Path) -> dict[str, Path]:
    import docgen_docx as g

    made: dict[str, bytes] = {
        "zero.pdf": b"",
        "truncated.pdf": small_pdf.read_bytes()[:300],
        "locked.docx": g.encrypted_ooxml(),
        "bomb.docx": g.raw_zip_prepacked([g.zero_bomb_member("word/document.xml", 3)]),
        "xxe.docx": g.xxe_docx(),
        "laughs.docx": g.billion_laughs_docx(),
        "macros.docm": g.macro_docx(),
        "random.docx": bytes(range(256)) * 20,
        "latin1.txt": b"\x00\x01binary\xff" * 50,
        "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1536),
    }
    out = {}
    for name, data in made.items():
        (tmp / name).write_bytes(data)
        out[name] = tmp / name
    out["missing.pdf"] = tmp / "missing.pdf"
    (tmp / "a folder.pdf").mkdir()
    out["a folder.pdf"] = tmp / "a folder.pdf"
    enc = docgen.encrypt_pdf(small_pdf, tmp / "locked.pdf", "s3cret")
    out["locked.pdf"] = enc
    return out


def test_ingest_cli_hostile_inputs_exit_2_with_one_line_naming_the_file(
    tmp_path: Path, small_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue #7: every bad input gives exit 2 and exactly one stderr line naming the file and the reason,
    and no contract text or traceback."""
    from contractreview.cli import main

    capsys.readouterr()
    for name, path in _hostile_inputs(tmp_path, small_pdf).items():
        code = main(["ingest", str(path)])
        cap = capsys.readouterr()
        lines = cap.err.strip().splitlines()
        assert code == 2, (name, cap.err)
        assert len(lines) == 1, (name, lines)
        assert name in lines[0], (name, lines[0])
        assert "Traceback" not in cap.err and cap.out == ""
        reason = lines[0].split(name, 1)[1]
        assert len(reason.strip(" :.")) > 10, (name, lines[0])


def test_ingest_ocr_sweeps_work_folders_a_killed_run_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #7: temp files are removed after a crash on the next run. An OCR work folder holds a copy
    of a contract; a stale one is removed, a fresh one (another run) and unrelated folders are kept."""
    import tempfile
    import time

    from contractreview.ingest import load_document_with_ocr

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / "contractreview-ocr-abc"
    stale.mkdir()
    (stale / "ocr.pdf").write_bytes(b"%PDF-1.4 contract copy")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = tmp_path / "contractreview-ocr-def"
    fresh.mkdir()
    other = tmp_path / "someone-else"
    other.mkdir()
    os.utime(other, (old, old))
    txt = tmp_path / "terms.txt"
    txt.write_text("1. The Vendor shall protect Student Data.\n", encoding="utf-8")
    doc = load_document_with_ocr(txt)
    assert "protect Student Data" in doc.text
    assert not stale.exists() and fresh.exists() and other.exists()
