"""Stage 2: a small learned grader over the engine's own per-(document, requirement) features.

The rules of the engine (:mod:`.features`, :mod:`.scoring`, :mod:`.decision`) find the candidate
sentences and describe them (negation, exception, hedge, refusal, party, deadline, relevance and quality
scores, heading scope, the rules' status). The grader turns that description into calibrated probabilities of satisfied / weak / missing:
one multinomial logistic regression across requirements, with a per-requirement prior (one-hot) and L2.

The artifact is a small JSON file (``grader.json`` beside this module, shipped in the wheel) that records
the feature names, the coefficients, the calibration, the hash of its training labels and whether the
grader *decides* the status or only supplies the confidence of the rules' status. Inference is pure
Python (no numpy import at run time); training (:func:`fit`) uses numpy and is seeded and deterministic.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

CLASSES = ("satisfied", "weak", "missing")
ARTIFACT_PATH = Path(__file__).resolve().parent / "grader.json"
ARTIFACT_SCHEMA = "contractreview-grader-1"
# Features whose values come from how the clause library was tuned on the development documents (the
# rules' own verdict): kept out of the model by default so that it does not learn to trust in-sample rules.
RULE_FEATURES = ("rules_satisfied", "rules_weak")

# Engine features of one (document, requirement) pair; every value lies in [0, 1] or [-1, 1].
FEATURES = (
    "any_hit",  # some sentence has a cue of the requirement (below the relevance floor too)
    "n_hits",  # log-count of those sentences
    "n_strong",  # log-count of sentences at or above the relevance threshold
    "max_relevance",
    "top_quality",
    "commit_vendor",  # a commitment pattern in a sentence that binds the vendor
    "commit_share",
    "modal_top",  # "shall" / "will" / "agrees to" in the best sentence
    "modal_share",
    "weak_wording",  # the requirement's own weak wording somewhere
    "hedge_top",
    "hedge_share",
    "refusal",  # a refusal or disclaimer of the protection somewhere
    "carve_out_top",
    "heading",  # a clause heading names the requirement
    "heading_scope",
    "scope",
    "subject_other_top",  # the best sentence binds the school or the user, not the vendor
    "users_only",  # a notice owed only to users or parents
    "deadline_ok",
    "deadline_bad",
    "doc_coverage",  # share of the profile's requirements with a relevant sentence in this document
    "doc_commit_rate",  # share of the document's relevant sentences that commit
    "doc_length",  # log-count of the document's sentences
    "doc_user_voice",  # share of candidate sentences addressed to users ("you"): a policy, not an agreement
    "doc_school_party",  # share of candidate sentences that name the school as a party
    "weak_share",
    "commit_strong",  # a vendor commitment in a sentence at or above the relevance threshold
    *RULE_FEATURES,
)
# Stage-1 supervised sentence scores (:mod:`.stage1`): the best sentence's score, and whether that sentence
# is one the rules' cues did not find. Computed for every sentence of the document, so they are optional:
# an artifact lists them only when it was trained with them (settings "stage1").
S1_FEATURES = ("s1_best", "s1_unfound")


@dataclass(frozen=True, slots=True)
class Grade:
    """The grader's view of one pair: class probabilities, the shipped status and its confidence."""

    probabilities: Mapping[str, float]
    status: str
    confidence: float
    tipped_by: tuple[str, ...] = ()  # the features that pushed hardest towards ``status``


