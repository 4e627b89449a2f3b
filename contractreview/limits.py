"""Configurable limits that keep hostile or huge files from hanging or exhausting the machine."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024  # 200 MB on disk
    max_pages: int = 2000
    max_seconds: float = 180.0  # wall time for ingesting one file
    max_text_chars: int = 20_000_000
    max_docx_uncompressed_bytes: int = 300 * 1024 * 1024  # sum of zip members once inflated
    max_docx_ratio: int = 200  # inflate ratio of any single zip member
    max_docx_xml_bytes: int = 32 * 1024 * 1024  # one XML part, parsed as a tree (about 16x in memory, #19)
    max_page_area_pt2: float = 200.0 * 72 * 200 * 72  # a page larger than 200 in x 200 in is refused
    # PDF streams once inflated (#19). pdfium's memory follows the content it parses (about 20 bytes per
    # byte of dense drawing operators), so content is budgeted tightly: one content stream, one page's
    # content streams together, and (twice that) all form XObjects. Fonts and object streams are not
    # drawn and get the larger per-stream budget; everything together is bounded for time.
    max_pdf_content_bytes: int = 16 * 1024 * 1024
    max_pdf_stream_bytes: int = 64 * 1024 * 1024
    max_pdf_decoded_bytes: int = 512 * 1024 * 1024
    # Ingest and analysis together, wall time (#19): a huge text or DOCX stops cleanly instead of running on.
    max_analysis_seconds: float = 600.0

    @classmethod
    def from_env(cls) -> Limits:
        """Limits with overrides from CONTRACTREVIEW_MAX_* environment variables."""
        base = cls()
        return cls(
            max_file_bytes=_env_int("CONTRACTREVIEW_MAX_FILE_BYTES", base.max_file_bytes),
            max_pages=_env_int("CONTRACTREVIEW_MAX_PAGES", base.max_pages),
            max_seconds=float(_env_int("CONTRACTREVIEW_MAX_SECONDS", int(base.max_seconds))),
            max_text_chars=_env_int("CONTRACTREVIEW_MAX_TEXT_CHARS", base.max_text_chars),
            max_docx_uncompressed_bytes=_env_int(
                "CONTRACTREVIEW_MAX_DOCX_UNCOMPRESSED", base.max_docx_uncompressed_bytes
            ),
            max_docx_ratio=base.max_docx_ratio,
            max_docx_xml_bytes=_env_int("CONTRACTREVIEW_MAX_DOCX_XML_BYTES", base.max_docx_xml_bytes),
            max_page_area_pt2=base.max_page_area_pt2,
            max_pdf_content_bytes=_env_int("CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES", base.max_pdf_content_bytes),
            max_pdf_stream_bytes=_env_int("CONTRACTREVIEW_MAX_PDF_STREAM_BYTES", base.max_pdf_stream_bytes),
            max_pdf_decoded_bytes=_env_int("CONTRACTREVIEW_MAX_PDF_DECODED_BYTES", base.max_pdf_decoded_bytes),
            max_analysis_seconds=float(
                _env_int("CONTRACTREVIEW_MAX_ANALYSIS_SECONDS", int(base.max_analysis_seconds))
            ),
        )


DEFAULT_LIMITS = Limits()
