"""Decide a file's format from its bytes; the extension only breaks ties.

Vendors e-mail DOCX files renamed ``.pdf`` and PDFs saved as ``.txt``; trusting the content keeps those
loading (with a warning) and keeps binary junk from being "read" as text.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..domain import Format

_TEXT_EXTENSIONS = {
    ".txt": Format.TXT,
    ".text": Format.TXT,
    ".md": Format.MD,
    ".markdown": Format.MD,
    ".html": Format.MD,  # saved web pages are reduced to Markdown-like text by the text reader
    ".htm": Format.MD,
}
_EXT_FORMAT = {".pdf": Format.PDF, ".docx": Format.DOCX, ".docm": Format.DOCX, **_TEXT_EXTENSIONS}

# Magic numbers of formats people try to open that we do not read; the name goes into the message.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Word/Office (.doc) file"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the bytes say the file is; ``foreign`` names an unsupported format when recognised."""

    format: Format | None
    foreign: str = ""
    detail: str = ""


def extension_format(name: str) -> Format | None:
    lower = name.lower()
    for ext, fmt in _EXT_FORMAT.items():
        if lower.endswith(ext):
            return fmt
    return None


def _zip_kind(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Sniffed(None, "a damaged ZIP archive", "zip")
    if "word/document.xml" in names:
        return Sniffed(Format.DOCX)
    if "xl/workbook.xml" in names:
        return Sniffed(None, "an Excel workbook (.xlsx)")
    if "ppt/presentation.xml" in names:
        return Sniffed(None, "a PowerPoint file (.pptx)")
    if "content.xml" in names and "mimetype" in names:
        return Sniffed(None, "an OpenDocument file")
    return Sniffed(None, "a ZIP archive")


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not plausibly text in any encoding we read.

    UTF-16 is recognised only with a byte-order mark, so NUL bytes otherwise mean binary.
    """
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(4, len(head) // 100)


# How far into a file a PDF header is looked for. Viewers accept junk before ``%PDF-`` (a mail gateway's
# banner, an HTTP response header saved with the file); beyond the first kilobyte a trailer must confirm.
PDF_HEADER_SEARCH = 1024 * 1024


def pdf_header_offset(data: bytes) -> int:
    """Where the PDF starts in ``data`` (the ``%PDF-`` header), or -1 when it is not a PDF.

    Within the first kilobyte the header alone decides (as in every PDF reader); further in, the file
    must also end like a PDF (``%%EOF`` in its last kilobyte), so that a text file quoting "%PDF-1.7"
    stays text.
    """
    at = data.find(b"%PDF-", 0, 1024)
    if at >= 0:
        return at
    at = data.find(b"%PDF-", 0, PDF_HEADER_SEARCH)
    if at >= 0 and b"%%EOF" in data[-1024:]:
        return at
    return -1


def sniff(data: bytes, name: str = "") -> Sniffed:
    """Classify ``data``; ``name`` decides only between plain text and Markdown."""
    if b"%PDF-" in data[:1024]:
        return Sniffed(Format.PDF)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return Sniffed(None, what)
    if pdf_header_offset(data) >= 0:  # a PDF behind more than a kilobyte of junk
        return Sniffed(Format.PDF)
    if looks_binary(data):
        return Sniffed(None, "binary data, not text")
    ext = extension_format(name)
    if ext in (Format.TXT, Format.MD):
        return Sniffed(ext)
    return Sniffed(Format.MD if _looks_markdown(data) else Format.TXT)


def _looks_markdown(data: bytes) -> bool:
    sample = data[:8192].decode("utf-8", "ignore")
    lines = sample.splitlines()
    marks = sum(1 for ln in lines if ln.startswith(("# ", "## ", "### ", "* ", "- ")) or "](" in ln)
    return marks >= 2
