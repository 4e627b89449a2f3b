"""Hostile files for the second hardening round (#19), generated in milliseconds.

A real compression bomb: a PDF whose one content stream inflates to ``decoded`` bytes. The deflate data is
built from one repeated block (full flushes make every 1 MB block of spaces compress to the same bytes),
so a 2 GB bomb costs 2 MB and a fraction of a second to write.
"""

from __future__ import annotations

import struct
import zlib

_MB = 1 << 20


def deflate_bomb(decoded_mb: int, byte: bytes = b" ") -> bytes:
    chunk = byte * _MB
    c = zlib.compressobj(9)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    one = zlib.adler32(chunk)
    # adler32 of n identical chunks, without hashing n megabytes: combine chunk by chunk (cheap arithmetic).
    for _ in range(decoded_mb):
        adler = _adler_combine(adler, one, _MB)
    return first + block * (decoded_mb - 1) + b"\x03\x00" + struct.pack(">I", adler)


def _adler_combine(a1: int, a2: int, len2: int) -> int:
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % base
    s1 += (a2 & 0xFFFF) + base - 1
    s2 += (a1 >> 16) + (a2 >> 16) + base - rem
    s1 %= base
    s2 %= base
    return (s2 << 16) | s1


def pdf_with_streams(contents: list[bytes], *, filters: bytes = b"/FlateDecode", prefix: bytes = b"") -> bytes:
    """A one-page PDF whose /Contents are the given (already encoded) streams, each under ``filters``."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 "
        + b"%d 0 R >> >> /Contents [%s] >>" % (4 + n, kids),
    ]
    for s in contents:
        objs.append(b"<< /Length %d /Filter %s >>\nstream\n" % (len(s), filters) + s + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(prefix + b"%PDF-1.4\n")
    base = len(prefix)
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out) - base)
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out) - base
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def text_content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def pdf_drawing_forms(levels: list[int], form_body: bytes, *, lines: list[str] | None = None) -> bytes:
    """A one-page PDF whose page draws form 1 ``levels[0]`` times, form 1 draws form 2 ``levels[1]`` times,
    and so on; the last form holds ``form_body``. A few kilobytes that pdfium parses
    ``prod(levels) * len(form_body)`` bytes for."""
    n = len(levels)
    first_form = 6  # objects: 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6.. forms

    def draws(name: str, times: int) -> bytes:
        return b"q /%s Do Q\n" % name.encode() * times

    content = text_content(lines or ["Provider shall delete Student Data within thirty (30) days."]) + b"\n"
    content += draws("Fm0", levels[0])
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
        + b"/XObject << /Fm0 %d 0 R >> >> /Contents 4 0 R >>" % first_form,
        _flate_stream(content, b""),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for k in range(n):
        body = draws("Fm0", levels[k + 1]) if k + 1 < n else form_body
        resources = b"/Resources << /XObject << /Fm0 %d 0 R >> >> " % (first_form + k + 1) if k + 1 < n else b""
        objs.append(_flate_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] " + resources))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _flate_stream(body: bytes, extra: bytes) -> bytes:
    data = zlib.compress(body)
    return b"<< %s/Length %d /Filter /FlateDecode >>\nstream\n" % (extra, len(data)) + data + b"\nendstream"


def markup_heavy_docx(xml_bytes: int) -> bytes:
    """A DOCX whose document.xml is ``xml_bytes`` of one-letter runs, each with its own formatting: little
    text, a great many XML elements (compressing about 6:1, well inside the zip ratio limit)."""
    import io
    import random
    import zipfile

    rng = random.Random(19)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    variants = [
        f'<w:r><w:rPr><w:sz w:val="{rng.randint(10, 99)}"/><w:color w:val="{rng.randint(0, 0xFFFFFF):06X}"/>'
        f"</w:rPr><w:t>{chr(97 + rng.randint(0, 25))}</w:t></w:r>"
        for _ in range(4096)
    ]
    per_para = 100
    n_runs = xml_bytes // (sum(map(len, variants[:64])) // 64)
    runs = rng.choices(variants, k=n_runs)
    body = "".join(
        "<w:p>" + "".join(runs[i : i + per_para]) + "</w:p>" for i in range(0, len(runs), per_para)
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>'
        f"<w:p><w:r><w:t>1. Provider shall delete Student Data within thirty (30) days.</w:t></w:r></w:p>"
        f"{body}</w:body></w:document>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        z.writestr("word/document.xml", document)
    return out.getvalue()
