"""The clause library: requirements, profiles and cue patterns kept as data in ``clause_library/``.

The library is content that lawyers edit, so it lives in TOML and JSONL files with a schema version,
and every problem found while loading names the file and the field. A district may keep its own
folder with the same layout (a *playbook*); it is merged over the built-in library on load, and the
library version then carries a ``+user:<hash>`` suffix so that every analysis records which rules
produced it.

Layout (see ``clause_library/schema.md`` for the field reference)::

    library.toml                     name, version, schema_version, kind = "base" | "overlay"
    requirements/<id>.toml           one requirement per file (id == file stem)
    profiles/<name>.toml             requirement lists and thresholds (name == file stem)
    patterns/<id>.jsonl              spaCy SpanRuler patterns (label == file stem, or _common.jsonl)
    lexicons/<name>.toml             word lists the engine reads (hedges, negation, parties, ...)
    weights.json                     weights of the decision model

Everything the engine knows comes from here, so the fingerprint of these files (recorded in every
analysis) says which knowledge produced a finding. A requirement without a ``cue`` pattern has no
detector: the engine reports it as ``needs_review``, never as ``missing``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .domain import Profile, Requirement, Severity, Source, Threshold
from .errors import LibraryValidationError, UnknownProfileError
from .inflection import MAX_PHRASES, count_phrases
from .paths import clause_library_dir

__all__ = [
    "CATEGORIES",
    "CLOCK_STARTS",
    "PATTERN_KINDS",
    "SCHEMA_VERSION",
    "ClauseLibrary",
    "builtin_library_dir",
    "check_library_dir",
    "clear_cache",
    "library_version",
    "list_profiles",
    "load_library",
    "load_library_dir",
    "validate_library_dir",
]

SCHEMA_VERSION = 1  # newest schema this code understands

PATTERN_KINDS: tuple[str, ...] = ("cue", "commit", "weak", "deny", "scope", "exclude")
COMMON_LABEL = "_common"

CATEGORIES: tuple[str, ...] = (
    "data_use",
    "disclosure",
    "commercial_use",
    "ownership",
    "access_rights",
    "retention_deletion",
    "breach",
    "security",
    "subprocessors",
    "contract_terms",
    "transparency",
    "gdpr_processor",
)
SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)
SOURCE_VERIFIED: tuple[str, ...] = ("primary", "secondary", "model_text", "unverified")
# "recommendation": the project's advice; "policy": a district's own playbook value. Neither is law.
THRESHOLD_VERIFIED: tuple[str, ...] = (*SOURCE_VERIFIED, "recommendation", "policy")
CLOCK_STARTS: tuple[str, ...] = (
    "discovery",
    "confirmation",
    "determination",
    "request",
    "termination",
    "other",
)
UNITS: tuple[str, ...] = ("hours", "days", "months")
_UNIT_SUFFIX = {"_hours": "hours", "_days": "days", "_months": "months"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_LIBRARY_KEYS = {"schema_version", "name", "version", "kind", "description"}
_REQ_REQUIRED = (
    "id",
    "title",
    "category",
    "severity",
    "description",
    "why",
    "sources",
    "suggested_language",
    "vendor_question",
)
_REQ_OPTIONAL = (
    "schema_version",
    "parameters",
    "weak_cues",
    "notes",
    "deadline_required",
    "notice_to",
    "right_of",
    "prohibited_verbs",
    "definition_is_evidence",
)
_REQ_BOOLS = ("deadline_required", "definition_is_evidence")
NOTICE_RECIPIENTS: tuple[str, ...] = ("school", "user", "authority")
RIGHT_HOLDERS: tuple[str, ...] = ("school", "user", "school_or_user")
_REQ_STRINGS = (
    "id",
    "title",
    "category",
    "severity",
    "description",
    "why",
    "suggested_language",
    "vendor_question",
    "notes",
)
_REQ_LISTS = ("parameters", "weak_cues", "prohibited_verbs")
_SOURCE_KEYS = {"citation", "name", "status", "verified", "note"}
_PROFILE_KEYS = {
    "schema_version", "name", "label", "legal_basis", "description",
    "extends", "requirements", "add", "remove", "thresholds",
}  # fmt: skip
_THRESHOLD_KEYS = {"value", "unit", "basis", "verified", "clock_start"}
_PATTERN_REQUIRED = ("label", "id", "kind", "pattern", "example")
_PATTERN_OPTIONAL = ("note", "weight")

# Lexicons: the word lists of the engine, by file stem -> the lists ([lists]) and tables ([maps]) it holds.
LEXICONS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "hedges": {"lists": ("hedges", "permission_subjects", "generic_weak"), "maps": ()},
        "negation": {
            "lists": (
                "negations", "exceptions", "refusals", "broad_carve_outs", "negators",
                "between_negation_and_verb", "use_verbs",
            ),
            "maps": (),
        },  # fmt: skip
        "parties": {
            "lists": (
                "vendor", "school", "user", "authority", "data_nouns", "obligation_words", "notify_words",
            ),
            "maps": (),
        },
        "timing": {"lists": ("vague_timing",), "maps": ()},
        "governing_law": {"lists": ("not_places",), "maps": ("adjective_countries",)},
        # The key-term reader's words: the engine builds regular expressions from them, so each entry must be
        # a plain word or phrase (``_KEYTERM_WORD``), a ``*_stems`` entry one word beginning (``_KEYTERM_STEM``),
        # and no list may be empty (an empty alternation would match everywhere).
        "keyterms": {
            "lists": (
                "destruction_stems", "return_stems", "not_deleted", "paperwork_verbs", "request_events",
                "end_events", "ask_verbs", "agreement_nouns", "agreement_end_verbs", "ending_verbs",
                "period_end_verbs", "notice_stems", "notice_stem_exclusions", "notice_words", "notice_nouns",
                "other_duty_verbs", "modal_words", "school_parties", "school_recipients", "user_parties",
                "authority_parties", "vendor_names", "child_words", "clock_events", "account_users",
                "account_acts", "keeping_verbs", "requesting_others", "breach_event_stems",
                "other_notice_event_stems", "other_notice_event_words", "duty_verbs",
            ),
            "maps": (),
        },  # fmt: skip
    }
)
# Lexicons whose words become parts of regular expressions (see ``_check_lexicon``).
_PATTERN_LEXICONS = frozenset({"keyterms"})
_KEYTERM_WORD = re.compile(r"[^\W\d_]+(?:(?: |-|'|’)[^\W\d_]+)*")  # "end of", "sub-processor", "child's"
_KEYTERM_STEM = re.compile(r"[^\W\d_]+")
_LEXICON_KEYS = {"schema_version", "description", "lists", "maps", "add"}
# weights.json: the sections and numbers the decision model reads (anything else is an error).
_WEIGHT_SECTIONS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {  # section -> (required numbers, optional numbers)
        "relevance": (("cue", "cue_cap", "heading", "commit", "min_relevance"), ("weak",)),
        "quality": (("commit", "modal", "weak", "hedge", "deny", "exception"), ("other_party", "user_only")),
    }
)
_WEIGHT_NUMBERS = ("satisfied_threshold", "deny_anywhere_penalty", "max_evidence")
_WEIGHT_KEYS = {"schema_version", "note", "model", "lead_in_categories", *_WEIGHT_SECTIONS, *_WEIGHT_NUMBERS}
_TOKEN_KEYS = {
    "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "LEMMA", "SHAPE", "POS", "TAG", "MORPH", "DEP",
    "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "IS_BRACKET",
    "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM", "LIKE_URL",
    "LIKE_EMAIL", "SPACY", "SENT_START", "OP", "_",
}  # fmt: skip
_TOKEN_OPS = {"!", "?", "+", "*", "{"}
_TOKEN_BOOL_PREFIXES = ("IS_", "LIKE_", "SENT_START", "SPACY")
_TOKEN_OPERATORS = {
    "IN",
    "NOT_IN",
    "REGEX",
    "FUZZY",
    "IS_SUBSET",
    "IS_SUPERSET",
    "INTERSECTS",
    "==",
    "!=",
    ">=",
    "<=",
    ">",
    "<",
}


# --------------------------------------------------------------------------- problems


class _Problems:
    """Collects validation problems; ``strict`` raises the first one instead."""

    def __init__(self, strict: bool, token_validator: Any = None, example_checker: Any = None) -> None:
        self.strict = strict
        # spaCy's own token-pattern schema, used by validate_library_dir (importing spaCy costs ~1.5 s)
        self.token_validator = token_validator
        # Matches each pattern against its own example (validate_library_dir only: it needs spaCy):
        # called with [(pattern, where)], returns [(where, reason)].
        self.example_checker = example_checker
        self.items: list[LibraryValidationError] = []

    def add(self, reason: str, path: Path | str, field: str = "") -> None:
        err = LibraryValidationError(reason, str(path), field)
        if self.strict:
            raise err
        self.items.append(err)


def _display(path: Path, root: Path) -> str:
    """Path shown in messages: relative to the library folder's parent (``clause_library/requirements/x.toml``)."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- raw layer


