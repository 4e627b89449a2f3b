"""Loader, validation, overlays and the `contractreview library` CLI (issue #3)."""

from __future__ import annotations

import json
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
    assert set(PATTERN_KINDS) == {"cue", "commit", "weak", "deny", "scope", "exclude"}


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


# --------------------------------------------------------------------------- validation of broken libraries

REQ_TOML = """schema_version = 1
id = "a_req"
title = "A test requirement title"
category = "security"
severity = "high"
description = "A description long enough to be a description."
why = "Why it matters to a district, in a sentence."
parameters = ["breach_notice_max_hours"]
weak_cues = ["where feasible"]
suggested_language = "Vendor shall do the thing within 72 hours."
vendor_question = "Will you do the thing?"

[[sources]]
citation = "8 NYCRR 121.10(a)"
name = "8 NYCRR Part 121"
status = "mandatory"
verified = "primary"
"""

PROFILE_TOML = """schema_version = 1
name = "default"
label = "Test default"
requirements = ["a_req"]

[thresholds.breach_notice_max_hours]
value = 72
unit = "hours"
basis = "test basis"
verified = "recommendation"
clock_start = "discovery"
"""

PATTERNS = (
    '{"label": "a_req", "id": "a_req.cue.thing", "kind": "cue", "pattern": "thing", '
    '"example": "The Vendor shall do the thing."}\n'
    '{"label": "a_req", "id": "a_req.weak.feasible", "kind": "weak", "pattern": [{"LOWER": "where"}, {"LOWER": "feasible"}], '
    '"example": "The Vendor shall do it where feasible."}\n'
)


