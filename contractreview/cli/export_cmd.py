"""``contractreview export``: gap summaries, annotated copies, change requests and portfolio tables.

A numeric argument is a stored review id; anything else is a contract file analysed now (decisions
already stored for the same document are used when the review database exists).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from ..textsafe import one_line
from ._common import add_db_option, progress_bar

FORMATS = ("docx", "pdf", "html", "md", "csv", "json", "annotated", "request")
_SUFFIX_FORMATS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".csv": "csv",
    ".json": "json",
}


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "export",
        help="write a gap summary, annotated contract, change request or portfolio table",
        description=(
            "Export a review. REVIEW_OR_FILE is a stored review id (see 'contractreview reviews list') or a "
            "contract file, which is analysed now. Formats: docx, pdf, html, md, csv, json (gap summary); "
            "annotated (a commented DOCX / highlighted PDF copy of the contract; the original is never "
            "changed); request (a DOCX change-request addendum draft for the vendor). With --portfolio, "
            "several reviews or files become one CSV of contracts x requirements. Not legal advice."
        ),
    )
    p.add_argument("targets", nargs="+", metavar="REVIEW_OR_FILE", help="review id or contract file")
    p.add_argument(
        "--format", "-f", choices=FORMATS, help="output format (default: from -o's suffix, else docx)"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file (default: a name made from the contract's, in the current folder)",
    )
    p.add_argument("--portfolio", action="store_true", help="write one CSV row per contract x requirement")
    p.add_argument(
        "--profile", default=None, help="profile used when analysing a file (default: settings or 'default')"
    )
    p.add_argument("--reviewer", default=None, help="reviewer name for the title block and comments")
    p.add_argument("--vendor", default="", help="vendor name for the title block")
    p.add_argument("--agreement", default="", help="agreement name for the title block")
    p.add_argument("--password", default=None, help="password of an encrypted PDF")
    p.add_argument(
        "--vendor-term",
        default="",
        metavar="NAME",
        help="the vendor's name in suggested language and the change request (default: the contract's "
        "defined name, e.g. 'Provider'; 'the vendor' when it defines none)",
    )
    p.add_argument(
        "--school-term",
        default="",
        metavar="NAME",
        help="the school's or district's name there (default: the contract's, e.g. 'SFUSD'; else 'the district')",
    )
    p.add_argument(
        "--data-term",
        default="",
        metavar="TERM",
        help="the defined term for the protected data (default: the contract's, e.g. 'Confidential Data')",
    )
    p.add_argument(
        "--technical-appendix",
        action="store_true",
        help="add a technical appendix (requirement ids, rules, engine explanations) to a gap summary; "
        "off by default, for the review team only",
    )
    add_db_option(p)
    p.set_defaults(func=run)


def _settings():  # type: ignore[no-untyped-def]
    try:
        from ..settings import load_settings

        return load_settings()
    except Exception:  # noqa: BLE001 - settings only supply defaults
        return None


def _db_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db).expanduser()
    from ..settings import default_db_path

    return default_db_path()


def _is_review_id(target: str) -> bool:
    return target.isdigit() and not Path(target).exists()


def _analyse_file(path: Path, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ..errors import FileAccessError
    from ..pipeline import iter_review

    if not path.is_file():
        raise FileAccessError("does not exist or is not a file (give a contract file or a review id).", path)
    gen = iter_review(path, profile=args.profile or "default", password=args.password)
    while True:
        try:
            step = next(gen)
        except StopIteration as stop:
            progress_bar(path.name, 1.0)
            return stop.value
        progress_bar(f"{step.stage}: {path.name}", step.fraction)


def load_target(target: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """(analysis, decisions, review_id, source path or None, the reviewer's names for the parties and the
    data) for one command-line target."""
    from ..errors import StoreError
    from ..vocabulary import ContractTerms

    db = _db_path(args)
    if _is_review_id(target):
        if not db.exists():
            raise StoreError(
                f"there is no review database, so review {target} cannot be found.",
                db,
                "Give the contract file instead, or --db PATH.",
            )
        from ..store import open_store

        with open_store(db) as store:
            analysis = store.corrected(store.get_analysis(int(target)))
            decisions = store.decisions(analysis.document.sha256, current=analysis)
            vocabulary = store.vocabulary(analysis.document.sha256)
        source = Path(analysis.document.source_path) if analysis.document.source_path else None
        return analysis, decisions, int(target), source, vocabulary
    path = Path(target).expanduser()
    analysis = _analyse_file(path, args)
    decisions = {}
    vocabulary = ContractTerms()
    if db.exists():
        from ..store import open_store

        with open_store(db) as store:
            analysis = store.corrected(analysis)  # the reviewer's key-term corrections of this document
            decisions = store.decisions(analysis.document.sha256, current=analysis)
            vocabulary = store.vocabulary(analysis.document.sha256)  # the names the reviewer gave (#18)
    return analysis, decisions, None, path, vocabulary


def _annotations(analysis, args: argparse.Namespace) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The reviewer's annotations of the analysed document (none without a review database)."""
    db = _db_path(args)
    if not db.exists():
        return []
    from ..store import open_store

    with open_store(db) as store:
        return store.annotations(analysis.document.sha256)


