"""Property tests for the store: any text survives, diffs are symmetric, whitespace never flags evidence."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store_support import REQS, contract_v1, make_analysis, make_document

from contractreview.domain import Decision, Status
from contractreview.store import STATUS_RANK, open_store

# Text as reviewers type it, including newlines, emoji and characters SQLite/JSON must not mangle.
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
statuses = st.sampled_from([Status.SATISFIED, Status.WEAK, Status.MISSING, Status.NEEDS_REVIEW])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(note=texts, reviewer=texts, evidence=texts, decision=st.sampled_from(list(Decision)))
def test_store_any_decision_text_survives_store_and_handover(note: str, reviewer: str, evidence: str,
                                                             decision: Decision) -> None:
    v1 = contract_v1()
    sha = v1.document.sha256
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.sqlite3", Path(tmp) / "b.sqlite3"
        with open_store(a) as store:
            rid = store.save_analysis(v1)
            store.set_decision(sha, "no_targeted_ads", decision, note=note, reviewer=reviewer,
                               evidence_text=evidence or "x")
            got = store.decisions(sha)["no_targeted_ads"]
            out = store.export_review(rid, Path(tmp) / "h.json")
        assert (got.decision, got.note, got.reviewer, got.evidence_text) == (decision, note, reviewer, evidence or "x")
        with open_store(b) as other:
            other.import_review(out)
            again = other.decisions(sha)["no_targeted_ads"]
        assert (again.decision, again.note, again.reviewer, again.evidence_text) == (
            decision, note, reviewer, evidence or "x")


@SETTINGS
@given(old=st.lists(statuses, min_size=3, max_size=3), new=st.lists(statuses, min_size=3, max_size=3))
def test_store_diff_is_antisymmetric_and_follows_the_rank(old: list[Status], new: list[Status]) -> None:
    doc = make_document(["1.1 One. Alpha beta.", "1.2 Two. Gamma delta.", "1.3 Three. Eps.", "1.4 Four. Zeta."])
    a1 = make_analysis(doc, dict(zip(REQS, old, strict=True)))
    a2 = make_analysis(dataclasses.replace(doc, sha256="f" * 64), dict(zip(REQS, new, strict=True)))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "d.sqlite3") as store:
        i1, i2 = store.save_analysis(a1), store.save_analysis(a2)
        fwd, back = store.diff_reviews(i1, i2), store.diff_reviews(i2, i1)
    swap = sorted((r, n, o) for r, o, n in back.worsened)
    assert sorted(fwd.improved) == swap
    assert len(fwd.improved) + len(fwd.worsened) + len(fwd.unchanged) == 3
    for _rid, o, n in fwd.improved:
        assert STATUS_RANK[n] > STATUS_RANK[o]
    for _rid, o, n in fwd.unchanged:
        assert STATUS_RANK[n] == STATUS_RANK[o]


@SETTINGS
@given(spaces=st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=6, max_size=6))
def test_store_whitespace_never_marks_evidence_changed(spaces: list[str]) -> None:
    v1 = contract_v1()
    words = v1.finding("breach_notification").evidence[0].text.split()
    reflowed = spaces[0] + "".join(w + spaces[i % 5 + 1] for i, w in enumerate(words))
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "w.sqlite3") as store:
        store.save_analysis(v1)
        store.set_decision(v1.document.sha256, "breach_notification", Decision.ACCEPT, evidence_text=reflowed)
        store.set_decision(v1.document.sha256, "data_deletion", Decision.ACCEPT, evidence_text=reflowed)
        got = store.decisions(v1.document.sha256, current=v1)
    assert got["breach_notification"].evidence_changed is False
    assert got["data_deletion"].evidence_changed is True
