"""Hardening, second round (#19): what a hostile file, a hostile local user or a full or read-only disk
still got. Each test reproduces one defect of the issue and runs in bounded time (subprocesses have
timeouts; memory is the child's peak RSS from ``wait4``, since tracemalloc misses lxml and pdfium)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

import pytest

from contractreview.errors import DocumentTooLargeError, FileAccessError
from contractreview.ingest import load_document, too_large_reason
from contractreview.limits import Limits
from tests.hostile_files import (
    deflate_bomb,
    markup_heavy_docx,
    pdf_drawing_forms,
    pdf_with_streams,
    text_content,
)

REPO = Path(__file__).resolve().parent.parent
LINUX = sys.platform.startswith("linux")
CLAUSES = [
    "1. Provider shall notify the District within seventy-two (72) hours after discovery of a breach.",
    "2. Upon written request, Provider shall delete Student Data within thirty (30) days.",
    "3. Provider shall not sell Student Data.",
]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", **extra}


def cli(
    args: list[str | bytes | Path],
    cwd: Path,
    *,
    timeout: float = 90,
    preexec=None,  # type: ignore[no-untyped-def]
    env: dict[str, str] | None = None,
) -> tuple[int, bytes, bytes, float]:
    """Run ``contractreview ARGS``; returns (exit code, stdout, stderr, peak RSS in MB of the child)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "contractreview", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,  # pipes, not files: a file-size limit (the full-disk tests) spares them
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env or _env(),
        preexec_fn=preexec,
    )
    captured: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda k=k, f=f: captured.__setitem__(k, f.read()))
        for k, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for t in readers:
        t.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS
    finally:
        timer.cancel()
    for t in readers:
        t.join()
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    assert rc != -signal.SIGKILL, f"killed after {timeout} s: a hang"
    return rc, captured["out"], captured["err"], usage.ru_maxrss / 1024


def one_error_line(err: bytes, name: str) -> str:
    text = err.decode("utf-8")
    # The not-a-contract warning (#17) may precede the refusal; the refusal itself is one line.
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("contractreview: warning:")]
    assert len(lines) == 1, text
    assert "Traceback" not in text and name in lines[0], text
    return lines[0]


def _pdf(lines: list[str] = CLAUSES, **kw) -> bytes:  # type: ignore[no-untyped-def]
    return pdf_with_streams([zlib.compress(text_content(lines))], **kw)


# --------------------------------------------------------------------------- 2. PDF decompression budget


@pytest.mark.skipif(not LINUX, reason="peak RSS from wait4 (Linux)")
def test_issue_19_pdf_compression_bomb_refused_under_1gb(tmp_path: Path) -> None:
    """2 MB on disk, one content stream of 2 GB: it peaked at 3.1 GB and exited 0."""
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_with_streams([zlib.compress(text_content(CLAUSES)), deflate_bomb(2048)]))
    assert bomb.stat().st_size < 3_000_000
    started = time.monotonic()
    rc, out, err, peak_mb = cli(["analyze", bomb, "--no-store"], tmp_path, timeout=120)
    line = one_error_line(err, "bomb.pdf")
    assert rc == 2 and "inflates" in line and out == b""
    assert peak_mb <= 1024, f"peak RSS {peak_mb:.0f} MB"
    print(f"\nbomb: refused in {time.monotonic() - started:.1f}s, peak RSS {peak_mb:.0f} MB")


