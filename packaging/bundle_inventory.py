"""List what the built bundle holds and needs, from the bundle itself: run by build_bundle.py after a build.

    build/bundle-venv/bin/python packaging/bundle_inventory.py [dist/contractreview] [--docs docs/bundle-contents.md]

It reads every ELF file of the bundle (``packaging/elfinfo.py``) for the glibc floor and the system
libraries the bundle expects, maps bundled files and Python modules to the distributions installed in
the build environment (their RECORD files and metadata give names, versions and licences), copies each
bundled distribution's licence files into ``<bundle>/licenses/``, and writes the Markdown inventory
(``docs/bundle-contents.md``) and ``build/bundle-inventory.json``. Nothing in the inventory is written by
hand except the licences of the few libraries the Python runtime brings from the build machine
(``RUNTIME_LIBRARIES``); a bundled library missing from that table fails the build's contents check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from elfinfo import elf_files, glibc_floor, version_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Libraries the Python runtime and Qt link, copied from the build machine (not from a wheel): soname
# prefix -> (project, licence). The only hand-kept facts here; a bundled library not covered is reported.
RUNTIME_LIBRARIES = {
    "libpython3": ("CPython", "PSF-2.0"),
    "libcrypto.so": ("OpenSSL 3 (hashlib)", "Apache-2.0"),
    "libffi.so": ("libffi (ctypes)", "MIT"),
    "libsqlite3.so": ("SQLite (sqlite3)", "blessing (public domain)"),
    "libz.so": ("zlib", "Zlib"),
    "libbz2.so": ("bzip2 (bz2)", "bzip2-1.0.6"),
    "liblzma.so": ("XZ Utils liblzma (lzma)", "public domain / 0BSD"),
    "libuuid.so": ("util-linux libuuid (uuid)", "BSD-3-Clause"),
    "libmpdec.so": ("mpdecimal (decimal)", "BSD-2-Clause"),
    "libtinfo.so": ("ncurses terminfo", "X11 (MIT-style)"),
    "libncursesw.so": ("ncurses", "X11 (MIT-style)"),
    # What Qt's own libraries link (QtCore: zstd; QtNetwork: brotli, Kerberos GSS-API).
    "libzstd.so": ("Zstandard (Qt)", "BSD-3-Clause OR GPL-2.0-only"),
    "libbrotlicommon.so": ("Brotli (QtNetwork)", "MIT"),
    "libbrotlidec.so": ("Brotli (QtNetwork)", "MIT"),
    "libgssapi_krb5.so": ("MIT Kerberos (QtNetwork)", "MIT"),
    "libkrb5.so": ("MIT Kerberos", "MIT"),
    "libk5crypto.so": ("MIT Kerberos", "MIT"),
    "libkrb5support.so": ("MIT Kerberos", "MIT"),
    "libcom_err.so": ("e2fsprogs com_err (Kerberos)", "MIT"),
    "libkeyutils.so": ("keyutils (Kerberos)", "LGPL-2.1-or-later"),
}
# Provided by the C library itself; never bundled, never "missing".
GLIBC_SONAMES = frozenset(
    {
        "libc.so.6",
        "libm.so.6",
        "libdl.so.2",
        "libpthread.so.0",
        "librt.so.1",
        "libutil.so.1",
        "libresolv.so.2",
        "libcrypt.so.1",
        "ld-linux-x86-64.so.2",
        "ld-linux-aarch64.so.1",
        "libnsl.so.1",
        "libanl.so.1",
    }
)
_LICENSE_CLASSIFIER = re.compile(r"^License :: (?:OSI Approved :: )?(.+)$")


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression")
    if expr:
        return expr.strip()
    classifiers = [
        m.group(1) for c in meta.get_all("Classifier") or [] if (m := _LICENSE_CLASSIFIER.match(c))
    ]
    text = (meta.get("License") or "").strip()
    if text and len(text) <= 60 and "\n" not in text:
        return text
    if classifiers:
        return "; ".join(classifiers)
    return text.splitlines()[0][:60] if text else "unknown"


def _file_owners() -> dict[str, metadata.Distribution]:
    """site-packages-relative path -> distribution, from every installed distribution's RECORD."""
    owners: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        for f in dist.files or ():
            owners[str(f).replace("\\", "/")] = dist
    return owners


