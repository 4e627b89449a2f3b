"""Issue #17: a file that is not a contract gets one clear warning (core, CLI on stderr)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractreview.cli import main
from contractreview.contract_check import check_contract
from contractreview.domain import Block, Document, Format, Page
from contractreview.paths import sample_contract

NOTE = "Reminder: call the vendor on Monday about the invoice for the reading app."
MEMO = (
    "Team lunch notes\n"
    "We talked about the spring concert, the bake sale and the new parking rules near the gym. "
    "Everyone liked the idea of moving the concert to the auditorium because the weather was bad last year. "
    "Bring your own plates next time, and remember the photos for the newsletter by Friday afternoon please.\n"
) * 3
ADDENDUM = """# Addendum to the Services Agreement

This Addendum is made between Acme Learning Inc. (the "Provider") and Springfield School District (the "District").

1. Breach notice. The Provider shall notify the District within 72 hours of discovering a breach of Student Data.

2. Deletion. Upon termination of the Agreement the Provider shall delete all Student Data within 30 days.

3. No sale. The Provider shall not sell, rent or lease Student Data to any third party.
"""


def _doc(text: str, name: str = "note.txt") -> Document:
    return Document(name, "0" * 64, Format.TXT, text, (Page(1, 612.0, 792.0),), (Block(0, len(text), 1),))


def test_contract_check_one_sentence_note_is_not_a_contract() -> None:
    check = check_contract(_doc(NOTE))
    assert not check.looks_like_contract
    assert check.warning.startswith("note.txt: this does not look like a contract")
    assert "words" in check.warning and "no numbered or headed clauses" in check.warning


def test_contract_check_memo_without_clauses_or_contract_wording_is_flagged() -> None:
    check = check_contract(_doc(MEMO, "memo.txt"))
    assert check.words > 120
    assert not check.looks_like_contract and "almost no contract wording" in check.warning


def test_contract_check_short_addendum_with_clauses_and_parties_passes() -> None:
    check = check_contract(_doc(ADDENDUM, "addendum.md"))
    assert check.parties and check.clauses >= 3 and check.contract_words >= 3
    assert check.looks_like_contract, check.warning


def test_contract_check_bundled_sample_contract_passes() -> None:
    from contractreview.ingest import load_document

    assert check_contract(load_document(sample_contract("md"))).looks_like_contract


def test_issue_17_cli_warns_on_stderr_before_the_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.txt"
    note.write_text(NOTE + "\n", encoding="utf-8")
    assert main(["analyze", str(note), "--no-store"]) == 0
    captured = capsys.readouterr()
    assert "contractreview: warning: note.txt: this does not look like a contract" in captured.err
    assert "does not look like a contract" not in captured.out  # results stay clean for pipes
    good = tmp_path / "addendum.md"
    good.write_text(ADDENDUM, encoding="utf-8")
    assert main(["analyze", str(good), "--no-store"]) == 0
    assert "does not look like a contract" not in capsys.readouterr().err