def test_issue_19_pdf_nested_filters_and_run_length_are_budgeted(tmp_path: Path) -> None:
    small = Limits(max_pdf_content_bytes=8 * 1024 * 1024)
    # Flate inside Flate: each layer small, the inner one inflating to 64 MB.
    twice = tmp_path / "twice.pdf"
    twice.write_bytes(
        pdf_with_streams(
            [zlib.compress(text_content(CLAUSES)), zlib.compress(deflate_bomb(64))],
            filters=b"[/FlateDecode /FlateDecode]",
        )
    )
    with pytest.raises(DocumentTooLargeError, match="twice.pdf: object 5 .*inflates"):
        load_document(twice, limits=small)
    # RunLength: 2 bytes make 128; 200 KB of runs make 12.8 MB.
    runs = tmp_path / "runs.pdf"
    runs.write_bytes(pdf_with_streams([b"\x81 " * 100_000 + b"\x80"], filters=b"/RunLengthDecode"))
    with pytest.raises(DocumentTooLargeError, match="runs.pdf: .*inflates"):
        load_document(runs, limits=small)
    # Six content streams of 4 MB each: every one within the stream budget, the page beyond its own.
    many = tmp_path / "many.pdf"
    many.write_bytes(pdf_with_streams([zlib.compress(text_content(CLAUSES))] + [deflate_bomb(4)] * 6))
    with pytest.raises(DocumentTooLargeError, match="many.pdf: one page's content .*inflates"):
        load_document(many, limits=small)
    # ... and the file's budget for all streams together.
    with pytest.raises(DocumentTooLargeError, match="many.pdf: the PDF's streams together"):
        load_document(many, limits=Limits(max_pdf_content_bytes=64 << 20, max_pdf_decoded_bytes=16 << 20))
    # The same streams within the budget still read.
    doc = load_document(many, limits=Limits(max_pdf_content_bytes=64 << 20, max_pdf_decoded_bytes=64 << 20))
    assert "seventy-two (72) hours" in doc.text


