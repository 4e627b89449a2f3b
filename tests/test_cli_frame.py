"""The CLI frame: version text, help, and error mapping to exit code 2 with one line on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contractreview import __version__
from contractreview.cli import build_parser, main

REPO = Path(__file__).resolve().parent.parent


def test_version_names_app_and_library(capsys) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"contractreview {__version__} (clause library ")
    assert "unknown" not in out, "clause library version could not be read"


def test_every_documented_command_is_registered() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for command in ("ingest", "analyze", "eval", "library", "reviews", "store", "export", "gui", "demo"):
        assert command in sub.choices, f"`contractreview {command}` is missing"


def test_missing_file_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-contract.pdf"
    proc = subprocess.run(
        [sys.executable, "-m", "contractreview", "analyze", str(missing), "--no-store"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "no-such-contract.pdf" in lines[0]


def test_analyze_refuses_to_write_its_report_over_the_contract(tmp_path: Path) -> None:
    from contractreview.paths import sample_contract

    contract = tmp_path / "vendor.md"
    contract.write_bytes(sample_contract("md").read_bytes())
    before = contract.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "contractreview", "analyze", str(contract), "--no-store", "-o", str(contract)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 2
    assert "vendor.md" in proc.stderr and "overwrite" in proc.stderr
    assert contract.read_bytes() == before


def test_every_facade_name_is_the_function_or_class_it_names() -> None:
    import subprocess as sp

    code = (
        "import contractreview, inspect, contractreview.engine, contractreview.engine.run, contractreview.segment\n"
        "for name in contractreview.__all__[1:]:\n"
        "    obj = getattr(contractreview, name)\n"
        "    assert inspect.isfunction(obj) or inspect.isclass(obj), (name, obj)\n"
        "print('ok')\n"
    )
    proc = sp.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
