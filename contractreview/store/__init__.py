"""Review store (issue #5): documents, reviews, findings, reviewer decisions and audit history in SQLite.

Usage::

    with open_store() as store:                      # user data folder, or open_store(path)
        review_id = store.save_analysis(analysis)
        store.set_decision(sha, "breach_notification", Decision.ACCEPT, reviewer="Ana",
                           evidence_text=evidence_text_for(analysis.finding("breach_notification")))
        current = store.decisions(sha, current=analysis)

See docs/store.md for the schema, the durability rules and the hand-over format.
"""

from __future__ import annotations

from .handover import HANDOVER_SCHEMA
from .migrations import SCHEMA_VERSION
from .repository import (
    STATUS_RANK,
    UNCHANGED,
    ReviewDiff,
    ReviewSummary,
    Store,
    evidence_text_for,
    normalize_ws,
    open_store,
)

__all__ = [
    "HANDOVER_SCHEMA",
    "SCHEMA_VERSION",
    "STATUS_RANK",
    "UNCHANGED",
    "ReviewDiff",
    "ReviewSummary",
    "Store",
    "evidence_text_for",
    "normalize_ws",
    "open_store",
]
