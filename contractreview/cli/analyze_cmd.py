"""``contractreview analyze FILE...``: ingest + analyse, print findings, optionally fail on flags."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import add_db_option, progress_bar

if TYPE_CHECKING:  # pragma: no cover
    from ..domain import Analysis

STATUS_ORDER = ("missing", "weak", "needs_review", "satisfied")
_HEADINGS = {"missing": "MISSING", "weak": "WEAK", "needs_review": "NEEDS REVIEW", "satisfied": "SATISFIED"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "analyze",
        help="review a contract against a profile's requirements",
        description="Review contracts (PDF, DOCX, text, Markdown) for student-data protections.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="contract file(s)")
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
        "--fail-on", choices=("missing", "weak"), help="exit 1 when a finding at this level (or worse) exists"
    )
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("-o", "--output", metavar="PATH", help="write the report here instead of standard output")
    add_db_option(p)
    p.add_argument("--no-store", action="store_true", help="do not save the review in the database")
    p.set_defaults(func=run)


def analyze_one(
    path: str | Path,
    *,
    profile: str = "default",
    library_dir: str | Path | None = None,
    password: str | None = None,
    show_progress: bool = False,
) -> Analysis:
    """Ingest and analyse one file (the unit of work of single and batch runs)."""
    from ..library import load_library
    from ..pipeline import iter_review

    library = load_library(profile, user_dir=Path(library_dir) if library_dir else None)
    gen = iter_review(path, profile=profile, library=library, password=password)
    name = Path(path).name
    while True:
        try:
            step = next(gen)
        except StopIteration as stop:
            if show_progress:
                progress_bar(name, 1.0)
            return stop.value
        if show_progress:
            progress_bar(
                f"{name}: {step.stage}", 0.1 + 0.9 * step.fraction if step.stage == "analyze" else 0.05
            )


def fails(analysis: Analysis, level: str | None) -> bool:
    if not level:
        return False
    bad = {"missing"} if level == "missing" else {"missing", "weak", "needs_review"}
    return any(f.status.value in bad for f in analysis.findings)


def render_text(analysis: Analysis) -> str:
    doc = analysis.document
    counts = {s.value: n for s, n in analysis.counts().items()}
    lines = [
        f"{doc.name} · profile {analysis.profile} · clause library {analysis.library_version}",
        "  " + ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in STATUS_ORDER),
    ]
    terms = {k: v for k, v in analysis.key_terms.items() if v is not None}
    if terms:
        lines.append("  key terms: " + "; ".join(f"{k}={v}" for k, v in terms.items()))
    for status in STATUS_ORDER:
        group = [f for f in analysis.findings if f.status.value == status]
        if not group:
            continue
        lines.append("")
        lines.append(f"{_HEADINGS[status]} ({len(group)})")
        for f in sorted(group, key=lambda f: (f.severity.rank, f.requirement_id)):
            where = ""
            if f.evidence:
                ev = f.evidence[0]
                where = f" [clause {ev.clause or '-'}, p. {ev.page}]"
            lines.append(f"  - {f.title} ({f.severity.value}){where}")
            lines.append(f"      {f.explanation}")
    return "\n".join(lines) + "\n"


def render_md(analysis: Analysis) -> str:
    doc = analysis.document
    out = [
        f"# Review of {doc.name}",
        "",
        f"Profile **{analysis.profile}**, clause library {analysis.library_version}.",
        "",
    ]
    out += ["| Status | Requirement | Severity | Clause | Page | Reason |", "|---|---|---|---|---|---|"]
    for status in STATUS_ORDER:
        for f in [f for f in analysis.findings if f.status.value == status]:
            ev = f.evidence[0] if f.evidence else None
            reason = f.explanation.replace("|", "\\|").replace("\n", " ")
            out.append(
                f"| {status} | {f.title} | {f.severity.value} | {ev.clause if ev else ''} | {ev.page if ev else ''} | {reason} |"
            )
    return "\n".join(out) + "\n"


def render(analysis: Analysis, fmt: str) -> str:
    from ..serialize import analysis_to_dict

    if fmt == "json":
        return json.dumps(analysis_to_dict(analysis), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_md(analysis)
    return render_text(analysis)


def _store(analysis: Analysis, db: str | None, source: str) -> None:
    try:
        from ..store import open_store
    except ImportError:  # the store module is optional at this stage
        return
    with open_store(db) as store:
        store.save_analysis(analysis, source_path=source)


def run(args: Any) -> int:
    from ..serialize import analysis_to_dict

    analyses = []
    for f in args.files:
        a = analyze_one(
            f,
            profile=args.profile,
            library_dir=args.library_dir,
            password=args.password,
            show_progress=args.output is not None or args.format == "text",
        )
        if not args.no_store:
            _store(a, args.db, str(Path(f).resolve()))
        analyses.append(a)
    if args.format == "json" and len(analyses) > 1:
        text = json.dumps([analysis_to_dict(a) for a in analyses], indent=2, ensure_ascii=False) + "\n"
    else:
        text = "\n".join(render(a, args.format) for a in analyses)
    if args.output:
        _write(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 1 if any(fails(a, args.fail_on) for a in analyses) else 0


def _write(dest: Path, text: str) -> None:
    import os
    import tempfile

    from ..errors import ExportError

    try:
        fd, tmp = tempfile.mkstemp(dir=dest.parent or Path("."), prefix=f".{dest.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, dest)
    except OSError as exc:
        raise ExportError(f"cannot write the report ({exc.strerror or exc})", dest) from exc
