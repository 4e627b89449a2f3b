"""Packaging files (#9): desktop entry, AppStream metadata, icon set, PyInstaller spec and install script.

The bundle build itself is a separate command (``python3 packaging/build_bundle.py``); these checks are
the fast part that runs with the test suite.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import stat
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import contractreview

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
ICONS = REPO / "resources" / "icons"
APP_ID = "org.contractreview.ContractReview"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _load(path: Path, name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _png_dims(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC, "not PNG data"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


# --- Linux desktop entry ---------------------------------------------------------------------------


def test_packaging_desktop_file_declares_app_and_file_types() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "ContractReview"
    assert entry["Terminal"] == "false"
    exec_words = entry["Exec"].split()
    assert exec_words[0] == "contractreview-gui"
    assert exec_words[-1] in {"%f", "%F"}  # a file handed over by "Open with"
    assert entry["Icon"] == APP_ID
    mimes = [m for m in entry["MimeType"].split(";") if m]
    assert PDF_MIME in mimes and DOCX_MIME in mimes
    assert entry["MimeType"].endswith(";") and entry["Categories"].endswith(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_packaging_desktop_file_passes_desktop_file_validate() -> None:
    proc = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "error" not in proc.stdout.lower(), proc.stdout + proc.stderr


# --- AppStream metainfo ----------------------------------------------------------------------------


def test_packaging_metainfo_is_valid_and_matches_desktop_file() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "Apache-2.0"
    assert root.findtext("name") == _desktop_entry()["Name"]
    assert root.find("description/p") is not None
    mediatypes = {m.text for m in root.findall("provides/mediatype")}
    assert {PDF_MIME, DOCX_MIME} <= mediatypes
    binaries = {b.text for b in root.findall("provides/binary")}
    assert binaries == {"contractreview", "contractreview-gui"}
    releases = [r.get("version") for r in root.findall("releases/release")]
    assert contractreview.__version__ in releases


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_packaging_metainfo_passes_appstreamcli() -> None:
    proc = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- icon set --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_packaging_icon_png_sizes_present(size: int) -> None:
    data = (ICONS / f"contractreview-{size}.png").read_bytes()
    assert _png_dims(data) == (size, size)


def test_packaging_icon_svg_is_square_artwork() -> None:
    root = ET.parse(ICONS / "contractreview.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    x, y, w, h = (float(v) for v in root.get("viewBox", "").split())
    assert (x, y) == (0, 0) and w == h
    assert len(list(root.iter())) > 5  # drawn shapes, not an empty placeholder


@pytest.fixture
def qt_gui(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """pytest-qt's QApplication, or a skip in an environment without Qt (the headless core run)."""
    pytest.importorskip("PySide6.QtSvg")
    return request.getfixturevalue("qapp")


def test_packaging_icon_png_is_not_blank(qt_gui) -> None:  # type: ignore[no-untyped-def]
    """The 64 px icon has transparent corners and opaque artwork (checked by decoding the PNG)."""
    from PySide6.QtGui import QImage

    image = QImage(str(ICONS / "contractreview-64.png"))
    assert not image.isNull()
    assert image.pixelColor(0, 0).alpha() == 0
    opaque = sum(1 for x in range(0, 64, 4) for y in range(0, 64, 4) if image.pixelColor(x, y).alpha() > 200)
    assert opaque > 40


def test_packaging_ico_holds_png_entries_16_to_256() -> None:
    data = (ICONS / "contractreview.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = set()
    for i in range(count):
        w, h, _c, _r, _planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        size = w or 256
        assert _png_dims(data[offset : offset + length]) == (size, h or 256)
        assert offset + length <= len(data) and bpp == 32
        sizes.add(size)
    assert {16, 32, 48, 256} <= sizes


def test_packaging_icns_elements_are_pngs_of_their_declared_size() -> None:
    data = (ICONS / "contractreview.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    expected = {b"icp4": 16, b"icp5": 32, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024}
    seen: dict[bytes, int] = {}
    pos = 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        assert length > 8
        seen[kind] = _png_dims(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    for kind, size in expected.items():
        assert seen.get(kind) == size, kind


def test_packaging_make_icons_writers_round_trip(qt_gui) -> None:  # type: ignore[no-untyped-def]
    make_icons = _load(PACKAGING / "make_icons.py", "_cr_make_icons")
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "contractreview.svg"))
    assert renderer.isValid()
    pngs = {s: make_icons.render_png(renderer, s) for s in (16, 48, 256)}
    ico = make_icons.ico_bytes(pngs)
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 3)
    assert ico[6] == 16 and ico[6 + 32] == 0  # 256 is written as 0
    icns = make_icons.icns_bytes([(b"icp4", pngs[16]), (b"ic08", pngs[256])])
    assert struct.unpack(">I", icns[4:8])[0] == len(icns) == 8 + 2 * 8 + len(pngs[16]) + len(pngs[256])


# --- PyInstaller spec ------------------------------------------------------------------------------


