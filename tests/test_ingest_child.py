"""Issue #13 (start-up): a forked child reads the document while the parent builds the pipeline.

The child must change nothing a user sees: the same document, the same analysis, the same one-line errors,
and no child left behind when it fails, hangs or is abandoned.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from contractreview.domain import Document
from contractreview.ingest import child as child_mod
from contractreview.ingest import load_document
from tests.docgen import contract_pdf, encrypt_pdf

REPO = Path(__file__).resolve().parent.parent


def _docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Data Privacy Agreement", 1)
    d.add_paragraph("1. Provider shall notify the District within 72 hours of discovery of a breach.")
    d.add_paragraph("2. This Agreement is governed by the laws of the State of New York.")
    d.save(str(path))
    return path


def _txt(path: Path) -> Path:
    path.write_text("# Terms\n\n1. Provider shall not sell Student Data.\n\nSee page\u00a02 \u2014 \u201cquoted\u201d.\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("make", ["pdf", "docx", "txt"])
def test_document_json_round_trip_is_exact(tmp_path: Path, make: str) -> None:
    path = {"pdf": lambda: contract_pdf(tmp_path / "c.pdf", pages=2).path, "docx": lambda: _docx(tmp_path / "c.docx"),
            "txt": lambda: _txt(tmp_path / "c.md")}[make]()
    doc = load_document(path)
    assert doc.text and doc.pages
    # Through real JSON text, as the pipe carries it.
    again = child_mod.document_from_json(json.loads(json.dumps(child_mod.document_to_json(doc))))
    assert again == doc


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the forked reader runs on Linux only; elsewhere start_reading returns None (tested below)")
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")


def test_child_reads_the_same_document(tmp_path: Path, forkable: None) -> None:
    path = contract_pdf(tmp_path / "c.pdf", pages=3).path
    pending = child_mod.start_reading(lambda: load_document(path))
    assert pending is not None
    assert pending.result(time.monotonic() + 60) == load_document(path)


def test_a_failing_read_returns_none_so_the_caller_reads_itself(tmp_path: Path, forkable: None) -> None:
    def boom() -> Document:
        raise ValueError("unreadable")

    pending = child_mod.start_reading(boom)
    assert pending is not None and pending.result(time.monotonic() + 30) is None

    pending = child_mod.start_reading(lambda: os._exit(3))  # the child dies without answering
    assert pending is not None and pending.result(time.monotonic() + 30) is None


def test_a_child_past_the_deadline_is_stopped(forkable: None) -> None:
    def slow() -> Document:
        time.sleep(60)
        raise AssertionError("not reached")

    pending = child_mod.start_reading(slow)
    assert pending is not None
    t0 = time.monotonic()
    assert pending.result(time.monotonic() + 0.3) is None
    assert time.monotonic() - t0 < 5
    with pytest.raises(ChildProcessError):  # reaped: no zombie left
        os.waitpid(pending._pid, os.WNOHANG)


def test_no_fork_while_another_thread_is_inside_pdfium_or_when_disabled(
    monkeypatch: pytest.MonkeyPatch, forkable: None
) -> None:
    import threading

    from contractreview.pdfium_guard import PDFIUM_LOCK

    inside, leave = threading.Event(), threading.Event()

    def in_pdfium() -> None:
        with PDFIUM_LOCK:
            inside.set()
            leave.wait(30)

    t = threading.Thread(target=in_pdfium)
    t.start()
    try:
        assert inside.wait(30)
        assert child_mod.start_reading(lambda: None) is None  # type: ignore[arg-type, return-value]
    finally:
        leave.set()
        t.join()
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "never")
    assert child_mod.start_reading(lambda: None) is None  # type: ignore[arg-type, return-value]


def test_a_child_forked_beside_other_threads_reads_while_they_write(tmp_path: Path, forkable: None) -> None:
    """The GUI forks from its worker while the main thread runs; a thread busy writing to stderr at the
    fork must not leave the child waiting on a copied stream lock."""
    import threading

    path = contract_pdf(tmp_path / "c.pdf", pages=2).path
    stop = threading.Event()

    def chatter() -> None:
        while not stop.is_set():
            sys.stderr.write("")
            sys.stderr.flush()

    t = threading.Thread(target=chatter)
    t.start()
    try:
        for _ in range(5):
            pending = child_mod.start_reading(lambda: load_document(path))
            assert pending is not None
            assert pending.result(time.monotonic() + 60) == load_document(path)
    finally:
        stop.set()
        t.join()


def _cli(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "contractreview", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300, env={**os.environ, **env})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked reader runs on Linux only")
def test_cli_gives_the_same_analysis_and_errors_with_and_without_the_child(tmp_path: Path) -> None:
    """A fresh CLI process reads through the child (CONTRACTREVIEW_FORK=always); CONTRACTREVIEW_FORK=never
    makes it read in-process as before. Output and error lines must not differ."""
    pdf = contract_pdf(tmp_path / "c.pdf", pages=4).path
    args = ["analyze", str(pdf), "--format", "json", "--no-store"]
    forked, plain = _cli(args, CONTRACTREVIEW_FORK="always"), _cli(args, CONTRACTREVIEW_FORK="never")
    assert forked.returncode == plain.returncode == 0, forked.stderr + plain.stderr

    def stable(out: str) -> dict:
        data = json.loads(out)
        for key in ("created", "created_at", "timings", "elapsed"):
            data.pop(key, None)
        return data

    assert stable(forked.stdout) == stable(plain.stdout)

    locked = encrypt_pdf(pdf, tmp_path / "locked.pdf", "secret")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    for bad in (locked, corrupt):
        args = ["analyze", str(bad), "--no-store"]
        f, p = _cli(args, CONTRACTREVIEW_FORK="always"), _cli(args, CONTRACTREVIEW_FORK="never")
        assert f.returncode == p.returncode == 2
        assert f.stderr == p.stderr and f.stderr.count("\n") == 1 and bad.name in f.stderr


_PROBE = """
import json, sys
from contractreview.ingest import child
from contractreview.pipeline import review
used = []
real = child.start_reading
def counting(read):
    pending = real(read)
    used.append(pending is not None)
    return pending
