"""Training and cross-validation of the learned GDPR presence detector (issue #20).

The protocol is pre-registered in docs/evaluation-gdpr.md ("Learned presence detector"):

- training reads the corpus's sentence labels of the DPAs numbered below :data:`HELD_OUT_FROM` only: rows of
  the held-out DPAs are skipped as the file is read, and their presence files are never opened;
- one logistic regression per duty over hashed unigrams and bigrams (:mod:`contractreview.engine.presence`),
  class-balanced, L2, full-batch Adam from zeros (deterministic);
- 5-fold cross-validation grouped by DPA on the development DPAs with presence gold: each fold's detector is
  trained on the other development DPAs plus the DPAs without presence gold, scored on the fold's DPAs at
  the document level (the best sentence of the engine's own sentence split);
- the (L2, threshold) pair is chosen by :func:`select` and the detector ships only when :func:`ships` holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .gdpr import (
    REQUIREMENT_IDS,
    Counts,
    Dpa,
    _number,
    iter_corpus_rows,
    iter_presence_files,
    keyword_missing,
    load_presence,
)

# DPAs "Online 94" and above are the held-out DPAs: never read, trained or evaluated on here.
HELD_OUT_FROM = 94
FOLDS = 5
L2_GRID = (1e-5, 1e-4, 1e-3)
T_GRID = (0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97, 0.99)
MIN_DETECTOR_RECALL = 0.95  # selection: detector-alone CV recall of missing duties
MIN_COMBINED_RECALL = 0.90  # ship rule
ITERATIONS = 300
# Second protocol (docs/evaluation-gdpr.md): the presence readers' cited sentences of present duties are
# positives too (training folds only; the final detector uses all development DPAs' citations).
CITED_POSITIVES = True
LEARNING_RATE = 0.05


@dataclass(frozen=True, slots=True)
class Sentence:
    dpa: str
    number: int
    order: int
    text: str
    duties: frozenset[str]


def load_sentences(csv_path: Path | str, *, below: int = HELD_OUT_FROM) -> list[Sentence]:
    """The labelled sentences of the DPAs numbered below ``below``, in (DPA number, sentence id) order.

    Rows of other DPAs are dropped as they are read: their text and labels are never kept.

    :raises InputError: the file is missing or does not have the corpus columns.
    """
    path = Path(csv_path)
    out: list[Sentence] = []
    for name, order, text, duties in iter_corpus_rows(path):
        number = _number(name)
        if number < below and text:
            out.append(Sentence(name, number, order, text, duties))
    if not out:
        raise InputError("the GDPR DPA corpus has no sentences of development DPAs.", path)
    out.sort(key=lambda s: (s.number, s.dpa, s.order))
    return out


def load_dev_presence(directory: Path | str, *, below: int = HELD_OUT_FROM) -> dict[str, dict[str, str]]:
    """Presence gold of the development DPAs only: a file whose name or DPA is numbered ``below`` or above is
    skipped before it is opened (``Online_94.json`` and later are never read)."""
    return load_presence(directory, below=below)


def load_dev_citations(
    directory: Path | str, *, below: int = HELD_OUT_FROM
) -> dict[str, dict[str, tuple[int, ...]]]:
    """The sentences the presence readers cite for each duty they judged *present*, per development DPA
    (1-based positions in the DPA's sentence order); held-out files are skipped before they are opened."""
    folder = Path(directory)
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for _path, name, duties in iter_presence_files(folder, below) if folder.is_dir() else ():
        out[name] = {
            rid: tuple(int(n) for n in lab.get("sentences") or ())
            for rid, lab in duties.items()
            if isinstance(lab, Mapping) and lab.get("presence") == "present" and rid in REQUIREMENT_IDS
        }
    return out


def with_citations(
    sentences: Sequence[Sentence], citations: Mapping[str, Mapping[str, Sequence[int]]]
) -> list[Sentence]:
    """``sentences`` where each sentence a presence reader cites for a present duty also counts as a positive
    of that duty (second protocol). Only the DPAs in ``citations`` change."""
    from dataclasses import replace

    out: list[Sentence] = []
    position: dict[str, int] = {}
    for s in sentences:  # in (DPA, sentence id) order: position = 1-based index in the DPA
        position[s.dpa] = position.get(s.dpa, 0) + 1
        cited = citations.get(s.dpa)
        if cited:
            extra = {rid for rid, ns in cited.items() if position[s.dpa] in ns}
            if extra - s.duties:
                s = replace(s, duties=s.duties | extra)
        out.append(s)
    return out


# --------------------------------------------------------------------------- the model (numpy)


def label_matrix(sentences: Sequence[Sentence], duties: Sequence[str] = REQUIREMENT_IDS) -> Any:
    import numpy as np

    Y = np.zeros((len(sentences), len(duties)))
    col = {d: j for j, d in enumerate(duties)}
    for i, s in enumerate(sentences):
        for d in s.duties:
            if d in col:
                Y[i, col[d]] = 1.0
    return Y


def fit(
    indices: Any,
    indptr: Any,
    Y: Any,
    *,
    l2: float,
    buckets: int,
    iterations: int = ITERATIONS,
    lr: float = LEARNING_RATE,
) -> tuple[Any, Any]:
    """One-vs-rest logistic regressions on a binary CSR matrix: class-balanced log-loss + l2/2 ||W||².

    Full-batch Adam from zeros, a fixed number of steps: the same data give the same weights.
    """
    import numpy as np

    from ..engine.presence import logits

    n, k = Y.shape
    pos = Y.sum(axis=0)
    # Balanced weights per duty (n / 2 n_pos for positives, n / 2 n_neg for negatives), mean 1.
    wpos = n / (2.0 * np.maximum(pos, 1.0))
    wneg = n / (2.0 * np.maximum(n - pos, 1.0))
    SW = np.where(Y > 0, wpos, wneg)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    W = np.zeros((buckets, k))
    b = np.zeros(k)
    mW, vW = np.zeros_like(W), np.zeros_like(W)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        Z = logits(indices, indptr, W, b)
        P = 1.0 / (1.0 + np.exp(-np.clip(Z, -40.0, 40.0)))
        G = (P - Y) * SW / n
        gW = np.empty_like(W)
        for j in range(k):
            gW[:, j] = np.bincount(indices, weights=G[rows, j], minlength=buckets)
        gW += l2 * W
        gb = G.sum(axis=0)
        mW = b1 * mW + (1 - b1) * gW
        vW = b2 * vW + (1 - b2) * gW * gW
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        c1, c2 = 1 - b1**step, 1 - b2**step
        W -= lr * (mW / c1) / (np.sqrt(vW / c2) + eps)
        b -= lr * (mb / c1) / (np.sqrt(vb / c2) + eps)
    return W, b


def train(sentences: Sequence[Sentence], *, l2: float, buckets: int | None = None) -> tuple[Any, Any]:
    """The detector's weights trained on ``sentences``.

    :raises ValueError: a sentence of a held-out DPA is among them (the hard rule of issue #20).
    """
    from ..engine.presence import BUCKETS, csr

    if any(s.number >= HELD_OUT_FROM for s in sentences):
        raise ValueError(f"training data include a DPA numbered {HELD_OUT_FROM} or above")
    buckets = buckets or BUCKETS
    indices, indptr = csr([s.text for s in sentences], buckets)
    return fit(indices, indptr, label_matrix(sentences), l2=l2, buckets=buckets)


# --------------------------------------------------------------------------- cross-validation


@dataclass(frozen=True, slots=True)
class DevDoc:
    """One development DPA as the engine sees it: the rules' missing duties and the engine's sentences."""

    name: str
    number: int
    rules_missing: frozenset[str]
    keyword_missing: frozenset[str]
    sentences: tuple[str, ...]
    presence: Mapping[str, str]


def dev_documents(
    sentences: Sequence[Sentence],
    presence: Mapping[str, Mapping[str, str]],
    *,
    library: Any = None,
    on_document: Callable[[int, int, str], None] | None = None,
) -> list[DevDoc]:
    """Run the rules (without the detector) on each development DPA with presence gold."""
    from ..domain import Status
    from ..engine.presence import document_sentences
    from ..engine.run import library_for, trace
    from .gdpr import PROFILE, document_for

    library = library_for(PROFILE, library)
    by_dpa: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_dpa.setdefault(s.dpa, []).append(s)
    names = sorted((n for n in presence if n in by_dpa), key=lambda n: (_number(n), n))
    out = []
    for i, name in enumerate(names):
        if on_document:
            on_document(i, len(names), name)
        sents = by_dpa[name]
        dpa = Dpa(name, _number(name), tuple(s.text for s in sents), frozenset())
        doc = document_for(dpa)
        tr = trace(doc, profile=PROFILE, library=library, detector=False)
        missing = frozenset(f.requirement_id for f in tr.analysis.findings if f.status is Status.MISSING)
        spans = document_sentences(doc)
        out.append(
            DevDoc(
                name,
                dpa.number,
                missing,
                keyword_missing(dpa),
                tuple(doc.text[a:b] for a, b in spans if b > a),
                presence[name],
            )
        )
    return out


def folds_of(docs: Sequence[DevDoc], k: int = FOLDS) -> list[list[str]]:
    """The i-th development DPA by number goes to fold i mod k."""
    ordered = sorted(docs, key=lambda d: (d.number, d.name))
    return [[d.name for d in ordered[i::k]] for i in range(k)]


def _score(
    docs: Sequence[DevDoc],
    predicted: Callable[[DevDoc], Iterable[str]],
    duties: Sequence[str] = REQUIREMENT_IDS,
) -> dict[str, Any]:
    per = {rid: Counts() for rid in duties}
    for d in docs:
        pred = set(predicted(d))
        for rid in duties:
            gold = d.presence.get(rid, "borderline")
            if gold == "borderline":
                continue
            g, p = gold == "absent", rid in pred
            per[rid] = per[rid] + Counts(
                int(p and g), int(p and not g), int(g and not p), int(not p and not g)
            )
    total = Counts()
    for c in per.values():
        total = total + c
    return {"overall": total.scores(), "per_duty": {rid: c.scores() for rid, c in per.items()}}


def cross_validate(
    sentences: Sequence[Sentence],
    docs: Sequence[DevDoc],
    *,
    l2_grid: Sequence[float] = L2_GRID,
    t_grid: Sequence[float] = T_GRID,
    k: int = FOLDS,
    on_fit: Callable[[int, int, str], None] | None = None,
    citations: Mapping[str, Mapping[str, Sequence[int]]] | None = None,
) -> dict[str, Any]:
    """Out-of-fold document scores (best sentence probability per duty) of every development DPA, per L2,
    and the scores of every system at every (L2, threshold)."""
    import numpy as np

    from ..engine.presence import PresenceModel

    folds = folds_of(docs, k)
    by_name = {d.name: d for d in docs}
    best: dict[float, dict[str, dict[str, float]]] = {l2: {} for l2 in l2_grid}
    n_fit = len(l2_grid) * len(folds)
    step = 0
    for fi, fold in enumerate(folds):
        held = set(fold)
        train_sents = [s for s in sentences if s.dpa not in held]
        if citations:  # second protocol: the training part's presence citations, never the fold's own
            train_sents = with_citations(train_sents, {n: c for n, c in citations.items() if n not in held})
        assert not held & {s.dpa for s in train_sents}
        for l2 in l2_grid:
            if on_fit:
                on_fit(step, n_fit, f"fold {fi + 1} L2 {l2:g}")
            step += 1
            W, b = train(train_sents, l2=l2)
            model = PresenceModel(REQUIREMENT_IDS, W, b, 0.5, int(W.shape[0]))
            for name in fold:
                d = by_name[name]
                P = model.sentence_probabilities(d.sentences, REQUIREMENT_IDS)
                mx = P.max(axis=0) if len(d.sentences) else np.zeros(len(REQUIREMENT_IDS))
                best[l2][name] = {rid: float(mx[j]) for j, rid in enumerate(REQUIREMENT_IDS)}
    grid = []
    for l2 in l2_grid:
        for t in t_grid:

            def det(d: DevDoc, l2: float = l2, t: float = t) -> set[str]:
                return {rid for rid, p in best[l2][d.name].items() if p < t}

            grid.append(
                {
                    "l2": l2,
                    "t": t,
                    "detector": _score(docs, det),
                    "combined": _score(docs, lambda d, f=det: set(d.rules_missing) & f(d)),
                }
            )
    return {
        "folds": folds,
        "out_of_fold": {str(l2): best[l2] for l2 in l2_grid},
        "grid": grid,
        "rules": _score(docs, lambda d: d.rules_missing),
        "keyword": _score(docs, lambda d: d.keyword_missing),
        "all_missing": _score(docs, lambda d: REQUIREMENT_IDS),
    }


def select(
    grid: Sequence[Mapping[str, Any]], min_recall: float = MIN_DETECTOR_RECALL
) -> Mapping[str, Any] | None:
    """The pre-registered rule: highest detector-alone precision among grid points whose detector-alone
    recall is at least ``min_recall``; ties to the higher threshold, then the higher L2."""
    ok = [g for g in grid if (g["detector"]["overall"]["recall"] or 0.0) >= min_recall]
    if not ok:
        return None
    return max(ok, key=lambda g: (g["detector"]["overall"]["precision"] or 0.0, g["t"], g["l2"]))


def ships(chosen: Mapping[str, Any] | None, rules: Mapping[str, Any]) -> bool:
    """The pre-registered ship rule: combined CV precision above the rules' and combined recall ≥ 0.90."""
    if chosen is None:
        return False
    c = chosen["combined"]["overall"]
    return (c["precision"] or 0.0) > (rules["overall"]["precision"] or 0.0) and (
        c["recall"] or 0.0
    ) >= MIN_COMBINED_RECALL


@dataclass(frozen=True, slots=True)
class DetectorReport:
    cv: Mapping[str, Any]
    chosen: Mapping[str, Any] | None
    shipped: bool
    dev_documents: tuple[str, ...]
    training_documents: tuple[str, ...]

    def summary(self) -> dict[str, Any]:
        """What the artifact records about how it was chosen (figures, not text)."""
        ch = self.chosen or {}
        return {
            "protocol": "docs/evaluation-gdpr.md, learned presence detector, "
            + ("second protocol (cited sentences as positives)" if CITED_POSITIVES else "first protocol"),
            "held_out_from": HELD_OUT_FROM,
            "folds": FOLDS,
            "dev_documents": list(self.dev_documents),
            "training_documents": list(self.training_documents),
            "chosen": {"l2": ch.get("l2"), "t": ch.get("t")} if ch else None,
            "shipped": self.shipped,
            "cv": {
                "rules": _brief(self.cv["rules"]),
                "detector": _brief(ch["detector"]) if ch else None,
                "combined": _brief(ch["combined"]) if ch else None,
                "keyword": _brief(self.cv["keyword"]),
                "all_missing": _brief(self.cv["all_missing"]),
            },
        }


def _brief(s: Mapping[str, Any]) -> dict[str, Any]:
    o = s["overall"]
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in o.items()}


