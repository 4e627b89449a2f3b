#!/usr/bin/env python3
"""Build the one-folder desktop bundle with PyInstaller, then smoke-test it from outside any venv.

    python3 packaging/build_bundle.py              # build venv (first run) + build + smoke test
    python3 packaging/build_bundle.py --skip-build # smoke-test the existing dist/contractreview
    python3 packaging/build_bundle.py --screenshot docs/screenshots/bundle-gui.png

Needs only Python >= 3.11 with pip. The build environment lives in ``build/bundle-venv`` and is
installed from the project's own ``pyproject.toml`` with the ``bundle`` extra (PyInstaller); it is
rebuilt when ``pyproject.toml`` changes. The bundle is written to ``dist/contractreview/``.

The smoke test runs the bundled programs with a PATH that holds no virtual environment, no
PYTHONPATH, a scratch working folder and scratch data/settings folders, inside a network namespace
without network when ``unshare`` allows it:

1. ``contractreview --version`` names the app and clause-library versions and the build date;
2. ``contractreview analyze <bundled sample> --format json --no-store`` prints analysis-v1 JSON with
   one finding per requirement, and the statuses equal those of the same command run from source;
3. ``contractreview-gui --offscreen-screenshot PNG <bundled sample>`` writes a non-empty screenshot;
4. a second ``contractreview-gui <sample.docx>`` launch hands the file to the running window and exits,
   and the first window reviews it (found with ``contractreview reviews list``).

Before the smoke test, ``packaging/bundle_inventory.py`` reads the built bundle: it prints the bundle's
glibc floor (the highest GLIBC symbol version any bundled file needs) next to this machine's glibc,
rewrites ``docs/bundle-contents.md`` (bundled distributions and libraries with licences, sizes, the system
libraries expected) and copies the licence texts into the bundle. The contents check fails when a module
``packaging/bundle_policy.py`` leaves out (network clients, spaCy's CLI, ...) is found in the bundle.

It prints the bundle size and timings and writes them to ``build/bundle-report.json``. Exit status is
0 only when the build and every smoke check succeed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
VENV = BUILD / "bundle-venv"
STAMP = VENV / ".contractreview-bundle-installed"
SPEC = ROOT / "packaging" / "contractreview.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "contractreview"
WORK = BUILD / "pyinstaller"
REPORT = BUILD / "bundle-report.json"
INVENTORY = BUILD / "bundle-inventory.json"
STATUSES = {"satisfied", "weak", "missing"}


def _exe(folder: Path, name: str) -> Path:
    return folder / (name + (".exe" if os.name == "nt" else ""))


def _venv_bin(name: str) -> Path:
    return _exe(VENV / ("Scripts" if os.name == "nt" else "bin"), name)


def ensure_build_venv() -> Path:
    """The build environment, installed from pyproject.toml (project + ``bundle`` extra)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit(f"ContractReview needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = _venv_bin("python")
    if STAMP.exists() and python.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists():
        print(f"Creating the build environment in {VENV.relative_to(ROOT)}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing ContractReview with the 'bundle' extra into it ...", flush=True)
    subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[bundle,gui]"])
    STAMP.write_text(wanted)
    return python


def build(python: Path) -> float:
    """Run PyInstaller on the spec; returns seconds taken."""
    make_icons = ROOT / "packaging" / "make_icons.py"
    if make_icons.exists() and not (ROOT / "resources" / "icons" / "contractreview.ico").exists():
        subprocess.check_call([str(python), str(make_icons)], cwd=ROOT)
    start = time.monotonic()
    subprocess.check_call(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
            str(SPEC),
        ],
        cwd=ROOT,
    )
    return time.monotonic() - start


