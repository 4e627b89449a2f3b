"""The wheel built from the project's own files carries the clause library and resources."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_clause_library_and_resources(tmp_path: Path) -> None:
    # Without isolation when hatchling is already here (fast, offline); otherwise pip fetches it from PyPI.
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheels = list(tmp_path.glob("contractreview-*.whl"))
    assert len(wheels) == 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    repo_library = sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "clause_library").rglob("*") if p.is_file()
    )
    assert repo_library, "clause_library/ is empty"
    for rel in repo_library:
        assert f"contractreview/{rel}" in names, f"{rel} missing from the wheel"
    for ext in ("pdf", "docx", "md"):
        assert f"contractreview/resources/sample/sample_dpa.{ext}" in names
    assert not any(n.startswith("tests/") for n in names), "tests must not ship in the wheel"
    # The learned grader's artifact (issue #14): JSON beside its module, never a pickle.
    assert "contractreview/engine/grader.json" in names
    assert not any(n.endswith((".pkl", ".pickle")) for n in names)
