"""Stage 2 (issue #14): the learned grader, its training command, vendor-grouped CV and confidence."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from contractreview.cli import main
from contractreview.engine import analyze
from contractreview.engine import grader as G
from contractreview.engine import run as analyze_mod
from contractreview.engine.train import artifact_bytes, build_artifact, train_from_labels
from contractreview.evaluation import cv, load_gold_dir
from contractreview.evaluation.labels import kind_of, vendor_of
from contractreview.ingest import load_document
from contractreview.library import load_library
from contractreview.plain import plain_reason
from contractreview.serialize import analysis_from_dict, analysis_to_dict

# Three vendors, two contracts each: a firm one and a hedged one.
FIRM = """# Data Privacy Agreement

Between the Springfield School District (the "District") and {vendor}, Inc. (the "Provider").

## 1. Use of Data

1.1 Provider shall not sell, rent, lease or trade Student Data.

1.2 Provider shall use Student Data solely for the purpose of providing the Services to the District.

## 2. Data Breach

2.1 Provider shall notify the District within twenty-four (24) hours of discovery of any breach of Student Data.

## 3. Deletion

3.1 Upon written request of the District, Provider shall delete all Student Data within thirty (30) days.
"""
HEDGED = """# Privacy Policy of {vendor}

We may share aggregated information with partners as part of a business transaction.

We will try to notify affected users of a security breach where feasible.

