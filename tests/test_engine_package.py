"""Issue #13 item 4: the engine package, its public entry point for the evaluation, and segmentation failures
as document warnings."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from contractreview import domain, engine
from contractreview.engine import decision, trace
from contractreview.ingest import load_document
from contractreview.segment import segment

PACKAGE = Path(engine.__file__).resolve().parent.parent

CONTRACT = """# Data Privacy Agreement

Between the Springfield School District (the "District") and Acme Learning, Inc. (the "Provider").

## 1. Use of Data

1.1 Provider shall not sell, rent, lease or trade Student Data.

## 2. Data Breach

2.1 Provider shall notify the District within twenty-four (24) hours of discovery of any breach of
Student Data.
"""


@pytest.fixture
def document(tmp_path: Path) -> domain.Document:
    path = tmp_path / "dpa.md"
    path.write_text(CONTRACT, encoding="utf-8")
    return load_document(path)


def test_issue_13_trace_returns_the_analysis_with_its_features_and_verdicts(document) -> None:
    run = trace(document)
    analysis = run.analysis
    assert [f.status for f in analysis.findings] == [f.status for f in engine.analyze(document).findings]
    checked = [f for f in analysis.findings if f.status is not domain.Status.NEEDS_REVIEW]
    assert checked and set(run.verdicts) == {f.requirement_id for f in checked} == set(run.rules)
    for f in checked:
        assert run.verdicts[f.requirement_id].status is f.status
        assert run.verdicts[f.requirement_id].confidence == pytest.approx(f.confidence, abs=5e-4)
    rid = "no_sale_of_student_data"
    assert run.rules[rid].status is domain.Status.SATISFIED
    assert [h.start for h in run.features.hits[rid]] == [document.text.index("1.1 Provider shall not sell")]
    breach = run.verdicts["breach_notice_deadline_to_lea"]
    assert breach.params["breach_notice_max_hours"] == 24 and breach.deadline == 1
    assert run.weights["relevance"]["min_relevance"] > 0


def test_issue_13_a_document_the_segmenter_fails_on_gets_a_warning_not_a_silent_empty_clause_list(
    document,
) -> None:
    # A reader that recorded a list number as an int instead of its text: the segmenter cannot read it.
    bad = dataclasses.replace(document, blocks=tuple(dataclasses.replace(b, label=7) for b in document.blocks))
    with pytest.raises(TypeError):
        segment(bad)
    run = trace(bad)
    assert run.analysis.clauses == ()
    warnings = [w for w in run.analysis.document.warnings if "could not be split into clauses" in w]
    assert len(warnings) == 1 and "TypeError" in warnings[0]
    # The analysis goes on without clause numbers: the evaluation reads the same trace.
    assert run.analysis.finding("no_sale_of_student_data").status is domain.Status.SATISFIED
    assert all(ev.clause == "" for f in run.analysis.findings for ev in f.evidence)
    good = trace(document)
    assert good.analysis.clauses and not any("could not be split" in w for w in good.analysis.document.warnings)


def _engine_imports(path: Path) -> list[tuple[str, str, int]]:
    """(module, name, line) of every name imported from the engine by ``path`` (relative imports resolved)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = package[: len(package) - node.level + 1] if node.level else []
        module = ".".join([*base, *(node.module.split(".") if node.module else [])])
        for alias in node.names:
            full = f"{module}.{alias.name}"
            if module.startswith("contractreview.engine") or full.startswith("contractreview.engine"):
                out.append((module, alias.name, node.lineno))
    return out


EVALUATION_CODE = sorted((PACKAGE / "evaluation").glob("*.py")) + [
    PACKAGE / "engine" / "train.py",
    PACKAGE / "engine" / "grader.py",
]


@pytest.mark.parametrize("path", EVALUATION_CODE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_issue_13_evaluation_code_uses_public_engine_names_and_extracts_features_once(path: Path) -> None:
    imports = _engine_imports(path)
    private = [(m, n, line) for m, n, line in imports if n.startswith("_")]
    assert not private, f"{path.name} imports private engine names: {private}"
    # One feature extraction per document: the evaluation reads the features of ``engine.trace``.
    assert not [n for _, n, _ in imports if n in ("extract_features", "iter_extract_features")], path.name
    assert "._" not in "".join(
        f"{a.value.id}.{a.attr}"
        for a in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id in ("G", "engine")
        and a.attr.startswith("_")
    )


def test_issue_13_the_engine_verdict_does_not_share_the_reviewers_decision_name() -> None:
    assert decision.Verdict.__name__ != domain.Decision.__name__
    assert not hasattr(decision, "Decision")
    assert not (PACKAGE / "analyze.py").exists()  # the engine is the package, not a second module
    assert {"features", "scoring", "deadlines", "decision", "explanation", "keyterms", "run"} <= {
        p.stem for p in (PACKAGE / "engine").glob("*.py")
    }


# --------------------------------------------------------------------------- provenance: the learned grader


def test_issue_13_analysis_records_the_grader_artifact_that_rated_it(document, tmp_path: Path, monkeypatch) -> None:
    import hashlib
    import json

    from contractreview.engine import grader as G
    from contractreview.export.model import build_report, report_to_dict
    from contractreview.export.portfolio import PORTFOLIO_COLUMNS, portfolio_rows
    from contractreview.serialize import analysis_from_dict, analysis_to_dict

    shipped = hashlib.sha256(G.ARTIFACT_PATH.read_bytes()).hexdigest()
    analysis = engine.analyze(document)
    assert analysis.grader == shipped
    data = analysis_to_dict(analysis)
    assert data["grader"] == shipped and analysis_from_dict(json.loads(json.dumps(data))).grader == shipped
    assert report_to_dict(build_report(analysis))["title_block"]["grader"] == shipped
    assert f"Learned grader: {shipped}" in build_report(analysis).provenance_lines()
    row = portfolio_rows([(analysis, {})])[0]
    assert row[PORTFOLIO_COLUMNS.index("grader")] == shipped

    # A retrained (here: re-calibrated) artifact is another grader: the analysis says which one rated it.
    artifact = json.loads(G.ARTIFACT_PATH.read_text(encoding="utf-8"))
    artifact["threshold"] = round(float(artifact["threshold"]) - 0.01, 6)
    other = tmp_path / "grader.json"
    other.write_text(json.dumps(artifact), encoding="utf-8")
    monkeypatch.setattr(G, "ARTIFACT_PATH", other)
    G.load_grader.cache_clear()
    try:
        changed = engine.analyze(document)
        assert changed.grader == hashlib.sha256(other.read_bytes()).hexdigest() != shipped
        other.unlink()  # no artifact: the rules decide alone, and no grader is recorded
        G.load_grader.cache_clear()
        none = engine.analyze(document)
        assert none.grader == "" and all(f.confidence == 1.0 for f in none.findings if f.layer == "rules")
        assert analysis_from_dict(analysis_to_dict(none)).grader == ""
    finally:
        G.load_grader.cache_clear()