def run_inventory(python: Path, report: dict) -> list[str]:  # type: ignore[type-arg]
    """Inventory of the built bundle (glibc floor, contents, licences); returns failures."""
    proc = subprocess.run(
        [str(python), str(ROOT / "packaging" / "bundle_inventory.py"), str(BUNDLE), "--json", str(INVENTORY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(proc.stdout.strip(), flush=True)
    failures = [line for line in proc.stderr.splitlines() if line.startswith("bundle_inventory:")]
    if proc.returncode != 0 and not failures:
        failures.append(f"bundle inventory failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    if INVENTORY.exists():
        inv = json.loads(INVENTORY.read_text(encoding="utf-8"))
        report["glibc_floor"] = inv["glibc_floor"]
        report["glibc_floor_files"] = inv["glibc_floor_files"]
        report["glibcxx_floor"] = inv["glibcxx_floor"]
        report["tested_on"] = f"{inv['build_machine']}, glibc {inv['build_glibc']}"
        sys.path.insert(0, str(ROOT / "packaging"))
        import bundle_policy

        found = sorted(
            {m for m in inv.get("archive_modules", []) if bundle_policy.blocked(m)}
            | {p.name for p in (BUNDLE / "_internal").iterdir() if bundle_policy.blocked(p.name.split(".")[0])}
        )
        report["left_out_modules_found"] = found
        if found:
            failures.append(f"modules the bundle must leave out are inside it: {found}")
    return failures


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def clean_env(scratch: Path) -> dict[str, str]:
    """Environment with no virtual environment or checkout reachable, and scratch user folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA"))}
    venvs = {str(VENV), str(ROOT / ".venv")}
    path_parts = [
        p
        for p in env.get("PATH", "").split(os.pathsep)
        if p and not any(p.startswith(v) for v in venvs) and "pyenv" not in p
    ]
    env["PATH"] = os.pathsep.join(path_parts or [os.defpath])
    env["CONTRACTREVIEW_DATA_DIR"] = str(scratch / "data")
    env["CONTRACTREVIEW_CONFIG_DIR"] = str(scratch / "config")
    env["HOME"] = str(scratch / "home")
    (scratch / "home").mkdir(exist_ok=True)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _offline_prefix() -> list[str]:
    """``unshare -rn`` runs a command with no network at all, when the kernel allows it."""
    unshare = shutil.which("unshare")
    if not unshare or os.name == "nt":
        return []
    try:
        ok = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return [unshare, "-rn"] if ok else []


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path.name} is not a PNG file")
    return struct.unpack(">II", head[16:24])


def _run(
    cmd: list[str], env: dict[str, str], cwd: Path, timeout: float
) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        # A hung program (e.g. a modal dialog in offscreen mode) is a failure, not a crash of this script.
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        proc = subprocess.CompletedProcess(cmd, 124, out, err + f"\n[timed out after {timeout:.0f} s]")
    return proc, time.monotonic() - start


def statuses_of(payload: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f["requirement_id"]: f["status"] for f in payload["findings"]}


def smoke_test(report: dict, screenshot: Path | None, python: Path | None) -> list[str]:  # type: ignore[type-arg]
    """Run the bundled programs; returns a list of failures (empty = all good)."""
    failures: list[str] = []
    cli = _exe(BUNDLE, "contractreview")
    gui = _exe(BUNDLE, "contractreview-gui")
    internal = BUNDLE / "_internal"
    sample = internal / "contractreview" / "resources" / "sample" / "sample_dpa.pdf"
    for needed in (cli, gui, sample, internal / "contractreview" / "clause_library"):
        if not needed.exists():
            failures.append(f"missing from the bundle: {needed.relative_to(BUNDLE)}")
    if failures:
        return failures
    # Test and development tools must not ship, nor the build machine's paths.
    dev = sorted(
        p.name
        for p in internal.iterdir()
        if p.name.split("-")[0].lower()
        in {
            "pytest",
            "_pytest",
            "pytestqt",
            "hypothesis",
            "mypy",
            "ruff",
            "pyinstrument",
            "pyinstaller",
            "atheris",
        }
    )
    leaked = [p.name for p in internal.rglob("direct_url.json")]
    checks_pre = {"ok": not dev and not leaked, "seconds": 0.0, "dev_tools": dev, "direct_url_files": leaked}
    if dev or leaked:
        failures.append(f"bundle contents: dev tools {dev}, build-path metadata {leaked}")
    offline = _offline_prefix()
    report["offline_namespace"] = bool(offline)
    checks: dict[str, dict] = {"contents": checks_pre}  # type: ignore[type-arg]
    report["checks"] = checks

    with tempfile.TemporaryDirectory(prefix="cr-bundle-smoke-") as tmp:
        scratch = Path(tmp)
        env = clean_env(scratch)

        # 1. --version
        proc, secs = _run([*offline, str(cli), "--version"], env, scratch, 120)
        text = proc.stdout.strip()
        ok = (
            proc.returncode == 0
            and text.startswith("contractreview ")
            and "clause library" in text
            and "built " in text
            and "source checkout" not in text
        )
        checks["version"] = {"ok": ok, "seconds": round(secs, 2), "output": text or proc.stderr[-500:]}
        if not ok:
            failures.append(f"--version: rc={proc.returncode} {text or proc.stderr[-500:]}")

        # 2. analyze the bundled sample (PDF and DOCX) as JSON, without the store
        for fmt in ("pdf", "docx"):
            src = internal / "contractreview" / "resources" / "sample" / f"sample_dpa.{fmt}"
            proc, secs = _run(
                [*offline, str(cli), "analyze", str(src), "--format", "json", "--no-store"], env, scratch, 600
            )
            check: dict = {"ok": False, "seconds": round(secs, 2)}  # type: ignore[type-arg]
            checks[f"analyze_{fmt}"] = check
            if proc.returncode != 0:
                failures.append(f"analyze {fmt}: rc={proc.returncode}: {proc.stderr.strip()[-800:]}")
                continue
            try:
                payload = json.loads(proc.stdout)
                found = statuses_of(payload)
            except (ValueError, KeyError, TypeError) as exc:
                failures.append(f"analyze {fmt}: output is not analysis JSON ({exc}): {proc.stdout[:300]}")
                continue
            problems = []
            if payload.get("schema") != "contractreview/analysis-v1":
                problems.append(f"schema {payload.get('schema')!r}")
            if not found:
                problems.append("no findings")
            bad = sorted({s for s in found.values() if s not in STATUSES})
            if bad:
                problems.append(f"unknown statuses {bad}")
            if payload.get("document", {}).get("format") != fmt:
                problems.append(f"document format {payload.get('document', {}).get('format')!r}")
            counts = {s: sum(1 for v in found.values() if v == s) for s in sorted(STATUSES)}
            check.update(findings=len(found), counts=counts, library_version=payload.get("library_version"))
            # The same command from source must decide every requirement the same way: a spaCy factory
            # or pattern file lost in bundling would show up here as a different status.
            if python is not None and found:
                ref = subprocess.run(
                    [
                        str(python),
                        "-m",
                        "contractreview",
                        "analyze",
                        str(ROOT / "resources" / "sample" / f"sample_dpa.{fmt}"),
                        "--format",
                        "json",
                        "--no-store",
                    ],
                    env={
                        **os.environ,
                        "CONTRACTREVIEW_DATA_DIR": env["CONTRACTREVIEW_DATA_DIR"],
                        "CONTRACTREVIEW_CONFIG_DIR": env["CONTRACTREVIEW_CONFIG_DIR"],
                    },
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                if ref.returncode == 0:
                    differ = {
                        k: (v, found.get(k))
                        for k, v in statuses_of(json.loads(ref.stdout)).items()
                        if found.get(k) != v
                    }
                    check["same_as_source"] = not differ
                    if differ:
                        problems.append(f"statuses differ from the source run (source, bundle): {differ}")
                else:
                    check["same_as_source"] = None
                    check["source_error"] = ref.stderr.strip()[-300:]
            if problems:
                failures.append(f"analyze {fmt}: " + "; ".join(problems))
            else:
                check["ok"] = True

        # 2b. exports written by the bundled CLI: the modules they import (reportlab, pypdf, python-docx)
        # are in the bundle, and nothing left out by bundle_policy is needed (#21)
        for fmt, kind, name in (("pdf", "annotated", "annotated.pdf"), ("docx", "pdf", "summary.pdf"),
                                ("docx", "docx", "summary.docx")):
            src = internal / "contractreview" / "resources" / "sample" / f"sample_dpa.{fmt}"
            out = scratch / name
            proc, secs = _run(
                [*offline, str(cli), "export", str(src), "--format", kind, "-o", str(out)], env, scratch, 600
            )
            ok = proc.returncode == 0 and out.is_file() and out.stat().st_size > 1000
            checks[f"export_{kind}_{fmt}"] = {"ok": ok, "seconds": round(secs, 2)}
            if not ok:
                failures.append(f"export {kind} of the {fmt} sample: rc={proc.returncode}: {proc.stderr.strip()[-500:]}")

        # 3. the GUI, offscreen, on the bundled sample
        shot = scratch / "bundle-gui.png"
        proc, secs = _run(
            [*offline, str(gui), "--offscreen-screenshot", str(shot), str(sample)], env, scratch, 300
        )
        check = {"ok": False, "seconds": round(secs, 2)}
        checks["gui_screenshot"] = check
        if proc.returncode != 0 or not shot.exists():
            failures.append(
                f"gui screenshot: rc={proc.returncode}, file written: {shot.exists()}: "
                f"{proc.stderr.strip()[-800:]}"
            )
        else:
            try:
                width, height = png_size(shot)
            except ValueError as exc:
                failures.append(f"gui screenshot: {exc}")
            else:
                check.update(width=width, height=height, bytes=shot.stat().st_size)
                if width < 400 or height < 300 or shot.stat().st_size < 5_000:
                    failures.append(
                        f"gui screenshot too small or empty: {width}x{height}, {shot.stat().st_size} bytes"
                    )
                else:
                    check["ok"] = True
                if screenshot is not None:
                    screenshot.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(shot, screenshot)
                    check["saved_to"] = (
                        str(screenshot.resolve().relative_to(ROOT))
                        if screenshot.resolve().is_relative_to(ROOT)
                        else screenshot.name
                    )
        # 4. single instance: a second launch hands its file to the running window and exits
        t0 = time.monotonic()
        check_si = _single_instance_check(gui, cli, internal, env, scratch)
        check_si["seconds"] = round(time.monotonic() - t0, 2)
        checks["single_instance"] = check_si
        if not check_si["ok"]:
            failures.append(f"single instance: {check_si.get('error')}")
    return failures


def _single_instance_check(gui: Path, cli: Path, internal: Path, env: dict[str, str], scratch: Path) -> dict:  # type: ignore[type-arg]
    """Start the bundled GUI, launch it again with the DOCX sample, and find that review in its store."""
    check: dict = {"ok": False}  # type: ignore[type-arg]
    if os.name == "nt":
        # Windows uses named pipes, not socket files, so "is it listening yet" cannot be seen here.
        return {"ok": True, "skipped": "not checked on Windows (named pipes)"}
    tmpdir = scratch / "si-tmp"
    tmpdir.mkdir()
    env = {**env, "TMPDIR": str(tmpdir), "CONTRACTREVIEW_DATA_DIR": str(scratch / "si-data")}
    docx = internal / "contractreview" / "resources" / "sample" / "sample_dpa.docx"
    start = time.monotonic()
    log = (scratch / "si-primary.log").open("w")
    primary = subprocess.Popen([str(gui)], env=env, cwd=scratch, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(p.is_socket() for p in tmpdir.rglob("*")):
            if primary.poll() is not None:
                check["error"] = f"first window exited with {primary.returncode}"
                return check
            time.sleep(0.2)
        else:
            if not any(p.is_socket() for p in tmpdir.rglob("*")):
                check["error"] = "first window never listened for a second launch"
                return check
        check["primary_listening_s"] = round(time.monotonic() - start, 2)
        second, secs = _run([str(gui), str(docx)], env, scratch, 60)
        check["second_launch_s"] = round(secs, 2)
        if second.returncode != 0:
            check["error"] = f"second launch exited with {second.returncode}: {second.stderr.strip()[-300:]}"
            return check
        if primary.poll() is not None:
            check["error"] = "the first window closed"
            return check
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            listing, _ = _run([str(cli), "reviews", "list", "--json"], env, scratch, 60)
            if "sample_dpa.docx" in listing.stdout:
                check["opened_in_first_window_s"] = round(time.monotonic() - start, 2)
                check["ok"] = True
                return check
            time.sleep(1)
        check["error"] = "the handed-over file was not reviewed by the first window within 120 s"
        return check
    finally:
        primary.terminate()
        try:
            primary.wait(15)
        except subprocess.TimeoutExpired:
            primary.kill()
            primary.wait()
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help="smoke-test the existing bundle only")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument(
        "--no-compare", action="store_true", help="do not compare findings with a run from source"
    )
    parser.add_argument("--screenshot", type=Path, help="also save the bundled GUI screenshot here")
    args = parser.parse_args(argv)

    report: dict = {}  # type: ignore[type-arg]
    python = ensure_build_venv()
    if not args.skip_build:
        report["build_seconds"] = round(build(python), 1)
        print(f"Built {BUNDLE.relative_to(ROOT)}/ in {report['build_seconds']:.0f} s", flush=True)
    if not BUNDLE.is_dir():
        print(f"No bundle at {BUNDLE.relative_to(ROOT)}/; run without --skip-build.", file=sys.stderr)
        return 1
    size = folder_size(BUNDLE)
    report["bundle_bytes"] = size
    report["bundle_mb"] = round(size / 1_000_000, 1)
    report["bundle_files"] = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
    print(f"Bundle size: {report['bundle_mb']} MB in {report['bundle_files']} files", flush=True)

    failures: list[str] = run_inventory(python, report)
    size = folder_size(BUNDLE)  # again: the inventory added the licence texts
    report["bundle_bytes"] = size
    report["bundle_mb"] = round(size / 1_000_000, 1)
    report["bundle_files"] = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
    print(
        f"glibc floor: {report.get('glibc_floor')} (tested on {report.get('tested_on')}); "
        f"bundle with licence texts: {report['bundle_mb']} MB in {report['bundle_files']} files",
        flush=True,
    )
    if not args.no_smoke:
        failures += smoke_test(report, args.screenshot, None if args.no_compare else python)
        for name, check in report.get("checks", {}).items():
            extra = {k: v for k, v in check.items() if k not in {"ok", "seconds"}}
            print(f"  {'PASS' if check['ok'] else 'FAIL'} {name:16} {check['seconds']:7.2f} s  {extra}")
        print(f"  offline network namespace: {'yes' if report.get('offline_namespace') else 'not available'}")
    report["failures"] = failures
    BUILD.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2, default=str) + "\n")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print("Smoke test:", "FAILED" if failures else ("skipped" if args.no_smoke else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
