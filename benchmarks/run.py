#!/usr/bin/env python3
"""ContractReview benchmark: the project's pipeline against the obvious alternatives, in one run.

    .venv/bin/python benchmarks/run.py [--reps 5] [--no-readme] [--quick]

Cases (median of --reps repetitions, each case measured in its own fresh process so peak RSS is its own):
  (a) bare pypdfium2 text extraction                          - the floor
  (b) pdfplumber extract_text() on every page + spaCy over it - the straightforward implementation
  (c) contractreview load_document
  (d) load_document + analyze, in-process (pipeline already built)
  (e) the whole `contractreview analyze --format json --no-store` process, imports included
  (f) GUI launched with the file (`contractreview-gui FILE`, offscreen Qt): the whole process, from its
      start (interpreter and Qt imports included) to the first finding shown
  (g) GUI: File > Open in a running window whose warm-up has finished: open to first finding shown
  (h) GUI: open to first finding in a window just created, before any warm-up (Qt import and
      QApplication excluded): the measure of earlier releases, kept for comparison
plus `contractreview --help`, and batch throughput with --jobs 1 vs 2.
Prints a table and writes it into README.md between the bench markers (unless --no-readme).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


# ---------------------------------------------------------------- the measured cases (run in a child)
def case_a(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars = 0
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close()
        page.close()
    pdf.close()
    return chars


_NAIVE_NLP = None


def case_b(path: Path) -> int:
    global _NAIVE_NLP
    import pdfplumber
    import spacy

    if _NAIVE_NLP is None:
        from contractreview.inflection import compile_patterns
        from contractreview.library import load_library

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("span_ruler", config={"phrase_matcher_attr": "LOWER"})
        library = load_library("default")
        wanted = {r.id for r in library.requirements_for()} | {"_common"}
        # The same cue patterns the engine uses for the default profile, run over the whole text.
        ruler.add_patterns(
            [
                {"label": p["label"], "pattern": p["pattern"]}
                for p in compile_patterns(library.all_patterns())  # lemma patterns as their phrases
                if p["label"] in wanted and not isinstance(p["pattern"], dict)
            ]
        )
        nlp.max_length = 50_000_000
        _NAIVE_NLP = nlp
    with pdfplumber.open(str(path)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    doc = _NAIVE_NLP(text)
    return len(doc.spans.get("ruler", []))


def case_c(path: Path) -> int:
    from contractreview.ingest import load_document

    return len(load_document(path).text)


def case_d(path: Path) -> int:
    from contractreview.engine import analyze
    from contractreview.ingest import load_document

    return len(analyze(load_document(path)).findings)


CASES = {"a": case_a, "b": case_b, "c": case_c, "d": case_d}


def child(case: str, path: Path, reps: int) -> None:
    fn = CASES[case]
    t0 = time.perf_counter()
    fn(path)  # warm-up: imports, pipeline build, page cache
    cold = time.perf_counter() - t0
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"median": statistics.median(times), "cold": cold, "rss_mb": rss_mb}))


def _wait_shown(window, timeout_s: float = 120.0):  # type: ignore[no-untyped-def]
    """Run the event loop (as the app does: no polling) until the window shows an analysis or fails."""
    from PySide6.QtCore import QEventLoop, QTimer

    shown: list[object] = []
    loop = QEventLoop()
    window.analysisShown.connect(lambda a: (shown.append(a), loop.quit()))
    window.openFailed.connect(lambda e: (shown.append(e), loop.quit()))
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    return shown, loop


def _settle(app, window) -> None:  # type: ignore[no-untyped-def]
    """After the measurement: let the worker wind down, then close the window (its threads are waited for)."""
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)
    window.close()
    app.processEvents()


def _report(elapsed: float, shown: list[object]) -> None:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = bool(shown) and not isinstance(shown[0], BaseException)
    print(json.dumps({"median": elapsed, "cold": elapsed, "rss_mb": rss_mb, "ok": ok}))


def child_gui_launch(path: Path, spawned: float) -> None:
    """(f): ``contractreview-gui FILE`` as a user starts it; ``spawned`` is the driver's clock at the spawn."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from contractreview.gui.app import launch, parse_args

    launched = launch(parse_args([str(path), "--db", str(Path(tempfile.mkdtemp()) / "bench.db")]))
    assert not isinstance(launched, int), f"the GUI did not start (exit {launched})"
    shown, loop = _wait_shown(launched.window)
    if not shown:
        loop.exec()
    _report(time.time() - spawned, shown)
    _settle(launched.app, launched.window)
    launched.close()


