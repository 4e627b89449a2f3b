"""Issue #21: what the desktop bundle leaves out, its glibc floor, and the runtime dependencies.

The bundle build itself is not part of the suite (it needs its own venv and minutes); these tests check
the pieces it relies on: the exclusion policy (the app works with every left-out module unimportable),
the ELF reader that finds the glibc floor, and the generated inventory the docs quote.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import platform
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SAMPLE = ROOT / "resources" / "sample"


def _load(path: Path, name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def policy():  # type: ignore[no-untyped-def]
    return _load(PACKAGING / "bundle_policy.py", "_cr_bundle_policy")


@pytest.fixture(scope="module")
def elfinfo():  # type: ignore[no-untyped-def]
    return _load(PACKAGING / "elfinfo.py", "_cr_elfinfo")


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower() for r in requirements}


def test_issue_21_runtime_dependencies_leave_out_pdfplumber_and_qt() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _names(project["dependencies"])
    assert "pypdfium2" in runtime
    assert not runtime & {"pdfplumber", "pdfminer.six", "pyside6", "pyside6-essentials"}
    # pypdf reads and re-encrypts AES-protected PDFs through cryptography, which pdfminer used to bring.
    assert any(r.replace(" ", "").startswith("pypdf[crypto]") for r in project["dependencies"])
    extras = project["optional-dependencies"]
    assert "pdfplumber" in _names(extras["test"])  # the tests' independent PDF reader
    assert "pyside6-essentials" in _names(extras["gui"])
    # No module of the app imports the former fallback.
    for path in (ROOT / "contractreview").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [node.module or ""]
            else:
                continue
            assert not [m for m in mods if m.split(".")[0] in {"pdfplumber", "pdfminer"}], path


def test_issue_21_policy_leaves_out_network_clients_and_spacy_cli(policy) -> None:  # type: ignore[no-untyped-def]
    for name in (
        "requests",
        "urllib3",
        "httpx",
        "certifi",
        "requests.adapters",
        "spacy.cli",
        "spacy.cli.download",
        "weasel",
        "typer",
        "pdfplumber",
        "pdfminer.high_level",
        "ssl",
        "readline",
    ):
        assert policy.blocked(name), name
    for name in (
        "spacy",
        "spacy.lang.en",
        "spacy_legacy",
        "thinc",
        "pypdfium2",
        "pypdf",
        "cryptography",
        "docx",
        "reportlab",
        "sqlite_utils",
        "click",
        "PySide6.QtWidgets",
        "PySide6.QtNetwork",
        "PySide6.QtPrintSupport",
        "requestsx",
        "contractreview.cli",
    ):
        assert not policy.blocked(name), name


def test_issue_21_policy_keeps_the_qt_plugins_the_app_loads(policy) -> None:  # type: ignore[no-untyped-def]
    qt = "PySide6/Qt/"
    for dest in (
        "plugins/platforms/libqxcb.so",
        "plugins/platforms/libqwayland.so",
        "plugins/platforms/libqoffscreen.so",
        "plugins/iconengines/libqsvgicon.so",
        "plugins/imageformats/libqsvg.so",
        "plugins/printsupport/libcupsprintersupport.so",
        "plugins/platformthemes/libqxdgdesktopportal.so",
        "plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "lib/libQt6Core.so.6",
        "lib/libQt6Network.so.6",
        "lib/libicudata.so.73",
    ):
        assert policy.keep_qt_file(qt + dest), dest
    for dest in (
        "plugins/platforms/libqvnc.so",
        "plugins/platforms/libqeglfs.so",
        "plugins/platforms/libqlinuxfb.so",
        "plugins/tls/libqopensslbackend.so",
        "plugins/networkinformation/libqnetworkmanager.so",
        "plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
        "plugins/generic/libqevdevmouseplugin.so",
        "plugins/imageformats/libqtiff.so",
        "translations/qtbase_de.qm",
        "lib/libQt6EglFSDeviceIntegration.so.6",
    ):
        assert not policy.keep_qt_file(qt + dest), dest
    # Other platforms' plugins stay (the same spec builds the Windows and macOS bundles).
    for dest in (
        "plugins/platforms/libqcocoa.dylib",
        "plugins/styles/libqmacstyle.dylib",
        "plugins/imageformats/libqsvg.dylib",
    ):
        assert policy.keep_qt_file(qt + dest), dest
    assert not policy.keep_qt_file(qt + "plugins/imageformats/libqjpeg.dylib")
    # PyInstaller's top-level link to a dropped Qt library goes with it; other packages are untouched.
    assert not policy.keep_qt_file("libQt6EglFSDeviceIntegration.so.6")
    assert policy.keep_qt_file("numpy.libs/libscipy_openblas64_.so") and policy.keep_qt_file(
        "translations/x.qm"
    )


def test_issue_21_policy_takes_desktop_and_cxx_runtime_from_the_system(policy) -> None:  # type: ignore[no-untyped-def]
    for soname in (
        "libX11.so.6",
        "libxcb-icccm.so.4",
        "libxkbcommon-x11.so.0",
        "libEGL.so.1",
        "libGL.so.1",
        "libfontconfig.so.1",
        "libdbus-1.so.3",
        "libglib-2.0.so.0",
        "libwayland-client.so.0",
        "libstdc++.so.6",
        "libgcc_s.so.1",
        "libexpat.so.1",
    ):
        assert policy.from_users_system(soname), soname
    for soname in ("libzstd.so.1", "libsqlite3.so.0", "libffi.so.8", "libcrypto.so.3", "libgssapi_krb5.so.2"):
        assert not policy.from_users_system(soname), soname
    assert policy.is_system_library("/usr/lib/x86_64-linux-gnu/libX11.so.6")
    assert not policy.is_system_library("/opt/venv/lib/python3.11/site-packages/numpy.libs/libgfortran.so")
    assert not policy.is_system_library("/usr/lib/python3/dist-packages/PySide6/Qt/lib/libQt6Core.so.6")
    assert policy.bundle_root("libpython3.11.so.1.0") and policy.bundle_root("python3.11/lib-dynload/_ssl.so")
    assert policy.bundle_root("PySide6/Qt/lib/libQt6Network.so.6") and policy.bundle_root(
        "PySide6/QtCore.abi3.so"
    )
    assert not policy.bundle_root("PySide6/Qt/plugins/platformthemes/libqgtk3.so")


def test_issue_21_spec_applies_the_policy() -> None:
    text = (PACKAGING / "contractreview.spec").read_text(encoding="utf-8")
    tree = ast.parse(text)
    excludes = next(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "excludes" for t in n.targets)
    )
    assert isinstance(excludes, ast.List)
    assert any(
        isinstance(e, ast.Starred) and ast.unparse(e.value) == "bundle_policy.EXCLUDED_MODULES"
        for e in excludes.elts
    )
    assert "bundle_policy.keep_qt_file" in text and "bundle_policy.from_users_system" in text
    # pdfplumber's metadata is no longer copied into the bundle
    assert '"pdfplumber"' not in text and '"pdfminer.six"' not in text


_BLOCKED_RUN = textwrap.dedent(
    """
    import importlib, importlib.abc, json, os, pkgutil, sys
    sys.path.insert(0, {packaging!r})
    import bundle_policy

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if bundle_policy.blocked(name):
                raise ModuleNotFoundError(f"left out of the bundle: {{name}}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    try:
        import requests  # noqa: F401 - installed in the test environment (through spaCy)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("the blocker does not work")

    import contractreview
    from contractreview.cli import main

    failed = []
    for mod in pkgutil.walk_packages(contractreview.__path__, "contractreview."):
        if mod.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(mod.name)
        except Exception as exc:
            failed.append(f"{{mod.name}}: {{exc!r}}")
    if failed:
        raise SystemExit("imports fail without the left-out modules: " + "; ".join(failed))
    out = sys.argv[1]
    codes = {{}}
    codes["analyze_pdf"] = main(["analyze", {pdf!r}, "--format", "json", "-o", os.path.join(out, "a.json")])
    codes["analyze_docx"] = main(["analyze", {docx!r}, "--format", "json", "--no-store"])
    for fmt, suffix in (("docx", "docx"), ("pdf", "pdf"), ("html", "html"), ("md", "md"), ("csv", "csv"),
                        ("json", "json"), ("annotated", "pdf"), ("request", "docx")):
        # review 1 is the stored PDF analysis: the annotated copy searches its quotes on the page
        codes[fmt] = main(["export", "1", "--format", fmt, "-o", os.path.join(out, f"export-{{fmt}}.{{suffix}}")])
    from contractreview.gui.app import main as gui_main
    codes["gui"] = gui_main(["--offscreen-screenshot", os.path.join(out, "gui.png"), {docx!r}])
    print(json.dumps({{"codes": codes, "left_out_loaded": sorted(m for m in sys.modules if bundle_policy.blocked(m))}}))
    """
)


@pytest.mark.slow
def test_issue_21_app_runs_without_the_modules_the_bundle_leaves_out(tmp_path: Path) -> None:
    """Every app module imports, and analyze, every export and the GUI work, with the left-out modules
    (network clients, spaCy's CLI, pdfplumber, ssl, readline, unused Qt bindings) unimportable."""
    pytest.importorskip("PySide6.QtWidgets")
    script = tmp_path / "run.py"
    script.write_text(
        _BLOCKED_RUN.format(
            packaging=str(PACKAGING), pdf=str(SAMPLE / "sample_dpa.pdf"), docx=str(SAMPLE / "sample_dpa.docx")
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    env = {
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("CONTRACTREVIEW_")},
        "CONTRACTREVIEW_DATA_DIR": str(tmp_path / "data"),
        "CONTRACTREVIEW_CONFIG_DIR": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.run(
        [sys.executable, str(script), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["left_out_loaded"] == []
    assert result["codes"] == {k: 0 for k in result["codes"]}, result["codes"]
    assert len(result["codes"]) == 11
    for name in (
        "a.json",
        "export-docx.docx",
        "export-pdf.pdf",
        "export-annotated.pdf",
        "export-request.docx",
        "gui.png",
    ):
        assert (out / name).stat().st_size > 500, name
    # the annotated copy of the stored review (no boxes) holds highlights placed by the pypdfium2 search
    from pypdf import PdfReader

    highlights = [
        a.get_object()["/Subtype"]
        for page in PdfReader(str(out / "export-annotated.pdf")).pages
        for a in (page.get("/Annots") or [])
    ].count("/Highlight")
    assert highlights >= 5


def _objdump(path: Path) -> tuple[list[str], set[str]]:
    text = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"NEEDED\s+(\S+)", text), set(re.findall(r"0x[0-9a-f]+ 0x\d\d \d+ (\S+)", text))


def _sample_elves() -> list[Path]:
    import pypdfium2_raw

    dynload = Path(importlib.util.find_spec("_ctypes").origin)  # type: ignore[arg-type, union-attr]
    pdfium = next(Path(pypdfium2_raw.__file__).parent.glob("*.so*"))
    return [Path(sys.executable).resolve(), dynload, pdfium]


@pytest.mark.skipif(shutil.which("objdump") is None, reason="binutils' objdump is not installed")
def test_issue_21_elf_reader_agrees_with_objdump(elfinfo) -> None:  # type: ignore[no-untyped-def]
    for path in _sample_elves():
        info = elfinfo.read_elf(path)
        needed, versions = _objdump(path)
        assert list(info.needed) == needed, path
        assert set().union(*info.versions.values()) == versions, path


def test_issue_21_glibc_floor_is_read_from_symbol_versions(elfinfo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    infos = [elfinfo.read_elf(p) for p in _sample_elves()]
    assert all(i is not None and "libc.so.6" in i.versions for i in infos)
    floor, files = elfinfo.glibc_floor(infos)
    running = tuple(int(p) for p in platform.libc_ver()[1].split("."))
    # Files that run here cannot ask for a newer glibc than this one, and every x86-64/aarch64 file asks
    # for at least the architecture's first version.
    assert (2, 2) <= floor <= running and files
    assert elfinfo.version_text(floor) == ".".join(map(str, floor))
    (tmp_path / "not-elf.so").write_bytes(b"#!/bin/sh\n")
    assert elfinfo.read_elf(tmp_path / "not-elf.so") is None
    fake = elfinfo.ElfInfo(
        tmp_path / "x",
        None,
        ("libc.so.6",),
        {"libc.so.6": frozenset({"GLIBC_2.17", "GLIBC_2.34", "GLIBC_PRIVATE"})},
    )
    assert fake.version_floor() == (2, 34)
    assert elfinfo.glibc_floor([fake])[0] == (2, 34)


def test_issue_21_docs_state_the_floor_and_contents_the_build_recorded() -> None:
    """docs/bundle-contents.md is written by the bundle build; README and packaging.md quote its floor and
    size, and it lists no network client."""
    contents = (ROOT / "docs" / "bundle-contents.md").read_text(encoding="utf-8")
    assert "Generated by `packaging/bundle_inventory.py`" in contents
    floor = re.search(r"\*\*glibc floor: (\d+\.\d+)\*\*", contents)
    size = re.search(r"\*\*(\d+\.\d) MB\*\* in \d+ files", contents)
    assert floor and size
    assert float(size.group(1)) <= 300.0
    distributions = {
        row.split("|")[1].strip().lower()
        for row in contents.split("## Python distributions", 1)[1].split("\n## ", 1)[0].splitlines()
        if row.startswith("| ") and not row.startswith("| distribution")
    }
    assert {"spacy", "pyside6_essentials", "pypdfium2"} <= distributions
    assert not distributions & {
        "requests",
        "urllib3",
        "httpx",
        "certifi",
        "pdfplumber",
        "pdfminer.six",
        "weasel",
    }
    for doc in ("README.md", "docs/packaging.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert f"glibc {floor.group(1)}" in text, doc
