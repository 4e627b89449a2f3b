"""Vendor-grouped cross-validation of the rules engine, its baselines and the learned grader.

``collect`` runs the engine once per labelled document and keeps, per (document, requirement) pair, the
gold status, the rules' status, the baselines' answers and the grader's features. ``cross_validate``
then trains the grader on every vendor but one and predicts the left-out vendor (all Clever documents
form one group, both Kahoot documents another), so no vendor's wording is ever both trained and scored.
The rules engine has no training step here; its figures are the same pairs scored in the same run.

Reported per class, per requirement, per document kind, per label confidence, and separately on the
documents labelled by independent annotators who never ran the engine on them (``independent``: the
three held-out documents and the four scored once before they joined development).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import grader as G
from ..errors import InputError
from .labels import Gold, kind_group, resolve_document
from .metrics import Pair, per_requirement, status_scores

CV_SYSTEMS = ("grader", "engine", "cue_only", "keyword", "all_weak", "all_missing", "all_satisfied")
# Regularisation of the shipped grader, chosen once (see docs/model-card.md), not per fold.
DEFAULT_SETTINGS: dict[str, Any] = {
    "l2": 0.0003,
    "l2_prior": 0.003,
    "iterations": 3000,
    "seed": 14,
    # Class weights (n / (3 n_class)) ** 0.5: "satisfied" is 11% of the pairs, and unweighted the grader
    # gave up a tenth of its recall to gain accuracy. Chosen by this CV among 0, 0.5 and 1 (docs/model-card.md).
    "class_weight": 0.5,
    "rule_features": False,
    "calibrate_on": "independent",
    "decide": "auto",
    # Stage-1 supervised sentence scores as two grader features (issue #14, fifth session): they passed the
    # CV criterion narrowly but add 25-40 ms to a 64-page analysis, so they are opt-in (`train --stage1`;
    # see docs/model-card.md).
    "stage1": False,
}


@dataclass(slots=True)
class Row:
    doc: str
    vendor: str
    kind: str
    independent: bool  # labelled by an independent annotator who never ran the engine on it
    split: str
    rid: str
    gold: str
    confidence: str
    preds: dict[str, str]  # system -> status (engine, cue_only, keyword)
    x: dict[str, float] = field(default_factory=dict)
    # Stage-1 sentence data of the row's document (shared by its rows) and the stage-1 features of the row
    # per set of vendors left out of the classifier that scored it (see :func:`add_stage1`).
    doc_data: DocData | None = None
    s1: dict[frozenset[str], dict[str, float]] = field(default_factory=dict)


@dataclass(slots=True)
class DocData:
    """A document's sentences (texts, spans), its gold evidence sentences and the rules' cue sentences."""

    texts: list[str]
    spans: list[tuple[int, int]]
    evidence: dict[str, list[int]]  # requirement -> sentences quoted as its evidence (satisfied / weak)
    hits: dict[str, list[tuple[int, int]]]  # requirement -> the rules' cue sentences (offsets)


def _independent(g: Gold) -> bool:
    return "independent" in g.annotator.lower()


def document_rows(gold: Gold, path: Path, library: Any) -> list[Row]:
    """One row per labelled requirement of one document (the engine run once; the rules' verdicts)."""
    from ..engine import trace
    from ..ingest import load_document

    document = load_document(path)
    run = trace(document, library=library, profile=library.profile.name)
    return rows_from_trace(gold, document, run, library)


def rows_from_trace(gold: Gold, document: Any, run: Any, library: Any) -> list[Row]:
    """The rows of :func:`document_rows` from an engine trace already run on ``document``."""
    from . import baselines

    feats, w = run.features, run.weights
    rids = [r.id for r in library.requirements_for()]
    stats = G.document_stats(feats, w, rids)
    data = doc_data(gold, document, feats)
    rows = []
    for rid, lab in sorted(gold.labels.items()):
        d = run.rules.get(rid)  # the rules' own verdict (stage 1), before the grader
        if d is None:
            raise InputError(f"'{rid}' is labelled, but the engine cannot check it (needs_review)", gold.source or gold.doc)
        rules = d.status.value
        rows.append(
            Row(
                doc=gold.doc,
                vendor=gold.vendor,
                kind=kind_group(gold),
                independent=_independent(gold),
                split=gold.split,
                rid=rid,
                gold=lab.status,
                confidence=lab.confidence or "unknown",
                preds={
                    "engine": rules,
                    "cue_only": baselines.cue_only(feats, rid, w),
                    "keyword": baselines.keyword(document.text, library, rid),
                },
                x=G.pair_features(rid, feats, w, rules, d.deadline, stats),
                doc_data=data,
            )
        )
    return rows


def doc_data(gold: Gold, document: Any, feats: Any) -> DocData:
    """The sentences of ``document`` (as the engine split them) with its gold evidence located in them."""
    from .metrics import locate, normalised_index

    spans = list(getattr(feats, "spans", ()) or ())
    norm, idx = normalised_index(document.text)
    evidence: dict[str, list[int]] = {}
    for rid, lab in gold.labels.items():
        if lab.status == "missing":
            continue
        got: set[int] = set()
        for quote in lab.evidence:
            loc = locate(quote, norm, idx)
            if loc:
                got.update(k for k, (s, e) in enumerate(spans) if s < loc[1] and loc[0] < e)
        if got:
            evidence[rid] = sorted(got)
    hits = {rid: [(h.start, h.end) for h in hs] for rid, hs in feats.hits.items()}
    return DocData([document.text[s:e] for s, e in spans], spans, evidence, hits)


def collect(
    golds: Sequence[Gold],
    docs_dirs: Iterable[Path],
    *,
    library: Any,
    on_document: Callable[[int, int, str], None] | None = None,
) -> tuple[list[Row], list[str]]:
    """Rows of every labelled document found, and the names of the documents not found."""
    if any(g.split == "frozen" for g in golds):
        raise InputError("the frozen split is scored as a whole only, never cross-validated", "labels")
    dirs = list(docs_dirs)
    rows: list[Row] = []
    missing: list[str] = []
    for i, g in enumerate(golds):
        if on_document:
            on_document(i, len(golds), g.doc)
        path = resolve_document(g, dirs)
        if path is None:
            missing.append(g.doc)
            continue
        rows.extend(document_rows(g, path, library))
    same = canonical_vendors(r.vendor for r in rows)
    for r in rows:
        r.vendor = same[r.vendor]
    return rows, missing


def canonical_vendors(names: Iterable[str]) -> dict[str, str]:
    """One group name per vendor however its label files spell it ("mcgraw" / "mcgrawhill", "khan" /
    "khanacademy"): a name that starts with another name of at least four letters joins that one's group."""
    distinct = sorted(set(names), key=lambda n: (len(n), n))
    out: dict[str, str] = {}
    for n in distinct:
        out[n] = next(
            (out[m] for m in distinct if len(m) >= 4 and m != n and n.startswith(m) and m in out), n
        )
    return out


# --------------------------------------------------------------------------- training and CV


def features_for(settings: Mapping[str, Any]) -> tuple[str, ...]:
    base = G.FEATURES
    if not settings.get("rule_features"):
        base = tuple(f for f in G.FEATURES if f not in G.RULE_FEATURES)
    return (*base, *G.S1_FEATURES) if settings.get("stage1") else base


def uses_stage1(rows: Sequence[Row], settings: Mapping[str, Any]) -> bool:
    """Stage-1 features are on when the settings ask for them and the rows carry their documents'
    sentences."""
    return bool(settings.get("stage1")) and any(r.doc_data is not None and r.doc_data.texts for r in rows)


def x_for(row: Row, left_out: frozenset[str]) -> dict[str, float]:
    """The row's grader features, its stage-1 ones from a classifier that never saw ``left_out`` vendors."""
    s1 = row.s1.get(left_out)
    return {**row.x, **s1} if s1 is not None else row.x


def add_stage1(rows: Sequence[Row], requirements: Sequence[str], *, pairs: bool = True) -> None:
    """Stage-1 features of every row, out-of-fold: scored by a classifier that never saw the row's vendor
    (``row.s1[{vendor}]``) and, with ``pairs``, by one that saw neither it nor any other vendor v
    (``row.s1[{vendor, v}]``: what a training row of the fold that scores v sees). Exact, because the
    classifier is trained by counting (:class:`contractreview.engine.stage1.Counts`)."""
    from ..engine import stage1 as S1

    counts = S1.Counts(requirements)
    docs: dict[str, DocData] = {}
    vendor_docs: dict[str, list[str]] = {}
    for r in rows:
        if r.doc_data is not None and r.doc not in docs:
            docs[r.doc] = r.doc_data
            vendor_docs.setdefault(r.vendor, []).append(r.doc)
            counts.add(r.doc, r.doc_data.texts, r.doc_data.evidence)
    by_doc: dict[str, list[Row]] = {}
    for r in rows:
        by_doc.setdefault(r.doc, []).append(r)
    vendors = sorted(vendor_docs)

    def score(left_out: frozenset[str], scored: Iterable[str]) -> None:
        W, ok, _ = counts.weights([d for v in left_out for d in vendor_docs[v]])
        for v in scored:
            for d in vendor_docs[v]:
                data = docs[d]
                best = counts.best(data.texts, W, ok)
                for r in by_doc[d]:
                    r.s1[left_out] = stage1_pair(best.get(r.rid), data.spans, data.hits.get(r.rid, ()))

    for i, a in enumerate(vendors):
        score(frozenset([a]), [a])
        if pairs:
            for b in vendors[i + 1 :]:
                score(frozenset([a, b]), [a, b])


def stage1_pair(best: tuple[float, int] | None, spans: Sequence[tuple[int, int]], hits) -> dict[str, float]:
    """``s1_best`` / ``s1_unfound`` of one pair from its best sentence and the rules' cue sentences."""
    from ..engine import stage1 as S1

    if best is None:
        return S1.s1_features(None, False)
    s, e = spans[best[1]]
    return S1.s1_features(best, any(a < e and s < b for a, b in hits))


def train_model(rows: Sequence[Row], settings: Mapping[str, Any], requirements: Sequence[str], *, xs=None):
    """Coefficients (numpy array) of the grader trained on ``rows`` (features ``xs`` when given)."""
    import numpy as np

    feats = features_for(settings)
    if xs is None:
        xs = [x_for(r, frozenset([r.vendor])) for r in rows]
    X = G.design_matrix([(x, r.rid) for x, r in zip(xs, rows, strict=True)], feats, requirements)
    y = np.array([G.CLASSES.index(r.gold) for r in rows])
    power = float(settings.get("class_weight", 0.0) or 0.0)
    return G.train_softmax(
        X,
        y,
        l2=float(settings["l2"]),
        l2_prior=float(settings["l2_prior"]),
        n_features=len(feats),
        iterations=int(settings["iterations"]),
        seed=int(settings["seed"]),
        sample_weight=G.class_weights(y, power) if power else None,
    )


def out_of_fold(
    rows: Sequence[Row], settings: Mapping[str, Any], requirements: Sequence[str]
) -> list[list[float]]:
    """Leave-one-vendor-out logits of every row (the row's vendor never in its training fold)."""
    import numpy as np

    feats = features_for(settings)
    logits: list[list[float]] = [[0.0, 0.0, 0.0] for _ in rows]
    for vendor in sorted({r.vendor for r in rows}):
        train = [r for r in rows if r.vendor != vendor]
        test = [i for i, r in enumerate(rows) if r.vendor == vendor]
        # Stage-1 features of a training row come from a classifier that saw neither it nor ``vendor``.
        xs = [x_for(r, frozenset([vendor, r.vendor])) for r in train]
        W = train_model(train, settings, requirements, xs=xs)
        X = G.design_matrix(
            [(x_for(rows[i], frozenset([vendor])), rows[i].rid) for i in test], feats, requirements
        )
        Z = X @ W.T
        for k, i in enumerate(test):
            logits[i] = [float(v) for v in np.asarray(Z[k])]
    return logits


def _probs(logits: Sequence[Sequence[float]], temperature: float):
    import numpy as np

    Z = np.asarray(logits, dtype=float) / temperature
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    return P / P.sum(axis=1, keepdims=True)


def grader_predictions(rows: Sequence[Row], P, *, decides: bool) -> list[str]:
    out = []
    for r, p in zip(rows, P, strict=True):
        if not decides:
            out.append(r.preds["engine"])
        elif r.preds["engine"] == "missing" and not r.x.get("any_hit"):
            out.append("missing")
        else:
            out.append(G.CLASSES[int(p.argmax())])
    return out


def calibration_rows(rows: Sequence[Row], settings: Mapping[str, Any]) -> list[int]:
    """The rows the confidence is calibrated on.

    By default the documents labelled by independent annotators who never ran the engine on them: the
    rules were tuned on the others, so their errors there are fewer than on a new vendor's paper, and a
    confidence calibrated on them would promise too much. All rows when there are no such documents.
    """
    if settings.get("calibrate_on", "independent") == "independent":
        idx = [i for i, r in enumerate(rows) if r.independent]
        if len({rows[i].vendor for i in idx}) >= 2:
            return idx
    return list(range(len(rows)))


def grouped_platt(
    rows: Sequence[Row], p_status: Sequence[float], correct: Sequence[bool], cal: Sequence[int] | None = None
) -> list[float]:
    """Calibrated confidence of every row, the calibration fitted on ``cal`` rows of the *other* vendors."""
    import numpy as np

    cal = list(range(len(rows))) if cal is None else list(cal)
    out = [0.0] * len(rows)
    for vendor in sorted({r.vendor for r in rows}):
        tr = [i for i in cal if rows[i].vendor != vendor]
        a, b = G.fit_platt([p_status[i] for i in tr], [correct[i] for i in tr])
        for i, r in enumerate(rows):
            if r.vendor == vendor:
                p = min(max(p_status[i], 1e-6), 1 - 1e-6)
                out[i] = float(1.0 / (1.0 + np.exp(-(a * np.log(p / (1 - p)) + b))))
    return out


def reliability(conf: Sequence[float], correct: Sequence[bool], bins: int = 10) -> list[dict[str, Any]]:
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not idx:
            continue
        table.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": len(idx),
                "mean_confidence": sum(conf[i] for i in idx) / len(idx),
                "accuracy": sum(correct[i] for i in idx) / len(idx),
            }
        )
    return table