def _modules_in_archives(bundle: Path) -> set[str]:
    """Top-level module names inside the programs' Python archives (PYZ)."""
    try:
        from PyInstaller.archive.readers import pkg_archive_contents
    except ImportError:  # pragma: no cover - run outside the build venv
        return set()
    names: set[str] = set()
    for exe in ("contractreview", "contractreview-gui", "contractreview.exe", "contractreview-gui.exe"):
        if (bundle / exe).is_file():
            try:
                names |= {n.split(".")[0] for n in pkg_archive_contents(str(bundle / exe))}
            except Exception:  # noqa: BLE001 - an unreadable archive leaves the list to the folders
                continue
    return names


def _size(paths: Iterable[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink())


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}"


def inventory(bundle: Path) -> dict:  # type: ignore[type-arg]
    internal = bundle / "_internal"
    infos = list(elf_files(bundle))
    floor, floor_files = glibc_floor(infos)
    present = {p.name for p in bundle.rglob("*")}
    owners = _file_owners()

    # --- files -> distributions -------------------------------------------------------------------
    files = [p for p in internal.rglob("*") if p.is_file() and not p.is_symlink()]
    by_dist: dict[str, list[Path]] = defaultdict(list)
    unowned: list[Path] = []
    for p in files:
        rel = p.relative_to(internal).as_posix()
        dist = owners.get(rel)
        if dist is None and rel.endswith(".pyc"):
            dist = owners.get(rel[:-1])
        if dist is not None:
            by_dist[dist.metadata["Name"]].append(p)
        else:
            unowned.append(p)
    dists = {d.metadata["Name"]: d for d in metadata.distributions()}
    top_to_dist = metadata.packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    modules = _modules_in_archives(bundle) | {
        p.name.split(".")[0]
        for p in internal.iterdir()
        if p.is_dir() and not p.name.endswith((".dist-info", ".libs"))
    }
    bundled_dists: set[str] = set(by_dist)
    for mod in modules:
        if mod in stdlib or mod.startswith("_"):
            continue
        for name in top_to_dist.get(mod, ()):
            bundled_dists.add(name)
    bundled_dists.discard("contractreview")
    python = []
    for name in sorted(bundled_dists, key=str.lower):
        dist = dists.get(name)
        if dist is None:
            continue
        python.append(
            {
                "name": name,
                "version": dist.version,
                "licence": _licence(dist),
                "bytes_on_disk": _size(by_dist.get(name, ())),
            }
        )

    # --- native libraries ---------------------------------------------------------------------------
    runtime_libs = []
    unknown_libs = []
    for info in infos:
        rel = info.path.relative_to(bundle).as_posix()
        if rel.startswith("_internal/") and rel.count("/") == 1 and ".so" in info.path.name:
            if (
                owners.get(info.path.name) is not None
                or info.path.name.endswith(".abi3.so")
                or ".cpython-" in info.path.name
            ):
                continue
            match = next((v for k, v in RUNTIME_LIBRARIES.items() if info.path.name.startswith(k)), None)
            entry = {"file": info.path.name, "bytes": info.path.stat().st_size}
            if match:
                entry.update(project=match[0], licence=match[1])
                runtime_libs.append(entry)
            else:
                unknown_libs.append(entry)
    vendored: dict[str, dict] = {}  # type: ignore[type-arg]
    for info in infos:
        rel = info.path.relative_to(internal).as_posix() if info.path.is_relative_to(internal) else ""
        if "/" not in rel:
            continue
        folder = rel.rsplit("/", 1)[0]
        if not (folder.endswith(".libs") or folder in {"PySide6/Qt/lib", "pypdfium2_raw"}):
            continue
        dist = owners.get(rel)
        slot = vendored.setdefault(
            folder, {"distribution": dist.metadata["Name"] if dist else "?", "files": []}
        )
        slot["files"].append(info.path.name)

    # --- what the system must provide ----------------------------------------------------------------
    needers: dict[str, set[str]] = defaultdict(set)
    for info in infos:
        for lib in info.needed:
            if lib not in present and lib not in GLIBC_SONAMES:
                needers[lib].add(info.path.relative_to(bundle).as_posix())
    system = []
    try:
        from contractreview.gui.preflight import PACKAGES
    except Exception:  # noqa: BLE001 - the names of packages are a convenience
        PACKAGES = {}
    for lib in sorted(needers, key=str.lower):
        users = sorted(needers[lib])
        system.append(
            {
                "library": lib,
                "when": _when(users),
                "needed_by": [Path(u).name for u in users][:4] + (["…"] if len(users) > 4 else []),
                "debian": PACKAGES.get(lib, ("", ""))[0],
                "fedora": PACKAGES.get(lib, ("", ""))[1],
            }
        )
    cxx = max((v for i in infos if (v := i.version_floor("GLIBCXX"))), default=None)

    # --- sizes ----------------------------------------------------------------------------------------
    total = _size(bundle.rglob("*"))
    group = {
        "PySide6_Essentials": "Qt and PySide6 (PySide6-Essentials, shiboken6)",
        "shiboken6": "Qt and PySide6 (PySide6-Essentials, shiboken6)",
    }
    owner_of = {p: name for name, paths in by_dist.items() for p in paths}
    components: dict[str, int] = defaultdict(int)
    for p in bundle.rglob("*"):
        if not p.is_file() or p.is_symlink():
            continue
        rel = p.relative_to(bundle).parts
        if len(rel) == 1:
            key = f"program `{rel[0]}` (with its compressed Python modules)"
        elif rel[0] == "licenses":
            key = "licence texts"
        elif p in owner_of:
            key = group.get(owner_of[p], owner_of[p])
        elif rel[1].startswith(("libpython", "python3", "base_library")):
            key = "Python runtime (libpython, extension modules, base library)"
        elif rel[1].endswith(".dist-info"):
            key = "package metadata"
        elif rel[1] == "contractreview":
            key = "contractreview data (clause library, resources)"
        elif len(rel) == 2 and ".so" in rel[1]:
            key = "libraries copied from the build machine (Python runtime, Qt)"
        else:
            key = f"other ({rel[1]})"
        components[key] += p.stat().st_size

    return {
        "generated": datetime.now(UTC).strftime("%Y-%m-%d"),
        "build_machine": _os_name(),
        "build_glibc": platform.libc_ver()[1] or "unknown",
        "bundle_bytes": total,
        "bundle_files": sum(1 for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()),
        "components": dict(sorted(components.items(), key=lambda kv: -kv[1])),
        "glibc_floor": version_text(floor),
        "glibc_floor_files": sorted(p.relative_to(bundle).as_posix() for p in floor_files),
        "glibcxx_floor": version_text(cxx),
        "python_distributions": python,
        "runtime_libraries": runtime_libs,
        "unknown_libraries": unknown_libs,
        "vendored_libraries": vendored,
        "system_libraries": system,
        "unowned_files": len(unowned),
        "archive_modules": sorted(_modules_in_archives(bundle)),
    }


