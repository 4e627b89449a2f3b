"""The version line shown by ``contractreview --version`` and the desktop app's About box."""

from __future__ import annotations

from . import __version__


def library_versions() -> str:
    try:
        from .library import library_version

        return library_version()
    except Exception:  # noqa: BLE001 - --version and About must never fail
        return "unknown"


def version_text() -> str:
    """``"contractreview 0.4.0 (clause library 2026.11, built 2026-12-07)"``."""
    from ._build_info import BUILD_DATE

    return f"contractreview {__version__} (clause library {library_versions()}, built {BUILD_DATE})"
