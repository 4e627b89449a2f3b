"""Issue #17: `reviews diff` shows the whole change, word by word, not both sides cut to 100 characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractreview.cli import main
from contractreview.pipeline import review
from contractreview.store import open_store
from contractreview.textdiff import changed_only, plain_word_diff, word_diff

V1 = """# Data Privacy Agreement

This Agreement is made between Acme Learning Inc. (the "Provider") and Springfield School District (the "District").

## 1. Data Breach

1.1 The Provider shall notify the District within 72 hours after discovery of any breach of Student Data.

## 2. Deletion

2.1 Upon termination of this Agreement, or at any earlier time upon the written request of the District, the Provider shall delete all Student Data within {days} days and certify the deletion in writing.
"""


def test_textdiff_word_level_runs() -> None:
    old = "the Provider shall delete all Student Data within 7 days and certify"
    new = "the Provider shall delete all Student Data within 90 days and certify"
    parts = word_diff(old, new)
    assert [(p.op, p.text) for p in parts if p.op != "same"] == [("del", "7"), ("ins", "90")]
    assert plain_word_diff(old, new).endswith("within [-7-] {+90+} days and certify")
    assert changed_only(old, new, context=2) == "… Data within [-7-] {+90+} days and certify"
    assert plain_word_diff("", "new words") == "{+new words+}"


def test_issue_17_reviews_diff_shows_a_deadline_changed_after_100_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.sqlite3"
    ids = []
    for n, days in ((1, 7), (2, 90)):
        path = tmp_path / f"dpa-v{n}.md"
        path.write_text(V1.format(days=days), encoding="utf-8")
        with open_store(db) as store:
            ids.append(store.save_analysis(review(path)))
    assert main(["reviews", "diff", str(ids[0]), str(ids[1]), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "[-7-] {+90+}" in out
    # the full texts, not the same first 100 characters twice
    assert "within 7 days and certify the deletion in writing" in out
    assert "within 90 days and certify the deletion in writing" in out


SCHEDULES = """# Master Agreement

This Agreement is made between Acme Learning Inc. (the "Provider") and Springfield School District (the "District").

## Schedule A. Services

1. Term. The Provider shall provide the Service for one year.

2. Support. The Provider shall answer support requests within two business days.

## Schedule B. Data Protection

1. Termination. On termination the Provider shall delete all Student Data within {days} days.

2. Security. The Provider shall encrypt Student Data at rest and in transit.
"""


def test_issue_17_reviews_diff_reports_a_change_in_a_repeated_clause_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numbering restarts in Schedule B: its clause 1 changed, Schedule A's clause 1 did not."""
    db = tmp_path / "r.sqlite3"
    ids = []
    for n, days in ((1, 7), (2, 90)):
        path = tmp_path / f"master-v{n}.md"
        path.write_text(SCHEDULES.format(days=days), encoding="utf-8")
        with open_store(db) as store:
            ids.append(store.save_analysis(review(path)))
    with open_store(db) as store:
        changed = store.diff_reviews(ids[0], ids[1]).changed_clauses
    assert any("within 7 days" in old and "within 90 days" in new for _k, old, new in changed), changed
    assert main(["reviews", "diff", str(ids[0]), str(ids[1]), "--db", str(db)]) == 0
    assert "[-7-] {+90+}" in capsys.readouterr().out
