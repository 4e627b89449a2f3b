"""The review store: a repository over one SQLite file (sqlite-utils), returning domain objects.

Durability rules (issue #5, #7):

* the file is created ``0600`` before SQLite touches it; ``-wal``/``-shm`` are created under a
  ``077`` umask (SQLite also copies the database's mode to them);
* WAL journal, ``synchronous=FULL``, foreign keys on, a busy timeout so a reader and a writer in two
  processes wait for each other instead of failing;
* every write method is one explicit ``BEGIN IMMEDIATE … COMMIT`` and returns only after the commit,
  so whatever the caller shows as saved is on disk;
* a database written by a newer schema is refused (``SchemaTooNewError``) before anything is changed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..domain import (
    KEY_TERMS,
    Analysis,
    AnchorState,
    Annotation,
    Clause,
    Decision,
    Document,
    Finding,
    KeyTermCorrection,
    ReanchorReport,
    ReviewDecision,
    ReviewerStatus,
    Source,
    Status,
    StatusOverride,
    TextAnchor,
    quote_hash,
)
from ..errors import SchemaTooNewError, StoreError
from ..serialize import analysis_from_dict, analysis_to_dict, document_from_layout, layout_to_dict
from ..vocabulary import ContractTerms
from . import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"

# Order used to say whether a requirement got better or worse between two reviews.
STATUS_RANK: Mapping[str, int] = {
    Status.MISSING.value: 0,
    Status.NEEDS_REVIEW.value: 1,
    Status.WEAK.value: 2,
    Status.SATISFIED.value: 3,
}


class _Unchanged:
    """Sentinel: leave a field as it is (``update_annotation(..., requirement_id=UNCHANGED)``)."""

    _instance: _Unchanged | None = None

    def __new__(cls) -> _Unchanged:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def now_iso() -> str:
    """UTC timestamp with microseconds; equal-format strings sort chronologically."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def normalize_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def evidence_text_for(finding: Finding | None) -> str:
    """The text a reviewer sees as a finding's evidence; store it with a decision (``evidence_text``)."""
    if finding is None:
        return ""
    return "\n".join(e.text for e in finding.evidence)


