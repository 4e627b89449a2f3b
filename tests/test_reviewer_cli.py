"""Issue #16: `contractreview reviews annotate|annotations|override|clear-override` and `reviews link`
carrying the reviewer's work to a revision, on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_store_support import contract_v1, contract_v2

from contractreview.cli import main
from contractreview.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, int, int]:
    path = tmp_path / "cli.sqlite3"
    with open_store(path) as store:
        a = store.save_analysis(contract_v1())
        b = store.save_analysis(contract_v2())
    return path, a, b


def test_issue_16_cli_annotate_list_edit_delete(db, capsys) -> None:
    path, a, _b = db
    args = ["--db", str(path)]
    assert main(["reviews", "annotate", str(a), "--quote", "without  undue\ndelay", "--comment", "vague",
                 "--requirement", "breach_notification", "--reviewer", "Ana", *args]) == 0
    out = capsys.readouterr().out
    assert "Added annotation 1 on “without undue delay”" in out
    with open_store(path) as store:
        [note] = store.annotations(contract_v1().document.sha256)
    assert note.anchor.quote == "without undue delay" and note.author == "Ana"
    assert note.requirement_id == "breach_notification"
    assert main(["reviews", "annotate", str(a), "--edit", str(note.id), "--comment", "ask for 72 hours", *args]) == 0
    assert main(["reviews", "annotations", str(a), "--json", *args]) == 0
    capsys.readouterr()
    assert main(["reviews", "annotations", str(a), "--json", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotations"][0]["comment"] == "ask for 72 hours"
    assert data["annotations"][0]["anchor"]["start"] == note.anchor.start
    # The quote must name one passage.
    assert main(["reviews", "annotate", str(a), "--quote", "Vendor", "--comment", "x", *args]) == 2
    assert "occurs 3 times" in capsys.readouterr().err
    assert main(["reviews", "annotate", str(a), "--quote", "Vendor", "--occurrence", "2", "--comment", "x",
                 *args]) == 0
    assert main(["reviews", "annotate", str(a), "--quote", "no such words", "--comment", "x", *args]) == 2
    assert "not in the document text" in capsys.readouterr().err
    assert main(["reviews", "annotate", str(a), "--quote", "undue", "--comment", "x", "--requirement", "nope",
                 *args]) == 2
    assert "has no requirement 'nope'" in capsys.readouterr().err
    assert main(["reviews", "annotate", str(a), "--delete", str(note.id), *args]) == 0
    assert main(["reviews", "annotate", str(a), "--delete", "999", *args]) == 2


def test_issue_16_cli_override_shows_both_and_clears(db, capsys) -> None:
    path, a, _b = db
    args = ["--db", str(path)]
    assert main(["reviews", "override", str(a), "no_targeted_ads", "satisfied", "--reason", "7.1 bans ads",
                 "--evidence", "targeted advertising", "--reviewer", "Ana", *args]) == 0
    out = capsys.readouterr().out
    assert "Engine: missing · Reviewer: satisfied, clause 7.1, page 2 — reason: 7.1 bans ads" in out
    assert main(["reviews", "override", str(a), "no_targeted_ads", "satisfied", "--reason", " ", *args]) == 2
    assert "needs a reason" in capsys.readouterr().err
    assert main(["reviews", "override", str(a), "no_targeted_ads", "great", "--reason", "x", *args]) == 2
    assert "not a reviewer status" in capsys.readouterr().err
    assert main(["reviews", "show", str(a), *args]) == 0
    show = capsys.readouterr().out
    ads = next(ln for ln in show.splitlines() if "no_targeted_ads" in ln)
    assert "SATISFIED" in ads and "Engine: missing · Reviewer: satisfied" in show
    assert main(["reviews", "show", str(a), "--json", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    row = next(f for f in data["findings"] if f["requirement_id"] == "no_targeted_ads")
    assert (row["status"], row["engine_status"], row["override"]["reason"]) == ("satisfied", "missing", "7.1 bans ads")
    assert main(["reviews", "clear-override", str(a), "no_targeted_ads", *args]) == 0
    assert "withdrawn" in capsys.readouterr().out
    assert main(["reviews", "show", str(a), *args]) == 0
    assert "MISSING" in next(ln for ln in capsys.readouterr().out.splitlines() if "no_targeted_ads" in ln)


def test_issue_16_cli_link_carries_forward_and_lists_unmatched(db, capsys) -> None:
    path, a, b = db
    args = ["--db", str(path)]
    assert main(["reviews", "annotate", str(a), "--quote", "undue delay", "--comment", "vague", *args]) == 0
    assert main(["reviews", "annotate", str(a), "--quote", "New York", "--comment", "NY", *args]) == 0
    capsys.readouterr()
    assert main(["reviews", "link", str(b), str(a), *args]) == 0
    out = capsys.readouterr().out
    assert "0 in place, 1 re-anchored, 1 no longer found" in out
    assert "to resolve: annotation" in out and "“undue delay”: vague" in out
    assert main(["reviews", "annotations", str(b), *args]) == 0
    listing = capsys.readouterr().out
    assert "[unmatched]" in listing and "[moved]" in listing and "1 no longer found" in listing


def test_issue_16_reanalysing_the_file_keeps_anchors_and_shows_the_reviewers_status(tmp_path: Path, capsys) -> None:
    """The real reader and engine, twice on one file: the annotation and override come back identical."""
    src = tmp_path / "dpa.md"
    src.write_text(
        "# Data Privacy Agreement\n\n## 1. Data Breach\n\n1.1 Provider shall notify the District within ten (10) "
        "days after discovery of any breach of Student Data.\n\n## 2. Sale of Data\n\n2.1 Provider shall not "
        "sell, rent or lease Student Data.\n",
        encoding="utf-8",
    )
    db = tmp_path / "r.sqlite3"
    args = ["--db", str(db)]
    assert main(["analyze", str(src), *args]) == 0
    assert main(["reviews", "annotate", "1", "--quote", "ten (10) days", "--comment", "too slow", *args]) == 0
    assert main(["reviews", "override", "1", "no_sale_of_student_data", "weak", "--reason", "lease-back allowed",
                 "--evidence", "sell, rent or lease", *args]) == 0
    with open_store(db) as store:
        sha = store.get_summary(1).sha256
        before = (store.annotations(sha), store.overrides(sha))
    capsys.readouterr()
    assert main(["analyze", str(src), *args]) == 0
    out = capsys.readouterr().out
    assert "Engine: satisfied · Reviewer: weak, clause 2.1 — reason: lease-back allowed" in out
    with open_store(db) as store:
        assert len(store.list_reviews()) == 2
        assert (store.annotations(sha), store.overrides(sha)) == before
        text = store.get_analysis(2).document.text
    [note] = before[0]
    assert text[note.anchor.start : note.anchor.end] == "ten (10) days"
