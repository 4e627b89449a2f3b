"""Markdown gap summary, for wikis, tickets and e-mail.

Contract text is quoted verbatim except ``<`` and ``>`` (and an ``&`` that would start an entity),
which become HTML entities so a Markdown renderer can never turn contract text into markup; a plain
"B&P" stays readable in the raw file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.grader import confidence_text
from ._atomic import write_text_atomic
from .model import (
    NOT_CHECKED_HEADING,
    NOT_CHECKED_INTRO,
    REVIEWER_HEADING,
    REVIEWER_INTRO,
    ReportItem,
    ReportModel,
)

_ENTITY_START = re.compile(r"&(?=#?\w+;)")


def _esc(text: str) -> str:
    return _ENTITY_START.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return _esc(text).replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> list[str]:
    return ["> " + _esc(line) if line else ">" for line in text.split("\n")]


def _item_md(i: ReportItem) -> list[str]:
    out = [f"### {i.number}. {_esc(i.title)}", ""]
    out.append(
        f"**Status:** {i.status_label} · **Severity:** {i.severity_label}"
        f" · **Confidence:** {_esc(confidence_text(i.confidence))}"
    )
    out.append("")
    if i.reason:
        out += [_esc(i.reason), ""]
    if i.quotes:
        out.append("**Evidence:**")
        out.append("")
        for q, new_place in i.quotes_by_place():
            if new_place:
                out.append(f"*{_esc(q.where_sentence)}:*")
                out.append("")
            out += _quote(q.display)
            out.append("")
    elif i.no_evidence_text:
        out += [f"**Evidence:** {_esc(i.no_evidence_text)}", ""]
    if i.citations:
        out.append("**Sources:** " + "; ".join(_esc(c) for c in i.people_citations))
        out.append("")
    out.append(f"**Reviewer decision:** {_esc(i.decision_text)}")
    if i.note:
        out.append("")
        out.append(f"**Note:** {_esc(i.note)}")
    out.append("")
    if i.suggested_language:
        out += ["**Suggested language:**", ""] + _quote(i.suggested_language) + [""]
    if i.vendor_question:
        out += [f"**Question for the vendor:** {_esc(i.vendor_question)}", ""]
    return out


def render_markdown(model: ReportModel) -> str:
    out = [f"# {_esc(model.title)}", "", f"*{_esc(model.disclaimer)}*", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| {label} | {_cell(value)} |" for label, value in model.title_block()]
    out += ["", "## At a glance", "", _esc(model.summary_sentence), ""]
    header, rows = model.count_rows()
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out += ["", "## Key terms", ""]
    header, rows = model.key_term_rows()
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "---|" * len(header))
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    out += ["", f"## Missing and weak protections ({len(model.flagged)})", ""]
    if not model.flagged:
        out += ["None: every requirement of the profile is satisfied.", ""]
    for item in model.flagged:
        out += _item_md(item)
    if model.not_checked:
        out += [f"## {NOT_CHECKED_HEADING} ({len(model.not_checked)})", "", _esc(NOT_CHECKED_INTRO), ""]
        for item in model.not_checked:
            out += _item_md(item)
    if model.overridden:
        out += [f"## {REVIEWER_HEADING} ({len(model.overridden)})", "", _esc(REVIEWER_INTRO), ""]
        out += [f"- **{_esc(i.title)}:** {_esc(i.override_sentence)}" for i in model.overridden] + [""]
    out += [f"## Satisfied protections ({len(model.satisfied)})", ""]
    for i in model.satisfied:
        out.append(f"- {_esc(i.listed_title)} ({i.severity_label.lower()})" + (f" — {_esc(i.where)}" if i.where else ""))
    out += ["", "---", "", f"*{_esc(model.disclaimer)}*", ""]
    if model.technical_appendix:
        out += ["## Technical appendix (for the review team)", ""]
        out += [f"- {_esc(line)}" for line in model.provenance_lines()] + [""]
        for i in (*model.flagged, *model.not_checked, *model.satisfied):
            out += [f"### {_esc(i.title)} ({i.status_label})", ""]
            out += [f"- {_esc(line)}" for line in i.technical] + [""]
    return "\n".join(out)


def write_markdown(model: ReportModel, dest: Path) -> Path:
    return write_text_atomic(dest, render_markdown(model))
