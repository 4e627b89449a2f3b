"""Review store (#5): schema, migrations, round trips, decisions, versions, permissions, refusal."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from test_store_support import (
    ADS,
    BREACH_WEAK,
    DELETE_OK,
    GOVLAW,
    contract_v1,
    contract_v2,
    make_analysis,
    make_document,
)

from contractreview.domain import Decision, Status
from contractreview.errors import SchemaTooNewError, StoreError
from contractreview.store import SCHEMA_VERSION, evidence_text_for, migrations, open_store


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def test_store_migrates_an_empty_file_and_records_it(db_path: Path) -> None:
    db_path.touch()
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        tables = set(store.db.table_names())
    assert {"documents", "document_texts", "reviews", "findings", "decisions", "audit_log", "_migrations"} <= tables
    con = sqlite3.connect(db_path)
    assert [r[0] for r in con.execute("SELECT id FROM _migrations")] == [m[0] for m in migrations.MIGRATIONS]
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_store_migrations_are_idempotent(db_path: Path) -> None:
    open_store(db_path).close()
    with open_store(db_path) as store:
        assert migrations.migrate(store.db) == []
        assert migrations.applied(store.db) == [m[0] for m in migrations.MIGRATIONS]
        assert store.check() == []


def test_store_files_are_owner_only_even_with_a_permissive_umask(db_path: Path) -> None:
    old = os.umask(0)
    try:
        store = open_store(db_path)
        store.save_analysis(contract_v1())
        wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
        assert wal.exists() and shm.exists()
        assert (_mode(db_path), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
        store.close()
    finally:
        os.umask(old)


def test_store_default_location_honours_data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTREVIEW_DATA_DIR", str(tmp_path / "data"))
    with open_store() as store:
        assert store.path == tmp_path / "data" / "reviews.sqlite3"
    assert _mode(tmp_path / "data" / "reviews.sqlite3") == 0o600


def test_store_refuses_a_database_from_a_newer_schema(db_path: Path) -> None:
    open_store(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError) as info:
        open_store(db_path)
    msg = str(info.value)
    assert db_path.name in msg and "newer" in msg and str(SCHEMA_VERSION + 1) in msg
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7 this is not a database" * 20, b"SQLite format 3\x00" + os.urandom(8000)]
)
def test_store_unreadable_database_is_a_store_error_naming_the_file(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        with open_store(db_path) as store:
            store.list_reviews()
    assert db_path.name in str(info.value)


def test_store_folder_as_database_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(StoreError, match="dir.sqlite3"):
        open_store(tmp_path / "dir.sqlite3")


def test_store_round_trips_an_analysis_with_text_layout_and_highlights(db_path: Path) -> None:
    analysis = contract_v1()
    with open_store(db_path) as store:
        rid = store.save_analysis(analysis)
    with open_store(db_path) as store:  # a restart
        back = store.get_analysis(rid)
    assert back.document.text == analysis.document.text
    assert back.document.sha256 == analysis.document.sha256
    assert back.document.lines == analysis.document.lines and back.document.blocks == analysis.document.blocks
    assert back.clauses == analysis.clauses
    assert (back.profile, back.library_version, back.tool_version) == ("default", "2026.12.0", "0.1.0")
    assert [f.status for f in back.findings] == [Status.WEAK, Status.SATISFIED, Status.MISSING]
    for orig, got in zip(analysis.findings, back.findings, strict=True):
        assert [e.text for e in got.evidence] == [e.text for e in orig.evidence]
        assert [e.boxes for e in got.evidence] == [e.boxes for e in orig.evidence]
        for ev in got.evidence:
            assert back.document.text[ev.start : ev.end] == ev.text
            assert back.document.boxes_for(ev.start, ev.end) == ev.boxes
    assert dict(back.finding("breach_notification").params) == {"breach_notice_max_hours": 72}
    assert [f.sources for f in back.findings] == [f.sources for f in analysis.findings]
    assert back.finding("breach_notification").sources[1].is_verified is False
    assert [f.confidence for f in back.findings] == [0.75, 1.0, 1.0]
    assert back.key_terms["governing_law"] == "New York"


def test_store_lists_reviews_with_counts_and_finds_latest(db_path: Path) -> None:
    v1 = contract_v1()
    with open_store(db_path) as store:
        first = store.save_analysis(v1)
        second = store.save_analysis(dataclasses.replace(v1, profile="ny", library_version="2027.1.0"))
        other = store.save_analysis(contract_v2())
        listed = store.list_reviews()
        assert [s.id for s in listed] == [other, second, first]
        s1 = next(s for s in listed if s.id == first)
        assert s1.counts == {"satisfied": 1, "weak": 1, "missing": 1, "needs_review": 0}
        assert (s1.name, s1.format, s1.pages) == ("vendor-dpa.pdf", "pdf", 2)
        assert store.latest_review(v1.document.sha256).id == second
        assert store.latest_review(v1.document.sha256, profile="default").id == first
        assert store.latest_review(v1.document.sha256, library_version="2027.1.0").id == second
        assert store.latest_review(v1.document.sha256, profile="il") is None
        assert [s.id for s in store.recent_documents()] == [other, second]
        assert len(store.list_reviews(limit=1)) == 1


def test_store_recognises_a_renamed_file_by_hash(db_path: Path) -> None:
    v1 = contract_v1()
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.save_analysis(v1, source_path="/elsewhere/Renamed DPA.pdf")
        assert store.document_sha256s() == [v1.document.sha256]
        latest = store.latest_review(v1.document.sha256)
        assert (latest.name, latest.path) == ("Renamed DPA.pdf", "/elsewhere/Renamed DPA.pdf")


def test_store_decision_is_on_disk_before_set_decision_returns(db_path: Path) -> None:
    v1 = contract_v1()
    with open_store(db_path) as store:
        store.save_analysis(v1)
        got = store.set_decision(v1.document.sha256, "no_targeted_ads", Decision.NEEDS_NEGOTIATION,
                                 note="ask for §7 rewrite", reviewer="Ana")
        # a separate connection (another process would see the same) reads it without any close/flush
        con = sqlite3.connect(db_path)
        row = con.execute("SELECT decision, note, reviewer FROM decisions").fetchone()
        con.close()
    assert row == ("needs_negotiation", "ask for §7 rewrite", "Ana")
    assert got.decision is Decision.NEEDS_NEGOTIATION and got.updated_at


def test_store_decisions_survive_reanalysis_under_another_profile_and_library(db_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    breach = v1.finding("breach_notification")
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.set_decision(sha, "breach_notification", Decision.ACCEPT, reviewer="Ana",
                           evidence_text=evidence_text_for(breach))
        store.set_decision(sha, "data_deletion", Decision.WAIVED, reviewer="Ana")  # evidence filled from the review
    upgraded = dataclasses.replace(v1, profile="ny", library_version="2027.1.0")
    with open_store(db_path) as store:
        store.save_analysis(upgraded)
        got = store.decisions(sha, current=upgraded)
    assert set(got) == {"breach_notification", "data_deletion"}
    assert got["breach_notification"].decision is Decision.ACCEPT
    assert got["data_deletion"].evidence_text == "delete all student data within 30 days"
    assert not any(d.evidence_changed for d in got.values())


def test_store_marks_evidence_changed_but_ignores_whitespace(db_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.set_decision(sha, "breach_notification", Decision.ACCEPT,
                           evidence_text="notify the  District\nwithout undue delay ")
        store.set_decision(sha, "data_deletion", Decision.ACCEPT, evidence_text="delete some data eventually")
        marks = {k: d.evidence_changed for k, d in store.decisions(sha, current=v1).items()}
        plain = store.decisions(sha)
    assert marks == {"breach_notification": False, "data_deletion": True}
    assert not any(d.evidence_changed for d in plain.values())


def test_store_refuses_a_decision_for_an_unknown_document(db_path: Path) -> None:
    with open_store(db_path) as store, pytest.raises(StoreError, match="no stored review"):
        store.set_decision("ab" * 32, "breach_notification", Decision.ACCEPT)


def test_store_audit_log_records_old_and_new_and_cannot_be_rewritten(db_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.set_decision(sha, "no_targeted_ads", Decision.NEEDS_NEGOTIATION, reviewer="Ana")
        store.set_decision(sha, "no_targeted_ads", Decision.WAIVED, note="board approved", reviewer="Ben")
        rows = store.history(sha, "no_targeted_ads")
        assert [(r["action"], r["who"]) for r in rows] == [("decision_set", "Ana"), ("decision_set", "Ben")]
        assert rows[0]["old"] is None and rows[0]["new"]["decision"] == "needs_negotiation"
        assert rows[1]["old"]["decision"] == "needs_negotiation" and rows[1]["new"]["decision"] == "waived"
        assert [r["action"] for r in store.history(sha)][0] == "review_saved"
        assert store.clear_decision(sha, "no_targeted_ads", reviewer="Ben")
        assert store.history(sha, "no_targeted_ads")[-1]["action"] == "decision_cleared"
        n = len(store.history(sha))
    con = sqlite3.connect(db_path)
    for sql in ("UPDATE audit_log SET who = 'mallory'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    con.close()
    with open_store(db_path) as store:
        assert len(store.history(sha)) == n
        assert {r["who"] for r in store.history(sha)} == {"", "Ana", "Ben"}


def test_store_links_versions_and_refuses_cycles_and_strangers(db_path: Path) -> None:
    v1, v2 = contract_v1(), contract_v2()
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.save_analysis(v2)
        assert store.previous_version(v2.document.sha256) is None
        store.link_version(v2.document.sha256, v1.document.sha256)
        assert store.previous_version(v2.document.sha256) == v1.document.sha256
        with pytest.raises(StoreError, match="cycle"):
            store.link_version(v1.document.sha256, v2.document.sha256)
        with pytest.raises(StoreError, match="not in this database"):
            store.link_version(v2.document.sha256, "cd" * 32)
        assert store.history(v2.document.sha256)[-1]["action"] == "version_linked"
        assert store.check() == []


def test_store_diff_reports_improved_worsened_and_changed_text(db_path: Path) -> None:
    with open_store(db_path) as store:
        old_id = store.save_analysis(contract_v1())
        new_id = store.save_analysis(contract_v2())
        diff = store.diff_reviews(old_id, new_id)
    assert sorted(diff.improved) == [("breach_notification", "weak", "satisfied"),
                                     ("no_targeted_ads", "missing", "satisfied")]
    assert diff.worsened == [("data_deletion", "satisfied", "weak")]
    assert diff.unchanged == []
    changed = {rid for rid, _o, _n in diff.changed_evidence}
    assert changed == {"breach_notification", "no_targeted_ads"}  # deletion quotes the same words
    assert [c[0] for c in diff.changed_clauses] == ["5.1"]
    assert "undue delay" in diff.changed_clauses[0][1] and "72 hours" in diff.changed_clauses[0][2]


def test_store_diff_of_unknown_review_names_it(db_path: Path) -> None:
    with open_store(db_path) as store, pytest.raises(StoreError, match="no review 99"):
        store.diff_reviews(99, 100)


def test_store_check_reports_foreign_key_damage(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.save_analysis(contract_v1())
        assert store.check() == []
    con = sqlite3.connect(db_path)  # foreign keys are off by default on a raw connection
    con.execute("INSERT INTO findings (review_id, requirement_id, status) VALUES (4242, 'x', 'weak')")
    con.commit()
    con.close()
    with open_store(db_path) as store:
        problems = store.check()
    assert len(problems) == 1 and "findings" in problems[0] and "reviews" in problems[0]


def test_store_keeps_a_text_less_analysis(db_path: Path) -> None:
    doc = dataclasses.replace(make_document([BREACH_WEAK, DELETE_OK, ADS, GOVLAW], salt="x"), text="", blocks=(), lines=())
    analysis = make_analysis(doc, {"breach_notification": Status.MISSING})
    with open_store(db_path) as store:
        rid = store.save_analysis(analysis)
        back = store.get_analysis(rid)
    assert back.document.text == "" and back.document.sha256 == doc.sha256
    assert back.findings[0].status is Status.MISSING


def test_store_upgrades_a_version_1_database_keeping_its_reviews(db_path: Path) -> None:
    """A file written before migration 2 opens, migrates and still reads its reviews and decisions."""
    from sqlite_utils import Database

    con = sqlite3.connect(db_path, isolation_level=None)
    assert migrations.migrate(Database(con), target=1) == [1]
    v1 = contract_v1()
    from contractreview.serialize import analysis_to_dict

    sha = v1.document.sha256
    con.execute("INSERT INTO documents (sha256, name, path, format, pages, first_seen) VALUES (?, 'old.pdf', '', 'pdf', 2, 't')", (sha,))
    con.execute(
        "INSERT INTO reviews (uid, sha256, profile, started_at, finished_at, analysis_json) VALUES ('u1', ?, 'default', 't', 't', ?)",
        (sha, json.dumps(analysis_to_dict(v1))),
    )
    con.execute("INSERT INTO findings (review_id, requirement_id, status) VALUES (1, 'breach_notification', 'weak')")
    con.execute("INSERT INTO decisions (sha256, requirement_id, decision, created_at, updated_at) VALUES (?, 'x', 'waived', 't', 't')", (sha,))
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    con.close()
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert migrations.applied(store.db) == [m[0] for m in migrations.MIGRATIONS]
        back = store.get_analysis(1)
        assert [f.requirement_id for f in back.findings] == [f.requirement_id for f in v1.findings]
        assert back.document.text == ""  # version-1 rows did not keep the text
        assert store.decisions(sha)["x"].decision is Decision.WAIVED
        assert store.check() == []


def test_store_damaged_pages_are_reported_not_hidden(db_path: Path) -> None:
    """Garbage written over the middle of a closed database: refused by name or reported by check()."""
    v1 = contract_v1()
    with open_store(db_path) as store:
        for i in range(30):
            store.save_analysis(dataclasses.replace(v1, profile=f"p{i}"))
    assert not Path(f"{db_path}-wal").exists()  # checkpointed on close: the pages are in the main file
    size = db_path.stat().st_size
    with open(db_path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xde\xad\xbe\xef" * 1024)
    try:
        with open_store(db_path) as store:
            problems = store.check()
    except StoreError as exc:
        assert db_path.name in str(exc)
    else:
        assert problems, "check() missed damaged pages"


def test_store_unwritable_folder_is_a_store_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="reviews.sqlite3"):
            open_store(locked / "sub" / "reviews.sqlite3")
        with pytest.raises(StoreError, match="reviews.sqlite3"):
            open_store(locked / "reviews.sqlite3")
    finally:
        locked.chmod(0o700)


def test_store_path_under_a_file_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("x")
    with pytest.raises(StoreError, match="reviews.sqlite3"):
        open_store(tmp_path / "not-a-folder" / "reviews.sqlite3")


def test_store_backup_is_a_consistent_private_copy(db_path: Path, tmp_path: Path) -> None:
    v1 = contract_v1()
    with open_store(db_path) as store:
        rid = store.save_analysis(v1)
        store.set_decision(v1.document.sha256, "data_deletion", Decision.ACCEPT, reviewer="Ana")
        dest = store.backup(tmp_path / "backups" / "copy.sqlite3")
        with pytest.raises(StoreError, match="onto itself"):
            store.backup(db_path)
    assert _mode(dest) == 0o600 and not list(dest.parent.glob("*.tmp"))
    with open_store(dest) as copy:
        assert copy.check() == []
        assert copy.get_analysis(rid).document.text == v1.document.text
        assert copy.decisions(v1.document.sha256)["data_deletion"].reviewer == "Ana"
        assert len(copy.history(v1.document.sha256)) == 2


def test_store_check_notices_a_removed_audit_trigger(db_path: Path) -> None:
    open_store(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.commit()
    con.close()
    with open_store(db_path) as store:
        assert store.check() == ["audit: trigger audit_log_no_delete is missing, the audit log is not protected"]


def test_store_folder_it_creates_is_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #7 (data at rest): the data folder the store creates holds contract copies named after
    vendors' files; other accounts must not list it. An existing folder keeps its mode."""
    monkeypatch.setenv("CONTRACTREVIEW_DATA_DIR", str(tmp_path / "fresh" / "data"))
    old = os.umask(0o022)
    try:
        with open_store() as store:
            store.save_analysis(contract_v1())
    finally:
        os.umask(old)
    assert _mode(tmp_path / "fresh" / "data") == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    open_store(shared / "reviews.sqlite3").close()
    assert _mode(shared) == 0o755


def test_store_saves_a_contract_whose_file_name_is_not_utf8(db_path: Path) -> None:
    """Regression: a file named with undecodable bytes (b'ok\\xfe.md' on Linux) crashed `analyze` with a
    UnicodeEncodeError traceback while saving; it is stored with U+FFFD in the name."""
    v1 = contract_v1()
    bad_path = os.fsdecode(b"/contracts/ok\xfe vendor.pdf")
    doc = dataclasses.replace(v1.document, source_path=bad_path)
    analysis = dataclasses.replace(v1, document=doc)
    with open_store(db_path) as store:
        rid = store.save_analysis(analysis, source_path=bad_path)
        summary = store.get_summary(rid)
        assert summary.name == "ok\ufffd vendor.pdf" and summary.path.endswith("ok\ufffd vendor.pdf")
        back = store.get_analysis(rid)
        assert [f.status for f in back.findings] == [f.status for f in v1.findings]
        assert store.check() == []