@pytest.mark.skipif(not LINUX, reason="peak RSS from wait4 (Linux)")
def test_issue_19_pdf_dense_drawing_within_budget_stays_under_1gb_and_beyond_is_refused(tmp_path: Path) -> None:
    """pdfium's memory follows the content it parses: 60 MB of tiny path operators took 1.25 GB and 28 s as
    one page. Beyond the content budget such a page is refused; at the budget it stays far below 1 GB."""
    unit = b"0 0 m 1 1 l S\n"
    for mb, refused in ((60, True), (15, False)):
        body = unit * ((mb << 20) // len(unit))
        path = tmp_path / f"dense{mb}.pdf"
        path.write_bytes(pdf_with_streams([zlib.compress(text_content(CLAUSES)), zlib.compress(body, 9)]))
        rc, out, err, peak_mb = cli(["ingest", path.name], tmp_path, timeout=120)
        if refused:
            assert rc == 2 and "inflates" in one_error_line(err, path.name)
        else:
            assert rc == 0 and b"seventy-two" in out, err
        assert peak_mb <= 1024, f"{path.name}: peak RSS {peak_mb:.0f} MB"
        print(f"\n{path.name}: exit {rc}, peak RSS {peak_mb:.0f} MB")


def _address_space(limit_bytes: int):  # type: ignore[no-untyped-def]
    """Keep a child that would explode (the code before the fix) from taking the machine with it."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


@pytest.mark.skipif(not LINUX, reason="peak RSS from wait4 (Linux)")
def test_issue_19_pdf_form_drawn_many_times_or_nested_is_refused(tmp_path: Path) -> None:
    """pdfium parses a form again each time it is drawn: a 3 KB PDF drawing one 10 KB form 100,000 times
    took 18 GB of memory and did not finish in five minutes; nested forms multiply the same way."""
    path_ops = b"0 0 m 1 1 l S\n" * 700
    cases = {
        "reuse.pdf": pdf_drawing_forms([100_000], path_ops),
        "nested.pdf": pdf_drawing_forms([60, 60, 60], path_ops[:1400]),
    }
    for name, data in cases.items():
        assert len(data) < 5000
        (tmp_path / name).write_bytes(data)
        rc, out, err, peak_mb = cli(["ingest", name], tmp_path, timeout=60, preexec=_address_space(4 << 30))
        assert rc == 2 and "forms it draws" in one_error_line(err, name), (name, err[-300:])
        assert peak_mb <= 1024, f"{name}: peak RSS {peak_mb:.0f} MB"
    # A page drawing a logo form a few times reads as before.
    (tmp_path / "logo.pdf").write_bytes(pdf_drawing_forms([3], path_ops[:1400]))
    assert "thirty (30) days" in load_document(tmp_path / "logo.pdf").text


@pytest.mark.skipif(not LINUX, reason="peak RSS from wait4 (Linux)")
def test_issue_19_docx_xml_part_too_large_to_parse_is_refused(tmp_path: Path) -> None:
    """The zip ratio limit let a 12 MB DOCX with 200 MB of formatted one-letter runs through: 3.3 GB of
    memory and 87 s. One XML part is now limited (a 31 MiB part of the same kind read at 550 MB)."""
    (tmp_path / "markup.docx").write_bytes(markup_heavy_docx(40 * 1024 * 1024))
    rc, out, err, peak_mb = cli(["ingest", "markup.docx"], tmp_path, timeout=90, preexec=_address_space(4 << 30))
    assert rc == 2 and "MB of XML" in one_error_line(err, "markup.docx"), err[-300:]
    assert peak_mb <= 1024, f"peak RSS {peak_mb:.0f} MB"
    small = tmp_path / "small.docx"
    small.write_bytes(markup_heavy_docx(1024 * 1024))
    assert "thirty (30) days" in load_document(small).text


def test_issue_19_pdf_budget_leaves_attachments_alone(tmp_path: Path) -> None:
    """A large attached file is never decoded to read the text, so it must not count against the content
    budget (it is dropped from annotated copies instead)."""
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf())
    w = PdfWriter(clone_from=PdfReader(str(plain)))
    w.add_attachment("pricing.xlsx", bytes(20 * 1024 * 1024))
    attached = tmp_path / "attached.pdf"
    with open(attached, "wb") as fh:
        w.write(fh)
    doc = load_document(attached, limits=Limits(max_pdf_content_bytes=1 << 20))
    assert "seventy-two" in doc.text and any("embedded files" in x for x in doc.warnings)


def test_issue_19_pdf_bomb_inside_an_encrypted_pdf_is_budgeted_too(tmp_path: Path) -> None:
    """Encrypting a bomb (with the empty user password every viewer opens silently) must not hide it."""
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_with_streams([zlib.compress(text_content(CLAUSES)), deflate_bomb(64)]))
    w = PdfWriter(clone_from=PdfReader(str(plain)))
    w.encrypt(user_password="", owner_password="vendor", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        w.write(fh)
    assert b"/Encrypt" in locked.read_bytes()
    with pytest.raises(DocumentTooLargeError, match="locked.pdf: object .* inflates"):
        load_document(locked, limits=Limits(max_pdf_content_bytes=8 << 20))
    assert "seventy-two" in load_document(locked, limits=Limits(max_pdf_content_bytes=128 << 20)).text


def test_issue_19_pdf_stream_scan_decodes_lzw_and_ascii_layers(tmp_path: Path) -> None:
    """A valid PDF whose text sits behind ASCII85 + Flate still reads; an LZW stream is decoded for the count."""
    import base64

    from contractreview.ingest.pdf_budget import _a85_fast, _lzw

    content = text_content(CLAUSES)
    a85 = base64.a85encode(zlib.compress(content), adobe=True)[2:]  # PDF's form: no leading "<~"
    path = tmp_path / "layers.pdf"
    path.write_bytes(pdf_with_streams([a85], filters=b"[/ASCII85Decode /FlateDecode]"))
    assert "delete Student Data" in load_document(path).text
    # LZW codes (9 bits): 'A' 'B' then the new entry 258 ("AB") and end-of-data.
    codes, bits = [65, 66, 258, 257], ""
    for c in codes:
        bits += format(c, "09b")
    bits += "0" * (-len(bits) % 8)
    packed = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    assert b"".join(_lzw([packed])) == b"ABAB"
    # The fast ASCII85 decoder agrees with the standard library on every padding length.
    for n in range(12):
        raw = bytes(range(n)) + b"\0" * 8 + bytes(range(250, 256))[: n % 4]
        assert _a85_fast(base64.a85encode(raw)) == raw, n


def test_issue_19_markdown_with_unclosed_brackets_reads_in_linear_time(tmp_path: Path) -> None:
    """A pattern whose inner class did not exclude "[" made every "[" scan to the end of the line: a line of
    2 million "[" never finished."""
    for name, data in (
        ("brackets.md", b"[" * 300_000),
        ("links.md", b"[x](" * 80_000),
        ("bold.md", b"**x " * 80_000),
    ):
        (tmp_path / name).write_bytes(b"1. Provider shall not sell Student Data.\n\n" + data)
        started = time.monotonic()
        rc, out, err, _ = cli(["ingest", name], tmp_path, timeout=60)
        assert rc == 0, err[-300:]
        assert time.monotonic() - started < 30, name


# --------------------------------------------------------------------------- 3. only regular files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_issue_19_named_pipe_and_device_are_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "contract.pdf"
    os.mkfifo(fifo)
    rc, out, err, _ = cli(["analyze", fifo, "--no-store"], tmp_path, timeout=60)
    assert rc == 2 and "named pipe" in one_error_line(err, "contract.pdf")
    device = tmp_path / "zero.txt"
    device.symlink_to("/dev/zero")
    with pytest.raises(FileAccessError, match="zero.txt: this is a character device"):
        load_document(device)
    # Batch mode hashes files before analysing them: a pipe among them must not block that either.
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "dpa.txt").write_text("\n\n".join(CLAUSES))
    rc, out, err, _ = cli(["analyze", fifo, folder, "--no-store"], tmp_path, timeout=60)
    assert rc == 2 and b"named pipe" in err and b"dpa.txt" in out


def test_issue_19_folder_named_like_a_contract_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").mkdir()
    rc, out, err, _ = cli(["analyze", "x.pdf", "--no-store"], tmp_path, timeout=60)
    assert rc == 2 and "folder" in one_error_line(err, "x.pdf")
    with pytest.raises(FileAccessError, match="x.pdf: this is a folder"):
        load_document(tmp_path / "x.pdf")


# --------------------------------------------------------------------------- 4. terminal escapes


def test_issue_19_file_names_and_contract_text_reach_the_terminal_escaped(tmp_path: Path) -> None:
    osc = "\x1b]0;owned\x07\x1b[2J"
    name = f"dpa{osc}\n[OK] all protections satisfied\r.txt"
    text = "\n\n".join(CLAUSES[:2] + [f"3. Provider shall not sell Student Data {osc}\u009b31m or \u202eevil text."])
    (tmp_path / name).write_text(text, encoding="utf-8")
    bad = {b"\x1b", b"\x07", b"\r", "\u009b".encode(), "\u202e".encode()}
    for args in (["analyze", name, "--no-store"], ["ingest", name], ["analyze", name + "-missing", "--no-store"]):
        rc, out, err, _ = cli(args, tmp_path, timeout=90)
        for chunk in bad:
            assert chunk not in out and chunk not in err, (args, chunk)
        # A newline in the name must not start a line of its own ("[OK] all protections satisfied").
        assert not any(ln.startswith(b"[OK]") for ln in (out + err).splitlines()), args
    assert rc == 2 and "\\n[OK]" in one_error_line(err, "dpa\\e]0;owned")


# --------------------------------------------------------------------------- 5. JSON always UTF-8


@pytest.mark.skipif(not LINUX, reason="file names as raw bytes")
def test_issue_19_json_is_valid_utf8_for_undecodable_file_names(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/contrat-\xe9t\xe9.txt"
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(CLAUSES))
    for args in (
        ["analyze", raw, "--no-store", "--format", "json"],
        ["ingest", raw, "--json"],
        ["analyze", raw, os.fsencode(tmp_path / "none.txt"), "--no-store", "--format", "json", "--jobs", "1"],
    ):
        rc, out, err, _ = cli(args, tmp_path, timeout=90)
        data = json.loads(out.decode("utf-8"))  # strict UTF-8, then strict JSON
        assert data and r"contrat-\\xe9t\\xe9.txt" in out.decode("utf-8"), args  # the bytes, shown
        assert b"Traceback" not in err


# --------------------------------------------------------------------------- 6. read-only databases

_NOBODY = 65534


def _as_other_user(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as an unprivileged user (root ignores file modes, so as root the test drops to nobody)."""
    kwargs: dict = {}
    if os.geteuid() == 0:
        kwargs = {"user": _NOBODY, "group": _NOBODY}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
        env=_env(HOME=str(folder)), **kwargs,
    )


