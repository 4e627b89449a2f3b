"""Crash safety (#5, #7): SIGKILLed writers never lose an acknowledged decision nor damage the file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_store_support import contract_v1

from contractreview.store import open_store

REPO = Path(__file__).resolve().parent.parent

# The child acknowledges a decision only after set_decision() returned, i.e. after COMMIT.
_WRITER = r"""
import sys
from contractreview.domain import Decision
from contractreview.store import open_store
db, sha, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = open_store(db)
analysis = None
if count:
    from test_store_support import contract_v1
    analysis = contract_v1()
print("READY", flush=True)
for i in range(count):
    if i % 8 == 3:  # a bigger transaction: a whole review with findings and document text
        review_id = store.save_analysis(analysis, source_path=f"/c/{tag}-{i}.pdf")
        print("REVIEW", review_id, flush=True)
    rid = f"{tag}-{i}"
    print("BEGIN", rid, flush=True)
    store.set_decision(sha, rid, Decision.ACCEPT if i % 2 else Decision.NEEDS_NEGOTIATION,
                       note="note " * (i % 7), reviewer=tag, evidence_text="evidence " * (i % 13))
    print("ACK", rid, flush=True)
store.close()
print("DONE", flush=True)
"""


def _spawn(db: Path, sha: str, tag: str, count: int) -> subprocess.Popen[str]:
    path = os.pathsep.join([str(REPO), str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db), sha, tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _kill_and_collect(
    proc: subprocess.Popen[str], delay: float, *, wait_ready: bool
) -> tuple[set[str], bool]:
    """SIGKILL ``proc`` ``delay`` seconds after it is ready; returns (acknowledged ids, killed mid-write)."""
    lines: list[str] = []
    if wait_ready:
        first = proc.stdout.readline()
        assert first.strip() == "READY", first + proc.stderr.read()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    # Only complete lines count: a kill can cut the last line short ("ACK" without its id), and a
    # half-written acknowledgement was never an acknowledgement.
    lines.extend(ln for ln in out.split("\n")[:-1] if len(ln.split()) >= 2 or ln.strip() in ("READY", "DONE"))
    assert proc.returncode in (-signal.SIGKILL, 0), err
    assert "Traceback" not in err, err
    acked = {ln.split()[1] for ln in lines if ln.startswith("ACK ")}
    begun = [ln.split()[1] for ln in lines if ln.startswith("BEGIN ")]
    mid_write = bool(begun) and begun[-1] not in acked
    reviews = {int(ln.split()[1]) for ln in lines if ln.startswith("REVIEW ")}
    return acked, mid_write, reviews


@pytest.mark.slow
def test_store_survives_sigkill_of_a_writer_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(20261203)
    db = tmp_path / "crash.sqlite3"
    analysis = contract_v1()
    sha = analysis.document.sha256
    with open_store(db) as store:
        store.save_analysis(analysis)
    acknowledged: set[str] = set()
    reviews: set[int] = set()
    kills = mid_writes = 0
    started = time.monotonic()
    for it in range(50):
        proc = _spawn(db, sha, f"w{it}", 100_000)
        acked, mid, saved = _kill_and_collect(proc, rng.uniform(0.0, 0.05), wait_ready=True)
        kills += 1
        mid_writes += mid
        acknowledged |= acked
        reviews |= saved
        with open_store(db) as store:
            assert store.check() == [], f"iteration {it}"
            stored = set(store.decisions(sha))
            review_ids = {s.id for s in store.list_reviews()}
            if saved:
                assert len(store.get_analysis(max(saved)).findings) == 3
        lost = acknowledged - stored
        assert not lost, f"iteration {it}: acknowledged decisions lost: {sorted(lost)[:5]}"
        assert reviews <= review_ids, f"iteration {it}: acknowledged reviews lost"
    elapsed = time.monotonic() - started
    # Kills while a fresh database is being created and migrated.
    for it in range(6):
        fresh = tmp_path / f"fresh-{it}.sqlite3"
        proc = _spawn(fresh, sha, f"f{it}", 0)  # open + migrate only
        _kill_and_collect(proc, rng.uniform(0.0, 0.4), wait_ready=False)
        kills += 1
        with open_store(fresh) as store:  # a half-created file is finished, not refused
            assert store.check() == []
    print(
        f"\ncrash test: {kills} kills, {mid_writes} mid-write, {len(acknowledged)} acknowledged decisions and "
        f"{len(reviews)} reviews all present, {elapsed:.1f}s for the writer loop"
    )
    assert kills >= 50 and len(acknowledged) > 50 and reviews


def test_store_reader_and_second_writer_work_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "concurrent.sqlite3"
    analysis = contract_v1()
    sha = analysis.document.sha256
    with open_store(db) as store:
        store.save_analysis(analysis)
    proc = _spawn(db, sha, "child", 300)
    seen: list[int] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            with open_store(db) as rstore:
                while proc.poll() is None:
                    seen.append(sum(1 for k in rstore.decisions(sha) if k.startswith("child-")))
                    rstore.list_reviews()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    from contractreview.domain import Decision

    with open_store(db) as wstore:
        mine = 0
        while proc.poll() is None and mine < 200:
            wstore.set_decision(sha, f"parent-{mine}", Decision.WAIVED, reviewer="parent")
            mine += 1
    out, err = proc.communicate(timeout=60)
    thread.join(timeout=60)
    assert proc.returncode == 0, err
    assert not errors, errors
    assert seen and seen == sorted(seen), "a reader saw decisions disappear"
    with open_store(db) as store:
        got = store.decisions(sha)
        assert sum(1 for k in got if k.startswith("child-")) == 300
        assert sum(1 for k in got if k.startswith("parent-")) == mine
        assert store.check() == []


def test_store_several_processes_creating_one_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "race.sqlite3"
    procs = [_spawn(db, "0" * 64, f"r{i}", 0) for i in range(4)]
    results = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.split() == ["READY", "DONE"]
    with open_store(db) as store:
        from contractreview.store import migrations

        assert migrations.applied(store.db) == [m[0] for m in migrations.MIGRATIONS]
        assert store.check() == []


# A writer that keeps changing the same ten decisions (updates, not inserts) and checkpoints the WAL into
# the database file all the time (an explicit TRUNCATE checkpoint every fifth write, and SQLite's own
# after every few pages), so that kills land inside checkpoints and inside updates (#19).
_UPDATER = r"""
import sys
from contractreview.domain import Decision
from contractreview.store import open_store
db, sha, tag = sys.argv[1], sys.argv[2], sys.argv[3]
store = open_store(db)
store.conn.execute("PRAGMA wal_autocheckpoint = 4")
print("READY", flush=True)
i = 0
while True:
    rid = f"u-{i % 10}"
    print("BEGIN", rid, f"{tag}.{i}", flush=True)
    store.set_decision(sha, rid, Decision.ACCEPT if i % 2 else Decision.WAIVED, note=f"{tag}.{i}",
                       reviewer=tag, evidence_text="evidence " * (i % 50))
    print("ACK", rid, f"{tag}.{i}", flush=True)
    if i % 5 == 4:
        print("CKPT", flush=True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        print("CKPTDONE", flush=True)
    i += 1
"""


@pytest.mark.slow
def test_issue_19_sigkill_during_checkpoints_and_updates_loses_no_acknowledged_decision(tmp_path: Path) -> None:
    rng = random.Random(19)
    db = tmp_path / "updates.sqlite3"
    analysis = contract_v1()
    sha = analysis.document.sha256
    with open_store(db) as store:
        store.save_analysis(analysis)
    path = os.pathsep.join([str(REPO), str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])
    last_ack: dict[str, str] = {}
    kills = in_checkpoint = acks = 0
    for it in range(16):
        proc = subprocess.Popen(
            [sys.executable, "-c", _UPDATER, str(db), sha, f"k{it}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=dict(os.environ, PYTHONPATH=path),
        )
        assert proc.stdout.readline().strip() == "READY"  # type: ignore[union-attr]
        time.sleep(rng.uniform(0.02, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        kills += 1
        assert "Traceback" not in err, err
        lines = [ln.split() for ln in out.split("\n")[:-1]]
        in_flight: tuple[str, str] | None = None
        for parts in lines:
            if parts[:1] == ["BEGIN"] and len(parts) == 3:
                in_flight = (parts[1], parts[2])
            elif parts[:1] == ["ACK"] and len(parts) == 3:
                last_ack[parts[1]] = parts[2]
                acks += 1
                in_flight = None
        in_checkpoint += bool(lines) and lines[-1] == ["CKPT"]
        with open_store(db) as store:
            assert store.check() == [], f"iteration {it}"
            stored = {k: d.note for k, d in store.decisions(sha).items()}
        for rid, version in list(last_ack.items()):
            # The write cut by the kill may have committed before its acknowledgement was printed.
            allowed = {version} | ({in_flight[1]} if in_flight and in_flight[0] == rid else set())
            assert stored.get(rid) in allowed, f"iteration {it}: {rid} is {stored.get(rid)}, acknowledged {version}"
            last_ack[rid] = stored[rid]  # what is on disk now must stay
    print(f"\nupdate/checkpoint kills: {kills}, {in_checkpoint} inside an explicit checkpoint, {acks} acknowledged "
          "updates, none lost")
    assert acks > 50