def _when(users: list[str]) -> str:
    """Which part of the app stops working without the library (from the files that need it)."""
    plugin_users = [u for u in users if "/Qt/plugins/" in u]
    if len(plugin_users) < len(users):
        core = [u for u in users if u not in plugin_users]
        if any("PySide6" not in u and "XcbQpa" not in u and "Wayland" not in u for u in core):
            return "every program"
        if all("XcbQpa" in u for u in core):
            return "desktop window on X11"
        if all("Wayland" in u for u in core):
            return "desktop window on Wayland"
        return "desktop window"
    kinds = sorted({u.split("/Qt/plugins/")[1].split("/")[0] for u in plugin_users})
    if kinds == ["platforms"] and all("qxcb" in u for u in plugin_users):
        return "desktop window on X11"
    if kinds == ["xcbglintegrations"] or set(kinds) <= {"platforms", "xcbglintegrations"}:
        return "desktop window on X11"
    if all(k.startswith("wayland") for k in kinds) or kinds == ["platforms"]:
        return "desktop window on Wayland"
    return "optional: Qt plugin " + ", ".join(kinds) + " (skipped when missing)"


def _os_name() -> str:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return platform.platform()
    m = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', text, re.MULTILINE)
    return m.group(1) if m else platform.platform()


def copy_licences(bundle: Path, inv: dict) -> int:  # type: ignore[type-arg]
    """Copy each bundled distribution's licence files to ``<bundle>/licenses/<name>/``; returns how many."""
    target = bundle / "licenses"
    shutil.rmtree(target, ignore_errors=True)
    copied = 0
    for entry in inv["python_distributions"]:
        dist = metadata.distribution(entry["name"])
        for f in dist.files or ():
            name = f.name.lower()
            if "licen" in str(f).lower() or name.startswith(("copying", "notice", "authors")):
                src = Path(f.locate())
                if src.is_file():
                    dest = target / entry["name"] / f.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dest)
                    copied += 1
        if not (target / entry["name"]).is_dir() and "LGPL-3.0" in entry["licence"]:
            # PySide6's and shiboken6's wheels carry no licence files: ship the LGPL-3.0 and the GPL-3.0
            # it builds on (packaging/licenses/), as the LGPL requires.
            for text in sorted((ROOT / "packaging" / "licenses").glob("*GPL-3.0.txt")):
                dest = target / entry["name"] / text.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(text, dest)
                copied += 1
    return copied


