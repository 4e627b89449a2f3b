"""Can Qt start a window here? Checked before Qt is imported, so a missing system library is one line.

Qt aborts the process (exit 134, a core dump) when its platform plugin cannot load, and its own hint names
the wrong package. Before creating the QApplication we find the plugin Qt will pick, ask the dynamic
linker (``ldd``) which of its libraries are missing, and name the packages that provide them on Debian /
Ubuntu and Fedora. A local X display that has no server behind it is reported the same way. This module
imports no Qt: it only locates PySide6's files.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# soname -> (Debian/Ubuntu package, Fedora package)
PACKAGES: Mapping[str, tuple[str, str]] = {
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will try first: QT_QPA_PLATFORM, else wayland in a Wayland session, else xcb."""
    forced = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if forced:
        return forced
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return "wayland"
    return "xcb"


def pyside_dir() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


def missing_libraries(files: list[Path], run: Callable[[list[str]], str] | None = None) -> list[str]:
    """Sonames the dynamic linker cannot find for ``files`` (in order, without repeats)."""

    def _ldd(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    runner = run or _ldd
    out: list[str] = []
    for f in files:
        if not f.is_file():
            continue
        for name in _NOT_FOUND.findall(runner(["ldd", str(f)])):
            if name not in out:
                out.append(name)
    return out


def install_hint(missing: list[str]) -> str:
    deb = sorted({PACKAGES[m][0] for m in missing if m in PACKAGES})
    fed = sorted({PACKAGES[m][1] for m in missing if m in PACKAGES})
    if not deb:
        return "install the packages that provide them"
    return f"Debian/Ubuntu: sudo apt install {' '.join(deb)} · Fedora: sudo dnf install {' '.join(fed)}"


def _x_display_reachable(display: str) -> bool:
    """A local display (":0", "unix:1.0") has a socket; remote ones (host:0) are left for Qt to try."""
    m = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display.strip())
    if not m:
        return True
    path = f"/tmp/.X11-unix/X{m.group(1)}"
    for family, address in ((socket.AF_UNIX, path), (socket.AF_UNIX, "\0" + path)):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect(address)
            return True
        except OSError:
            continue
        finally:
            s.close()
    return False


def check(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """``None`` when Qt can be started; otherwise one line saying why and what to install."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    base = pyside_dir()
    if base is None:
        return (
            "the desktop app needs Qt (PySide6), which is not installed: "
            "pip install 'contractreview[gui]' (the analysis and exports work without it: contractreview analyze FILE)"
        )
    if not plat.startswith("linux"):
        return None
    qpa = qt_platform(env)
    if qpa not in ("xcb", "wayland"):
        return None
    files = [base / "Qt" / "plugins" / "platforms" / f"libq{qpa}.so"]
    if qpa == "xcb":
        files.append(base / "Qt" / "lib" / "libQt6XcbQpa.so.6")
    else:
        files.append(base / "Qt" / "lib" / "libQt6WaylandClient.so.6")
    missing = missing_libraries(files)
    if missing:
        return (
            f"Qt cannot load its {qpa} platform plugin: the system libraries {', '.join(missing)} are missing; "
            f"{install_hint(missing)}"
        )
    if qpa == "xcb":
        display = env.get("DISPLAY", "")
        if not display:
            return "no display: DISPLAY is not set (run from a desktop session, or use contractreview analyze FILE)"
        if not _x_display_reachable(display):
            return f"no X server answers on display {display} (run from a desktop session, or use contractreview analyze FILE)"
    return None
