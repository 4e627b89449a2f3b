"""The shipped clause library data: ids, profiles, sources, thresholds and patterns (issue #3).

The requirement facts in ../shared/requirements are read through the ``requirements_dir`` fixture (these
tests skip when it is absent); the 40 core ids and the 19 GDPR ids are also pinned here as constants so
the essential checks run everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractreview.domain import Severity
from contractreview.library import (
    CATEGORIES,
    COMMON_LABEL,
    PATTERN_KINDS,
    builtin_library_dir,
    clear_cache,
    load_library,
)

CORE_IDS = (
    "school_official_designation purpose_limitation no_redisclosure_without_authorization compelled_disclosure_notice "
    "no_secondary_commercial_use deidentified_data_safeguards no_sale_of_student_data no_targeted_advertising "
    "no_student_profiling no_marketing_to_students_or_parents successor_entity_bound lea_ownership_and_control "
    "student_generated_content_control parent_review_access record_correction deletion_or_return_at_contract_end "
    "deletion_on_lea_request deletion_certification deletion_covers_subprocessors_and_copies backup_copy_limits "
    "no_indefinite_retention breach_notice_deadline_to_lea breach_definition_and_trigger breach_notice_content "
    "breach_cooperation breach_cost_reimbursement incident_response_plan written_security_program "
    "recognized_security_framework encryption_transit_and_rest access_control_least_privilege "
    "personnel_training_confidentiality audit_and_assessment_rights subprocessor_flowdown subprocessor_list_disclosure "
    "subprocessor_change_authorization vendor_liable_for_subprocessors no_unilateral_terms_changes "
    "data_location_and_international_transfer dpa_precedence_over_clickwrap"
).split()

GDPR_IDS = (
    "gdpr_subprocessor_prior_authorization gdpr_subprocessor_change_notice gdpr_documented_instructions "
    "gdpr_legal_requirement_notice gdpr_personnel_confidentiality gdpr_security_measures "
    "gdpr_assist_data_subject_rights gdpr_assist_security gdpr_assist_breach_notification_authority "
    "gdpr_assist_breach_communication_subjects gdpr_assist_dpia gdpr_assist_prior_consultation "
    "gdpr_return_or_delete_at_end gdpr_infringing_instruction_notice gdpr_compliance_information gdpr_audits "
    "gdpr_subprocessor_same_obligations gdpr_liable_for_subprocessors gdpr_security_risk_assessment"
).split()

PROFILES = ("default", "ferpa", "coppa", "ca", "ny", "il", "ct", "ndpa", "gdpr")


@pytest.fixture(scope="module")
def lib():
    clear_cache()
    return load_library()


# --------------------------------------------------------------------------- catalogue facts (read without PyYAML)


def _catalogue_requirements(requirements_dir: Path) -> dict[str, dict]:
    """id -> {"order": n, "sources": [{"section":..., "status":..., "verified":...}], "description": ...}.

    catalogue.yaml is a plain block-style YAML file; the few fields needed here are read line by line.
    """
    text = (requirements_dir / "catalogue.yaml").read_text(encoding="utf-8")
    body = text.split("\nrequirements:\n", 1)[1].split("\njurisdiction_profiles:", 1)[0]
    out: dict[str, dict] = {}
    current: dict | None = None
    section = ""
    for line in body.splitlines():
        m = re.match(r"^- id: (\S+)$", line)
        if m:
            current = {"order": len(out), "sources": [], "description": ""}
            out[m.group(1)] = current
            section = ""
            continue
        if current is None:
            continue
        m = re.match(r"^  (\w+):(.*)$", line)
        if m:
            section = m.group(1)
            if section == "description":
                current["description"] = m.group(2).strip()
            continue
        if section == "description" and line.startswith("    "):
            current["description"] += " " + line.strip()
        if section == "sources":
            m = re.match(r"^  - source: (\S+)$", line)
            if m:
                current["sources"].append({"source": m.group(1)})
                continue
            m = re.match(r"^    (section|status|verified): (.*)$", line)
            if m and current["sources"]:
                current["sources"][-1][m.group(1)] = m.group(2).strip().strip("'\"")
    return out


def _gdpr_tsv_ids(requirements_dir: Path) -> list[str]:
    lines = (requirements_dir / "gdpr_art28_ids.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()]


# --------------------------------------------------------------------------- profiles


def test_library_data_default_profile_is_exactly_the_40_core_ids(lib):
    ids = lib.profiles["default"].requirement_ids
    assert len(ids) == 40
    assert len(set(ids)) == 40, "an id appears twice in the default profile"
    assert set(ids) == set(CORE_IDS)


def test_library_data_core_ids_match_shared_list(requirements_dir: Path):
    shared = (requirements_dir / "core_ids.txt").read_text(encoding="utf-8").split()
    assert sorted(shared) == sorted(CORE_IDS)


def test_library_data_default_profile_in_catalogue_order(lib, requirements_dir: Path):
    cat = _catalogue_requirements(requirements_dir)
    ids = list(lib.profiles["default"].requirement_ids)
    assert ids == sorted(ids, key=lambda i: cat[i]["order"])


def test_library_data_gdpr_profile_is_exactly_the_19_art28_ids(lib):
    ids = lib.profiles["gdpr"].requirement_ids
    assert list(ids) == GDPR_IDS


def test_library_data_gdpr_ids_match_shared_tsv(requirements_dir: Path):
    assert _gdpr_tsv_ids(requirements_dir) == GDPR_IDS


def test_library_data_all_required_profiles_exist(lib):
    for name in PROFILES:
        prof = lib.profiles[name]
        assert prof.label and prof.legal_basis and prof.description, name
        assert len(set(prof.requirement_ids)) == len(prof.requirement_ids), f"{name} lists an id twice"
        assert all(rid in lib.requirements for rid in prof.requirement_ids)


def test_library_data_state_profiles_extend_the_core(lib):
    core = set(CORE_IDS)
    for name in ("coppa", "ca", "ny", "il", "ct", "ndpa"):
        ids = set(lib.profiles[name].requirement_ids)
        assert core <= ids, f"{name} drops core protections: {sorted(core - ids)}"
        assert len(ids) > len(core), f"{name} adds nothing to the core"
    assert "ny_parents_bill_of_rights" in lib.profiles["ny"].requirement_ids
    assert "governing_law_state" in lib.profiles["ct"].requirement_ids
    assert "deletion_after_unenrollment" in lib.profiles["ca"].requirement_ids
    assert "school_official_designation" in lib.profiles["ferpa"].requirement_ids


# --------------------------------------------------------------------------- thresholds


@pytest.mark.parametrize(
    ("profile", "value", "verified", "clock", "is_law"),
    [
        ("default", 72, "recommendation", "discovery", False),
        ("ny", 168, "primary", "discovery", True),
        ("ct", 720, "secondary", "discovery", True),
        ("il", 720, "unverified", "determination", False),
        ("ndpa", 72, "unverified", "discovery", False),
        ("gdpr", None, "primary", "discovery", True),
    ],
)
def test_library_data_breach_thresholds(lib, profile, value, verified, clock, is_law):
    th = lib.with_profile(profile).threshold("breach_notice_max_hours")
    assert th is not None
    assert (th.value, th.unit, th.verified, th.clock_start, th.is_law) == (
        value,
        "hours",
        verified,
        clock,
        is_law,
    )
    assert th.basis


def test_library_data_deletion_thresholds(lib):
    default = lib.with_profile("default")
    for param in ("deletion_after_request_days", "deletion_after_termination_days"):
        th = default.threshold(param)
        assert th is not None and th.value == 60 and th.unit == "days"
        assert not th.is_law, "the 60-day default is the project's recommendation, not law"
    ndpa = lib.with_profile("ndpa").threshold("deletion_after_request_days")
    assert (ndpa.value, ndpa.verified, ndpa.is_law) == (60, "model_text", False)
    ca = lib.with_profile("ca").threshold("deletion_after_unenrollment_days")
    assert (ca.value, ca.verified) == (60, "secondary")


def test_library_data_only_primary_or_secondary_thresholds_are_law(lib):
    for prof in lib.profiles.values():
        for th in prof.thresholds.values():
            assert th.is_law == (th.verified in ("primary", "secondary")), (prof.name, th.parameter)
            if th.verified in ("unverified", "recommendation", "model_text", "policy"):
                assert not th.is_law


def test_library_data_threshold_parameters_belong_to_requirements(lib):
    declared = {p for r in lib.requirements.values() for p in r.parameters}
    for prof in lib.profiles.values():
        for param in prof.thresholds:
            assert param in declared, f"{prof.name}: threshold {param} is not a parameter of any requirement"


# --------------------------------------------------------------------------- requirements


def test_library_data_all_catalogue_ids_have_a_file(lib, requirements_dir: Path):
    cat = _catalogue_requirements(requirements_dir)
    assert len(cat) == 72
    missing = sorted(set(cat) - set(lib.requirements))
    assert not missing
    assert set(GDPR_IDS) <= set(lib.requirements)
    files = {p.stem for p in (builtin_library_dir() / "requirements").glob("*.toml")}
    assert files == set(lib.requirements)


def test_library_data_requirement_fields_are_complete(lib):
    for r in lib.requirements.values():
        assert r.category in CATEGORIES, r.id
        assert isinstance(r.severity, Severity)
        assert r.sources, f"{r.id} has no citation"
        assert all(s.citation and s.verified for s in r.sources), r.id
        assert r.vendor_question.endswith("?"), r.id
        for text in (r.title, r.description, r.why, r.suggested_language):
            assert len(text) >= 20, r.id
        assert r.origin.endswith(f"requirements/{r.id}.toml")


def test_library_data_texts_are_not_duplicated(lib):
    for field in ("description", "why", "suggested_language", "vendor_question"):
        values = [getattr(r, field) for r in lib.requirements.values()]
        dupes = {v for v in values if values.count(v) > 1}
        assert not dupes, f"duplicated {field}: {sorted(dupes)[:2]}"


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_library_data_descriptions_are_in_own_words(lib, requirements_dir: Path):
    """No 8-word run of a catalogue description is reproduced in the library's description."""
    cat = _catalogue_requirements(requirements_dir)
    copied = []
    for rid, facts in cat.items():
        ours = lib.requirements[rid]
        overlap = _shingles(facts["description"], 8) & _shingles(ours.description + " " + ours.why, 8)
        if overlap:
            copied.append((rid, " ".join(next(iter(overlap)))))
    assert not copied, copied