@dataclass(frozen=True, slots=True)
class GraderModel:
    features: tuple[str, ...]
    requirements: tuple[str, ...]
    coef: Mapping[
        str, tuple[float, ...]
    ]  # class -> weights over [bias, features..., one-hot requirements...]
    temperature: float = 1.0
    platt: tuple[float, float] = (1.0, 0.0)  # correctness calibration of the shipped status: a*logit + b
    decides: bool = False
    threshold: float = 0.8
    meta: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # sha256 of the artifact file it was read from: recorded in every analysis it rated
    source: str = ""  # the file it was read from (its stage-1 classifier lies beside it)

    def vector(self, x: Mapping[str, float], rid: str) -> list[float]:
        v = [1.0] + [float(x.get(f, 0.0)) for f in self.features]
        v += [1.0 if rid == r else 0.0 for r in self.requirements]
        return v

    def probabilities(self, x: Mapping[str, float], rid: str) -> dict[str, float]:
        v = self.vector(x, rid)
        z = [sum(a * b for a, b in zip(self.coef[c], v, strict=True)) / self.temperature for c in CLASSES]
        top = max(z)
        e = [math.exp(s - top) for s in z]
        tot = sum(e)
        return {c: e[i] / tot for i, c in enumerate(CLASSES)}

    def calibrated(self, p: float) -> float:
        """Probability that a status the model gave probability ``p`` is right (Platt on out-of-fold data)."""
        p = min(max(p, 1e-6), 1 - 1e-6)
        a, b = self.platt
        s = a * math.log(p / (1 - p)) + b
        return 1.0 / (1.0 + math.exp(-s)) if s > -700 else 0.0

    def grade(self, x: Mapping[str, float], rid: str, rules_status: str) -> Grade:
        probs = self.probabilities(x, rid)
        status = max(CLASSES, key=lambda c: probs[c]) if self.decides else rules_status
        if rules_status == "missing" and not x.get("any_hit"):
            status = "missing"  # nothing to read: the grader cannot find what stage 1 did not
        conf = self.calibrated(probs.get(status, 0.0))
        return Grade(probs, status, conf, self.tipped_by(x, rid, status))

    def tipped_by(self, x: Mapping[str, float], rid: str, status: str, n: int = 2) -> tuple[str, ...]:
        """Feature names whose contribution most favours ``status`` over the other classes."""
        i = CLASSES.index(status)
        others = [c for c in CLASSES if c != status]
        contrib = []
        for j, f in enumerate(self.features, start=1):
            val = float(x.get(f, 0.0))
            if not val or f in _DOCUMENT_FEATURES:
                continue
            mine = self.coef[CLASSES[i]][j] * val
            rest = sum(self.coef[c][j] * val for c in others) / len(others)
            contrib.append((mine - rest, f))
        contrib.sort(key=lambda t: (-t[0], t[1]))
        return tuple(f for d, f in contrib[:n] if d > 0.05)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": ARTIFACT_SCHEMA,
            "features": list(self.features),
            "requirements": list(self.requirements),
            "coef": {c: [_r(v) for v in self.coef[c]] for c in CLASSES},
            "temperature": _r(self.temperature),
            "platt": [_r(self.platt[0]), _r(self.platt[1])],
            "decides": self.decides,
            "threshold": _r(self.threshold),
            "meta": dict(self.meta),
        }


def _r(v: float) -> float:
    return round(float(v), 6)


def model_from_dict(data: Mapping[str, Any]) -> GraderModel:
    if data.get("schema") != ARTIFACT_SCHEMA:
        raise ValueError(f"not a grader artifact (schema {data.get('schema')!r})")
    feats = tuple(data["features"])
    reqs = tuple(data["requirements"])
    coef = {c: tuple(float(v) for v in data["coef"][c]) for c in CLASSES}
    if any(len(v) != 1 + len(feats) + len(reqs) for v in coef.values()):
        raise ValueError("grader coefficients do not match its features")
    return GraderModel(
        features=feats,
        requirements=reqs,
        coef=coef,
        temperature=float(data.get("temperature", 1.0)),
        platt=(float(data["platt"][0]), float(data["platt"][1])),
        decides=bool(data.get("decides", False)),
        threshold=float(data.get("threshold", 0.8)),
        meta=dict(data.get("meta") or {}),
    )


@lru_cache(maxsize=4)
def load_grader(path: str | None = None) -> GraderModel | None:
    """The shipped grader, or None when there is none (the rules then decide with confidence 1)."""
    p = Path(path) if path else ARTIFACT_PATH
    if not p.is_file():
        return None
    raw = p.read_bytes()
    model = model_from_dict(json.loads(raw.decode("utf-8")))
    return replace(model, digest=hashlib.sha256(raw).hexdigest(), source=str(p))


