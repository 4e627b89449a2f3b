"""Issue #13: profiles honest about what the engine cannot check, provenance in every analysis, and the
engine's knowledge (weights, word lists, per-requirement facts) read from the clause library."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from contractreview import engine
from contractreview.domain import ReportMeta, Status
from contractreview.engine import analyze
from contractreview.errors import InputError, LibraryValidationError
from contractreview.ingest import load_document
from contractreview.library import (
    builtin_library_dir,
    check_library_dir,
    clear_cache,
    load_library,
    load_library_dir,
    validate_library_dir,
)
from contractreview.serialize import analysis_from_dict, analysis_to_dict

CONTRACT = """# Data Privacy Agreement

This Data Privacy Agreement is between the Springfield School District (the "District") and
Acme Learning, Inc. (the "Provider").

## 1. Purpose

1.1 Provider shall use Student Data solely for the purpose of providing the Services to the District.

## 2. Data Security

2.1 Provider shall encrypt all Student Data in transit and at rest using AES-256 and TLS 1.2 or higher.

## 3. Data Breach

3.1 Provider shall notify the District within twenty-four (24) hours of discovery of any breach of
Student Data.

## 4. Use of Data

4.1 Provider shall not sell, rent, lease or trade Student Data.

## 5. Return and Deletion

5.1 Upon written request of the District, Provider shall delete all Student Data within thirty (30)
days of the request.

## 6. Governing Law

6.1 This Agreement shall be governed by the laws of the State of New York.
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("i13") / "dpa.md"
    path.write_text(CONTRACT, encoding="utf-8")
    return load_document(path)


def _text_doc(tmp_path: Path, body: str, name: str = "contract.md"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return load_document(path)


# --------------------------------------------------------------------------- honest profiles


def test_issue_13_no_profile_reports_missing_for_a_requirement_without_a_detector(document) -> None:
    library = load_library()
    undetectable_seen = 0
    for profile in library.profiles:
        analysis = analyze(document, profile=profile)
        assert [f.requirement_id for f in analysis.findings] == list(library.profiles[profile].requirement_ids)
        for f in analysis.findings:
            if library.has_detector(f.requirement_id):
                assert f.status is not Status.NEEDS_REVIEW, (profile, f.requirement_id)
                continue
            undetectable_seen += 1
            assert f.status is Status.NEEDS_REVIEW, (profile, f.requirement_id, f.status)
            assert "not checked automatically" in f.explanation
            assert "not found" not in f.explanation
            assert f.evidence == () and f.layer == "none"
    assert undetectable_seen >= 30  # 7 of the 9 built-in profiles hold some (issue #13)


def test_issue_13_ny_parents_bill_of_rights_is_needs_review_with_plain_words(document) -> None:
    f = analyze(document, profile="ny").finding("ny_parents_bill_of_rights")
    assert f is not None and f.status is Status.NEEDS_REVIEW
    assert ": not checked automatically." in f.explanation and "Read the contract for it" in f.explanation
    assert "Parents' Bill of Rights" in f.explanation  # the requirement's own description says what to read


def test_issue_13_the_core_requirements_all_have_detectors(document) -> None:
    library = load_library()
    assert library.undetectable("default") == []
    assert len(library.requirements_for("default")) == 40
    analysis = analyze(document, profile="default")
    assert analysis.counts()[Status.NEEDS_REVIEW] == 0


def test_issue_13_evaluation_refuses_a_labelled_requirement_it_cannot_check(tmp_path: Path) -> None:
    from contractreview.evaluation.labels import Gold, GoldLabel
    from contractreview.evaluation.runner import evaluate_document

    root = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), root)
    (root / "patterns" / "no_sale_of_student_data.jsonl").unlink()
    library = load_library_dir(root)
    path = tmp_path / "dpa.md"
    path.write_text(CONTRACT, encoding="utf-8")
    gold = Gold(doc="dpa", path="dpa.md", labels={"no_sale_of_student_data": GoldLabel("satisfied")})
    with pytest.raises(InputError, match="no detector"):
        evaluate_document(gold, path, library=library)
    # with the detector back, the same document scores
    ok = evaluate_document(gold, path, library=load_library())
    assert ok.pairs["engine"][0].pred == "satisfied"


