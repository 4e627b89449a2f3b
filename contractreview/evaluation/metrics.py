"""Scores of the satisfied / weak / missing decision, per requirement and overall."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .labels import STATUSES


@dataclass(frozen=True, slots=True)
class Pair:
    """One (document, requirement) decision."""

    doc: str
    requirement_id: str
    gold: str
    pred: str


def confusion(pairs: Iterable[Pair]) -> dict[str, dict[str, int]]:
    """``m[gold][pred]`` counts."""
    m = {g: {p: 0 for p in STATUSES} for g in STATUSES}
    for x in pairs:
        m[x.gold][x.pred if x.pred in STATUSES else "weak"] += 1
    return m


def status_scores(pairs: Sequence[Pair]) -> dict[str, Any]:
    """Accuracy, per-status precision/recall/F1, macro-F1 and the confusion matrix."""
    m = confusion(pairs)
    n = sum(sum(r.values()) for r in m.values())
    correct = sum(m[s][s] for s in STATUSES)
    per: dict[str, dict[str, float]] = {}
    for s in STATUSES:
        tp = m[s][s]
        pred = sum(m[g][s] for g in STATUSES)
        gold = sum(m[s].values())
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[s] = {"precision": p, "recall": r, "f1": f, "support": gold, "predicted": pred}
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "macro_f1": sum(per[s]["f1"] for s in STATUSES) / len(STATUSES),
        "per_status": per,
        "confusion": m,
    }


def per_requirement(pairs: Sequence[Pair]) -> dict[str, dict[str, Any]]:
    out: dict[str, list[Pair]] = {}
    for x in pairs:
        out.setdefault(x.requirement_id, []).append(x)
    return {
        rid: {
            "n": len(ps),
            "accuracy": sum(p.gold == p.pred for p in ps) / len(ps),
            "gold": _counts(p.gold for p in ps),
            "pred": _counts(p.pred for p in ps),
        }
        for rid, ps in sorted(out.items())
    }


def _counts(values: Iterable[str]) -> dict[str, int]:
    c = {s: 0 for s in STATUSES}
    for v in values:
        c[v if v in c else "weak"] += 1
    return c


def same_term(gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if isinstance(gold, (int, float)) and isinstance(pred, (int, float)):
        return abs(float(gold) - float(pred)) < 0.5
    return str(gold).strip().lower() == str(pred).strip().lower()


def key_term_scores(
    rows: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]], terms: Sequence[str]
) -> dict[str, Any]:
    per = {t: [0, 0] for t in terms}
    for gold, pred in rows:
        for t in terms:
            if t in gold:
                per[t][1] += 1
                per[t][0] += same_term(gold[t], pred.get(t))
    total = sum(v[1] for v in per.values())
    ok = sum(v[0] for v in per.values())
    return {
        "accuracy": ok / total if total else 0.0,
        "n": total,
        "per_term": {t: (v[0] / v[1] if v[1] else 0.0) for t, v in per.items()},
    }


# --------------------------------------------------------------------------- evidence overlap

_WS = re.compile(r"\s+")


def normalised_index(text: str) -> tuple[str, list[int]]:
    """Whitespace-collapsed lower-case text and, per character, its offset in ``text``."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(_fold(ch))
            prev_space = False
        idx.append(i)
    return "".join(out), idx


def _fold(ch: str) -> str:
    return {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}.get(
        ch, ch
    ).lower()


def locate(quote: str, norm: str, idx: list[int]) -> tuple[int, int] | None:
    """Offsets in the original text of ``quote`` (whitespace, case and quote style ignored)."""
    q = "".join(_fold(c) for c in _WS.sub(" ", quote.strip()))
    q = q.strip(" .;,…")
    if len(q) < 4:
        return None
    pos = norm.find(q)
    if pos < 0 and q.endswith("..."):
        pos = norm.find(q[:-3].rstrip())
    if pos < 0:
        return None
    return idx[pos], idx[min(pos + len(q), len(idx)) - 1] + 1


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
