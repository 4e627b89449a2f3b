"""``contractreview export`` end to end: stored reviews from a real SQLite store, and files analysed now."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import stat
from pathlib import Path

import pytest

from contractreview.cli import main
from contractreview.domain import Decision

_spec = importlib.util.spec_from_file_location(
    "export_support", Path(__file__).with_name("test_export_support.py")
)
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)  # type: ignore[union-attr]

store_mod = pytest.importorskip("contractreview.store")


@pytest.fixture()
def stored(tmp_path):
    """A real review database holding one PDF review with two decisions."""
    src = S.make_pdf_contract(tmp_path / "contract.pdf")
    analysis = S.make_analysis(S.pdf_document(src), pdf_path=src)
    db = tmp_path / "reviews.db"
    with store_mod.open_store(db) as store:
        rid = store.save_analysis(analysis, source_path=str(src))
        ev = analysis.finding("breach_notification").evidence[0].text
        store.set_decision(
            analysis.document.sha256,
            "breach_notification",
            Decision.NEEDS_NEGOTIATION,
            note="Ask for 72 hours",
            reviewer="Dana Reviewer",
            evidence_text=ev,
        )
        store.set_decision(
            analysis.document.sha256,
            "annual_security_audit",
            Decision.WAIVED,
            note="SOC 2",
            reviewer="Dana Reviewer",
        )
    return db, rid, src, analysis


def test_export_cli_json_from_stored_review(stored, tmp_path, capsys) -> None:
    db, rid, _, analysis = stored
    out = tmp_path / "r.json"
    assert main(["export", str(rid), "--db", str(db), "-o", str(out), "--reviewer", "Dana Reviewer"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    data = json.loads(out.read_text())
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    flagged = {f["requirement_id"]: f for f in data["flagged"]}
    assert set(flagged) == S.FLAGGED_IDS
    assert flagged["breach_notification"]["decision"] == "needs_negotiation"
    assert flagged["breach_notification"]["note"] == "Ask for 72 hours"
    assert flagged["breach_notification"]["evidence_changed"] is False
    assert flagged["annual_security_audit"]["decision"] == "waived"
    assert (
        flagged["breach_notification"]["evidence"][0]["text"]
        == analysis.finding("breach_notification").evidence[0].text
    )
    assert data["title_block"]["review_id"] == rid and data["title_block"]["reviewer"] == "Dana Reviewer"


def test_export_cli_annotated_from_stored_review_uses_recorded_source(stored, tmp_path) -> None:
    from pypdf import PdfReader

    db, rid, src, _ = stored
    before = S.sha256(src)
    out = tmp_path / "a.pdf"
    assert main(["export", str(rid), "--db", str(db), "--format", "annotated", "-o", str(out)]) == 0
    assert S.sha256(src) == before
    kinds = [a.get_object()["/Subtype"] for p in PdfReader(str(out)).pages for a in (p.get("/Annots") or [])]
    assert kinds.count("/Highlight") == 2


def test_export_cli_portfolio_and_errors(stored, tmp_path, capsys) -> None:
    db, rid, _, analysis = stored
    out = tmp_path / "p.csv"
    assert main(["export", "--portfolio", str(rid), str(rid), "--db", str(db), "-o", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 * len(analysis.findings)
    # an unknown review id and a missing file are one-line errors naming the cause
    assert main(["export", "999", "--db", str(db), "-o", str(tmp_path / "x.json")]) == 2
    assert "999" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "nope.pdf"), "--db", str(db)]) == 2
    assert "nope.pdf" in capsys.readouterr().err
    assert main(["export", str(rid), "--db", str(tmp_path / "absent.db")]) == 2
    assert "absent.db" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()


def test_export_cli_analyses_a_file_now(tmp_path, capsys) -> None:
    pytest.importorskip("contractreview.engine.run")
    from contractreview.paths import sample_contract

    sample = sample_contract("docx")
    if not sample.is_file():
        pytest.skip("bundled sample contract missing")
    out = tmp_path / "sample.md"
    code = main(["export", str(sample), "-o", str(out), "--db", str(tmp_path / "none.db")])
    assert code == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "# Contract review: gap summary" in text and "Not legal advice" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "csv", "json", "html", "request"])
def test_export_cli_never_overwrites_the_reviewed_contract(stored, tmp_path, capsys, fmt) -> None:
    """Regression: 'export ID -f pdf -o <the contract>.pdf' replaced the contract with the gap summary."""
    db, rid, src, _ = stored
    before = S.sha256(src)
    code = main(["export", str(rid), "--db", str(db), "-f", fmt, "-o", str(src)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "contract.pdf" in err[0]
    assert "overwrite" in err[0] or fmt != "pdf"  # other formats already fail on the name's suffix
    assert S.sha256(src) == before
    # the library refuses too, whatever the format
    from contractreview.errors import ExportError
    from contractreview.export import export_change_request, export_report

    with store_mod.open_store(db) as store:
        analysis = store.get_analysis(rid)
    with pytest.raises(ExportError, match="overwrite"):
        if fmt == "request":
            export_change_request(analysis, {}, S.META, src)
        else:
            export_report(analysis, {}, S.META, fmt, src)
    assert S.sha256(src) == before
    assert sorted(p.name for p in src.parent.iterdir() if p.name.startswith(".contract")) == []


def test_export_cli_annotated_keeps_the_contracts_kind(stored, tmp_path, capsys) -> None:
    """Regression: an annotated copy of a PDF asked for as '.docx' was a PDF file named .docx."""
    db, rid, _, _ = stored
    wrong = tmp_path / "annotated.docx"
    assert main(["export", str(rid), "--db", str(db), "-f", "annotated", "-o", str(wrong)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "annotated.docx" in err[0] and ".pdf" in err[0]
    assert not wrong.exists()
    right = tmp_path / "annotated.pdf"
    assert main(["export", str(rid), "--db", str(db), "-f", "annotated", "-o", str(right)]) == 0
    assert right.read_bytes().startswith(b"%PDF-")


def test_export_cli_default_annotated_name_follows_content(tmp_path, monkeypatch, capsys) -> None:
    """A DOCX a vendor renamed to .pdf gets an annotated copy named .docx (it is a DOCX)."""
    src = S.make_docx_contract(tmp_path / "contract.docx")
    renamed = tmp_path / "vendor-dpa.pdf"
    renamed.write_bytes(src.read_bytes())
    outdir = tmp_path / "out"
    outdir.mkdir()
    monkeypatch.chdir(outdir)
    monkeypatch.setenv("CONTRACTREVIEW_DATA_DIR", str(tmp_path / "data"))
    assert main(["export", str(renamed), "-f", "annotated", "--db", str(tmp_path / "none.db")]) == 0
    written = [p.name for p in outdir.iterdir()]
    assert written == ["vendor-dpa-annotated.docx"]
    import zipfile

    assert "word/comments.xml" in zipfile.ZipFile(outdir / written[0]).namelist()


@pytest.mark.parametrize("extra", [[], ["--portfolio"]])
def test_export_cli_never_overwrites_the_review_database(stored, capsys, extra) -> None:
    import shutil

    first, rid, _, _ = stored
    db = first.with_name("reviews.csv")  # a database whose name passes the format check
    shutil.copyfile(first, db)
    before = db.read_bytes()
    assert main(["export", str(rid), *extra, "--db", str(db), "-f", "csv", "-o", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "reviews.csv" in err[0] and "database" in err[0]
    assert db.read_bytes() == before
    with store_mod.open_store(db) as store:
        assert store.check() == [] and store.get_analysis(rid)


def test_export_cli_logs_no_contract_text_unless_debug(tmp_path, capsys, caplog) -> None:
    """Issue #7: ingest, analysis, store and export log no contract text at INFO and above."""
    import logging

    pytest.importorskip("contractreview.engine.run")
    import docx

    marker = "Zyxwvut Quillfeather Academy"
    d = docx.Document()
    d.add_paragraph("1. Definitions")
    d.add_paragraph(f"1.1 Provider shall notify {marker} of any breach of Student Data within 30 days.")
    d.add_paragraph(f"1.2 Provider shall delete Student Data of {marker} on request.")
    src = tmp_path / "secret.docx"
    d.save(str(src))
    db = tmp_path / "reviews.db"
    caplog.set_level(logging.INFO)
    for fmt, suffix in (("md", ".md"), ("annotated", ".docx"), ("json", ".json")):
        assert main(["export", str(src), "--db", str(db), "-f", fmt, "-o", str(tmp_path / f"out{suffix}")]) == 0
    assert main(["reviews", "list", "--db", str(db)]) in (0, None)
    assert main(["ingest", str(src)]) == 0
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [m for m in logged if "Quillfeather" in m]
    assert "Quillfeather" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["-o", "summary.txt"], "summary.txt"),
        (["-f", "pdf", "-o", "report.docx"], "report.docx"),
        (["-f", "request", "-o", "request.pdf"], "request.pdf"),
        (["--portfolio", "-o", "inventory.xlsx"], "inventory.xlsx"),
    ],
)
def test_export_cli_output_name_must_match_the_format(stored, tmp_path, capsys, monkeypatch, argv, name) -> None:
    """Regression: '-o summary.txt' wrote a DOCX named .txt, '--portfolio -o x.xlsx' a CSV named .xlsx."""
    db, rid, _, _ = stored
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(rid), "--db", str(db), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0]
    assert not (tmp_path / name).exists()


def test_export_cli_format_from_name_and_default(stored, tmp_path, monkeypatch, capsys) -> None:
    db, rid, _, _ = stored
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(rid), "--db", str(db), "-o", "r.HTML"]) == 0
    assert "<html" in (tmp_path / "r.HTML").read_text(encoding="utf-8").lower()
    assert main(["export", str(rid), "--db", str(db), "-f", "md", "-o", "noext"]) == 0
    assert (tmp_path / "noext").read_text(encoding="utf-8").startswith("# ")
    assert main(["export", str(rid), "--db", str(db), "-f", "request", "-o", "req.docx"]) == 0
    assert zipfile_ok(tmp_path / "req.docx")


def zipfile_ok(p: Path) -> bool:
    import zipfile

    return "word/document.xml" in zipfile.ZipFile(p).namelist()
