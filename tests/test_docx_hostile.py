"""Hostile and broken DOCX input (#7): each is refused with our own error type, naming the file, quickly,
without a memory blow-up, and without resolving any entity or fetching any external resource."""

from __future__ import annotations

import hashlib
import io
import socket
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docgen_docx as gen
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.errors import (
    ContractReviewError,
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    HostileDocumentError,
)
from contractreview.ingest.docx import MAX_ZIP_MEMBERS, is_encrypted_ooxml, load_docx
from contractreview.limits import Limits


def load(
    data: bytes, name: str = "vendor.docx", *, limits: Limits | None = None, original_view: bool = False
):
    return load_docx(
        Path(name),
        data,
        hashlib.sha256(data).hexdigest(),
        original_view=original_view,
        limits=limits or Limits(),
    )


def refuses(
    error: type[ContractReviewError], data: bytes, name: str = "vendor.docx", *, match: str = "", limits=None
):
    """Assert the refusal: right type, file named, under 2 s and under 64 MB of Python allocations."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(error) as info:
            load(data, name, limits=limits)
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith(f"{name}: "), message
    if match:
        assert match in message, message
    assert elapsed < 2.0, f"took {elapsed:.2f} s"
    assert peak < 64 * 1024 * 1024 + 3 * len(data), f"peak {peak / 1e6:.0f} MB"
    return info.value


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def _packed(name: str, body: bytes) -> tuple[str, bytes, int, int]:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, comp.compress(body) + comp.flush(), len(body), zlib.crc32(body) & 0xFFFFFFFF


# --------------------------------------------------------------------------- zip bombs


def test_docx_hostile_zip_bomb_gigabytes_refused_before_inflating():
    bomb = gen.zero_bomb_member("word/media/image1.png", gigabytes=2)
    data = gen.raw_zip_prepacked([_packed(n, b) for n, b in gen.zip_members(gen.simple_docx())] + [bomb])
    assert len(data) < 4 * 1024 * 1024  # a few MB on disk ...
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("word/media/image1.png").file_size == 2 * 1024**3  # ... two gigabytes inflated
    refuses(HostileDocumentError, data, match="zip bomb")


def test_docx_hostile_zip_bomb_in_document_xml():
    members = [_packed(n, b) for n, b in gen.zip_members(gen.simple_docx()) if n != "word/document.xml"]
    members.append(gen.zero_bomb_member("word/document.xml", gigabytes=1))
    refuses(HostileDocumentError, gen.raw_zip_prepacked(members), match="zip bomb")


def test_docx_hostile_declared_size_lies():
    """A part declares 2 KB but inflates to 50 MB: reading stops at the declared size."""
    members = []
    for name, body in gen.zip_members(gen.simple_docx()):
        if name == "word/document.xml":
            huge = body.replace(b"</w:body>", b"<!--" + b"x" * (50 * 1024 * 1024) + b"--></w:body>")
            members.append((name, huge, 2048))
        else:
            members.append((name, body))
    refuses(HostileDocumentError, gen.raw_zip(members, level=1), match="declared size")


def test_docx_hostile_total_inflated_size_over_limit():
    members = gen.zip_members(gen.simple_docx())
    # 6 MB of incompressible-ish filler: fine by ratio, too much for a 4 MB budget
    filler = hashlib.sha256(b"seed").digest() * (6 * 1024 * 1024 // 32)
    data = gen.raw_zip(members + [("word/media/filler.bin", filler)], level=0)
    refuses(
        HostileDocumentError,
        data,
        limits=Limits(max_docx_uncompressed_bytes=4 * 1024 * 1024),
        match="zip bomb",
    )
    load(data)  # the same file is fine under the default limits


def test_docx_hostile_too_many_members():
    members = gen.zip_members(gen.simple_docx())
    members += [(f"customXml/item{i}.xml", b"<a/>") for i in range(MAX_ZIP_MEMBERS + 1)]
    refuses(HostileDocumentError, gen.raw_zip(members), match="members")


# --------------------------------------------------------------------------- XML attacks


@pytest.mark.parametrize(
    "maker",
    [
        pytest.param(lambda: gen.xxe_docx("file"), id="xxe-file"),
        pytest.param(lambda: gen.xxe_docx("network"), id="xxe-network-dtd"),
        pytest.param(gen.billion_laughs_docx, id="billion-laughs"),
        pytest.param(lambda: gen.billion_laughs_docx(utf16=True), id="billion-laughs-utf16"),
        pytest.param(gen.entity_in_styles_docx, id="dtd-in-styles"),
    ],
)
def test_docx_hostile_dtd_refused_without_resolving(maker, no_network):
    error = refuses(HostileDocumentError, maker(), match="DOCTYPE")
    assert "root:" not in str(error)  # nothing of /etc/passwd
    assert no_network == []


def test_docx_hostile_dtd_in_comments_part_refused():
    data = gen.contract_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        comments = zf.read("word/comments.xml")
    evil = comments.replace(b"?>", b'?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>', 1)
    refuses(
        HostileDocumentError, gen.rewrite_zip(data, replace={"word/comments.xml": evil}), match="comments.xml"
    )


def test_docx_hostile_deeply_nested_xml():
    nested = (
        "<w:sdt><w:sdtContent>" * 5000
        + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
        + "</w:sdtContent></w:sdt>" * 5000
    )
    xml = f'<?xml version="1.0"?><w:document {gen.NSDECL}><w:body>{nested}</w:body></w:document>'
    with pytest.raises(ContractReviewError) as info:
        load(gen.with_document_xml(xml), "deep.docx")
    assert str(info.value).startswith("deep.docx: ")


# --------------------------------------------------------------------------- macros and links


def test_docx_hostile_macros_vba_project():
    refuses(HostileDocumentError, gen.macro_docx(), "invoice.docx", match="macros")


def test_docx_hostile_docm_extension():
    refuses(HostileDocumentError, gen.simple_docx(), "terms.docm", match="macros")


def test_docx_hostile_macro_content_type_only():
    def ct(old: bytes) -> bytes:
        return old.replace(b"document.main+xml", b"document.macroEnabled.main+xml").replace(
            b"officedocument.wordprocessingml.document.macroEnabled", b"ms-word.document.macroEnabled"
        )

    refuses(
        HostileDocumentError,
        gen.rewrite_zip(gen.simple_docx(), replace={"[Content_Types].xml": ct}),
        match="macros",
    )


def test_docx_hostile_external_relationships_warned_never_fetched(no_network):
    doc = load(gen.external_links_docx(), "linked.docx")
    assert doc.text == "The Provider shall not sell Student Data."
    warning = next(w for w in doc.warnings if "external" in w)
    assert "2 external" in warning and "image" in warning and "attachedTemplate" in warning
    assert "not fetched" in warning
    assert no_network == []


# --------------------------------------------------------------------------- encrypted, corrupt


def test_docx_hostile_encrypted_ooxml():
    data = gen.encrypted_ooxml()
    assert is_encrypted_ooxml(data)
    err = refuses(EncryptedDocumentError, data, "locked.docx", match="password")
    assert "Remove the password" in str(err)


def test_docx_is_encrypted_ooxml_false_for_others():
    assert not is_encrypted_ooxml(gen.simple_docx())
    assert not is_encrypted_ooxml(b"")
    legacy_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048) + "WordDocument".encode("utf-16-le")
    assert not is_encrypted_ooxml(legacy_doc)
    refuses(CorruptDocumentError, legacy_doc, "old.docx", match=".doc")


@pytest.mark.parametrize(
    ("label", "maker", "match"),
    [
        ("zero-bytes", lambda: b"", "zip"),
        ("random", lambda: bytes(range(256)) * 40, "zip"),
        ("truncated", lambda: gen.simple_docx()[:3000], "zip"),
        (
            "no-document-xml",
            lambda: gen.rewrite_zip(gen.simple_docx(), drop=["word/document.xml"]),
            "document.xml",
        ),
        ("broken-xml", lambda: gen.with_document_xml(b"<w:document><w:body><w:p>"), "well-formed"),
        ("not-wordml", lambda: gen.with_document_xml(b"<html><body>hi</body></html>"), "document body"),
        (
            "bad-crc",
            lambda: gen.raw_zip(
                [(n, b) for n, b in gen.zip_members(gen.simple_docx()) if n != "word/document.xml"]
                + [("word/document.xml", b"<x/>", 5)]
            ),
            "document.xml",
        ),
    ],
)
def test_docx_hostile_corrupt_files(label, maker, match):
    refuses(CorruptDocumentError, maker(), f"{label}.docx", match=match)


def test_docx_hostile_unsupported_compression():
    data = bytearray(gen.raw_zip(gen.zip_members(gen.simple_docx())))
    # switch every member's method from deflate (8) to bzip2 (12) in the central directory
    i = data.find(b"PK\x01\x02")
    while i != -1:
        data[i + 10 : i + 12] = (12).to_bytes(2, "little")
        i = data.find(b"PK\x01\x02", i + 4)
    refuses(CorruptDocumentError, bytes(data), match="compression")


def test_docx_hostile_time_limit():
    with pytest.raises(DocumentTooLargeError, match="slow.docx"):
        load(gen.long_docx(pages=20), "slow.docx", limits=Limits(max_seconds=0.0))


def test_docx_hostile_page_limit():
    with pytest.raises(DocumentTooLargeError, match="pages"):
        load(gen.long_docx(pages=30), "many.docx", limits=Limits(max_pages=10))


# --------------------------------------------------------------------------- fuzzing

_BASE = gen.contract_docx()
with zipfile.ZipFile(io.BytesIO(_BASE)) as _zf:
    _DOCUMENT_XML = _zf.read("word/document.xml")
    _NUMBERING_XML = _zf.read("word/numbering.xml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(_BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8),
    st.integers(100, len(_BASE)),
)
def test_docx_fuzz_zip_bytes_only_our_errors(flips, cut):
    data = bytearray(_BASE[:cut])
    for pos, value in flips:
        if pos < len(data):
            data[pos] = value
    try:
        load(bytes(data))
    except ContractReviewError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["word/document.xml", "word/numbering.xml"]),
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 8), st.binary(min_size=0, max_size=12)),
        min_size=1,
        max_size=6,
    ),
)
def test_docx_fuzz_xml_parts_only_our_errors(part, edits):
    """Mutations inside the XML (re-zipped, so they pass the CRC and reach the parser and numbering)."""
    body = bytearray(_DOCUMENT_XML if part == "word/document.xml" else _NUMBERING_XML)
    for where, cut, insert in edits:
        pos = int(where * (len(body) - 1))
        body[pos : pos + cut] = insert
    try:
        doc = load(gen.rewrite_zip(_BASE, replace={part: bytes(body)}))
    except ContractReviewError:
        return
    for b in doc.blocks:
        assert doc.text[b.start : b.end].strip()
    for c in doc.comments:
        assert 0 <= c.start <= c.end <= len(doc.text)
