"""``contractreview analyze FILE...``: ingest + analyse, print findings, optionally fail on flags."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..textsafe import json_text, one_line
from ._common import add_db_option, progress_bar

if TYPE_CHECKING:  # pragma: no cover
    from ..domain import Analysis

STATUS_ORDER = ("missing", "weak", "needs_review", "satisfied")
_HEADINGS = {
    "missing": "MISSING",
    "weak": "WEAK",
    "needs_review": "NEEDS REVIEW",
    "not_checked": "NOT CHECKED AUTOMATICALLY: read the contract for these",
    "satisfied": "SATISFIED",
}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "analyze",
        help="review a contract against a profile's requirements",
        description="Review contracts (PDF, DOCX, text, Markdown) for student-data protections.",
    )
    p.add_argument("files", nargs="+", metavar="FILE_OR_DIR",
                   help="contract file(s); folders are searched for PDF, DOCX, TXT and MD files (batch mode)")
    p.add_argument("--profile", default="default", help="requirement profile (default: %(default)s)")
    p.add_argument(
        "--library-dir",
        "--library",
        dest="library_dir",
        metavar="DIR",
        help="a district's own clause-library folder layered over the built-in one",
    )
    p.add_argument("--format", choices=("text", "table", "json", "md"), default="text", help="output format")
    p.add_argument(
        "--fail-on",
        choices=("missing", "weak"),
        help="exit 1 when a finding at this level (or worse) exists; 'weak' counts needs_review too",
    )
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("-o", "--output", metavar="PATH", help="write the report here instead of standard output")
    add_db_option(p)
    p.add_argument("--no-store", action="store_true", help="do not save the review in the database")
    p.add_argument("--ocr", action="store_true", help="OCR scanned PDF pages first (needs ocrmypdf installed)")
    batch = p.add_argument_group("batch mode (a folder, --jobs or --portfolio)")
    batch.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="analyse in N parallel processes (default 1)")
    batch.add_argument("--portfolio", metavar="CSV", help="write the contracts x requirements table here")
    batch.add_argument("--no-skip", action="store_true",
                       help="review again files already reviewed with this profile and library version")
    p.set_defaults(func=run)


def analyze_one(
    path: str | Path,
    *,
    profile: str = "default",
    library_dir: str | Path | None = None,
    password: str | None = None,
    show_progress: bool = False,
    ocr: bool = False,
) -> Analysis:
    """Ingest and analyse one file (the unit of work of single and batch runs)."""
    from ..deadline import set_tick
    from ..library import load_library
    from ..pipeline import iter_review

    library = load_library(profile, user_dir=Path(library_dir) if library_dir else None)
    gen = iter_review(path, profile=profile, library=library, password=password, ocr=ocr)
    name = one_line(Path(path).name)
    fraction = 0.0

    def tick(stage: str, done: int, total: int) -> None:
        # Progress inside the long steps of a big document (#19): the bar moves within its current step.
        if total:
            progress_bar(f"{name}: {stage} {done:,}/{total:,}", fraction)

    previous = set_tick(tick if show_progress else None)
    try:
        while True:
            try:
                step = next(gen)
            except StopIteration as stop:
                if show_progress:
                    progress_bar(name, 1.0)
                return stop.value
            fraction = 0.1 + 0.9 * step.fraction if step.stage == "analyze" else 0.05
            if show_progress:
                progress_bar(f"{name}: {step.stage}", fraction)
    finally:
        set_tick(previous)


def fails(analysis: Analysis, level: str | None) -> bool:
    if not level:
        return False
    bad = {"missing"} if level == "missing" else {"missing", "weak", "needs_review"}
    return any(f.status.value in bad for f in analysis.findings)


def _provenance(analysis: Analysis) -> str:
    """" (fingerprint 842c5240603e) · engine rules-1 · grader 5d41402abc4b": which knowledge, engine and
    learned grader produced the review."""
    if not analysis.engine_version and not analysis.library_fingerprint:
        return ""
    grader = f" · grader {analysis.grader[:12]}" if analysis.grader else ""
    return f" (fingerprint {analysis.library_fingerprint[:12]}) · engine {analysis.engine_version}{grader}"


def _group(f: Any) -> str:
    """The heading a finding is listed under: its status, or "not_checked" (no detector)."""
    return "not_checked" if f.not_checked else f.status.value


def render_text(analysis: Analysis) -> str:
    doc = analysis.document
    counts = {s.value: n for s, n in analysis.counts().items()}
    lines = [
        f"{one_line(doc.name)} · profile {analysis.profile} · clause library {analysis.library_version}"
        + _provenance(analysis),
        "  " + ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in STATUS_ORDER),
    ]
    rows = _key_terms(analysis)
    if rows:
        lines.append("  key terms:")
        for r in rows:
            where = f" [clause {one_line(r.quote.clause or '-')}, p. {r.quote.page}]" if r.quote else ""
            check = f" ({one_line(r.check)})" if r.check and r.check != "not stated" else ""
            lines.append(f"    {r.label}: {one_line(r.value_text)}{where}{check}")
    for status in ("missing", "weak", "needs_review", "not_checked", "satisfied"):
        group = [f for f in analysis.findings if _group(f) == status]
        if not group:
            continue
        lines.append("")
        lines.append(f"{_HEADINGS[status]} ({len(group)})")
        for f in sorted(group, key=lambda f: (f.severity.rank, f.requirement_id)):
            where = ""
            if f.evidence:
                ev = f.evidence[0]
                where = f" [clause {one_line(ev.clause or '-')}, p. {ev.page}]"
            lines.append(f"  - {f.title} ({f.severity.value}){where}")
            # Explanations quote the contract: one line, control characters escaped.
            if f.override is not None:  # the reviewer's status (issue #16), said first
                from ..reviewer import describe_override

                lines.append(f"      {one_line(describe_override(f, reason=True))}")
            reason = one_line(" ".join(f.explanation.removeprefix(f"{f.title}: ").split()))
            lines.append(f"      {reason[:1].upper()}{reason[1:]}")
    return "\n".join(lines) + "\n"


def render_md(analysis: Analysis) -> str:
    doc = analysis.document
    out = [
        f"# Review of {one_line(doc.name)}",
        "",
        f"Profile **{analysis.profile}**, clause library {analysis.library_version}{_provenance(analysis)}.",
        "",
    ]
    out += ["| Key term | Value | Clause | Page | Checked against |", "|---|---|---|---|---|"]
    for r in _key_terms(analysis):
        check = " — ".join(x for x in (r.threshold, r.check) if x)
        cells = [r.label, r.value_text, r.quote.clause if r.quote else "", str(r.quote.page) if r.quote else "", check]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    out.append("")
    out += ["| Status | Requirement | Severity | Clause | Page | Reason |", "|---|---|---|---|---|---|"]
    for status in STATUS_ORDER:
        for f in [f for f in analysis.findings if f.status.value == status]:
            ev = f.evidence[0] if f.evidence else None
            reason = f.explanation.replace("|", "\\|").replace("\n", " ")
            if f.override is not None:  # the reviewer's status (issue #16)
                from ..reviewer import describe_override

                reason = describe_override(f, reason=True).replace("|", "\\|").replace("\n", " ") + ". " + reason
            out.append(
                f"| {status} | {f.title} | {f.severity.value} | {ev.clause if ev else ''} | {ev.page if ev else ''} | {reason} |"
            )
    return "\n".join(out) + "\n"


def _key_terms(analysis: Analysis) -> tuple[Any, ...]:
    from ..export.model import key_term_rows

    return key_term_rows(analysis)


def render(analysis: Analysis, fmt: str) -> str:
    from ..serialize import analysis_to_dict

    if fmt == "json":
        return json_text(analysis_to_dict(analysis), indent=2) + "\n"
    if fmt == "md":
        return render_md(analysis)
    return render_text(analysis)


def _store(analysis: Analysis, db: str | None, source: str, fingerprint: str = "") -> Analysis:
    """Save the review; returns it with the reviewer's key-term corrections of this document applied."""
    from ..store import open_store

    with open_store(db) as store:
        store.save_analysis(analysis, source_path=source, library_fingerprint=fingerprint)
        return store.corrected(analysis)