def child_gui_open(path: Path, warm: bool) -> None:
    """(g) with ``warm``, else (h): a window over a fresh store opens ``path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from contractreview.gui.app import create_window, load_user_settings
    from contractreview.store import open_store

    app = QApplication.instance() or QApplication([])
    store = open_store(Path(tempfile.mkdtemp()) / "bench.db")
    t0 = time.perf_counter()
    window = create_window(store, load_user_settings()[0])
    window.show()
    if warm:
        window.warm_up()
        deadline = time.perf_counter() + 120
        while "warm_up_frozen_objects" not in window.timings and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.01)
        t0 = time.perf_counter()
    shown, loop = _wait_shown(window)
    window.open_file(str(path))
    if not shown:
        loop.exec()
    _report(time.perf_counter() - t0, shown)
    _settle(app, window)


# ---------------------------------------------------------------- the driver
def measure(case: str, path: Path, reps: int) -> dict:
    cmd = [sys.executable, __file__, "--child", case, str(path), "--reps", str(reps), "--spawned", repr(time.time())]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=1800)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_fresh(case: str, path: Path, reps: int) -> dict:
    """Median of ``reps`` fresh processes (a GUI case measures one cold start per process)."""
    runs = [measure(case, path, 1) for _ in range(reps)]
    good = [r for r in runs if "median" in r and r.get("ok")]
    if not good:
        return runs[0] if runs and "error" in runs[0] else {"error": "no analysis was shown"}
    return {"median": statistics.median(r["median"] for r in good), "min": min(r["median"] for r in good),
            "max": max(r["median"] for r in good), "rss_mb": max(r["rss_mb"] for r in good), "runs": len(good)}


_PEAK_RSS = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def wall(cmd: list[str], reps: int) -> tuple[float, float]:
    """Median wall time of a whole command, and its own peak RSS (MB) from one extra run in a fresh parent."""
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=REPO, check=True, timeout=600)
        times.append(time.perf_counter() - t0)
    probe = subprocess.run([sys.executable, "-c", _PEAK_RSS, *cmd], capture_output=True, text=True, cwd=REPO,
                           check=True, timeout=600)
    return statistics.median(times), int(probe.stdout.strip().splitlines()[-1]) / 1024


def page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        return len(pdfium.PdfDocument(str(path)))
    from contractreview.ingest import load_document

    return len(load_document(path).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="3 repetitions, skip batch throughput")
    ap.add_argument("--no-readme", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("CASE", "FILE"), help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, default=0.0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        case, file = args.child
        if case == "f":
            child_gui_launch(Path(file), args.spawned or time.time())
        elif case in ("g", "h"):
            child_gui_open(Path(file), warm=case == "g")
        else:
            child(case, Path(file), args.reps)
        return 0
    reps = 3 if args.quick else args.reps

    from benchmarks.gen import write_docx, write_pdf

    work = Path(tempfile.mkdtemp(prefix="cr-bench-"))
    files = {
        "pdf64": write_pdf(work / "contract64.pdf", 64),
        "pdf300": write_pdf(work / "contract300.pdf", 300),
        "docx100": write_docx(work / "contract100.docx", 100),
    }
    pages = {k: page_count(p) for k, p in files.items()}
    exe = [sys.executable, "-m", "contractreview"]
    rows: list[dict] = []
    for key in ("pdf64", "pdf300", "docx100"):
        path = files[key]
        row: dict = {"file": f"{path.suffix[1:].upper()} {pages[key]} pages", "pages": pages[key]}
        for case in ("a", "b", "c", "d") if path.suffix == ".pdf" else ("c", "d"):
            row[case] = measure(case, path, reps)
            print(f"{key} ({case}) {row[case]}", flush=True)
        e, e_rss = wall([*exe, "analyze", str(path), "--format", "json", "--no-store"], reps)
        row["e"] = {"median": e, "rss_mb": e_rss}
        print(f"{key} (e) {row['e']}", flush=True)
        if key == "pdf64":
            for case in ("f", "g", "h"):
                row[case] = measure_fresh(case, path, reps)
                print(f"{key} ({case}) {row[case]}", flush=True)
        rows.append(row)
    help_s, _ = wall([*exe, "--help"], reps)

    batch = None
    if not args.quick:
        batch_dir = work / "batch"
        batch_dir.mkdir()
        for i in range(16):  # an inventory large enough that start-up (imports, pipeline) is not the story
            write_pdf(batch_dir / f"vendor{i:02d}.pdf", 30 + 2 * i)
        t1, _ = wall([*exe, "analyze", str(batch_dir), "--jobs", "1", "--no-store", "--format", "json"], 1)
        t2, _ = wall([*exe, "analyze", str(batch_dir), "--jobs", "2", "--no-store", "--format", "json"], 1)
        batch = {"files": 16, "jobs1_s": t1, "jobs2_s": t2, "speedup": t1 / t2}

    table = render(rows, help_s, batch, reps)
    print("\n" + table)
    if not args.no_readme:
        readme = REPO / "README.md"
        text = readme.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            readme.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
            print("README.md Performance section updated")
    return 0


def _fmt(cell: dict | None, key: str = "median") -> str:
    if not cell:
        return "-"
    if "error" in cell:
        return "error"
    return f"{cell[key]:.3f}"


def render(rows: list[dict], help_s: float, batch: dict | None, reps: int) -> str:
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}; median of {reps} runs; seconds.",
        "",
        "| file | (a) pypdfium2 | (b) naive | (c) load | (d) load+analyze | (e) CLI process | (f) GUI first finding | (d) pages/s | (d)/(a) | (b)/(d) | peak RSS (d) / (e) MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        d = r.get("d") or {}
        a, b = r.get("a"), r.get("b")
        ok = "median" in d
        pps = f"{r['pages'] / d['median']:.0f}" if ok else "-"
        ratio_a = f"{d['median'] / a['median']:.1f}x" if ok and a and "median" in a else "-"
        ratio_b = f"{b['median'] / d['median']:.1f}x" if ok and b and "median" in b else "-"
        e = r.get("e") or {}
        rss = (f"{d['rss_mb']:.0f}" if ok else "-") + (f" / {e['rss_mb']:.0f}" if "rss_mb" in e else "")
        lines.append(
            f"| {r['file']} | {_fmt(a)} | {_fmt(b)} | {_fmt(r.get('c'))} | {_fmt(d)} | {_fmt(r.get('e'))} "
            f"| {_fmt(r.get('f'))} | {pps} | {ratio_a} | {ratio_b} | {rss} |"
        )
    lines.append("")
    gui = next((r for r in rows if r.get("f")), None)
    if gui:
        def spread(cell: dict | None) -> str:
            if not cell or "median" not in cell:
                return _fmt(cell)
            return f"{cell['median']:.3f} s (fresh processes: {cell['min']:.3f}-{cell['max']:.3f})"

        lines.append(f"GUI on the {gui['pages']}-page PDF, median of fresh processes: (f) launched with the file, whole process "
                     f"{spread(gui.get('f'))}; (g) File > Open after the warm-up {spread(gui.get('g'))}; (h) open in a "
                     f"window just created, before any warm-up (earlier releases' (f)) {spread(gui.get('h'))}.")
    lines.append(f"`contractreview --help`: {help_s:.3f} s.")
    if batch:
        lines.append(
            f"Batch of {batch['files']} PDFs: --jobs 1 {batch['jobs1_s']:.2f} s, --jobs 2 {batch['jobs2_s']:.2f} s "
            f"(throughput x{batch['speedup']:.2f})."
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