@dataclass(slots=True)
class _Layer:
    """One folder read from disk, before merging: plain dicts keyed by id, in file order."""

    root: Path
    kind: str  # base | overlay
    meta: dict[str, Any]
    requirements: dict[str, tuple[dict[str, Any], str]]  # id -> (table, shown path)
    profiles: dict[str, tuple[dict[str, Any], str]]
    patterns: dict[str, list[tuple[dict[str, Any], str, int]]]  # stem -> [(pattern, shown path, line)]
    files: list[Path]
    lexicons: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # stem -> (table, shown)
    weights: tuple[dict[str, Any], str] | None = None


def _read_toml(path: Path, shown: str, problems: _Problems) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        problems.add(f"is not valid TOML: {exc}", shown)
    except OSError as exc:
        problems.add(f"cannot be read: {exc.strerror or exc}", shown)
    except UnicodeDecodeError:
        problems.add("is not UTF-8 text", shown)
    return None


def _check_schema_version(
    data: Mapping[str, Any], shown: str, problems: _Problems, *, required: bool
) -> None:
    if "schema_version" not in data:
        if required:
            problems.add("missing required field", shown, "schema_version")
        return
    value = data["schema_version"]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        problems.add(f"schema_version must be a positive integer, not {value!r}", shown, "schema_version")
    elif value > SCHEMA_VERSION:
        problems.add(
            f"schema_version {value} is newer than this ContractReview supports ({SCHEMA_VERSION}); "
            "update ContractReview to use this library",
            shown,
            "schema_version",
        )


