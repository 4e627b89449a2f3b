"""Agreement between two annotators who labelled the same documents independently.

Raw agreement alone flatters a skewed label set (two annotators who both call nearly everything "missing"
agree often by chance), so the report carries Cohen's kappa overall and per class (one class against the
rest), and the confusion of the two annotators' calls, which is what an adjudication rule is written from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .labels import STATUSES, Gold


@dataclass(frozen=True, slots=True)
class LabelPair:
    """The two annotators' statuses for one (document, requirement)."""

    doc: str
    requirement_id: str
    a: str
    b: str


def paired(first: Iterable[Gold], second: Iterable[Gold]) -> list[LabelPair]:
    """Pairs of calls on the documents and requirements both annotators labelled."""
    by_doc = {g.doc: g for g in second}
    out: list[LabelPair] = []
    for ga in first:
        gb = by_doc.get(ga.doc)
        if gb is None:
            continue
        for rid in sorted(set(ga.labels) & set(gb.labels)):
            out.append(LabelPair(ga.doc, rid, ga.labels[rid].status, gb.labels[rid].status))
    return out


def cohen_kappa(a: Sequence[str], b: Sequence[str], classes: Sequence[str] = STATUSES) -> float | None:
    """Cohen's kappa of two label sequences; ``None`` when chance agreement is total (kappa undefined)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    expected = sum((a.count(c) / n) * (b.count(c) / n) for c in classes)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def agreement_report(pairs: Sequence[LabelPair]) -> dict[str, Any]:
    """Raw agreement, kappa overall and per class (one class vs the rest), and the a×b confusion."""
    a = [p.a for p in pairs]
    b = [p.b for p in pairs]
    per_class: dict[str, Any] = {}
    for c in STATUSES:
        ya = ["yes" if x == c else "no" for x in a]
        yb = ["yes" if x == c else "no" for x in b]
        per_class[c] = {
            "kappa": cohen_kappa(ya, yb, ("yes", "no")),
            "annotator_a": ya.count("yes"),
            "annotator_b": yb.count("yes"),
        }
    confusion = {x: {y: 0 for y in STATUSES} for x in STATUSES}
    for p in pairs:
        confusion[p.a][p.b] += 1
    docs = sorted({p.doc for p in pairs})
    per_doc = {}
    for d in docs:
        ps = [p for p in pairs if p.doc == d]
        per_doc[d] = sum(p.a == p.b for p in ps) / len(ps)
    return {
        "pairs": len(pairs),
        "documents": len(docs),
        "raw_agreement": (sum(x == y for x, y in zip(a, b, strict=True)) / len(pairs)) if pairs else None,
        "kappa": cohen_kappa(a, b),
        "per_class": per_class,
        "confusion": confusion,
        "per_document": per_doc,
    }


def format_agreement(report: Mapping[str, Any]) -> str:
    def k(x: float | None) -> str:
        return "  n/a" if x is None else f"{x:5.3f}"

    raw = report["raw_agreement"]
    lines = [
        f"{report['documents']} documents, {report['pairs']} (document, requirement) pairs labelled twice",
        f"raw agreement {raw:.3f}  Cohen's kappa {k(report['kappa'])}" if raw is not None else "no pairs",
        "per class (one vs rest): "
        + ", ".join(f"{c} {k(v['kappa'])}" for c, v in report["per_class"].items()),
        "rows annotator A, columns annotator B (satisfied weak missing):",
    ]
    for x, row in report["confusion"].items():
        lines.append(f"  {x:<10}" + "".join(f"{row[y]:>6}" for y in STATUSES))
    for d, acc in report["per_document"].items():
        lines.append(f"  {d:<44}{acc:.3f}")
    return "\n".join(lines)