def expected_calibration_error(conf: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    n = len(conf)
    return sum(
        b["n"] / n * abs(b["mean_confidence"] - b["accuracy"]) for b in reliability(conf, correct, bins)
    )


def choose_threshold(conf: Sequence[float], correct: Sequence[bool], target: float = 0.90) -> float:
    """The lowest confidence threshold whose pairs at or above it are right at least ``target`` of the time."""
    best = 1.0
    for t in sorted(set(round(c, 3) for c in conf)):
        idx = [i for i, c in enumerate(conf) if c >= t]
        if idx and sum(correct[i] for i in idx) / len(idx) >= target:
            best = t
            break
    return best


def coverage_at(conf: Sequence[float], correct: Sequence[bool], threshold: float) -> dict[str, Any]:
    idx = [i for i, c in enumerate(conf) if c >= threshold]
    return {
        "threshold": threshold,
        "coverage": len(idx) / len(conf) if conf else 0.0,
        "accuracy": sum(correct[i] for i in idx) / len(idx) if idx else 0.0,
        "n": len(idx),
    }


def _scores_by(rows: Sequence[Row], preds: Mapping[str, Sequence[str]], key: Callable[[Row], str]):
    out: dict[str, dict[str, Any]] = {}
    for k in sorted({key(r) for r in rows}):
        idx = [i for i, r in enumerate(rows) if key(r) == k]
        docs = len({rows[i].doc for i in idx})
        out[k] = {"documents": docs, "pairs": len(idx)}
        for system, ps in preds.items():
            out[k][system] = status_scores([Pair(rows[i].doc, rows[i].rid, rows[i].gold, ps[i]) for i in idx])
    return out


def cross_validate(
    rows: Sequence[Row], requirements: Sequence[str], settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The full CV report (plain data; ``format_cv_report`` prints it)."""
    import numpy as np

    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    rows = list(rows)
    settings["stage1"] = uses_stage1(rows, settings)
    if settings["stage1"] and not any(r.s1 for r in rows):
        add_stage1(rows, requirements)
    logits = out_of_fold(rows, settings, requirements)
    y = np.array([G.CLASSES.index(r.gold) for r in rows])
    temperature = G.fit_temperature(np.asarray(logits), y)
    P = _probs(logits, temperature)
    grader = grader_predictions(rows, P, decides=True)
    preds: dict[str, list[str]] = {
        "grader": grader,
        "engine": [r.preds["engine"] for r in rows],
        "cue_only": [r.preds["cue_only"] for r in rows],
        "keyword": [r.preds["keyword"] for r in rows],
        "all_weak": ["weak"] * len(rows),
        "all_missing": ["missing"] * len(rows),
        "all_satisfied": ["satisfied"] * len(rows),
    }
    overall = {
        s: status_scores([Pair(r.doc, r.rid, r.gold, p) for r, p in zip(rows, ps, strict=True)])
        for s, ps in preds.items()
    }
    g, e = overall["grader"], overall["engine"]
    earned = bool(
        g["accuracy"] > e["accuracy"]
        and g["per_status"]["satisfied"]["recall"] >= e["per_status"]["satisfied"]["recall"]
    )
    # "auto": the grader decides only where it beat the rules in this CV; "always"/"never" override it.
    decides = {"always": True, "never": False}.get(str(settings.get("decide", "auto")), earned)
    shipped = grader if decides else preds["engine"]
    p_status = [float(P[i][G.CLASSES.index(shipped[i])]) for i in range(len(rows))]
    correct = [shipped[i] == rows[i].gold for i in range(len(rows))]
    cal = calibration_rows(rows, settings)
    conf = grouped_platt(rows, p_status, correct, cal)
    threshold = choose_threshold([conf[i] for i in cal], [correct[i] for i in cal])
    report: dict[str, Any] = {
        "settings": settings,
        "groups": sorted({r.vendor for r in rows}),
        "documents": len({r.doc for r in rows}),
        "pairs": len(rows),
        "temperature": temperature,
        "grader_decides": decides,
        "grader_earned_decision": earned,
        "systems": overall,
        "per_kind": _scores_by(rows, preds, lambda r: r.kind),
        "per_confidence": _scores_by(rows, preds, lambda r: r.confidence),
        "per_annotation": _scores_by(
            rows, preds, lambda r: "independent" if r.independent else "project-tuned"
        ),
        "per_split": _scores_by(rows, preds, lambda r: r.split),
        "per_requirement": {
            s: per_requirement([Pair(r.doc, r.rid, r.gold, p) for r, p in zip(rows, preds[s], strict=True)])
            for s in ("grader", "engine")
        },
        "per_document": {
            d: {s: sum(rows[i].gold == preds[s][i] for i in idx) / len(idx) for s in ("grader", "engine")}
            for d in sorted({r.doc for r in rows})
            for idx in [[i for i, r in enumerate(rows) if r.doc == d]]
        },
        "confidence": {
            "shipped_status": "grader" if decides else "engine",
            "calibrated_on": "independent" if len(cal) < len(rows) else "all",
            "calibration_pairs": len(cal),
            "reliability": reliability(conf, correct),
            "ece": expected_calibration_error(conf, correct),
            "reliability_independent": reliability(
                [c for c, r in zip(conf, rows, strict=True) if r.independent],
                [k for k, r in zip(correct, rows, strict=True) if r.independent],
            ),
            "ece_independent": expected_calibration_error(
                [c for c, r in zip(conf, rows, strict=True) if r.independent],
                [k for k, r in zip(correct, rows, strict=True) if r.independent],
            )
            if any(r.independent for r in rows)
            else None,
            "at_threshold": coverage_at(conf, correct, threshold),
            "at_threshold_independent": coverage_at(
                [c for c, r in zip(conf, rows, strict=True) if r.independent],
                [k for k, r in zip(correct, rows, strict=True) if r.independent],
                threshold,
            ),
        },
    }
    return report


def _cells(sc: Mapping[str, Any]) -> str:
    ps = sc["per_status"]
    return f"{sc['accuracy']:>7.3f}{sc['macro_f1']:>9.3f}  " + "".join(
        f"{ps[k]['precision']:>6.2f}/{ps[k]['recall']:<5.2f}" + f"{ps[k]['f1']:>5.2f} " for k in G.CLASSES
    )


def format_cv_report(report: Mapping[str, Any]) -> str:
    head = f"{'system':<14}{'acc':>7}{'macroF1':>9}  {'sat P/R F1':>17}{'weak P/R F1':>17}{'miss P/R F1':>17}"
    lines = [
        f"== vendor-grouped cross-validation: {report['documents']} documents, {report['pairs']} pairs, "
        f"{len(report['groups'])} vendor groups (leave one vendor out) ==",
        f"grader settings: {dict(report['settings'])}; temperature {report['temperature']:.2f}",
        head,
    ]
    for s, sc in report["systems"].items():
        lines.append(f"{s:<14}{_cells(sc)}")
    earned = report.get("grader_earned_decision", report["grader_decides"])
    g, e = report["systems"]["grader"], report["systems"]["engine"]
    why = (
        f"accuracy {g['accuracy']:.3f} vs rules {e['accuracy']:.3f}, satisfied recall "
        f"{g['per_status']['satisfied']['recall']:.2f} vs {e['per_status']['satisfied']['recall']:.2f}; "
        "it must beat both"
    )
    if report["grader_decides"] == earned:
        verdict = "yes" if earned else "no, confidence only"
    else:
        verdict = "yes, forced by --decide" if report["grader_decides"] else "no, forced by --decide"
    lines.append(f"grader decides the status: {verdict} ({why})")
    for title, key in (
        ("per annotation", "per_annotation"),
        ("per split", "per_split"),
        ("per document kind", "per_kind"),
        ("per label confidence", "per_confidence"),
    ):
        lines.append("")
        lines.append(f"-- {title} --")
        for k, block in report[key].items():
            lines.append(f"{k} ({block['documents']} documents, {block['pairs']} pairs)")
            for s in CV_SYSTEMS:
                lines.append(f"  {s:<12}{_cells(block[s])}")
    c = report["confidence"]
    lines.append("")
    lines.append(
        f"-- confidence of the shipped status ({c['shipped_status']}), Platt-calibrated on "
        f"{c['calibrated_on']} documents ({c['calibration_pairs']} pairs), leave-one-vendor-out --"
    )
    for label, key in (("all pairs", "reliability"), ("independent", "reliability_independent")):
        if not c.get(key):
            continue
        lines.append(f"reliability, {label}:")
        lines.append(f"  {'bin':<10}{'n':>6}{'mean conf':>11}{'accuracy':>10}")
        for b in c[key]:
            lines.append(f"  {b['bin']:<10}{b['n']:>6}{b['mean_confidence']:>11.3f}{b['accuracy']:>10.3f}")
    lines.append(
        f"expected calibration error {c['ece']:.3f}"
        + (f" (independent {c['ece_independent']:.3f})" if c.get("ece_independent") is not None else "")
    )
    for label, key in (("all pairs", "at_threshold"), ("independent", "at_threshold_independent")):
        t = c[key]
        lines.append(
            f"confidence >= {t['threshold']:.3f} ({label}): accuracy {t['accuracy']:.3f} on "
            f"{t['coverage']:.1%} of pairs ({t['n']})"
        )
    lines.append("")
    lines.append("-- per document (accuracy: grader / engine) --")
    for d, v in report["per_document"].items():
        lines.append(f"  {d:<34}{v['grader']:.3f} / {v['engine']:.3f}")
    lines.append("")
    lines.append("-- per requirement (accuracy grader / engine; gold s/w/m) --")
    pg, pe = report["per_requirement"]["grader"], report["per_requirement"]["engine"]
    for rid in pg:
        gs = pg[rid]["gold"]
        lines.append(
            f"  {rid:<42}{pg[rid]['accuracy']:.2f} / {pe[rid]['accuracy']:.2f}  "
            f"{gs['satisfied']}/{gs['weak']}/{gs['missing']}"
        )
    return "\n".join(lines)
