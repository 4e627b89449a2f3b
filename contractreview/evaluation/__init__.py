"""Evaluation of the engine against gold labels, next to baselines (see docs/evaluation.md)."""

from __future__ import annotations

from .labels import Gold, GoldLabel, load_gold_dir, load_gold_file, resolve_document
from .metrics import Pair, key_term_scores, per_requirement, status_scores
from .runner import DocResult, evaluate, format_report

__all__ = [
    "DocResult",
    "Gold",
    "GoldLabel",
    "Pair",
    "evaluate",
    "format_report",
    "key_term_scores",
    "load_gold_dir",
    "load_gold_file",
    "per_requirement",
    "resolve_document",
    "status_scores",
]
