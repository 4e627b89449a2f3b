#!/usr/bin/env python3
"""Set up a local virtual environment from the project's own files, then run the app or the tests.

    python3 packaging/bootstrap.py run     # the app on the bundled sample contract
    python3 packaging/bootstrap.py test    # the whole test suite

Needs only Python >= 3.11 with pip. The environment lives in ``.venv`` at the repository root and is
rebuilt when ``pyproject.toml`` changes. Extra arguments are passed on (to pytest for ``test``, to
``contractreview demo`` for ``run``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".contractreview-installed"


def _bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    exe = name + (".exe" if os.name == "nt" else "")
    return VENV / sub / exe


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _pip(python: Path, args: list[str], label: str) -> None:
    """Run pip, printing one line per package it collects, so a first install is never silent."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [str(python), "-m", "pip", *args, "--progress-bar", "off", "--disable-pip-version-check"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    assert proc.stdout is not None
    collected = 0
    tail: list[str] = []
    for line in proc.stdout:
        tail = (tail + [line.rstrip()])[-30:]
        if line.startswith("Collecting "):
            collected += 1
            print(f"  [{time.monotonic() - t0:5.0f} s] {label}: {line.split()[1]}", flush=True)
        elif line.startswith("Installing collected packages"):
            print(f"  [{time.monotonic() - t0:5.0f} s] {label}: unpacking {collected} packages ...", flush=True)
    if proc.wait() != 0:
        print("\n".join(tail), file=sys.stderr)
        raise SystemExit(f"bootstrap: pip failed while {label} (exit {proc.returncode}); its last lines are above.")
    print(f"  {label}: done in {time.monotonic() - t0:.0f} s", flush=True)


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - bootstrap runs under any python3 and must say why it stops
        sys.exit(f"ContractReview needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = _bin("python")
    if STAMP.exists() and python.exists() and STAMP.read_text().strip() == _wanted_stamp():
        return python
    print(
        "First run: setting up ContractReview in .venv/ (about 1-3 minutes and about 700 MB, "
        "most of it spaCy and Qt; later runs start at once).",
        flush=True,
    )
    if not python.exists():
        print("  creating the virtual environment ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _pip(python, ["install", "--upgrade", "pip"], "updating pip")
    _pip(python, ["install", "-e", f"{ROOT}[test,gui]"], "installing ContractReview")
    STAMP.write_text(_wanted_stamp())
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    python = ensure_venv()
    env = dict(os.environ)
    if argv[0] == "run":
        cmd = [str(python), "-m", "contractreview", "demo", *argv[1:]]
    else:
        cmd = [str(python), "-m", "pytest", *argv[1:]]
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
