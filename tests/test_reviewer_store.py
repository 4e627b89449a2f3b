"""Issue #16: annotations and status overrides in the store, applied to analyses, carried across versions."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
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

from contractreview.domain import (
    AnchorState,
    Decision,
    ReviewerStatus,
    Status,
    TextAnchor,
    quote_hash,
)
from contractreview.errors import StoreError
from contractreview.reviewer import apply_overrides, describe_override, engine_view, reanchor
from contractreview.serialize import analysis_from_dict, analysis_to_dict
from contractreview.store import SCHEMA_VERSION, UNCHANGED, migrations, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


def _anchor(text: str, needle: str) -> TextAnchor:
    start = text.index(needle)
    return TextAnchor.of(text, start, start + len(needle))


def test_issue_16_text_anchor_of_quotes_and_hashes_normalised_text() -> None:
    text = "Vendor shall   notify\nthe District."
    a = TextAnchor.of(text, 0, len(text))
    assert a.quote == text and a.matches(text)
    assert a.quote_sha256 == quote_hash("Vendor shall notify the District.")
    with pytest.raises(ValueError, match="not a passage"):
        TextAnchor.of(text, 5, 5)
    with pytest.raises(ValueError, match="not a passage"):
        TextAnchor.of(text, 0, len(text) + 1)


def test_issue_16_annotations_add_update_delete_ordered_and_audited(db_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        late = store.add_annotation(sha, _anchor(text, "targeted advertising"), "Good: flat ban.", author="Ana")
        early = store.add_annotation(sha, _anchor(text, "without undue delay"), "Too vague", author="Ana",
                                     requirement_id="breach_notification")
        assert [a.id for a in store.annotations(sha)] == [early.id, late.id]  # by position in the text
        assert early.anchor.quote == "without undue delay" and early.author == "Ana"
        edited = store.update_annotation(early.id, comment="Too vague: ask for 72 hours", author="Ben")
        assert edited.comment == "Too vague: ask for 72 hours" and edited.author == "Ana"
        assert edited.requirement_id == "breach_notification"  # UNCHANGED by default
        unlinked = store.update_annotation(early.id, requirement_id=None, author="Ben")
        assert unlinked.requirement_id is None and unlinked.comment == edited.comment
        assert store.update_annotation(early.id, requirement_id=UNCHANGED).requirement_id is None
        assert store.delete_annotation(late.id, author="Ben") is True
        assert store.delete_annotation(late.id) is False
        assert [a.id for a in store.annotations(sha)] == [early.id]
        actions = [h["action"] for h in store.history(sha)]
        assert actions.count("annotation_added") == 2 and actions.count("annotation_updated") == 2
        deleted = [h for h in store.history(sha) if h["action"] == "annotation_deleted"][0]
        assert deleted["who"] == "Ben" and deleted["old"]["comment"] == "Good: flat ban."
        with pytest.raises(ValueError, match="needs a comment"):
            store.add_annotation(sha, _anchor(text, "Deletion"), "  ")
        with pytest.raises(StoreError, match="does not match the stored text"):
            store.add_annotation(sha, TextAnchor(0, 5, "XXXXX", quote_hash("XXXXX")), "wrong")
        with pytest.raises(StoreError, match="no stored review"):
            store.add_annotation("0" * 64, _anchor(text, "Deletion"), "nobody")


def test_issue_16_overrides_need_a_reason_and_are_audited(db_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        with pytest.raises(ValueError, match="needs a reason"):
            store.set_override(sha, "no_targeted_ads", ReviewerStatus.SATISFIED, "   ")
        with pytest.raises(ValueError, match="not a reviewer status"):
            store.set_override(sha, "no_targeted_ads", "needs_review", "because")
        ov = store.set_override(sha, "no_targeted_ads", "satisfied", "Clause 7.1 bans targeted ads.",
                                evidence=_anchor(text, "shall not use student data for targeted advertising"),
                                author="Ana")
        assert ov.status is ReviewerStatus.SATISFIED and ov.evidence is not None and ov.author == "Ana"
        again = store.set_override(sha, "no_targeted_ads", "not_applicable", "No ads in this product.", author="Ben")
        assert store.overrides(sha) == {"no_targeted_ads": again}
        assert again.evidence is None and again.status is ReviewerStatus.NOT_APPLICABLE
        assert store.clear_override(sha, "no_targeted_ads", author="Ben") is True
        assert store.clear_override(sha, "no_targeted_ads") is False
        assert store.overrides(sha) == {}
        hist = store.history(sha, "no_targeted_ads")
        assert [h["action"] for h in hist] == ["override_set", "override_set", "override_cleared"]
        assert hist[1]["old"]["status"] == "satisfied" and hist[1]["new"]["status"] == "not_applicable"
        # The table refuses an empty reason even from code that bypasses the method.
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO status_overrides (sha256, requirement_id, status, reason, created_at, updated_at)"
                " VALUES (?, 'x', 'weak', ' ', 't', 't')", (sha,)
            )


def test_issue_16_apply_overrides_keeps_engine_status_and_describes_both(db_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.set_override(sha, "no_targeted_ads", "satisfied", "7.1 bans targeted ads.",
                           evidence=_anchor(text, "shall not use student data for targeted advertising"))
        store.set_override(sha, "data_deletion", "not_applicable", "Data is never stored.")
        reviewed = store.corrected(v1)
    ads = reviewed.finding("no_targeted_ads")
    assert ads is not None and ads.status is Status.SATISFIED and ads.engine_status is Status.MISSING
    assert ads.overridden
    assert describe_override(ads) == "Engine: missing · Reviewer: satisfied, clause 7.1, page 2"
    assert describe_override(ads, reason=True).endswith("— reason: 7.1 bans targeted ads.")
    na = reviewed.finding("data_deletion")
    assert na is not None and not na.status.is_flag and describe_override(na) == (
        "Engine: satisfied · Reviewer: not applicable"
    )
    untouched = reviewed.finding("breach_notification")
    assert untouched is not None and untouched.override is None and describe_override(untouched) == ""
    assert apply_overrides(reviewed, {}) is reviewed
    assert engine_view(reviewed) == v1
    # JSON keeps both: the reviewer's status, the engine's, and the override.
    data = analysis_to_dict(reviewed)
    row = next(f for f in data["findings"] if f["requirement_id"] == "no_targeted_ads")
    assert row["status"] == "satisfied" and row["engine_status"] == "missing"
    assert row["override"]["reason"] == "7.1 bans targeted ads." and row["override"]["evidence"]["quote"]
    assert "override" not in next(f for f in data["findings"] if f["requirement_id"] == "breach_notification")
    back = analysis_from_dict(json.loads(json.dumps(data)), document=v1.document)
    got = back.finding("no_targeted_ads")
    assert got is not None and (got.status, got.engine_status, got.override) == (ads.status, ads.engine_status, ads.override)


def test_issue_16_store_saves_engine_statuses_not_overrides(db_path: Path) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.set_override(sha, "no_targeted_ads", "satisfied", "found it")
        rid = store.save_analysis(store.corrected(v1))
        back = store.get_analysis(rid)
    assert back.finding("no_targeted_ads").status is Status.MISSING  # type: ignore[union-attr]
    assert back.finding("no_targeted_ads").override is None  # type: ignore[union-attr]


def test_issue_16_reanalysis_keeps_anchors_exactly(db_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.add_annotation(sha, _anchor(text, "within 30 days"), "fine", requirement_id="data_deletion")
        store.set_override(sha, "breach_notification", "missing", "no deadline",
                           evidence=_anchor(text, "without undue delay"))
        before = (store.annotations(sha), store.overrides(sha))
        store.save_analysis(dataclasses.replace(v1, library_version="2026.12.1"))
        after = (store.annotations(sha), store.overrides(sha))
    assert after == before
    assert all(a.anchor.matches(text) and a.anchor_state == "anchored" for a in after[0])


def test_issue_16_same_file_read_into_a_new_text_moves_its_anchors(db_path: Path) -> None:
    """A newer reader may extract the same file differently: the anchors follow their words."""
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        a = store.add_annotation(sha, _anchor(text, "targeted advertising"), "ok")
        reread = dataclasses.replace(v1.document, text="Preamble.\n\n" + text.replace("student data for", "student\ndata for"))
        store.save_analysis(dataclasses.replace(v1, document=reread))
        [moved] = store.annotations(sha)
    assert moved.id == a.id and moved.anchor.start == a.anchor.start + len("Preamble.\n\n")
    assert moved.anchor.matches(reread.text) and moved.anchor_state == "moved"


def test_issue_16_reanchor_exact_then_whitespace_then_unmatched() -> None:
    old = "Alpha beta gamma. Delta epsilon."
    a = TextAnchor.of(old, old.index("Delta"), len(old) - 1)
    assert reanchor(a, old) == (a, AnchorState.ANCHORED)
    shifted = "Intro. " + old
    new, state = reanchor(a, shifted)
    assert state is AnchorState.MOVED and new.quote == "Delta epsilon" and new.start == a.start + 7
    rewrapped = "Alpha beta gamma.\nDelta\n   epsilon."
    new, state = reanchor(a, rewrapped)
    assert state is AnchorState.MOVED and new.quote == "Delta\n   epsilon" and new.quote_sha256 == a.quote_sha256
    gone, state = reanchor(a, "Alpha beta gamma. Omega.")
    assert state is AnchorState.UNMATCHED and gone == a
    # Two occurrences: the one nearest the old position wins.
    twice = "Delta epsilon. " + old
    assert reanchor(a, twice)[0].start == twice.rindex("Delta")


def test_issue_16_revised_version_reanchors_or_lists_unmatched(db_path: Path) -> None:
    v1, v2 = contract_v1(), contract_v2()
    t1, s1, s2 = v1.document.text, v1.document.sha256, v2.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.save_analysis(v2)
        gov = store.add_annotation(s1, _anchor(t1, "New York"), "NY law: fine", author="Ana")
        vague = store.add_annotation(s1, _anchor(t1, "without undue delay"), "vague", author="Ana")
        store.set_override(s1, "no_targeted_ads", "satisfied", "7.1", evidence=_anchor(t1, "targeted advertising"))
        store.set_override(s1, "breach_notification", "missing", "vague", evidence=_anchor(t1, "undue delay"))
        store.set_override(s1, "data_deletion", "weak", "no certificate")
        store.link_version(s2, s1)
        report = store.carry_forward(s2, s1, v2.document.text)
        assert {type(x).__name__ for x in report.moved} == {"Annotation", "StatusOverride"}
        assert [getattr(x, "comment", None) for x in report.unmatched] == ["vague", None]
        assert report.total == 5
        carried = {a.comment: a for a in store.annotations(s2)}
        assert carried["NY law: fine"].anchor.matches(v2.document.text) and carried["NY law: fine"].anchor_state == "moved"
        assert carried["vague"].anchor_state == "unmatched" and carried["vague"].anchor == vague.anchor
        ovs = store.overrides(s2)
        assert ovs["breach_notification"].anchor_state == "unmatched" and not ovs["breach_notification"].in_force
        assert ovs["no_targeted_ads"].anchor_state == "moved" and ovs["data_deletion"].anchor_state == "anchored"
        # The previous version keeps its own; carrying again adds nothing.
        assert [a.id for a in store.annotations(s1)] == [vague.id, gov.id]
        assert store.carry_forward(s2, s1, v2.document.text).total == 0
        assert len(store.annotations(s2)) == 2
        reviewed = store.corrected(v2)
    bn = reviewed.finding("breach_notification")
    assert bn is not None and bn.status is Status.SATISFIED  # unmatched: the engine's status stands
    assert "to be confirmed by the reviewer" in describe_override(bn)
    assert reviewed.finding("data_deletion").status is Status.WEAK  # type: ignore[union-attr]


def test_issue_16_what_the_reviewer_deleted_on_a_revision_is_never_carried_back(db_path: Path) -> None:
    """Linking the versions again (CLI 'reviews link', the GUI on reopening) must not undo a deletion."""
    v1, v2 = contract_v1(), contract_v2()
    t1, s1, s2 = v1.document.text, v1.document.sha256, v2.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.save_analysis(v2)
        store.add_annotation(s1, _anchor(t1, "New York"), "NY law: fine", author="Ana")
        store.add_annotation(s1, _anchor(t1, "without undue delay"), "vague", author="Ana")
        store.set_override(s1, "data_deletion", "weak", "no certificate")
        assert store.carry_forward(s2, s1, v2.document.text).total == 3
        gone = next(a for a in store.annotations(s2) if a.comment == "vague")
        assert store.delete_annotation(gone.id, author="Ana")
        assert store.clear_override(s2, "data_deletion", author="Ana")
        assert store.carry_forward(s2, s1, v2.document.text).total == 0
        assert [a.comment for a in store.annotations(s2)] == ["NY law: fine"]
        assert store.overrides(s2) == {}
        # A note added to the earlier version afterwards is still carried (it was never carried before).
        store.add_annotation(s1, _anchor(t1, "targeted advertising"), "new note", author="Ana")
        assert [getattr(x, "comment", None) for x in store.carry_forward(s2, s1, v2.document.text).moved] == ["new note"]


def test_issue_16_migrating_a_version_3_store_keeps_its_decisions(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    con = sqlite3.connect(db_path, isolation_level=None)
    from sqlite_utils import Database

    assert migrations.migrate(Database(con), target=3) == [1, 2, 3]
    con.close()
    # Write a version-3 store the way version 3 of the code did: through the store itself.
    with monkeypatch.context() as mp:
        mp.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:3])
        mp.setattr(migrations, "SCHEMA_VERSION", 3)
        with open_store(db_path) as store:
            store.save_analysis(v1)
            store.set_decision(sha, "breach_notification", Decision.NEEDS_NEGOTIATION, note="ask for 72h", reviewer="Ana")
            store.set_key_term(sha, "breach_notice_max_hours", 72, reviewer="Ana")
            assert store.schema_version == 3
            assert not store.db["annotations"].exists()
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 4  # 5 (contract vocabulary, #18) came after
        d = store.decisions(sha)["breach_notification"]
        assert d.decision is Decision.NEEDS_NEGOTIATION and d.note == "ask for 72h" and d.reviewer == "Ana"
        assert store.key_term_corrections(sha)["breach_notice_max_hours"].value == 72
        assert [h["action"] for h in store.history(sha)][:2] == ["review_saved", "decision_set"]
        assert store.check() == []
        store.add_annotation(sha, _anchor(v1.document.text, "30 days"), "new in v4")
        assert len(store.annotations(sha)) == 1


def test_issue_16_override_for_an_unstored_document_is_refused(db_path: Path) -> None:
    doc = make_document([BREACH_WEAK, DELETE_OK, ADS, GOVLAW], salt="other")
    with open_store(db_path) as store:
        store.save_analysis(make_analysis(doc, {"breach_notification": Status.WEAK}))
        with pytest.raises(StoreError, match="no stored review"):
            store.set_override("f" * 64, "breach_notification", "weak", "x")


def test_issue_16_handover_round_trip_is_identical(tmp_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(tmp_path / "alice.sqlite3") as alice:
        rid = alice.save_analysis(v1)
        alice.add_annotation(sha, _anchor(text, "targeted advertising"), "flat ban", author="Alice",
                             requirement_id="no_targeted_ads")
        alice.add_annotation(sha, _anchor(text, "undue delay"), "vague", author="Alice")
        alice.set_override(sha, "no_targeted_ads", "satisfied", "7.1 bans it", author="Alice",
                           evidence=_anchor(text, "shall not use student data for targeted advertising"))
        alice.set_override(sha, "data_deletion", "not_applicable", "nothing stored", author="Alice")
        mine = ([dataclasses.replace(a, id=0) for a in alice.annotations(sha)], alice.overrides(sha))
        alice.export_review(rid, tmp_path / "h.json")
    with open_store(tmp_path / "bob.sqlite3") as bob:
        bob.import_review(tmp_path / "h.json")
        theirs = ([dataclasses.replace(a, id=0) for a in bob.annotations(sha)], bob.overrides(sha))
        assert theirs == mine
        bob.import_review(tmp_path / "h.json")  # importing twice changes nothing
        assert len(bob.annotations(sha)) == 2 and bob.overrides(sha) == mine[1]
        actions = [h["action"] for h in bob.history(sha)]
        assert "annotation_added" in actions and actions.count("annotation_imported") == 2
        # A newer edit on Bob's side survives a re-import of Alice's older file.
        first = bob.annotations(sha)[0]
        bob.update_annotation(first.id, comment="Bob's newer comment", author="Bob")
        bob.import_review(tmp_path / "h.json")
        assert bob.annotations(sha)[0].comment == "Bob's newer comment"


def test_issue_16_handover_with_a_damaged_override_is_refused(tmp_path: Path) -> None:
    v1 = contract_v1()
    with open_store(tmp_path / "a.sqlite3") as a:
        rid = a.save_analysis(v1)
        a.set_override(v1.document.sha256, "data_deletion", "weak", "why")
        a.export_review(rid, tmp_path / "h.json")
    data = json.loads((tmp_path / "h.json").read_text())
    data["status_overrides"][0]["reason"] = ""
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with open_store(tmp_path / "b.sqlite3") as b:
        with pytest.raises(StoreError, match="no reason"):
            b.import_review(tmp_path / "bad.json")
        assert b.list_reviews() == []


def test_issue_16_override_evidence_must_be_in_the_text_and_not_checked_is_said_plainly(db_path: Path) -> None:
    from contractreview.domain import NOT_CHECKED_LAYER

    v1 = contract_v1()
    findings = (*v1.findings, dataclasses.replace(v1.findings[0], requirement_id="parents_bill_of_rights",
                                                  status=Status.NEEDS_REVIEW, layer=NOT_CHECKED_LAYER, evidence=()))
    v1 = dataclasses.replace(v1, findings=findings)
    sha = v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        with pytest.raises(StoreError, match="does not match the stored text"):
            store.set_override(sha, "no_targeted_ads", "satisfied", "x",
                               evidence=TextAnchor(3, 9, "nowhere", quote_hash("nowhere")))
        assert store.overrides(sha) == {}
        store.set_override(sha, "parents_bill_of_rights", "satisfied", "Exhibit C is the bill of rights")
        f = store.corrected(v1).finding("parents_bill_of_rights")
    assert f is not None and f.status is Status.SATISFIED and not f.not_checked
    assert describe_override(f) == "Engine: not checked · Reviewer: satisfied"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.lists(st.sampled_from(["data", "vendor", "shall", "delete", "the", "District", "72", "hours", "§"]),
                  min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(words=_WORDS, sel=st.tuples(st.integers(0, 29), st.integers(1, 8)), prefix=st.text(max_size=20),
       rewrap=st.booleans())
def test_issue_16_reanchor_property_finds_the_words_again_or_says_unmatched(words, sel, prefix, rewrap) -> None:
    """Whatever is inserted before, and however the lines are re-wrapped, a selection's words are found again
    (same hash, quote at its offsets); with its words gone it comes back unchanged as unmatched."""
    text = " ".join(words)
    i = min(sel[0], len(words) - 1)
    j = min(len(words), i + sel[1])
    start = len(" ".join(words[:i])) + (1 if i else 0)
    end = start + len(" ".join(words[i:j]))
    a = TextAnchor.of(text, start, end)
    new_text = prefix + (text.replace(" ", "\n  ") if rewrap else text)
    for old_text in (None, text):  # without and with the text the anchor was made on (carry_forward)
        got, state = reanchor(a, new_text, old_text)
        assert state is not AnchorState.UNMATCHED
        assert got.matches(new_text) and got.quote_sha256 == a.quote_sha256
        assert state is (AnchorState.ANCHORED if got == a else AnchorState.MOVED)
        if old_text is not None:  # the same place: the words before it are the same words
            assert " ".join(new_text[: got.start].split()).endswith(" ".join(text[: a.start].split()))
        gone = new_text.replace(words[i], "X" * len(words[i]))
        assert reanchor(a, gone, old_text) == (a, AnchorState.UNMATCHED)


def test_issue_16_store_check_reports_anchors_that_no_longer_quote_the_text(db_path: Path) -> None:
    v1 = contract_v1()
    text, sha = v1.document.text, v1.document.sha256
    with open_store(db_path) as store:
        store.save_analysis(v1)
        store.add_annotation(sha, _anchor(text, "30 days"), "ok")
        store.set_override(sha, "data_deletion", "weak", "why", evidence=_anchor(text, "Deletion"))
        assert store.check() == []
        with store.transaction() as conn:  # damage both anchors behind the store's back
            conn.execute("UPDATE annotations SET start_offset = start_offset + 1, end_offset = end_offset + 1")
            conn.execute("UPDATE status_overrides SET evidence_start = 0, evidence_end = 8")
        assert store.check() == ["annotations: 2 reviewer anchor(s) no longer quote the stored text"]


def test_issue_16_find_quote_prefers_exact_words_then_any_spacing() -> None:
    from contractreview.reviewer import find_quote

    text = "Vendor shall\\ndelete data. Later: Vendor shall delete data."
    spans = find_quote(text, "Vendor shall delete data")  # exact match only for the second
    assert [s for s, _e in spans] == [text.rindex("Vendor")]
    wrapped = "Vendor shall\ndelete data. Later: Vendor shall\n delete data."
    spans = find_quote(wrapped, "Vendor shall delete data")
    assert [s for s, _e in spans] == [0, wrapped.rindex("Vendor")]
    assert all(" ".join(wrapped[s:e].split()) == "Vendor shall delete data" for s, e in spans)
    assert find_quote(wrapped, "not there") == []


def test_issue_16_reanchor_with_the_old_text_never_moves_onto_the_same_words_elsewhere() -> None:
    old = ("1. Breach. Vendor shall notify the District within 72 hours.\n"
           "2. Deletion. Vendor shall notify the District when data is deleted.\n"
           "3. Audit. The District may audit once a year.")
    at = old.index("notify the District")  # the breach clause's words, repeated in clause 2
    a = TextAnchor.of(old, at, at + len("notify the District"))
    # The breach clause is rewritten: the same words still stand in clause 2, but that is another passage.
    rewritten = old.replace("Vendor shall notify the District within 72 hours",
                            "Vendor shall inform the school within 7 days")
    assert reanchor(a, rewritten, old) == (a, AnchorState.UNMATCHED)
    assert reanchor(a, rewritten)[1] is AnchorState.MOVED  # without the old text: nearest words (the fallback)
    # A preamble inserted and lines re-wrapped: the context agrees, the right occurrence is found.
    shifted = "Preamble.\n" + old.replace("Breach. Vendor shall", "Breach.\n   Vendor  shall")
    got, state = reanchor(a, shifted, old)
    assert state is AnchorState.MOVED and got.start == shifted.index("notify the District")
    # Words that occur once in each version follow their passage whatever changed around them.
    u = TextAnchor.of(old, old.index("once a year"), old.index("once a year") + len("once a year"))
    edited = old.replace("The District may audit", "The school may inspect its records")
    got, state = reanchor(u, edited, old)
    assert state is AnchorState.MOVED and got.matches(edited) and got.quote == "once a year"
    assert reanchor(a, old, old) == (a, AnchorState.ANCHORED)