def test_packaging_spec_collects_data_and_hidden_imports() -> None:
    text = (PACKAGING / "contractreview.spec").read_text(encoding="utf-8")
    ast.parse(text)  # valid Python
    # Data shipped where contractreview.paths looks for it in a bundle (same place as the wheel).
    assert '"clause_library"), "contractreview/clause_library")' in text
    assert '"resources"), "contractreview/resources")' in text
    assert 'collect_submodules("contractreview")' in text  # CLI command modules and spaCy factories
    assert 'collect_data_files("contractreview")' in text  # data files inside the package
    assert 'collect_data_files("spacy.lang.en")' in text
    for dist in ("spacy", "thinc", "catalogue", "spacy-legacy"):
        assert f'"{dist}",' in text, f"metadata (entry points) of {dist} is not copied"
    for dev in ("pytest", "hypothesis", "mypy"):
        assert f'"{dev}"' in text.split("excludes = [", 1)[1].split("]", 1)[0]
    for entry in ("entry_cli.py", "entry_gui.py"):
        assert entry in text and (PACKAGING / entry).is_file()
    assert 'name="contractreview"' in text and 'name="contractreview-gui"' in text
    assert "CFBundleDocumentTypes" in text and "com.adobe.pdf" in text


def test_issue_9_spec_never_strips_every_library() -> None:
    """PyInstaller's strip=True breaks numpy's auditwheel-patched OpenBLAS ("not page-aligned")."""
    text = (PACKAGING / "contractreview.spec").read_text(encoding="utf-8")
    strip_args = [
        k.value
        for n in ast.walk(ast.parse(text))
        if isinstance(n, ast.Call)
        for k in n.keywords
        if k.arg == "strip"
    ]
    assert len(strip_args) == 3  # EXE, EXE, COLLECT
    assert all(isinstance(v, ast.Constant) and v.value is False for v in strip_args)
    strip_set = text.split("STRIP_PACKAGES = {", 1)[1].split("}", 1)[0]
    assert '"spacy"' in strip_set and "numpy" not in strip_set


def test_packaging_spacy_hook_keeps_english_and_drops_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """packaging/hooks/hook-spacy.py, run against stand-in PyInstaller helpers (PyInstaller is not needed)."""
    import types

    calls: dict[str, object] = {}

    def collect_submodules(package, filter=None):  # noqa: A002 - PyInstaller's own parameter name
        calls["package"], calls["filter"] = package, filter
        return ["spacy.lang.en"]

    def collect_data_files(package):
        return [
            ("a", "spacy"), ("b", "spacy/tests/lang"), ("c", "spacy/lang/de"), ("d", "spacy/lang/en"),
            ("e", "spacy/cli/templates"),
        ]

    fake = types.ModuleType("PyInstaller.utils.hooks")
    fake.collect_submodules, fake.collect_data_files = collect_submodules, collect_data_files  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", fake)
    hook = _load(PACKAGING / "hooks" / "hook-spacy.py", "_cr_hook_spacy")
    wanted = calls["filter"]
    assert calls["package"] == "spacy" and callable(wanted)
    assert wanted("spacy.lang") and wanted("spacy.lang.en") and wanted("spacy.lang.en.stop_words")
    assert wanted("spacy.lang.char_classes")  # shared by every language
    assert wanted("spacy.pipeline.span_ruler")
    assert not wanted("spacy.tests") and not wanted("spacy.tests.lang.test_initialize")
    assert not wanted("spacy.lang.de")
    # spaCy's command line (model download, projects: requests, weasel, typer) stays out (#21)
    assert not wanted("spacy.cli") and not wanted("spacy.cli.download") and wanted("spacy.cli_helpers_x")
    assert [src for src, _ in hook.datas] == ["a", "d"]


def test_packaging_bundle_data_paths_match_paths_module() -> None:
    """The spec's data destinations are the ones contractreview.paths resolves under the package."""
    from contractreview import paths

    assert paths.clause_library_dir().name == "clause_library"
    assert paths.resources_dir().name == "resources"
    assert (REPO / "clause_library").is_dir() and (REPO / "resources" / "icons").is_dir()


def test_packaging_entry_scripts_call_the_project_entry_points() -> None:
    cli = ast.parse((PACKAGING / "entry_cli.py").read_text(encoding="utf-8"))
    gui = ast.parse((PACKAGING / "entry_gui.py").read_text(encoding="utf-8"))
    cli_imports = {
        (n.module, a.name) for n in ast.walk(cli) if isinstance(n, ast.ImportFrom) for a in n.names
    }
    gui_imports = {
        (n.module, a.name) for n in ast.walk(gui) if isinstance(n, ast.ImportFrom) for a in n.names
    }
    assert ("contractreview.cli", "run") in cli_imports
    assert ("contractreview.gui.app", "main") in gui_imports
    # The same entry points as the wheel's console/gui scripts.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'contractreview = "contractreview.cli:run"' in pyproject
    assert 'contractreview-gui = "contractreview.gui.app:main"' in pyproject


def test_packaging_bundle_extra_declares_pyinstaller() -> None:
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(
        d.lower().startswith("pyinstaller") for d in data["project"]["optional-dependencies"]["bundle"]
    )