child.start_reading = counting
first = review(sys.argv[1])
second = review(sys.argv[1])  # the pipeline is built now: nothing to overlap, no child
print(json.dumps({"used": used, "same": first.findings == second.findings, "n": len(first.findings)}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked reader runs on Linux only")
def test_a_fresh_process_reads_through_the_child_only_while_the_pipeline_is_built(tmp_path: Path) -> None:
    pdf = contract_pdf(tmp_path / "c.pdf", pages=2).path
    out = subprocess.run([sys.executable, "-c", _PROBE, str(pdf)], capture_output=True, text=True, cwd=REPO,
                         timeout=300, env={**os.environ, "CONTRACTREVIEW_FORK": "always"})
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["used"] == [True] and got["same"] and got["n"] >= 40


def test_a_big_document_crosses_the_pipe_in_short_records(tmp_path: Path) -> None:
    """Each record is decoded on its own: a 300-page layout decoded in one call held the GIL for 130 ms."""
    path = contract_pdf(tmp_path / "c.pdf", pages=12).path
    doc = load_document(path)
    records = child_mod.document_to_json(doc)
    assert len(records) > 2 and all(len(values) <= child_mod._CHUNK for _key, values in records[1:])
    encoded = [json.dumps(r) for r in records]
    assert max(len(e) for e in encoded[1:]) < 400_000
    assert child_mod.document_from_json([json.loads(e) for e in encoded]) == doc


def test_fork_mode_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "never")
    assert not child_mod.forked.can_fork()
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    assert child_mod.forked.can_fork() is sys.platform.startswith("linux")
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "auto")
    monkeypatch.setattr(child_mod.forked.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(child_mod.forked.os, "getloadavg", lambda: (3.8, 3.0, 2.0))
    assert not child_mod.forked.can_fork()  # both cores busy: a child would only add work
    monkeypatch.setattr(child_mod.forked.os, "getloadavg", lambda: (0.9, 1.0, 1.0))
    assert child_mod.forked.can_fork() is sys.platform.startswith("linux")


def test_the_pipeline_build_thread_is_waited_for_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A corrupt file fails at once while the pipeline is still being built on a thread beside the reading.
    As a daemon thread, it was still inside spaCy's import when the interpreter shut down after the error
    line, and the process crashed (SIGSEGV in about 1 of 20 runs of `contractreview analyze corrupt.pdf`
    without the forked reader). A non-daemon thread is joined before shutdown."""
    from contractreview import nlp

    monkeypatch.setattr(nlp, "_CACHE", {})
    started = []
    monkeypatch.setattr(nlp, "get_pipeline", lambda library: started.append(library))
    thread = nlp.prepare_pipeline(object())
    assert thread is not None
    thread.join(10)
    assert started and not thread.daemon
