"""Hand-over files: one JSON file carrying a review to a colleague's store (``contractreview/handover-v1``).

The file holds the document record (with its text and layout, so highlights work without the
contract), the ``analysis-v1`` object, the decisions, key-term corrections, the reviewer's annotations and
status overrides (issue #16), the reviewer's names for the parties and the data (``vocabulary``, issue
#18) and the document's audit history, and optionally
the contract bytes (base64). Importing merges: a review already present (same ``uid``) is not
duplicated, audit rows already present are skipped, and when both sides decided the same requirement
differently the newest ``updated_at`` becomes current while both versions stay in the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import KEY_TERMS, AnchorState, Decision, ReviewerStatus
from ..errors import StoreError
from ..privatefile import write_private_atomic
from ..serialize import SCHEMA as ANALYSIS_SCHEMA
from .repository import _ANNOTATION_KEYS, _OVERRIDE_KEYS, _parse_time, now_iso

if TYPE_CHECKING:  # pragma: no cover
    from .repository import Store

HANDOVER_SCHEMA = "contractreview/handover-v1"
MAX_HANDOVER_BYTES = 512 * 1024 * 1024
_DECISION_KEYS = ("decision", "note", "reviewer", "created_at", "updated_at", "evidence_text")


def _refuse_protected(dest: Path, store: Store, contract_paths: list[str | None]) -> None:
    """A hand-over file must not replace the contract it describes nor the review database itself."""
    if not dest.exists():
        return
    db = Path(store.path)
    protected = [(p, "the contract this review was made from") for p in contract_paths if p]
    protected += [(db, "the review database"), (Path(f"{db}-wal"), "the review database's journal")]
    for other, what in protected:
        try:
            same = os.path.samefile(dest, other)
        except OSError:
            continue
        if same:
            raise StoreError(f"is {what}; refusing to overwrite it. Choose another file for the hand-over.", dest)


def export_review(store: Store, review_id: int, dest: Path, *, include_contract: bool = False) -> Path:
    row = store._review_row(review_id)
    sha = row["sha256"]
    doc_row = store._query("SELECT * FROM documents WHERE sha256 = ?", (sha,))[0]
    text_rows = store._query("SELECT text, layout_json FROM document_texts WHERE sha256 = ?", (sha,))
    document: dict[str, Any] = {
        k: doc_row[k] for k in ("sha256", "name", "path", "format", "pages", "first_seen", "previous_sha256")
    }
    if text_rows:
        document["text"] = text_rows[0]["text"]
        document["layout"] = json.loads(text_rows[0]["layout_json"] or "{}")
    if include_contract:
        source = Path(row["source_path"] or doc_row["path"])
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise StoreError(
                f"cannot include the contract: {source.name} cannot be read ({exc.strerror}).",
                dest,
                "Export without --with-contract, or put the file back where it was reviewed.",
            ) from exc
        if hashlib.sha256(data).hexdigest() != sha:
            raise StoreError(
                f"cannot include the contract: {source.name} has changed since it was reviewed.",
                dest,
                "Export without --with-contract, or review the current file first.",
            )
        document["contract_base64"] = base64.b64encode(data).decode("ascii")
    decisions = store._query("SELECT * FROM decisions WHERE sha256 = ? ORDER BY requirement_id", (sha,))
    payload = {
        "schema": HANDOVER_SCHEMA,
        "exported_at": now_iso(),
        "document": document,
        "review": {
            k: row[k]
            for k in ("uid", "profile", "library_version", "library_fingerprint", "tool_version", "started_at",
                      "finished_at", "source_path")
        },
        "analysis": json.loads(row["analysis_json"]),
        "clauses": json.loads(row["clauses_json"] or "[]"),
        "extra": json.loads(row["extra_json"] or "{}"),
        "decisions": [{"requirement_id": d["requirement_id"], **{k: d[k] for k in _DECISION_KEYS}} for d in decisions],
        # Reviewer corrections of key terms (issue #15); older hand-over files have none.
        "key_term_corrections": [
            store._correction_dict(c)
            for c in store._query("SELECT * FROM key_term_corrections WHERE sha256 = ? ORDER BY term", (sha,))
        ],
        # The reviewer's annotations and status overrides (issue #16); older hand-over files have none.
        "annotations": [
            store._annotation_dict(a)
            for a in store._query("SELECT * FROM annotations WHERE sha256 = ? ORDER BY start_offset, id", (sha,))
        ],
        "status_overrides": [
            store._override_dict(o)
            for o in store._query("SELECT * FROM status_overrides WHERE sha256 = ? ORDER BY requirement_id", (sha,))
        ],
        # The reviewer's names for the parties and the data (issue #18); older files have none.
        "vocabulary": next(
            (dict(v) for v in store._query(
                "SELECT vendor, school, data, reviewer, updated_at FROM contract_vocabulary WHERE sha256 = ?", (sha,))),
            None,
        ),
        "history": [
            {k: h[k] for k in ("uid", "at", "who", "action", "sha256", "requirement_id", "old_json", "new_json")}
            for h in store._query("SELECT * FROM audit_log WHERE sha256 = ? ORDER BY id", (sha,))
        ],
    }
    data_out = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    _refuse_protected(dest, store, [row["source_path"], doc_row["path"]])
    try:
        return write_private_atomic(dest, data_out)
    except OSError as exc:
        raise StoreError(f"cannot write the hand-over file ({exc.strerror}).", dest) from exc


def _load(src: Path) -> dict[str, Any]:
    try:
        size = src.stat().st_size
        if size > MAX_HANDOVER_BYTES:
            raise StoreError(f"is too large for a hand-over file ({size} bytes).", src)
        data = json.loads(src.read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise StoreError("does not exist.", src) from exc
    except IsADirectoryError as exc:
        raise StoreError("is a folder, not a hand-over file.", src) from exc
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror}).", src) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"is not a hand-over file (not valid JSON: {exc}).", src) from exc
    except RecursionError as exc:
        raise StoreError("is not a hand-over file (JSON nested too deeply).", src) from exc
    if not isinstance(data, dict) or data.get("schema") != HANDOVER_SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise StoreError(f"is not a {HANDOVER_SCHEMA} file (schema={schema!r}).", src)
    try:
        doc, review, analysis = data["document"], data["review"], data["analysis"]
        sha = doc["sha256"]
        if not re.fullmatch(r"[0-9a-f]{64}", sha or ""):
            raise ValueError("document.sha256 is not a SHA-256 hex digest")
        if analysis.get("schema") != ANALYSIS_SCHEMA or analysis["document"]["sha256"] != sha:
            raise ValueError("the analysis does not belong to the document")
        if not isinstance(data.get("extra", {}), dict) or not isinstance(data.get("clauses", []), list):
            raise ValueError("extra/clauses have the wrong type")
        if not review.get("uid"):
            raise ValueError("review.uid is missing")
        for d in data.get("decisions", []):
            Decision(d["decision"])
            d["requirement_id"]  # noqa: B018 - presence check
        # Everything the import reads later, checked before anything is written (no contract copy or
        # half-imported review is left behind by a damaged file).
        from ..serialize import analysis_from_dict

        analysis_from_dict(analysis)
        for f in analysis.get("findings", []):
            f["requirement_id"], f["status"]  # noqa: B018 - presence check
        history = data.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
            raise ValueError("history is not a list of entries")
        if not isinstance(data.get("decisions", []), list):
            raise ValueError("decisions is not a list")
        corrections = data.get("key_term_corrections", [])
        if not isinstance(corrections, list) or not all(
            isinstance(c, dict) and c.get("term") in KEY_TERMS for c in corrections
        ):
            raise ValueError("key_term_corrections is not a list of key-term corrections")
        _check_reviewer_records(data)
        vocabulary = data.get("vocabulary")
        if vocabulary is not None and not (
            isinstance(vocabulary, dict)
            and all(isinstance(vocabulary.get(k, ""), str) for k in ("vendor", "school", "data", "reviewer"))
        ):
            raise ValueError("vocabulary is not a set of names")
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        raise StoreError(f"is an incomplete or damaged hand-over file ({exc}).", src) from exc
    return data


def _check_reviewer_records(data: dict[str, Any]) -> None:
    """Annotations and overrides are complete and well-formed (raises ValueError naming what is not)."""
    annotations, overrides = data.get("annotations", []), data.get("status_overrides", [])
    if not isinstance(annotations, list) or not isinstance(overrides, list):
        raise ValueError("annotations/status_overrides are not lists")
    states = {s.value for s in AnchorState}
    for a in annotations:
        if not isinstance(a, dict) or not a.get("uid") or not isinstance(a.get("quote"), str):
            raise ValueError("an annotation has no uid or quote")
        if not (0 <= int(a["start_offset"]) <= int(a["end_offset"])) or a.get("anchor_state", "anchored") not in states:
            raise ValueError(f"annotation {a['uid']} has a damaged anchor")
    for o in overrides:
        if not isinstance(o, dict) or not o.get("requirement_id") or not str(o.get("reason") or "").strip():
            raise ValueError("a status override has no requirement or no reason")
        ReviewerStatus(o["status"])
        if o.get("anchor_state", "anchored") not in states:
            raise ValueError(f"the override of {o['requirement_id']} has a damaged anchor state")


def _contract_copy_path(store: Store, sha: str, name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._ -]", "_", Path(name.replace("\\", "/")).name or "contract")
    return store.path.parent / "contracts" / f"{sha[:12]}-{safe}"


def import_review(store: Store, src: Path) -> int:
    data = _load(src)
    doc, review = data["document"], data["review"]
    sha = doc["sha256"]
    contract_path: Path | None = None
    if doc.get("contract_base64"):
        try:
            blob = base64.b64decode(doc["contract_base64"], validate=True)
        except ValueError as exc:
            raise StoreError(f"carries a damaged contract copy ({exc}).", src) from exc
        if hashlib.sha256(blob).hexdigest() != sha:
            raise StoreError("carries a contract copy that does not match its SHA-256.", src)
        contract_path = _contract_copy_path(store, sha, doc.get("name") or "contract")
        if not contract_path.exists():
            write_private_atomic(contract_path, blob)

    with store.transaction() as conn:
        existing = conn.execute("SELECT path FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        if existing is None:
            path = str(contract_path) if contract_path else (doc.get("path") or "")
            conn.execute(
                "INSERT INTO documents (sha256, name, path, format, pages, first_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (sha, doc.get("name") or "", path, doc.get("format") or "", int(doc.get("pages") or 0),
                 doc.get("first_seen") or now_iso()),
            )
        elif contract_path and not (existing[0] and Path(existing[0]).is_file()):
            conn.execute("UPDATE documents SET path = ? WHERE sha256 = ?", (str(contract_path), sha))
        if doc.get("text") and conn.execute("SELECT 1 FROM document_texts WHERE sha256 = ?", (sha,)).fetchone() is None:
            conn.execute(
                "INSERT INTO document_texts (sha256, text, layout_json) VALUES (?, ?, ?)",
                (sha, doc["text"], json.dumps(doc.get("layout") or {})),
            )
        prev = doc.get("previous_sha256")
        if prev and conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (prev,)).fetchone() is not None:
            conn.execute(
                "UPDATE documents SET previous_sha256 = ? WHERE sha256 = ? AND previous_sha256 IS NULL", (prev, sha)
            )

        found = conn.execute("SELECT id FROM reviews WHERE uid = ?", (review["uid"],)).fetchone()
        if found is not None:
            review_id = int(found[0])
        else:
            cur = conn.execute(
                "INSERT INTO reviews (uid, sha256, profile, library_version, library_fingerprint, tool_version,"
                " started_at, finished_at, source_path, analysis_json, clauses_json, extra_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    review["uid"], sha, review.get("profile") or data["analysis"].get("profile", ""),
                    review.get("library_version") or "", review.get("library_fingerprint") or "",
                    review.get("tool_version") or "", review.get("started_at") or now_iso(),
                    review.get("finished_at") or now_iso(),
                    str(contract_path) if contract_path else (review.get("source_path") or ""),
                    json.dumps(data["analysis"]), json.dumps(data.get("clauses") or []),
                    json.dumps(data.get("extra") or {}),
                ),
            )
            review_id = int(cur.lastrowid or 0)
            store._insert_findings(conn, review_id, data["analysis"].get("findings", []))

        # History first, so the merge rows below come after the colleague's own entries.
        for h in data.get("history", []):
            conn.execute(
                "INSERT OR IGNORE INTO audit_log (uid, at, who, action, sha256, requirement_id, old_json, new_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (h.get("uid") or f"import-{hashlib.sha256(json.dumps(h, sort_keys=True).encode()).hexdigest()}",
                 h.get("at") or "", h.get("who") or "", h.get("action") or "imported", h.get("sha256") or sha,
                 h.get("requirement_id"), h.get("old_json"), h.get("new_json")),
            )

        for d in data.get("decisions", []):
            rid = d["requirement_id"]
            theirs = {k: d.get(k) or "" for k in _DECISION_KEYS}
            cur = conn.execute("SELECT * FROM decisions WHERE sha256 = ? AND requirement_id = ?", (sha, rid))
            cols = [c[0] for c in cur.description]
            row = cur.fetchone()
            if row is None:
                _put_decision(conn, sha, rid, theirs)
                store._audit(conn, action="decision_imported", who=theirs["reviewer"], sha256=sha,
                             requirement_id=rid, old=None, new={**theirs, "from": src.name})
                continue
            ours = {k: dict(zip(cols, row, strict=True))[k] for k in _DECISION_KEYS}
            if all(ours[k] == theirs[k] for k in ("decision", "note", "reviewer", "evidence_text")):
                continue
            theirs_newer = _parse_time(theirs["updated_at"]) > _parse_time(ours["updated_at"])
            if theirs_newer:
                _put_decision(conn, sha, rid, {**theirs, "created_at": ours["created_at"] or theirs["created_at"]})
            # Both versions are kept: this row names the one now shown and the one set aside.
            store._audit(
                conn, action="decision_merged", who=theirs["reviewer"], sha256=sha, requirement_id=rid,
                old=ours, new={**theirs, "from": src.name, "kept": "imported" if theirs_newer else "local"},
            )
        for c in data.get("key_term_corrections", []):
            term = c["term"]
            cur = conn.execute("SELECT updated_at FROM key_term_corrections WHERE sha256 = ? AND term = ?", (sha, term))
            row = cur.fetchone()
            if row is not None and _parse_time(row[0]) >= _parse_time(c.get("updated_at") or ""):
                continue  # ours is as new or newer; theirs stays in the imported history
            stamp = now_iso()
            conn.execute(
                "INSERT INTO key_term_corrections (sha256, term, value_json, engine_value_json, note, reviewer,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256, term) DO UPDATE SET"
                " value_json = excluded.value_json, note = excluded.note, reviewer = excluded.reviewer,"
                " updated_at = excluded.updated_at",
                (sha, term, json.dumps(c.get("value")), json.dumps(c.get("engine_value")), c.get("note") or "",
                 c.get("reviewer") or "", c.get("created_at") or stamp, c.get("updated_at") or stamp),
            )
            store._audit(conn, action="key_term_correction_imported", who=c.get("reviewer") or "", sha256=sha,
                         requirement_id=f"key_term.{term}", new={**c, "from": src.name})
        _merge_annotations(store, conn, sha, data.get("annotations", []), src.name)
        _merge_overrides(store, conn, sha, data.get("status_overrides", []), src.name)
        v = data.get("vocabulary")
        if v:
            row = conn.execute("SELECT updated_at FROM contract_vocabulary WHERE sha256 = ?", (sha,)).fetchone()
            if row is None or _parse_time(row[0]) < _parse_time(v.get("updated_at") or ""):
                names = {k: " ".join((v.get(k) or "").split())[:120] for k in ("vendor", "school", "data")}
                conn.execute(
                    "INSERT INTO contract_vocabulary (sha256, vendor, school, data, reviewer, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET vendor = excluded.vendor,"
                    " school = excluded.school, data = excluded.data, reviewer = excluded.reviewer,"
                    " updated_at = excluded.updated_at",
                    (sha, names["vendor"], names["school"], names["data"], v.get("reviewer") or "",
                     v.get("updated_at") or now_iso()),
                )
                store._audit(conn, action="vocabulary_imported", who=v.get("reviewer") or "", sha256=sha,
                             requirement_id="vocabulary", new={**names, "from": src.name})
        store._audit(conn, action="review_imported", sha256=sha,
                     new={"review_id": review_id, "review_uid": review["uid"], "from": src.name})
    return review_id


def _put_decision(conn: Any, sha: str, rid: str, d: dict[str, Any]) -> None:
    stamp = now_iso()
    conn.execute(
        "INSERT INTO decisions (sha256, requirement_id, decision, note, reviewer, created_at, updated_at, evidence_text)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256, requirement_id) DO UPDATE SET"
        " decision = excluded.decision, note = excluded.note, reviewer = excluded.reviewer,"
        " created_at = excluded.created_at, updated_at = excluded.updated_at, evidence_text = excluded.evidence_text",
        (sha, rid, Decision(d["decision"]).value, d.get("note") or "", d.get("reviewer") or "",
         d.get("created_at") or stamp, d.get("updated_at") or stamp, d.get("evidence_text") or ""),
    )


def _merge_annotations(store: Store, conn: Any, sha: str, annotations: list[dict[str, Any]], source: str) -> None:
    """Annotations are matched by uid: a new one is added, a changed one takes the newer edit."""
    for a in annotations:
        theirs = {k: a.get(k) for k in _ANNOTATION_KEYS}
        theirs["anchor_state"] = theirs["anchor_state"] or "anchored"
        stamp = now_iso()
        row = conn.execute("SELECT updated_at FROM annotations WHERE uid = ?", (theirs["uid"],)).fetchone()
        if row is not None and _parse_time(row[0]) >= _parse_time(theirs["updated_at"] or ""):
            continue  # ours is as new or newer; theirs stays in the imported history
        conn.execute(
            "INSERT INTO annotations (uid, sha256, start_offset, end_offset, quote, quote_sha256, comment,"
            " requirement_id, author, created_at, updated_at, anchor_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(uid) DO UPDATE SET start_offset = excluded.start_offset, end_offset = excluded.end_offset,"
            " quote = excluded.quote, quote_sha256 = excluded.quote_sha256, comment = excluded.comment,"
            " requirement_id = excluded.requirement_id, updated_at = excluded.updated_at,"
            " anchor_state = excluded.anchor_state",
            (theirs["uid"], sha, int(theirs["start_offset"]), int(theirs["end_offset"]), theirs["quote"],
             theirs["quote_sha256"] or "", theirs["comment"] or "", theirs["requirement_id"] or None,
             theirs["author"] or "", theirs["created_at"] or stamp, theirs["updated_at"] or stamp,
             theirs["anchor_state"]),
        )
        store._audit(conn, action="annotation_imported", who=theirs["author"] or "", sha256=sha,
                     requirement_id=theirs["requirement_id"], new={**theirs, "from": source})


def _merge_overrides(store: Store, conn: Any, sha: str, overrides: list[dict[str, Any]], source: str) -> None:
    """One override per requirement: the newer of ours and theirs stays current (both are in the history)."""
    for o in overrides:
        theirs = {k: o.get(k) for k in _OVERRIDE_KEYS}
        rid = theirs["requirement_id"]
        row = conn.execute(
            "SELECT updated_at FROM status_overrides WHERE sha256 = ? AND requirement_id = ?", (sha, rid)
        ).fetchone()
        if row is not None and _parse_time(row[0]) >= _parse_time(theirs["updated_at"] or ""):
            continue
        stamp = now_iso()
        conn.execute(
            "INSERT INTO status_overrides (sha256, requirement_id, status, reason, evidence_start, evidence_end,"
            " evidence_quote, evidence_quote_sha256, author, created_at, updated_at, anchor_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256, requirement_id) DO UPDATE SET"
            " status = excluded.status, reason = excluded.reason, evidence_start = excluded.evidence_start,"
            " evidence_end = excluded.evidence_end, evidence_quote = excluded.evidence_quote,"
            " evidence_quote_sha256 = excluded.evidence_quote_sha256, author = excluded.author,"
            " created_at = excluded.created_at, updated_at = excluded.updated_at, anchor_state = excluded.anchor_state",
            (sha, rid, ReviewerStatus(theirs["status"]).value, str(theirs["reason"]).strip(),
             theirs["evidence_start"], theirs["evidence_end"], theirs["evidence_quote"],
             theirs["evidence_quote_sha256"], theirs["author"] or "", theirs["created_at"] or stamp,
             theirs["updated_at"] or stamp, theirs["anchor_state"] or "anchored"),
        )
        store._audit(conn, action="override_imported", who=theirs["author"] or "", sha256=sha, requirement_id=rid,
                     new={**theirs, "from": source})
