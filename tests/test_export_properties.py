"""Property tests: whatever text a contract, library or reviewer supplies, exports either succeed and
round-trip it, or raise ExportError; never anything else."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.domain import Decision, Document, Evidence, Format, Page, ReviewDecision
from contractreview.export import export_report

_spec = importlib.util.spec_from_file_location(
    "export_support", Path(__file__).with_name("test_export_support.py")
)
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)  # type: ignore[union-attr]

# Any Unicode text, control characters and lone surrogates excluded only where UTF-8 cannot hold them.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=200)


def _analysis(quote: str, explanation: str, title: str):
    contract = Document("x.pdf", "ab" * 32, Format.PDF, "\n".join(S.CLAUSES), (Page(1, 612, 792),), ())
    base = S.make_analysis(contract)
    doc = dataclasses.replace(contract, text=quote)
    ev = Evidence(quote, 0, len(quote), 1, clause="5.2")
    f = dataclasses.replace(base.findings[0], evidence=(ev,), explanation=explanation, title=title)
    return dataclasses.replace(base, document=doc, findings=(f, *base.findings[1:]))


@pytest.mark.parametrize("fmt", ["json", "docx", "pdf", "html", "md", "csv"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quote=TEXT, explanation=TEXT, title=TEXT, note=TEXT)
def test_export_any_text_round_trips_or_fails_cleanly(tmp_path, fmt, quote, explanation, title, note) -> None:
    analysis = _analysis(quote, explanation, title)
    decisions = {
        analysis.findings[0].requirement_id: ReviewDecision(
            analysis.findings[0].requirement_id, Decision.ACCEPT, note=note
        )
    }
    out = export_report(analysis, decisions, S.META, fmt, tmp_path / f"r.{fmt}")
    assert out.stat().st_size > 0
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        item = next(i for i in data["flagged"] if i["requirement_id"] == analysis.findings[0].requirement_id)
        assert item["evidence"][0]["text"] == quote and item["note"] == note and item["title"] == title