def run_cv(
    csv_path: Path | str,
    presence_dir: Path | str,
    *,
    library: Any = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[list[Sentence], DetectorReport]:
    """Load the development data, run the rules and the grouped CV, apply the selection and ship rules."""
    sentences = load_sentences(csv_path)
    presence = load_dev_presence(presence_dir)
    citations = load_dev_citations(presence_dir) if CITED_POSITIVES else None
    docs = dev_documents(sentences, presence, library=library, on_document=on_progress)
    if not docs:
        raise InputError("no development DPA with presence labels is in the corpus.", presence_dir)
    cv = cross_validate(sentences, docs, on_fit=on_progress, citations=citations)
    chosen = select(cv["grid"])
    report = DetectorReport(
        cv,
        chosen,
        ships(chosen, cv["rules"]),
        tuple(d.name for d in docs),
        tuple(sorted({s.dpa for s in sentences}, key=lambda n: (_number(n), n))),
    )
    return sentences, report


def train_artifact(
    csv_path: Path | str,
    presence_dir: Path | str,
    out: Path,
    *,
    library: Any = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[DetectorReport, bytes | None]:
    """CV, selection, then (when the ship rule holds) the final detector on every development DPA, written
    to ``out``. Returns the report and the artifact's bytes (None when it does not ship: nothing written)."""
    import hashlib

    from ..engine.presence import save_model

    sentences, report = run_cv(csv_path, presence_dir, library=library, on_progress=on_progress)
    if not report.shipped or report.chosen is None:
        return report, None
    if CITED_POSITIVES:
        sentences = with_citations(sentences, load_dev_citations(presence_dir))
    W, b = train(sentences, l2=float(report.chosen["l2"]))
    labels = hashlib.sha256(
        "\n".join(f"{s.dpa}\t{s.order}\t{','.join(sorted(s.duties))}" for s in sentences).encode("utf-8")
    ).hexdigest()
    meta = {**report.summary(), "labels_sha256": labels, "sentences": len(sentences)}
    raw = save_model(out, REQUIREMENT_IDS, W, b, float(report.chosen["t"]), meta)
    return report, raw


def format_report(report: DetectorReport) -> str:
    """Plain-text tables: every system's CV scores, the chosen point, and per duty."""
    cv = report.cv
    ch = report.chosen
    lines = [
        f"Learned presence detector, {FOLDS}-fold CV grouped by DPA on {len(report.dev_documents)} development "
        f"DPAs with presence gold (each fold trained on the other development DPAs and the DPAs without "
        f"presence gold; DPAs Online {HELD_OUT_FROM}+ never read)",
        "  chosen by the pre-registered rule: "
        + (f"L2 {ch['l2']:g}, threshold {ch['t']:.2f}" if ch else "none (no point reaches the recall floor)")
        + f"; ships: {'yes' if report.shipped else 'no'}",
        f"  {'system':<26} {'prec':>6} {'recall':>6} {'F1':>6}   tp  fp  fn",
    ]
    rows = [("rules only (in-sample)", cv["rules"])]
    if ch:
        rows += [("detector alone (CV)", ch["detector"]), ("rules + detector (CV)", ch["combined"])]
    rows += [("keyword baseline", cv["keyword"]), ("all_missing", cv["all_missing"])]
    for name, s in rows:
        o = s["overall"]
        lines.append(
            f"  {name:<26} {_f(o['precision']):>6} {_f(o['recall']):>6} {_f(o['f1']):>6} {o['tp']:>4}{o['fp']:>4}{o['fn']:>4}"
        )
    if ch:
        lines.append("  per duty: absent/judged; fp / fn of rules → rules + detector; detector alone fp / fn")
        for rid in REQUIREMENT_IDS:
            r, c, d = (
                cv["rules"]["per_duty"][rid],
                ch["combined"]["per_duty"][rid],
                ch["detector"]["per_duty"][rid],
            )
            judged = r["tp"] + r["fp"] + r["fn"] + r["tn"]
            lines.append(
                f"    {rid:<42} {r['tp'] + r['fn']:>2}/{judged:<3} fp {r['fp']}→{c['fp']} fn {r['fn']}→{c['fn']}"
                f"   alone fp {d['fp']:>2} fn {d['fn']:>2}"
            )
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"
