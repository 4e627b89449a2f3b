"""Issue #13 (start-up): the second half of a long contract's candidate sentences is read by a forked child.

The split must not change a single feature: the same hits, in the same order, whether the child reads its
half, fails, or is not used at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from contractreview import forked
from contractreview.engine import features as feats_mod
from contractreview.engine.features import Hit, extract_features, hit_from_json, hit_to_json
from contractreview.ingest import load_document
from contractreview.library import load_library
from contractreview.nlp import get_pipeline
from contractreview.segment import segment

CLAUSES = [
    "Provider shall notify the District within 72 hours of discovery of any breach of Student Data.",
    "Provider shall not sell, rent or trade Student Data, and will never use it for targeted advertising.",
    "Upon termination, Provider shall delete all Student Data within 30 days, unless required by law.",
    "Provider may use subprocessors, and will maintain a list of them on its website.",
    "Provider shall encrypt Student Data in transit and at rest using industry standard measures.",
    "This Agreement is governed by the laws of the State of California.",
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("par") / "long.md"
    parts = ["# Data Privacy Agreement"]
    for n in range(12):
        parts.append(f"## {n + 1}. Section {n + 1}")
        parts.extend(f"{n + 1}.{i + 1} {c}" for i, c in enumerate(CLAUSES))
    path.write_text("\n\n".join(parts), encoding="utf-8")
    document = load_document(path)
    library = load_library("default")
    return document, segment(document), library, get_pipeline(library)


def _hits(result: feats_mod.Features) -> list[tuple[str, list[Hit]]]:
    return list(result.hits.items())  # order of requirements and of hits both count


def test_hit_json_round_trip() -> None:
    hit = Hit(1, 9, 2, cues=("a.cue.x",), weaks=("a.weak.y", "a.weak.z"), scope=True, subject="vendor",
              recipients=("school",), hedges=("may",), exceptions=("^unless required",), heading_scope=True)
    import json

    assert hit_from_json(json.loads(json.dumps(hit_to_json(hit)))) == hit


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked reader runs on Linux only")
def test_split_reading_gives_the_same_features(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    document, clauses, library, nlp = setup
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "never")
    alone = extract_features(document, clauses, library, nlp)
    assert alone.candidates >= 60 and sum(len(v) for v in alone.hits.values()) >= 60

    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    monkeypatch.setattr(feats_mod, "PARALLEL_MIN_JOBS", 10)
    used: list[bool] = []
    real = forked.start

    def spy(work):  # type: ignore[no-untyped-def]
        pending = real(work)
        used.append(pending is not None)
        return pending

    monkeypatch.setattr(feats_mod.forked, "start", spy)
    split = extract_features(document, clauses, library, nlp)
    assert used == [True]
    assert _hits(split) == _hits(alone)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forked reader runs on Linux only")
def test_a_failing_child_leaves_the_features_unchanged(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    document, clauses, library, nlp = setup
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "never")
    alone = extract_features(document, clauses, library, nlp)
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    monkeypatch.setattr(feats_mod, "PARALLEL_MIN_JOBS", 10)
    real = forked.start
    monkeypatch.setattr(feats_mod.forked, "start", lambda work: real(lambda: os._exit(9)))  # dies silently
    assert _hits(extract_features(document, clauses, library, nlp)) == _hits(alone)


def test_short_documents_are_not_split(setup, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    document, clauses, library, nlp = setup
    calls: list[object] = []
    monkeypatch.setattr(feats_mod.forked, "start", lambda work: calls.append(work))
    monkeypatch.setattr(feats_mod, "PARALLEL_MIN_JOBS", 10_000)
    extract_features(document, clauses, library, nlp)
    assert calls == []


def test_no_child_is_left_behind(setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every child the analysis forks is reaped by the time it returns."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the forked reader runs on Linux only")
    document, clauses, library, nlp = setup
    monkeypatch.setenv("CONTRACTREVIEW_FORK", "always")
    monkeypatch.setattr(feats_mod, "PARALLEL_MIN_JOBS", 10)
    pids: list[int] = []
    real = forked.start

    def spy(work):  # type: ignore[no-untyped-def]
        pending = real(work)
        if pending is not None:
            pids.append(pending._pid)
        return pending

    monkeypatch.setattr(feats_mod.forked, "start", spy)
    extract_features(document, clauses, library, nlp)
    assert pids
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
