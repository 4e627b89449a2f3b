"""Issue #14, fifth session: the stage-1 supervised sentence classifier and its features for the grader."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from contractreview.engine import grader as G
from contractreview.engine import stage1 as S1
from contractreview.evaluation import cv

REQS = ("breach_notice_deadline_to_lea", "no_sale_of_student_data")
BOTH = {REQS[0]: [0], REQS[1]: [2]}
DOCS = {
    # doc: (vendor, sentences, evidence sentences per requirement)
    "a1": (
        "acme",
        [
            "Provider shall notify the District within 24 hours of a breach.",
            "Fees are due monthly.",
            "Provider shall not sell Student Data.",
        ],
        BOTH,
    ),
    "a2": ("acme", ["We will tell you about a breach when we can.", "This may change."], {REQS[0]: [0]}),
    "b1": (
        "birch",
        [
            "Vendor must notify the school of any security breach within 48 hours.",
            "Invoices are payable in 30 days.",
            "Vendor will never sell or rent student data.",
        ],
        BOTH,
    ),
    "c1": (
        "cedar",
        [
            "The contractor shall notify the agency of a data breach without delay.",
            "Governing law is Ohio.",
            "Student data are not sold to anyone.",
        ],
        BOTH,
    ),
}


def _counts(skip=()):
    c = S1.Counts(REQS)
    for d, (_v, texts, ev) in DOCS.items():
        if d not in skip:
            c.add(d, texts, ev)
    return c


def test_issue_14_stage1_buckets_are_distinct_per_sentence_and_bigrams_stay_inside_one() -> None:
    sid, b = S1.sentence_buckets(["data data breach", "breach notice"])
    pairs = list(zip(sid.tolist(), b.tolist(), strict=True))
    assert len(pairs) == len(set(pairs))  # binary presence
    one, _ = S1.sentence_buckets(["data data breach"])
    two, _ = S1.sentence_buckets(["breach notice"])
    # uni + bigrams: "data", "breach", "data data", "data breach" | "breach", "notice", "breach notice";
    # no "breach breach" across the sentence boundary (buckets may collide, hence <=)
    assert (sid == 0).sum() <= 4 and (sid == 1).sum() <= 3 and len(one) + len(two) == len(sid)
    assert (sid == 0).sum() == len(one)
    assert S1.sentence_buckets([])[0].size == 0 and S1.sentence_buckets(["", "!!"])[0].size == 0


def test_issue_14_stage1_leaving_documents_out_is_exactly_training_without_them() -> None:
    """The out-of-fold scores of CV come from subtracting counts: they must equal a classifier that never
    saw those documents (no leak of the scored vendor's labels)."""
    full = _counts()
    W1, ok1, seen1 = full.weights(["a1", "a2"])
    W2, ok2, seen2 = _counts(skip=("a1", "a2")).weights()
    assert np.allclose(W1, W2) and (ok1 == ok2).all() and (seen1 == seen2).all()
    texts = DOCS["a1"][1]
    a, b = full.best(texts, W1, ok1), _counts(skip=("a1", "a2")).best(texts, W2, ok2)
    assert a.keys() == b.keys() and all(a[k][1] == b[k][1] and a[k][0] == pytest.approx(b[k][0]) for k in a)


def test_issue_14_stage1_finds_an_evidence_like_sentence_it_never_saw() -> None:
    W, ok, _ = _counts(skip=("a1", "a2")).weights()
    texts = [
        "Payment terms are net 30.",
        "Provider shall notify the District of a breach within 24 hours.",
        "The Provider shall not sell student data.",
    ]
    best = _counts().best(texts, W, ok)
    assert best[REQS[0]][1] == 1 and best[REQS[1]][1] == 2
    assert best[REQS[0]][0] > 0


def test_issue_14_stage1_artifact_is_deterministic_pickle_free_and_scores_like_training(tmp_path) -> None:
    counts = _counts()
    model = counts.model()
    raw = S1.artifact_bytes(model)
    assert raw == S1.artifact_bytes(counts.model())  # same labels, same bytes
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert sorted(zf.namelist()) == sorted(
            f"{k}.npy" for k in ("schema", "requirements", "buckets", "deviation", "unseen", "ok")
        )
    path = tmp_path / "stage1.npz"
    path.write_bytes(raw)
    S1.load.cache_clear()
    back = S1.load(str(path))
    assert back is not None and back.requirements == REQS and len(back.digest) == 64
    texts = ["Provider shall notify the District of a breach within 24 hours.", "Fees are due.", ""]
    W, ok, _ = counts.weights()
    want = counts.best(texts, W, ok)
    got = back.best(texts)
    for rid in REQS:
        assert got[rid][1] == want[rid][1]
        assert got[rid][0] == pytest.approx(want[rid][0], rel=1e-2, abs=1e-2)  # float16 weights
    for bad in (b"not a zip", raw[: len(raw) // 2], S1.artifact_bytes(model)[:4] + b"PK" * 10):
        path.write_bytes(bad)
        S1.load.cache_clear()
        with pytest.raises(ValueError):
            S1.load(str(path))
    S1.load.cache_clear()


def test_issue_14_stage1_features_say_whether_the_rules_found_the_best_sentence() -> None:
    spans = [(0, 10), (11, 30)]
    found = cv.stage1_pair((12.0, 1), spans, [(11, 30)])
    assert found == {"s1_best": pytest.approx(1 / (1 + np.exp(-0.6))), "s1_unfound": 0.0}
    assert cv.stage1_pair((12.0, 1), spans, [(0, 10)])["s1_unfound"] == 1.0
    assert cv.stage1_pair((-3.0, 1), spans, [])["s1_unfound"] == 0.0  # not evidence-like: nothing unfound
    assert cv.stage1_pair(None, spans, []) == {"s1_best": 0.0, "s1_unfound": 0.0}


def test_issue_14_stage1_cv_features_never_see_the_scored_vendor() -> None:
    rows = []
    for d, (v, texts, ev) in DOCS.items():
        data = cv.DocData(list(texts), [(0, 1)] * len(texts), {k: list(x) for k, x in ev.items()}, {})
        for rid in REQS:
            row = cv.Row(d, v, "dpa", True, "train", rid, "satisfied", "high", {"engine": "weak"}, {}, data)
            rows.append(row)
    cv.add_stage1(rows, list(REQS))
    a = next(r for r in rows if r.doc == "a1" and r.rid == REQS[0])
    assert set(a.s1) == {frozenset({"acme"}), frozenset({"acme", "birch"}), frozenset({"acme", "cedar"})}
    # Change acme's own labels: the features acme's rows are scored with must not move.
    before = {k: dict(v) for k, v in a.s1.items()}
    for r in rows:
        r.s1.clear()
        if r.vendor == "acme":
            r.doc_data = cv.DocData(r.doc_data.texts, r.doc_data.spans, {}, {})
    cv.add_stage1(rows, list(REQS))
    assert a.s1 == before
    assert cv.features_for({"stage1": True})[-2:] == G.S1_FEATURES
    assert cv.x_for(a, frozenset({"acme"}))["s1_best"] == a.s1[frozenset({"acme"})]["s1_best"]


CONTRACT = """# Data Privacy Agreement

1. Provider shall notify the District within twenty-four (24) hours of discovery of any breach of
Student Data.

2. Provider shall not sell, rent or trade Student Data.

3. Fees are payable within thirty days of the invoice.
"""


def _grader_with_stage1(tmp_path):
    """The shipped grader widened by the two stage-1 features, its classifier written beside it."""
    import hashlib
    import json

    base = G.load_grader()
    assert base is not None
    raw = S1.artifact_bytes(_counts().model())
    (tmp_path / "stage1.npz").write_bytes(raw)
    n = 1 + len(base.features)
    model = G.GraderModel(
        features=(*base.features, *G.S1_FEATURES),
        requirements=base.requirements,
        coef={c: (*v[:n], 0.5 if c == "satisfied" else 0.0, 0.0, *v[n:]) for c, v in base.coef.items()},
        temperature=base.temperature,
        platt=base.platt,
        decides=base.decides,
        threshold=base.threshold,
    )
    art = model.to_dict()
    art["meta"] = {"stage1": {"file": "stage1.npz", "sha256": hashlib.sha256(raw).hexdigest()}}
    (tmp_path / "grader.json").write_text(json.dumps(art), encoding="utf-8")
    G.load_grader.cache_clear()
    S1.load.cache_clear()
    return G.load_grader(str(tmp_path / "grader.json"))


def test_issue_14_stage1_a_grader_trained_with_it_reads_its_classifier_and_survives_without_it(
    tmp_path, monkeypatch
) -> None:
    from contractreview.engine import analyze
    from contractreview.engine.run import trace
    from contractreview.ingest import load_document

    model = _grader_with_stage1(tmp_path)
    assert G.uses_stage1(model) and model.source.endswith("grader.json")
    path = tmp_path / "dpa.md"
    path.write_text(CONTRACT, encoding="utf-8")
    document = load_document(path)
    run = trace(document)
    scores = G.stage1_scores(model, run.features, document.text)
    assert set(scores) == set(REQS)
    z, _k, start, end = scores["breach_notice_deadline_to_lea"]
    assert "notify the District" in document.text[start:end] and z > 0
    x = G.stage1_features("breach_notice_deadline_to_lea", run.features, scores)
    assert x["s1_best"] > 0.5 and x["s1_unfound"] == 0.0  # the rules' cues found that sentence too
    monkeypatch.setattr(G, "safe_load", lambda: model)
    with_s1 = analyze(document)
    assert all(0.0 <= f.confidence <= 1.0 for f in with_s1.findings)
    # A classifier that is not the one the grader was trained with is not read ...
    (tmp_path / "stage1.npz").write_bytes(S1.artifact_bytes(_counts(skip=("a1",)).model()))
    S1.load.cache_clear()
    assert G.stage1_scores(model, run.features, document.text) == {}
    # ... and a missing one never loses the analysis: the grader reads "no sentence found".
    (tmp_path / "stage1.npz").unlink()
    S1.load.cache_clear()
    assert G.stage1_scores(model, run.features, document.text) == {}
    without = analyze(document)
    assert [f.requirement_id for f in without.findings] == [f.requirement_id for f in with_s1.findings]
    G.load_grader.cache_clear()
    S1.load.cache_clear()
