"""A district's own reviews as gold labels (issue #16): ``contractreview labels export``.

Each reviewed document becomes one label file in the evaluation gold format (see ``labels.py``), next to
a private copy of the contract it was made from, so ``contractreview eval --gold DIR`` measures the engine
on the district's own contracts and ``contractreview train --extra-gold DIR`` can learn from them. Nothing
leaves the machine: the folder is written owner-only.

What counts as the reviewer's word, per requirement:

* a status override in force (satisfied / weak / missing; "not applicable" is no status to learn);
* otherwise a finding the reviewer accepted (decision "accept"): the engine's status, confirmed.

Requirements the reviewer has not ruled on are left out (an unreviewed engine status is no label), as are
ones the engine cannot check (they cannot measure it). Evidence is the reviewer's: the override's passage
and the annotations linked to the requirement, else the accepted finding's quotes; each with its offsets
and hash. Key terms are those the reviewer corrected.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import Decision, ReviewerStatus, Status
from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store

SPLIT = "district"
LABELS_SCHEMA = "contractreview/district-labels-v1"


@dataclass(slots=True)
class LabelsExport:
    written: list[Path] = field(default_factory=list)  # label files
    documents: list[Path] = field(default_factory=list)  # contract copies (or their text)
    labels: int = 0  # requirement labels written
    skipped: list[str] = field(default_factory=list)  # one line per document or label left out, with why


def _stem(name: str) -> str:
    stem = Path(name.replace("\\", "/")).stem or "contract"
    return re.sub(r"[^A-Za-z0-9]+", "_", stem).strip("_").lower()[:60] or "contract"


def _root(store: Store, sha: str) -> str:
    """The first version of a contract: revisions of one contract are one vendor group for evaluation."""
    seen = {sha}
    cur = sha
    while True:
        prev = store.previous_version(cur)
        if not prev or prev in seen:
            return cur
        seen.add(prev)
        cur = prev


def _contract_bytes(store: Store, review_id: int, sha: str) -> tuple[bytes, str] | None:
    """The contract's bytes when a file with its exact SHA-256 is where it was reviewed (or handed over)."""
    summary = store.get_summary(review_id)
    candidates = [summary.path]
    rows = store._query("SELECT source_path FROM reviews WHERE sha256 = ? ORDER BY id DESC", (sha,))
    candidates += [r["source_path"] for r in rows]
    for c in candidates:
        if not c:
            continue
        p = Path(c)
        try:
            if not p.is_file():
                continue
            data = p.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == sha:
            return data, p.suffix.lower() or ".bin"
    return None


def _anchor_dict(start: int, end: int, quote: str, digest: str) -> dict[str, Any]:
    return {"start": start, "end": end, "quote": quote, "quote_sha256": digest}


