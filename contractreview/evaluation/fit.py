"""Fit the status model (softmax regression over document-level features) on labelled documents.

The model is small (3 × len(FEATURE_NAMES) numbers) and is shipped in ``clause_library/weights.json``.
``leave_documents_out`` reports how it does on documents it was not fitted on.

    python -m contractreview.evaluation.fit ../shared/corpus/labels ../shared/corpus  # prints figures, writes weights
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import Status
from ..engine.decision import decide
from ..engine.scoring import FEATURE_NAMES, WEIGHTS_PATH, doc_vector, relevant_sentences
from .labels import Gold, load_gold_dir, resolve_document
from .metrics import Pair, status_scores

CLASSES = ("satisfied", "weak", "missing")


@dataclass(slots=True)
class Prepared:
    gold: Gold
    document: Any
    feats: Any


def prepare(golds: Sequence[Gold], docs_dirs: Sequence[Path], library: Any) -> list[Prepared]:
    from ..engine import trace
    from ..ingest import load_document

    out = []
    for g in golds:
        path = resolve_document(g, docs_dirs)
        if path is None:
            continue
        run = trace(load_document(path), library=library, profile=library.profile.name)
        out.append(Prepared(g, run.analysis.document, run.features))
    return out


def _deadline_state(p: Prepared, rid: str, library: Any, w: Mapping[str, Any]) -> int:
    """The rules' verdict on the requirement's deadline (+1 within limit, -1 vague/too long, 0 none)."""
    rules = dict(w)
    rules.pop("model", None)
    d = decide(rid, p.document, p.feats, library, rules)
    param = w["parameters"].get(rid)
    if not param or d.status is Status.MISSING:
        return 0
    value = d.params.get(param)
    if value is None:
        return -1 if rid in w["timeframe_required"] else 0
    th = library.threshold(param)
    if th is not None and th.value is not None and value > th.value:
        return -1
    if d.params.get("clock_start") in {"confirmation", "determination"}:
        return -1
    return 1


def dataset(prepared: Sequence[Prepared], library: Any, w: Mapping[str, Any], floor: float):
    import numpy as np

    X, y, groups, keys = [], [], [], []
    for i, p in enumerate(prepared):
        for rid, lab in sorted(p.gold.labels.items()):
            rel = relevant_sentences(rid, p.feats, w, floor)
            X.append(doc_vector(rel, w, _deadline_state(p, rid, library, w)))
            y.append(CLASSES.index(lab.status))
            groups.append(i)
            keys.append((p.gold.doc, rid, bool(rel)))
    return np.array(X, dtype=float), np.array(y), np.array(groups), keys


def train(
    X,
    y,
    *,
    l2: float = 0.05,
    epochs: int = 3000,
    lr: float = 0.5,
    class_weight: Sequence[float] | None = None,
):
    import numpy as np

    n, k = X.shape
    W = np.zeros((3, k))
    cw = np.ones(3) if class_weight is None else np.asarray(class_weight, dtype=float)
    Y = np.eye(3)[y]
    sw = cw[y][:, None]
    for _ in range(epochs):
        z = X @ W.T
        z -= z.max(axis=1, keepdims=True)
        P = np.exp(z)
        P /= P.sum(axis=1, keepdims=True)
        grad = ((P - Y) * sw).T @ X / n + l2 * np.c_[np.zeros((3, 1)), W[:, 1:]]
        W -= lr * grad
    return W


def predict(W, X, keys) -> list[str]:
    import numpy as np

    out = []
    for row, (_doc, _rid, has) in zip(np.argmax(X @ W.T, axis=1), keys, strict=True):
        out.append(CLASSES[row] if has else "missing")
    return out


def leave_documents_out(prepared, library, w, floor, **kw) -> dict[str, Any]:
    import numpy as np

    X, y, groups, keys = dataset(prepared, library, w, floor)
    preds = [""] * len(y)
    for g in sorted(set(groups.tolist())):
        tr = groups != g
        W = train(X[tr], y[tr], **kw)
        idx = np.where(~tr)[0]
        for j, p in zip(idx, predict(W, X[idx], [keys[i] for i in idx]), strict=True):
            preds[j] = p
    pairs = [Pair(k[0], k[1], CLASSES[t], p) for k, t, p in zip(keys, y, preds, strict=True)]
    return status_scores(pairs)


def fit(prepared, library, w, floor: float = 1.0, **kw) -> dict[str, Any]:
    X, y, _groups, keys = dataset(prepared, library, w, floor)
    W = train(X, y, **kw)
    return {
        "min_relevance": floor,
        "features": list(FEATURE_NAMES),
        "coef": {c: [round(float(v), 4) for v in W[i]] for i, c in enumerate(CLASSES)},
        "fitted_on": sorted({p.gold.doc for p in prepared}),
        "settings": {k: v for k, v in kw.items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    from ..library import load_library

    args = list(argv if argv is not None else sys.argv[1:])
    labels, docs = Path(args[0]), Path(args[1])
    write = "--write" in args
    library = load_library("default")
    raw = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))  # the file as written (no derived facts)
    raw.pop("model", None)
    w = {k: v for k, v in library.engine_data().items() if k != "model"}
    prepared = prepare(load_gold_dir(labels), [docs], library)
    kw = {"l2": 0.02, "class_weight": (1.2, 1.0, 1.0)}
    lodo = leave_documents_out(prepared, library, w, 1.0, **kw)
    print(
        f"leave-one-document-out: accuracy {lodo['accuracy']:.3f} macro-F1 {lodo['macro_f1']:.3f} "
        + " ".join(f"{s}:{v['precision']:.2f}/{v['recall']:.2f}" for s, v in lodo["per_status"].items())
    )
    model = fit(prepared, library, w, 1.0, **kw)
    model["leave_one_document_out"] = {
        "accuracy": round(lodo["accuracy"], 3),
        "macro_f1": round(lodo["macro_f1"], 3),
    }
    if write:
        raw["model"] = model
        WEIGHTS_PATH.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH.name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