# --- build_bundle.py helpers -----------------------------------------------------------------------


def test_packaging_build_bundle_clean_env_hides_venvs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bb = _load(PACKAGING / "build_bundle.py", "_cr_build_bundle")
    venv_bin = str(REPO / ".venv" / "bin")
    monkeypatch.setenv("PATH", os.pathsep.join([venv_bin, str(bb.VENV / "bin"), "/usr/bin", "/bin"]))
    monkeypatch.setenv("VIRTUAL_ENV", str(REPO / ".venv"))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    env = bb.clean_env(tmp_path)
    assert env["PATH"].split(os.pathsep) == ["/usr/bin", "/bin"]
    assert "VIRTUAL_ENV" not in env and "PYTHONPATH" not in env
    assert env["CONTRACTREVIEW_DATA_DIR"].startswith(str(tmp_path))
    assert env["QT_QPA_PLATFORM"] == "offscreen"


def test_packaging_build_bundle_png_size_reads_header(tmp_path: Path) -> None:
    bb = _load(PACKAGING / "build_bundle.py", "_cr_build_bundle")
    assert bb.png_size(ICONS / "contractreview-48.png") == (48, 48)
    bad = tmp_path / "x.png"
    bad.write_bytes(b"GIF89a" + b"\0" * 30)
    with pytest.raises(ValueError):
        bb.png_size(bad)


# --- per-user Linux install ------------------------------------------------------------------------


def _fake_bundle(root: Path) -> Path:
    """A stand-in one-folder bundle: two executables that print their name, plus the icons."""
    bundle = root / "bundle"
    (bundle / "_internal" / "contractreview" / "resources").mkdir(parents=True)
    shutil.copytree(ICONS, bundle / "_internal" / "contractreview" / "resources" / "icons")
    for name in ("contractreview", "contractreview-gui"):
        exe = bundle / name
        exe.write_text(f'#!/bin/sh\necho {name} "$@"\n')
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return bundle


@pytest.mark.skipif(os.name == "nt" or shutil.which("sh") is None, reason="POSIX shell script")
def test_packaging_install_user_installs_and_uninstalls_under_home(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    script = LINUX / "install-user.sh"
    proc = subprocess.run(
        ["sh", str(script), str(bundle)], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    local = home / ".local"
    lib = local / "lib" / "contractreview"
    assert (lib / "contractreview-gui").is_file()
    out = subprocess.run([str(local / "bin" / "contractreview"), "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == "contractreview --version"
    desktop = (local / "share" / "applications" / DESKTOP.name).read_text()
    assert f'Exec="{lib}/contractreview-gui" %f' in desktop
    assert DOCX_MIME in desktop
    assert (local / "share" / "metainfo" / METAINFO.name).is_file()
    icon = local / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png"
    assert _png_dims(icon.read_bytes()) == (48, 48)
    assert not list(tmp_path.glob("home/.local/lib/*.new"))
    # Nothing outside HOME was written: the fake bundle is untouched and no other folder appeared.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "home"]

    proc = subprocess.run(
        ["sh", str(script), "--uninstall"], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert not lib.exists() and not (local / "bin" / "contractreview").exists()
    assert not (local / "share" / "applications" / DESKTOP.name).exists()
    assert not icon.exists()


@pytest.mark.skipif(os.name == "nt" or shutil.which("sh") is None, reason="POSIX shell script")
def test_packaging_install_user_refuses_missing_bundle(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    proc = subprocess.run(
        ["sh", str(LINUX / "install-user.sh"), str(tmp_path / "nope")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "no bundle" in proc.stderr
    assert not (tmp_path / ".local" / "lib").exists()


# --- Windows and macOS recipes ---------------------------------------------------------------------


def test_packaging_windows_installer_is_per_user_with_associations() -> None:
    iss = (PACKAGING / "windows" / "contractreview.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "ChangesAssociations=yes" in iss
    assert r"Software\Classes\.pdf\OpenWithProgids" in iss
    assert r"Software\Classes\.docx\OpenWithProgids" in iss
    assert "HKLM" not in iss  # never machine-wide
    assert f'#define AppVersion "{contractreview.__version__}"' in iss
    assert "contractreview.ico" in iss and (ICONS / "contractreview.ico").is_file()
    readme = (PACKAGING / "windows" / "README.md").read_text(encoding="utf-8")
    assert "signtool sign" in readme and "build_bundle.py" in readme


def test_packaging_macos_recipe_documents_types_signing_and_notarisation() -> None:
    readme = (PACKAGING / "macos" / "README.md").read_text(encoding="utf-8")
    for needle in (
        "CFBundleDocumentTypes",
        "com.adobe.pdf",
        "org.openxmlformats.wordprocessingml.document",
        "codesign",
        "notarytool",
        "stapler",
        "~/Applications",
    ):
        assert needle in readme, needle
    plist = ET.parse(PACKAGING / "macos" / "entitlements.plist").getroot()
    assert plist.tag == "plist"
