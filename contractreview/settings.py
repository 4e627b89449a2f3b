"""User settings and the folders ContractReview keeps its files in.

Settings are a small JSON file in the platform's user config folder (``platformdirs``), overridable
with ``CONTRACTREVIEW_CONFIG_DIR``; the review database lives in the user data folder, overridable with
``CONTRACTREVIEW_DATA_DIR``. A settings file that cannot be read never stops the app: the defaults are
used, a :class:`SettingsWarning` is issued and the unreadable file is kept next to it as ``.bad``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import warnings
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .privatefile import write_private_atomic

APP_NAME = "ContractReview"
SETTINGS_FILE = "settings.json"
DB_FILE = "reviews.sqlite3"
DEMO_DB_FILE = "demo-reviews.sqlite3"  # the bundled sample's reviews, kept apart from the user's own
SETTINGS_SCHEMA = 1
MAX_RECENT_FILES = 10


class SettingsWarning(UserWarning):
    """The settings file could not be used as written; defaults were substituted."""


def config_dir() -> Path:
    """Folder for ``settings.json`` (``CONTRACTREVIEW_CONFIG_DIR`` wins over the platform default)."""
    env = os.environ.get("CONTRACTREVIEW_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Folder for the review database (``CONTRACTREVIEW_DATA_DIR`` wins over the platform default)."""
    env = os.environ.get("CONTRACTREVIEW_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Folder for rebuildable caches such as the prepared pipeline patterns (``CONTRACTREVIEW_CACHE_DIR``
    wins over the platform default); deleting it only costs start-up time."""
    env = os.environ.get("CONTRACTREVIEW_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILE


def demo_db_path() -> Path:
    """Where ``contractreview demo`` (the README's ``run``) keeps the sample's review: never the user's store."""
    return data_dir() / DEMO_DB_FILE


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def encode_bytes(data: bytes | bytearray | memoryview | None) -> str:
    """Qt's ``saveGeometry()``/``saveState()`` bytes as the base64 text kept in settings."""
    return base64.b64encode(bytes(data or b"")).decode("ascii")


def decode_bytes(text: str) -> bytes:
    """Inverse of :func:`encode_bytes`; invalid text gives ``b""`` (the window opens at its default)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return b""


@dataclass(frozen=True, slots=True)
class Settings:
    reviewer_name: str = ""
    library_dir: str = ""  # "" = the bundled clause library
    profile: str = "default"
    recent_files: tuple[str, ...] = ()
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_export_dir: str = ""

    @property
    def library_path(self) -> Path | None:
        return Path(self.library_dir).expanduser() if self.library_dir else None

    def with_recent(self, path: str | os.PathLike[str], limit: int = MAX_RECENT_FILES) -> Settings:
        """A copy with ``path`` first in the recent-files list (no duplicates, at most ``limit``)."""
        p = str(path)
        rest = tuple(r for r in self.recent_files if r != p)
        return replace(self, recent_files=((p,) + rest)[:limit])

    def with_window(self, geometry: bytes, state: bytes) -> Settings:
        return replace(self, window_geometry=encode_bytes(geometry), window_state=encode_bytes(state))

    @property
    def geometry_bytes(self) -> bytes:
        return decode_bytes(self.window_geometry)

    @property
    def state_bytes(self) -> bytes:
        return decode_bytes(self.window_state)


def _coerce(data: dict[str, Any], source: Path) -> Settings:
    """Build Settings from parsed JSON, keeping good fields and warning about bad ones."""
    defaults = Settings()
    values: dict[str, Any] = {}
    bad: list[str] = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "recent_files":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[f.name] = tuple(value)[:MAX_RECENT_FILES]
            else:
                bad.append(f.name)
        elif isinstance(value, str):
            values[f.name] = value
        else:
            bad.append(f.name)
    if bad:
        warnings.warn(
            f"{source.name}: ignoring invalid setting(s) {', '.join(bad)}; using the defaults for them.",
            SettingsWarning,
            stacklevel=3,
        )
    return replace(defaults, **values)


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read the settings; a missing file gives defaults, an unreadable one defaults plus a warning."""
    target = Path(path) if path is not None else settings_path()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        warnings.warn(f"{target.name}: cannot read settings ({exc.strerror}); using defaults.", SettingsWarning, stacklevel=2)
        return Settings()
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("top level is not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        backup = target.with_name(target.name + ".bad")
        try:
            backup.write_bytes(raw)
            os.chmod(backup, 0o600)
        except OSError:
            pass
        warnings.warn(
            f"{target.name}: settings file is damaged ({exc}); using defaults. The old file was kept as {backup.name}.",
            SettingsWarning,
            stacklevel=2,
        )
        return Settings()
    return _coerce(data, target)


def save_settings(settings: Settings, path: str | os.PathLike[str] | None = None) -> Path:
    """Write the settings atomically (temp file + rename), readable by the owner only."""
    target = Path(path) if path is not None else settings_path()
    data = asdict(settings)
    data["recent_files"] = list(settings.recent_files)
    data["schema"] = SETTINGS_SCHEMA
    payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    write_private_atomic(target, payload)
    return target
