"""Loader, validation, overlays and the `contractreview library` CLI (issue #3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractreview.domain import Profile, Requirement, Severity, Threshold
from contractreview.errors import LibraryValidationError, UnknownProfileError
from contractreview.library import (
    PATTERN_KINDS,
    ClauseLibrary,
    builtin_library_dir,
    clear_cache,
    library_version,
    list_profiles,
    load_library,
    load_library_dir,
    validate_library_dir,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def test_library_loads_default_profile():
    lib = load_library()
    assert isinstance(lib, ClauseLibrary)
    assert lib.profile.name == "default"
    assert isinstance(lib.profile, Profile)
    reqs = lib.requirements_for()
    assert len(reqs) == 40
    assert all(isinstance(r, Requirement) and isinstance(r.severity, Severity) for r in reqs)
    assert [r.id for r in reqs] == list(lib.profile.requirement_ids)
    assert lib.schema_version == 1
    assert len(lib.fingerprint) == 64
    assert lib.version == library_version()


def test_library_default_breach_threshold_is_a_recommendation_not_law():
    th = load_library().threshold("breach_notice_max_hours")
    assert isinstance(th, Threshold)
    assert (th.value, th.unit, th.clock_start) == (72, "hours", "discovery")
    assert th.verified == "recommendation"
    assert th.is_law is False


def test_library_unknown_profile_raises():
    with pytest.raises(UnknownProfileError, match="nope"):
        load_library("nope")


def test_library_builtin_validates_clean():
    assert validate_library_dir(builtin_library_dir()) == []


def test_library_list_profiles_default_first():
    names = list_profiles()
    assert names[0] == "default"


def test_library_load_is_cached_and_notices_edits(tmp_path: Path):
    assert load_library() is load_library()
    user = tmp_path / "playbook"
    (user / "profiles").mkdir(parents=True)
    a = load_library(user_dir=user)
    assert a is load_library(user_dir=user)
    (user / "profiles" / "default.toml").write_text(
        'schema_version = 1\nname = "default"\n[thresholds.breach_notice_max_hours]\nvalue = 24\nunit = "hours"\n'
        'basis = "District policy 8.3"\n',
        encoding="utf-8",
    )
    b = load_library(user_dir=user)
    assert b is not a
    assert b.threshold("breach_notice_max_hours").value == 24


def test_library_patterns_kinds_constant():
    assert set(PATTERN_KINDS) == {"cue", "commit", "weak", "deny", "scope"}


def _copy_builtin(tmp_path: Path) -> Path:
    dest = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), dest)
    return dest


def test_library_copy_loads_with_load_library_dir(tmp_path: Path):
    root = _copy_builtin(tmp_path)
    lib = load_library_dir(root)
    assert lib.requirements.keys() == load_library().requirements.keys()
    assert lib.fingerprint == load_library().fingerprint


def test_library_missing_field_named(tmp_path: Path):
    root = _copy_builtin(tmp_path)
    path = root / "requirements" / "purpose_limitation.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("vendor_question")),
        encoding="utf-8",
    )
    with pytest.raises(LibraryValidationError) as exc:
        load_library_dir(root)
    assert exc.value.field == "vendor_question"
    assert "purpose_limitation.toml" in str(exc.value)
    problems = validate_library_dir(root)
    assert any("purpose_limitation.toml" in p and "vendor_question" in p for p in problems)