def _is_batch(args: Any) -> bool:
    return bool(args.jobs or args.portfolio or any(Path(f).is_dir() for f in args.files))


def run_batch(args: Any) -> int:
    """Many contracts: parallel workers, skip what the store already has, list bad files at the end."""
    from ..batch import collect_files, iter_batch
    from ..settings import default_db_path

    files = collect_files(args.files)
    if not files:
        folders = ", ".join(one_line(str(f)) for f in args.files if Path(f).is_dir())
        print(f"contractreview: error: {folders}: a folder, not a file, and no contract files (PDF, DOCX, TXT, "
              "MD) are in it", file=sys.stderr)
        return 2
    db = None if args.no_store else str(args.db or default_db_path())
    gen = iter_batch(files, jobs=args.jobs or 1, profile=args.profile, library_dir=args.library_dir, db=db,
                     skip_reviewed=not args.no_skip)
    while True:
        try:
            step = next(gen)
        except StopIteration as stop:
            result = stop.value
            break
        progress_bar(f"{step.done}/{step.total} {step.message}", step.fraction)
    if args.portfolio:
        _write_portfolio(result, db, Path(args.portfolio))
    if args.format == "json":
        import dataclasses

        text = json_text([dataclasses.asdict(i) for i in result.items], indent=2) + "\n"
    else:
        text = render_batch(result)
    if args.output:
        _write(Path(args.output), text, refuse=_protected(args))
    else:
        sys.stdout.write(text)
    failed = result.by_state("failed")
    for item in failed:
        print(f"contractreview: error: {one_line(item.reason)}", file=sys.stderr)
    if failed:
        return 2
    return 1 if any(fails(a, args.fail_on) for a in result.analyses) else 0


