"""What the desktop bundle leaves out, in one place: the PyInstaller spec applies it, the tests check it.

Three kinds of things are left out (#21):

* **Python modules the app never imports.** Network clients (the app never opens a connection), spaCy's
  command line with its model-download and project tooling (ContractReview builds ``spacy.blank("en")``
  and imports spaCy without ``spacy.cli``, see ``contractreview/nlp/_spacy.py``), the former PDF
  fallback (pdfplumber/pdfminer), GNU readline (an interactive prompt's line editor, GPL-3.0) and the
  Qt bindings the GUI does not use.
  ``tests/test_issue_21_bundle.py`` runs the app's imports, an analysis and every export with these
  modules made unimportable.
* **Qt plugins and files the app never loads**: the embedded-device platforms (EGL-FS, linuxfb, VNC,
  ...) with their input and EGL-FS integrations, network-information and TLS back-ends, image formats
  other than SVG and ICO, and Qt's translations (the interface is English only).
* **System libraries.** Libraries that PyInstaller copied from the build machine's ``/usr/lib`` are
  bundled only when the Python runtime (libpython and its extension modules: SQLite, libffi, zlib, ...)
  or Qt's own libraries (zstd, brotli, Kerberos for QtNetwork) need them. The desktop's libraries
  (X11/xcb, Wayland, OpenGL/EGL, fontconfig/FreeType, GLib, D-Bus) come from the user's system, as Qt
  expects, and so do the libraries only an optional Qt plugin loads (GTK for the GTK theme, CUPS for
  printing; Qt skips a plugin it cannot load). The C++ runtime and expat come from the system too:
  copies from a new build machine raise the bundle's glibc floor to that machine's glibc.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# Python modules (with their sub-modules) that never go into the bundle, grouped by reason.
NETWORK_MODULES = (
    "requests",
    "urllib3",
    "httpx",
    "httpcore",
    "h11",
    "h2",
    "anyio",
    "sniffio",
    "certifi",
    "idna",
    "socks",
    "ssl",
    "_ssl",
)
SPACY_CLI_MODULES = (
    "spacy.cli",
    "weasel",
    "typer",
    "rich",
    "pygments",
    "markdown_it",
    "mdurl",
    "shellingham",
    "cloudpathlib",
    "smart_open",
    "wrapt",
    "jinja2",
    "markupsafe",
)
FORMER_PDF_MODULES = ("pdfplumber", "pdfminer")
# GNU readline (GPL-3.0) and its terminal library serve only an interactive Python prompt.
INTERACTIVE_MODULES = ("readline", "rlcompleter")
UNUSED_QT_MODULES = ("PySide6.QtDBus", "PySide6.QtSvg", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets")
EXCLUDED_MODULES = (
    NETWORK_MODULES + SPACY_CLI_MODULES + FORMER_PDF_MODULES + INTERACTIVE_MODULES + UNUSED_QT_MODULES
)

# Qt plugins left out: whole folders, and single plugins by name (without "lib" and the suffix, so the
# rule reads the same for .so, .dylib and .dll). Deny-listed rather than allow-listed, so that the
# platform plugins of Windows (qwindows) and macOS (qcocoa) and their styles stay in those bundles.
QT_PLUGIN_FOLDERS_DROPPED = frozenset(
    {
        "egldeviceintegrations",  # EGL-FS (embedded devices without a window system)
        "generic",  # evdev / tslib / TUIO input for EGL-FS and linuxfb
        "networkinformation",  # QNetworkInformation back-ends
        "tls",  # QSslSocket back-ends: the app opens no connection (QLocalSocket needs none)
        "sqldrivers",  # the store uses Python's sqlite3, not QtSql
    }
)
QT_PLUGINS_DROPPED: dict[str, frozenset[str]] = {
    "platforms": frozenset({"qeglfs", "qlinuxfb", "qminimal", "qminimalegl", "qvkkhrdisplay", "qvnc"}),
    # PNG is built into QtGui; SVG and ICO stay for icon themes.
    "imageformats": frozenset({"qgif", "qicns", "qjpeg", "qtga", "qtiff", "qwbmp", "qwebp", "qpdf"}),
}
QT_PREFIX = PurePosixPath("PySide6/Qt")
# Qt libraries only the left-out EGL-FS platform plugins load.
QT_LIBRARIES_DROPPED = frozenset({"libQt6EglFSDeviceIntegration.so.6", "libQt6EglFsKmsSupport.so.6"})

# Always taken from the user's system, even when the Python runtime or Qt links them.
ALWAYS_SYSTEM = frozenset({"libstdc++.so.6", "libgcc_s.so.1", "libexpat.so.1"})
# The desktop's own libraries (sonames starting so): Qt's documented system requirements on Linux.
DESKTOP_SYSTEM_PREFIXES = (
    "libX",
    "libxcb",
    "libxkbcommon",
    "libwayland-",
    "libEGL.",
    "libGL.",
    "libGLX",
    "libOpenGL.",
    "libGLdispatch",
    "libfontconfig.",
    "libfreetype.",
    "libdbus-1.",
    "libglib-2.0.",
    "libgobject-2.0.",
    "libgthread-2.0.",
    "libgio-2.0.",
    "libgmodule-2.0.",
)
SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def keep_qt_file(dest: str) -> bool:
    """False for Qt plugins, translations and libraries the app never loads (``dest`` is bundle-relative)."""
    path = PurePosixPath(dest.replace("\\", "/"))
    if path.name in QT_LIBRARIES_DROPPED:  # the library and PyInstaller's top-level link to it
        return False
    try:
        rel = path.relative_to(QT_PREFIX)
    except ValueError:
        return True
    parts = rel.parts
    if not parts:
        return True
    if parts[0] == "translations":
        return False
    if parts[0] == "plugins" and len(parts) >= 3:
        folder = parts[1]
        if folder in QT_PLUGIN_FOLDERS_DROPPED:
            return False
        stem = path.name.split(".", 1)[0]
        stem = stem[3:] if stem.startswith("lib") else stem
        return stem not in QT_PLUGINS_DROPPED.get(folder, frozenset())
    return True


def is_system_library(src: str) -> bool:
    """A library PyInstaller found in the build machine's system folders (not in a wheel)."""
    norm = src.replace("\\", "/")
    return (
        norm.startswith(SYSTEM_LIBRARY_DIRS)
        and "/site-packages/" not in norm
        and "/dist-packages/" not in norm
    )


def from_users_system(soname: str) -> bool:
    """A library the bundle never carries, even when something bundled links it."""
    return soname in ALWAYS_SYSTEM or soname.startswith(DESKTOP_SYSTEM_PREFIXES)


def bundle_root(dest: str) -> bool:
    """Bundled files whose system libraries are bundled too: the Python runtime and Qt's own libraries.

    Qt plugins are not roots: a plugin's system libraries (GTK, CUPS) are optional and come from the system.
    """
    path = PurePosixPath(dest.replace("\\", "/"))
    return (
        path.name.startswith("libpython")
        or "lib-dynload" in path.parts
        or path.parent == QT_PREFIX / "lib"
        or (path.parent == PurePosixPath("PySide6") and ".so" in path.name)
        or path.name.startswith(("libpyside6", "libshiboken6"))
    )


def blocked(name: str) -> bool:
    """True when module ``name`` is one of EXCLUDED_MODULES or inside one of them."""
    return any(name == m or name.startswith(m + ".") for m in EXCLUDED_MODULES)
