"""The spaCy components on sentences written for the tests (no model download, spacy.blank("en"))."""

from __future__ import annotations

import pytest

from contractreview.nlp import build_pipeline, split_sentences

PATTERNS = [
    {"label": "no_sale_of_student_data", "id": "sale.cue.sell", "kind": "cue", "pattern": "sell"},
    {
        "label": "no_sale_of_student_data",
        "id": "sale.commit.not_sell",
        "kind": "commit",
        "pattern": [{"LOWER": {"IN": ["not", "never"]}}, {"LOWER": "sell"}],
    },
    {"label": "no_sale_of_student_data", "id": "sale.weak.merger", "kind": "weak", "pattern": "merger"},
]


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(patterns=PATTERNS)


def test_nlp_pipeline_has_the_named_components(nlp) -> None:
    assert nlp.pipe_names == [
        "contractreview_cues",
        "contractreview_negation",
        "contractreview_hedges",
        "contractreview_durations",
        "contractreview_roles",
    ]


def test_nlp_cues_name_the_rule(nlp) -> None:
    doc = nlp("The Provider shall not sell Student Data, except in a merger.")
    assert [(s.label_, s.id_) for s in doc.spans["cr_cue"]] == [("no_sale_of_student_data", "sale.cue.sell")]
    assert [s.id_ for s in doc.spans["cr_commit"]] == ["sale.commit.not_sell"]
    assert [s.id_ for s in doc.spans["cr_weak"]] == ["sale.weak.merger"]


def test_nlp_negation_scope_ends_at_clause_boundary(nlp) -> None:
    doc = nlp("Provider will not disclose Student Data, and it may share usage statistics.")
    neg = [s for s in doc.spans["cr_neg"] if s.label_ == "negation"]
    assert neg and neg[0].text.startswith("will not disclose")
    assert "share" not in neg[0].text


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("Provider is not required to delete Student Data.", "refusal"),
        ("Provider shall not be liable for any breach costs.", "refusal"),
        ("Provider will delete the data unless the law requires otherwise.", "exception"),
        ("Notwithstanding the foregoing, Provider may keep backups.", "exception"),
        ("To the extent permitted by law, Provider will notify the District.", "exception"),
        ("Provider shall delete data, provided that the District asks in writing.", "exception"),
        ("Provider shall not sell Student Data.", "negation"),
    ],
)
def test_nlp_negation_labels(nlp, sentence: str, label: str) -> None:
    doc = nlp(sentence)
    assert label in {s.label_ for s in doc.spans["cr_neg"]}


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("Provider will use commercially reasonable efforts to encrypt data.", "commercially reasonable"),
        ("Provider will encrypt data where feasible.", "where feasible"),
        ("We may share information with partners.", "we may"),
        ("Provider may, at its discretion, delete the data.", "at its discretion"),
        ("We update this policy from time to time.", "from time to time"),
        ("Provider will notify the District as soon as practicable.", "as soon as practicable"),
    ],
)
def test_nlp_hedges_found(nlp, sentence: str, hedge: str) -> None:
    doc = nlp(sentence)
    found = {s.text.lower() for s in doc.spans["cr_hedge"] if s.label_ == "hedge"}
    assert hedge in found


def test_nlp_hedges_permission_of_the_district_is_not_a_vendor_hedge(nlp) -> None:
    doc = nlp("The District may request deletion at any time.")
    assert [s.label_ for s in doc.spans["cr_hedge"]] == ["permission"]


def test_nlp_hedges_may_not_is_a_prohibition(nlp) -> None:
    doc = nlp("Provider may not re-disclose Student Data.")
    assert list(doc.spans["cr_hedge"]) == []


def test_nlp_durations_component_sets_hours_and_clock(nlp) -> None:
    doc = nlp("Provider shall notify the District within ten (10) business days after it confirms a breach.")
    spans = list(doc.spans["cr_dur"])
    assert spans and spans[0]._.cr_hours == 336
    assert doc._.cr_clock == "confirmation"


