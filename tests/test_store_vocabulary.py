"""Issue #18: the reviewer's names for the parties and the data are stored with the review (migration 5),
carried in hand-over files, and used by the CLI's exports of that review."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_store_support import contract_v1

from contractreview.errors import StoreError
from contractreview.store import migrations, open_store
from contractreview.vocabulary import ContractTerms


def test_issue_18_vocabulary_is_kept_per_document_and_audited(tmp_path: Path) -> None:
    a = contract_v1()
    sha = a.document.sha256
    with open_store(tmp_path / "r.sqlite3") as store:
        with pytest.raises(StoreError, match="no stored review"):
            store.set_vocabulary(sha, ContractTerms(vendor="Acme"))
        store.save_analysis(a)
        assert store.vocabulary(sha) == ContractTerms()
        store.set_vocabulary(sha, ContractTerms(vendor="  the  Contractor ", data="Pupil Records"), reviewer="Ana")
        store.save_analysis(a)  # a re-analysis: a new review of the same document keeps the names
    with open_store(tmp_path / "r.sqlite3") as store:
        assert store.vocabulary(sha) == ContractTerms(vendor="the Contractor", data="Pupil Records")
        store.set_vocabulary(sha, ContractTerms())  # all empty: the contract's own names again
        assert store.vocabulary(sha) == ContractTerms()
        actions = [h["action"] for h in store.history(sha)]
        assert actions.count("vocabulary_set") == 1 and actions.count("vocabulary_cleared") == 1
        set_row = next(h for h in store.history(sha) if h["action"] == "vocabulary_set")
        assert set_row["who"] == "Ana" and set_row["new"]["vendor"] == "the Contractor"


def test_issue_18_migration_5_does_not_hide_a_later_migration_4(tmp_path: Path, monkeypatch) -> None:
    """Migration 4 (written on another branch) must still run on a database that already has 5."""
    path = tmp_path / "r.sqlite3"
    open_store(path).close()
    con = sqlite3.connect(path)
    assert 5 in [r[0] for r in con.execute("SELECT id FROM _migrations")]
    con.close()

    def m004(db):  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE parallel_branch (x TEXT)")

    numbers = [m[0] for m in migrations.MIGRATIONS]
    if 4 not in numbers:
        merged = tuple(sorted((*migrations.MIGRATIONS, (4, "from the other branch", m004)), key=lambda m: m[0]))
        monkeypatch.setattr(migrations, "MIGRATIONS", merged)
        with open_store(path) as store:
            assert "parallel_branch" in store.db.table_names()
            assert migrations.applied(store.db) == [1, 2, 3, 4, 5]
            assert store.schema_version == 5 and migrations.pending(store.db) == []
    # and a database that stopped at 3 gets 5 without needing 4's content
    old = tmp_path / "old.sqlite3"
    from sqlite_utils import Database

    db = Database(sqlite3.connect(old, isolation_level=None))
    migrations.migrate(db, target=3)
    db.conn.close()
    with open_store(old) as store:
        assert "contract_vocabulary" in store.db.table_names()


def test_issue_18_handover_carries_the_names(tmp_path: Path) -> None:
    a = contract_v1()
    sha = a.document.sha256
    with open_store(tmp_path / "alice.sqlite3") as alice, open_store(tmp_path / "bob.sqlite3") as bob:
        rid = alice.save_analysis(a)
        alice.set_vocabulary(sha, ContractTerms(school="SFUSD", data="Confidential Data"), reviewer="Alice")
        f = alice.export_review(rid, tmp_path / "h.json")
        bob.import_review(f)
        assert bob.vocabulary(sha) == ContractTerms(school="SFUSD", data="Confidential Data")
        assert any(h["action"] == "vocabulary_imported" for h in bob.history(sha))
        # Bob's newer names are not overwritten by an older hand-over
        bob.set_vocabulary(sha, ContractTerms(school="the Board"), reviewer="Bob")
        bob.import_review(f)
        assert bob.vocabulary(sha).school == "the Board"


def test_issue_18_cli_exports_of_a_stored_review_use_its_names(tmp_path: Path, monkeypatch) -> None:
    import docx

    from contractreview.cli import main
    from contractreview.paths import sample_contract
    from contractreview.pipeline import review

    sample = sample_contract("pdf")
    db = tmp_path / "r.sqlite3"
    analysis = review(sample)
    with open_store(db) as store:
        rid = store.save_analysis(analysis, source_path=str(sample))
        store.set_vocabulary(analysis.document.sha256, ContractTerms(vendor="the Contractor", school="the Board"))
    out = tmp_path / "req.docx"
    assert main(["export", str(rid), "-f", "request", "-o", str(out), "--db", str(db)]) == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "the Contractor" in text and "the Board" in text
    # a flag still wins for one export
    out2 = tmp_path / "req2.docx"
    assert main(["export", str(rid), "-f", "request", "-o", str(out2), "--db", str(db),
                 "--vendor-term", "the Supplier"]) == 0
    text2 = "\n".join(p.text for p in docx.Document(str(out2)).paragraphs)
    assert "the Supplier" in text2 and "the Contractor" not in text2 and "the Board" in text2


def test_issue_17_prepared_review_json_is_exactly_json_dumps() -> None:
    """The worker encodes a review in short pieces (the GUI thread gets the GIL between them); the text is
    the one json.dumps writes, so stored reviews read back unchanged."""
    import json

    from contractreview.serialize import analysis_to_dict, layout_to_dict
    from contractreview.store.repository import _dumps, prepare_review

    a = contract_v1()
    data = analysis_to_dict(a, boxes=True)
    assert _dumps(data, chunk=2) == json.dumps(data)
    assert _dumps(layout_to_dict(a.document), chunk=1) == json.dumps(layout_to_dict(a.document))
    odd = {"a": [1, "x", None, {"b": [2.5] * 7}], "n": {1: "int key"}, "e": [], "t": (1, 2, 3)}
    assert _dumps(odd, chunk=2) == json.dumps(odd)
    assert prepare_review(a).analysis_json == json.dumps(data)


def test_issue_18_cli_reviews_names_sets_shows_and_resets_the_names(tmp_path: Path, capsys) -> None:
    from contractreview.cli import main

    db = tmp_path / "r.sqlite3"
    analysis = contract_v1()
    with open_store(db) as store:
        rid = store.save_analysis(analysis)
    assert main(["reviews", "names", str(rid), "--vendor-term", "the Contractor", "--reviewer", "Ana", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Vendor: the Contractor (set by the reviewer)" in out and "School: " in out and "Data: " in out
    assert main(["reviews", "names", str(rid), "--data-term", "Pupil Records", "--db", str(db)]) == 0
    capsys.readouterr()
    with open_store(db) as store:
        names = store.vocabulary(analysis.document.sha256)
        assert (names.vendor, names.data) == ("the Contractor", "Pupil Records")  # the earlier name is kept
        assert any(h.get("who") == "Ana" for h in store.history(analysis.document.sha256))
    assert main(["reviews", "names", str(rid), "--reset", "--db", str(db)]) == 0
    assert "set by the reviewer" not in capsys.readouterr().out
    with open_store(db) as store:
        assert store.vocabulary(analysis.document.sha256) == ContractTerms()
    assert main(["reviews", "names", str(rid), "--reset", "--vendor-term", "x", "--db", str(db)]) == 2