def review_labels(store: Store, review_id: int) -> tuple[dict[str, Any], list[str]]:
    """The gold ``labels`` and ``params`` of one stored review, and lines naming what was left out."""
    analysis = store.corrected(store.get_analysis(review_id))
    sha = analysis.document.sha256
    decisions = store.decisions(sha, current=analysis)
    notes = store.annotations(sha)
    labels: dict[str, Any] = {}
    skipped: list[str] = []
    for f in analysis.findings:
        rid = f.requirement_id
        ov = f.override if f.overridden else None
        engine_status = f.engine_status or f.status
        if engine_status is Status.NEEDS_REVIEW and f.layer == "none":
            if ov is not None or rid in decisions:
                skipped.append(f"{rid}: not checked by the engine, so it cannot be measured")
            continue
        anchors: list[dict[str, Any]] = []
        if ov is not None:
            if ov.status is ReviewerStatus.NOT_APPLICABLE:
                skipped.append(f"{rid}: the reviewer says not applicable (no status to measure)")
                continue
            status = ov.status.value
            origin = "override"
            if ov.evidence is not None:
                e = ov.evidence
                anchors.append(_anchor_dict(e.start, e.end, e.quote, e.quote_sha256))
            note = ov.reason
            who = ov.author
        else:
            d = decisions.get(rid)
            if d is None or d.decision is not Decision.ACCEPT or f.status.value not in ("satisfied", "weak", "missing"):
                continue
            status = f.status.value
            origin = "accepted"
            from ..domain import quote_hash

            anchors += [_anchor_dict(e.start, e.end, e.text, quote_hash(e.text)) for e in f.evidence if e.text]
            note = d.note
            who = d.reviewer
        for a in notes:
            if a.requirement_id == rid and a.anchor_state != "unmatched":
                entry = _anchor_dict(a.anchor.start, a.anchor.end, a.anchor.quote, a.anchor.quote_sha256)
                if entry not in anchors:
                    anchors.append(entry)
        if status == "missing":
            anchors = []  # gold evidence of a missing protection is empty by definition
        labels[rid] = {
            "status": status,
            "evidence": [a["quote"] for a in anchors],
            "evidence_anchors": anchors,
            "origin": origin,
            "reviewer": who,
            "note": note,
        }
    params = {k.name: k.value for k in analysis.key_term_readings if k.corrected}
    return {"labels": labels, "params": params, "analysis": analysis}, skipped


def export_labels(store: Store, dest: Path, review_ids: Iterable[int] | None = None) -> LabelsExport:
    """Write one label file per reviewed document into ``dest`` (and the contract under ``documents/``).

    ``review_ids`` default: the latest review of every document the reviewer ruled on (an override or an
    accepted finding). A document with nothing to label is skipped and named in the result.
    """
    from ..privatefile import write_private_atomic

    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise InputError("is not a folder", dest)
    if review_ids is None:
        ids = [s.id for s in store.recent_documents(limit=1_000_000)]
    else:
        ids = [int(i) for i in review_ids]
        for i in ids:
            store.get_summary(i)  # a StoreError naming a review that does not exist, before writing anything
    out = LabelsExport()
    seen: set[str] = set()
    for review_id in ids:
        summary = store.get_summary(review_id)
        if summary.sha256 in seen:
            continue
        seen.add(summary.sha256)
        data, skipped = review_labels(store, review_id)
        out.skipped += [f"{summary.name}: {s}" for s in skipped]
        if not data["labels"]:
            out.skipped.append(f"{summary.name}: no reviewed requirement to label")
            continue
        analysis = data["analysis"]
        doc_id = f"{_stem(summary.name)}_{summary.sha256[:8]}"
        found = _contract_bytes(store, review_id, summary.sha256)
        if found is not None:
            blob, suffix = found
            rel = f"documents/{doc_id}{suffix}"
            source_format = suffix.lstrip(".")
        elif analysis.document.text:
            blob, rel, source_format = analysis.document.text.encode("utf-8"), f"documents/{doc_id}.txt", "text"
            out.skipped.append(
                f"{summary.name}: the contract file is not where it was reviewed; its stored text is used instead"
            )
        else:
            out.skipped.append(f"{summary.name}: neither the contract nor its text is available")
            continue
        out.documents.append(write_private_atomic(dest / rel, blob))
        label = {
            "schema": LABELS_SCHEMA,
            "doc": doc_id,
            "path": rel,
            "split": SPLIT,
            "vendor": f"district_{_root(store, summary.sha256)[:12]}",
            "annotator": "district reviewer (exported from the review database)",
            "sha256": summary.sha256,
            "source_format": source_format,
            "profile": summary.profile,
            "library_version": summary.library_version,
            "review_id": review_id,
            "params": data["params"],
            "labels": data["labels"],
        }
        payload = json.dumps(label, indent=1, ensure_ascii=False, sort_keys=False).encode("utf-8")
        out.written.append(write_private_atomic(dest / f"{doc_id}.json", payload))
        out.labels += len(data["labels"])
    return out