def test_library_data_sources_match_catalogue_facts(lib, requirements_dir: Path):
    """Every catalogued source appears, with its status and a verification level no stronger than catalogued."""
    cat = _catalogue_requirements(requirements_dir)
    rank = ["primary", "secondary", "model_text", "unverified"]
    for rid, facts in cat.items():
        ours = lib.requirements[rid].sources
        assert len(ours) == len(facts["sources"]), rid
        for mine, theirs in zip(ours, facts["sources"], strict=True):
            assert mine.status == theirs["status"], (rid, mine.citation)
            catalogued = [t for t in rank if t in theirs["verified"]]
            assert catalogued, (rid, theirs)
            # compound entries ("primary / unverified") keep the weakest level
            assert mine.verified == max(catalogued, key=rank.index), (rid, mine.citation)
            section_head = re.split(r"[ (]", theirs["section"])[0]
            assert section_head in mine.citation, (rid, mine.citation, theirs["section"])


def test_library_data_unverified_sources_are_marked(lib):
    unverified = [s for r in lib.requirements.values() for s in r.sources if s.verified == "unverified"]
    assert unverified, "the catalogue has unverified items; they must stay marked"
    assert not any(s.is_verified for s in unverified)
    il_breach = [
        s for s in lib.requirements["breach_notice_deadline_to_lea"].sources if "85/15(5)" in s.citation
    ]
    assert il_breach and not il_breach[0].is_verified


