"""Error types with messages for people. The CLI maps them to exit codes; the GUI shows a dialog.

Every message names the file (when there is one) and says what to do next.
"""

from __future__ import annotations

from pathlib import Path

from .textsafe import one_line


class ContractReviewError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 2

    def __init__(self, reason: str, path: str | Path | None = None, hint: str = "") -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{one_line(Path(self.path).name)}: " if self.path else ""
        tail = f" {self.hint}" if self.hint else ""
        return f"{where}{self.reason}{tail}"

    def __str__(self) -> str:
        return self.message


class InputError(ContractReviewError):
    """A contract file that cannot be read as asked."""


class FileAccessError(InputError):
    """The path does not exist, is a directory, or cannot be read."""


class UnsupportedFormatError(InputError):
    """Not a PDF, DOCX, plain-text or Markdown file."""


class CorruptDocumentError(InputError):
    """The file claims a format but its content is broken."""


class EncryptedDocumentError(InputError):
    """A password is needed (or the one given is wrong)."""

    def __init__(self, reason: str, path: str | Path | None = None, hint: str = "", *, wrong_password: bool = False) -> None:
        self.wrong_password = wrong_password
        super().__init__(reason, path, hint or "Open it again with the password (--password).")


class NoTextLayerError(InputError):
    """A scanned, image-only PDF: it has no text to analyse until it is OCRed."""

    def __init__(self, reason: str, path: str | Path | None = None, hint: str = "") -> None:
        super().__init__(
            reason,
            path,
            hint or "OCR is needed: run it through ocrmypdf (or open with --ocr if ocrmypdf is installed).",
        )


class DocumentTooLargeError(InputError):
    """The file exceeds a configured size, page or time limit."""


class HostileDocumentError(InputError):
    """The file contains something dangerous (zip bomb, XML entity expansion, macros)."""


class LibraryValidationError(ContractReviewError):
    """A clause library file is invalid; the message names the file and the field."""

    def __init__(self, reason: str, path: str | Path | None = None, field: str = "") -> None:
        self.field = field
        where = f" (field '{field}')" if field else ""
        super().__init__(f"{reason}{where}", path)

    @property
    def message(self) -> str:
        where = f"{one_line(self.path)}: " if self.path else ""
        return f"{where}{self.reason}"


class UnknownProfileError(ContractReviewError):
    """The requested profile does not exist in the library."""


class StoreError(ContractReviewError):
    """The review database cannot be used."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer ContractReview."""


class ExportError(ContractReviewError):
    """An export could not be written."""


class Cancelled(ContractReviewError):
    """A long operation was cancelled by the user."""

    exit_code = 130