# --------------------------------------------------------------------------- features


def pair_features(
    rid: str,
    feats: Any,
    w: Mapping[str, Any],
    rules_status: str,
    deadline: int,
    doc_stats: Mapping[str, float],
    s1: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """The engine's description of one requirement in one document, as numbers for the grader.

    :param s1: the pair's stage-1 features (:func:`stage1_features`), when the grader reads them.
    """
    from .scoring import carves_out, generic_weak, owed_elsewhere, relevant_sentences, score_hit

    hits = feats.hits.get(rid, [])
    floor = float(w["relevance"]["min_relevance"])
    x: dict[str, float] = {f: 0.0 for f in FEATURES}
    x["doc_coverage"] = float(doc_stats.get("coverage", 0.0))
    x["doc_commit_rate"] = float(doc_stats.get("commit_rate", 0.0))
    x["doc_length"] = float(doc_stats.get("length", 0.0))
    x["doc_user_voice"] = float(doc_stats.get("user_voice", 0.0))
    x["doc_school_party"] = float(doc_stats.get("school_party", 0.0))
    x["rules_satisfied"] = float(rules_status == "satisfied")
    x["rules_weak"] = float(rules_status == "weak")
    x["deadline_ok"] = float(deadline > 0)
    x["deadline_bad"] = float(deadline < 0)
    if s1:
        x.update(s1)
    if not hits:
        return x
    x["any_hit"] = 1.0
    x["n_hits"] = min(math.log1p(len(hits)) / 3.0, 1.0)
    scored = [score_hit(h, rid, feats, w) for h in hits]
    rel = relevant_sentences(rid, feats, w, 1.0) or sorted(scored, key=lambda s: -(s.quality + 0.25 * s.relevance))
    strong = [s for s in rel if s.relevance >= floor]
    if strong:
        rel = strong + [s for s in rel if s.relevance < floor]
    top = rel[0]
    n = len(rel)
    x["n_strong"] = min(math.log1p(len(strong)) / 3.0, 1.0)
    x["max_relevance"] = min(max(s.relevance for s in scored), 5.0) / 5.0
    x["top_quality"] = max(-3.0, min(3.0, top.quality)) / 3.0
    vendor = [s for s in rel if s.hit.subject not in ("school", "user")]
    x["commit_vendor"] = float(any(s.hit.commits for s in vendor))
    x["commit_share"] = sum(bool(s.hit.commits) for s in rel) / n
    x["modal_top"] = float(top.hit.modal)
    x["modal_share"] = sum(bool(s.hit.modal) for s in rel) / n
    x["weak_wording"] = float(any(any(not generic_weak(k, w["lexicon"]["generic_weak"]) for k in s.hit.weaks) for s in rel))
    x["hedge_top"] = float(bool(top.hit.hedges))
    x["hedge_share"] = sum(bool(s.hit.hedges) for s in rel) / n
    x["refusal"] = float(any(s.hit.refusals or s.hit.denies for s in rel))
    x["carve_out_top"] = float(carves_out(top.hit, w["lexicon"]["broad_carve_outs"]))
    x["heading"] = float(any(s.hit.heading for s in rel))
    x["heading_scope"] = float(any(s.hit.heading_scope for s in rel))
    x["scope"] = float(any(s.hit.scope for s in rel))
    x["subject_other_top"] = float(top.hit.subject in ("school", "user"))
    x["users_only"] = float(any(owed_elsewhere(s.hit, "school") for s in rel))
    x["weak_share"] = sum(bool(s.hit.weaks) for s in rel) / n
    x["commit_strong"] = float(any(s.hit.commits and s.hit.subject not in ("school", "user") for s in strong))
    return x


def document_stats(feats: Any, w: Mapping[str, Any], requirement_ids: Sequence[str]) -> dict[str, float]:
    """Document-level context: how much of the profile the document addresses, and how firmly."""
    from .scoring import relevant_sentences

    floor = float(w["relevance"]["min_relevance"])
    covered = 0
    commits = total = 0
    for rid in requirement_ids:
        rel = relevant_sentences(rid, feats, w, floor)
        covered += bool(rel)
        total += len(rel)
        commits += sum(bool(s.hit.commits) for s in rel)
    seen: dict[int, Any] = {}
    for hits in feats.hits.values():
        for h in hits:
            seen.setdefault(h.start, h)
    cand = list(seen.values())
    return {
        "coverage": covered / len(requirement_ids) if requirement_ids else 0.0,
        "commit_rate": commits / total if total else 0.0,
        "length": min(math.log1p(getattr(feats, "sentences", 0)) / 8.0, 1.0),
        "user_voice": sum("user" in h.recipients or h.subject == "user" for h in cand) / len(cand)
        if cand
        else 0.0,
        "school_party": sum(h.subject == "school" or "school" in h.recipients for h in cand) / len(cand)
        if cand
        else 0.0,
    }


# --------------------------------------------------------------------------- training (numpy)


def design_matrix(
    rows: Sequence[tuple[Mapping[str, float], str]], features: Sequence[str], reqs: Sequence[str]
):
    import numpy as np

    ridx = {r: i for i, r in enumerate(reqs)}
    X = np.zeros((len(rows), 1 + len(features) + len(reqs)))
    for k, (x, rid) in enumerate(rows):
        X[k, 0] = 1.0
        for j, f in enumerate(features, start=1):
            X[k, j] = float(x.get(f, 0.0))
        if rid in ridx:
            X[k, 1 + len(features) + ridx[rid]] = 1.0
    return X


def train_softmax(
    X,
    y,
    *,
    l2: float,
    l2_prior: float,
    n_features: int,
    iterations: int = 1500,
    seed: int = 0,
    sample_weight=None,
):
    """Multinomial logistic regression by full-batch gradient descent (deterministic; ``seed`` fixes init).

    :param l2: penalty on the engine features; ``l2_prior`` on the per-requirement one-hot priors.
    :param sample_weight: per-row weights (mean 1 keeps the penalty's scale), e.g. class weights.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n, d = X.shape
    W = rng.normal(0.0, 1e-3, size=(len(CLASSES), d))
    Y = np.eye(len(CLASSES))[y]
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    pen = np.zeros(d)
    pen[1 : 1 + n_features] = l2
    pen[1 + n_features :] = l2_prior
    # Step size from the Lipschitz bound of the softmax loss plus the penalty.
    lip = 0.5 * float(sw.max()) * float(np.linalg.norm(X, 2) ** 2) / n + float(pen.max())
    lr = 1.0 / lip
    for _ in range(iterations):
        Z = X @ W.T
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        grad = ((P - Y) * sw[:, None]).T @ X / n + W * pen
        W -= lr * grad
    return W


def class_weights(y, power: float) -> Any:
    """Per-row weights (n / (k * n_class)) ** power, rescaled to mean 1: 0 = unweighted, 1 = balanced."""
    import numpy as np

    y = np.asarray(y)
    counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
    per = (len(y) / (len(CLASSES) * np.maximum(counts, 1.0))) ** float(power)
    w = per[y]
    return w / w.mean()


def softmax_rows(X, W, temperature: float = 1.0):
    import numpy as np

    Z = X @ W.T / temperature
    Z -= Z.max(axis=1, keepdims=True)
    P = np.exp(Z)
    return P / P.sum(axis=1, keepdims=True)


def fit_temperature(logits, y) -> float:
    """The temperature minimising the log-loss of out-of-fold logits (grid search, deterministic)."""
    import numpy as np

    best, best_t = math.inf, 1.0
    for t in np.round(np.arange(0.4, 4.01, 0.05), 2):
        Z = logits / t
        Z = Z - Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        loss = -float(logp[np.arange(len(y)), y].mean())
        if loss < best - 1e-12:
            best, best_t = loss, float(t)
    return best_t


def fit_platt(p, correct, *, iterations: int = 3000) -> tuple[float, float]:
    """Platt scaling: P(correct) = sigmoid(a * logit(p) + b), fitted on out-of-fold pairs."""
    import numpy as np

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    s = np.log(p / (1 - p))
    t = np.asarray(correct, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(iterations):
        q = 1.0 / (1.0 + np.exp(-(a * s + b)))
        ga = float(((q - t) * s).mean()) + 1e-3 * (a - 1.0)
        gb = float((q - t).mean())
        a -= 0.5 * ga
        b -= 0.5 * gb
    return float(a), float(b)


def labels_hash(payload: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the training labels (document, requirement, gold status), order-independent."""
    lines = sorted(f"{r['doc']}\t{r['rid']}\t{r['gold']}" for r in payload)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the engine's hook

_WORDS = {
    "any_hit": "a sentence names the topic",
    "n_hits": "several sentences name the topic",
    "n_strong": "several clearly relevant sentences",
    "max_relevance": "a clearly relevant sentence",
    "top_quality": "a firm best sentence",
    "commit_vendor": "the vendor commits to it",
    "commit_share": "most relevant sentences commit",
    "modal_top": "'shall' / 'will' in the best sentence",
    "modal_share": "'shall' / 'will' throughout",
    "weak_wording": "weak wording of this protection",
    "hedge_top": "a hedge in the best sentence",
    "hedge_share": "hedges throughout",
    "refusal": "a refusal or disclaimer",
    "carve_out_top": "a carve-out in the best sentence",
    "heading": "a clause heading on the topic",
    "heading_scope": "a heading naming the subject",
    "scope": "the subject named in the sentence",
    "subject_other_top": "the best sentence binds the school or user, not the vendor",
    "users_only": "a notice owed only to users",
    "deadline_ok": "a deadline within the limit",
    "deadline_bad": "a deadline that is vague or too long",
    "doc_coverage": "a document that addresses most protections",
    "doc_commit_rate": "a document that mostly commits",
    "weak_share": "weak wording throughout",
    "commit_strong": "the vendor commits in a clearly relevant sentence",
    "rules_satisfied": "the rules say satisfied",
    "rules_weak": "the rules say weak",
}


_NEGATIVE_WORDS = {"top_quality": "a best sentence that does not commit"}
_WORDS["s1_best"] = "a sentence like labelled evidence of this protection"
_WORDS["s1_unfound"] = "a sentence like labelled evidence that the rules' cues did not find"
_DOCUMENT_FEATURES = ("doc_coverage", "doc_commit_rate", "doc_length", "doc_user_voice", "doc_school_party")


def describe(features: Sequence[str], x: Mapping[str, float] | None = None) -> str:
    x = x or {}
    return ", ".join(
        (_NEGATIVE_WORDS if float(x.get(f, 0.0)) < 0 else _WORDS).get(f, f.replace("_", " "))
        for f in features
    )


def safe_load() -> GraderModel | None:
    """The shipped grader; a damaged artifact must never lose an analysis (the rules still decide)."""
    try:
        return load_grader()
    except (OSError, ValueError, KeyError, TypeError):
        return None


def apply(
    model: GraderModel,
    rid: str,
    feats: Any,
    w: Mapping[str, Any],
    decision: Any,
    stats: Mapping[str, float],
    stage1: Mapping[str, tuple[float, int, int, int]] | None = None,
) -> tuple[str, float, str, str]:
    """(status, confidence, layer, sentence for the explanation) of one rules decision.

    The grader changes the status only when its artifact says it decides (it beat the rules in
    vendor-grouped CV) and there is a sentence to show: the rules' evidence, or, for a pair the rules
    called missing, a sentence with a cue of the requirement below the rules' relevance floor (see
    :func:`candidate_evidence`). Otherwise it only rates the rules' status.
    """
    rules = decision.status.value if decision.status.value != "needs_review" else "weak"
    s1 = stage1_features(rid, feats, stage1) if stage1 is not None else None
    x = pair_features(rid, feats, w, rules, getattr(decision, "deadline", 0), stats, s1)
    g = model.grade(x, rid, rules)
    status, layer = rules, "rules"
    # Only on requirements it was trained on: a GDPR or district requirement it never saw keeps the rules'
    # status and gets a confidence only.
    known = rid in model.requirements
    shown = bool(decision.best) or g.status == "missing" or bool(x["any_hit"])
    if model.decides and known and g.status != rules and shown:
        status, layer = g.status, "grader"
    conf = g.confidence if status == g.status else model.calibrated(g.probabilities.get(status, 0.0))
    lean = max(CLASSES, key=lambda c: g.probabilities[c])
    if conf >= model.threshold:
        note = f"Confidence {conf:.2f}"
    elif status == "missing":
        note = f"Confidence {conf:.2f}, uncertain: search the document for this protection"
    else:
        note = f"Confidence {conf:.2f}, uncertain: read the clause"
    why = describe(model.tipped_by(x, rid, lean), x)
    if layer == "grader":
        # Say plainly that the learned grader, not the rules, gave this status, and what tipped it. It
        # follows "Confidence": people-facing exports cut the explanation there (plain.plain_reason).
        note += f"; the learned grader changed the rules' '{rules}' to '{status}'" + (
            f", tipped by {why}" if why else ""
        )
    elif lean != status:
        note += f"; the learned grader leans {lean}" + (f" ({why})" if why else "")
    elif why:
        note += f"; tipped by {why}"
    return status, conf, layer, note + "."


def uses_stage1(model: GraderModel) -> bool:
    return any(f in S1_FEATURES for f in model.features)


def stage1_scores(
    model: GraderModel, feats: Any, text: str
) -> dict[str, tuple[float, int, int, int]] | None:
    """Per requirement, (score, index, start, end) of the document's best sentence by the stage-1
    classifier the grader was trained with (None when the grader does not read stage-1 features).

    A missing, damaged or different classifier gives empty scores: the grader then reads "no sentence
    found" and the analysis goes on.
    """
    if not uses_stage1(model):
        return None
    from . import stage1 as S1

    want = (model.meta.get("stage1") or {}).get("sha256", "")
    try:
        clf = S1.load(str(Path(model.source).parent / S1.ARTIFACT_PATH.name) if model.source else None)
    except (OSError, ValueError, KeyError):
        clf = None
    if clf is None or (want and clf.digest != want):
        return {}
    spans = getattr(feats, "spans", ()) or ()
    best = clf.best([text[s:e] for s, e in spans])
    return {rid: (z, k, spans[k][0], spans[k][1]) for rid, (z, k) in best.items()}


def stage1_features(
    rid: str, feats: Any, stage1: Mapping[str, tuple[float, int, int, int]]
) -> dict[str, float]:
    """``s1_best`` / ``s1_unfound`` of one requirement from the document's stage-1 scores."""
    from . import stage1 as S1

    best = stage1.get(rid)
    if best is None:
        return S1.s1_features(None, False)
    z, k, start, end = best
    found = any(h.start < end and start < h.end for h in feats.hits.get(rid, ()))
    return S1.s1_features((z, k), found)


def candidate_evidence(rid: str, feats: Any, w: Mapping[str, Any]) -> tuple[Any, ...]:
    """The best cue sentences of a requirement the rules called missing (below their relevance floor),
    shown as the evidence when the learned grader finds the protection there after all."""
    from .scoring import score_hit

    scored = [score_hit(h, rid, feats, w) for h in feats.hits.get(rid, [])]
    scored.sort(key=lambda s: (-(s.quality + 0.25 * s.relevance), s.hit.start))
    return tuple(scored[: int(w.get("max_evidence", 3))])


# --------------------------------------------------------------------------- presentation (GUI, exports)

UNCERTAIN = "uncertain — read the clause"
DEFAULT_THRESHOLD = 0.8


def confidence_threshold() -> float:
    """The shipped grader's threshold: findings below it are marked uncertain."""
    model = safe_load()
    return model.threshold if model is not None else DEFAULT_THRESHOLD


def is_uncertain(confidence: float) -> bool:
    return float(confidence) < confidence_threshold()


def confidence_text(confidence: float) -> str:
    """ "87%" or "62% · uncertain — read the clause"."""
    pct = f"{round(float(confidence) * 100):d}%"
    return f"{pct} · {UNCERTAIN}" if is_uncertain(confidence) else pct