@pytest.fixture
def shared_dir():  # type: ignore[no-untyped-def]
    """A folder the unprivileged user owns (tmp_path's parents are closed to other users)."""
    d = Path(tempfile.mkdtemp(prefix="cr-i19-"))
    d.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(d, _NOBODY, _NOBODY)
    yield d
    for p in d.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)
    d.chmod(0o755)
    shutil.rmtree(d, ignore_errors=True)


_RO_SCRIPT = r"""
import os, subprocess, sys
from pathlib import Path
from contractreview.store import open_store
from tests.test_store_support import contract_v1

def cli(*args):
    p = subprocess.run([sys.executable, "-m", "contractreview", *args], capture_output=True, text=True, timeout=90)
    # The two-sentence test file draws the not-a-contract warning (#17); only the other lines matter here.
    err = "\n".join(ln for ln in p.stderr.splitlines() if not ln.startswith("contractreview: warning:"))
    return p.returncode, p.stdout, err

a = contract_v1()
Path("dpa.txt").write_text("1. Provider shall not sell Student Data.\n\n2. Provider shall delete data within 30 days.")
# 1. a 0400 database: reads work, saving says why, no side files are left behind
db = Path("reviews.sqlite3")
with open_store(db) as s:
    s.save_analysis(a)
os.chmod(db, 0o400)
rc, out, err = cli("reviews", "list", "--db", str(db))
print("list-ro", rc, "contract" in out or "v1" in out or len(out.splitlines()) > 1, err.strip())
rc, out, err = cli("analyze", "dpa.txt", "--db", str(db))
print("analyze-ro", rc, "SATISFIED" in out or "MISSING" in out, err.strip())
print("sidecars", sorted(p.name for p in Path(".").glob("reviews.sqlite3-*")))
# 2. made writable again: writes work at once
os.chmod(db, 0o600)
rc, out, err = cli("analyze", "dpa.txt", "--db", str(db))
print("analyze-rw", rc, err.strip())
with open_store(db) as s:
    print("reviews", len(s.list_reviews()))
# 3. side files an older version left read-only: repaired, writes work
with open_store(db) as s:
    s.conn.execute("PRAGMA wal_autocheckpoint = 0")
    s.set_decision(a.document.sha256, "x", __import__("contractreview.domain", fromlist=["Decision"]).Decision.ACCEPT)
    for side in ("-wal", "-shm"):
        if Path(f"{db}{side}").exists():
            os.chmod(f"{db}{side}", 0o400)
    held = s  # the old process keeps its connection open, so the side files stay
    with open_store(db) as t:
        t.set_decision(a.document.sha256, "y", __import__("contractreview.domain", fromlist=["Decision"]).Decision.ACCEPT)
        print("stale-sidecars-write", sorted(t.decisions(a.document.sha256)))
# 4. a read-only folder (what a read-only file system looks like to SQLite): the database opens
ro = Path("ro")
ro.mkdir()
with open_store(ro / "r.sqlite3") as s:
    s.save_analysis(a)
os.chmod(ro, 0o555)
rc, out, err = cli("reviews", "list", "--db", str(ro / "r.sqlite3"))
print("list-rofolder", rc, err.strip())
print("rofolder-files", sorted(p.name for p in ro.iterdir()))
"""


