"""Shared fixtures. Qt runs offscreen; the shared corpus is optional and its tests skip without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CONTRACTREVIEW_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared/corpus is not present on this machine")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@pytest.fixture(scope="session")
def requirements_dir(shared_dir: Path) -> Path:
    return shared_dir / "requirements"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real user's data and settings folders."""
    base = tmp_path_factory.getbasetemp() / "userdirs"
    monkeypatch.setenv("CONTRACTREVIEW_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CONTRACTREVIEW_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("CONTRACTREVIEW_CACHE_DIR", str(base / "cache"))


@pytest.fixture()
def rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules decide every status and the learned grader (#14) only rates it.

    For tests of what the rules read in a text. Whether the grader may overrule them is decided by its
    vendor-grouped CV when `contractreview train` runs, so these tests must hold either way;
    tests/test_engine_grader.py covers a deciding grader. The learned GDPR presence detector (#20) is off:
    tests/test_gdpr_detector.py covers it.
    """
    from dataclasses import replace

    from contractreview.engine import grader, presence

    monkeypatch.setattr(presence, "safe_load", lambda: None)

    model = grader.safe_load()
    rating_only = replace(model, decides=False) if model is not None else None
    monkeypatch.setattr(grader, "safe_load", lambda: rating_only)
