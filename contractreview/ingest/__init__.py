"""``load_document``: read a contract file into a ``Document``, deciding the format from its content.

Ingestion never raises anything but :class:`~contractreview.errors.ContractReviewError` subclasses:
a hostile or broken file is a message for the user, not a traceback.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..domain import Document, Format
from ..errors import (
    ContractReviewError,
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    FileAccessError,
    UnsupportedFormatError,
)
from ..limits import Limits
from .sniff import extension_format, sniff

__all__ = ["load_document", "load_document_with_ocr", "ocr_available", "read_bytes", "vetted_bytes"]


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    for test, what in _KINDS:
        if test(mode):
            return what
    return "not a regular file"


def size_text(n: int) -> str:
    """A size for a message: MB or kB with one decimal, bytes under a kilobyte."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} kB" if n >= 1_000 else f"{n:,} bytes"


def too_large_reason(size: int, limit: int) -> str:
    """"the file is X, more than the limit of Y", with X and Y never rounded to look equal or reversed."""
    a, b = size_text(size), size_text(limit)
    if a == b:
        a, b = f"{size:,} bytes", f"{limit:,} bytes"
    return f"the file is {a}, more than the limit of {b}."


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The file's bytes, with the access and size checks every format shares.

    Only a regular file is read: a named pipe would block the reader forever and a device never ends
    (#19). The check is made on the opened descriptor (opened without blocking), so a file swapped for a
    pipe between a check and the open cannot slip through.
    """
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise FileAccessError("the file does not exist.", path, "Check the path.") from exc
    except OSError as exc:
        raise FileAccessError(f"the file cannot be opened ({exc.strerror or exc}).", path) from exc
    if stat.S_ISDIR(st.st_mode):
        raise FileAccessError("this is a folder, not a file.", path, "Open a contract file inside it.")
    if not stat.S_ISREG(st.st_mode):
        raise FileAccessError(f"this is {_not_regular(st.st_mode)}, not a regular file; it was not opened.", path)
    if st.st_size > limits.max_file_bytes:
        raise DocumentTooLargeError(
            too_large_reason(st.st_size, limits.max_file_bytes),
            path,
            "Raise CONTRACTREVIEW_MAX_FILE_BYTES if the file is trusted.",
        )
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError as exc:
        raise FileAccessError(
            "permission denied when reading the file.", path, "Check that your account may read it."
        ) from exc
    except OSError as exc:
        raise FileAccessError(f"the file cannot be read ({exc.strerror or exc}).", path) from exc
    try:
        with open(fd, "rb", closefd=True) as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise FileAccessError(f"this is {_not_regular(mode)}, not a regular file; it was not opened.", path)
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise FileAccessError(f"the file cannot be read ({exc.strerror or exc}).", path) from exc
    if len(data) > limits.max_file_bytes:
        raise DocumentTooLargeError(f"the file is larger than {size_text(limits.max_file_bytes)}.", path)
    if not data:
        raise CorruptDocumentError("the file is empty (0 bytes).", path, "Save or download it again.")
    return data


def file_sha256(path: str | Path | os.PathLike[str]) -> str | None:
    """SHA-256 of the file's bytes, the key a review is stored under; None when it cannot be read or
    is larger than the file-size limit (the ingest error will then say why)."""
    try:
        path = Path(path)
        if path.stat().st_size > Limits.from_env().max_file_bytes:
            return None
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def load_document(
    path: str | Path | os.PathLike[str],
    *,
    password: str | None = None,
    original_view: bool = False,
    limits: Limits | None = None,
) -> Document:
    """Load a PDF, DOCX, plain-text or Markdown contract.

    The format comes from the bytes (``%PDF``, a ZIP holding ``word/document.xml``, decodable text); the
    extension only separates Markdown from plain text. A file whose extension contradicts its content
    loads anyway, with a warning.

    :param password: for encrypted PDFs.
    :param original_view: DOCX only: the text before tracked changes, instead of the accepted view.
    :raises ContractReviewError: (a subclass naming the file and the reason) for anything unreadable.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    data = read_bytes(path, limits)
    return _load_data(path, data, password=password, original_view=original_view, limits=limits)


def vetted_bytes(
    path: str | Path | os.PathLike[str],
    expected_sha256: str,
    *,
    password: str | None = None,
    limits: Limits | None = None,
) -> bytes:
    """The bytes of the contract at ``path``, read once, for an exporter to re-open (#19).

    They must be the analysed document (same SHA-256) and they pass the whole ingest reader again, with
    every check it makes (regular file, size, zip members, XML entities, PDF stream budget), before a
    less careful library (python-docx, pypdf) sees them. The exporter opens these bytes, never the path,
    so the file cannot be swapped in between.

    :raises ContractReviewError: the file changed since it was analysed, or the reader refuses it.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    data = read_bytes(path, limits)
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise FileAccessError(
            "the file on disk is not the one that was analysed (its SHA-256 differs); nothing was written.",
            path,
            "Analyse the file again, then export.",
        )
    _load_data(path, data, password=password, original_view=False, limits=limits)
    return data


def _load_data(
    path: Path, data: bytes, *, password: str | None, original_view: bool, limits: Limits
) -> Document:
    sha256 = hashlib.sha256(data).hexdigest()
    from .docx import is_encrypted_ooxml

    if is_encrypted_ooxml(data):
        # Word saves a password-protected .docx as an OLE container, which the sniff below would call a
        # legacy .doc file; the user needs to hear "password", not "wrong format".
        raise EncryptedDocumentError(
            "the Word document is password-protected, and encrypted DOCX files cannot be opened here.",
            path,
            "Remove the password in Word (File > Info > Protect Document > Encrypt with Password) and open the copy.",
        )
    found = sniff(data, path.name)
    if found.format is None:
        raise UnsupportedFormatError(
            f"this is {found.foreign}, not a PDF, DOCX, text or Markdown file.",
            path,
            "Save the contract as PDF or DOCX and open that.",
        )
    warnings: list[str] = []
    claimed = extension_format(path.name)
    if (
        claimed is not None
        and claimed != found.format
        and not ({claimed, found.format} <= {Format.TXT, Format.MD})
    ):
        warnings.append(
            f"{path.name} is named like a {claimed.value.upper()} file but is a {found.format.value.upper()} file; "
            f"it was read as {found.format.value.upper()}."
        )
    try:
        if found.format == Format.PDF:
            from .pdf import load_pdf

            return load_pdf(path, data, sha256, password=password, limits=limits, warnings=warnings)
        if found.format == Format.DOCX:
            from .docx import load_docx

            doc = load_docx(path, data, sha256, original_view=original_view, limits=limits)
            if warnings:
                from dataclasses import replace

                doc = replace(doc, warnings=tuple(warnings) + tuple(doc.warnings))
            return doc
        from .text import load_text

        return load_text(path, data, sha256, fmt=found.format, limits=limits, warnings=warnings)
    except ContractReviewError:
        raise
    except MemoryError as exc:
        raise DocumentTooLargeError("the file needs more memory than is available.", path) from exc
    except RecursionError as exc:
        raise CorruptDocumentError("the file's structure is nested too deeply to read.", path) from exc
    except Exception as exc:  # noqa: BLE001 - the promise: only our own errors escape ingestion
        raise CorruptDocumentError(f"the file cannot be read ({type(exc).__name__}: {exc}).", path) from exc


OCR_TEMP_PREFIX = "contractreview-ocr-"


def sweep_stale_ocr_dirs(older_than: float = 3600.0) -> int:
    """Remove OCR work folders (they hold a copy of a contract) that a killed run left in the temp
    folder (issue #7). Only our prefix, only our own, only untouched for ``older_than`` seconds."""
    import shutil
    import tempfile
    import time

    removed = 0
    now = time.time()
    try:
        entries = list(Path(tempfile.gettempdir()).glob(OCR_TEMP_PREFIX + "*"))
    except OSError:
        return 0
    for d in entries:
        try:
            st = d.lstat()
            if d.is_symlink() or not d.is_dir() or now - st.st_mtime < older_than:
                continue
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                continue
            shutil.rmtree(d)
            removed += 1
        except OSError:
            continue
    return removed


def ocr_available() -> bool:
    """True when the ``ocrmypdf`` command is on PATH (an optional, separately installed tool)."""
    import shutil

    return shutil.which("ocrmypdf") is not None


def load_document_with_ocr(
    path: str | Path | os.PathLike[str],
    *,
    password: str | None = None,
    limits: Limits | None = None,
) -> Document:
    """Like :func:`load_document`, but a PDF with scanned pages is first run through ``ocrmypdf``.

    The OCRed copy lives in a temporary folder; the returned document keeps the original's path and
    sha256 (so stored reviews stay keyed to the file the user has) and says in a warning that its text
    came from OCR. Opt-in only: OCR text can be wrong, and reviewers must know.

    :raises NoTextLayerError: when ``ocrmypdf`` is not installed or fails.
    """
    import subprocess
    import tempfile
    from dataclasses import replace

    from ..errors import NoTextLayerError

    path = Path(path)
    limits = limits or Limits.from_env()
    sweep_stale_ocr_dirs()
    doc: Document | None = None
    try:
        doc = load_document(path, password=password, limits=limits)
    except NoTextLayerError:
        doc = None
    if doc is not None and doc.format != Format.PDF:
        return doc
    if doc is not None and all(p.has_text_layer for p in doc.pages):
        return doc
    if not ocr_available():
        raise NoTextLayerError(
            "scanned pages need OCR, but ocrmypdf is not installed.",
            path,
            "Install ocrmypdf (https://ocrmypdf.readthedocs.io) or OCR the file in another program.",
        )
    original = read_bytes(path, limits)
    with tempfile.TemporaryDirectory(prefix=OCR_TEMP_PREFIX) as tmp:
        out = Path(tmp) / "ocr.pdf"
        cmd = ["ocrmypdf", "--skip-text", "--quiet", str(path), str(out)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=limits.max_seconds)
        except subprocess.TimeoutExpired as exc:
            raise DocumentTooLargeError(
                f"OCR took longer than {limits.max_seconds:g} seconds.", path
            ) from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            reason = detail.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(exc)]
            raise NoTextLayerError(f"OCR failed ({reason[0][:200]}).", path) from exc
        ocred = load_document(out, password=password, limits=limits)
    return replace(
        ocred,
        source_path=str(path),
        sha256=hashlib.sha256(original).hexdigest(),
        warnings=(f"{path.name}: text of scanned pages comes from OCR; check quotes against the page.",)
        + tuple(w for w in ocred.warnings if "ocr.pdf" not in w),
    )
