"""Numbered schema migrations for the review database.

The schema changes only here. Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together
with the row that records it in ``_migrations`` and the new ``PRAGMA user_version``, so a crash leaves
the database either before or after a migration, never half-way. Never edit a released migration:
append a new one.

A migration is applied when its number is not yet recorded in ``_migrations`` (not merely when it is
above ``PRAGMA user_version``): migrations written on parallel branches get their own numbers, and a
database that has 5 but not 4 still receives 4 when both land. Each must therefore stand on its own,
needing nothing from a migration of a higher number.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database

Migration = tuple[int, str, Callable[[Database], None]]


def _m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE documents (
            sha256 TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            pages INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            previous_sha256 TEXT REFERENCES documents(sha256)
        )"""
    )
    db.execute(
        """
        CREATE TABLE document_texts (
            sha256 TEXT PRIMARY KEY NOT NULL REFERENCES documents(sha256) ON DELETE CASCADE,
            text TEXT NOT NULL,
            layout_json TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute(
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            profile TEXT NOT NULL,
            library_version TEXT NOT NULL DEFAULT '',
            library_fingerprint TEXT NOT NULL DEFAULT '',
            tool_version TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            source_path TEXT NOT NULL DEFAULT '',
            analysis_json TEXT NOT NULL CHECK (json_valid(analysis_json)),
            clauses_json TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX idx_reviews_sha256 ON reviews(sha256, id)")
    db.execute(
        """
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
            requirement_id TEXT NOT NULL,
            status TEXT NOT NULL,
            severity TEXT NOT NULL DEFAULT '',
            evidence_json TEXT NOT NULL DEFAULT '[]',
            params_json TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX idx_findings_review ON findings(review_id, requirement_id)")
    db.execute(
        """
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            requirement_id TEXT NOT NULL,
            decision TEXT NOT NULL
                CHECK (decision IN ('accept', 'needs_negotiation', 'waived', 'not_applicable')),
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            evidence_text TEXT NOT NULL DEFAULT '',
            UNIQUE (sha256, requirement_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            sha256 TEXT,
            requirement_id TEXT,
            old_json TEXT,
            new_json TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_audit_doc ON audit_log(sha256, requirement_id, id)")
    # The audit log is history: nothing may rewrite or remove it, whatever code touches the file.
    db.execute(
        """
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )
    db.execute(
        """
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )


def _m002_review_extras(db: Database) -> None:
    # Finding fields analysis-v1 does not carry (full source records, classifier confidence), so a
    # reopened review shows the same citations and verification labels as the live one.
    db.execute("ALTER TABLE reviews ADD COLUMN extra_json TEXT NOT NULL DEFAULT '{}'")


def _m003_key_term_corrections(db: Database) -> None:
    # A reviewer's correction of a key term (breach-notice hours, deletion days, governing law ...), kept by
    # document like the decisions, so it survives re-analysis; every change is also in the audit log.
    db.execute(
        """
        CREATE TABLE key_term_corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            term TEXT NOT NULL,
            value_json TEXT NOT NULL CHECK (json_valid(value_json)),
            engine_value_json TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(engine_value_json)),
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (sha256, term)
        )"""
    )


def _m004_annotations_overrides(db: Database) -> None:
    # A reviewer's comments on passages and status overrides (issue #16), kept by document like the
    # decisions so they survive re-analysis. Each carries its anchor: offsets into the document text, the
    # quoted text and the hash of its whitespace-normalised form, so a revised version can re-anchor them.
    # ``uid`` identifies a row across hand-over files; ``carried_from`` names the row of the previous
    # version it was carried forward from (so carrying twice does not duplicate). Existing tables are
    # not touched: a version-3 store keeps every decision and correction.
    db.execute(
        """
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
            end_offset INTEGER NOT NULL CHECK (end_offset >= start_offset),
            quote TEXT NOT NULL,
            quote_sha256 TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            requirement_id TEXT,
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            anchor_state TEXT NOT NULL DEFAULT 'anchored'
                CHECK (anchor_state IN ('anchored', 'moved', 'unmatched')),
            carried_from TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_annotations_doc ON annotations(sha256, start_offset, id)")
    db.execute(
        """
        CREATE TABLE status_overrides (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL REFERENCES documents(sha256),
            requirement_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('satisfied', 'weak', 'missing', 'not_applicable')),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            evidence_start INTEGER,
            evidence_end INTEGER,
            evidence_quote TEXT,
            evidence_quote_sha256 TEXT,
            author TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            anchor_state TEXT NOT NULL DEFAULT 'anchored'
                CHECK (anchor_state IN ('anchored', 'moved', 'unmatched')),
            carried_from TEXT,
            UNIQUE (sha256, requirement_id)
        )"""
    )


def _m005_contract_vocabulary(db: Database) -> None:
    # The reviewer's names for the parties and the data (issue #18), per document like the decisions, so
    # that they survive re-analysis; '' = the name the contract defines (detected anew each time).
    db.execute(
        """
        CREATE TABLE contract_vocabulary (
            sha256 TEXT PRIMARY KEY NOT NULL REFERENCES documents(sha256),
            vendor TEXT NOT NULL DEFAULT '',
            school TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )"""
    )


MIGRATIONS: tuple[Migration, ...] = (
    (1, "initial schema", _m001_initial),
    (2, "reviews.extra_json for finding sources and confidence", _m002_review_extras),
    (3, "key_term_corrections: reviewer corrections of key terms", _m003_key_term_corrections),
    (4, "annotations and status_overrides: reviewer comments and overrides", _m004_annotations_overrides),
    (5, "contract_vocabulary: the reviewer's names for the parties and the data", _m005_contract_vocabulary),
)

SCHEMA_VERSION = max(number for number, _name, _func in MIGRATIONS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def applied(db: Database) -> list[int]:
    if not db["_migrations"].exists():
        return []
    return [int(r[0]) for r in db.execute("SELECT id FROM _migrations ORDER BY id")]


def _done(db: Database) -> set[int]:
    ids = set(applied(db))
    version = schema_version(db)
    if not ids and version:  # written without a _migrations table: everything up to user_version
        ids = set(range(1, version + 1))
    return ids


def pending(db: Database) -> list[int]:
    """The migrations this code has that the database has not had yet."""
    done = _done(db)
    return [number for number, _name, _func in MIGRATIONS if number not in done]


def migrate(db: Database, target: int | None = None) -> list[int]:
    """Apply every pending migration (up to ``target``); returns the ids applied now.

    The connection must be in autocommit mode (``isolation_level=None``): transactions are explicit.
    Raises ``sqlite3.Error`` on failure (the caller turns it into a ``StoreError``) and ``ValueError``
    when the file is newer than this code.
    """
    done: list[int] = []
    for number, name, func in MIGRATIONS:
        if target is not None and number > target:
            break
        if number in _done(db):
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if number in _done(db):
                db.execute("ROLLBACK")
                continue
            db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations ("
                "id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            func(db)
            db.execute("INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)", (number, name, _now()))
            db.execute(f"PRAGMA user_version = {max(int(number), schema_version(db))}")
            db.execute("COMMIT")
        except BaseException:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise
        done.append(number)
    return done