def _read_layer(root: Path, problems: _Problems, *, default_kind: str) -> _Layer:
    root = Path(root)
    if not root.is_dir():
        problems.add("is not a folder with a clause library", str(root))
        return _Layer(root, default_kind, {}, {}, {}, {}, [])
    files: list[Path] = []
    meta: dict[str, Any] = {}
    kind = default_kind
    lib_file = root / "library.toml"
    if lib_file.is_file():
        files.append(lib_file)
        shown = _display(lib_file, root)
        data = _read_toml(lib_file, shown, problems)
        if data is not None:
            for key in data:
                if key not in _LIBRARY_KEYS:
                    problems.add(f"unknown key '{key}'", shown, key)
            _check_schema_version(data, shown, problems, required=True)
            kind = data.get("kind", default_kind)
            if kind not in ("base", "overlay"):
                problems.add(f"kind must be 'base' or 'overlay', not {kind!r}", shown, "kind")
                kind = default_kind
            for key in ("name", "version", "description"):
                if key in data and not isinstance(data[key], str):
                    problems.add("must be a string", shown, key)
            if kind == "base":
                for key in ("name", "version"):
                    if not data.get(key):
                        problems.add("missing required field", shown, key)
            meta = dict(data)
    elif default_kind == "base":
        problems.add("missing library.toml (name, version, schema_version)", _display(lib_file, root))

    requirements: dict[str, tuple[dict[str, Any], str]] = {}
    profiles: dict[str, tuple[dict[str, Any], str]] = {}
    lexicons: dict[str, tuple[dict[str, Any], str]] = {}
    for sub, target in (("requirements", requirements), ("profiles", profiles), ("lexicons", lexicons)):
        folder = root / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            shown = _display(path, root)
            if path.suffix != ".toml":
                problems.add("unexpected file (only .toml files belong here)", shown)
                continue
            files.append(path)
            data = _read_toml(path, shown, problems)
            if data is None:
                continue
            _check_schema_version(data, shown, problems, required=True)
            target[path.stem] = (data, shown)

    patterns: dict[str, list[tuple[dict[str, Any], str, int]]] = {}
    folder = root / "patterns"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            shown = _display(path, root)
            if path.suffix != ".jsonl":
                problems.add("unexpected file (only .jsonl pattern files belong here)", shown)
                continue
            files.append(path)
            patterns[path.stem] = _read_patterns(path, shown, problems)
    weights: tuple[dict[str, Any], str] | None = None
    weights_file = root / "weights.json"
    if weights_file.is_file():
        files.append(weights_file)
        shown = _display(weights_file, root)
        try:
            data = json.loads(weights_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.add(f"cannot be read as UTF-8 text: {exc}", shown)
        except json.JSONDecodeError as exc:
            problems.add(f"is not valid JSON: {exc.msg} (line {exc.lineno})", shown)
        else:
            if not isinstance(data, dict):
                problems.add("is not a JSON object", shown)
            else:
                _check_schema_version(data, shown, problems, required=True)
                weights = (data, shown)
    return _Layer(root, kind, meta, requirements, profiles, patterns, files, lexicons, weights)


def _read_patterns(path: Path, shown: str, problems: _Problems) -> list[tuple[dict[str, Any], str, int]]:
    out: list[tuple[dict[str, Any], str, int]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(f"cannot be read as UTF-8 text: {exc}", shown)
        return out
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{shown}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.add(f"is not a JSON object: {exc.msg}", where)
            continue
        if not isinstance(obj, dict):
            problems.add("is not a JSON object", where)
            continue
        out.append((obj, where, lineno))
    return out


# --------------------------------------------------------------------------- validation of one table


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_requirement(
    stem: str, data: Mapping[str, Any], shown: str, problems: _Problems, *, partial: bool
) -> bool:
    """Check one requirement table; ``partial`` allows an overlay to give only the fields it overrides."""
    ok = True
    for key in data:
        if key not in _REQ_REQUIRED and key not in _REQ_OPTIONAL:
            problems.add(f"unknown key '{key}'", shown, key)
            ok = False
    required = ("id",) if partial else _REQ_REQUIRED
    for key in required:
        if key not in data:
            problems.add("missing required field", shown, key)
            ok = False
    for key in _REQ_STRINGS:
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.add("must be a non-empty string", shown, key)
            ok = False
    if isinstance(data.get("id"), str):
        if data["id"] != stem:
            problems.add(f"id '{data['id']}' does not match the file name '{stem}'", shown, "id")
            ok = False
        elif not _ID_RE.match(stem):
            problems.add("id must be lower_snake_case (a-z, 0-9, _)", shown, "id")
            ok = False
    if isinstance(data.get("severity"), str) and data["severity"] not in SEVERITIES:
        problems.add(
            f"unknown severity '{data['severity']}' (use one of: {', '.join(SEVERITIES)})", shown, "severity"
        )
        ok = False
    if isinstance(data.get("category"), str) and data["category"] not in CATEGORIES:
        problems.add(
            f"unknown category '{data['category']}' (use one of: {', '.join(CATEGORIES)})", shown, "category"
        )
        ok = False
    for key in _REQ_LISTS:
        if key in data and not _is_str_list(data[key]):
            problems.add("must be a list of non-empty strings", shown, key)
            ok = False
    if "parameters" in data and _is_str_list(data["parameters"]):
        for name in data["parameters"]:
            if not _ID_RE.match(name):
                problems.add(f"parameter name '{name}' must be lower_snake_case", shown, "parameters")
                ok = False
    for key in _REQ_BOOLS:
        if key in data and not isinstance(data[key], bool):
            problems.add("must be true or false", shown, key)
            ok = False
    for key, allowed in (("notice_to", NOTICE_RECIPIENTS), ("right_of", RIGHT_HOLDERS)):
        if key in data and data[key] not in allowed:
            problems.add(f"unknown value {data[key]!r} (use one of: {', '.join(allowed)})", shown, key)
            ok = False
    if data.get("deadline_required") is True and not partial and not data.get("parameters"):
        problems.add(
            "a required deadline needs a parameter naming it (parameters = [\"..._days\"])",
            shown,
            "deadline_required",
        )
        ok = False
    if "sources" in data:
        sources = data["sources"]
        if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
            problems.add("must be a list of [[sources]] tables", shown, "sources")
            ok = False
        else:
            if not sources and not partial:
                problems.add("needs at least one source (citation)", shown, "sources")
                ok = False
            for i, src in enumerate(sources):
                where = f"sources[{i}]"
                for key in src:
                    if key not in _SOURCE_KEYS:
                        problems.add(f"unknown key '{key}'", shown, f"{where}.{key}")
                        ok = False
                for key in ("citation", "verified"):
                    if not isinstance(src.get(key), str) or not src[key].strip():
                        problems.add("missing required field", shown, f"{where}.{key}")
                        ok = False
                for key in ("name", "status", "note"):
                    if key in src and not isinstance(src[key], str):
                        problems.add("must be a string", shown, f"{where}.{key}")
                        ok = False
                if (
                    isinstance(src.get("verified"), str)
                    and src["verified"]
                    and src["verified"] not in SOURCE_VERIFIED
                ):
                    problems.add(
                        f"unknown verification '{src['verified']}' (use one of: {', '.join(SOURCE_VERIFIED)})",
                        shown,
                        f"{where}.verified",
                    )
                    ok = False
    return ok


def _check_lexicon(
    stem: str, data: Mapping[str, Any], shown: str, problems: _Problems, *, partial: bool
) -> bool:
    """Check one lexicon file; ``partial`` (an overlay) may give only the lists it replaces or extends."""
    schema = LEXICONS.get(stem)
    if schema is None:
        problems.add(f"unknown lexicon '{stem}' (use one of: {', '.join(LEXICONS)})", shown)
        return False
    ok = True
    for key in data:
        if key not in _LEXICON_KEYS:
            problems.add(f"unknown key '{key}'", shown, key)
            ok = False
    if "description" in data and not isinstance(data["description"], str):
        problems.add("must be a string", shown, "description")
        ok = False
    for section, allowed in (("lists", schema["lists"]), ("add", schema["lists"]), ("maps", schema["maps"])):
        table = data.get(section, {})
        if not isinstance(table, dict):
            problems.add(f"must be a [{section}] table", shown, section)
            ok = False
            continue
        for key, value in table.items():
            where = f"{section}.{key}"
            if key not in allowed:
                known = ", ".join(allowed) or "none"
                problems.add(f"unknown list '{key}' (this lexicon has: {known})", shown, where)
                ok = False
            elif section == "maps":
                if not isinstance(value, dict) or not all(
                    isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
                    for k, v in value.items()
                ):
                    problems.add("must be a table of non-empty strings", shown, where)
                    ok = False
            elif not _is_str_list(value):
                problems.add("must be a list of non-empty strings", shown, where)
                ok = False
            elif stem in _PATTERN_LEXICONS and not _pattern_words_ok(key, value, section, shown, where, problems):
                ok = False
    if not partial:
        for section in ("lists", "maps"):
            given = data.get(section, {})
            for key in schema[section]:
                if not isinstance(given, dict) or key not in given:
                    problems.add("missing required list", shown, f"{section}.{key}")
                    ok = False
    return ok


def _pattern_words_ok(
    key: str, words: list[str], section: str, shown: str, where: str, problems: _Problems
) -> bool:
    """Words the engine turns into regular expressions: plain words only, and a replaced list not empty."""
    ok = True
    if not words and section == "lists":
        problems.add("must not be empty (the engine would match every word)", shown, where)
        ok = False
    stems = key.endswith("_stems")
    for word in words:
        if stems and not _KEYTERM_STEM.fullmatch(word):
            problems.add(f"'{word}' is not a word beginning: letters only, one word (e.g. \"delet\")", shown, where)
            ok = False
        elif not stems and not _KEYTERM_WORD.fullmatch(word):
            problems.add(
                f"'{word}' is not a plain word or phrase: letters separated by single spaces, hyphens or "
                "apostrophes (the engine builds its patterns from these words; no regular-expression characters)",
                shown,
                where,
            )
            ok = False
    return ok


def _check_weights(data: Mapping[str, Any], shown: str, problems: _Problems, *, partial: bool) -> bool:
    """Check ``weights.json``; an overlay (``partial``) may give only the numbers it changes."""
    ok = True

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    for key in data:
        if key not in _WEIGHT_KEYS:
            problems.add(f"unknown key '{key}'", shown, key)
            ok = False
    for key in _WEIGHT_NUMBERS:
        if key in data and not number(data[key]):
            problems.add(f"must be a number, not {data[key]!r}", shown, key)
            ok = False
        elif key not in data and not partial:
            problems.add("missing required field", shown, key)
            ok = False
    for section, (required, optional) in _WEIGHT_SECTIONS.items():
        table = data.get(section)
        if table is None:
            if not partial:
                problems.add("missing required field", shown, section)
                ok = False
            continue
        if not isinstance(table, dict):
            problems.add("must be an object of numbers", shown, section)
            ok = False
            continue
        for key, value in table.items():
            if key not in required and key not in optional:
                problems.add(f"unknown key '{key}'", shown, f"{section}.{key}")
                ok = False
            elif not number(value):
                problems.add(f"must be a number, not {value!r}", shown, f"{section}.{key}")
                ok = False
        for key in required if not partial else ():
            if key not in table:
                problems.add("missing required field", shown, f"{section}.{key}")
                ok = False
    cats = data.get("lead_in_categories", [])
    if not _is_str_list(cats) or any(c not in CATEGORIES for c in cats):
        problems.add(
            f"must be a list of categories (use: {', '.join(CATEGORIES)})", shown, "lead_in_categories"
        )
        ok = False
    if "model" in data and not isinstance(data["model"], dict):
        problems.add("must be an object (the fitted status model)", shown, "model")
        ok = False
    return ok


def _check_threshold(
    parameter: str, data: Any, shown: str, problems: _Problems, *, overlay: bool
) -> Threshold | None:
    field = f"thresholds.{parameter}"
    if not isinstance(data, dict):
        problems.add("must be a table (value, unit, basis, verified, clock_start)", shown, field)
        return None
    ok = True
    if not _ID_RE.match(parameter):
        problems.add(f"parameter name '{parameter}' must be lower_snake_case", shown, field)
        ok = False
    for key in data:
        if key not in _THRESHOLD_KEYS:
            problems.add(f"unknown key '{key}'", shown, f"{field}.{key}")
            ok = False
    value = data.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
        problems.add(f"value must be a non-negative number, not {value!r}", shown, f"{field}.value")
        ok = False
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit:
        problems.add("missing required field", shown, f"{field}.unit")
        ok = False
    elif unit not in UNITS:
        problems.add(f"unknown unit '{unit}' (use one of: {', '.join(UNITS)})", shown, f"{field}.unit")
        ok = False
    else:
        for suffix, expected in _UNIT_SUFFIX.items():
            if parameter.endswith(suffix) and unit != expected:
                problems.add(
                    f"unit '{unit}' does not match the parameter name (expected '{expected}')",
                    shown,
                    f"{field}.unit",
                )
                ok = False
    basis = data.get("basis")
    if not isinstance(basis, str) or not basis.strip():
        problems.add("missing required field (say where the number comes from)", shown, f"{field}.basis")
        ok = False
    verified = data.get("verified", "policy" if overlay else None)
    if not isinstance(verified, str) or not verified:
        problems.add("missing required field", shown, f"{field}.verified")
        ok = False
    elif verified not in THRESHOLD_VERIFIED:
        problems.add(
            f"unknown verification '{verified}' (use one of: {', '.join(THRESHOLD_VERIFIED)})",
            shown,
            f"{field}.verified",
        )
        ok = False
    clock = data.get("clock_start", "")
    if not isinstance(clock, str) or (clock and clock not in CLOCK_STARTS):
        problems.add(
            f"unknown clock_start {clock!r} (use one of: {', '.join(CLOCK_STARTS)})",
            shown,
            f"{field}.clock_start",
        )
        ok = False
    if not ok or not isinstance(unit, str) or not isinstance(basis, str) or not isinstance(verified, str):
        return None
    return Threshold(
        parameter=parameter,
        value=None if value is None else (int(value) if float(value).is_integer() else float(value)),
        unit=unit,
        basis=basis.strip(),
        verified=verified,
        clock_start=clock,
    )


def _check_pattern(
    obj: Mapping[str, Any], stem: str, where: str, known: set[str], problems: _Problems
) -> bool:
    ok = True
    for key in obj:
        if key not in _PATTERN_REQUIRED and key not in _PATTERN_OPTIONAL:
            problems.add(f"unknown key '{key}'", where, key)
            ok = False
    for key in _PATTERN_REQUIRED:
        if key not in obj:
            problems.add("missing required field", where, key)
            ok = False
    label = obj.get("label")
    if "label" in obj:
        if not isinstance(label, str) or (label != COMMON_LABEL and label not in known):
            problems.add(f"label {label!r} is not a requirement id (or '{COMMON_LABEL}')", where, "label")
            ok = False
        elif label != stem:
            problems.add(f"label '{label}' does not match the file name '{stem}'", where, "label")
            ok = False
    if "id" in obj and (not isinstance(obj["id"], str) or not obj["id"].strip()):
        problems.add("must be a non-empty string (the rule name)", where, "id")
        ok = False
    if "kind" in obj and obj["kind"] not in PATTERN_KINDS:
        problems.add(f"unknown kind {obj['kind']!r} (use one of: {', '.join(PATTERN_KINDS)})", where, "kind")
        ok = False
    if "example" in obj and (not isinstance(obj["example"], str) or not obj["example"].strip()):
        problems.add("must be a non-empty string (a sentence the pattern matches)", where, "example")
        ok = False
    if "pattern" in obj:
        reason = _pattern_problem(obj["pattern"])
        if not reason and isinstance(obj["pattern"], list) and problems.token_validator is not None:
            errors = problems.token_validator(obj["pattern"])
            reason = f"spaCy rejects the token pattern: {errors[0]}" if errors else ""
        if reason:
            problems.add(reason, where, "pattern")
            ok = False
    return ok


def _pattern_problem(pattern: Any) -> str:
    """Why ``pattern`` is not a spaCy phrase or token pattern, or an article citation ("" when it is fine)."""
    if isinstance(pattern, str):
        return "" if pattern.strip() else "phrase pattern is empty"
    if isinstance(pattern, dict) and set(pattern) == {"LEMMA"}:
        phrase = pattern["LEMMA"]
        if not isinstance(phrase, str) or not phrase.strip():
            return "LEMMA must be a non-empty phrase in dictionary form"
        if (n := count_phrases(phrase)) > MAX_PHRASES:
            return f"the lemma phrase stands for {n} phrases (at most {MAX_PHRASES}): use fewer words"
        return ""
    if isinstance(pattern, dict):
        numbers = pattern.get("ARTICLES")
        if set(pattern) != {"ARTICLES"} or not isinstance(numbers, list) or not numbers:
            return 'an object pattern must be {"LEMMA": "phrase"} or {"ARTICLES": [article numbers]}'
        if not all(isinstance(n, int) and not isinstance(n, bool) and 0 < n < 1000 for n in numbers):
            return "ARTICLES must list whole article numbers between 1 and 999"
        return ""
    if not isinstance(pattern, list) or not pattern:
        return (
            'must be a phrase string, {"LEMMA": "phrase"}, a non-empty list of token objects or '
            '{"ARTICLES": [numbers]}'
        )
    for i, token in enumerate(pattern):
        if not isinstance(token, dict):
            return f"token {i} is not an object"
        if not token:
            continue  # {} matches any token, a legitimate wildcard
        for key, value in token.items():
            if key not in _TOKEN_KEYS:
                return f"token {i}: unknown attribute '{key}'"
            if key == "OP" and (
                not isinstance(value, str) or (value not in _TOKEN_OPS and not value.startswith("{"))
            ):
                return f"token {i}: unknown OP {value!r}"
            if key in ("OP", "_"):
                continue
            expected: tuple[type, ...] = (
                (bool,) if key.startswith(_TOKEN_BOOL_PREFIXES) else (int,) if key == "LENGTH" else (str,)
            )
            if not isinstance(value, (*expected, dict)) or (isinstance(value, bool) and bool not in expected):
                return (
                    f"token {i}: {key} must be a {expected[0].__name__} or an operator object, not {value!r}"
                )
            if isinstance(value, dict):
                for op, arg in value.items():
                    if op not in _TOKEN_OPERATORS and not op.startswith("FUZZY"):
                        return f"token {i}: {key} has unknown operator '{op}'"
                    if op in ("IN", "NOT_IN") and not isinstance(arg, list):
                        return f"token {i}: {key}.{op} must be a list"
                    if op == "REGEX":
                        if not isinstance(arg, str):
                            return f"token {i}: {key}.REGEX must be a string"
                        try:
                            re.compile(arg)
                        except re.error as exc:
                            return f"token {i}: bad regular expression in {key}: {exc}"
    return ""


# --------------------------------------------------------------------------- building domain objects


def _requirement_from(data: Mapping[str, Any], origin: str) -> Requirement:
    return Requirement(
        id=data["id"],
        title=data["title"].strip(),
        category=data["category"],
        severity=Severity(data["severity"]),
        description=data["description"].strip(),
        why=data["why"].strip(),
        sources=tuple(
            Source(
                citation=s["citation"].strip(),
                name=s.get("name", "").strip(),
                status=s.get("status", "").strip(),
                verified=s["verified"],
            )
            for s in data["sources"]
        ),
        suggested_language=data["suggested_language"].strip(),
        vendor_question=data["vendor_question"].strip(),
        parameters=tuple(data.get("parameters", ())),
        weak_cues=tuple(data.get("weak_cues", ())),
        origin=origin,
        deadline_required=bool(data.get("deadline_required", False)),
        notice_to=data.get("notice_to", ""),
        right_of=data.get("right_of", ""),
        prohibited_verbs=tuple(data.get("prohibited_verbs", ())),
        definition_is_evidence=bool(data.get("definition_is_evidence", False)),
    )


@dataclass(slots=True)
class _Merged:
    meta: dict[str, Any]
    requirements: dict[str, Requirement]
    profiles: dict[str, Profile]
    patterns: dict[str, list[dict[str, Any]]]
    files: list[tuple[Path, Path]]  # (root, file)
    user_root: Path | None
    lexicons: dict[str, dict[str, Any]] = field(default_factory=dict)  # stem -> {"lists": ..., "maps": ...}
    weights: dict[str, Any] = field(default_factory=dict)


def _merge(layers: list[_Layer], problems: _Problems, check_examples_of: Path | None = None) -> _Merged:
    """Merge a base layer and optional overlays into domain objects, reporting every problem."""
    meta: dict[str, Any] = {}
    req_tables: dict[str, tuple[dict[str, Any], str]] = {}
    for n, layer in enumerate(layers):
        if n == 0:
            meta = dict(layer.meta)
        for stem, (data, shown) in layer.requirements.items():
            if stem in req_tables and n > 0:
                if _check_requirement(stem, data, shown, problems, partial=True):
                    base, _ = req_tables[stem]
                    merged = {**base, **{k: v for k, v in data.items() if k != "schema_version"}}
                    req_tables[stem] = (merged, shown)
            else:
                if _check_requirement(stem, data, shown, problems, partial=False):
                    req_tables[stem] = (dict(data), shown)
    requirements = {rid: _requirement_from(data, shown) for rid, (data, shown) in req_tables.items()}
    # Ids of requirement files that exist but failed validation still count as known, so one bad file
    # is reported once rather than again by every profile and pattern that names it.
    known = set(requirements) | {stem for layer in layers for stem in layer.requirements}

    # Profiles: resolve per layer so an overlay can refine a built-in profile of the same name.
    resolved: dict[str, Profile] = {}
    for n, layer in enumerate(layers):
        pending = dict(layer.profiles)
        for name in list(layer.profiles):
            _resolve_profile(name, pending, set(), resolved, known, problems, overlay=n > 0)

    patterns: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, dict[str, str]] = {}  # stem -> rule id -> where it was first defined
    to_try: list[tuple[dict[str, Any], str]] = []  # patterns whose example the checker runs
    for layer in layers:
        for stem, items in layer.patterns.items():
            file_shown = _display(layer.root / "patterns" / f"{stem}.jsonl", layer.root)
            if stem != COMMON_LABEL and stem not in known:
                problems.add(
                    f"pattern file '{stem}.jsonl' does not name a requirement id (or '{COMMON_LABEL}')",
                    file_shown,
                )
            rules = seen.setdefault(stem, {})
            for obj, where, _lineno in items:
                if not _check_pattern(obj, stem, where, known, problems):
                    continue
                rule = obj["id"]
                if rule in rules:
                    problems.add(f"rule id '{rule}' is already defined at {rules[rule]}", where, "id")
                    continue
                rules[rule] = where
                patterns.setdefault(stem, []).append(dict(obj))
                if layer.root == check_examples_of:
                    to_try.append((dict(obj), where))
    if problems.example_checker is not None and to_try:
        for where, reason in problems.example_checker(to_try):
            problems.add(reason, where, "example")

    lexicons: dict[str, dict[str, Any]] = {}
    weights: dict[str, Any] = {}
    for n, layer in enumerate(layers):
        for stem, (data, shown) in layer.lexicons.items():
            partial = n > 0 and stem in lexicons
            if not _check_lexicon(stem, data, shown, problems, partial=partial):
                continue
            lex = lexicons.setdefault(stem, {"lists": {}, "maps": {}})
            # An overlay's [lists] and [maps] replace the built-in ones of the same name; [add] extends them.
            for key, words in data.get("lists", {}).items():
                lex["lists"][key] = tuple(words)
            for key, table in data.get("maps", {}).items():
                lex["maps"][key] = dict(table)
            for key, words in data.get("add", {}).items():
                lex["lists"][key] = tuple(dict.fromkeys((*lex["lists"].get(key, ()), *words)))
        if layer.weights is not None:
            data, shown = layer.weights
            if _check_weights(data, shown, problems, partial=n > 0 and bool(weights)):
                for key, value in data.items():
                    if key == "schema_version":
                        continue
                    if isinstance(value, dict) and isinstance(weights.get(key), dict) and key != "model":
                        weights[key] = {**weights[key], **value}
                    else:
                        weights[key] = value
    if layers and layers[0].kind == "base" and layers[0].files:
        first = layers[0]
        for stem in LEXICONS:
            if stem not in first.lexicons:
                problems.add(
                    f"missing lexicon file (the engine reads its word lists from {stem}.toml)",
                    _display(first.root / "lexicons" / f"{stem}.toml", first.root),
                )
        if first.weights is None:
            problems.add(
                "missing weights.json (the weights of the decision model)",
                _display(first.root / "weights.json", first.root),
            )

    files = [(layer.root, f) for layer in layers for f in layer.files]
    return _Merged(
        meta,
        requirements,
        resolved,
        patterns,
        files,
        layers[-1].root if len(layers) > 1 else None,
        lexicons,
        weights,
    )


def _resolve_profile(
    name: str,
    pending: dict[str, tuple[dict[str, Any], str]],
    visiting: set[str],
    resolved: dict[str, Profile],
    known: set[str],
    problems: _Problems,
    *,
    overlay: bool,
) -> None:
    """Build profile ``name`` after the profile it extends (depth first, cycles reported)."""
    if name not in pending:
        return
    data, shown = pending[name]
    if name in visiting:
        problems.add(f"profile '{name}' is part of an 'extends' cycle", shown, "extends")
        pending.pop(name)
        return
    visiting.add(name)
    parent = data.get("extends")
    if isinstance(parent, str) and parent != name and parent in pending:
        _resolve_profile(parent, pending, visiting, resolved, known, problems, overlay=overlay)
    visiting.discard(name)
    if pending.pop(name, None) is None:
        return  # reported as part of a cycle
    profile = _build_profile(name, data, shown, resolved, known, problems, overlay=overlay)
    if profile is not None:
        resolved[name] = profile


def _build_profile(
    name: str,
    data: Mapping[str, Any],
    shown: str,
    resolved: Mapping[str, Profile],
    known: set[str],
    problems: _Problems,
    *,
    overlay: bool,
) -> Profile | None:
    ok = True
    for key in data:
        if key not in _PROFILE_KEYS:
            problems.add(f"unknown key '{key}'", shown, key)
            ok = False
    if data.get("name") != name:
        if "name" not in data:
            problems.add("missing required field", shown, "name")
        else:
            problems.add(f"name {data.get('name')!r} does not match the file name '{name}'", shown, "name")
        ok = False
    for key in ("label", "legal_basis", "description", "extends"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.add("must be a non-empty string", shown, key)
            ok = False
    for key in ("requirements", "add", "remove"):
        if key in data and not _is_str_list(data[key]):
            problems.add("must be a list of requirement ids", shown, key)
            ok = False
    if not ok:
        return None

    refines = overlay and name in resolved  # an overlay refining a built-in profile of the same name
    parent_name = data.get("extends")
    base: Profile | None = None
    if refines:
        base = resolved[name]
        if parent_name:
            problems.add(
                "a profile that refines a built-in profile cannot also extend another", shown, "extends"
            )
            return None
    elif parent_name:
        if parent_name == name or parent_name not in resolved:
            problems.add(f"extends unknown profile '{parent_name}'", shown, "extends")
            return None
        base = resolved[parent_name]
    elif "requirements" not in data:
        problems.add("missing required field (or 'extends')", shown, "requirements")
        return None
    if not refines and not data.get("label"):
        problems.add("missing required field", shown, "label")
        ok = False

    ids: list[str] = (
        list(data["requirements"]) if "requirements" in data else list(base.requirement_ids if base else ())
    )
    for key in ("requirements", "add", "remove"):
        values = data.get(key, [])
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            problems.add(f"lists {', '.join(dupes)} more than once", shown, key)
            ok = False
        for rid in values:
            if rid not in known:
                problems.add(f"unknown requirement id '{rid}'", shown, key)
                ok = False
    for rid in data.get("remove", []):
        if rid in ids:
            ids.remove(rid)
        elif rid in known:
            problems.add(f"removes '{rid}', which the profile does not include", shown, "remove")
            ok = False
    for rid in data.get("add", []):
        if rid in ids:
            problems.add(f"adds '{rid}', which the profile already includes", shown, "add")
            ok = False
        else:
            ids.append(rid)
    if not ids:
        problems.add("the profile has no requirements", shown, "requirements")
        ok = False

    thresholds: dict[str, Threshold] = dict(base.thresholds) if base else {}
    raw = data.get("thresholds", {})
    if not isinstance(raw, dict):
        problems.add("must be a table of [thresholds.<parameter>] tables", shown, "thresholds")
        ok = False
    else:
        for parameter, table in raw.items():
            th = _check_threshold(parameter, table, shown, problems, overlay=overlay)
            if th is None:
                ok = False
            else:
                thresholds[parameter] = th
    if not ok:
        return None
    return Profile(
        name=name,
        label=(data.get("label") or (base.label if refines and base else name)).strip(),
        requirement_ids=tuple(ids),
        thresholds=MappingProxyType(thresholds),
        legal_basis=(data.get("legal_basis") or (base.legal_basis if base else "")).strip(),
        description=(data.get("description") or (base.description if base else "")).strip(),
    )


# --------------------------------------------------------------------------- fingerprints


def _files_digest(files: Iterable[tuple[Path, Path]]) -> str:
    h = hashlib.sha256()
    for root, path in sorted(files, key=lambda rf: (str(rf[0]), str(rf[1].relative_to(rf[0])))):
        rel = path.relative_to(root).as_posix()
        h.update(rel.encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _stat_signature(root: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Cheap change detector for the load cache (names, sizes and mtimes of library files)."""
    if root is None or not Path(root).is_dir():
        return ()
    out: list[tuple[str, int, int]] = []
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            try:
                st = os.stat(p)
            except OSError:
                continue
            out.append((p, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


# --------------------------------------------------------------------------- public API


class ClauseLibrary:
    """A loaded, validated clause library with one active profile.

    Immutable in practice: :meth:`with_profile` returns a new object sharing the same data.
    """

    __slots__ = (
        "name", "version", "base_version", "schema_version", "fingerprint", "profile", "profiles",
        "requirements", "_patterns", "root", "user_dir", "lexicons", "weights", "_engine", "_cue_labels",
    )  # fmt: skip

    def __init__(
        self,
        *,
        name: str,
        version: str,
        base_version: str,
        schema_version: int,
        fingerprint: str,
        profile: Profile,
        profiles: Mapping[str, Profile],
        requirements: Mapping[str, Requirement],
        patterns: Mapping[str, tuple[Mapping[str, Any], ...]],
        root: Path,
        user_dir: Path | None,
        lexicons: Mapping[str, Mapping[str, Any]] | None = None,
        weights: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self.base_version = base_version
        self.schema_version = schema_version
        self.fingerprint = fingerprint
        self.profile = profile
        self.profiles = profiles
        self.requirements = requirements
        self._patterns = patterns
        self.root = root
        self.user_dir = user_dir
        self.lexicons = MappingProxyType(dict(lexicons or {}))
        self.weights = MappingProxyType(dict(weights or {}))
        self._engine: Mapping[str, Any] | None = None
        self._cue_labels = frozenset(
            label for label, pats in patterns.items() for p in pats if p.get("kind") == "cue"
        )

    def __repr__(self) -> str:
        return f"ClauseLibrary(version={self.version!r}, profile={self.profile.name!r}, requirements={len(self.requirements)})"

    def requirements_for(self, profile: str | None = None) -> list[Requirement]:
        """The requirements of ``profile`` (default: the active one), in the profile's order."""
        prof = self.profile if profile is None else self._profile(profile)
        return [self.requirements[rid] for rid in prof.requirement_ids]

    def threshold(self, parameter: str) -> Threshold | None:
        """The active profile's threshold for ``parameter`` (e.g. ``breach_notice_max_hours``)."""
        return self.profile.thresholds.get(parameter)

    def patterns_for(self, requirement_id: str) -> list[dict[str, Any]]:
        """SpanRuler pattern dicts whose label is ``requirement_id`` (copies; safe to modify)."""
        return [dict(p) for p in self._patterns.get(requirement_id, ())]

    def all_patterns(self) -> list[dict[str, Any]]:
        """Every pattern, ``_common`` first, then by requirement id (copies)."""
        keys = sorted(self._patterns, key=lambda k: (k != COMMON_LABEL, k))
        return [dict(p) for k in keys for p in self._patterns[k]]

    def has_detector(self, requirement_id: str) -> bool:
        """True when some ``cue`` pattern can find the requirement; without one the engine cannot check it."""
        return requirement_id in self._cue_labels

    def undetectable(self, profile: str | None = None) -> list[Requirement]:
        """Requirements of ``profile`` (default: the active one) no pattern can detect (``needs_review``)."""
        return [r for r in self.requirements_for(profile) if not self.has_detector(r.id)]

    def lexicon(self, name: str, key: str) -> tuple[str, ...]:
        """One word list of a lexicon file, e.g. ``lexicon("hedges", "hedges")``.

        :raises LibraryValidationError: when the library has no such list (a base library without lexicons).
        """
        try:
            return tuple(self.lexicons[name]["lists"][key])
        except KeyError:
            raise LibraryValidationError(
                f"the clause library has no word list '{key}' in lexicons/{name}.toml", str(self.root)
            ) from None

    def lexicon_map(self, name: str, key: str) -> Mapping[str, str]:
        """One table of a lexicon file, e.g. ``lexicon_map("governing_law", "adjective_countries")``."""
        try:
            return MappingProxyType(dict(self.lexicons[name]["maps"][key]))
        except KeyError:
            raise LibraryValidationError(
                f"the clause library has no table '{key}' in lexicons/{name}.toml", str(self.root)
            ) from None

    def engine_data(self) -> Mapping[str, Any]:
        """What the decision step reads: ``weights.json`` plus per-requirement facts and word lists.

        Built once per library object (profiles share it: the facts cover every requirement).
        """
        if self._engine is None:
            if not self.weights:
                raise LibraryValidationError(
                    "the clause library has no weights.json (the weights of the decision model)",
                    str(self.root),
                )
            reqs = self.requirements.values()
            data: dict[str, Any] = dict(self.weights)
            data["parameters"] = {r.id: r.parameters[0] for r in reqs if r.parameters}
            data["timeframe_required"] = frozenset(r.id for r in reqs if r.deadline_required)
            data["notice_to"] = {r.id: r.notice_to for r in reqs if r.notice_to}
            data["rights_of_school_or_user"] = frozenset(r.id for r in reqs if r.right_of)
            data["definitions_count_for"] = frozenset(r.id for r in reqs if r.definition_is_evidence)
            data["prohibitions"] = {r.id: frozenset(r.prohibited_verbs) for r in reqs if r.prohibited_verbs}
            data["weak_cues"] = {r.id: tuple(c.lower() for c in r.weak_cues) for r in reqs if r.weak_cues}
            data["lexicon"] = {
                "vague_timing": self.lexicon("timing", "vague_timing"),
                "generic_weak": frozenset(self.lexicon("hedges", "generic_weak")),
                "broad_carve_outs": self.lexicon("negation", "broad_carve_outs"),
                "negators": frozenset(self.lexicon("negation", "negators")),
                "between_negation_and_verb": frozenset(self.lexicon("negation", "between_negation_and_verb")),
                # a requirement's own prohibited verbs are verbs a negation can govern, too
                "use_verbs": frozenset(self.lexicon("negation", "use_verbs")).union(
                    *(r.prohibited_verbs for r in reqs)
                ),
                "not_places": frozenset(self.lexicon("governing_law", "not_places")),
                "adjective_countries": self.lexicon_map("governing_law", "adjective_countries"),
                # the key-term reader's words (``engine.keyterms.words_for`` compiles them once per word set)
                "keyterms": MappingProxyType(
                    {key: self.lexicon("keyterms", key) for key in LEXICONS["keyterms"]["lists"]}
                ),
            }
            self._engine = MappingProxyType(data)
        return self._engine

    def with_profile(self, name: str) -> ClauseLibrary:
        """The same library with ``name`` as the active profile."""
        prof = self._profile(name)
        clone = object.__new__(ClauseLibrary)
        for slot in ClauseLibrary.__slots__:
            setattr(clone, slot, getattr(self, slot))
        clone.profile = prof
        return clone

    def _profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            raise UnknownProfileError(
                f"unknown profile '{name}' (available: {', '.join(self.profiles)}).",
                None,
                "List them with: contractreview library profiles",
            ) from None


def builtin_library_dir() -> Path:
    """The folder of the built-in library (the same for a checkout, a wheel and a bundle)."""
    return clause_library_dir()


def _build(
    root: Path, user_dir: Path | None, problems: _Problems, check_examples_of: Path | None = None
) -> tuple[_Merged, list[_Layer]]:
    layers = [_read_layer(root, problems, default_kind="base")]
    if user_dir is not None:
        user = _read_layer(Path(user_dir), problems, default_kind="overlay")
        if user.kind != "overlay":
            problems.add(
                'a user library folder must be an overlay (kind = "overlay" or no kind in library.toml)',
                _display(Path(user_dir) / "library.toml", Path(user_dir)),
                "kind",
            )
        layers.append(user)
    return _merge(layers, problems, check_examples_of), layers


def load_library_dir(
    root: Path | str, profile: str = "default", *, user_dir: Path | str | None = None
) -> ClauseLibrary:
    """Load the library at ``root`` (and the overlay ``user_dir``) without the cache.

    :raises LibraryValidationError: for the first problem found (file and field named).
    :raises UnknownProfileError: when ``profile`` does not exist.
    """
    root = Path(root)
    user = Path(user_dir) if user_dir is not None else None
    problems = _Problems(strict=True)
    merged, _layers = _build(root, user, problems)
    base_version = str(merged.meta.get("version", "0"))
    fingerprint = _files_digest(merged.files)
    version = base_version
    if user is not None:
        user_files = [(r, f) for r, f in merged.files if r == user]
        version = f"{base_version}+user:{_files_digest(user_files)[:6]}"
    if "default" not in merged.profiles:
        raise LibraryValidationError(
            "the library has no 'default' profile", _display(root / "profiles", root)
        )
    lib = ClauseLibrary(
        name=str(merged.meta.get("name", root.name)),
        version=version,
        base_version=base_version,
        schema_version=int(merged.meta.get("schema_version", SCHEMA_VERSION)),
        fingerprint=fingerprint,
        profile=merged.profiles["default"],
        profiles=MappingProxyType(dict(merged.profiles)),
        requirements=MappingProxyType(dict(merged.requirements)),
        patterns=MappingProxyType({k: tuple(v) for k, v in merged.patterns.items()}),
        root=root,
        user_dir=user,
        lexicons=merged.lexicons,
        weights=merged.weights,
    )
    return lib if profile == "default" else lib.with_profile(profile)


_CACHE: dict[tuple[str, str, str, tuple[Any, ...]], ClauseLibrary] = {}
_CACHE_LOCK = threading.Lock()


def load_library(profile: str = "default", *, user_dir: Path | str | None = None) -> ClauseLibrary:
    """The built-in library, merged with the district folder ``user_dir`` if given, with ``profile`` active.

    Cached per (profile, user_dir); the cache notices edited, added or removed files.
    :raises LibraryValidationError: naming the file and field of the first problem.
    :raises UnknownProfileError: when ``profile`` does not exist.
    """
    root = builtin_library_dir()
    if isinstance(user_dir, str) and not user_dir.strip():
        user_dir = None  # Settings.library_dir "" means the built-in library only
    user = Path(user_dir).expanduser().resolve() if user_dir is not None else None
    key = (profile, str(root), str(user or ""), _stat_signature(root) + _stat_signature(user))
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    lib = load_library_dir(root, profile, user_dir=user)
    with _CACHE_LOCK:
        # keep one entry per (profile, folder): older signatures are stale
        for old in [k for k in _CACHE if k[:3] == key[:3]]:
            del _CACHE[old]
        _CACHE[key] = lib
    return lib


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def library_version(user_dir: Path | str | None = None) -> str:
    """The library version string recorded in every analysis (``2026.12.0`` or ``2026.12.0+user:3f2a1b``)."""
    return load_library(user_dir=user_dir).version


def list_profiles(user_dir: Path | str | None = None) -> list[str]:
    """Profile names, ``default`` first, then the others in alphabetical order."""
    names = list(load_library(user_dir=user_dir).profiles)
    return sorted(names, key=lambda n: (n != "default", n))


def _has_library_files(path: Path) -> bool:
    return (
        (path / "library.toml").is_file()
        or any((path / "requirements").glob("*.toml"))
        or any((path / "profiles").glob("*.toml"))
        or any((path / "patterns").glob("*.jsonl"))
        or any((path / "lexicons").glob("*.toml"))
        or (path / "weights.json").is_file()
    )


def validate_library_dir(path: Path | str) -> list[str]:
    """Every problem in the library folder ``path`` (empty list: valid).

    A folder whose ``library.toml`` says ``kind = "base"`` is checked on its own; any other folder is
    checked as a district overlay merged over the built-in library.
    """
    return check_library_dir(path)[0]


def undetectable_warnings(profiles: Mapping[str, Profile], patterns: Mapping[str, Any]) -> list[str]:
    """One line per profile naming every requirement no pattern can detect (reported as ``needs_review``)."""
    cue_labels = {label for label, pats in patterns.items() for p in pats if p.get("kind") == "cue"}
    out = []
    for name in sorted(profiles, key=lambda n: (n != "default", n)):
        ids = [rid for rid in profiles[name].requirement_ids if rid not in cue_labels]
        if ids:
            out.append(
                f"profile '{name}': {len(ids)} of {len(profiles[name].requirement_ids)} requirements have no "
                f"detector (no cue pattern) and are reported as needs_review, never checked automatically: "
                + ", ".join(ids)
            )
    return out


def check_library_dir(path: Path | str) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of the library folder ``path``; warnings name the requirements of each
    profile that the engine cannot check (no cue pattern), which never make the folder invalid."""
    path = Path(path)
    validator: Any = None
    examples: Any = None
    try:
        from spacy.schemas import validate_token_pattern as validator

        from .nlp import example_problems as examples
    except ImportError:  # pragma: no cover - spaCy is a dependency; the light checks still run
        pass
    problems = _Problems(strict=False, token_validator=validator, example_checker=examples)
    warnings: list[str] = []
    kind = "overlay"
    lib_file = path / "library.toml"
    if lib_file.is_file():
        try:
            kind = tomllib.loads(lib_file.read_text(encoding="utf-8")).get("kind", "overlay")
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            kind = "overlay"  # _read_layer reports the broken file
    if not path.is_dir():
        problems.add("is not a folder", str(path))
    elif not _has_library_files(path):
        problems.add(
            "holds no clause-library files (library.toml, requirements/*.toml, profiles/*.toml, "
            "patterns/*.jsonl, lexicons/*.toml or weights.json); nothing was checked",
            str(path),
        )
    elif kind == "base":
        merged, _ = _build(path, None, problems, check_examples_of=path)
        if "default" not in merged.profiles and not (path / "profiles" / "default.toml").is_file():
            problems.add("the library has no 'default' profile", _display(path / "profiles", path))
        warnings = undetectable_warnings(merged.profiles, merged.patterns)
    else:
        merged, _ = _build(builtin_library_dir(), path, problems, check_examples_of=path)
        warnings = undetectable_warnings(merged.profiles, merged.patterns)
    return [p.message for p in problems.items], warnings
