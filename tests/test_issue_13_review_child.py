"""Issue #13 (the GUI's first finding): a file given on the command line is reviewed in a forked child.

The child must change nothing a user sees: the analysis it hands back equals the one this process would
make, field for field; when it fails, hangs or is abandoned the caller reviews the file itself (with the
same one-line errors) and no child is left behind.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import docx
import pytest

from contractreview import handover, pipeline
from contractreview.errors import EncryptedDocumentError
from contractreview.pipeline import iter_review, review, start_review_in_child
from tests.docgen import contract_pdf, encrypt_pdf


def _docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Data Privacy Agreement", 1)
    d.add_paragraph("1. Provider shall notify the District within 72 hours of discovery of a breach.")
    d.add_paragraph("2. Provider shall delete Student Data within 30 days after termination of the Agreement.")
    d.add_paragraph("3. This Agreement is governed by the laws of the State of New York.")
    d.save(str(path))
    return path


def _through_json(records: list[object]) -> list[object]:
    return [json.loads(json.dumps(r, ensure_ascii=False, separators=(",", ":"))) for r in records]


@pytest.mark.parametrize("make", ["pdf", "docx", "txt"])
def test_analysis_round_trip_is_exact(tmp_path: Path, make: str) -> None:
    path = {
        "pdf": lambda: contract_pdf(tmp_path / "c.pdf", pages=2).path,
        "docx": lambda: _docx(tmp_path / "c.docx"),
        "txt": lambda: (tmp_path / "c.md").write_text(
            "# Terms\n\n1. We never sell Student Data.\n\n2. Breach notice within seventy-two (72) hours.\n",
            encoding="utf-8") and tmp_path / "c.md",
    }[make]()
    analysis = review(path)
    assert analysis.findings and analysis.clauses
    again = handover.analysis_from_records(_through_json(handover.analysis_to_records(analysis)))
    assert again == analysis  # every field: document layout, clauses, findings, key-term readings, provenance


def test_hand_over_reads_only_the_domains_own_types() -> None:
    with pytest.raises(ValueError, match="unknown class"):
        handover.decode({"@": "Popen", "args": ["true"]})
    with pytest.raises(ValueError, match="unknown enum"):
        handover.decode({"@e": "Signals", "v": 9})
    with pytest.raises(ValueError):
        handover.encode(object())
    with pytest.raises(ValueError, match="not an analysis"):
        handover.analysis_from_records([{"document_records": 1}, {"source_path": "x", "sha256": "0", "format": "txt",
                                                                  "text": "", "layout": {}}, {"@t": []}])
    with pytest.raises(ValueError):
        handover.analysis_from_records([{"document_records": 5}])


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the review child runs on Linux only; elsewhere start_review_in_child returns None")
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")


def _drive(gen):  # type: ignore[no-untyped-def]
    stages = []
    while True:
        try:
            stages.append(next(gen).stage)
        except StopIteration as stop:
            return stop.value, stages


def _never():  # type: ignore[no-untyped-def]
    raise AssertionError("the child's analysis should have been used")
    yield  # pragma: no cover


def test_the_child_hands_back_the_analysis_this_process_would_make(tmp_path: Path, forkable: None) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=4).path
    child = start_review_in_child(path, profile="ny")
    assert child is not None
    got, stages = _drive(child.iter_result(_never))
    assert stages[0] == "ingest"
    assert got == review(path, profile="ny")


def test_a_failing_child_means_the_review_runs_here_with_its_own_errors(tmp_path: Path, forkable: None) -> None:
    locked = encrypt_pdf(contract_pdf(tmp_path / "c.pdf", pages=2).path, tmp_path / "locked.pdf", "s3cret")
    child = start_review_in_child(locked)
    assert child is not None
    with pytest.raises(EncryptedDocumentError) as err:
        _drive(child.iter_result(lambda: iter_review(locked)))
    assert "locked.pdf" in str(err.value)


def test_a_child_that_dies_or_answers_garbage_is_replaced_by_the_review_here(
    tmp_path: Path, forkable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    expected = review(path)
    monkeypatch.setattr(pipeline, "review", lambda *a, **k: os._exit(3))  # the child inherits the patch
    child = start_review_in_child(path)
    assert child is not None
    assert _drive(child.iter_result(lambda: iter_review(path)))[0] == expected

    monkeypatch.setattr(handover, "analysis_to_records", lambda a: [{"document_records": 7}, "not a document"])
    monkeypatch.setattr(pipeline, "review", lambda *a, **k: None)
    child = start_review_in_child(path)
    assert child is not None
    assert _drive(child.iter_result(lambda: iter_review(path)))[0] == expected


def test_cancelling_stops_and_reaps_the_child(tmp_path: Path, forkable: None, monkeypatch: pytest.MonkeyPatch) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    monkeypatch.setattr(pipeline, "review", lambda *a, **k: time.sleep(60))
    child = start_review_in_child(path)
    assert child is not None
    pid = child._pending._pid
    gen = child.iter_result(_never)
    next(gen)
    next(gen)  # still waiting: the child sleeps
    assert os.waitpid(pid, os.WNOHANG) == (0, 0)  # running
    gen.close()  # the GUI's Cancel
    with pytest.raises(ChildProcessError):  # killed and reaped: no zombie either
        os.waitpid(pid, os.WNOHANG)


def test_serves_only_the_same_file_profile_and_library(tmp_path: Path, forkable: None) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    child = start_review_in_child(path, profile="default")
    assert child is not None
    try:
        assert child.serves(str(tmp_path / "." / "c.pdf"), "default", None)
        assert not child.serves(path, "ny", None)
        assert not child.serves(path, "default", tmp_path)
        assert not child.serves(tmp_path / "other.pdf", "default", None)
    finally:
        child.close()


def test_no_child_while_another_thread_runs_or_when_forking_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
        assert start_review_in_child(path) is None
    finally:
        stop.set()
        thread.join()
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "never")
    assert start_review_in_child(path) is None


def test_a_child_that_runs_out_of_the_time_limit_is_not_reviewed_again(
    tmp_path: Path, forkable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractreview.errors import DocumentTooLargeError

    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    monkeypatch.setenv("CONTRACTREVIEW_MAX_ANALYSIS_SECONDS", "1")
    monkeypatch.setattr(pipeline, "review", lambda *a, **k: time.sleep(60))  # the child never answers
    child = start_review_in_child(path)
    assert child is not None
    t0 = time.monotonic()
    with pytest.raises(DocumentTooLargeError, match="time limit of 1 seconds") as err:
        _drive(child.iter_result(_never))  # a second review here would fail this test
    assert time.monotonic() - t0 < 10
    assert "c.pdf" in err.value.message
    with pytest.raises(ChildProcessError):
        os.waitpid(child._pending._pid, os.WNOHANG)
