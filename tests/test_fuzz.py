"""Hypothesis-driven mutation of valid PDF, DOCX and clause text through ingestion and analysis.

Every case must either succeed or raise one of the project's own ``ContractReviewError`` types; anything
else is a crash. CI runs the default budget (>= 2,000 cases in all, derandomised so a failure reproduces);
``CONTRACTREVIEW_FUZZ_EXAMPLES`` raises it for nightly runs (``tests/fuzz/nightly.sh``). A crasher found
here is saved under ``tests/fuzz/regressions/`` named after what it found and replayed by
``test_saved_regressions``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.errors import ContractReviewError
from tests.fuzz.seeds import SEED_CLAUSES, seed_docx, seed_pdf, seed_text

EXAMPLES = int(os.environ.get("CONTRACTREVIEW_FUZZ_EXAMPLES", "0"))
REGRESSIONS = Path(__file__).parent / "fuzz" / "regressions"
FUZZ = settings(
    max_examples=EXAMPLES or 700,
    deadline=None,
    derandomize=not EXAMPLES,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    database=None,
)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """Byte flips, truncation, chunk deletion/duplication/insertion of junk, applied to a valid seed."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "truncate", "delete", "duplicate", "insert", "zero"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        n = draw(st.integers(1, 64))
        if op == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[i:]
        elif op == "delete":
            del data[i : i + n]
        elif op == "duplicate":
            data[i:i] = data[i : i + n]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=n))
        else:
            data[i : i + n] = bytes(min(n, len(data) - i))
    return bytes(data)


_LIMITS = None


def _load(tmp_path: Path, data: bytes, name: str):
    global _LIMITS
    from contractreview.analyze import analyze
    from contractreview.ingest import load_document
    from contractreview.limits import Limits

    if _LIMITS is None:
        _LIMITS = Limits(max_seconds=10.0)
    path = tmp_path / name
    path.write_bytes(data)
    try:
        document = load_document(path, limits=_LIMITS)
    except ContractReviewError as exc:
        assert name in exc.message, f"error message does not name the file: {exc.message}"
        return None
    analysis = analyze(document)
    assert len(analysis.findings) >= 40
    for finding in analysis.findings:
        for ev in finding.evidence:
            assert document.text[ev.start : ev.end] == ev.text
    return analysis


@FUZZ
@given(data=mutated(seed_pdf()))
def test_mutated_pdf(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _load(tmp_path_factory.mktemp("pdf"), data, "mutated.pdf")


@FUZZ
@given(data=mutated(seed_docx()))
def test_mutated_docx(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _load(tmp_path_factory.mktemp("docx"), data, "mutated.docx")


@settings(FUZZ, max_examples=EXAMPLES or 600)
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(SEED_CLAUSES),
            st.text(max_size=200),
            st.from_regex(
                r"(within|in any event within) (\d{1,4}|[a-z\- ]{1,20}) \(\d{1,5}\) (business )?(hours|days|weeks)",
                fullmatch=True,
            ),
        ),
        max_size=12,
    ).map("\n\n".join)
)
def test_mutated_clause_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    _load(tmp_path_factory.mktemp("txt"), text.encode("utf-8", "surrogatepass"), "clauses.txt")


def test_saved_regressions(tmp_path: Path) -> None:
    """Replay every saved crasher (none found so far; the folder holds them when one is)."""
    for path in sorted(REGRESSIONS.glob("*")) if REGRESSIONS.is_dir() else []:
        _load(tmp_path, path.read_bytes(), path.name)


def test_seed_documents_analyse_cleanly(tmp_path: Path) -> None:
    """The unmutated seeds must load and analyse: otherwise the fuzzers would only exercise error paths."""
    for name, data in (("seed.pdf", seed_pdf()), ("seed.docx", seed_docx()), ("seed.txt", seed_text())):
        assert _load(tmp_path, data, name) is not None, name