def _make_base(root: Path) -> Path:
    (root / "requirements").mkdir(parents=True)
    (root / "profiles").mkdir()
    (root / "patterns").mkdir()
    (root / "library.toml").write_text(
        'schema_version = 1\nkind = "base"\nname = "test"\nversion = "1.0"\n', encoding="utf-8"
    )
    (root / "requirements" / "a_req.toml").write_text(REQ_TOML, encoding="utf-8")
    (root / "profiles" / "default.toml").write_text(PROFILE_TOML, encoding="utf-8")
    (root / "patterns" / "a_req.jsonl").write_text(PATTERNS, encoding="utf-8")
    # The engine's word lists and weights are part of every base library (issue #13).
    shutil.copytree(builtin_library_dir() / "lexicons", root / "lexicons")
    shutil.copy(builtin_library_dir() / "weights.json", root / "weights.json")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_library_minimal_base_is_valid(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    assert validate_library_dir(root) == []
    lib = load_library_dir(root)
    assert [r.id for r in lib.requirements_for()] == ["a_req"]
    assert lib.patterns_for("a_req")[1]["pattern"] == [{"LOWER": "where"}, {"LOWER": "feasible"}]
    assert lib.version == "1.0"


BROKEN = [
    # (file relative to the library, old text, new text, expected file in message, expected field)
    (
        "requirements/a_req.toml",
        'category = "security"',
        'category = "security"\ncolour = "red"',
        "a_req.toml",
        "colour",
    ),
    ("requirements/a_req.toml", 'id = "a_req"', 'id = "b_req"', "a_req.toml", "id"),
    ("requirements/a_req.toml", 'severity = "high"', 'severity = "critical"', "a_req.toml", "severity"),
    ("requirements/a_req.toml", 'category = "security"', 'category = "vibes"', "a_req.toml", "category"),
    (
        "requirements/a_req.toml",
        'vendor_question = "Will you do the thing?"\n',
        "",
        "a_req.toml",
        "vendor_question",
    ),
    (
        "requirements/a_req.toml",
        'verified = "primary"',
        'verified = "probably"',
        "a_req.toml",
        "sources[0].verified",
    ),
    ("requirements/a_req.toml", "schema_version = 1", "schema_version = 2", "a_req.toml", "schema_version"),
    ("library.toml", "schema_version = 1", "schema_version = 9", "library.toml", "schema_version"),
    (
        "profiles/default.toml",
        'requirements = ["a_req"]',
        'requirements = ["a_req", "nope"]',
        "default.toml",
        "requirements",
    ),
    (
        "profiles/default.toml",
        'requirements = ["a_req"]',
        'requirements = ["a_req", "a_req"]',
        "default.toml",
        "requirements",
    ),
    (
        "profiles/default.toml",
        'unit = "hours"',
        'unit = "weeks"',
        "default.toml",
        "thresholds.breach_notice_max_hours.unit",
    ),
    (
        "profiles/default.toml",
        'unit = "hours"',
        'unit = "days"',
        "default.toml",
        "thresholds.breach_notice_max_hours.unit",
    ),
    (
        "profiles/default.toml",
        'verified = "recommendation"\n',
        "",
        "default.toml",
        "thresholds.breach_notice_max_hours.verified",
    ),
    (
        "profiles/default.toml",
        "value = 72",
        'value = "72"',
        "default.toml",
        "thresholds.breach_notice_max_hours.value",
    ),
    (
        "profiles/default.toml",
        'clock_start = "discovery"',
        'clock_start = "whenever"',
        "default.toml",
        "thresholds.breach_notice_max_hours.clock_start",
    ),
    ("profiles/default.toml", 'name = "default"', 'name = "other"', "default.toml", "name"),
    ("profiles/default.toml", 'requirements = ["a_req"]', 'extends = "ghost"', "default.toml", "extends"),
    (
        "patterns/a_req.jsonl",
        '"label": "a_req", "id": "a_req.cue',
        '"label": "zzz", "id": "a_req.cue',
        "a_req.jsonl:1",
        "label",
    ),
    ("patterns/a_req.jsonl", '"kind": "cue"', '"kind": "maybe"', "a_req.jsonl:1", "kind"),
    ("patterns/a_req.jsonl", '"pattern": "thing"', '"pattern": 5', "a_req.jsonl:1", "pattern"),
    ("patterns/a_req.jsonl", '"pattern": "thing"', '"pattern": ""', "a_req.jsonl:1", "pattern"),
    ("patterns/a_req.jsonl", '{"LOWER": "where"}', '{"LOWR": "where"}', "a_req.jsonl:2", "pattern"),
    (
        "patterns/a_req.jsonl",
        '{"LOWER": "where"}',
        '{"LOWER": "where", "OP": "x"}',
        "a_req.jsonl:2",
        "pattern",
    ),
    ("patterns/a_req.jsonl", '{"LOWER": "where"}', '{"LOWER": 5}', "a_req.jsonl:2", "pattern"),
    ("patterns/a_req.jsonl", '{"LOWER": "where"}', '{"LOWER": {"REGX": "wh.*"}}', "a_req.jsonl:2", "pattern"),
    (
        "patterns/a_req.jsonl",
        '{"LOWER": "where"}',
        '{"LOWER": {"REGEX": "(unclosed"}}',
        "a_req.jsonl:2",
        "pattern",
    ),
    ("patterns/a_req.jsonl", '"id": "a_req.weak.feasible"', '"id": "a_req.cue.thing"', "a_req.jsonl:2", "id"),
    ("patterns/a_req.jsonl", '"kind": "cue", ', '"kind": "cue", "score": 3, ', "a_req.jsonl:1", "score"),
    ("patterns/a_req.jsonl", '"pattern": "thing"', '"pattern": {"LEMMA": " "}', "a_req.jsonl:1", "pattern"),
    ("patterns/a_req.jsonl", '"pattern": "thing"', '"pattern": {"LEMMA": 3}', "a_req.jsonl:1", "pattern"),
    (
        "patterns/a_req.jsonl",
        '"pattern": "thing"',
        '"pattern": {"LEMMA": "notify audit process store share use sell"}',
        "a_req.jsonl:1",
        "pattern",
    ),
    (
        "patterns/a_req.jsonl",
        '"pattern": "thing"',
        '"pattern": {"LEMMA": "thing", "ARTICLES": [1]}',
        "a_req.jsonl:1",
        "pattern",
    ),
    ("patterns/a_req.jsonl", '"example": "The Vendor shall do the thing."', '"example": ""', "a_req.jsonl:1", "example"),
]


@pytest.mark.parametrize(
    ("rel", "old", "new", "where", "field"), BROKEN, ids=[f"{b[0]}:{b[4]}" for b in BROKEN]
)
def test_library_validation_error_names_file_and_field(tmp_path: Path, rel, old, new, where, field):
    root = _make_base(tmp_path / "lib")
    _edit(root / rel, old, new)
    with pytest.raises(LibraryValidationError) as exc:
        load_library_dir(root)
    assert exc.value.field == field
    assert where in str(exc.value)
    assert f"(field '{field}')" in str(exc.value)
    problems = validate_library_dir(root)
    assert any(where in p and f"'{field}'" in p for p in problems), problems


def test_library_validation_unknown_severity_lists_allowed_values(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    _edit(root / "requirements/a_req.toml", 'severity = "high"', 'severity = "critical"')
    (problem,) = validate_library_dir(root)
    assert "critical" in problem and "high, medium, low" in problem


def test_library_validation_newer_schema_says_update(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    _edit(root / "library.toml", "schema_version = 1", "schema_version = 9")
    with pytest.raises(LibraryValidationError, match="newer than this ContractReview supports"):
        load_library_dir(root)


def test_library_validation_bad_toml_names_file(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    (root / "requirements" / "a_req.toml").write_text('id = "a_req"\ntitle = \n', encoding="utf-8")
    problems = validate_library_dir(root)
    assert any("a_req.toml" in p and "not valid TOML" in p for p in problems)


def test_library_validation_bad_json_line_names_line(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    with (root / "patterns" / "a_req.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    problems = validate_library_dir(root)
    assert any("a_req.jsonl:3" in p and "JSON" in p for p in problems), problems


def test_library_validation_pattern_file_for_unknown_requirement(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    (root / "patterns" / "ghost.jsonl").write_text(
        '{"label": "ghost", "id": "g", "kind": "cue", "pattern": "x", "example": "x"}\n', encoding="utf-8"
    )
    problems = validate_library_dir(root)
    assert any("ghost.jsonl" in p and "requirement id" in p for p in problems)


def test_library_validation_reports_every_problem(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    _edit(root / "requirements/a_req.toml", 'severity = "high"', 'severity = "urgent"')
    _edit(root / "profiles/default.toml", 'unit = "hours"', 'unit = "fortnights"')
    _edit(root / "patterns/a_req.jsonl", '"kind": "cue"', '"kind": "maybe"')
    problems = validate_library_dir(root)
    assert len(problems) >= 3
    assert any("severity" in p for p in problems)
    assert any("unit" in p for p in problems)
    assert any("kind" in p for p in problems)


def test_library_validation_missing_default_profile(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    (root / "profiles" / "default.toml").rename(root / "profiles" / "other.toml")
    _edit(root / "profiles" / "other.toml", 'name = "default"', 'name = "other"')
    assert any("default" in p for p in validate_library_dir(root))
    with pytest.raises(LibraryValidationError, match="default"):
        load_library_dir(root)


def test_library_validation_extends_cycle(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    for a, b in (("x", "y"), ("y", "x")):
        (root / "profiles" / f"{a}.toml").write_text(
            f'schema_version = 1\nname = "{a}"\nlabel = "{a}"\nextends = "{b}"\n', encoding="utf-8"
        )
    problems = validate_library_dir(root)
    assert any("x.toml" in p or "y.toml" in p for p in problems)


def test_library_profile_extends_add_remove(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    (root / "requirements" / "b_req.toml").write_text(
        REQ_TOML.replace('"a_req"', '"b_req"'), encoding="utf-8"
    )
    (root / "profiles" / "state.toml").write_text(
        'schema_version = 1\nname = "state"\nlabel = "A state"\nextends = "default"\nadd = ["b_req"]\n'
        '[thresholds.breach_notice_max_hours]\nvalue = 168\nunit = "hours"\nbasis = "7 days, statute"\n'
        'verified = "primary"\nclock_start = "discovery"\n',
        encoding="utf-8",
    )
    lib = load_library_dir(root, "state")
    assert lib.profile.requirement_ids == ("a_req", "b_req")
    th = lib.threshold("breach_notice_max_hours")
    assert th.value == 168 and th.is_law
    # the parent keeps its own threshold
    assert lib.with_profile("default").threshold("breach_notice_max_hours").value == 72
    _edit(root / "profiles" / "state.toml", 'add = ["b_req"]', 'add = ["b_req"]\nremove = ["a_req"]')
    assert load_library_dir(root, "state").profile.requirement_ids == ("b_req",)


# --------------------------------------------------------------------------- district overlays


def _overlay(tmp_path: Path) -> Path:
    user = tmp_path / "playbook"
    (user / "requirements").mkdir(parents=True)
    (user / "profiles").mkdir()
    (user / "patterns").mkdir()
    return user


def test_library_user_folder_overrides_threshold(tmp_path: Path):
    user = _overlay(tmp_path)
    (user / "profiles" / "ny.toml").write_text(
        'schema_version = 1\nname = "ny"\n[thresholds.breach_notice_max_hours]\nvalue = 48\nunit = "hours"\n'
        'basis = "District board policy 8.3"\nclock_start = "discovery"\n',
        encoding="utf-8",
    )
    base = load_library("ny")
    lib = load_library("ny", user_dir=user)
    th = lib.threshold("breach_notice_max_hours")
    assert (th.value, th.verified, th.basis) == (48, "policy", "District board policy 8.3")
    assert th.is_law is False, "a district's own number is policy, not law"
    assert base.threshold("breach_notice_max_hours").value == 168
    assert lib.profile.requirement_ids == base.profile.requirement_ids
    assert lib.profile.label == base.profile.label
    assert lib.version.startswith(base.version + "+user:")
    assert len(lib.version.split("+user:")[1]) == 6
    assert lib.fingerprint != base.fingerprint


def test_library_user_folder_adds_requirement_profile_and_patterns(tmp_path: Path):
    user = _overlay(tmp_path)
    (user / "requirements" / "district_ai_use.toml").write_text(
        REQ_TOML.replace('"a_req"', '"district_ai_use"').replace(
            'parameters = ["breach_notice_max_hours"]\n', ""
        ),
        encoding="utf-8",
    )
    (user / "profiles" / "district.toml").write_text(
        'schema_version = 1\nname = "district"\nlabel = "Our district playbook"\nextends = "default"\n'
        'add = ["district_ai_use"]\nremove = ["record_correction"]\n',
        encoding="utf-8",
    )
    (user / "patterns" / "district_ai_use.jsonl").write_text(
        '{"label": "district_ai_use", "id": "district_ai_use.cue.ai", "kind": "cue", "pattern": "artificial intelligence", '
        '"example": "The Vendor shall disclose any use of artificial intelligence."}\n',
        encoding="utf-8",
    )
    assert validate_library_dir(user) == []
    lib = load_library("district", user_dir=user)
    ids = lib.profile.requirement_ids
    assert ids[-1] == "district_ai_use" and "record_correction" not in ids and len(ids) == 40
    assert lib.patterns_for("district_ai_use")[0]["id"] == "district_ai_use.cue.ai"
    assert "district" in list_profiles(user_dir=user)
    assert "district" not in list_profiles()
    assert lib.requirements["district_ai_use"].origin == "playbook/requirements/district_ai_use.toml"


def test_library_user_folder_overrides_requirement_fields(tmp_path: Path):
    user = _overlay(tmp_path)
    (user / "requirements" / "record_correction.toml").write_text(
        'schema_version = 1\nid = "record_correction"\nseverity = "high"\n'
        'suggested_language = "Vendor shall correct Student Data within ten days of District\'s instruction."\n',
        encoding="utf-8",
    )
    base = load_library().requirements["record_correction"]
    req = load_library(user_dir=user).requirements["record_correction"]
    assert req.severity is Severity.HIGH and base.severity is Severity.LOW
    assert req.suggested_language.startswith("Vendor shall correct Student Data within ten days")
    assert req.title == base.title and req.sources == base.sources


def test_library_user_folder_new_requirement_must_be_complete(tmp_path: Path):
    user = _overlay(tmp_path)
    (user / "requirements" / "half_done.toml").write_text(
        'schema_version = 1\nid = "half_done"\n', encoding="utf-8"
    )
    problems = validate_library_dir(user)
    assert any("half_done.toml" in p and "'title'" in p for p in problems)
    with pytest.raises(LibraryValidationError, match="half_done.toml"):
        load_library(user_dir=user)


def test_library_user_folder_cannot_be_a_base(tmp_path: Path):
    user = _overlay(tmp_path)
    (user / "library.toml").write_text(
        'schema_version = 1\nkind = "base"\nname = "x"\nversion = "1"\n', encoding="utf-8"
    )
    with pytest.raises(LibraryValidationError, match="overlay"):
        load_library(user_dir=user)


def test_library_user_folder_missing_is_an_error(tmp_path: Path):
    with pytest.raises(LibraryValidationError, match="not a folder"):
        load_library(user_dir=tmp_path / "nowhere")


# --------------------------------------------------------------------------- CLI


def test_library_cli_list_default(capsys):
    from contractreview.cli import main

    assert main(["library", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "40 requirements" in out[0]
    assert len(out) == 41
    assert any(line.split()[0] == "breach_notice_deadline_to_lea" for line in out[1:])


def test_library_cli_list_json_gdpr(capsys):
    import json

    from contractreview.cli import main

    assert main(["library", "list", "--profile", "gdpr", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 19 and all(d["category"] == "gdpr_processor" for d in data)


def test_library_cli_show_marks_unverified(capsys):
    from contractreview.cli import main

    assert main(["library", "show", "breach_notice_deadline_to_lea", "--profile", "il"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    il = next(line for line in lines if "105 ILCS 85/15(5)" in line and line.lstrip().startswith("- "))
    assert "(unverified — not presented as law)" in il
    ny = next(line for line in lines if line.lstrip().startswith("- 8 NYCRR 121.10(a)"))
    assert "unverified" not in ny
    threshold = next(line for line in lines if line.lstrip().startswith("- breach_notice_max_hours"))
    assert "720 hours" in threshold and "not presented as law" in threshold
    for heading in (
        "Description:",
        "Why it matters:",
        "Sources:",
        "Suggested language:",
        "Question for the vendor:",
    ):
        assert heading in out


def test_library_cli_show_ny_threshold_is_law(capsys):
    from contractreview.cli import main

    assert main(["library", "show", "breach_notice_deadline_to_lea", "--profile", "ny"]) == 0
    threshold = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.lstrip().startswith("- breach_notice_max_hours")
    )
    assert (
        "168 hours after discovery" in threshold and "[primary]" in threshold and "not law" not in threshold
    )


def test_library_cli_show_unknown_id_exit_2(capsys):
    from contractreview.cli import main

    assert main(["library", "show", "breach_notice"]) == 2
    err = capsys.readouterr().err
    assert "unknown requirement id 'breach_notice'" in err
    assert "breach_notice_deadline_to_lea" in err  # suggestion


def test_library_cli_validate(tmp_path: Path, capsys):
    from contractreview.cli import main

    root = _make_base(tmp_path / "lib")
    assert main(["library", "validate", str(root)]) == 0
    assert "valid" in capsys.readouterr().out
    _edit(root / "requirements/a_req.toml", 'severity = "high"', 'severity = "critical"')
    _edit(root / "profiles/default.toml", 'unit = "hours"', 'unit = "weeks"')
    assert main(["library", "validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "lib/requirements/a_req.toml" in out and "'severity'" in out
    assert "lib/profiles/default.toml" in out and "'thresholds.breach_notice_max_hours.unit'" in out
    assert "2 problems found" in out


def test_library_cli_profiles(capsys):
    from contractreview.cli import main

    assert main(["library", "profiles"]) == 0
    out = capsys.readouterr().out
    for name in ("default", "ferpa", "coppa", "ca", "ny", "il", "ct", "ndpa", "gdpr"):
        assert f"\n{name}: " in out
    assert "recommendation — not law" in out


def test_library_cli_uses_user_folder(tmp_path: Path, capsys):
    from contractreview.cli import main

    user = _overlay(tmp_path)
    (user / "profiles" / "default.toml").write_text(
        'schema_version = 1\nname = "default"\nremove = ["record_correction"]\n', encoding="utf-8"
    )
    assert main(["library", "list", "--library-dir", str(user)]) == 0
    out = capsys.readouterr().out
    assert "39 requirements" in out and "+user:" in out


def test_library_user_patterns_extend_builtin_and_rule_ids_stay_unique(tmp_path: Path):
    user = _overlay(tmp_path)
    builtin = load_library().patterns_for("purpose_limitation")
    assert builtin, "the engine's pattern file for purpose_limitation is expected"
    extra = {
        "label": "purpose_limitation",
        "id": "district.cue.sole_purpose",
        "kind": "cue",
        "pattern": "sole purpose",
        "example": "Student Data is used for the sole purpose of the services.",
    }
    (user / "patterns" / "purpose_limitation.jsonl").write_text(json.dumps(extra) + "\n", encoding="utf-8")
    merged = load_library(user_dir=user).patterns_for("purpose_limitation")
    assert merged[: len(builtin)] == builtin and merged[-1] == extra
    clash = dict(extra, id=builtin[0]["id"])
    (user / "patterns" / "purpose_limitation.jsonl").write_text(json.dumps(clash) + "\n", encoding="utf-8")
    problems = validate_library_dir(user)
    assert any(
        "playbook/patterns/purpose_limitation.jsonl:1" in p and "already defined" in p for p in problems
    )


def test_library_empty_user_dir_string_means_builtin():
    assert load_library(user_dir="").version == load_library().version


def test_library_cli_show_every_requirement_as_json(capsys):
    from contractreview.cli import main

    lib = load_library()
    for rid in lib.requirements:
        assert main(["library", "show", rid, "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["id"] == rid and data["sources"] and data["suggested_language"]
        for param, th in data["thresholds"].items():
            assert param in data["parameters"] and th["unit"] in ("hours", "days", "months")


def test_library_cli_module_imports_no_core_at_import_time():
    import subprocess
    import sys

    code = (
        "import sys, contractreview.cli.library_cmd\n"
        "heavy = [m for m in ('contractreview.library', 'spacy', 'PySide6') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_library_validate_uses_spacy_token_schema(tmp_path: Path):
    """validate_library_dir also runs spaCy's own token-pattern schema (integers inside an IN list)."""
    root = _make_base(tmp_path / "lib")
    _edit(root / "patterns/a_req.jsonl", '{"LOWER": "where"}', '{"LOWER": {"IN": [1, 2]}}')
    problems = validate_library_dir(root)
    assert any("a_req.jsonl:2" in p and "spaCy rejects" in p and "'pattern'" in p for p in problems), problems


def test_library_cli_unknown_names_are_one_sentence_line(capsys) -> None:
    """The hint ran into the reason without a full stop ("... ny) List them with: ...")."""
    from contractreview.cli import main

    assert main(["library", "list", "--profile", "nosuch"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'nosuch'" in err[0] and "). List them with" in err[0]
    assert main(["library", "show", "no_such_requirement"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'no_such_requirement'." in err[0]


def test_library_validate_refuses_a_folder_without_library_files(tmp_path: Path, capsys):
    from contractreview.cli import main
    from contractreview.library import validate_library_dir

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a library", encoding="utf-8")
    problems = validate_library_dir(tmp_path)
    assert len(problems) == 1 and "holds no clause-library files" in problems[0]
    assert main(["library", "validate", str(tmp_path)]) == 1
    assert "nothing was checked" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ({"ARTICLES": ["33"]}, "whole article numbers"),
        ({"ARTICLES": []}, '{"ARTICLES": [article numbers]}'),
        ({"ARTICLES": [33], "LOWER": "x"}, '{"ARTICLES": [article numbers]}'),
        ({"SECTIONS": [5]}, '{"ARTICLES": [article numbers]}'),
    ],
)
def test_issue_20_article_citation_patterns_are_checked(tmp_path: Path, pattern: dict, reason: str):
    root = _make_base(tmp_path / "lib")
    row = {"label": "a_req", "id": "a_req.cue.cited", "kind": "cue", "pattern": pattern, "weight": 2.0,
           "example": "The Processor shall assist with Articles 33 and 34 GDPR."}  # fmt: skip
    with (root / "patterns" / "a_req.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    problems = validate_library_dir(root)
    assert any("a_req.jsonl:3" in p and reason in p for p in problems), problems
    good = dict(row, pattern={"ARTICLES": [33, 34]})
    (root / "patterns" / "a_req.jsonl").write_text(
        "\n".join((root / "patterns" / "a_req.jsonl").read_text(encoding="utf-8").splitlines()[:2])
        + "\n"
        + json.dumps(good)
        + "\n",
        encoding="utf-8",
    )
    assert validate_library_dir(root) == []


def test_issue_13_library_cli_marks_requirements_the_engine_cannot_check(capsys):
    from contractreview.cli import main

    assert main(["library", "list", "--profile", "ny", "--format", "json"]) == 0
    rows = {r["id"]: r["checked_automatically"] for r in json.loads(capsys.readouterr().out)}
    assert rows["ny_parents_bill_of_rights"] is False and rows["breach_notice_deadline_to_lea"] is True
    assert main(["library", "show", "ny_parents_bill_of_rights"]) == 0
    assert "not checked automatically" in capsys.readouterr().out
    assert main(["library", "show", "deletion_on_lea_request", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["deadline_required"] is True and data["right_of"] == "school_or_user"
    assert data["checked_automatically"] is True


def test_library_validate_reports_a_pattern_that_misses_its_example(tmp_path: Path):
    """``library validate`` runs every pattern on its own example: one that does not match is named."""
    root = _make_base(tmp_path / "lib")
    _edit(root / "patterns/a_req.jsonl", '"example": "The Vendor shall do the thing."', '"example": "Nothing here."')
    load_library_dir(root)  # loading does not run spaCy: only validate checks examples
    problems = validate_library_dir(root)
    assert any("a_req.jsonl:1" in p and "'example'" in p and "does not match" in p for p in problems), problems
    assert not any("a_req.jsonl:2" in p for p in problems), problems


def test_library_lemma_pattern_validates_and_matches_its_example(tmp_path: Path):
    root = _make_base(tmp_path / "lib")
    _edit(
        root / "patterns/a_req.jsonl",
        '"pattern": "thing", "example": "The Vendor shall do the thing."',
        '"pattern": {"LEMMA": "notify the district"}, "example": "The Vendor notified the Districts at once."',
    )
    assert validate_library_dir(root) == []
    lib = load_library_dir(root)
    assert lib.patterns_for("a_req")[0]["pattern"] == {"LEMMA": "notify the district"}
