"""`contractreview reviews …` and `contractreview store check` on real database files."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_store_support import contract_v1, contract_v2

from contractreview.cli import main
from contractreview.domain import Decision
from contractreview.store import SCHEMA_VERSION, open_store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "cli.sqlite3"
    v1, v2 = contract_v1(), contract_v2()
    with open_store(path) as store:
        a = store.save_analysis(v1)
        b = store.save_analysis(v2)
        store.set_decision(v1.document.sha256, "no_targeted_ads", Decision.NEEDS_NEGOTIATION,
                           note="ask for a no-ads clause", reviewer="Ana")
        store.set_decision(v1.document.sha256, "breach_notification", Decision.ACCEPT, reviewer="Ana",
                           evidence_text="some other wording")
    return path, a, b


def test_cli_reviews_list_shows_both_reviews(db, capsys) -> None:
    path, a, b = db
    assert main(["reviews", "list", "--db", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[0] == "ID" and len(out) == 3
    assert out[1].split()[0] == str(b) and "vendor-dpa-rev2.pdf" in out[1]
    assert "1 ok / 1 weak / 1 missing" in out[2]
    assert main(["reviews", "list", "--json", "--db", str(path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [b, a]


def test_cli_reviews_show_marks_decisions_and_changed_evidence(db, capsys) -> None:
    path, a, _b = db
    assert main(["reviews", "show", str(a), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    ads = next(ln for ln in out.splitlines() if "no_targeted_ads" in ln)
    breach = next(ln for ln in out.splitlines() if "breach_notification" in ln)
    assert "MISSING" in ads and "Needs negotiation by Ana" in ads and "EVIDENCE CHANGED" not in ads
    assert "EVIDENCE CHANGED" in breach
    assert "note: ask for a no-ads clause" in out
    assert main(["reviews", "show", str(a), "--json", "--db", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decisions"]["breach_notification"]["evidence_changed"] is True


def test_cli_reviews_diff_lists_improved_and_worse(db, capsys) -> None:
    path, a, b = db
    assert main(["reviews", "diff", str(a), str(b), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Improved: 2" in out and "Worse: 1" in out and "data_deletion: satisfied -> weak" in out
    assert "5.1 (changed)" in out


def test_cli_reviews_export_import_and_link(db, tmp_path: Path, capsys) -> None:
    path, a, b = db
    out_file = tmp_path / "handover.json"
    assert main(["reviews", "export", str(a), str(out_file), "--db", str(path)]) == 0
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    other = tmp_path / "colleague.sqlite3"
    assert main(["reviews", "import", str(out_file), "--db", str(other)]) == 0
    assert "Imported review 1: vendor-dpa.pdf" in capsys.readouterr().out
    with open_store(other) as store:
        assert len(store.list_reviews()) == 1 and len(store.decisions(contract_v1().document.sha256)) == 2
    assert main(["reviews", "link", str(b), str(a), "--db", str(path)]) == 0
    with open_store(path) as store:
        assert store.previous_version(contract_v2().document.sha256) == contract_v1().document.sha256
    sha_prefix = contract_v1().document.sha256[:4]
    assert main(["reviews", "link", str(b), sha_prefix, "--db", str(path)]) == 2
    assert "12+ hex" in capsys.readouterr().err
    assert main(["reviews", "history", str(a), "--db", str(path)]) == 0
    assert "decision_set no_targeted_ads needs_negotiation" in capsys.readouterr().out


def test_cli_unknown_review_is_one_line_and_exit_2(db, capsys) -> None:
    path, _a, _b = db
    assert main(["reviews", "show", "999", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cli.sqlite3" in err[0] and "no review 999" in err[0]


def test_cli_store_check_healthy_then_damaged(db, capsys) -> None:
    path, _a, _b = db
    proc = subprocess.run([sys.executable, "-m", "contractreview", "store", "check", "--db", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert f"OK (schema {SCHEMA_VERSION}, 2 reviews" in proc.stdout
    con = sqlite3.connect(path)
    con.execute("INSERT INTO decisions (sha256, requirement_id, decision, created_at, updated_at)"
                " VALUES ('0000', 'x', 'accept', 't', 't')")
    con.commit()
    con.close()
    assert main(["store", "check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "1 problem(s)" in err and "decisions" in err


def test_cli_store_backup_writes_a_copy(db, tmp_path: Path, capsys) -> None:
    path, _a, _b = db
    out = tmp_path / "backup.sqlite3"
    assert main(["store", "backup", str(out), "--db", str(path)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert main(["reviews", "list", "--db", str(out)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_cli_reviews_diff_says_when_documents_are_not_linked_versions(db, capsys) -> None:
    """A diff of two unrelated contracts listed every change as if one revised the other; it now
    names both documents and says they are not linked, until `reviews link` records it."""
    path, a, b = db
    assert main(["reviews", "diff", str(a), str(b), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "vendor-dpa-rev2.pdf" in out.splitlines()[0]
    assert "different documents, not linked" in out and f"reviews link {b} {a}" in out
    assert main(["reviews", "link", str(b), str(a), "--db", str(path)]) == 0
    capsys.readouterr()
    for old, new in ((a, b), (b, a), (a, a)):
        assert main(["reviews", "diff", str(old), str(new), "--db", str(path)]) == 0
        assert "not linked" not in capsys.readouterr().out


def test_cli_reviews_show_prints_explanations_and_notes_in_full(tmp_path: Path, capsys) -> None:
    """The explanation (clause, page, quoted words) was cut at 100 characters with '…'."""
    import dataclasses

    v1 = contract_v1()
    long_expl = "Clause 9.4, page 7 says " + " ".join(f"word{i}" for i in range(60)) + " END-OF-EXPLANATION."
    f0 = dataclasses.replace(v1.findings[0], explanation=long_expl)
    analysis = dataclasses.replace(v1, findings=(f0, *v1.findings[1:]))
    path = tmp_path / "full.sqlite3"
    note = "Counsel: " + " ".join(f"n{i}" for i in range(40)) + " NOTE-END"
    with open_store(path) as store:
        rid = store.save_analysis(analysis)
        store.set_decision(v1.document.sha256, f0.requirement_id, Decision.ACCEPT, note=note, reviewer="Ana")
    assert main(["reviews", "show", str(rid), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert "END-OF-EXPLANATION." in out and "NOTE-END" in out
    assert " ".join(out.split()).count("word59 END-OF-EXPLANATION.") == 1
    assert max(len(line) for line in out.splitlines() if "word" in line) <= 100


def test_issue_13_cli_reviews_show_names_engine_and_library_fingerprint(tmp_path: Path, capsys) -> None:
    import dataclasses

    analysis = dataclasses.replace(contract_v1(), engine_version="rules-1", library_fingerprint="ab" * 32)
    path = tmp_path / "prov.sqlite3"
    with open_store(path) as store:
        rid = store.save_analysis(analysis)  # the fingerprint comes from the analysis
    assert main(["reviews", "show", str(rid), "--db", str(path)]) == 0
    assert "engine rules-1, library fingerprint abababababab" in capsys.readouterr().out