def test_issue_13_library_validate_warns_about_each_undetectable_requirement_per_profile(capsys) -> None:
    from contractreview.cli import main

    problems, warnings = check_library_dir(builtin_library_dir())
    assert problems == []
    library = load_library()
    for name in library.profiles:
        missing = [r.id for r in library.undetectable(name)]
        line = next((w for w in warnings if w.startswith(f"profile '{name}'")), "")
        assert all(rid in line for rid in missing), name
        assert bool(line) == bool(missing), name
    assert main(["library", "validate", str(builtin_library_dir())]) == 0
    out = capsys.readouterr().out
    assert "warning: profile 'ny'" in out and "ny_parents_bill_of_rights" in out
    assert "needs_review" in out and "valid (" in out


def test_issue_13_cli_shows_needs_review_in_text_md_and_json(tmp_path: Path, capsys) -> None:
    from contractreview.cli import main

    path = tmp_path / "dpa.md"
    path.write_text(CONTRACT, encoding="utf-8")
    assert main(["analyze", str(path), "--profile", "ny", "--no-store", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {f["requirement_id"]: f for f in data["findings"]}
    assert by_id["ny_parents_bill_of_rights"]["status"] == "needs_review"
    assert main(["analyze", str(path), "--profile", "ny", "--no-store"]) == 0
    text = capsys.readouterr().out
    assert "NOT CHECKED AUTOMATICALLY: read the contract for these (7)" in text and "7 needs review" in text
    assert main(["analyze", str(path), "--profile", "ny", "--no-store", "--format", "md"]) == 0
    assert "| needs_review | (NY) Parents' Bill of Rights" in capsys.readouterr().out


def test_issue_13_every_export_groups_needs_review_apart_from_missing(document, tmp_path: Path) -> None:
    import docx

    from contractreview.export import export_report
    from contractreview.export.change_request import write_change_request
    from contractreview.export.model import NOT_CHECKED_HEADING, build_report

    analysis = analyze(document, profile="ny")
    meta = ReportMeta(reviewer="Dana")
    model = build_report(analysis, {}, meta)
    unchecked = {i.requirement_id for i in model.not_checked}
    assert unchecked == {r.id for r in load_library().undetectable("ny")}
    assert not unchecked & {i.requirement_id for i in model.flagged}
    assert all(i.status is not Status.NEEDS_REVIEW for i in model.flagged)
    numbers = [i.number for i in (*model.flagged, *model.not_checked)]
    assert numbers == list(range(1, len(numbers) + 1))

    md = export_report(analysis, {}, meta, "md", tmp_path / "gap.md").read_text(encoding="utf-8")
    head, _, tail = md.partition(f"## {NOT_CHECKED_HEADING} ({len(unchecked)})")
    assert tail and "(NY) Parents' Bill of Rights" in tail and "(NY) Parents' Bill of Rights" not in head
    # said once, by the plain reason below, not again as an evidence line (#18)
    assert "Not checked automatically: read the contract for this protection." not in tail
    assert "Not checked automatically: the review cannot look for this protection" in tail  # plain reason
    assert "could not settle" not in tail
    html = export_report(analysis, {}, meta, "html", tmp_path / "gap.html").read_text(encoding="utf-8")
    assert f"<h2>{NOT_CHECKED_HEADING} ({len(unchecked)})</h2>" in html
    d = docx.Document(str(export_report(analysis, {}, meta, "docx", tmp_path / "gap.docx")))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert f"{NOT_CHECKED_HEADING} ({len(unchecked)})" in headings
    import pdfplumber

    with pdfplumber.open(export_report(analysis, {}, meta, "pdf", tmp_path / "gap.pdf")) as pdf:
        pdf_text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert f"{NOT_CHECKED_HEADING} ({len(unchecked)})" in pdf_text
    rows = (tmp_path / "gap.csv")
    export_report(analysis, {}, meta, "csv", rows)
    assert rows.read_text(encoding="utf-8-sig").count("needs_review") == len(unchecked)
    data = json.loads(export_report(analysis, {}, meta, "json", tmp_path / "gap.json").read_text())
    assert {i["requirement_id"] for i in data["not_checked"]} == unchecked
    assert all(i["status"] != "needs_review" for i in data["flagged"])

    request = docx.Document(str(write_change_request(analysis, {}, meta, tmp_path / "request.docx")))
    texts = [p.text for p in request.paragraphs]
    assert "To confirm before sending" in texts
    after = texts[texts.index("To confirm before sending") :]
    assert any("(NY) Parents' Bill of Rights" in t for t in after)
    assert not any("(NY) Parents' Bill of Rights" in t for t in texts[: texts.index("To confirm before sending")])
    assert "does not address this." not in " ".join(after)


def test_issue_13_annotated_copies_list_unchecked_protections_in_their_summary(tmp_path: Path) -> None:
    import docx as python_docx

    from contractreview.export.annotated_docx import write_annotated_docx

    src = tmp_path / "dpa.docx"
    d = python_docx.Document()
    for para in CONTRACT.split("\n\n"):
        d.add_paragraph(para.lstrip("# ").replace("\n", " "))
    d.save(str(src))
    analysis = analyze(load_document(src), profile="ny")
    out = write_annotated_docx(analysis, {}, ReportMeta(), src, tmp_path / "annotated.docx")
    comments = " ".join(c.text for c in python_docx.Document(str(out)).comments)
    assert "not checked automatically" in comments and "(NY) Parents' Bill of Rights" in comments


# --------------------------------------------------------------------------- provenance


def test_issue_13_analysis_records_engine_library_fingerprint_and_profile(document, tmp_path: Path) -> None:
    library = load_library("ny")
    analysis = analyze(document, profile="ny")
    assert analysis.engine_version == engine.ENGINE_VERSION
    assert analysis.library_fingerprint == library.fingerprint and len(library.fingerprint) == 64
    assert analysis.library_version == library.version and analysis.profile == "ny"
    data = analysis_to_dict(analysis)
    assert data["engine_version"] == engine.ENGINE_VERSION
    assert data["library_fingerprint"] == library.fingerprint
    back = analysis_from_dict(json.loads(json.dumps(data)))
    assert (back.engine_version, back.library_fingerprint) == (analysis.engine_version, library.fingerprint)

    from contractreview.export.model import build_report, report_to_dict
    from contractreview.store import open_store

    with open_store(tmp_path / "reviews.db") as store:
        rid = store.save_analysis(analysis)  # as the GUI saves it: no fingerprint passed
        assert store.get_summary(rid).library_fingerprint == library.fingerprint
        stored = store.get_analysis(rid)
        assert stored.library_fingerprint == library.fingerprint and stored.engine_version == "rules-1"
    block = report_to_dict(build_report(analysis))["title_block"]
    assert block["library_fingerprint"] == library.fingerprint and block["engine_version"] == "rules-1"
    model = build_report(analysis, meta=ReportMeta(technical_appendix=True))
    assert f"Clause library {library.version}, fingerprint {library.fingerprint}" in model.provenance_lines()
    assert "Engine version: rules-1" in model.provenance_lines()


def test_issue_13_changing_a_weight_or_a_lexicon_changes_the_fingerprint(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), root)
    f0 = load_library_dir(root).fingerprint
    assert f0 == load_library().fingerprint
    weights = json.loads((root / "weights.json").read_text(encoding="utf-8"))
    weights["quality"]["hedge"] = 1.25
    (root / "weights.json").write_text(json.dumps(weights), encoding="utf-8")
    f1 = load_library_dir(root).fingerprint
    hedges = root / "lexicons" / "hedges.toml"
    hedges.write_text(hedges.read_text(encoding="utf-8").replace('  "strive",\n', ""), encoding="utf-8")
    f2 = load_library_dir(root).fingerprint
    assert len({f0, f1, f2}) == 3
    assert load_library_dir(root).weights["quality"]["hedge"] == 1.25
    assert "strive" not in load_library_dir(root).lexicon("hedges", "hedges")


# --------------------------------------------------------------------------- facts as data

HEDGED = """# Data Privacy Agreement

## 3. Data Breach

3.1 Provider shall, as a rule, notify the District within twenty-four (24) hours of discovery of any
breach of Student Data.
"""


@pytest.mark.usefixtures("rules_decide")  # what the rules read; the grader only rates
def test_issue_13_an_overlay_lexicon_changes_the_engines_behaviour(tmp_path: Path) -> None:
    doc = _text_doc(tmp_path, HEDGED)
    rid = "breach_notice_deadline_to_lea"
    assert analyze(doc).finding(rid).status is Status.SATISFIED
    overlay = tmp_path / "district"
    (overlay / "lexicons").mkdir(parents=True)
    (overlay / "lexicons" / "hedges.toml").write_text(
        'schema_version = 1\n[add]\nhedges = ["as a rule"]\n', encoding="utf-8"
    )
    assert validate_library_dir(overlay) == []
    library = load_library(user_dir=overlay)
    assert "as a rule" in library.lexicon("hedges", "hedges")
    assert library.fingerprint != load_library().fingerprint and "+user:" in library.version
    f = analyze(doc, library=library).finding(rid)
    assert f.status is Status.WEAK and 'hedged ("as a rule")' in f.explanation
    assert analyze(doc).finding(rid).status is Status.SATISFIED  # the built-in library is untouched


BOARD_REQ = """schema_version = 1
id = "board_complaint_notice"
title = "Complaints forwarded to the Board within a fixed deadline"
category = "transparency"
severity = "medium"
description = "The vendor forwards every parent complaint about student data to the Board within a stated number of days."
why = "The Board answers complaints on its own deadline."
parameters = ["board_notice_max_days"]
deadline_required = true
notice_to = "school"
weak_cues = ["in due course"]
suggested_language = "Provider shall forward each complaint to the Board within five (5) days."
vendor_question = "Within how many days will you forward a complaint to the Board?"

[[sources]]
citation = "District policy 5125"
verified = "unverified"
"""


def _cue_and_commit(rid: str, cue: str, verb: str) -> list[dict]:
    """Two district patterns: a strong cue phrase and "shall/will <verb>" as the commitment."""
    return [
        {"label": rid, "id": f"district.{rid}.cue", "kind": "cue", "weight": 2.0, "pattern": cue,
         "example": f"The Provider shall {verb} each {cue}."},
        {"label": rid, "id": f"district.{rid}.commit", "kind": "commit",
         "pattern": [{"LOWER": {"IN": ["shall", "will"]}}, {"LOWER": verb}],
         "example": f"The Provider shall {verb} each {cue}."},
    ]  # fmt: skip


BOARD_PATTERNS = _cue_and_commit("board_complaint_notice", "complaint", "forward")
BOARD_PROFILE = """schema_version = 1
name = "district"
label = "District playbook"
extends = "default"
add = ["board_complaint_notice"]

[thresholds.board_notice_max_days]
value = 10
unit = "days"
basis = "District policy 5125: ten days"
"""


@pytest.fixture
def board_overlay(tmp_path: Path) -> Path:
    root = tmp_path / "board"
    for sub in ("requirements", "patterns", "profiles"):
        (root / sub).mkdir(parents=True)
    (root / "requirements" / "board_complaint_notice.toml").write_text(BOARD_REQ, encoding="utf-8")
    (root / "patterns" / "board_complaint_notice.jsonl").write_text(
        "\n".join(json.dumps(p) for p in BOARD_PATTERNS) + "\n", encoding="utf-8"
    )
    (root / "profiles" / "district.toml").write_text(BOARD_PROFILE, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("wording", "status", "says"),
    [
        ("within five (5) days", Status.SATISFIED, "within the profile's limit"),
        ("within thirty (30) days", Status.WEAK, "asks for at most 10 days"),
        ("in due course", Status.WEAK, "no fixed deadline"),
    ],
)
def test_issue_13_an_overlay_requirement_with_a_deadline_is_judged_by_its_data(
    tmp_path: Path, board_overlay: Path, wording: str, status: Status, says: str
) -> None:
    assert validate_library_dir(board_overlay) == []
    library = load_library("district", user_dir=board_overlay)
    assert library.has_detector("board_complaint_notice")
    body = f"# Agreement\n\n## 7. Complaints\n\n7.1 Provider shall forward each complaint to the Board {wording}.\n"
    f = analyze(_text_doc(tmp_path, body), library=library, profile="district").finding("board_complaint_notice")
    assert f.status is status, f.explanation
    assert says in f.explanation
    if wording == "in due course":  # the requirement's weak_cues are read, too
        assert '"in due course", listed in the clause library as weak for this protection' in f.explanation
    if status is Status.SATISFIED:
        assert f.params["board_notice_max_days"] == 5


def test_issue_13_an_overlay_requirement_without_patterns_is_needs_review(tmp_path: Path, board_overlay) -> None:
    (board_overlay / "patterns" / "board_complaint_notice.jsonl").unlink()
    library = load_library("district", user_dir=board_overlay)
    _problems, warnings = check_library_dir(board_overlay)
    assert any(w.startswith("profile 'district'") and "board_complaint_notice" in w for w in warnings)
    body = "# Agreement\n\n7.1 Provider shall forward each complaint to the Board within five (5) days.\n"
    f = analyze(_text_doc(tmp_path, body), library=library, profile="district").finding("board_complaint_notice")
    assert f.status is Status.NEEDS_REVIEW


@pytest.mark.parametrize(
    ("rel", "content", "message"),
    [
        ("lexicons/hedges.toml", 'schema_version = 1\n[lists]\nhedgez = ["x"]\n', "unknown list 'hedgez'"),
        ("lexicons/hedges.toml", "schema_version = 1\n[add]\nhedges = [1]\n", "list of non-empty strings"),
        ("lexicons/slang.toml", "schema_version = 1\n[lists]\nx = []\n", "unknown lexicon 'slang'"),
        ("weights.json", '{"schema_version": 1, "quality": {"hedge": "high"}}', "must be a number"),
        ("weights.json", '{"schema_version": 1, "relevance": {"vibes": 1}}', "unknown key 'vibes'"),
    ],
)
def test_issue_13_lexicon_and_weight_errors_name_the_file_and_field(
    tmp_path: Path, rel: str, content: str, message: str
) -> None:
    root = tmp_path / "district"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(content, encoding="utf-8")
    problems = validate_library_dir(root)
    assert any(message in p and Path(rel).name in p for p in problems), problems
    with pytest.raises(LibraryValidationError):
        load_library(user_dir=root)


def test_issue_13_a_base_library_needs_its_lexicons_and_weights(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), root)
    (root / "lexicons" / "timing.toml").unlink()
    (root / "weights.json").unlink()
    problems = validate_library_dir(root)
    assert any("timing.toml" in p and "missing lexicon" in p for p in problems)
    assert any("weights.json" in p for p in problems)


