"""Hypothesis-driven mutation of valid PDF, DOCX and clause text through ingestion and analysis.

Every case must either succeed or raise one of the project's own ``ContractReviewError`` types; anything
else is a crash. CI runs the default budget (>= 2,000 cases in all, derandomised so a failure reproduces);
``CONTRACTREVIEW_FUZZ_EXAMPLES`` raises it for nightly runs (``tests/fuzz/nightly.sh``). A crasher found
here is saved under ``tests/regressions/`` (automatically when ``CONTRACTREVIEW_FUZZ_SAVE=1``, as in
``tests/fuzz/nightly.sh``) and replayed by ``test_saved_regressions``. DOCX inputs are mutated twice over:
as zip bytes, and inside the XML (elements deleted, duplicated, moved, nested deep, attributes and text
replaced) with the package re-zipped so that the XML reaches the parser and the numbering code (#19).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractreview.errors import ContractReviewError
from tests.fuzz.seeds import SEED_CLAUSES, docx_part, rezip, seed_docx, seed_pdf, seed_text

EXAMPLES = int(os.environ.get("CONTRACTREVIEW_FUZZ_EXAMPLES", "0"))
REGRESSIONS = Path(__file__).parent / "regressions"
SAVE_CRASHERS = os.environ.get("CONTRACTREVIEW_FUZZ_SAVE") == "1"
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
    from contractreview.engine import analyze
    from contractreview.ingest import load_document
    from contractreview.limits import Limits

    if _LIMITS is None:
        _LIMITS = Limits(max_seconds=10.0)
    path = tmp_path / name
    path.write_bytes(data)
    try:
        try:
            document = load_document(path, limits=_LIMITS)
        except ContractReviewError as exc:
            assert name in exc.message, f"error message does not name the file: {exc.message}"
            return None
        analysis = analyze(document)
    except BaseException as exc:
        if SAVE_CRASHERS and not isinstance(exc, KeyboardInterrupt):
            _save_crasher(data, name, exc)
        raise
    assert len(analysis.findings) >= 40
    for finding in analysis.findings:
        for ev in finding.evidence:
            assert document.text[ev.start : ev.end] == ev.text
    return analysis


def _save_crasher(data: bytes, name: str, exc: BaseException) -> None:
    import hashlib

    REGRESSIONS.mkdir(exist_ok=True)
    stem, _, ext = name.rpartition(".")
    kind = type(exc).__name__.lower()
    (REGRESSIONS / f"{stem}-{kind}-{hashlib.sha256(data).hexdigest()[:10]}.{ext}").write_bytes(data)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_TEXT = st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n")
_TAGS = ("p", "r", "t", "tbl", "tr", "tc", "numPr", "ilvl", "numId", "ins", "del", "delText", "sdt", "sdtContent",
         "hyperlink", "pPr", "pStyle", "tab", "br", "footnoteReference", "commentReference")


@st.composite
def mutated_xml(draw: st.DrawFn, part: str) -> bytes:
    """Element-level edits of one XML part of the seed DOCX: the tree stays well-formed, its meaning not."""
    from lxml import etree

    root = etree.fromstring(docx_part(part))
    for _ in range(draw(st.integers(1, 5))):
        nodes = list(root.iter())
        node = nodes[draw(st.integers(0, len(nodes) - 1))]
        parent = node.getparent()
        op = draw(st.sampled_from(["delete", "duplicate", "move", "nest", "attr", "text", "rename", "wrap"]))
        if op == "delete" and parent is not None:
            parent.remove(node)
        elif op == "duplicate" and parent is not None:
            from copy import deepcopy

            for _ in range(draw(st.integers(1, 50))):
                parent.insert(parent.index(node), deepcopy(node))
        elif op == "move" and parent is not None:
            target = nodes[draw(st.integers(0, len(nodes) - 1))]
            if node not in list(target.iterancestors()) and target is not node:
                parent.remove(node)
                target.append(node)
        elif op == "nest":
            deep = node
            for _ in range(draw(st.integers(1, 200))):
                deep = etree.SubElement(deep, _W + draw(st.sampled_from(_TAGS)))
            deep.text = draw(st.text(_XML_TEXT, max_size=20))
        elif op == "attr":
            value = draw(st.one_of(st.integers(-(2**63), 2**63).map(str), st.text(_XML_TEXT, max_size=30)))
            name = draw(st.sampled_from(["val", "id", "ilvl", "numId", "abstractNumId", "start", "author"]))
            try:
                node.set(_W + name, value)
            except ValueError:  # a control character lxml will not store
                pass
        elif op == "text":
            try:
                node.text = draw(st.text(_XML_TEXT, max_size=200)) * draw(st.integers(1, 5))
            except ValueError:
                pass
        elif op == "rename":
            node.tag = _W + draw(st.sampled_from(_TAGS))
        elif op == "wrap" and parent is not None:
            wrapper = etree.Element(_W + draw(st.sampled_from(("ins", "del", "sdtContent", "hyperlink", "tc"))))
            parent.replace(node, wrapper)
            wrapper.append(node)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@settings(FUZZ, max_examples=EXAMPLES or 100)
@given(
    part=st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml"]),
    data=st.data(),
)
def test_mutated_docx_xml(tmp_path_factory: pytest.TempPathFactory, part: str, data: st.DataObject) -> None:
    body = data.draw(mutated_xml(part))
    _load(tmp_path_factory.mktemp("docxml"), rezip(seed_docx(), {part: body}), "mutated-xml.docx")


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
    """Replay every saved crasher: each must now load (or be refused with our own error) and analyse."""
    saved = sorted(p for p in REGRESSIONS.glob("*") if p.suffix in (".pdf", ".docx", ".txt", ".md"))
    assert saved, "tests/regressions/ holds the crashers found so far"
    for path in saved:
        _load(tmp_path, path.read_bytes(), path.name)


def test_seed_documents_analyse_cleanly(tmp_path: Path) -> None:
    """The unmutated seeds must load and analyse: otherwise the fuzzers would only exercise error paths."""
    for name, data in (("seed.pdf", seed_pdf()), ("seed.docx", seed_docx()), ("seed.txt", seed_text())):
        assert _load(tmp_path, data, name) is not None, name
