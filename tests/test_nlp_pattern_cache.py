"""Issue #13 item 6: the tokenised phrase patterns are cached on disk per library and versions; a damaged
or foreign cache file is rebuilt silently, and a cached pipeline finds exactly what a fresh one finds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contractreview.library import builtin_library_dir, load_library, load_library_dir
from contractreview.nlp import build_pipeline, profile_patterns
from contractreview.nlp.components import phrase_patterns

TEXT = (
    "Provider shall notify the District within seventy-two (72) hours after discovery of a Security "
    "Incident. Provider shall not sell, rent or trade Student Data, and will use commercially reasonable "
    "efforts to delete Student Data within thirty (30) days of a written request, except as required by law. "
    "The Provider may disclose De-Identified Data to third parties for targeted advertising."
)
KEYS = ("cr_cue", "cr_commit", "cr_weak", "cr_deny", "cr_scope", "cr_exclude", "cr_neg", "cr_hedge", "cr_role")


def _found(nlp) -> dict[str, list[tuple[int, int, str, str]]]:
    doc = nlp(TEXT)
    return {k: [(s.start, s.end, s.label_, s.id_) for s in doc.spans[k]] if k in doc.spans else [] for k in KEYS}


def _files(cache: Path) -> list[Path]:
    return sorted((cache / "patterns").glob("*.json"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTRACTREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_issue_13_cached_phrase_patterns_find_what_a_fresh_build_finds(cache: Path) -> None:
    library = load_library("default")
    fresh = build_pipeline(library)
    assert fresh.meta["pattern_cache"] == "miss" and len(_files(cache)) == 1
    cached = build_pipeline(library)
    assert cached.meta["pattern_cache"] == "hit"
    found = _found(fresh)
    assert found["cr_cue"] and found["cr_commit"] and found["cr_hedge"]
    assert _found(cached) == found
    data = json.loads(_files(cache)[0].read_text(encoding="utf-8"))
    assert len(data["phrases"]) == len(phrase_patterns(profile_patterns(library)))
    assert all(v and all(isinstance(x, int) for x in v) for v in data["phrases"])
    assert (_files(cache)[0].stat().st_mode & 0o077) == 0  # owner-only, like the other user files


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # truncated write
        lambda text: "\x00garbage",
        lambda text: json.dumps({**json.loads(text), "schema": "other"}),
        lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),
        lambda text: json.dumps({**json.loads(text), "phrases": json.loads(text)["phrases"][:-1]}),  # one short
        lambda text: json.dumps({**json.loads(text), "phrases": {"x": [1]}}),
        lambda text: json.dumps({**json.loads(text), "phrases": [["1", True] for _ in json.loads(text)["phrases"]]}),
        lambda text: json.dumps({**json.loads(text), "phrases": [[-1, 2**64] for _ in json.loads(text)["phrases"]]}),
    ],
    ids=["truncated", "garbage", "schema", "key", "count", "shape", "types", "range"],
)
def test_issue_13_a_damaged_pattern_cache_is_rebuilt_silently(cache: Path, damage) -> None:
    library = load_library("default")
    expected = _found(build_pipeline(library))
    path = _files(cache)[0]
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    rebuilt = build_pipeline(library)
    assert rebuilt.meta["pattern_cache"] == "miss"
    assert _found(rebuilt) == expected
    assert build_pipeline(library).meta["pattern_cache"] == "hit"  # the file was rewritten, valid


def test_issue_13_pattern_cache_follows_the_library_profile_and_an_unwritable_folder(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_pipeline(load_library("default")).meta["pattern_cache"] == "miss"
    assert build_pipeline(load_library("gdpr")).meta["pattern_cache"] == "miss"  # another profile
    root = tmp_path / "district"
    shutil.copytree(builtin_library_dir(), root)
    patterns = root / "patterns" / "no_sale_of_student_data.jsonl"
    patterns.write_text(
        patterns.read_text(encoding="utf-8")
        + json.dumps({"label": "no_sale_of_student_data", "id": "no_sale_of_student_data.cue.district_test",
                      "kind": "cue", "pattern": "barter student data",
                      "example": "The Provider shall never barter student data."}) + "\n",
        encoding="utf-8",
    )
    district = load_library_dir(root)
    nlp = build_pipeline(district)
    assert nlp.meta["pattern_cache"] == "miss" and len(_files(cache)) == 3
    doc = nlp("The Provider shall never barter student data.")
    assert "no_sale_of_student_data.cue.district_test" in {s.id_ for s in doc.spans["cr_cue"]}
    # A cache folder that cannot be created costs only the time.
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CONTRACTREVIEW_CACHE_DIR", str(blocker / "cache"))
    library = load_library("default")
    unwritable = build_pipeline(library)
    assert unwritable.meta["pattern_cache"] == "miss" and not (blocker / "cache").exists()
    uncached = build_pipeline(patterns=profile_patterns(library))
    assert uncached.meta["pattern_cache"] == "off"
    assert _found(unwritable) == _found(uncached)
