"""Portfolio table: several reviews in one CSV, one row per contract × requirement.

The long ("tidy") layout suits a district's vendor inventory: filter by requirement, pivot by
contract, or append next year's reviews without changing the columns.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path

from ..domain import Analysis, Progress, ReviewDecision
from ..reviewer import describe_override
from ._atomic import write_atomic
from .data_report import safe_cell
from .model import printable_name

PORTFOLIO_COLUMNS = (
    "document",
    "sha256",
    "title",
    "profile",
    "library_version",
    "requirement_id",
    "requirement",
    "category",
    "severity",
    "status",
    "decision",
    "note",
    "reviewer",
    "evidence_changed",
    "clause",
    "page",
    "key_term",  # the deadline the requirement is checked with ("72 hours"), where it has one
    "key_term_source",  # "engine" or "corrected by the reviewer (name)"
    # provenance (issue #13), last so that older spreadsheets keep their column positions
    "engine_version",
    "library_fingerprint",
    # issue #16: ``status`` is the reviewer's where one is set; what the engine said and why they differ
    # (both empty where the status is the engine's own)
    "engine_status",
    "reviewer_override",
    # the learned grader that rated the findings (issue #13): sha256 of its artifact
    "grader",
)


def portfolio_rows(rows: Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]]) -> list[list[str]]:
    out: list[list[str]] = []
    for analysis, decisions in rows:
        doc = analysis.document
        terms = {k.requirement_id: k for k in analysis.key_term_readings if k.unit}
        for f in analysis.findings:
            d = decisions.get(f.requirement_id)
            ev = f.evidence[0] if f.evidence else None
            k = terms.get(f.requirement_id)
            source = ""
            if k is not None:
                source = f"corrected by the reviewer ({k.corrected_by})" if k.corrected else "engine"
            out.append(
                [
                    printable_name(doc.name),
                    doc.sha256,
                    doc.title,
                    analysis.profile,
                    analysis.library_version,
                    f.requirement_id,
                    f.title,
                    f.category,
                    f.severity.value,
                    f.override.status.value if f.overridden and f.override else f.status.value,
                    d.decision.value if d else "",
                    d.note if d else "",
                    d.reviewer if d else "",
                    "yes" if d and d.evidence_changed else "",
                    ev.clause if ev else "",
                    str(ev.page) if ev else "",
                    k.display if k is not None else "",
                    source,
                    analysis.engine_version,
                    analysis.library_fingerprint,
                    (f.engine_status or f.status).value if f.override is not None else "",
                    describe_override(f, reason=True),
                    analysis.grader,
                ]
            )
    return out


def write_portfolio(rows: Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]], dest: Path) -> Path:
    return _write(portfolio_rows(rows), dest)


def iter_write_portfolio(
    rows: Iterable[tuple[Analysis, Mapping[str, ReviewDecision]]], dest: Path, total: int
) -> Generator[Progress, None, Path]:
    """:func:`write_portfolio` as a generator: one ``Progress`` per review read, then the file.

    ``rows`` is consumed lazily, so a caller can read each review from the store as it goes (the GUI
    does so on its worker thread). Closing the generator before the end writes nothing.
    """
    data: list[list[str]] = []
    yield Progress("portfolio", 0, total, f"Reading {total} reviews")
    for i, row in enumerate(rows, start=1):
        data.extend(portfolio_rows([row]))
        yield Progress("portfolio", i, max(total, i), f"Reading review {i} of {max(total, i)}")
    yield Progress("portfolio", max(total, 1), max(total, 1), f"Writing {len(data)} rows")
    return _write(data, dest)


def _write(data: list[list[str]], dest: Path) -> Path:
    def _w(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(PORTFOLIO_COLUMNS)
            for r in data:
                w.writerow([safe_cell(c) for c in r])

    return write_atomic(Path(dest), _w)
