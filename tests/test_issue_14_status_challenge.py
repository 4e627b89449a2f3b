"""Issue #14: the status challenge set (``status_challenge.py``), scored as a whole, and its two mechanisms.

The set was written before any code changed for it; its first score is the independent figure
(docs/evaluation.md, "Status challenge set"). The floors below are the figures after the change that shipped:
the judgement must not get worse on it. Every excerpt is analysed once per module as a plain-text document
with the shipped library and grader (the whole engine); only the status of its one requirement is scored.
The mechanism tests after it use sentences written for these tests, not taken from the set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from status_challenge import EXCERPTS, M, S, W

from contractreview.engine import trace
from contractreview.ingest import load_document

# After this pass: 174 of 232 (before it: 171, satisfied 74 of 103, weak 39 of 68, missing 58 of 61).
ACCURACY_FLOOR = 0.750
RECALL_FLOOR = {S: 0.737, W: 0.588, M: 0.950}  # 76 of 103, 40 of 68, 58 of 61
RULES_ACCURACY_FLOOR = 0.788  # the rules' own verdict (stage 1), before the grader: 183 of 232 (before: 180)


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    folder = tmp_path_factory.mktemp("status_challenge")
    out = {}
    for ex in EXCERPTS:
        path = Path(folder, f"{ex.id}.txt")
        path.write_text(ex.text(), encoding="utf-8")
        t = trace(load_document(path))
        out[ex.id] = (str(t.verdicts[ex.requirement].status), str(t.rules[ex.requirement].status))
    return out


def test_issue_14_status_challenge_set_is_large_and_balanced() -> None:
    assert len(EXCERPTS) >= 120
    assert len({ex.id for ex in EXCERPTS}) == len(EXCERPTS)
    assert len({ex.requirement for ex in EXCERPTS}) >= 30
    counts = Counter(ex.status for ex in EXCERPTS)
    assert counts[S] >= 0.4 * len(EXCERPTS) and counts[W] >= 0.2 * len(EXCERPTS) and counts[M] >= 0.2 * len(EXCERPTS)
    for ex in EXCERPTS:
        assert 1 <= ex.body.count(". ") + 1 <= 4, ex.id


def test_issue_14_status_challenge_accuracy_per_class(verdicts: dict[str, tuple[str, str]]) -> None:
    right = Counter(ex.status for ex in EXCERPTS if verdicts[ex.id][0] == ex.status)
    total = Counter(ex.status for ex in EXCERPTS)
    accuracy = sum(right.values()) / len(EXCERPTS)
    rules = sum(verdicts[ex.id][1] == ex.status for ex in EXCERPTS) / len(EXCERPTS)
    recall = {s: right[s] / total[s] for s in (S, W, M)}
    wrong = {ex.id: (ex.status, verdicts[ex.id][0]) for ex in EXCERPTS if verdicts[ex.id][0] != ex.status}
    print(f"status challenge ({len(EXCERPTS)}): accuracy {accuracy:.3f}, rules {rules:.3f}, recall {recall}")
    assert accuracy >= ACCURACY_FLOOR, wrong
    assert rules >= RULES_ACCURACY_FLOOR, wrong
    for s, floor in RECALL_FLOOR.items():
        assert recall[s] >= floor, (s, wrong)


def _status(tmp_path: Path, text: str, rid: str) -> tuple[str, str]:
    path = tmp_path / "doc.txt"
    path.write_text(f"AGREEMENT\n\n{text}\n", encoding="utf-8")
    t = trace(load_document(path))
    return str(t.rules[rid].status), str(t.verdicts[rid].status)


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("In no event shall the Vendor sell any pupil records it receives.", "no_sale_of_student_data"),
        ("No pupil information shall be used by Vendor for targeted advertisements.", "no_targeted_advertising"),
    ],
)
def test_issue_14_fronted_negation_is_a_prohibition(tmp_path: Path, text: str, rid: str) -> None:
    """"In no event shall X sell", "No … shall be used for": the negation stands before the verb."""
    assert _status(tmp_path, text, rid)[0] == S


def test_issue_14_no_later_than_is_not_a_negation() -> None:
    from contractreview.engine.features import _fronted_negations

    verbs = ["use", "sell", "disclose", "disclosed"]
    assert _fronted_negations("notify us no later than 10 days , and we will disclose it".split(), verbs) == []
    assert _fronted_negations("in no event shall the vendor sell it".split(), verbs) == [(6, 7, {"sell"})]
    # a clause ends the reach: "no fee applies, and we may disclose" forbids nothing
    assert _fronted_negations("no fee applies , and we will disclose it".split(), verbs) == []


def test_issue_14_passive_present_is_a_statement_of_the_vendor(tmp_path: Path) -> None:
    """A present-tense passive ("are encrypted", "is never shared") states what is done, as "will encrypt"
    promises it: the sentence carries the general commitment word; "may be encrypted" does not."""
    rid = "encryption_transit_and_rest"

    def modal(text: str) -> bool:
        path = tmp_path / "doc.txt"
        path.write_text(f"AGREEMENT\n\n{text}\n", encoding="utf-8")
        hits = trace(load_document(path)).features.hits.get(rid, [])
        assert hits, text
        return any(h.modal for h in hits)

    assert modal("Pupil records are encrypted at rest and in transit.")
    assert modal("Pupil records are always encrypted at rest and in transit.")
    assert not modal("Pupil records may be encrypted at rest and in transit.")
