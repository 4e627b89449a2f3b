"""Layering rules from STYLE.md, checked on the real modules (not by grepping)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "contractreview"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _core_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


def test_only_the_gui_imports_qt() -> None:
    offenders = [str(p.relative_to(REPO)) for p in _core_files() if {"PySide6", "shiboken6"} & _imports(p)]
    assert offenders == []


def test_only_the_cli_imports_argparse() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for p in _core_files()
        if "argparse" in _imports(p) and "cli" not in p.relative_to(PACKAGE).parts
    ]
    assert offenders == []


def test_domain_has_no_third_party_imports() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    assert _imports(PACKAGE / "domain.py") - allowed == set()


_WITHOUT_QT = r"""
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6"}:
            raise ImportError("PySide6 is not installed (simulated)")
        return None
sys.meta_path.insert(0, BlockQt())
from contractreview.pipeline import review
from contractreview.paths import sample_contract
analysis = review(sample_contract("md"))
assert analysis.findings, "no findings"
assert not any(m.split(".")[0] == "PySide6" for m in sys.modules)
print(len(analysis.findings))
"""


def test_core_runs_without_pyside6() -> None:
    """Ingest + analysis of the sample contract with PySide6 made unimportable (the headless install)."""
    proc = subprocess.run(
        [sys.executable, "-c", _WITHOUT_QT], capture_output=True, text=True, timeout=180, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert int(proc.stdout.strip().splitlines()[-1]) >= 40


def test_issue_17_the_gui_does_not_import_the_cli() -> None:
    """The About box used to import ``contractreview.cli`` (argparse and every command) for one line."""
    offenders = []
    for path in (PACKAGE / "gui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and (
                (node.level == 2 and node.module.split(".")[0] == "cli")
                or (node.level == 0 and node.module.startswith("contractreview.cli"))
            ):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []
