"""The one way an exporter re-opens the vendor's file (#19)."""

from __future__ import annotations

from pathlib import Path

from ..domain import Analysis
from ..errors import ContractReviewError, ExportError


def analysed_bytes(analysis: Analysis, source: Path, password: str | None = None) -> bytes:
    """The bytes of ``source``, read once through the ingest reader and checked to be the analysed
    document (same SHA-256); annotators open these bytes, never the path.

    :raises ExportError: the file changed since the analysis, or the reader refuses it (named, one line).
    """
    from ..ingest import vetted_bytes

    try:
        return vetted_bytes(source, analysis.document.sha256, password=password)
    except ExportError:
        raise
    except ContractReviewError as exc:
        raise ExportError(exc.reason, source, exc.hint) from exc
