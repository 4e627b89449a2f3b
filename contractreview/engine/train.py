"""Rebuild the grader artifact (``grader.json``) from labelled documents, seeded and deterministic.

1. Run the engine once per labelled document and keep each pair's features (``evaluation.cv.collect``).
2. Leave-one-vendor-out: out-of-fold probabilities of every pair, from which the temperature, the Platt
   calibration of the shipped status's confidence and the confidence threshold are fitted, and the
   decision whether the grader or the rules decide the status (the grader only if it beats the rules'
   CV accuracy *and* satisfied recall).
3. The final model is trained on every pair and written with its settings, its CV figures and the
   SHA-256 of the labels it was trained on. No timestamps: the same labels give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import grader as G


def build_artifact(
    rows: Sequence[Any],
    requirements: Sequence[str],
    settings: Mapping[str, Any] | None = None,
    *,
    library_version: str = "",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(artifact, CV report) from collected rows (see :func:`contractreview.evaluation.cv.collect`)."""
    from ..evaluation import cv

    settings = {**cv.DEFAULT_SETTINGS, **(settings or {})}
    report = cv.cross_validate(rows, requirements, settings)
    settings["stage1"] = bool(report["settings"]["stage1"])
    import numpy as np

    logits = np.asarray(cv.out_of_fold(rows, settings, requirements))
    temperature = float(report["temperature"])
    P = cv._probs(logits, temperature)
    decides = bool(report["grader_decides"])
    shipped = cv.grader_predictions(rows, P, decides=decides)
    p_status = [float(P[i][G.CLASSES.index(shipped[i])]) for i in range(len(rows))]
    correct = [shipped[i] == r.gold for i, r in enumerate(rows)]
    cal = cv.calibration_rows(rows, settings)
    platt = G.fit_platt([p_status[i] for i in cal], [correct[i] for i in cal])
    W = cv.train_model(rows, settings, requirements)
    feats = cv.features_for(settings)
    model = G.GraderModel(
        features=feats,
        requirements=tuple(requirements),
        coef={c: tuple(float(v) for v in W[i]) for i, c in enumerate(G.CLASSES)},
        temperature=temperature,
        platt=platt,
        decides=decides,
        threshold=float(report["confidence"]["at_threshold"]["threshold"]),
        meta={},
    )
    sysd = report["systems"]

    def fig(sc: Mapping[str, Any]) -> dict[str, float]:
        return {
            "accuracy": round(sc["accuracy"], 4),
            "macro_f1": round(sc["macro_f1"], 4),
            "satisfied_recall": round(sc["per_status"]["satisfied"]["recall"], 4),
        }

    payload = [{"doc": r.doc, "rid": r.rid, "gold": r.gold} for r in rows]
    meta = {
        "training_labels_sha256": G.labels_hash(payload),
        "documents": sorted({r.doc for r in rows}),
        "vendor_groups": len({r.vendor for r in rows}),
        "pairs": len(rows),
        "library_version": library_version,
        "settings": dict(settings),
        "cv_leave_one_vendor_out": {
            "grader": fig(sysd["grader"]),
            "rules": fig(sysd["engine"]),
            "confidence_at_threshold": {
                k: (v if isinstance(v, int) else round(float(v), 4))
                for k, v in report["confidence"]["at_threshold"].items()
            },
            "ece": round(float(report["confidence"]["ece"]), 4),
            "calibrated_on": report["confidence"]["calibrated_on"],
            "confidence_at_threshold_independent": {
                k: (v if isinstance(v, int) else round(float(v), 4))
                for k, v in report["confidence"]["at_threshold_independent"].items()
            },
        },
        "note": "Built by `contractreview train`; see docs/model-card.md. Do not edit by hand.",
    }
    if settings["stage1"]:
        # The shipped sentence classifier is trained on every document; the grader above learned from
        # stage-1 scores of classifiers that never saw the row's vendor (cv.add_stage1).
        from . import stage1 as S1

        counts = S1.Counts(requirements)
        seen: set[str] = set()
        for r in rows:
            if r.doc_data is not None and r.doc not in seen:
                seen.add(r.doc)
                counts.add(r.doc, r.doc_data.texts, r.doc_data.evidence)
        s1_bytes = S1.artifact_bytes(counts.model())
        meta["stage1"] = {"file": S1.ARTIFACT_PATH.name, "sha256": hashlib.sha256(s1_bytes).hexdigest()}
        report["stage1_bytes"] = s1_bytes
    art = model.to_dict()
    art["meta"] = meta
    return art, report


def artifact_bytes(artifact: Mapping[str, Any]) -> bytes:
    return (json.dumps(artifact, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def train_from_labels(
    golds: Sequence[Any],
    docs_dirs: Sequence[Path],
    *,
    library: Any,
    settings: Mapping[str, Any] | None = None,
    on_document: Callable[[int, int, str], None] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(artifact, CV report, documents not found).

    :raises InputError: fewer than two vendors' documents were found (nothing to cross-validate).
    """
    from ..errors import InputError
    from ..evaluation import cv

    frozen = [g.doc for g in golds if g.split == "frozen"]
    if frozen:
        # The frozen held-out split is scored once per release; nothing may learn from it.
        raise InputError(
            f"the frozen split is never trained on ({len(frozen)} frozen label files given)", "labels"
        )
    rows, missing = cv.collect(golds, docs_dirs, library=library, on_document=on_document)
    if len({r.vendor for r in rows}) < 2:
        raise InputError(
            f"training needs labelled documents of at least two vendors ({len(missing)} labelled "
            "documents not found: check --docs)",
            "labels",
        )
    reqs = [r.id for r in library.requirements_for()]
    art, report = build_artifact(rows, reqs, settings, library_version=library.version)
    return art, report, missing