def _parse_time(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    id: int
    sha256: str
    name: str
    path: str
    format: str
    pages: int
    profile: str
    library_version: str
    tool_version: str
    started_at: str
    finished_at: str
    counts: dict[str, int] = field(default_factory=dict)  # status value -> number of findings
    library_fingerprint: str = ""
    previous_sha256: str | None = None
    uid: str = ""


@dataclass(frozen=True, slots=True)
class ReviewDiff:
    """What changed between two reviews (usually of two versions of one contract).

    ``improved``/``worsened``/``unchanged`` hold ``(requirement_id, old_status, new_status)``;
    ``changed_evidence`` holds ``(requirement_id, old_text, new_text)`` where the quoted evidence
    differs (whitespace-normalised); ``changed_clauses`` holds ``(clause, old_text, new_text)`` for
    clauses, matched by number or heading, whose text differs ("" when a side lacks the clause).
    """

    old_id: int
    new_id: int
    improved: list[tuple[str, str, str]] = field(default_factory=list)
    worsened: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)
    changed_evidence: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # (requirement_id, new_status)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (requirement_id, old_status)
    changed_clauses: list[tuple[str, str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- document layout JSON
# (in serialize.py: the forked reader of pipeline.py hands documents over in the same form)


def extras_to_dict(analysis: Analysis) -> dict[str, Any]:
    """Per-finding fields that analysis-v1 drops: full source records and confidence."""
    return {
        "findings": {
            f.requirement_id: {
                "sources": [[s.citation, s.name, s.status, s.verified] for s in f.sources],
                "confidence": f.confidence,
            }
            for f in analysis.findings
        }
    }


def apply_extras(analysis: Analysis, extras: Mapping[str, Any]) -> Analysis:
    per = extras.get("findings") or {}
    if not per:
        return analysis
    findings = []
    for f in analysis.findings:
        x = per.get(f.requirement_id)
        if x:
            f = dataclasses.replace(
                f,
                sources=tuple(Source(*map(str, s)) for s in x.get("sources", ())) or f.sources,
                confidence=float(x.get("confidence", f.confidence)),
            )
        findings.append(f)
    return dataclasses.replace(analysis, findings=tuple(findings))


def clauses_to_list(clauses: tuple[Clause, ...]) -> list[list[Any]]:
    return [[c.start, c.end, c.number, c.heading, c.path, c.level, c.page, c.kind] for c in clauses]


def clauses_from_list(data: Any) -> tuple[Clause, ...]:
    return tuple(
        Clause(int(s), int(e), n, h, p, int(lv), int(pg), k) for s, e, n, h, p, lv, pg, k in (data or ())
    )


# --------------------------------------------------------------------------- opening


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only, before SQLite opens it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create the review database ({exc.strerror}).", path) from exc
    os.close(fd)


def _sniff(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except IsADirectoryError as exc:
        raise StoreError("is a folder, not a review database.", path) from exc
    except OSError as exc:
        raise StoreError(f"cannot read the review database ({exc.strerror}).", path) from exc
    if head and head != SQLITE_MAGIC[: len(head)]:
        raise StoreError(
            "is not a ContractReview database (not an SQLite file).",
            path,
            "Choose another file with --db, or move this one away.",
        )


def _restrict_mode(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists() and (p.stat().st_mode & 0o077):
                os.chmod(p, 0o600)
        except OSError:
            pass  # not ours to change (read-only share): opening still works


def _read_only_reason(path: Path) -> str | None:
    """Why the database can only be read (a 0400 file, a read-only folder or file system), or None.

    SQLite in WAL mode writes two side files (``-wal``, ``-shm``) next to the database even to read it;
    opening a read-only database the normal way left them behind with the database's 0400 mode, and every
    later write failed until someone deleted ``-shm`` by hand (#19).
    """
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    parent = path.parent if str(path.parent) else Path(".")
    if not os.access(parent, os.W_OK | os.X_OK):
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        if not (os.access(wal, os.W_OK) and os.access(shm, os.W_OK)):
            return "its folder is not writable"
    return None


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes, not even the WAL side files.

    Without an unmerged ``-wal`` file the database is opened ``immutable`` (nothing is created or locked,
    which is what works on a read-only file system); with one, SQLite reads it in read-only WAL mode.
    """
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    wal = Path(f"{path}-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        pending = False
    if not pending:
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=15.0, isolation_level=None, check_same_thread=False)


def _repair_sidecars(path: Path) -> None:
    """Give back write permission on our own ``-wal``/``-shm`` files that an older version left read-only
    (it created them with a 0400 database's mode); SQLite cannot write to the database otherwise."""
    for p in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = p.stat()
        except OSError:
            continue
        if hasattr(os, "getuid") and st.st_uid == os.getuid() and not os.access(p, os.W_OK):
            try:
                os.chmod(p, 0o600)
            except OSError:
                pass


def _remove_empty(path: Path) -> None:
    """Remove a database file this open created, when it is still empty (and its side files)."""
    try:
        if path.stat().st_size == 0:
            path.unlink()
            for side in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                side.unlink(missing_ok=True)
    except OSError:
        pass


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(*texts: str) -> bool:
    return any(_SURROGATE.search(t) for t in texts if t)


def _storable(text: str) -> str:
    """``text`` with lone surrogates (undecodable file-name bytes) as U+FFFD; same length."""
    return _SURROGATE.sub("\ufffd", text) if text else text


@dataclass(frozen=True)
class PreparedReview:
    """An analysis serialised for :meth:`Store.save_analysis`, without touching a database.

    Turning a 300-page analysis into JSON took about 0.2 s; the GUI does it on its worker thread with
    :func:`prepare_review`, so its own thread only writes the rows (issue #17: no event-loop stall).
    """

    document: Document
    source_path: str
    profile: str
    library_version: str
    library_fingerprint: str
    tool_version: str
    analysis_json: str
    clauses_json: str
    extra_json: str
    layout_json: str
    finding_rows: tuple[tuple[str, str, str, str, str], ...]
    counts: tuple[tuple[str, int], ...]


def _dumps(obj: Any, chunk: int = 256) -> str:
    """``json.dumps(obj)``, the same text, made of many short calls.

    The C encoder holds the GIL for a whole call: one ``dumps`` of a 300-page analysis on the GUI's worker
    thread froze the window for about 0.1 s. Long lists are encoded ``chunk`` items at a time and dicts
    value by value, so the GUI thread gets the GIL back between the pieces.
    """
    if isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        return "{" + ", ".join(json.dumps(k) + ": " + _dumps(v, chunk) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)) and len(obj) > chunk:
        parts = (json.dumps(list(obj[i : i + chunk]))[1:-1] for i in range(0, len(obj), chunk))
        return "[" + ", ".join(parts) + "]"
    return json.dumps(obj)


def prepare_review(analysis: Analysis, *, source_path: str | None = None, library_fingerprint: str = "") -> PreparedReview:
    """Everything :meth:`Store.save_analysis` writes, as strings (pure: safe on any thread)."""
    from ..reviewer import engine_view

    analysis = engine_view(analysis)  # the store keeps the engine's findings; overrides live apart
    library_fingerprint = library_fingerprint or analysis.library_fingerprint
    doc = analysis.document
    path: str = source_path if source_path is not None else doc.source_path
    if _has_surrogates(doc.name, doc.source_path, path or "", doc.text):
        # A file name that is not valid UTF-8 (Linux bytes read with surrogateescape) cannot go into
        # SQLite as is; U+FFFD keeps every string's length, so offsets into the text stay right.
        doc = dataclasses.replace(doc, source_path=_storable(doc.source_path), text=_storable(doc.text))
        analysis = dataclasses.replace(analysis, document=doc)
        path = _storable(path)
    data = analysis_to_dict(analysis, boxes=True)
    rows = tuple(
        (
            f["requirement_id"],
            f["status"],
            f.get("severity", ""),
            json.dumps(f.get("evidence", [])),
            json.dumps(f.get("params", {}), default=str),
        )
        for f in data["findings"]
    )
    return PreparedReview(
        document=doc,
        source_path=path,
        profile=analysis.profile,
        library_version=analysis.library_version,
        library_fingerprint=library_fingerprint,
        tool_version=analysis.tool_version,
        analysis_json=_dumps(data),
        clauses_json=_dumps(clauses_to_list(analysis.clauses)),
        extra_json=_dumps(extras_to_dict(analysis)),
        layout_json=_dumps(layout_to_dict(doc)) if doc.text else "{}",
        finding_rows=rows,
        counts=tuple((s.value, n) for s, n in analysis.counts().items()),
    )


class Store:
    """Review history in one SQLite file. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self.read_only = False
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner-only when we create it
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the review database ({exc.strerror}).", path) from exc
        created = False
        if not path.exists():
            _create_private_file(path)
            created = True
        try:
            self._open(path)
        except BaseException:
            if created:
                # A database that could not even be created (full disk, #19) leaves no 0-byte file behind
                # for the next run to stumble on.
                _remove_empty(path)
            raise
        if not self.read_only:
            _restrict_mode(path)

    def _open(self, path: Path) -> None:
        _sniff(path)
        self.read_only = _read_only_reason(path) is not None
        if not self.read_only:
            _repair_sidecars(path)
        old_umask = os.umask(0o077)
        try:
            try:
                if self.read_only:
                    conn = _connect_read_only(path)
                else:
                    conn = sqlite3.connect(str(path), timeout=15.0, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the review database ({exc}).", path) from exc
            self._conn = conn
            try:
                self.db = Database(conn, execute_plugins=False)
                conn.execute("PRAGMA busy_timeout = 15000")
                version = migrations.schema_version(self.db)
                if version > migrations.SCHEMA_VERSION:
                    raise SchemaTooNewError(
                        f"was written by a newer ContractReview (database schema {version}, this version "
                        f"understands up to {migrations.SCHEMA_VERSION}); it was not changed.",
                        path,
                        "Update ContractReview to open it.",
                    )
                if self.read_only:
                    if migrations.pending(self.db):
                        raise StoreError(
                            f"is read-only ({_read_only_reason(path)}) and needs an update to database schema "
                            f"{migrations.SCHEMA_VERSION} that cannot be written.",
                            path,
                            "Open a writable copy with --db, or make the file writable.",
                        )
                    return
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"cannot switch the review database to WAL mode (got {mode}).", path)
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                try:
                    migrations.migrate(self.db)
                except sqlite3.Error as exc:
                    raise StoreError(f"cannot prepare the review database ({exc}).", path) from exc
            except StoreError:
                self.close()
                raise
            except sqlite3.OperationalError as exc:
                self.close()
                raise StoreError(f"cannot use the review database ({exc}).", path,
                                 "Check that the file and its folder are writable and not in use.") from exc
            except sqlite3.DatabaseError as exc:
                self.close()
                raise StoreError(f"is damaged or not a review database ({exc}).", path,
                                 "Run 'contractreview store check', or restore a backup.") from exc
        finally:
            os.umask(old_umask)

    # ------------------------------------------------------------------ lifecycle

    def reader(self) -> Store:
        """A second connection to this file that can only read, for a worker thread (the GUI's portfolio
        export reads every stored review).

        It shares neither connection nor lock with this store, so the GUI thread's connection is never
        used from another thread (Vorta's ``db_lock`` is the cost of doing otherwise); in WAL mode its reads
        see one consistent snapshot per statement while the GUI keeps writing decisions. Close it when done.
        """
        from urllib.parse import quote

        other = object.__new__(Store)
        other.path, other._lock, other.read_only = self.path, threading.RLock(), True
        try:
            uri = "file:" + quote(str(Path(self.path).resolve())) + "?mode=ro"
            other._conn = sqlite3.connect(uri, uri=True, timeout=15.0, isolation_level=None, check_same_thread=False)
            other._conn.execute("PRAGMA busy_timeout = 15000")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the review database for reading ({exc}).", self.path) from exc
        other.db = Database(other._conn, execute_plugins=False)
        return other


    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path.name!r})"

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the review database is closed.", self.path)
        return self._conn

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` write transaction; committed (durably) when the block exits."""
        if self.read_only:
            raise StoreError(
                f"is read-only ({_read_only_reason(self.path) or 'opened read-only'}); nothing can be saved in it.",
                self.path,
                "Make the file and its folder writable, or choose another database with --db.",
            )
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to the review database ({exc}).", self.path) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"cannot write to the review database ({exc}).", self.path) from exc
                raise

    def _query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return list(self.db.query(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the review database ({exc}).", self.path) from exc

    def _audit(
        self,
        conn: sqlite3.Connection,
        *,
        action: str,
        who: str = "",
        sha256: str | None = None,
        requirement_id: str | None = None,
        old: Any = None,
        new: Any = None,
        at: str | None = None,
        uid: str | None = None,
    ) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO audit_log (uid, at, who, action, sha256, requirement_id, old_json, new_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uid or uuid.uuid4().hex,
                at or now_iso(),
                who,
                action,
                sha256,
                requirement_id,
                None if old is None else json.dumps(old, sort_keys=True),
                None if new is None else json.dumps(new, sort_keys=True),
            ),
        )

    # ------------------------------------------------------------------ documents and reviews

    def _upsert_document(self, conn: sqlite3.Connection, doc: Document, source_path: str, layout_json: str) -> None:
        name = Path(source_path.replace("\\", "/")).name if source_path else doc.name
        row = conn.execute("SELECT sha256 FROM documents WHERE sha256 = ?", (doc.sha256,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO documents (sha256, name, path, format, pages, first_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (doc.sha256, name, source_path, doc.format.value, len(doc.pages), now_iso()),
            )
        else:
            # Same bytes under a new name or folder: the hash is the identity, the latest path is kept.
            conn.execute(
                "UPDATE documents SET name = ?, path = ?, pages = ? WHERE sha256 = ?",
                (name, source_path, len(doc.pages), doc.sha256),
            )
        if doc.text:
            before = conn.execute("SELECT text FROM document_texts WHERE sha256 = ?", (doc.sha256,)).fetchone()
            if before is not None and before[0] != doc.text:
                self._reanchor_same_document(conn, doc.sha256, doc.text, before[0])
            conn.execute(
                "INSERT INTO document_texts (sha256, text, layout_json) VALUES (?, ?, ?)"
                " ON CONFLICT(sha256) DO UPDATE SET text = excluded.text, layout_json = excluded.layout_json",
                (doc.sha256, doc.text, layout_json),
            )

    def save_analysis(
        self,
        analysis: Analysis | PreparedReview,
        *,
        source_path: str | None = None,
        library_fingerprint: str = "",
        started_at: str | None = None,
    ) -> int:
        """Store one analysis as a new review (the document row is keyed by sha256); returns its id.

        ``library_fingerprint`` defaults to the one the analysis records (every saved review names the
        exact library files, weights and lexicons that produced it). ``analysis`` may be a
        :func:`prepare_review` result made on another thread: then only the rows are written here.
        """
        if isinstance(analysis, PreparedReview):
            prepared = analysis
        else:
            prepared = prepare_review(analysis, source_path=source_path, library_fingerprint=library_fingerprint)
        doc, path = prepared.document, prepared.source_path
        finished = now_iso()
        uid = uuid.uuid4().hex
        with self.transaction() as conn:
            self._upsert_document(conn, doc, path, prepared.layout_json)
            cur = conn.execute(
                "INSERT INTO reviews (uid, sha256, profile, library_version, library_fingerprint, tool_version,"
                " started_at, finished_at, source_path, analysis_json, clauses_json, extra_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    doc.sha256,
                    prepared.profile,
                    prepared.library_version,
                    prepared.library_fingerprint,
                    prepared.tool_version,
                    started_at or finished,
                    finished,
                    path,
                    prepared.analysis_json,
                    prepared.clauses_json,
                    prepared.extra_json,
                ),
            )
            review_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO findings (review_id, requirement_id, status, severity, evidence_json, params_json)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(review_id, *row) for row in prepared.finding_rows],
            )
            self._audit(
                conn,
                action="review_saved",
                sha256=doc.sha256,
                new={
                    "review_id": review_id,
                    "review_uid": uid,
                    "profile": prepared.profile,
                    "library_version": prepared.library_version,
                    "counts": dict(prepared.counts),
                },
            )
        return review_id

    @staticmethod
    def _insert_findings(conn: sqlite3.Connection, review_id: int, findings: list[dict[str, Any]]) -> None:
        conn.executemany(
            "INSERT INTO findings (review_id, requirement_id, status, severity, evidence_json, params_json)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    review_id,
                    f["requirement_id"],
                    f["status"],
                    f.get("severity", ""),
                    json.dumps(f.get("evidence", [])),
                    json.dumps(f.get("params", {}), default=str),
                )
                for f in findings
            ],
        )

    def _review_row(self, review_id: int) -> dict[str, Any]:
        rows = self._query(
            "SELECT r.*, d.name, d.path, d.format, d.pages FROM reviews r JOIN documents d USING (sha256)"
            " WHERE r.id = ?",
            (int(review_id),),
        )
        if not rows:
            raise StoreError(f"there is no review {review_id} in this database.", self.path,
                             "List them with 'contractreview reviews list'.")
        return rows[0]

    def _document(self, sha256: str, source_path: str, fmt: str) -> Document | None:
        rows = self._query("SELECT text, layout_json FROM document_texts WHERE sha256 = ?", (sha256,))
        if not rows:
            return None
        return document_from_layout(
            source_path=source_path, sha256=sha256, fmt=fmt, text=rows[0]["text"],
            layout=json.loads(rows[0]["layout_json"] or "{}"),
        )

    def get_analysis(self, review_id: int) -> Analysis:
        """The stored analysis; its Document carries text and layout when they were stored."""
        row = self._review_row(review_id)
        data = json.loads(row["analysis_json"])
        path = row["source_path"] or data["document"]["path"]
        data["document"]["path"] = path
        document = self._document(row["sha256"], path, data["document"]["format"])
        try:
            analysis = analysis_from_dict(data, document=document)
        except (KeyError, ValueError, TypeError) as exc:
            raise StoreError(f"review {review_id} cannot be read ({exc}).", self.path) from exc
        clauses = clauses_from_list(json.loads(row["clauses_json"] or "[]"))
        if clauses:
            analysis = dataclasses.replace(analysis, clauses=clauses)
        return apply_extras(analysis, json.loads(row["extra_json"] or "{}"))

    def _summaries(self, where: str = "", params: tuple[Any, ...] = (), limit: int | None = None) -> list[ReviewSummary]:
        sql = (
            "SELECT r.id, r.uid, r.sha256, d.name, d.path, d.format, d.pages, r.profile, r.library_version,"
            " r.library_fingerprint, r.tool_version, r.started_at, r.finished_at, d.previous_sha256"
            " FROM reviews r JOIN documents d USING (sha256)"
            f" {where} ORDER BY r.finished_at DESC, r.id DESC"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._query(sql, params)
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        counts: dict[int, dict[str, int]] = {i: {s.value: 0 for s in Status} for i in ids}
        marks = ",".join("?" * len(ids))
        for c in self._query(
            f"SELECT review_id, status, COUNT(*) AS n FROM findings WHERE review_id IN ({marks})"
            " GROUP BY review_id, status",
            tuple(ids),
        ):
            counts[c["review_id"]][c["status"]] = c["n"]
        return [
            ReviewSummary(
                id=r["id"], sha256=r["sha256"], name=r["name"], path=r["path"], format=r["format"],
                pages=r["pages"], profile=r["profile"], library_version=r["library_version"],
                tool_version=r["tool_version"], started_at=r["started_at"], finished_at=r["finished_at"],
                counts=counts[r["id"]], library_fingerprint=r["library_fingerprint"],
                previous_sha256=r["previous_sha256"], uid=r["uid"],
            )
            for r in rows
        ]

    def list_reviews(self, limit: int | None = None) -> list[ReviewSummary]:
        """Reviews, newest first."""
        return self._summaries(limit=limit)

    def get_summary(self, review_id: int) -> ReviewSummary:
        found = self._summaries("WHERE r.id = ?", (int(review_id),))
        if not found:
            self._review_row(review_id)  # raises the StoreError naming the id
        return found[0]

    def latest_review(
        self, sha256: str, profile: str | None = None, library_version: str | None = None
    ) -> ReviewSummary | None:
        where, params = ["r.sha256 = ?"], [sha256]
        if profile is not None:
            where.append("r.profile = ?")
            params.append(profile)
        if library_version is not None:
            where.append("r.library_version = ?")
            params.append(library_version)
        found = self._summaries("WHERE " + " AND ".join(where), tuple(params), limit=1)
        return found[0] if found else None

    def recent_documents(self, limit: int = 10) -> list[ReviewSummary]:
        """The latest review of each of the most recently reviewed documents."""
        return self._summaries(
            "WHERE r.id IN (SELECT MAX(id) FROM reviews GROUP BY sha256)", (), limit=limit
        )

    def document_sha256s(self) -> list[str]:
        return [r["sha256"] for r in self._query("SELECT sha256 FROM documents ORDER BY first_seen")]

    # ------------------------------------------------------------------ decisions

    @staticmethod
    def _decision_from_row(row: Mapping[str, Any], current: Analysis | None = None) -> ReviewDecision:
        changed = False
        if current is not None:
            finding = current.finding(row["requirement_id"])
            if finding is not None:
                changed = normalize_ws(evidence_text_for(finding)) != normalize_ws(row["evidence_text"])
        return ReviewDecision(
            requirement_id=row["requirement_id"],
            decision=Decision(row["decision"]),
            note=row["note"],
            reviewer=row["reviewer"],
            updated_at=row["updated_at"],
            evidence_text=row["evidence_text"],
            evidence_changed=changed,
        )

    @staticmethod
    def _decision_dict(row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in ("decision", "note", "reviewer", "created_at", "updated_at", "evidence_text")}

    def _latest_evidence(self, conn: sqlite3.Connection, sha256: str, requirement_id: str) -> str:
        row = conn.execute(
            "SELECT f.evidence_json FROM findings f JOIN reviews r ON r.id = f.review_id"
            " WHERE r.sha256 = ? AND f.requirement_id = ? ORDER BY r.id DESC LIMIT 1",
            (sha256, requirement_id),
        ).fetchone()
        if row is None:
            return ""
        return "\n".join(e.get("text", "") for e in json.loads(row[0] or "[]"))

    def set_decision(
        self,
        sha256: str,
        requirement_id: str,
        decision: Decision,
        *,
        note: str = "",
        reviewer: str = "",
        evidence_text: str = "",
    ) -> ReviewDecision:
        """Record a reviewer's decision; it is committed to disk before this returns.

        ``evidence_text`` is the evidence the reviewer saw (see :func:`evidence_text_for`); when empty,
        the evidence of the document's latest stored review for the requirement is recorded.
        """
        decision = Decision(decision)
        stamp = now_iso()
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is None:
                raise StoreError(
                    f"cannot record a decision for document {sha256[:12]}…: it has no stored review.",
                    self.path,
                    "Save the analysis first.",
                )
            if not evidence_text:
                evidence_text = self._latest_evidence(conn, sha256, requirement_id)
            cur = conn.execute("SELECT * FROM decisions WHERE sha256 = ? AND requirement_id = ?", (sha256, requirement_id))
            cols = [d[0] for d in cur.description]
            old_row = cur.fetchone()
            old = self._decision_dict(dict(zip(cols, old_row, strict=True))) if old_row else None
            created = old["created_at"] if old else stamp
            conn.execute(
                "INSERT INTO decisions (sha256, requirement_id, decision, note, reviewer, created_at, updated_at,"
                " evidence_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(sha256, requirement_id) DO UPDATE SET decision = excluded.decision,"
                " note = excluded.note, reviewer = excluded.reviewer, updated_at = excluded.updated_at,"
                " evidence_text = excluded.evidence_text",
                (sha256, requirement_id, decision.value, note, reviewer, created, stamp, evidence_text),
            )
            new = {"decision": decision.value, "note": note, "reviewer": reviewer, "created_at": created,
                   "updated_at": stamp, "evidence_text": evidence_text}
            self._audit(conn, action="decision_set", who=reviewer, sha256=sha256, requirement_id=requirement_id,
                        old=old, new=new, at=stamp)
        return ReviewDecision(requirement_id, decision, note, reviewer, stamp, evidence_text, False)

    def clear_decision(self, sha256: str, requirement_id: str, *, reviewer: str = "") -> bool:
        """Withdraw a decision (kept in the audit log); returns whether there was one."""
        with self.transaction() as conn:
            cur = conn.execute("SELECT * FROM decisions WHERE sha256 = ? AND requirement_id = ?", (sha256, requirement_id))
            cols = [d[0] for d in cur.description]
            row = cur.fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM decisions WHERE sha256 = ? AND requirement_id = ?", (sha256, requirement_id))
            self._audit(conn, action="decision_cleared", who=reviewer, sha256=sha256, requirement_id=requirement_id,
                        old=self._decision_dict(dict(zip(cols, row, strict=True))))
        return True

    def decisions(self, sha256: str, current: Analysis | None = None) -> dict[str, ReviewDecision]:
        """Decisions for a document by requirement id; ``evidence_changed`` is judged against ``current``."""
        rows = self._query("SELECT * FROM decisions WHERE sha256 = ? ORDER BY requirement_id", (sha256,))
        return {r["requirement_id"]: self._decision_from_row(r, current) for r in rows}

    def history(self, sha256: str, requirement_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows for a document (oldest first), with ``old``/``new`` decoded from JSON."""
        if requirement_id is None:
            rows = self._query("SELECT * FROM audit_log WHERE sha256 = ? ORDER BY id", (sha256,))
        else:
            rows = self._query(
                "SELECT * FROM audit_log WHERE sha256 = ? AND requirement_id = ? ORDER BY id", (sha256, requirement_id)
            )
        for r in rows:
            r["old"] = json.loads(r["old_json"]) if r["old_json"] else None
            r["new"] = json.loads(r["new_json"]) if r["new_json"] else None
        return rows

    # ------------------------------------------------------------------ key-term corrections

    @staticmethod
    def _correction_dict(row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "term": row["term"],
            "value": json.loads(row["value_json"]),
            "engine_value": json.loads(row["engine_value_json"]),
            "note": row["note"],
            "reviewer": row["reviewer"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }

    def set_key_term(
        self, sha256: str, term: str, value: Any, *, reviewer: str = "", note: str = "", engine_value: Any = None
    ) -> KeyTermCorrection:
        """Record a reviewer's correction of one key term of a document (``value`` None = not stated).

        ``engine_value`` is what the engine read; it is kept with the correction and in the audit log.
        """
        if term not in KEY_TERMS:
            raise StoreError(f"'{term}' is not a key term (one of: {', '.join(KEY_TERMS)}).", self.path)
        stamp = now_iso()
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is None:
                raise StoreError(
                    f"cannot correct a key term of document {sha256[:12]}…: it has no stored review.",
                    self.path,
                    "Save the analysis first.",
                )
            cur = conn.execute("SELECT * FROM key_term_corrections WHERE sha256 = ? AND term = ?", (sha256, term))
            cols = [d[0] for d in cur.description]
            row = cur.fetchone()
            old = self._correction_dict(dict(zip(cols, row, strict=True))) if row else None
            if old is not None:
                engine_value = old["engine_value"]  # the engine's reading before the first correction
            created = old["created_at"] if old else stamp
            conn.execute(
                "INSERT INTO key_term_corrections (sha256, term, value_json, engine_value_json, note, reviewer,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(sha256, term) DO UPDATE SET value_json = excluded.value_json,"
                " note = excluded.note, reviewer = excluded.reviewer, updated_at = excluded.updated_at",
                (sha256, term, json.dumps(value), json.dumps(engine_value), note, reviewer, created, stamp),
            )
            new = {"term": term, "value": value, "engine_value": engine_value, "note": note, "reviewer": reviewer,
                   "created_at": created, "updated_at": stamp}
            self._audit(conn, action="key_term_corrected", who=reviewer, sha256=sha256,
                        requirement_id=f"key_term.{term}", old=old, new=new, at=stamp)
        return KeyTermCorrection(term, value, reviewer, note, stamp, engine_value)

    def clear_key_term(self, sha256: str, term: str, *, reviewer: str = "") -> bool:
        """Withdraw a correction (kept in the audit log): the engine's reading shows again."""
        with self.transaction() as conn:
            cur = conn.execute("SELECT * FROM key_term_corrections WHERE sha256 = ? AND term = ?", (sha256, term))
            cols = [d[0] for d in cur.description]
            row = cur.fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM key_term_corrections WHERE sha256 = ? AND term = ?", (sha256, term))
            self._audit(conn, action="key_term_correction_cleared", who=reviewer, sha256=sha256,
                        requirement_id=f"key_term.{term}", old=self._correction_dict(dict(zip(cols, row, strict=True))))
        return True

    def key_term_corrections(self, sha256: str) -> dict[str, KeyTermCorrection]:
        rows = self._query("SELECT * FROM key_term_corrections WHERE sha256 = ? ORDER BY term", (sha256,))
        return {
            r["term"]: KeyTermCorrection(
                r["term"], json.loads(r["value_json"]), r["reviewer"], r["note"], r["updated_at"],
                json.loads(r["engine_value_json"]),
            )
            for r in rows
        }

    def corrected(self, analysis: Analysis) -> Analysis:
        """``analysis`` with everything the reviewer said about its document: key-term corrections
        (thresholds re-checked, corrected values marked) and status overrides (issue #16: the reviewer's
        status shown, the engine's kept beside it); unchanged when there are none. Every export and screen
        reads an analysis through this."""
        from ..engine.keyterms import apply_corrections
        from ..reviewer import apply_overrides, engine_view

        sha = analysis.document.sha256
        base = apply_corrections(engine_view(analysis), self.key_term_corrections(sha))
        return apply_overrides(base, self.overrides(sha))

    # ------------------------------------------------------------------ annotations and overrides (#16)

    def _stored_text(self, conn: sqlite3.Connection, sha256: str, what: str) -> str | None:
        """The document's stored text (None when it was stored without); StoreError when it is not stored."""
        if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is None:
            raise StoreError(
                f"cannot {what} for document {sha256[:12]}…: it has no stored review.",
                self.path,
                "Save the analysis first.",
            )
        row = conn.execute("SELECT text FROM document_texts WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def _checked_anchor(self, anchor: TextAnchor, text: str | None, sha256: str) -> TextAnchor:
        """``anchor`` with its hash recomputed; the quote must stand at its offsets in the stored text."""
        anchor = TextAnchor(int(anchor.start), int(anchor.end), anchor.quote, quote_hash(anchor.quote))
        if anchor.start < 0 or anchor.end <= anchor.start:
            raise ValueError("a reviewer's selection must cover at least one character of the contract.")
        if text is not None and not anchor.matches(text):
            raise StoreError(
                f"the selected passage ({anchor.start}–{anchor.end}) does not match the stored text of document "
                f"{sha256[:12]}….",
                self.path,
                "Select the passage again in the current version of the contract.",
            )
        return anchor

    @staticmethod
    def _annotation_from_row(row: Mapping[str, Any]) -> Annotation:
        return Annotation(
            id=int(row["id"]),
            sha256=row["sha256"],
            anchor=TextAnchor(int(row["start_offset"]), int(row["end_offset"]), row["quote"], row["quote_sha256"]),
            comment=row["comment"],
            requirement_id=row["requirement_id"],
            author=row["author"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            anchor_state=row["anchor_state"],
        )

    @staticmethod
    def _annotation_dict(row: Mapping[str, Any]) -> dict[str, Any]:
        """A stored annotation as the audit log and hand-over files record it."""
        return {k: row[k] for k in _ANNOTATION_KEYS}

    def _annotation_row(self, conn: sqlite3.Connection, annotation_id: int) -> dict[str, Any] | None:
        cur = conn.execute("SELECT * FROM annotations WHERE id = ?", (int(annotation_id),))
        cols = [d[0] for d in cur.description]
        row = cur.fetchone()
        return dict(zip(cols, row, strict=True)) if row else None

    def add_annotation(
        self,
        sha256: str,
        anchor: TextAnchor,
        comment: str,
        *,
        requirement_id: str | None = None,
        author: str = "",
    ) -> Annotation:
        """Record a reviewer's comment on a passage (optionally as evidence for a requirement).

        :raises ValueError: neither a comment nor a requirement is given.
        :raises StoreError: the document is not stored, or the anchor's quote is not at its offsets.
        """
        comment = (comment or "").strip()
        requirement_id = requirement_id or None
        if not comment and not requirement_id:
            raise ValueError("an annotation needs a comment, or a requirement the passage is evidence for.")
        stamp = now_iso()
        with self.transaction() as conn:
            text = self._stored_text(conn, sha256, "annotate a passage")
            anchor = self._checked_anchor(anchor, text, sha256)
            uid = uuid.uuid4().hex
            cur = conn.execute(
                "INSERT INTO annotations (uid, sha256, start_offset, end_offset, quote, quote_sha256, comment,"
                " requirement_id, author, created_at, updated_at, anchor_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, 'anchored')",
                (uid, sha256, anchor.start, anchor.end, anchor.quote, anchor.quote_sha256, comment, requirement_id,
                 author, stamp, stamp),
            )
            row = self._annotation_row(conn, int(cur.lastrowid or 0))
            assert row is not None
            self._audit(conn, action="annotation_added", who=author, sha256=sha256, requirement_id=requirement_id,
                        new=self._annotation_dict(row), at=stamp)
        return self._annotation_from_row(row)

    def update_annotation(
        self,
        annotation_id: int,
        *,
        comment: str | None = None,
        requirement_id: Any = UNCHANGED,
        author: str = "",
        anchor: TextAnchor | None = None,
    ) -> Annotation:
        """Change an annotation's comment, its requirement (None unlinks) or its passage (``anchor``, which
        also resolves an unmatched one); ``author`` is who made the change (audit log). The annotation keeps
        its original author.
        """
        with self.transaction() as conn:
            old = self._annotation_row(conn, annotation_id)
            if old is None:
                raise StoreError(f"there is no annotation {annotation_id} in this database.", self.path)
            sha = old["sha256"]
            new = dict(old)
            if comment is not None:
                new["comment"] = comment.strip()
            if requirement_id is not UNCHANGED:
                new["requirement_id"] = requirement_id or None
            if not new["comment"] and not new["requirement_id"]:
                raise ValueError("an annotation needs a comment, or a requirement the passage is evidence for.")
            if anchor is not None:
                text = self._stored_text(conn, sha, "move an annotation")
                anchor = self._checked_anchor(anchor, text, sha)
                new.update(start_offset=anchor.start, end_offset=anchor.end, quote=anchor.quote,
                           quote_sha256=anchor.quote_sha256, anchor_state=AnchorState.ANCHORED.value)
            if self._annotation_dict(new) == self._annotation_dict(old):
                return self._annotation_from_row(old)
            new["updated_at"] = now_iso()
            conn.execute(
                "UPDATE annotations SET comment = ?, requirement_id = ?, start_offset = ?, end_offset = ?, quote = ?,"
                " quote_sha256 = ?, anchor_state = ?, updated_at = ? WHERE id = ?",
                (new["comment"], new["requirement_id"], new["start_offset"], new["end_offset"], new["quote"],
                 new["quote_sha256"], new["anchor_state"], new["updated_at"], int(annotation_id)),
            )
            self._audit(conn, action="annotation_updated", who=author, sha256=sha,
                        requirement_id=new["requirement_id"] or old["requirement_id"],
                        old=self._annotation_dict(old), new=self._annotation_dict(new), at=new["updated_at"])
        return self._annotation_from_row(new)

    def delete_annotation(self, annotation_id: int, *, author: str = "") -> bool:
        """Remove an annotation (its text stays in the audit log); returns whether there was one."""
        with self.transaction() as conn:
            old = self._annotation_row(conn, annotation_id)
            if old is None:
                return False
            conn.execute("DELETE FROM annotations WHERE id = ?", (int(annotation_id),))
            self._audit(conn, action="annotation_deleted", who=author, sha256=old["sha256"],
                        requirement_id=old["requirement_id"], old=self._annotation_dict(old))
        return True

    def annotations(self, sha256: str) -> list[Annotation]:
        """A document's annotations in reading order (by where their passage starts)."""
        rows = self._query(
            "SELECT * FROM annotations WHERE sha256 = ? ORDER BY start_offset, end_offset, id", (sha256,)
        )
        return [self._annotation_from_row(r) for r in rows]

    def annotation(self, annotation_id: int) -> Annotation | None:
        rows = self._query("SELECT * FROM annotations WHERE id = ?", (int(annotation_id),))
        return self._annotation_from_row(rows[0]) if rows else None

    @staticmethod
    def _override_from_row(row: Mapping[str, Any]) -> StatusOverride:
        evidence = None
        if row["evidence_quote"] is not None:
            evidence = TextAnchor(int(row["evidence_start"]), int(row["evidence_end"]), row["evidence_quote"],
                                  row["evidence_quote_sha256"])
        return StatusOverride(
            requirement_id=row["requirement_id"],
            status=ReviewerStatus(row["status"]),
            reason=row["reason"],
            evidence=evidence,
            author=row["author"],
            at=row["updated_at"],
            anchor_state=row["anchor_state"],
        )

    @staticmethod
    def _override_dict(row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in _OVERRIDE_KEYS}

    def _override_row(self, conn: sqlite3.Connection, sha256: str, requirement_id: str) -> dict[str, Any] | None:
        cur = conn.execute(
            "SELECT * FROM status_overrides WHERE sha256 = ? AND requirement_id = ?", (sha256, requirement_id)
        )
        cols = [d[0] for d in cur.description]
        row = cur.fetchone()
        return dict(zip(cols, row, strict=True)) if row else None

    def set_override(
        self,
        sha256: str,
        requirement_id: str,
        status: ReviewerStatus | str,
        reason: str,
        *,
        evidence: TextAnchor | None = None,
        author: str = "",
    ) -> StatusOverride:
        """Set the reviewer's status for a requirement of a document, replacing any earlier override.

        :raises ValueError: the reason is empty, or the status is not one a reviewer can set.
        :raises StoreError: the document is not stored, or the evidence is not at its offsets.
        """
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("an override needs a reason: say why the reviewer's status differs from the engine's.")
        try:
            status = ReviewerStatus(status)
        except ValueError:
            raise ValueError(
                f"'{status}' is not a reviewer status (one of: {', '.join(s.value for s in ReviewerStatus)})."
            ) from None
        if not requirement_id:
            raise ValueError("an override needs the requirement it is for.")
        stamp = now_iso()
        with self.transaction() as conn:
            text = self._stored_text(conn, sha256, "override a status")
            if evidence is not None:
                evidence = self._checked_anchor(evidence, text, sha256)
            old_row = self._override_row(conn, sha256, requirement_id)
            created = old_row["created_at"] if old_row else stamp
            ev = evidence
            conn.execute(
                "INSERT INTO status_overrides (sha256, requirement_id, status, reason, evidence_start, evidence_end,"
                " evidence_quote, evidence_quote_sha256, author, created_at, updated_at, anchor_state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anchored') ON CONFLICT(sha256, requirement_id) DO UPDATE"
                " SET status = excluded.status, reason = excluded.reason, evidence_start = excluded.evidence_start,"
                " evidence_end = excluded.evidence_end, evidence_quote = excluded.evidence_quote,"
                " evidence_quote_sha256 = excluded.evidence_quote_sha256, author = excluded.author,"
                " updated_at = excluded.updated_at, anchor_state = 'anchored', carried_from = NULL",
                (sha256, requirement_id, status.value, reason, ev.start if ev else None, ev.end if ev else None,
                 ev.quote if ev else None, ev.quote_sha256 if ev else None, author, created, stamp),
            )
            new_row = self._override_row(conn, sha256, requirement_id)
            assert new_row is not None
            self._audit(conn, action="override_set", who=author, sha256=sha256, requirement_id=requirement_id,
                        old=self._override_dict(old_row) if old_row else None, new=self._override_dict(new_row),
                        at=stamp)
        return self._override_from_row(new_row)

    def clear_override(self, sha256: str, requirement_id: str, *, author: str = "") -> bool:
        """Withdraw an override (kept in the audit log): the engine's status shows again."""
        with self.transaction() as conn:
            old = self._override_row(conn, sha256, requirement_id)
            if old is None:
                return False
            conn.execute(
                "DELETE FROM status_overrides WHERE sha256 = ? AND requirement_id = ?", (sha256, requirement_id)
            )
            self._audit(conn, action="override_cleared", who=author, sha256=sha256, requirement_id=requirement_id,
                        old=self._override_dict(old))
        return True

    def overrides(self, sha256: str) -> dict[str, StatusOverride]:
        """A document's status overrides by requirement id."""
        rows = self._query("SELECT * FROM status_overrides WHERE sha256 = ? ORDER BY requirement_id", (sha256,))
        return {r["requirement_id"]: self._override_from_row(r) for r in rows}

    def carry_forward(self, new_sha256: str, previous_sha256: str, new_text: str | None = None) -> ReanchorReport:
        """Carry a previous version's annotations and overrides onto a revised version, re-anchored by text.

        Each quote is looked for at its offsets, then anywhere in ``new_text`` (exactly, then with
        whitespace normalised; the occurrence nearest the old position wins). One not found is stored on the
        new version as ``unmatched`` with its old anchor, for the reviewer to resolve: nothing is dropped.
        The previous version keeps its own. Carrying twice adds nothing, not even what the reviewer deleted on
        the new version after the first carry (the audit log remembers it); an override the new version
        already has is the reviewer's newer word and is kept. ``new_text`` defaults to the stored text.
        """
        from ..reviewer import reanchor

        report = ReanchorReport()
        if new_sha256 == previous_sha256:
            return report
        with self.transaction() as conn:
            stored = self._stored_text(conn, new_sha256, "carry annotations forward")
            old_text = self._stored_text(conn, previous_sha256, "carry annotations forward")
            text = new_text if new_text is not None else (stored or "")
            # What was carried onto this version once is never carried again: an annotation or override the
            # reviewer deleted on the revision stays deleted however often the versions are linked.
            carried_notes: set[str] = set()
            carried_overrides: set[str] = set()
            for action, rid, old_json in conn.execute(
                "SELECT action, requirement_id, old_json FROM audit_log WHERE sha256 = ? AND action IN"
                " ('annotation_carried', 'override_carried')",
                (new_sha256,),
            ):
                if action == "override_carried":
                    carried_overrides.add(rid or "")
                else:
                    carried_notes.add(str((json.loads(old_json or "{}") or {}).get("uid", "")))
            for old in _rows(conn, "SELECT * FROM annotations WHERE sha256 = ? ORDER BY start_offset, id",
                             (previous_sha256,)):
                if old["uid"] in carried_notes or conn.execute(
                    "SELECT 1 FROM annotations WHERE sha256 = ? AND carried_from = ?", (new_sha256, old["uid"])
                ).fetchone():
                    continue
                anchor, state = reanchor(
                    TextAnchor(old["start_offset"], old["end_offset"], old["quote"], old["quote_sha256"]), text,
                    old_text,
                )
                stamp = now_iso()
                cur = conn.execute(
                    "INSERT INTO annotations (uid, sha256, start_offset, end_offset, quote, quote_sha256, comment,"
                    " requirement_id, author, created_at, updated_at, anchor_state, carried_from)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uuid.uuid4().hex, new_sha256, anchor.start, anchor.end, anchor.quote, anchor.quote_sha256,
                     old["comment"], old["requirement_id"], old["author"], old["created_at"], stamp, state.value,
                     old["uid"]),
                )
                row = self._annotation_row(conn, int(cur.lastrowid or 0))
                assert row is not None
                self._audit(conn, action="annotation_carried", who=old["author"], sha256=new_sha256,
                            requirement_id=old["requirement_id"],
                            old={**self._annotation_dict(old), "sha256": previous_sha256},
                            new=self._annotation_dict(row), at=stamp)
                _report_add(report, state, self._annotation_from_row(row))
            for old in _rows(conn, "SELECT * FROM status_overrides WHERE sha256 = ? ORDER BY requirement_id",
                             (previous_sha256,)):
                if (
                    old["requirement_id"] in carried_overrides
                    or self._override_row(conn, new_sha256, old["requirement_id"]) is not None
                ):
                    continue
                ev: TextAnchor | None = None
                state = AnchorState.ANCHORED
                if old["evidence_quote"] is not None:
                    ev, state = reanchor(
                        TextAnchor(old["evidence_start"], old["evidence_end"], old["evidence_quote"],
                                   old["evidence_quote_sha256"]),
                        text,
                        old_text,
                    )
                stamp = now_iso()
                conn.execute(
                    "INSERT INTO status_overrides (sha256, requirement_id, status, reason, evidence_start,"
                    " evidence_end, evidence_quote, evidence_quote_sha256, author, created_at, updated_at,"
                    " anchor_state, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (new_sha256, old["requirement_id"], old["status"], old["reason"], ev.start if ev else None,
                     ev.end if ev else None, ev.quote if ev else None, ev.quote_sha256 if ev else None,
                     old["author"], old["created_at"], stamp, state.value, previous_sha256),
                )
                row = self._override_row(conn, new_sha256, old["requirement_id"])
                assert row is not None
                self._audit(conn, action="override_carried", who=old["author"], sha256=new_sha256,
                            requirement_id=old["requirement_id"],
                            old={**self._override_dict(old), "sha256": previous_sha256},
                            new=self._override_dict(row), at=stamp)
                _report_add(report, state, self._override_from_row(row))
        return report

    def _reanchor_same_document(self, conn: sqlite3.Connection, sha256: str, text: str, old_text: str) -> None:
        """The same file read into a different text (a newer reader): move its anchors with the words."""
        from ..reviewer import reanchor

        for old in _rows(conn, "SELECT * FROM annotations WHERE sha256 = ?", (sha256,)):
            anchor = TextAnchor(old["start_offset"], old["end_offset"], old["quote"], old["quote_sha256"])
            if anchor.matches(text):
                continue
            new, state = reanchor(anchor, text, old_text)
            conn.execute(
                "UPDATE annotations SET start_offset = ?, end_offset = ?, quote = ?, quote_sha256 = ?,"
                " anchor_state = ? WHERE id = ?",
                (new.start, new.end, new.quote, new.quote_sha256, state.value, old["id"]),
            )
            self._audit(conn, action="annotation_reanchored", who=old["author"], sha256=sha256,
                        requirement_id=old["requirement_id"], old=self._annotation_dict(old),
                        new={**self._annotation_dict(old), "start_offset": new.start, "end_offset": new.end,
                             "quote": new.quote, "anchor_state": state.value})
        for old in _rows(conn, "SELECT * FROM status_overrides WHERE sha256 = ? AND evidence_quote IS NOT NULL",
                         (sha256,)):
            anchor = TextAnchor(old["evidence_start"], old["evidence_end"], old["evidence_quote"],
                                old["evidence_quote_sha256"])
            if anchor.matches(text):
                continue
            new, state = reanchor(anchor, text, old_text)
            conn.execute(
                "UPDATE status_overrides SET evidence_start = ?, evidence_end = ?, evidence_quote = ?,"
                " evidence_quote_sha256 = ?, anchor_state = ? WHERE id = ?",
                (new.start, new.end, new.quote, new.quote_sha256, state.value, old["id"]),
            )
            self._audit(conn, action="override_reanchored", who=old["author"], sha256=sha256,
                        requirement_id=old["requirement_id"], old=self._override_dict(old),
                        new={**self._override_dict(old), "evidence_start": new.start, "evidence_end": new.end,
                             "evidence_quote": new.quote, "anchor_state": state.value})

    # ------------------------------------------------------------------ contract vocabulary (#18)

    def vocabulary(self, sha256: str) -> ContractTerms:
        """The reviewer's names for a document's parties and data ("" where the contract's own is used)."""
        rows = self._query("SELECT vendor, school, data FROM contract_vocabulary WHERE sha256 = ?", (sha256,))
        if not rows:
            return ContractTerms()
        return ContractTerms(vendor=rows[0]["vendor"], school=rows[0]["school"], data=rows[0]["data"])

    def set_vocabulary(self, sha256: str, terms: ContractTerms, *, reviewer: str = "") -> ContractTerms:
        """Keep the reviewer's names (vendor, school, data) for every export of the document's reviews;
        all three empty withdraws them. Each change is in the audit log."""
        new = {k: " ".join((getattr(terms, k) or "").split())[:120] for k in ("vendor", "school", "data")}
        stamp = now_iso()
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is None:
                raise StoreError(
                    f"cannot name the parties of document {sha256[:12]}…: it has no stored review.",
                    self.path,
                    "Save the analysis first.",
                )
            row = conn.execute("SELECT vendor, school, data FROM contract_vocabulary WHERE sha256 = ?",
                               (sha256,)).fetchone()
            old = dict(zip(("vendor", "school", "data"), row, strict=True)) if row else None
            if old == new or (old is None and not any(new.values())):
                return ContractTerms(**new)
            if any(new.values()):
                conn.execute(
                    "INSERT INTO contract_vocabulary (sha256, vendor, school, data, reviewer, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET vendor = excluded.vendor,"
                    " school = excluded.school, data = excluded.data, reviewer = excluded.reviewer,"
                    " updated_at = excluded.updated_at",
                    (sha256, new["vendor"], new["school"], new["data"], reviewer, stamp),
                )
            else:
                conn.execute("DELETE FROM contract_vocabulary WHERE sha256 = ?", (sha256,))
            self._audit(conn, action="vocabulary_set" if any(new.values()) else "vocabulary_cleared", who=reviewer,
                        sha256=sha256, requirement_id="vocabulary", old=old, new=new, at=stamp)
        return ContractTerms(**new)

    # ------------------------------------------------------------------ versions

    def link_version(self, new_sha256: str, previous_sha256: str, *, who: str = "") -> None:
        """Record that ``new_sha256`` is a revision of ``previous_sha256`` (both must be stored)."""
        if new_sha256 == previous_sha256:
            raise StoreError("a document cannot be linked to itself as its previous version.", self.path)
        with self.transaction() as conn:
            for sha in (new_sha256, previous_sha256):
                if conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha,)).fetchone() is None:
                    raise StoreError(f"document {sha[:12]}… is not in this database.", self.path,
                                     "Review it first, then link the versions.")
            # Refuse cycles: walking back from the previous version must not reach the new one.
            seen: set[str] = {new_sha256}
            cursor: str | None = previous_sha256
            while cursor:
                if cursor in seen:
                    raise StoreError("linking these versions would make a cycle.", self.path)
                seen.add(cursor)
                row = conn.execute("SELECT previous_sha256 FROM documents WHERE sha256 = ?", (cursor,)).fetchone()
                cursor = row[0] if row else None
            old = conn.execute("SELECT previous_sha256 FROM documents WHERE sha256 = ?", (new_sha256,)).fetchone()[0]
            conn.execute("UPDATE documents SET previous_sha256 = ? WHERE sha256 = ?", (previous_sha256, new_sha256))
            self._audit(conn, action="version_linked", who=who, sha256=new_sha256,
                        old={"previous_sha256": old}, new={"previous_sha256": previous_sha256})

    def previous_version(self, sha256: str) -> str | None:
        rows = self._query("SELECT previous_sha256 FROM documents WHERE sha256 = ?", (sha256,))
        return rows[0]["previous_sha256"] if rows else None

    def diff_reviews(self, old_id: int, new_id: int) -> ReviewDiff:
        """Requirements whose status improved or worsened, evidence and clauses whose text changed."""
        old, new = self.get_analysis(old_id), self.get_analysis(new_id)
        diff = ReviewDiff(old_id=int(old_id), new_id=int(new_id))
        old_by = {f.requirement_id: f for f in old.findings}
        new_by = {f.requirement_id: f for f in new.findings}
        for rid, nf in new_by.items():
            of = old_by.get(rid)
            if of is None:
                diff.added.append((rid, nf.status.value))
                continue
            entry = (rid, of.status.value, nf.status.value)
            delta = STATUS_RANK[nf.status.value] - STATUS_RANK[of.status.value]
            (diff.improved if delta > 0 else diff.worsened if delta < 0 else diff.unchanged).append(entry)
            ot, nt = evidence_text_for(of), evidence_text_for(nf)
            if normalize_ws(ot) != normalize_ws(nt):
                diff.changed_evidence.append((rid, ot, nt))
        for rid, of in old_by.items():
            if rid not in new_by:
                diff.removed.append((rid, of.status.value))
        if old.document.text and new.document.text:
            diff.changed_clauses.extend(_clause_changes(old, new))
        return diff

    # ------------------------------------------------------------------ hand-over

    def export_review(self, review_id: int, dest: Path | str, *, include_contract: bool = False) -> Path:
        from .handover import export_review

        return export_review(self, int(review_id), Path(dest), include_contract=include_contract)

    def import_review(self, src: Path | str) -> int:
        from .handover import import_review

        return import_review(self, Path(src))

    def backup(self, dest: Path | str) -> Path:
        """A consistent copy of the database (SQLite online backup), written 0600 and renamed into place."""
        dest = Path(dest).expanduser()
        if dest.resolve() == self.path.resolve():
            raise StoreError("cannot back up the review database onto itself.", dest)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        except OSError as exc:
            raise StoreError(f"cannot write the backup ({exc.strerror}).", dest) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            target = sqlite3.connect(str(tmp))
            try:
                with self._lock:
                    self.conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            finally:
                target.close()
            os.replace(tmp, dest)
        except sqlite3.Error as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup ({exc}).", dest) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return dest

    # ------------------------------------------------------------------ health

    def check(self) -> list[str]:
        """Integrity and foreign-key problems, one sentence each; an empty list means healthy."""
        problems: list[str] = []
        try:
            with self._lock:
                for (msg,) in self.conn.execute("PRAGMA integrity_check"):
                    if msg != "ok":
                        problems.append(f"integrity: {msg}")
                for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
                    problems.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
                version = migrations.schema_version(self.db)
                applied = migrations.applied(self.db)
                expected = [m[0] for m in migrations.MIGRATIONS]
                if version != migrations.SCHEMA_VERSION or applied != expected:
                    problems.append(
                        f"schema: version {version}, migrations recorded {applied}, expected {expected}"
                    )
                triggers = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
                for name in ("audit_log_no_update", "audit_log_no_delete"):
                    if name not in triggers:
                        problems.append(f"audit: trigger {name} is missing, the audit log is not protected")
                bad_json = self.conn.execute(
                    "SELECT COUNT(*) FROM reviews WHERE NOT json_valid(analysis_json)"
                ).fetchone()[0]
                if bad_json:
                    problems.append(f"reviews: {bad_json} review(s) hold invalid analysis JSON")
                orphans = self.conn.execute(
                    "SELECT COUNT(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.review_id = r.id)"
                    " AND json_array_length(analysis_json, '$.findings') > 0"
                ).fetchone()[0]
                if orphans:
                    problems.append(f"findings: {orphans} review(s) have lost their findings")
                # A reviewer's anchor that says "anchored" or "moved" must quote the stored text at its offsets.
                stale = self.conn.execute(
                    "SELECT COUNT(*) FROM annotations a JOIN document_texts t USING (sha256)"
                    " WHERE a.anchor_state != 'unmatched'"
                    " AND substr(t.text, a.start_offset + 1, a.end_offset - a.start_offset) != a.quote"
                ).fetchone()[0]
                stale += self.conn.execute(
                    "SELECT COUNT(*) FROM status_overrides o JOIN document_texts t USING (sha256)"
                    " WHERE o.anchor_state != 'unmatched' AND o.evidence_quote IS NOT NULL"
                    " AND substr(t.text, o.evidence_start + 1, o.evidence_end - o.evidence_start) != o.evidence_quote"
                ).fetchone()[0]
                if stale:
                    problems.append(f"annotations: {stale} reviewer anchor(s) no longer quote the stored text")
        except sqlite3.DatabaseError as exc:
            problems.append(f"database: {exc}")
        return problems


_ANNOTATION_KEYS = (
    "uid", "start_offset", "end_offset", "quote", "quote_sha256", "comment", "requirement_id", "author",
    "created_at", "updated_at", "anchor_state",
)
_OVERRIDE_KEYS = (
    "requirement_id", "status", "reason", "evidence_start", "evidence_end", "evidence_quote",
    "evidence_quote_sha256", "author", "created_at", "updated_at", "anchor_state",
)


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _report_add(report: ReanchorReport, state: AnchorState, item: Annotation | StatusOverride) -> None:
    {AnchorState.MOVED: report.moved, AnchorState.UNMATCHED: report.unmatched}.get(state, report.kept).append(item)


def _clause_key(c: Clause) -> str:
    return c.number or normalize_ws(c.heading) or c.path


def _clause_changes(old: Analysis, new: Analysis) -> list[tuple[str, str, str]]:
    def texts(a: Analysis) -> dict[str, str]:
        clauses = a.clauses
        if not clauses and a.document.text:
            from ..segment import segment  # a review stored without its clauses

            clauses = tuple(segment(a.document))
        out: dict[str, str] = {}
        seen: dict[str, int] = {}
        for c in clauses:
            key = _clause_key(c)
            if not key:
                continue
            # A number or heading that repeats (numbering restarting in a schedule, two "Termination"
            # headings) used to keep only the first clause, so a change in the second went unreported (#17).
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key} (#{seen[key]})"
            out[key] = a.document.text[c.start : c.end]
        return out

    ot, nt = texts(old), texts(new)
    changes: list[tuple[str, str, str]] = []
    for key, ntext in nt.items():
        otext = ot.get(key, "")
        if normalize_ws(otext) != normalize_ws(ntext):
            changes.append((key, otext, ntext))
    changes.extend((key, otext, "") for key, otext in ot.items() if key not in nt)
    return changes


def open_store(path: Path | str | None = None) -> Store:
    """Open (creating and migrating as needed) the review database; ``None`` = the user data folder."""
    if path is None:
        from ..settings import default_db_path

        path = default_db_path()
    return Store(Path(path).expanduser())


