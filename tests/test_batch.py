"""Batch review: parallel workers, a real store, skipping what is already reviewed, bad files listed."""

from __future__ import annotations

import shutil
from pathlib import Path

from contractreview.batch import collect_files, iter_batch
from contractreview.paths import sample_contract
from contractreview.store import open_store


def _run(gen):
    progress = []
    while True:
        try:
            progress.append(next(gen))
        except StopIteration as stop:
            return progress, stop.value


def _inventory(tmp_path: Path) -> Path:
    inv = tmp_path / "inventory"
    (inv / "nested").mkdir(parents=True)
    shutil.copy(sample_contract("pdf"), inv / "vendor_a.pdf")
    shutil.copy(sample_contract("docx"), inv / "nested" / "vendor_b.docx")
    shutil.copy(sample_contract("md"), inv / "vendor_c.md")
    (inv / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated")
    (inv / "notes.xlsx").write_bytes(b"not a contract")  # ignored: not a contract suffix
    return inv


def test_collect_files_recurses_and_filters(tmp_path: Path) -> None:
    inv = _inventory(tmp_path)
    names = [p.name for p in collect_files([inv])]
    assert names == ["broken.pdf", "vendor_b.docx", "vendor_a.pdf", "vendor_c.md"]


def test_parallel_batch_stores_reviews_and_lists_bad_files(tmp_path: Path) -> None:
    inv = _inventory(tmp_path)
    db = tmp_path / "reviews.db"
    files = collect_files([inv, tmp_path / "missing.pdf"])
    progress, result = _run(iter_batch(files, jobs=2, db=str(db)))
    assert progress[-1].done == progress[-1].total == len(files)
    done = {Path(i.path).name: i for i in result.by_state("done")}
    failed = {Path(i.path).name: i.reason for i in result.by_state("failed")}
    assert set(done) == {"vendor_a.pdf", "vendor_b.docx", "vendor_c.md"}
    assert set(failed) == {"broken.pdf", "missing.pdf"}
    assert all(name in reason for name, reason in failed.items()), failed
    with open_store(db) as store:
        stored = {r.id for r in store.list_reviews()}
        assert {i.review_id for i in done.values()} == stored
        for item in done.values():
            analysis = store.get_analysis(item.review_id)
            assert analysis.document.sha256 == item.sha256
            assert len(analysis.findings) == 40
    # The same inventory again: nothing is re-analysed, the bad files are still reported.
    _, again = _run(iter_batch(files, jobs=2, db=str(db)))
    assert {Path(i.path).name for i in again.by_state("skipped")} == set(done)
    assert {Path(i.path).name for i in again.by_state("failed")} == {"broken.pdf", "missing.pdf"}
    assert again.analyses == ()


def test_one_job_and_two_jobs_agree(tmp_path: Path) -> None:
    inv = _inventory(tmp_path)
    files = [p for p in collect_files([inv]) if p.name != "broken.pdf"]
    _, one = _run(iter_batch(files, jobs=1))
    _, two = _run(iter_batch(files, jobs=2))
    status = lambda r: {(a.document.sha256, f.requirement_id, f.status) for a in r.analyses for f in a.findings}  # noqa: E731
    assert status(one) == status(two)
    assert all(a.document.text == "" for a in two.analyses), "batch results should not carry contract text"


def test_cli_batch_lists_bad_files_writes_portfolio_and_skips_on_rerun(tmp_path: Path) -> None:
    import csv
    import subprocess
    import sys

    inv = _inventory(tmp_path)
    db, portfolio = tmp_path / "r.db", tmp_path / "inventory.csv"
    cmd = [sys.executable, "-m", "contractreview", "analyze", str(inv), "--jobs", "2", "--db", str(db),
           "--portfolio", str(portfolio)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 2, first.stderr  # one bad file
    assert "3 reviewed, 0 already reviewed (skipped), 1 could not be read" in first.stdout
    errors = [line for line in first.stderr.splitlines() if line.startswith("contractreview: error:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0]
    with portfolio.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 * 40
    assert {r["document"] for r in rows} == {"vendor_a.pdf", "vendor_b.docx", "vendor_c.md"}
    assert {r["status"] for r in rows} <= {"satisfied", "weak", "missing", "needs_review"}
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert "0 reviewed, 3 already reviewed (skipped), 1 could not be read" in again.stdout


def test_pool_workers_do_not_fork_children_of_their_own(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """#13: a review's forked children use a free core; in a pool every core is already busy."""
    import os

    from contractreview import batch

    monkeypatch.setattr(batch, "_init_worker", lambda profile, library_dir: None)
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "auto")
    batch._init_pool_worker("default", None)
    assert os.environ["CONTRACTREVIEW_FORK"] == "never"
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")  # the user's explicit choice stands
    batch._init_pool_worker("default", None)
    assert os.environ["CONTRACTREVIEW_FORK"] == "always"
