"""Compare versions: the open review against an earlier review of the same vendor's contract (#17).

The earlier review is proposed automatically (the linked previous version, else the latest review of
another document with the same title or a file name sharing its first words) and can be changed by hand.
Per requirement the dialog shows what changed: status, and the evidence as a word-level diff
(deleted words struck through, inserted words underlined). The comparison itself is
``Store.diff_reviews`` and ``textdiff.word_diff``, the same as ``contractreview reviews diff``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import ContractReviewError
from ..textdiff import word_diff


def _stem_words(name: str) -> tuple[str, ...]:
    stem = name.rsplit(".", 1)[0].lower()
    words = [w for w in re.split(r"[^a-z0-9]+", stem) if w and not w.isdigit() and not re.fullmatch(r"v\d+|rev\d*|draft|final", w)]
    return tuple(words[:2])


def candidates(store: Any, current: Any) -> tuple[list[Any], int]:
    """Earlier reviews one may compare the open review with, and the index of the proposed one (-1: none).

    :param current: the open review's ``ReviewSummary``.
    """
    others = [s for s in store.recent_documents(limit=500) if s.sha256 != current.sha256]
    linked = store.previous_version(current.sha256)
    for i, s in enumerate(others):
        if linked and s.sha256 == linked:
            return others, i
    mine = _stem_words(current.name)
    for i, s in enumerate(others):
        if mine and _stem_words(s.name) == mine:
            return others, i
    return others, -1


def diff_html(store: Any, old_id: int, new_id: int) -> str:
    """The comparison as HTML: changed statuses, then changed evidence and clauses word by word."""
    d = store.diff_reviews(old_id, new_id)
    new = store.get_analysis(new_id)
    titles = {f.requirement_id: f.title for f in new.findings}
    out = [f"<p><b>{len(d.improved)}</b> improved · <b>{len(d.worsened)}</b> worse · "
           f"{len(d.unchanged)} unchanged status · {len(d.changed_evidence)} with changed evidence · "
           f"{len(d.changed_clauses)} clauses changed</p>"]
    status_change = {rid: (o, n) for rid, o, n in (*d.improved, *d.worsened)}
    evidence = {rid: (o, n) for rid, o, n in d.changed_evidence}
    for rid in dict.fromkeys([*status_change, *evidence]):
        title = html.escape(titles.get(rid, rid))
        line = f"<h4>{title}</h4>"
        if rid in status_change:
            o, n = status_change[rid]
            line += f"<p>Status: {html.escape(o)} → <b>{html.escape(n)}</b></p>"
        if rid in evidence:
            line += "<p>" + render_word_diff(*evidence[rid]) + "</p>"
        out.append(line)
    if d.changed_clauses:
        out.append("<h3>Clauses</h3>")
        for key, o, n in d.changed_clauses:
            state = "added" if not o else "removed" if not n else "changed"
            out.append(f"<h4>{html.escape(key)} ({state})</h4><p>{render_word_diff(o, n)}</p>")
    for rid, status in d.added:
        out.append(f"<p>Only in the new review: {html.escape(titles.get(rid, rid))} ({html.escape(status)})</p>")
    for rid, status in d.removed:
        out.append(f"<p>Only in the earlier review: {html.escape(rid)} ({html.escape(status)})</p>")
    return "\n".join(out)


def render_word_diff(old: str, new: str) -> str:
    parts = []
    for p in word_diff(old, new):
        text = html.escape(p.text)
        if p.op == "del":
            parts.append(f'<del style="color:#b71c1c;background:#fde0e0">{text}</del>')
        elif p.op == "ins":
            parts.append(f'<ins style="color:#1b5e20;background:#e0f5e0">{text}</ins>')
        else:
            parts.append(text)
    return " ".join(parts) or "—"


class CompareDialog(QDialog):
    def __init__(self, store: Any, review_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare with an earlier review")
        self.setAccessibleName("Compare versions")
        self.store = store
        self.review_id = review_id
        current = store.get_summary(review_id)
        others, proposed = candidates(store, current)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.earlier = QComboBox()
        self.earlier.setAccessibleName("Earlier review")
        for s in others:
            self.earlier.addItem(f"{s.name} — review {s.id}, {s.finished_at[:10]} ({s.profile})", s.id)
        label = QLabel("&Earlier review:")
        label.setBuddy(self.earlier)
        form.addRow(label, self.earlier)
        lay.addLayout(form)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Changes")
        lay.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(760, 560)
        self.earlier.currentIndexChanged.connect(self.refresh)
        if not others:
            self.hint.setText("No other reviewed contract in this database to compare with.")
        else:
            self.hint.setText("Proposed: the linked earlier version or a contract with the same name; choose another if needed."
                              if proposed >= 0 else "No earlier version is linked; choose the review to compare with.")
            self.earlier.setCurrentIndex(max(0, proposed))
            self.refresh()

    def refresh(self) -> None:
        old_id = self.earlier.currentData()
        if old_id is None:
            return
        try:
            self.view.setHtml(diff_html(self.store, int(old_id), self.review_id))
        except ContractReviewError as exc:
            self.view.setPlainText(exc.message)