def render_batch(result: Any) -> str:
    lines = [f"{'file':<48} {'result':<9} missing  weak  review  satisfied"]
    for item in result.items:
        name = one_line(Path(item.path).name)[:47]
        if item.state == "failed":
            lines.append(f"{name:<48} {'FAILED':<9} {one_line(item.reason)}")
            continue
        c = item.counts
        lines.append(f"{name:<48} {item.state:<9} {c.get('missing', 0):>7} {c.get('weak', 0):>5} "
                     f"{c.get('needs_review', 0):>7} {c.get('satisfied', 0):>10}")
    done, skipped, failed = (len(result.by_state(s)) for s in ("done", "skipped", "failed"))
    lines.append(f"\n{done} reviewed, {skipped} already reviewed (skipped), {failed} could not be read")
    return "\n".join(lines) + "\n"


def _write_portfolio(result: Any, db: str | None, dest: Path) -> None:
    """Portfolio rows for every reviewed or skipped file, with the reviewers' decisions from the store."""
    from ..export import export_portfolio

    rows = []
    if db is not None:
        from ..store import open_store

        with open_store(db) as store:
            for item in result.items:
                if item.review_id is not None:
                    analysis = store.corrected(store.get_analysis(item.review_id))
                    rows.append((analysis, store.decisions(analysis.document.sha256, analysis)))
    else:
        rows = [(a, {}) for a in result.analyses]
    export_portfolio(rows, dest)
    print(f"portfolio: {dest} ({len(rows)} contracts)", file=sys.stderr)


def run(args: Any) -> int:
    from ..serialize import analysis_to_dict

    if _is_batch(args):
        return run_batch(args)
    analyses = []
    unsaved: list[tuple[str, Any]] = []
    for f in args.files:
        a = analyze_one(
            f,
            profile=args.profile,
            library_dir=args.library_dir,
            password=args.password,
            show_progress=args.output is not None or args.format == "text",
            ocr=args.ocr,
        )
        _warn_if_not_a_contract(a)
        if not args.no_store and not unsaved:
            from ..errors import StoreError

            try:
                a = _store(a, args.db, str(Path(f).resolve()), a.library_fingerprint)
            except StoreError as exc:
                # A full or read-only database must not cost the finished analysis (#19): it is printed
                # below as analysed, and one line says it was not saved.
                unsaved.append((f, exc))
        elif not args.no_store:
            unsaved.append((f, None))
        analyses.append(a)
    if args.format == "json" and len(analyses) > 1:
        text = json_text([analysis_to_dict(a) for a in analyses], indent=2) + "\n"
    else:
        text = "\n".join(render(a, args.format) for a in analyses)
    if args.output:
        _write(Path(args.output), text, refuse=_protected(args))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if unsaved:
        exc = next(e for _, e in unsaved if e is not None)
        names = ", ".join(one_line(Path(f).name) for f, _ in unsaved)
        where = "written to " + one_line(Path(args.output).name) if args.output else "printed above"
        print(f"contractreview: error: {one_line(exc.message)} The review of {names} was {where} but not saved.",
              file=sys.stderr)
        return 2
    return 1 if any(fails(a, args.fail_on) for a in analyses) else 0


def _warn_if_not_a_contract(analysis: Analysis) -> None:
    """One line on stderr, before the results, when the file does not look like a contract (#17)."""
    from ..contract_check import check_contract

    check = check_contract(analysis.document, analysis.clauses)
    if check.warning:
        from ..textsafe import one_line

        # The warning names the file: escaped like every other name that reaches the terminal (#19).
        print(f"contractreview: warning: {one_line(check.warning)}", file=sys.stderr)


def _write(dest: Path, text: str, *, refuse: tuple[Path, ...] = ()) -> None:
    """Atomic, owner-only write shared with the exporters (temp file in the folder, then rename); never onto
    one of the ``refuse`` files (the contracts analysed, the review database)."""
    from ..export._atomic import write_atomic

    def _w(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(dest, _w, refuse=refuse)


def _protected(args: Any) -> tuple[Path, ...]:
    from ..batch import collect_files

    paths = list(collect_files(args.files))
    if not args.no_store:
        from ..settings import default_db_path

        db = Path(args.db) if args.db else default_db_path()
        paths += [db, Path(f"{db}-wal")]
    return tuple(paths)
