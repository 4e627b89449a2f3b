"""Issue #13, facts as data: the key-term reader's word lists live in ``clause_library/lexicons/keyterms.toml``.

The lists are validated (plain words only, stems one word, no empty list), enter the library fingerprint,
and a district folder that overrides one changes what the reader reads. The patterns built from them are
compiled once per set of words, not per document.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contractreview.engine import analyze, keyterms
from contractreview.errors import LibraryValidationError
from contractreview.ingest import load_document
from contractreview.library import (
    LEXICONS,
    builtin_library_dir,
    load_library,
    load_library_dir,
    validate_library_dir,
)

DT = keyterms.DELETION_END
RID = "deletion_or_return_at_contract_end"
OBLITERATE = """# Data Privacy Agreement

## 5. End of the Agreement

5.1 Provider shall obliterate all Student Data within 10 days of termination of the Agreement.
"""
# The district's own cue for its new verb (so the finding quotes the sentence), written for this test.
CUE = (
    '{"label": "deletion_or_return_at_contract_end", "id": "district.cue.obliterate", "kind": "cue", '
    '"pattern": {"LEMMA": "obliterate"}, "weight": 2.0, '
    '"example": "The Vendor shall obliterate Student Data when the Agreement ends."}\n'
)


def _doc(tmp_path: Path, body: str):
    path = tmp_path / "contract.md"
    path.write_text(body, encoding="utf-8")
    return load_document(path)


def _overlay(root: Path, *, cue: bool, lexicon: str | None) -> Path:
    if cue:
        (root / "patterns").mkdir(parents=True, exist_ok=True)
        (root / "patterns" / f"{RID}.jsonl").write_text(CUE, encoding="utf-8")
    if lexicon is not None:
        (root / "lexicons").mkdir(parents=True, exist_ok=True)
        (root / "lexicons" / "keyterms.toml").write_text(lexicon, encoding="utf-8")
    return root


def test_issue_13_keyterm_words_come_from_the_library() -> None:
    lexicon = load_library().engine_data()["lexicon"]["keyterms"]
    assert set(lexicon) == set(LEXICONS["keyterms"]["lists"])
    assert all(lexicon[name] for name in lexicon)  # no empty list
    assert "delet" in lexicon["destruction_stems"] and "return" in lexicon["return_stems"]
    assert "district" in lexicon["school_parties"] and "commissioner" in lexicon["authority_parties"]


def test_issue_13_every_keyterm_list_is_read_by_the_engine() -> None:
    lexicon = load_library().engine_data()["lexicon"]["keyterms"]
    read: set[str] = set()

    class Recorder(dict):  # type: ignore[type-arg]
        def __getitem__(self, key: str) -> object:
            read.add(key)
            return super().__getitem__(key)

    keyterms._build_words(Recorder(lexicon))
    assert read == set(LEXICONS["keyterms"]["lists"])  # no list the engine ignores, none it reads unvalidated


def test_issue_13_stems_stay_stems_and_words_stay_whole_words() -> None:
    words = keyterms.words_for(load_library().engine_data()["lexicon"]["keyterms"])
    # a stem covers every word it begins: "delet" -> "deletion", "deleted"; "destr" -> "destruction"
    assert [m.group(0) for m in words.delete_word.finditer("deletion, deleted, destruction, returned")] == [
        "deletion", "deleted", "destruction", "returned",
    ]  # fmt: skip
    assert not words.destroy_word.search("returned")  # return stems are not destruction stems
    # a notice stem covers "notified" and "informs", but not the excluded "information"
    assert words.notify.search("Provider informs the District") and not words.notify.search("information")
    # whole words: "lea" is no party inside "please"; the school's words also match with an -s
    assert not words.party_school.search("please") and words.party_school.fullmatch("districts")
    assert words.party_user.fullmatch("data  subjects") and not words.party_user.fullmatch("subject")


def test_issue_13_keyterm_patterns_are_compiled_once_per_set_of_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lists = load_library().engine_data()["lexicon"]["keyterms"]
    assert keyterms.words_for(lists) is keyterms.words_for(dict(lists))  # same words, same patterns
    builds: list[int] = []
    real = keyterms._build_words
    monkeypatch.setattr(keyterms, "_build_words", lambda words: builds.append(1) or real(words))
    monkeypatch.setattr(keyterms, "_WORDS", {})
    doc = _doc(tmp_path, OBLITERATE)
    for _ in range(3):
        analyze(doc)
    assert len(builds) == 1  # once for the library, not once per document (or per sentence)


def test_issue_13_changing_a_keyterm_word_changes_the_fingerprint_and_the_reading(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), root)
    before = load_library_dir(root)
    path = root / "lexicons" / "keyterms.toml"
    text = path.read_text(encoding="utf-8")
    assert '"shred"]' in text
    path.write_text(text.replace('"shred"]', '"shred", "obliterat"]'), encoding="utf-8")
    after = load_library_dir(root)
    assert after.fingerprint != before.fingerprint
    sentence = "Provider shall obliterate all Student Data within 10 days of termination of the Agreement."
    with keyterms.reading_with(before.engine_data()["lexicon"]):
        assert keyterms.deadlines(sentence, DT) == []
    with keyterms.reading_with(after.engine_data()["lexicon"]):
        assert [d.hours for d in keyterms.deadlines(sentence, DT)] == [240]
    assert keyterms.deadlines(sentence, DT) == []  # outside the block: the built-in words again


@pytest.mark.usefixtures("rules_decide")
def test_issue_13_a_district_keyterm_lexicon_changes_the_key_term_reading(tmp_path: Path) -> None:
    doc = _doc(tmp_path, OBLITERATE)
    assert analyze(doc).key_terms[DT] is None
    # The district's cue alone finds the clause, but "obliterate" is no deletion verb for the reader ...
    cue_only = load_library(user_dir=_overlay(tmp_path / "cue", cue=True, lexicon=None))
    found = analyze(doc, library=cue_only)
    assert found.finding(RID).evidence and found.key_terms[DT] is None
    # ... until the district's lexicon adds it: the key term and the finding's deadline read 10 days.
    lexicon = 'schema_version = 1\n[add]\ndestruction_stems = ["obliterat"]\n'
    district = _overlay(tmp_path / "district", cue=True, lexicon=lexicon)
    assert validate_library_dir(district) == []
    library = load_library(user_dir=district)
    assert library.fingerprint != cue_only.fingerprint
    analysis = analyze(doc, library=library)
    assert analysis.key_terms[DT] == 10
    assert analysis.finding(RID).params[DT] == 10
    assert analyze(doc).key_terms[DT] is None  # the built-in library is untouched


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[add]\nschool_parties = ["boards?"]\n', "'boards?' is not a plain word"),
        ('[add]\nuser_parties = ["pupil|pupils"]\n', "'pupil|pupils' is not a plain word"),
        ('[add]\nchild_words = ["ward\\\\b"]\n', "is not a plain word"),
        ('[add]\ndestruction_stems = ["wipe out"]\n', "'wipe out' is not a word beginning"),
        ('[add]\nnotice_stems = ["notif.*"]\n', "is not a word beginning"),
        ("[lists]\nmodal_words = []\n", "must not be empty"),
        ('[lists]\ndeletion_words = ["wipe"]\n', "unknown list 'deletion_words'"),
        ("[add]\nvendor_names = [3]\n", "list of non-empty strings"),
    ],
)
def test_issue_13_keyterm_lexicon_errors_name_the_file_and_field(tmp_path: Path, content: str, message: str) -> None:
    root = tmp_path / "district"
    (root / "lexicons").mkdir(parents=True)
    (root / "lexicons" / "keyterms.toml").write_text("schema_version = 1\n" + content, encoding="utf-8")
    problems = validate_library_dir(root)
    field = content.split("\n")[1].split(" =")[0]
    assert any(message in p and "keyterms.toml" in p and field in p for p in problems), problems
    with pytest.raises(LibraryValidationError):
        load_library(user_dir=root)


def test_issue_13_a_base_library_needs_every_keyterm_list(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    shutil.copytree(builtin_library_dir(), root)
    path = root / "lexicons" / "keyterms.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("return_stems = [", "# return_stems = [", 1), encoding="utf-8")
    problems = validate_library_dir(root)
    assert any("keyterms.toml" in p and "lists.return_stems" in p for p in problems), problems
