"""Exports reviewers hand on (issue #6): gap summary, annotated contract, change request, portfolio.

Every export is built from one :class:`~contractreview.export.model.ReportModel`, so all formats say
the same thing in the same order. All writes are atomic (a temporary file in the destination folder,
then ``os.replace``) and the files are private to the user (mode 0600). The original contract is only
ever read.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping, Sequence
from pathlib import Path

from ..domain import Analysis, Annotation, Progress, ReportMeta, ReviewDecision
from ..errors import ExportError

REPORT_FORMATS = ("docx", "pdf", "html", "md", "csv", "json")

__all__ = [
    "REPORT_FORMATS",
    "export_report",
    "export_annotated",
    "export_change_request",
    "export_portfolio",
    "iter_export_portfolio",
]


def _refuse_original(dest: Path, *analyses: Analysis) -> None:
    """An export must never land on a contract it was made from (the original is only ever read)."""
    import os

    dest = Path(dest)
    if not dest.exists():
        return
    for analysis in analyses:
        src = analysis.document.source_path
        if not src:
            continue
        try:
            same = os.path.samefile(dest, src)
        except OSError:
            continue
        if same:
            raise ExportError(
                "is the contract this review was made from; refusing to overwrite it. Choose another output file.",
                dest,
            )


def export_report(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision],
    meta: ReportMeta,
    fmt: str,
    dest: Path,
) -> Path:
    """Write the gap summary in ``fmt`` (docx, pdf, html, md, csv or json) to ``dest``.

    :raises ExportError: for an unknown format or a destination that cannot be written.
    """
    from .model import build_report

    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in REPORT_FORMATS:
        raise ExportError(f"unknown report format '{fmt}' (choose one of {', '.join(REPORT_FORMATS)})", dest)
    _refuse_original(dest, analysis)
    model = build_report(analysis, decisions, meta)
    if fmt == "docx":
        from .docx_report import write_docx as writer
    elif fmt == "pdf":
        from .pdf_report import write_pdf as writer
    elif fmt == "html":
        from .html_report import write_html as writer
    elif fmt == "md":
        from .md_report import write_markdown as writer
    elif fmt == "csv":
        from .data_report import write_csv as writer
    else:
        from .data_report import write_json as writer
    return writer(model, Path(dest))


def export_annotated(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision],
    meta: ReportMeta,
    source: Path,
    dest: Path,
    *,
    password: str | None = None,
    annotations: Sequence[Annotation] = (),
) -> Path:
    """Write a commented (DOCX) or highlighted (PDF) copy of ``source``; ``source`` is never modified.

    ``annotations`` (the reviewer's, from ``Store.annotations``) become Word comments on their selected
    words / notes on their highlighted text, beside the engine's findings (issue #16).

    The file is re-read once through the ingest reader and must still be the analysed document
    (:func:`~contractreview.ingest.vetted_bytes`); the annotators open those bytes, not the path.

    :raises ExportError: when ``source`` is neither DOCX nor PDF, cannot be read, or ``dest`` is ``source``.
    """
    from ..ingest.sniff import pdf_header_offset
    from ._source import analysed_bytes

    source = Path(source)
    # Only through the ingest reader, and only the analysed bytes (#19).
    data = analysed_bytes(analysis, source, password)
    head = data[:1024]
    is_pdf = pdf_header_offset(data) >= 0
    kind = ".pdf" if is_pdf else ".docx" if head.startswith(b"PK") else ""
    suffix = Path(dest).suffix.lower()
    if kind and suffix in (".pdf", ".docx", ".docm") and not (suffix == kind or {suffix, kind} == {".docx", ".docm"}):
        raise ExportError(
            f"an annotated copy of a {kind[1:].upper()} contract is a {kind[1:].upper()} file; "
            f"name the output ...{kind}.",
            dest,
        )
    if is_pdf:
        from .annotated_pdf import annotate_pdf

        return annotate_pdf(analysis, decisions, meta, source, Path(dest), password=password, data=data,
                            annotations=annotations)[0]
    if head.startswith(b"PK"):
        from .annotated_docx import annotate_docx

        return annotate_docx(analysis, decisions, meta, source, Path(dest), data=data, annotations=annotations)[0]
    raise ExportError(
        "annotated copies can be made of PDF and DOCX contracts only; export a report instead.", source
    )


def export_change_request(
    analysis: Analysis, decisions: Mapping[str, ReviewDecision], meta: ReportMeta, dest: Path
) -> Path:
    """Write the change-request addendum draft (DOCX) for the vendor."""
    from .change_request import write_change_request

    _refuse_original(dest, analysis)
    return write_change_request(analysis, decisions, meta, Path(dest))


def export_portfolio(rows: Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]], dest: Path) -> Path:
    """Write one CSV row per contract × requirement with status and decision."""
    from .portfolio import write_portfolio

    rows = list(rows)
    _refuse_original(Path(dest), *(analysis for analysis, _ in rows))
    return write_portfolio(rows, Path(dest))


def iter_export_portfolio(
    rows: Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]], dest: Path, total: int
) -> Generator[Progress, None, Path]:
    """:func:`export_portfolio` as a generator that reads ``rows`` lazily and reports each review
    (``total`` is how many to expect); the GUI runs it on its worker thread with Cancel."""
    from .portfolio import iter_write_portfolio

    def checked() -> Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]]:
        for analysis, decisions in rows:
            _refuse_original(Path(dest), analysis)
            yield analysis, decisions

    return (yield from iter_write_portfolio(checked(), Path(dest), total))