@pytest.mark.parametrize(
    ("sentence", "subject", "recipients"),
    [
        ("The Provider shall notify the District of any breach.", "vendor", ("school",)),
        ("We will notify affected users by email.", "vendor", ("user",)),
        ("The District may audit the Provider once a year.", "school", ()),
        ("ClassLink shall notify the customer within 72 hours.", "vendor", ("school",)),
        ("Student Data will not be sold.", None, ()),
        ("The Client will indemnify the Provider.", "school", ()),
        ("Provider must notify the supervisory authority.", "vendor", ("authority",)),
    ],
)
def test_nlp_roles_subject_and_recipients(
    nlp, sentence: str, subject: str | None, recipients: tuple[str, ...]
) -> None:
    doc = nlp(sentence)
    assert doc._.cr_subject == subject
    assert doc._.cr_recipients == recipients


def test_nlp_sentences_legal_abbreviations_and_enumerations() -> None:
    text = "See Sec. 5.2, e.g. the notice terms. Vendor shall: (a) encrypt data; (b) delete data on request; and (c) train staff."
    pieces = [text[s:e] for s, e in split_sentences(text)]
    assert pieces[0] == "See Sec. 5.2, e.g. the notice terms."
    assert pieces[1].startswith("Vendor shall: (a) encrypt")
    assert any(p.startswith("(b) delete data") for p in pieces)
    assert pieces[-1] == "(c) train staff."


def test_nlp_sentences_offsets_cover_text_in_order() -> None:
    text = "One. Two! Three? U.S. law applies. Four"
    spans = split_sentences(text)
    assert spans == sorted(spans)
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)
    assert [text[s:e] for s, e in spans][-1] == "Four"


@pytest.mark.parametrize(
    "sentence",
    [
        "Provider does not sell, rent or lease Student Data.",
        "We don't sell your data, and we never trade it.",
        "Vendor will notify the   District within 72hours of discovery.",
        "Vendor shall notify the District within Twenty-Four (24) hours.",
        "The company shall cooperate fully with any investigation by the school.",
        "Data may be used solely for providing the service.",
        "Nothing here is relevant to any rule at all.",
    ],
)
def test_nlp_cues_skipping_the_token_matcher_never_loses_a_match(sentence: str) -> None:
    """The word pre-check only skips the token Matcher when no token pattern can match."""
    from contractreview.library import load_library
    from contractreview.nlp import profile_patterns

    patterns = profile_patterns(load_library("default"))
    nlp = build_pipeline(patterns=patterns)
    ruler = nlp.get_pipe("contractreview_cues")
    doc = nlp.make_doc(sentence)
    full = sorted((doc.vocab.strings[m], s, e) for matcher in ruler.token_matchers for m, s, e in matcher(doc))
    annotated = ruler(nlp.make_doc(sentence))
    got = {
        (sp.id_, sp.start, sp.end)
        for key in ("cr_cue", "cr_commit", "cr_weak", "cr_deny", "cr_scope")
        for sp in annotated.spans[key]
    }
    assert all(m in got for m in full), (full, got)


def test_issue_13_spacy_is_imported_without_its_cli_package_and_the_cli_still_loads() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from contractreview.nlp import build_pipeline\n"
        "build_pipeline(patterns=[])\n"
        "assert 'spacy' in sys.modules and 'spacy.cli' not in sys.modules, sorted(sys.modules)[:5]\n"
        "import spacy.cli\n"
        "assert hasattr(spacy.cli, 'download')\n"
        "assert callable(__import__('spacy').info)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_issue_13_prepare_pipeline_builds_once_on_a_thread() -> None:
    from contractreview.library import load_library
    from contractreview.nlp import get_pipeline, prepare_pipeline

    library = load_library("ct")
    thread = prepare_pipeline(library)
    if thread is not None:
        thread.join(timeout=120)
    nlp = get_pipeline(library)
    assert prepare_pipeline(library) is None  # cached: nothing to start
    assert get_pipeline(library) is nlp


def test_issue_13_prepare_pipeline_never_waits_for_a_build_in_progress() -> None:
    """iter_review calls it before reading the file: while another thread builds (the GUI's warm-up holds
    the pipeline lock for the whole build), it must return at once so that the file is read meanwhile."""
    import threading

    from contractreview import nlp as nlp_module
    from contractreview.library import load_library
    from contractreview.nlp import prepare_pipeline

    library = load_library("il")
    returned = threading.Event()
    with nlp_module._LOCK:  # as get_pipeline holds it while building
        worker = threading.Thread(target=lambda: (prepare_pipeline(library), returned.set()), daemon=True)
        worker.start()
        assert returned.wait(timeout=30), "prepare_pipeline waited for the build in progress"
    worker.join(timeout=30)