def markdown(inv: dict) -> str:  # type: ignore[type-arg]
    lines = [
        "# What the Linux bundle contains",
        "",
        "Generated by `packaging/bundle_inventory.py` from the built `dist/contractreview/` "
        f"({inv['generated']}, built on {inv['build_machine']}, glibc {inv['build_glibc']}). "
        "Do not edit by hand: `python3 packaging/build_bundle.py` rewrites it. "
        "See [packaging.md](packaging.md) for why things are in or out.",
        "",
        f"**{_mb(inv['bundle_bytes'])} MB** in {inv['bundle_files']} files. "
        f"**glibc floor: {inv['glibc_floor']}** (the highest `GLIBC_` symbol version any bundled file needs; "
        f"required by {', '.join(Path(f).name for f in inv['glibc_floor_files'][:6])}"
        f"{' and others' if len(inv['glibc_floor_files']) > 6 else ''}). "
        f"From the system's C++ runtime (`libstdc++.so.6`, not bundled): GLIBCXX {inv['glibcxx_floor']}.",
        "",
        "## Size by component",
        "",
        "| component | MB |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {_mb(v)} |" for k, v in inv["components"].items() if v >= 500_000]
    small = sum(v for v in inv["components"].values() if v < 500_000)
    lines += [f"| everything else | {_mb(small)} |", ""]
    lines += [
        "## Python distributions",
        "",
        "Licence as the distribution's metadata states it; the texts are in the bundle's `licenses/` folder.",
        "",
        "| distribution | version | licence | MB on disk (outside the programs' Python archive) |",
        "|---|---|---|---:|",
    ]
    lines += [
        f"| {d['name']} | {d['version']} | {d['licence']} | {_mb(d['bytes_on_disk'])} |"
        for d in inv["python_distributions"]
    ]
    lines += [
        "",
        "## Native libraries inside the wheels",
        "",
        "Shipped by the distribution named (its licence files list them).",
        "",
        "| folder | distribution | libraries |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{folder}` | {v['distribution']} | {', '.join(sorted(v['files']))} |"
        for folder, v in sorted(inv["vendored_libraries"].items())
    ]
    lines += [
        "",
        "## Libraries copied from the build machine (for the Python runtime and Qt)",
        "",
        "| file | project | licence |",
        "|---|---|---|",
    ]
    lines += [f"| `{r['file']}` | {r['project']} | {r['licence']} |" for r in inv["runtime_libraries"]]
    lines += [f"| `{r['file']}` | **not in RUNTIME_LIBRARIES** | unknown |" for r in inv["unknown_libraries"]]
    lines += [
        "",
        "## System libraries the bundle expects on the user's machine",
        "",
        "Besides the C library (glibc ≥ the floor above). Libraries a Qt plugin needs are optional: Qt skips a "
        "plugin whose libraries are missing. `contractreview gui` checks the ones the window needs first.",
        "",
        "| library | needed for | needed by | Debian/Ubuntu | Fedora |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{s['library']}` | {s['when']} | {', '.join(s['needed_by'])} | {s['debian']} | {s['fedora']} |"
        for s in inv["system_libraries"]
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "contractreview")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "bundle-contents.md")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bundle-inventory.json")
    args = parser.parse_args(argv)
    if not (args.bundle / "_internal").is_dir():
        print(f"bundle_inventory: no bundle at {args.bundle}", file=sys.stderr)
        return 1
    copied = copy_licences(args.bundle, inventory(args.bundle))
    inv = inventory(args.bundle)  # again, so sizes include the licence texts
    inv["licence_files"] = copied
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(inv, indent=2) + "\n", encoding="utf-8")
    args.docs.write_text(markdown(inv), encoding="utf-8")
    print(
        f"glibc floor of the bundle: {inv['glibc_floor']} (this machine: {inv['build_glibc']}); "
        f"{len(inv['python_distributions'])} Python distributions, {inv['licence_files']} licence files; "
        f"{len(inv['system_libraries'])} system libraries expected"
    )
    for lib in inv["unknown_libraries"]:
        print(f"bundle_inventory: {lib['file']} is bundled but not in RUNTIME_LIBRARIES", file=sys.stderr)
    return 1 if inv["unknown_libraries"] else 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