def test_library_data_parameters_declared(lib):
    assert lib.requirements["breach_notice_deadline_to_lea"].parameters == ("breach_notice_max_hours",)
    assert lib.requirements["deletion_on_lea_request"].parameters == ("deletion_after_request_days",)
    assert lib.requirements["deletion_or_return_at_contract_end"].parameters == (
        "deletion_after_termination_days",
    )


# --------------------------------------------------------------------------- patterns


def test_library_data_every_pattern_label_resolves(lib):
    patterns = lib.all_patterns()
    assert patterns, "no pattern files were loaded"
    for p in patterns:
        assert p["label"] == COMMON_LABEL or p["label"] in lib.requirements, p
        assert p["kind"] in PATTERN_KINDS, p
    for rid in lib.requirements:
        for p in lib.patterns_for(rid):
            assert p["label"] == rid


def test_library_data_every_core_requirement_has_a_cue(lib):
    lacking = [rid for rid in CORE_IDS if not any(p["kind"] == "cue" for p in lib.patterns_for(rid))]
    assert not lacking, lacking


def test_library_data_pattern_rule_ids_unique_per_file(lib):
    for rid in [*lib.requirements, COMMON_LABEL]:
        ids = [p["id"] for p in lib._patterns.get(rid, ())]
        assert len(ids) == len(set(ids)), rid