def _format_for(asked: str | None, out: Path | None) -> str:
    """The export format from --format and the output name, refusing a name that contradicts it
    (a DOCX written as 'summary.txt' or a PDF as 'report.docx' opens in the wrong program)."""
    from ..errors import ExportError

    suffix = out.suffix.lower() if out is not None else ""
    by_name = _SUFFIX_FORMATS.get(suffix)
    if asked is None:
        if out is not None and suffix and by_name is None:
            raise ExportError(
                f"the export format cannot be told from the name ending in {out.suffix}; "
                "add --format (docx, pdf, html, md, csv, json, annotated or request).",
                out,
            )
        return by_name or "docx"
    expected = {"request": "docx", "annotated": None}.get(asked, asked)
    if suffix and expected is not None and by_name != expected:
        raise ExportError(
            f"the name ends in {out.suffix} but the export is {asked.upper()}; name it ...{expected} "
            "or change --format.",
            out,
        )
    return asked


def _refuse_database(dest: Path, db: Path) -> None:
    """Exports must not replace the review database (or its journal) that holds every decision."""
    import os

    from ..errors import ExportError

    for other in (db, Path(f"{db}-wal")):
        try:
            same = dest.exists() and os.path.samefile(dest, other)
        except OSError:
            same = False
        if same:
            raise ExportError("is the review database; refusing to overwrite it. Choose another output file.", dest)


def _default_output(analysis, fmt: str, source: Path | None) -> Path:  # type: ignore[no-untyped-def]
    stem = Path(analysis.document.name or "contract").stem or "contract"
    if fmt == "annotated":
        # The copy has the contract's real kind, whatever its name says (vendors rename DOCX to .pdf).
        kind = getattr(analysis.document.format, "value", "") or ""
        suffix = f".{kind}" if kind in ("pdf", "docx") else ((source.suffix if source else "") or ".pdf")
        return Path(f"{stem}-annotated{suffix.lower()}")
    if fmt == "request":
        return Path(f"{stem}-change-request.docx")
    return Path(f"{stem}-gap-summary.{fmt}")


def run(args: argparse.Namespace) -> int:
    from ..domain import ReportMeta
    from ..errors import ExportError
    from ..export import export_annotated, export_change_request, export_portfolio, export_report

    settings = _settings()
    reviewer = args.reviewer if args.reviewer is not None else (getattr(settings, "reviewer_name", "") or "")
    if args.profile is None and settings is not None and getattr(settings, "profile", None):
        args.profile = settings.profile
    out = Path(args.output).expanduser() if args.output else None

    if args.portfolio:
        if args.format not in (None, "csv"):
            raise ExportError("a portfolio is written as CSV only (--format csv).", out)
        if out is not None and out.suffix and out.suffix.lower() != ".csv":
            raise ExportError(
                f"a portfolio is a CSV file, but the name ends in {out.suffix}; name it ...csv.", out
            )
        rows = []
        for target in args.targets:
            analysis, decisions, _, _, _ = load_target(target, args)
            rows.append((analysis, decisions))
        _refuse_database(out or Path("portfolio.csv"), _db_path(args))
        written = export_portfolio(rows, out or Path("portfolio.csv"))
        print(one_line(str(written)))
        return 0

    if len(args.targets) != 1:
        raise ExportError(
            f"one review or file at a time ({len(args.targets)} given); use --portfolio for several."
        )
    fmt = _format_for(args.format, out)
    analysis, decisions, review_id, source, stored = load_target(args.targets[0], args)
    meta = ReportMeta(
        reviewer=reviewer,
        vendor=args.vendor,
        agreement=args.agreement,
        date=_dt.date.today().isoformat(),
        review_id=review_id,
        # --vendor-term etc. for this export; otherwise the names the reviewer stored with the review
        vendor_term=args.vendor_term or stored.vendor,
        school_term=args.school_term or stored.school,
        data_term=args.data_term or stored.data,
        technical_appendix=args.technical_appendix,
    )
    dest = out or _default_output(analysis, fmt, source)
    _refuse_database(dest, _db_path(args))
    if fmt == "annotated":
        if source is None or not source.is_file():
            raise ExportError(
                "the original contract of this review is not at its recorded place; export with the file path instead.",
                source or analysis.document.name,
            )
        notes = _annotations(analysis, args)  # the reviewer's annotations become comments / notes (#16)
        if args.password and source.suffix.lower() == ".pdf":
            from ..export.annotated_pdf import annotate_pdf

            written = annotate_pdf(analysis, decisions, meta, source, dest, password=args.password,
                                   annotations=notes)[0]
        else:
            written = export_annotated(analysis, decisions, meta, source, dest, annotations=notes)
    elif fmt == "request":
        written = export_change_request(analysis, decisions, meta, dest)
    else:
        written = export_report(analysis, decisions, meta, fmt, dest)
    print(one_line(str(written)), file=sys.stdout)
    return 0