def test_issue_13_the_engine_reads_requirement_facts_from_the_library() -> None:
    library = load_library()
    data = library.engine_data()
    assert data["parameters"]["breach_notice_deadline_to_lea"] == "breach_notice_max_hours"
    assert "deletion_on_lea_request" in data["timeframe_required"]
    assert data["notice_to"]["compelled_disclosure_notice"] == "school"
    assert "sell" in data["prohibitions"]["no_sale_of_student_data"]
    assert "breach_definition_and_trigger" in data["definitions_count_for"]
    assert "promptly" in data["lexicon"]["vague_timing"]
    assert data["lexicon"]["adjective_countries"]["french"] == "France"
    # every per-requirement fact comes from a requirement file, none from weights.json
    raw = json.loads((builtin_library_dir() / "weights.json").read_text(encoding="utf-8"))
    assert not {"parameters", "timeframe_required", "prohibitions", "notice_to_school"} & set(raw)


# --------------------------------------------------------------------------- segmentation failure


def test_issue_13_a_segmentation_failure_becomes_a_document_warning(document, monkeypatch) -> None:
    def broken(_doc):  # type: ignore[no-untyped-def]
        raise RuntimeError("numbering loop")

    monkeypatch.setattr("contractreview.engine.run.segment", broken)
    analysis = analyze(document)
    assert analysis.clauses == ()
    assert any("could not be split into clauses" in w and "numbering loop" in w for w in analysis.document.warnings)
    assert analysis.finding("no_sale_of_student_data").status is Status.SATISFIED
    assert dataclasses.replace(document).warnings == document.warnings  # the input is not changed


