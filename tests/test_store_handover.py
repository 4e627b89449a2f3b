"""Hand-over files (#5): export a review, import it elsewhere, merge without loss."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import stat
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from test_store_support import BREACH_WEAK, DELETE_OK, contract_v1

from contractreview.domain import Decision, Status
from contractreview.errors import StoreError
from contractreview.store import HANDOVER_SCHEMA, evidence_text_for, open_store


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def alice(tmp_path: Path):
    store = open_store(tmp_path / "alice" / "reviews.sqlite3")
    yield store
    store.close()


@pytest.fixture
def bob(tmp_path: Path):
    store = open_store(tmp_path / "bob" / "reviews.sqlite3")
    yield store
    store.close()


def test_store_handover_round_trip_carries_review_decisions_and_history(alice, bob, tmp_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    rid = alice.save_analysis(v1)
    alice.set_decision(sha, "breach_notification", Decision.NEEDS_NEGOTIATION, note="72h please", reviewer="Alice",
                       evidence_text=evidence_text_for(v1.finding("breach_notification")))
    dest = alice.export_review(rid, tmp_path / "out" / "review.crh.json")
    assert _mode(dest) == 0o600
    data = json.loads(dest.read_text(encoding="utf-8"))
    assert data["schema"] == HANDOVER_SCHEMA and "contract_base64" not in data["document"]
    assert not list(dest.parent.glob("*.tmp"))

    new_id = bob.import_review(dest)
    back = bob.get_analysis(new_id)
    assert [(f.requirement_id, f.status) for f in back.findings] == [(f.requirement_id, f.status) for f in v1.findings]
    assert back.document.text == v1.document.text and back.clauses == v1.clauses
    ev = back.finding("breach_notification").evidence[0]
    assert back.document.text[ev.start : ev.end] == ev.text and ev.boxes
    got = bob.decisions(sha, current=back)
    assert got["breach_notification"].note == "72h please" and not got["breach_notification"].evidence_changed
    actions = [h["action"] for h in bob.history(sha)]
    assert actions[:2] == ["review_saved", "decision_set"] and "review_imported" in actions
    assert bob.check() == []


def test_store_handover_import_twice_does_not_duplicate(alice, bob, tmp_path: Path) -> None:
    v1 = contract_v1()
    rid = alice.save_analysis(v1)
    alice.set_decision(v1.document.sha256, "data_deletion", Decision.ACCEPT, reviewer="Alice")
    dest = alice.export_review(rid, tmp_path / "r.json")
    first = bob.import_review(dest)
    n_hist = len(bob.history(v1.document.sha256, "data_deletion"))
    assert bob.import_review(dest) == first
    assert len(bob.list_reviews()) == 1
    assert len(bob.history(v1.document.sha256, "data_deletion")) == n_hist
    # importing into the store it came from is also a no-op for the review
    assert alice.import_review(dest) == rid and len(alice.list_reviews()) == 1


def test_store_handover_conflict_shows_newest_and_keeps_both_in_history(alice, bob, tmp_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    rid = alice.save_analysis(v1)
    bob.import_review(alice.export_review(rid, tmp_path / "a1.json"))
    alice.set_decision(sha, "no_targeted_ads", Decision.NEEDS_NEGOTIATION, note="ask vendor", reviewer="Alice")
    time.sleep(0.01)
    bob.set_decision(sha, "no_targeted_ads", Decision.WAIVED, note="board waived it", reviewer="Bob")
    bob_rid = bob.latest_review(sha).id
    alice_file = alice.export_review(rid, tmp_path / "a2.json")  # carries Alice's older decision
    # Bob's newer decision wins in Alice's store ...
    alice.import_review(bob.export_review(bob_rid, tmp_path / "b.json"))
    shown = alice.decisions(sha)["no_targeted_ads"]
    assert (shown.decision, shown.note, shown.reviewer) == (Decision.WAIVED, "board waived it", "Bob")
    texts = [(h["action"], (h["new"] or {}).get("note")) for h in alice.history(sha, "no_targeted_ads")]
    assert ("decision_set", "ask vendor") in texts and ("decision_set", "board waived it") in texts
    merged = [h for h in alice.history(sha, "no_targeted_ads") if h["action"] == "decision_merged"]
    assert len(merged) == 1 and merged[0]["old"]["note"] == "ask vendor" and merged[0]["new"]["kept"] == "imported"
    # ... and Alice's older one does not overwrite Bob's when she sends hers back.
    bob.import_review(alice_file)
    assert bob.decisions(sha)["no_targeted_ads"].reviewer == "Bob"
    kept = [h["new"]["kept"] for h in bob.history(sha, "no_targeted_ads") if h["action"] == "decision_merged"]
    assert kept == ["local"]
    assert "ask vendor" in [(h["new"] or {}).get("note") for h in bob.history(sha, "no_targeted_ads")]
    assert alice.check() == [] and bob.check() == []


def _pdf(path: Path, lines: list[str]) -> bytes:
    c = canvas.Canvas(str(path), pagesize=letter)
    y = 720
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.save()
    return path.read_bytes()


def test_store_handover_with_contract_restores_the_file(alice, bob, tmp_path: Path) -> None:
    src = tmp_path / "Vendor DPA.pdf"
    blob = _pdf(src, [BREACH_WEAK, DELETE_OK])
    v1 = contract_v1()
    doc = dataclasses.replace(v1.document, sha256=hashlib.sha256(blob).hexdigest(), source_path=str(src))
    analysis = dataclasses.replace(v1, document=doc)
    rid = alice.save_analysis(analysis)
    dest = alice.export_review(rid, tmp_path / "with.json", include_contract=True)
    assert _mode(dest) == 0o600
    new_id = bob.import_review(dest)
    copy = Path(bob.get_summary(new_id).path)
    assert copy.read_bytes() == blob and _mode(copy) == 0o600 and copy.name.endswith("Vendor DPA.pdf")
    assert bob.get_analysis(new_id).finding("no_targeted_ads").status is Status.MISSING
    # the contract changed on disk after the review: refuse to hand over the wrong bytes
    src.write_bytes(blob + b"%changed")
    with pytest.raises(StoreError, match="changed since it was reviewed"):
        alice.export_review(rid, tmp_path / "again.json", include_contract=True)
    assert not (tmp_path / "again.json").exists()


@pytest.mark.parametrize(
    "content",
    [b"not json", b'{"schema": "something-else"}', b'{"schema": "contractreview/handover-v1", "document": {}}', b"\xff\xfe"],
)
def test_store_handover_rejects_damaged_files_by_name(bob, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "damaged-handover.json"
    bad.write_bytes(content)
    with pytest.raises(StoreError, match="damaged-handover.json"):
        bob.import_review(bad)
    assert bob.list_reviews() == [] and bob.check() == []


def test_store_handover_rejects_a_tampered_contract(alice, bob, tmp_path: Path) -> None:
    src = tmp_path / "c.pdf"
    blob = _pdf(src, ["hello"])
    v1 = contract_v1()
    doc = dataclasses.replace(v1.document, sha256=hashlib.sha256(blob).hexdigest(), source_path=str(src))
    rid = alice.save_analysis(dataclasses.replace(v1, document=doc))
    dest = alice.export_review(rid, tmp_path / "t.json", include_contract=True)
    data = json.loads(dest.read_text())
    data["document"]["contract_base64"] = "aGVsbG8="
    dest.write_text(json.dumps(data))
    with pytest.raises(StoreError, match="does not match"):
        bob.import_review(dest)
    assert bob.list_reviews() == []


def test_store_handover_never_overwrites_the_contract_or_the_database(alice, tmp_path: Path) -> None:
    """Regression: 'reviews export 1 <the contract>.docx' replaced the contract with the JSON hand-over,
    and the database file itself could be named as the destination."""
    src = tmp_path / "Vendor DPA.pdf"
    blob = _pdf(src, [BREACH_WEAK, DELETE_OK])
    v1 = contract_v1()
    doc = dataclasses.replace(v1.document, sha256=hashlib.sha256(blob).hexdigest(), source_path=str(src))
    rid = alice.save_analysis(dataclasses.replace(v1, document=doc), source_path=str(src))
    with pytest.raises(StoreError, match="Vendor DPA.pdf.*contract") as exc:
        alice.export_review(rid, src)
    assert "overwrite" in str(exc.value)
    assert src.read_bytes() == blob
    with pytest.raises(StoreError, match="reviews.sqlite3.*database"):
        alice.export_review(rid, alice.path)
    assert alice.check() == []
    assert alice.get_analysis(rid).document.sha256 == doc.sha256
    assert [p.name for p in src.parent.iterdir() if p.name.endswith(".tmp")] == []
    # an ordinary destination still works, and replacing an earlier hand-over is fine
    out = alice.export_review(rid, tmp_path / "handover.json")
    assert alice.export_review(rid, out) == out and json.loads(out.read_text())["schema"] == HANDOVER_SCHEMA


def test_store_handover_contract_copies_folder_is_owner_only(alice, bob, tmp_path: Path) -> None:
    import os

    src = tmp_path / "Vendor DPA.pdf"
    blob = _pdf(src, [BREACH_WEAK, DELETE_OK])
    v1 = contract_v1()
    doc = dataclasses.replace(v1.document, sha256=hashlib.sha256(blob).hexdigest(), source_path=str(src))
    rid = alice.save_analysis(dataclasses.replace(v1, document=doc))
    dest = alice.export_review(rid, tmp_path / "with.json", include_contract=True)
    old = os.umask(0o022)
    try:
        new_id = bob.import_review(dest)
    finally:
        os.umask(old)
    copy = Path(bob.get_summary(new_id).path)
    assert copy.parent.name == "contracts"
    assert _mode(copy.parent) == 0o700 and _mode(copy) == 0o600


@pytest.mark.parametrize(
    "damage",
    ["finding_without_id", "history_not_list", "history_strings", "deep_json", "findings_not_list"],
)
def test_store_handover_damaged_structure_is_a_store_error_and_leaves_nothing(
    alice, bob, tmp_path: Path, damage: str
) -> None:
    """Regression: these hand-over files crashed `reviews import` with KeyError/AttributeError/
    RecursionError tracebacks; now a StoreError naming the file, with no review, row or contract copy."""
    src = tmp_path / "c.pdf"
    blob = _pdf(src, [BREACH_WEAK, DELETE_OK])
    v1 = contract_v1()
    doc = dataclasses.replace(v1.document, sha256=hashlib.sha256(blob).hexdigest(), source_path=str(src))
    rid = alice.save_analysis(dataclasses.replace(v1, document=doc))
    good = alice.export_review(rid, tmp_path / "good.json", include_contract=True)
    data = json.loads(good.read_text())
    bad = tmp_path / f"{damage}.json"
    if damage == "deep_json":
        nested = "[" * 100_000 + "]" * 100_000
        bad.write_text(f'{{"schema": "{HANDOVER_SCHEMA}", "document": {nested}}}')
    else:
        if damage == "finding_without_id":
            data["analysis"]["findings"] = [{"status": "missing"}]
        elif damage == "history_not_list":
            data["history"] = "nope"
        elif damage == "history_strings":
            data["history"] = ["a", "b"]
        elif damage == "findings_not_list":
            data["analysis"]["findings"] = 7
        bad.write_text(json.dumps(data))
    with pytest.raises(StoreError, match=f"{damage}.json"):
        bob.import_review(bad)
    assert bob.list_reviews() == [] and bob.check() == []
    assert not (bob.path.parent / "contracts").exists()
    assert bob.import_review(good)  # the intact file still imports