@pytest.mark.skipif(not LINUX, reason="POSIX modes; as root the test drops to an unprivileged user")
def test_issue_19_read_only_database_opens_read_only_and_leaves_nothing_behind(shared_dir: Path) -> None:
    tests_link = shared_dir / "tests"
    tests_link.symlink_to(REPO / "tests")
    proc = _as_other_user(_RO_SCRIPT, shared_dir)
    assert proc.returncode == 0, proc.stderr
    got = {ln.split(" ", 1)[0]: ln.split(" ", 1)[1] if " " in ln else "" for ln in proc.stdout.splitlines()}
    assert got["list-ro"].startswith("0 True"), proc.stdout
    rc, printed, err = got["analyze-ro"].split(" ", 2)
    assert rc == "2" and printed == "True" and "read-only" in err and "not saved" in err, proc.stdout
    assert got["sidecars"] == "[]", proc.stdout
    assert got["analyze-rw"].startswith("0"), proc.stdout
    assert got["reviews"] == "2", proc.stdout
    assert got["stale-sidecars-write"] == "['x', 'y']", proc.stdout
    assert got["list-rofolder"].startswith("0"), proc.stdout
    assert got["rofolder-files"] == "['r.sqlite3']", proc.stdout


# --------------------------------------------------------------------------- 7. analysis time budget


def _big_text(n: int) -> str:
    return "\n\n".join(f"{i}. {CLAUSES[i % 3][3:]}" for i in range(1, n))


def test_issue_19_analysis_stops_cleanly_at_its_time_budget(tmp_path: Path) -> None:
    (tmp_path / "huge.txt").write_text(_big_text(12_000))  # about 30 s of analysis here
    started = time.monotonic()
    rc, out, err, _ = cli(
        ["analyze", "huge.txt", "--no-store"], tmp_path, timeout=60,
        env=_env(CONTRACTREVIEW_MAX_ANALYSIS_SECONDS="3"),
    )
    elapsed = time.monotonic() - started
    assert rc == 2 and "time limit of 3 seconds" in one_error_line(err, "huge.txt") and out == b""
    assert elapsed < 25, elapsed


