"""Settings: round trip, locations from the environment, damaged files never crash."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from contractreview.settings import (
    Settings,
    SettingsWarning,
    config_dir,
    data_dir,
    decode_bytes,
    default_db_path,
    load_settings,
    save_settings,
    settings_path,
)


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """conftest's user folders are shared by the session; these tests need an empty one each."""
    monkeypatch.setenv("CONTRACTREVIEW_CONFIG_DIR", str(tmp_path / "config"))


def test_settings_locations_honour_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTREVIEW_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("CONTRACTREVIEW_DATA_DIR", str(tmp_path / "dat"))
    assert config_dir() == tmp_path / "cfg" and settings_path() == tmp_path / "cfg" / "settings.json"
    assert data_dir() == tmp_path / "dat" and default_db_path() == tmp_path / "dat" / "reviews.sqlite3"


def test_settings_default_locations_use_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTRACTREVIEW_CONFIG_DIR")
    monkeypatch.delenv("CONTRACTREVIEW_DATA_DIR")
    assert "ContractReview" in str(config_dir()) and "ContractReview" in str(data_dir())


def test_settings_missing_file_gives_defaults() -> None:
    assert load_settings() == Settings()
    assert Settings().profile == "default" and Settings().recent_files == ()


def test_settings_round_trip_with_window_bytes_and_owner_only_file() -> None:
    geometry = bytes(range(256)) * 3
    s = (
        Settings(reviewer_name="Ana Díaz", library_dir="~/lib", profile="ny", last_export_dir="/tmp/x")
        .with_recent("/a.pdf").with_recent("/b.docx").with_recent("/a.pdf")
        .with_window(geometry, b"\x00state")
    )
    assert s.recent_files == ("/a.pdf", "/b.docx")
    path = save_settings(s)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    back = load_settings()
    assert back == s
    assert back.geometry_bytes == geometry and back.state_bytes == b"\x00state"
    assert back.library_path == Path("~/lib").expanduser()
    assert json.loads(path.read_text(encoding="utf-8"))["reviewer_name"] == "Ana Díaz"


def test_settings_recent_files_are_capped() -> None:
    s = Settings()
    for i in range(15):
        s = s.with_recent(f"/c{i}.pdf")
    assert len(s.recent_files) == 10 and s.recent_files[0] == "/c14.pdf"


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe\x00", b""])
def test_settings_damaged_file_gives_defaults_and_a_warning(content: bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.warns(SettingsWarning, match="settings.json"):
        s = load_settings()
    assert s == Settings()
    assert path.with_name("settings.json.bad").read_bytes() == content


def test_settings_wrong_field_types_keep_the_good_fields() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"reviewer_name": "Ben", "profile": 7, "recent_files": "x", "future_key": 1}))
    with pytest.warns(SettingsWarning, match="profile, recent_files"):
        s = load_settings()
    assert s == Settings(reviewer_name="Ben")


def test_settings_invalid_base64_window_state_is_empty() -> None:
    assert Settings(window_geometry="***").geometry_bytes == b""
    assert decode_bytes("") == b""


def test_settings_folder_created_owner_only(tmp_path: Path) -> None:
    """Issue #7: the settings name recent contracts; a config folder we create is 0700."""
    import os

    old = os.umask(0o022)
    try:
        path = save_settings(Settings(reviewer_name="Ana").with_recent("/contracts/vendor.pdf"))
    finally:
        os.umask(old)
    assert path.parent == tmp_path / "config"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
