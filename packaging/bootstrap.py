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


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"ContractReview needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = _bin("python")
    if STAMP.exists() and python.exists() and STAMP.read_text().strip() == _wanted_stamp():
        return python
    if not python.exists():
        print(f"Creating a virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing ContractReview and its test tools (first run only) ...", flush=True)
    subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
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