def test_issue_19_analysis_reports_progress_inside_long_steps(tmp_path: Path) -> None:
    from contractreview.deadline import set_tick
    from contractreview.pipeline import review

    path = tmp_path / "long.txt"
    path.write_text(_big_text(1_500))
    ticks: list[tuple[str, int, int]] = []
    previous = set_tick(lambda stage, done, total: ticks.append((stage, done, total)))
    try:
        review(path)
    finally:
        set_tick(previous)
    reading = [t for t in ticks if t[0] == "reading sentences"]
    assert len(reading) >= 3 and reading[-1][1] > reading[0][1] and reading[0][2] > 1000


# --------------------------------------------------------------------------- 8. full disk


def _file_size_limit(n: int):  # type: ignore[no-untyped-def]
    """A full disk, for one process: writes past ``n`` bytes of any file fail (EFBIG instead of ENOSPC)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))

    return apply


@pytest.mark.skipif(not LINUX, reason="RLIMIT_FSIZE stands in for a full disk")
def test_issue_19_full_disk_one_line_no_traceback_no_empty_database(tmp_path: Path) -> None:
    (tmp_path / "dpa.txt").write_text("\n\n".join(CLAUSES))
    # A DOCX export: one line, and no "Exception ignored in ZipFile.__del__" after it.
    for fmt, name in (("docx", "gaps.docx"),):  # the change request is saved by the same helper
        rc, out, err, _ = cli(
            ["export", "dpa.txt", "--format", fmt, "-o", name],
            tmp_path, preexec=_file_size_limit(2000), env=_env(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data")),
        )
        assert rc == 2 and "could not be written" in one_error_line(err, name), (fmt, err)
        assert not (tmp_path / name).exists()
    # A new database on a full disk: the analysis is printed, one line says it was not saved, no 0-byte file.
    rc, out, err, _ = cli(["analyze", "dpa.txt", "--db", "new.sqlite3"], tmp_path, preexec=_file_size_limit(0))
    assert rc == 2, (out[-300:], err)
    assert b"SATISFIED" in out and "not saved" in one_error_line(err, "new.sqlite3")
    assert not (tmp_path / "new.sqlite3").exists()
    # An existing database that cannot grow: the finished analysis is printed, then the one line.
    rc, _, err, _ = cli(["analyze", "dpa.txt", "--db", "full.sqlite3"], tmp_path)
    assert rc == 0, err
    assert (tmp_path / "full.sqlite3").stat().st_size > 4096
    rc, out, err, _ = cli(["analyze", "dpa.txt", "--db", "full.sqlite3", "--format", "json"], tmp_path,
                          preexec=_file_size_limit(4096))
    assert rc == 2 and json.loads(out)["findings"], err
    assert "printed above but not saved" in one_error_line(err, "full.sqlite3")


# --------------------------------------------------------------------------- 9. exports re-open only vetted bytes


def test_issue_19_annotated_export_refuses_a_file_changed_since_the_analysis(tmp_path: Path, monkeypatch) -> None:
    import docx

    from contractreview.domain import ReportMeta
    from contractreview.engine import analyze
    from contractreview.errors import ExportError
    from contractreview.export import export_annotated
    from tests import docgen_docx as gen

    src = tmp_path / "vendor.docx"
    document = docx.Document()
    for clause in CLAUSES:
        document.add_paragraph(clause)
    document.save(str(src))
    analysis = analyze(load_document(src))
    # Swapped after the analysis for a hostile package (an XML external entity): python-docx must never
    # see it; the export stops at the SHA-256 check with one line naming the file.
    src.write_bytes(gen.xxe_docx())

    def no_python_docx(*a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError("python-docx opened an unvetted file")

    monkeypatch.setattr(docx, "Document", no_python_docx)
    with pytest.raises(ExportError, match="vendor.docx: the file on disk is not the one that was analysed"):
        export_annotated(analysis, {}, ReportMeta(), src, tmp_path / "annotated.docx")
    assert not (tmp_path / "annotated.docx").exists()


@pytest.mark.usefixtures("rules_decide")  # what the rules read; the grader only rates
def test_issue_19_annotated_pdf_drops_attachment_annotations(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, RectangleObject, TextStringObject

    from contractreview.domain import ReportMeta
    from contractreview.engine import analyze
    from contractreview.export import export_annotated

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_pdf())
    w = PdfWriter(clone_from=PdfReader(str(plain)))
    w.add_attachment("update.exe", b"MZ" + b"\x00" * 64)
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): RectangleObject([10, 10, 30, 30]),
        NameObject("/Contents"): TextStringObject("open me"),
    })
    w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    src = tmp_path / "vendor.pdf"
    with open(src, "wb") as fh:
        w.write(fh)
    analysis = analyze(load_document(src))
    out = export_annotated(analysis, {}, ReportMeta(), src, tmp_path / "annotated.pdf")
    reader = PdfReader(str(out))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    subtypes = [a.get_object()["/Subtype"] for p in reader.pages for a in (p.get("/Annots") or [])]
    assert "/FileAttachment" not in subtypes and "/Highlight" in subtypes
    assert b"MZ\x00\x00" not in out.read_bytes()


# --------------------------------------------------------------------------- 10. the smaller ones


def test_issue_19_size_message_never_rounds_the_file_to_the_limit(tmp_path: Path) -> None:
    limit = 200 * 1024 * 1024
    reason = too_large_reason(limit + 1, limit)
    assert "209,715,201 bytes" in reason and "209,715,200 bytes" in reason  # not "209.7 MB ... 210 MB"
    assert too_large_reason(300_000_000, limit) == "the file is 300.0 MB, more than the limit of 209.7 MB."
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 150_001)
    with pytest.raises(DocumentTooLargeError, match=r"big.txt: the file is 150,001 bytes, more than .* 150,000 bytes"):
        load_document(big, limits=Limits(max_file_bytes=150_000))


def test_issue_19_valid_pdf_behind_junk_reads_and_text_quoting_pdf_stays_text(tmp_path: Path) -> None:
    junk = tmp_path / "gateway.pdf"
    junk.write_bytes(bytes(range(256)) * 16 + _pdf())  # 4 KB of binary junk before %PDF
    doc = load_document(junk)
    assert doc.format.value == "pdf" and "seventy-two (72) hours" in doc.text
    quoting = tmp_path / "notes.txt"
    quoting.write_text("x" * 2000 + "\nThe header %PDF-1.7 starts every PDF.\n" + "\n\n".join(CLAUSES))
    assert load_document(quoting).format.value == "txt"


def test_issue_19_every_refusal_is_one_line_naming_the_file(tmp_path: Path) -> None:
    """The hostile files of this issue through the real CLI: exit 2, one line naming the file."""
    files = {
        "junk-only.pdf": bytes(range(256)) * 16,
        "bomb2.pdf": pdf_with_streams([zlib.compress(text_content(CLAUSES)), deflate_bomb(128)]),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        rc, out, err, _ = cli(
            ["analyze", name, "--no-store"], tmp_path, env=_env(CONTRACTREVIEW_MAX_PDF_CONTENT_BYTES=str(32 << 20))
        )
        assert rc == 2 and out == b"", name
        one_error_line(err, name)


def test_issue_19_pdf_budget_sees_through_disguised_content(tmp_path: Path) -> None:
    """pdfium parses a page's content whatever its dictionary claims: a bomb marked as an image or an
    attachment, or a form whose name is written with #xx escapes, is still counted."""
    small = Limits(max_pdf_content_bytes=8 << 20)
    bomb = deflate_bomb(32)
    for name, filters in (
        ("as-image.pdf", b"/FlateDecode /Subtype /Image /Width 1 /Height 1"),
        ("as-attachment.pdf", b"/FlateDecode /Type /EmbeddedFile"),
        ("escaped.pdf", b"/Fl#61teDecode"),
    ):
        path = tmp_path / name
        path.write_bytes(pdf_with_streams([zlib.compress(text_content(CLAUSES)), bomb], filters=filters))
        with pytest.raises(DocumentTooLargeError, match=f"{name}: .*inflates"):
            load_document(path, limits=small)
    escaped = pdf_drawing_forms([100_000], b"0 0 m 1 1 l S\n" * 700).replace(b"/Subtype /Form", b"/Subtype /F#6frm")
    (tmp_path / "escaped-form.pdf").write_bytes(escaped)
    with pytest.raises(DocumentTooLargeError, match="escaped-form.pdf: .*forms it draws"):
        load_document(tmp_path / "escaped-form.pdf")
