"""Run the engine and the baselines over labelled documents and score them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import KEY_TERMS, Analysis
from . import baselines
from .labels import Gold, kind_group, resolve_document
from .metrics import (
    Pair,
    key_term_scores,
    locate,
    normalised_index,
    overlaps,
    per_requirement,
    same_term,
    status_scores,
)

# A frozen held-out split is scored only as a whole (and per document kind): no per-document or
# per-requirement lines, so nobody reads its errors pair by pair and tunes on them.
WHOLE_ONLY_SPLITS = frozenset({"frozen"})

SYSTEMS = ("engine", "cue_only", "keyword", "all_missing", "all_satisfied", "all_weak")


@dataclass(slots=True)
class DocResult:
    gold: Gold
    document_path: str
    pairs: dict[str, list[Pair]] = field(default_factory=dict)  # system -> pairs
    key_terms: dict[str, Any] = field(default_factory=dict)
    evidence_hits: int = 0
    evidence_total: int = 0
    error: str = ""
    confidence: dict[str, float] = field(default_factory=dict)  # requirement id -> the engine's confidence


def _evidence_overlap(analysis: Analysis, gold: Gold) -> tuple[int, int]:
    """(pairs whose predicted evidence overlaps a gold quote, pairs where both sides quote something locatable)."""
    norm, idx = normalised_index(analysis.document.text)
    hits = total = 0
    for f in analysis.findings:
        g = gold.labels.get(f.requirement_id)
        if g is None or g.status == "missing" or not g.evidence or not f.evidence:
            continue
        spans = [s for s in (locate(q, norm, idx) for q in g.evidence) if s]
        if not spans:
            continue
        total += 1
        if any(overlaps((e.start, e.end), s) for e in f.evidence for s in spans):
            hits += 1
    return hits, total


def evaluate_document(
    gold: Gold, path: Path, *, library: Any, weights: Mapping[str, Any] | None = None
) -> DocResult:
    from ..engine import trace
    from ..ingest import load_document

    document = load_document(path)
    run = trace(document, library=library, profile=library.profile.name)
    analysis, feats = run.analysis, run.features
    w = weights or run.weights
    res = DocResult(gold=gold, document_path=str(path))
    preds: dict[str, dict[str, str]] = {s: {} for s in SYSTEMS}
    for f in analysis.findings:
        if f.status.value == "needs_review" and f.requirement_id in gold.labels:
            # A labelled requirement the engine cannot check would be scored as a guess: refuse.
            from ..errors import InputError

            raise InputError(
                f"'{f.requirement_id}' is labelled, but the clause library has no detector for it "
                "(the engine reports needs_review); the figures would not measure the engine",
                gold.source or gold.doc,
            )
        preds["engine"][f.requirement_id] = f.status.value
        res.confidence[f.requirement_id] = f.confidence
    text = document.text
    for rid in gold.labels:
        preds["keyword"][rid] = baselines.keyword(text, library, rid)
        preds["cue_only"][rid] = baselines.cue_only(feats, rid, w)
        for name, status in baselines.TRIVIAL.items():
            preds[name][rid] = status
    for system in SYSTEMS:
        res.pairs[system] = [
            Pair(gold.doc, rid, lab.status, preds[system].get(rid, "missing"))
            for rid, lab in sorted(gold.labels.items())
        ]
    res.key_terms = {k: analysis.key_terms.get(k) for k in KEY_TERMS}
    res.evidence_hits, res.evidence_total = _evidence_overlap(analysis, gold)
    return res


def evaluate(
    golds: Sequence[Gold],
    docs_dirs: Iterable[Path],
    *,
    profile: str = "default",
    library: Any = None,
    on_document: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """Score every labelled document, grouped by split (``dev`` / ``heldout``) and overall."""
    from ..library import load_library

    library = library or load_library(profile)
    dirs = list(docs_dirs)
    results: list[DocResult] = []
    for i, gold in enumerate(golds):
        if on_document:
            on_document(i, len(golds), gold.doc)
        path = resolve_document(gold, dirs)
        if path is None:
            results.append(DocResult(gold=gold, document_path="", error="document not found"))
            continue
        results.append(evaluate_document(gold, path, library=library))
    report: dict[str, Any] = {
        "profile": library.profile.name,
        "library_version": library.version,
        "splits": {},
    }
    for split in sorted({g.split for g in golds}):
        rs = [r for r in results if r.gold.split == split and not r.error]
        report["splits"][split] = summarise(rs, whole_only=split in WHOLE_ONLY_SPLITS)
    report["missing_documents"] = [r.gold.doc for r in results if r.error]
    return report


def summarise(rs: Sequence[DocResult], *, whole_only: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"documents": len(rs), "systems": {}, "per_document": {}, "per_requirement": {}}
    for system in SYSTEMS:
        pairs = [p for r in rs for p in r.pairs.get(system, [])]
        out["systems"][system] = status_scores(pairs)
    # Grouped as the cross-validation report groups them (the label file's kind, else guessed from the name).
    by_kind: dict[str, list[DocResult]] = {}
    for r in rs:
        by_kind.setdefault(kind_group(r.gold), []).append(r)
    out["per_kind"] = {
        k: {
            "documents": len(group),
            "engine": status_scores([p for r in group for p in r.pairs.get("engine", [])]),
        }
        for k, group in sorted(by_kind.items())
    }
    out["key_terms"] = key_term_scores(((r.gold.params, r.key_terms) for r in rs), KEY_TERMS)
    # A key term reported where the gold says the document states none: the error a procurement officer
    # copies into the vendor record (a summary figure, so frozen splits report it too).
    false_docs = false_pairs = none_pairs = 0
    reported_where_none: dict[str, list[str]] = {}
    for r in rs:
        labelled = [k for k in KEY_TERMS if k in r.gold.params]
        false = [k for k in labelled if r.gold.params[k] is None and r.key_terms.get(k) is not None]
        reported_where_none[r.gold.doc] = false
        none_pairs += sum(r.gold.params[k] is None for k in labelled)
        false_pairs += len(false)
        false_docs += bool(false)
    out["key_terms"]["reported_where_none"] = {
        "documents": false_docs,
        "of_documents": len(rs),
        "rate": false_docs / len(rs) if rs else 0.0,
        "terms": false_pairs,
        "of_terms": none_pairs,
    }
    out["confidence"] = confidence_summary(rs)
    if whole_only:
        out["whole_only"] = True
        return out
    engine_pairs = [p for r in rs for p in r.pairs.get("engine", [])]
    out["per_requirement"] = per_requirement(engine_pairs)
    for r in rs:
        ps = r.pairs.get("engine", [])
        labelled = [k for k in KEY_TERMS if k in r.gold.params]
        out["per_document"][r.gold.doc] = {
            "accuracy": sum(p.gold == p.pred for p in ps) / len(ps) if ps else 0.0,
            "n": len(ps),
            "key_terms": {k: [r.gold.params.get(k), r.key_terms.get(k)] for k in labelled},
            "key_terms_exact": {k: same_term(r.gold.params[k], r.key_terms.get(k)) for k in labelled},
            "key_terms_reported_where_none": reported_where_none[r.gold.doc],
        }
    hits = sum(r.evidence_hits for r in rs)
    total = sum(r.evidence_total for r in rs)
    out["evidence_overlap"] = {"rate": hits / total if total else 0.0, "hits": hits, "n": total}
    return out


def confidence_summary(rs: Sequence[DocResult]) -> dict[str, Any]:
    """How far the engine's confidence can be trusted on these documents, as a whole (a summary figure, so
    frozen splits report it too): accuracy at or above the shipped threshold, the share of pairs it covers,
    and a reliability table."""
    from ..engine.grader import confidence_threshold
    from .cv import coverage_at, expected_calibration_error, reliability

    conf: list[float] = []
    correct: list[bool] = []
    for r in rs:
        for p in r.pairs.get("engine", []):
            if p.requirement_id in r.confidence:
                conf.append(r.confidence[p.requirement_id])
                correct.append(p.gold == p.pred)
    return {
        "at_threshold": coverage_at(conf, correct, confidence_threshold()),
        "reliability": reliability(conf, correct),
        "ece": expected_calibration_error(conf, correct) if conf else 0.0,
    }


_TERM_ABBR = {
    "breach_notice_max_hours": "hours",
    "breach_notice_clock_start": "clock",
    "deletion_after_request_days": "request",
    "deletion_after_termination_days": "termination",
    "governing_law": "law",
}


def format_report(report: Mapping[str, Any]) -> str:
    lines: list[str] = [f"Profile {report['profile']} · clause library {report['library_version']}"]
    for split, s in report["splits"].items():
        lines.append("")
        lines.append(
            f"== {split} set: {s['documents']} documents, {s['systems']['engine']['n']} requirement pairs =="
        )
        lines.append(f"{'system':<14}{'acc':>7}{'macroF1':>9}{'sat P/R':>13}{'weak P/R':>13}{'miss P/R':>13}")
        for system, sc in s["systems"].items():
            ps = sc["per_status"]
            cells = "".join(
                f"{ps[k]['precision']:>6.2f}/{ps[k]['recall']:<5.2f} "
                for k in ("satisfied", "weak", "missing")
            )
            lines.append(f"{system:<14}{sc['accuracy']:>7.3f}{sc['macro_f1']:>9.3f}  {cells}")
        m = s["systems"]["engine"]["confusion"]
        lines.append("engine confusion (rows gold, columns predicted: satisfied weak missing):")
        for g in ("satisfied", "weak", "missing"):
            lines.append(f"  {g:<10}" + "".join(f"{m[g][p]:>6}" for p in ("satisfied", "weak", "missing")))
        kt = s["key_terms"]
        lines.append(
            f"key terms exact match: {kt['accuracy']:.3f} (n={kt['n']}) "
            + ", ".join(f"{k}={v:.2f}" for k, v in kt["per_term"].items())
        )
        fr = kt["reported_where_none"]
        lines.append(
            f"key term reported where the gold says none: {fr['rate']:.3f} of documents "
            f"({fr['documents']}/{fr['of_documents']}; {fr['terms']} of {fr['of_terms']} unstated terms)"
        )
        c = s.get("confidence")
        if c and c["reliability"]:
            t = c["at_threshold"]
            lines.append(
                f"confidence >= {t['threshold']:.3f} (the shipped threshold): accuracy {t['accuracy']:.3f} on "
                f"{t['coverage']:.1%} of pairs (n={t['n']}); ECE {c['ece']:.3f}; by band: "
                + ", ".join(f"{b['bin']} {b['accuracy']:.3f} (n={b['n']})" for b in reversed(c["reliability"]))
            )
        lines.append("per document kind (engine):")
        for k, d in s["per_kind"].items():
            e = d["engine"]
            lines.append(
                f"  {k:<20}{d['documents']:>3} docs  acc {e['accuracy']:.3f}  macro-F1 {e['macro_f1']:.3f}"
            )
        if s.get("whole_only"):
            lines.append(
                "(frozen held-out split: scored as a whole only, no per-document or per-requirement lines)"
            )
            continue
        ev = s["evidence_overlap"]
        lines.append(f"evidence overlaps a gold quote: {ev['rate']:.3f} ({ev['hits']}/{ev['n']})")
        lines.append(
            "per document (engine accuracy; key terms exact, in the order "
            + " ".join(_TERM_ABBR[k] for k in KEY_TERMS)
            + "; + right, x wrong, . not labelled; ! reported where the gold says none):"
        )
        for doc, d in s["per_document"].items():
            exact = d.get("key_terms_exact", {})
            marks = " ".join(
                ("+" if exact[k] else ("!" if k in d.get("key_terms_reported_where_none", ()) else "x"))
                if k in exact
                else "."
                for k in KEY_TERMS
            )
            lines.append(f"  {doc:<34}{d['accuracy']:.3f}  key terms {marks}")
        lines.append("per requirement (engine accuracy; gold s/w/m → predicted s/w/m):")
        for rid, d in s["per_requirement"].items():
            g, p = d["gold"], d["pred"]
            lines.append(
                f"  {rid:<42}{d['accuracy']:.2f}  {g['satisfied']}/{g['weak']}/{g['missing']} → "
                f"{p['satisfied']}/{p['weak']}/{p['missing']}"
            )
    if report.get("missing_documents"):
        lines.append("")
        lines.append("documents not found: " + ", ".join(report["missing_documents"]))
    return "\n".join(lines)