RISK_PATTERNS = _cue_and_commit("risk_assessment_and_testing", "risk assessment", "conduct")


@pytest.mark.parametrize(
    ("every", "status", "months"), [("twelve (12) months", Status.SATISFIED, 12), ("twenty-four (24) months", Status.WEAK, 24)]
)
def test_issue_13_district_patterns_make_an_unchecked_requirement_checkable_in_months(
    tmp_path: Path, every: str, status: Status, months: int
) -> None:
    rid = "risk_assessment_and_testing"
    body = f"# Agreement\n\n## 8. Security\n\n8.1 Provider shall conduct a security risk assessment every {every}.\n"
    doc = _text_doc(tmp_path, body)
    assert analyze(doc, profile="coppa").finding(rid).status is Status.NEEDS_REVIEW
    overlay = tmp_path / "district"
    (overlay / "patterns").mkdir(parents=True)
    (overlay / "patterns" / f"{rid}.jsonl").write_text(
        "\n".join(json.dumps(p) for p in RISK_PATTERNS) + "\n", encoding="utf-8"
    )
    library = load_library("coppa", user_dir=overlay)
    assert library.has_detector(rid) and library.threshold("risk_assessment_max_interval_months").value == 12
    f = analyze(doc, library=library, profile="coppa").finding(rid)
    assert f.status is status, f.explanation
    assert f.params["risk_assessment_max_interval_months"] == months  # the requirement's own parameter
    if status is Status.WEAK:
        assert "24 months" in f.explanation and "at most 12 months" in f.explanation


def test_issue_13_needs_review_from_a_reviewers_correction_is_not_called_unchecked(document) -> None:
    from contractreview.export.model import build_report

    analysis = analyze(document, profile="ny")
    f = analysis.finding("no_sale_of_student_data")
    corrected = dataclasses.replace(f, status=Status.NEEDS_REVIEW)  # as engine.keyterms._recheck makes it
    assert not corrected.not_checked and analysis.finding("ny_parents_bill_of_rights").not_checked
    findings = tuple(corrected if x.requirement_id == f.requirement_id else x for x in analysis.findings)
    model = build_report(dataclasses.replace(analysis, findings=findings))
    assert "no_sale_of_student_data" in {i.requirement_id for i in model.flagged}
    assert "no_sale_of_student_data" not in {i.requirement_id for i in model.not_checked}