We may retain your information for our business purposes and delete it when we no longer need it.
"""
RIDS = (
    "no_sale_of_student_data",
    "breach_notice_deadline_to_lea",
    "deletion_on_lea_request",
    "purpose_limitation",
)
GOLD_FIRM = {
    "no_sale_of_student_data": "satisfied",
    "breach_notice_deadline_to_lea": "satisfied",
    "deletion_on_lea_request": "satisfied",
    "purpose_limitation": "satisfied",
}
GOLD_HEDGED = {
    "no_sale_of_student_data": "weak",
    "breach_notice_deadline_to_lea": "weak",
    "deletion_on_lea_request": "weak",
    "purpose_limitation": "missing",
}


def _corpus(root: Path, vendors=("Acme", "Birch", "Cedar")) -> tuple[Path, Path]:
    docs, labels = root / "docs", root / "labels"
    labels.mkdir(parents=True)
    for v in vendors:
        (docs / v).mkdir(parents=True)
        for kind, text, gold in (("dpa", FIRM, GOLD_FIRM), ("privacy", HEDGED, GOLD_HEDGED)):
            rel = f"{v}/{kind}.md"
            (docs / rel).write_text(text.format(vendor=v), encoding="utf-8")
            (labels / f"{v.lower()}_{kind}.json").write_text(
                json.dumps(
                    {
                        "doc": f"{v.lower()}_{kind}",
                        "path": rel,
                        "labels": {
                            rid: {"status": s, "confidence": "high" if s != "weak" else "medium"}
                            for rid, s in gold.items()
                        },
                    }
                ),
                encoding="utf-8",
            )
    return docs, labels


@pytest.fixture(scope="module")
def library():
    return load_library("default")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory, library):
    docs, labels = _corpus(tmp_path_factory.mktemp("tiny"))
    rows, missing = cv.collect(load_gold_dir(labels), [docs], library=library)
    return docs, labels, rows, missing


def test_engine_grader_collect_rows_group_by_vendor(tiny) -> None:
    _docs, _labels, rows, missing = tiny
    assert missing == []
    assert len(rows) == 6 * len(RIDS)
    assert {r.vendor for r in rows} == {"acme", "birch", "cedar"}
    assert {r.kind for r in rows} == {"dpa", "privacy_policy"}
    firm = [r for r in rows if r.doc == "acme_dpa" and r.rid == "no_sale_of_student_data"][0]
    hedged = [r for r in rows if r.doc == "acme_privacy" and r.rid == "no_sale_of_student_data"][0]
    assert firm.preds["engine"] == "satisfied" and firm.x["commit_vendor"] == 1.0
    assert hedged.x["commit_vendor"] == 0.0
    assert all(set(r.x) == set(G.FEATURES) for r in rows)
    assert all(-1.0 <= v <= 1.0 for r in rows for v in r.x.values())


def test_engine_grader_out_of_fold_never_trains_on_the_scored_vendor(tiny, library, monkeypatch) -> None:
    _docs, _labels, rows, _ = tiny
    reqs = [r.id for r in library.requirements_for()]
    trained_on: list[set[str]] = []
    real = cv.train_model

    def spy(train_rows, settings, requirements, **kw):
        trained_on.append({r.vendor for r in train_rows})
        return real(train_rows, settings, requirements, **kw)

    monkeypatch.setattr(cv, "train_model", spy)
    logits = cv.out_of_fold(rows, cv.DEFAULT_SETTINGS, reqs)
    assert len(logits) == len(rows) and all(len(z) == 3 for z in logits)
    vendors = sorted({r.vendor for r in rows})
    assert len(trained_on) == len(vendors)
    for left_out, seen in zip(vendors, trained_on, strict=True):
        assert seen == set(vendors) - {left_out}


def test_engine_grader_softmax_learns_a_separable_problem() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=300)
    X = np.c_[np.ones(300), np.eye(3)[y] + rng.normal(0, 0.1, size=(300, 3))]
    W = G.train_softmax(X, y, l2=0.001, l2_prior=0.0, n_features=3, iterations=800, seed=1)
    acc = float((G.softmax_rows(X, W).argmax(axis=1) == y).mean())
    assert acc > 0.95
    W2 = G.train_softmax(X, y, l2=0.001, l2_prior=0.0, n_features=3, iterations=800, seed=1)
    assert np.array_equal(W, W2)


def test_engine_grader_calibration_helpers() -> None:
    logits = np.array([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0], [4.0, 0.0, 0.0]])
    y = np.array([0, 1, 2, 1])  # one confident mistake: the best temperature is above 1
    assert G.fit_temperature(logits, y) > 1.0
    a, b = G.fit_platt([0.9] * 8 + [0.6] * 8, [True] * 8 + [True] * 2 + [False] * 6)
    hi = 1 / (1 + math.exp(-(a * math.log(9) + b)))
    lo = 1 / (1 + math.exp(-(a * math.log(1.5) + b)))
    assert hi > 0.8 and lo < 0.5
    conf = [0.95, 0.92, 0.91, 0.85, 0.6, 0.55]
    correct = [True, True, True, False, False, True]
    t = cv.choose_threshold(conf, correct, target=0.9)
    assert t == 0.91
    cov = cv.coverage_at(conf, correct, t)
    assert cov["coverage"] == pytest.approx(0.5) and cov["accuracy"] == 1.0
    table = cv.reliability(conf, correct)
    assert sum(b["n"] for b in table) == len(conf)


def test_engine_grader_train_is_seeded_and_deterministic(tiny, library) -> None:
    docs, labels, _rows, _ = tiny
    golds = load_gold_dir(labels)
    a1, rep1, _ = train_from_labels(golds, [docs], library=library)
    a2, _rep2, _ = train_from_labels(golds, [docs], library=library)
    assert artifact_bytes(a1) == artifact_bytes(a2)
    model = G.model_from_dict(json.loads(artifact_bytes(a1)))
    assert model.features == cv.features_for(cv.DEFAULT_SETTINGS)
    assert not set(G.RULE_FEATURES) & set(model.features)  # the rules' verdict is not an input
    assert a1["meta"]["pairs"] == 24 and a1["meta"]["vendor_groups"] == 3
    assert set(rep1["systems"]) == set(cv.CV_SYSTEMS)
    # The training-data hash follows the labels.
    changed = [g for g in golds]
    flipped = dict(changed[0].labels)
    rid = next(iter(flipped))
    flipped[rid] = type(flipped[rid])("missing" if flipped[rid].status != "missing" else "weak")
    changed[0] = type(changed[0])(
        **{**{k: getattr(changed[0], k) for k in changed[0].__slots__}, "labels": flipped}
    )
    a3, _, _ = train_from_labels(changed, [docs], library=library)
    assert a3["meta"]["training_labels_sha256"] != a1["meta"]["training_labels_sha256"]


def test_engine_grader_train_command_writes_the_same_bytes_twice(tiny, tmp_path: Path, capsys) -> None:
    docs, labels, _rows, _ = tiny
    outs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        assert main(["train", "--labels", str(labels), "--docs", str(docs), "--out", str(out)]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b"pickle" not in outs[0]
    assert "leave-one-vendor-out accuracy" in capsys.readouterr().out


def test_engine_grader_train_command_one_vendor_is_a_clear_error(tmp_path: Path, capsys) -> None:
    docs, labels = _corpus(tmp_path, vendors=("Acme",))
    assert (
        main(["train", "--labels", str(labels), "--docs", str(docs), "--out", str(tmp_path / "x.json")]) == 2
    )
    err = capsys.readouterr().err
    assert "at least two vendors" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.json").exists()


def test_engine_grader_eval_cv_reports_baselines_kinds_and_confidence(tiny, capsys) -> None:
    docs, labels, _rows, _ = tiny
    assert main(["eval", "--cv", "--labels", str(labels), "--docs", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "leave one vendor out" in out and "3 vendor groups" in out
    for name in cv.CV_SYSTEMS:
        assert f"\n{name}" in out or f"  {name}" in out
    for section in ("per document kind", "per label confidence", "per requirement", "expected calibration"):
        assert section in out
    assert "dpa (3 documents" in out and "privacy_policy (3 documents" in out
    assert "high (" in out and "medium (" in out
    assert main(["eval", "--cv", "--json", "--labels", str(labels), "--docs", str(docs)]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["pairs"] == 24 and rep["systems"]["all_weak"]["accuracy"] == pytest.approx(
        9 / 24
    )  # 3 weak labels x 3 vendors


def test_engine_grader_shipped_artifact_is_valid(library) -> None:
    G.load_grader.cache_clear()
    model = G.load_grader()
    assert model is not None, "contractreview/engine/grader.json is missing"
    raw = json.loads(G.ARTIFACT_PATH.read_text(encoding="utf-8"))
    assert raw["schema"] == G.ARTIFACT_SCHEMA
    assert len(raw["meta"]["training_labels_sha256"]) == 64
    assert set(model.features) <= set(G.FEATURES) | set(G.S1_FEATURES)
    assert list(model.requirements) == [r.id for r in library.requirements_for()]
    if G.uses_stage1(model):  # its stage-1 classifier ships beside it, the very file it was trained with
        from contractreview.engine import stage1 as S1

        S1.load.cache_clear()
        clf = S1.load()
        assert clf is not None and clf.digest == raw["meta"]["stage1"]["sha256"]
        assert clf.requirements == model.requirements
        assert S1.ARTIFACT_PATH.stat().st_size < 30_000_000
    assert 0.0 < model.threshold < 1.0 and model.temperature > 0
    assert G.ARTIFACT_PATH.stat().st_size < 100_000
    cvm = raw["meta"]["cv_leave_one_vendor_out"]
    # The grader decides only where its vendor-grouped CV beat the rules (issue #14).
    beats = (
        cvm["grader"]["accuracy"] > cvm["rules"]["accuracy"]
        and cvm["grader"]["satisfied_recall"] >= cvm["rules"]["satisfied_recall"]
    )
    assert model.decides == beats


def test_engine_grader_findings_carry_calibrated_confidence(tmp_path: Path) -> None:
    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme") + "\n" + HEDGED.format(vendor="Acme"), encoding="utf-8")
    analysis = analyze(load_document(path))
    assert all(0.0 <= f.confidence <= 1.0 for f in analysis.findings)
    assert len({f.confidence for f in analysis.findings}) > 3  # rated per finding, not a constant
    assert all("Confidence" in f.explanation for f in analysis.findings)
    data = analysis_to_dict(analysis)
    assert all("confidence" in f for f in data["findings"])
    back = analysis_from_dict(data, document=analysis.document)
    assert [f.confidence for f in back.findings] == [round(f.confidence, 3) for f in analysis.findings]
    model = G.load_grader()
    assert model is not None
    low = [f for f in analysis.findings if f.confidence < model.threshold]
    assert all("uncertain" in f.explanation for f in low)


def test_engine_grader_confidence_only_keeps_the_rules_status(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme") + "\n" + HEDGED.format(vendor="Acme"), encoding="utf-8")
    document = load_document(path)
    with_grader = analyze(document)
    monkeypatch.setattr(G, "safe_load", lambda: None)
    rules_only = analyze(document)
    model = G.load_grader()
    assert model is not None
    if not model.decides:
        assert [f.status for f in with_grader.findings] == [f.status for f in rules_only.findings]
    assert all(f.confidence == 1.0 for f in rules_only.findings)
    assert analyze_mod._stage2 is G


def test_engine_grader_damaged_artifact_falls_back_to_rules(tmp_path: Path) -> None:
    bad = tmp_path / "grader.json"
    bad.write_text('{"schema": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError):
        G.load_grader(str(bad))
    bad.write_text(json.dumps({**json.loads(G.ARTIFACT_PATH.read_text()), "features": ["any_hit"]}))
    with pytest.raises(ValueError, match="do not match"):
        G.load_grader(str(bad))


def test_evaluation_labels_vendor_and_kind_are_derived() -> None:
    assert vendor_of("tosback_edtech/Kahoot_/Privacy Policy.md", "kahoot_privacy_policy") == "kahoot"
    assert vendor_of("open_terms_archive/Twitter/Data Processor Agreement.md", "x") == "twitter"
    assert vendor_of("clever/general-terms-of-use.md", "clever_general_terms") == "clever"
    assert vendor_of("", "wire_dpa") == "wire"
    assert kind_of("wire_dpa") == "dpa" and kind_of("sfusd_research_dua") == "dpa"
    assert kind_of("zoom_privacy_policy") == "privacy_policy" and kind_of("kahoot_terms") == "terms"
    assert kind_of("clever_security_practices") == "other"


def test_engine_grader_build_artifact_on_synthetic_rows_is_stable() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for v in range(4):
        for d in range(2):
            for rid in RIDS:
                gold = G.CLASSES[int(rng.integers(0, 3))]
                x = {f: 0.0 for f in G.FEATURES}
                x["any_hit"] = float(gold != "missing")
                x["commit_vendor"] = float(gold == "satisfied")
                rows.append(
                    cv.Row(
                        f"d{v}{d}",
                        f"v{v}",
                        "dpa",
                        False,
                        "dev",
                        rid,
                        gold,
                        "high",
                        {"engine": gold, "cue_only": "weak", "keyword": "missing"},
                        x,
                    )
                )
    a, rep = build_artifact(rows, list(RIDS))
    b, _ = build_artifact(rows, list(RIDS))
    assert artifact_bytes(a) == artifact_bytes(b)
    assert rep["systems"]["grader"]["accuracy"] > 0.9  # the features carry the labels


def test_engine_grader_gap_summary_exports_carry_confidence(tmp_path: Path) -> None:
    import csv

    from contractreview.domain import ReportMeta
    from contractreview.export import export_report

    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme") + "\n" + HEDGED.format(vendor="Acme"), encoding="utf-8")
    analysis = analyze(load_document(path))
    out = export_report(analysis, {}, ReportMeta(), "csv", tmp_path / "gap.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        # Key-term rows come first (their own columns); the finding rows carry the confidence.
        rows = [r for r in csv.DictReader(fh) if r.get("confidence") not in (None, "")]
    by_id = {f.requirement_id: f for f in analysis.findings}
    assert rows and all(
        float(r["confidence"]) == pytest.approx(by_id[r["requirement_id"]].confidence, abs=0.006)
        for r in rows
    )
    md = export_report(analysis, {}, ReportMeta(), "md", tmp_path / "gap.md").read_text(encoding="utf-8")
    assert "**Confidence:**" in md
    data = json.loads(export_report(analysis, {}, ReportMeta(), "json", tmp_path / "gap.json").read_text())
    items = data.get("flagged", []) + data.get("satisfied", [])
    assert items and all(0.0 <= i["confidence"] <= 1.0 for i in items)


def test_engine_grader_decide_override_and_a_deciding_grader_changes_the_status(tiny, tmp_path: Path) -> None:
    _docs, _labels, rows, _ = tiny
    reqs = list(RIDS)
    forced, rep = build_artifact(rows, reqs, {"decide": "always"})
    assert forced["decides"] is True and rep["grader_decides"] is True
    never, _ = build_artifact(rows, reqs, {"decide": "never"})
    assert never["decides"] is False
    # A grader that always says "weak", allowed to decide: a satisfied rules finding with evidence turns weak.
    n = 1 + len(G.FEATURES) + len(reqs)
    model = G.GraderModel(
        features=G.FEATURES,
        requirements=tuple(reqs),
        coef={"satisfied": (0.0,) * n, "weak": (5.0,) + (0.0,) * (n - 1), "missing": (0.0,) * n},
        decides=True,
    )
    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme"), encoding="utf-8")
    from contractreview.engine import trace

    run = trace(load_document(path), library=load_library("default"))
    feats, w = run.features, run.weights
    d = run.rules["no_sale_of_student_data"]
    assert d.status.value == "satisfied" and d.best
    status, conf, layer, note = G.apply(model, "no_sale_of_student_data", feats, w, d, {})
    assert (status, layer) == ("weak", "grader") and conf > 0.5 and "Confidence" in note
    # Not allowed to decide: the rules' status stands, rated low.
    status, conf, layer, note = G.apply(
        G.GraderModel(**{**{k: getattr(model, k) for k in model.__slots__}, "decides": False}),
        "no_sale_of_student_data",
        feats,
        w,
        d,
        {},
    )
    assert (status, layer) == ("satisfied", "rules") and conf < 0.5 and "leans weak" in note


@pytest.mark.corpus
def test_engine_grader_artifact_was_trained_on_the_current_labels(corpus_dir: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    golds = load_gold_dir(corpus_dir / "labels") + load_gold_dir(repo / "eval" / "labels")
    payload = [{"doc": g.doc, "rid": rid, "gold": lab.status} for g in golds for rid, lab in g.labels.items()]
    meta = json.loads(G.ARTIFACT_PATH.read_text(encoding="utf-8"))["meta"]
    assert meta["training_labels_sha256"] == G.labels_hash(payload), (
        "the labels changed since engine/grader.json was trained: run `contractreview train`"
    )
    assert meta["documents"] == sorted(g.doc for g in golds)


def test_issue_14_frozen_split_is_never_trained_on_or_cross_validated(tiny, library) -> None:
    from dataclasses import replace

    from contractreview.errors import InputError

    docs, labels, _rows, _ = tiny
    golds = load_gold_dir(labels)
    golds[0] = replace(golds[0], split="frozen")
    with pytest.raises(InputError, match="frozen"):
        train_from_labels(golds, [docs], library=library)
    with pytest.raises(InputError, match="frozen"):
        cv.collect(golds, [docs], library=library)


def test_issue_14_plain_reasons_leave_out_the_confidence_sentence(tmp_path: Path) -> None:
    from contractreview.plain import plain_reason

    path = tmp_path / "policy.md"
    path.write_text(HEDGED.format(vendor="Acme"), encoding="utf-8")
    weak = [f for f in analyze(load_document(path)).findings if f.status.value == "weak"]
    assert weak and all("Confidence" in f.explanation for f in weak)
    for f in weak:
        reason = plain_reason(f)
        assert reason.startswith("The wording falls short")
        assert "Confidence" not in reason and "tipped" not in reason and "grader" not in reason


def test_issue_14_class_weights_raise_the_recall_of_a_rare_class() -> None:
    rng = np.random.default_rng(3)
    n = 600
    y = np.where(rng.random(n) < 0.12, 0, np.where(rng.random(n) < 0.5, 1, 2))
    X = np.column_stack(
        [np.ones(n), rng.normal(size=n) + (y == 0) * 0.8, rng.normal(size=n) + (y == 2) * 1.0]
    )
    w = G.class_weights(y, 1.0)
    assert w.mean() == pytest.approx(1.0) and w[y == 0].min() > w[y == 1].max()
    assert np.all(G.class_weights(y, 0.0) == 1.0)
    plain = G.train_softmax(X, y, l2=1e-3, l2_prior=1e-3, n_features=2, iterations=2000, seed=1)
    weighted = G.train_softmax(
        X,
        y,
        l2=1e-3,
        l2_prior=1e-3,
        n_features=2,
        iterations=2000,
        seed=1,
        sample_weight=G.class_weights(y, 1.0),
    )
    rare_plain = int(((X @ plain.T).argmax(axis=1)[y == 0] == 0).sum())
    rare_weighted = int(((X @ weighted.T).argmax(axis=1)[y == 0] == 0).sum())
    assert rare_weighted > rare_plain


def test_issue_14_a_deciding_grader_shows_the_cue_sentences_of_a_pair_the_rules_called_missing(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme") + "\n" + HEDGED.format(vendor="Acme"), encoding="utf-8")
    document = load_document(path)
    monkeypatch.setattr(G, "safe_load", lambda: None)
    rules = {f.requirement_id: f for f in analyze(document).findings}
    reqs = [r.id for r in load_library("default").requirements_for()]
    n = 1 + len(G.FEATURES) + len(reqs)
    always_weak = G.GraderModel(
        features=G.FEATURES,
        requirements=tuple(reqs),
        coef={"satisfied": (0.0,) * n, "weak": (5.0,) + (0.0,) * (n - 1), "missing": (0.0,) * n},
        decides=True,
    )
    monkeypatch.setattr(G, "safe_load", lambda: always_weak)
    graded = {f.requirement_id: f for f in analyze(document).findings}
    promoted = [
        rid for rid, f in graded.items() if rules[rid].status.value == "missing" and f.status.value == "weak"
    ]
    # deletion_or_return_at_contract_end has cue sentences below the rules' relevance floor in this text.
    assert "deletion_or_return_at_contract_end" in promoted
    for rid in promoted:
        f = graded[rid]
        assert f.layer == "grader" and f.evidence
        assert all(document.text[e.start : e.end] == e.text for e in f.evidence)
        assert "the learned grader changed the rules' 'missing' to 'weak'" in f.explanation
        assert "page" in f.explanation  # the explanation still names the clause and page
        assert "grader" not in plain_reason(f)  # people-facing exports stay free of internal words
    # A pair with no cue at all stays missing: stage 1 found nothing to show.
    silent = [rid for rid, f in rules.items() if f.status.value == "missing" and rid not in promoted]
    assert silent and all(graded[rid].status.value == "missing" for rid in silent)


def test_issue_14_a_deciding_grader_leaves_requirements_it_was_not_trained_on_to_the_rules(
    tmp_path: Path,
) -> None:
    from contractreview.engine.decision import decide
    from contractreview.engine.features import extract_features
    from contractreview.engine.scoring import load_weights
    from contractreview.nlp import get_pipeline
    from contractreview.segment import segment

    path = tmp_path / "dpa.md"
    path.write_text(FIRM.format(vendor="Acme"), encoding="utf-8")
    lib = load_library("default")
    doc = load_document(path)
    feats = extract_features(doc, tuple(segment(doc)), lib, get_pipeline(lib))
    w = load_weights()
    d = decide("no_sale_of_student_data", doc, feats, lib, w)
    assert d.status.value == "satisfied"
    others = tuple(r.id for r in lib.requirements_for() if r.id != "no_sale_of_student_data")
    n = 1 + len(G.FEATURES) + len(others)
    always_weak = G.GraderModel(
        features=G.FEATURES,
        requirements=others,
        coef={"satisfied": (0.0,) * n, "weak": (5.0,) + (0.0,) * (n - 1), "missing": (0.0,) * n},
        decides=True,
    )
    status, conf, layer, note = G.apply(always_weak, "no_sale_of_student_data", feats, w, d, {})
    assert (status, layer) == ("satisfied", "rules") and "leans weak" in note


def test_issue_14_key_terms_come_from_the_rules_even_where_the_grader_says_missing(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "dpa.md"
    path.write_text(
        "# Data Privacy Agreement\n\n## 1. Data Breach\n\n1.1 Provider shall notify the District within ten "
        "(10) days after discovery of any breach of Student Data.\n",
        encoding="utf-8",
    )
    reqs = [r.id for r in load_library("default").requirements_for()]
    n = 1 + len(G.FEATURES) + len(reqs)
    always_missing = G.GraderModel(
        features=G.FEATURES,
        requirements=tuple(reqs),
        coef={"satisfied": (0.0,) * n, "weak": (0.0,) * n, "missing": (5.0,) + (0.0,) * (n - 1)},
        decides=True,
    )
    monkeypatch.setattr(G, "safe_load", lambda: always_missing)
    analysis = analyze(load_document(path))
    f = next(f for f in analysis.findings if f.requirement_id == "breach_notice_deadline_to_lea")
    assert (f.status.value, f.layer, f.evidence) == ("missing", "grader", ())
    assert "The rules read a sentence as weak" in f.explanation
    assert plain_reason(f) == "The contract has no clause that addresses this protection."
    assert analysis.key_terms["breach_notice_max_hours"] == 240


def test_issue_14_train_stage1_writes_its_classifier_beside_the_grader(tiny, tmp_path: Path) -> None:
    import hashlib

    docs, labels, _rows, _ = tiny
    got = []
    for name in ("a", "b"):
        out = tmp_path / name / "grader.json"
        out.parent.mkdir()
        args = ["train", "--labels", str(labels), "--docs", str(docs), "--out", str(out), "--stage1"]
        assert main(args) == 0
        got.append((out.read_bytes(), (out.parent / "stage1.npz").read_bytes()))
    assert got[0] == got[1]  # same labels, same bytes, both files
    art = json.loads(got[0][0])
    assert art["features"][-2:] == list(G.S1_FEATURES)
    assert art["meta"]["stage1"]["sha256"] == hashlib.sha256(got[0][1]).hexdigest()
    assert art["meta"]["settings"]["stage1"] is True
    plain = tmp_path / "plain.json"
    assert main(["train", "--labels", str(labels), "--docs", str(docs), "--out", str(plain)]) == 0
    assert not set(G.S1_FEATURES) & set(json.loads(plain.read_bytes())["features"])
    assert not (tmp_path / "stage1.npz").exists()
