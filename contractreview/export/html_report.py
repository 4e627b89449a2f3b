"""Self-contained HTML gap summary: one file, inline CSS, no scripts, no remote resources.

Every piece of contract or library text goes through ``html.escape``; a Content-Security-Policy
meta tag forbids loading anything, so a hostile contract cannot make the report phone home.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ._atomic import write_text_atomic
from .model import (
    NOT_CHECKED_HEADING,
    NOT_CHECKED_INTRO,
    REVIEWER_HEADING,
    REVIEWER_INTRO,
    ReportItem,
    ReportModel,
)

_CSS = """
body{font-family:Helvetica,Arial,sans-serif;max-width:52em;margin:2em auto;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:2px solid #335;padding-bottom:.2em;margin-top:1.6em}
h3{margin-bottom:.3em} table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #bbb;padding:.25em .6em;text-align:left}
th{background:#eef} .disclaimer{background:#fff4d6;border:1px solid #e0c060;padding:.5em .8em}
blockquote{margin:.3em 0 .6em 0;padding:.3em .8em;border-left:4px solid #889;background:#f5f5f8;white-space:pre-wrap}
.badge{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.85em;color:#fff}
.s-missing{background:#b22} .s-weak{background:#c80} .s-needs-review{background:#668} .s-satisfied{background:#282}
.stale{color:#b22;font-weight:bold} .where{color:#555;font-style:italic} .suggested{white-space:pre-wrap;background:#eef6ee;border-left-color:#383}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def anchor(model: ReportModel, requirement_id: str) -> str:
    """The in-page anchor of a requirement's item: "item-3" (flagged) or "ok-2" (satisfied), no ids."""
    for i in model.flagged:
        if i.requirement_id == requirement_id:
            return f"item-{i.number}"
    for k, i in enumerate(model.satisfied, 1):
        if i.requirement_id == requirement_id:
            return f"ok-{k}"
    return ""


def _item_html(i: ReportItem) -> str:
    status = i.status.value.replace("_", "-")
    parts = [
        f'<section class="finding" id="item-{i.number}">',
        f"<h3>{i.number}. {_e(i.title)}</h3>",
        f'<p><span class="badge s-{status}">{_e(i.status_label)}</span> Severity: <b>{_e(i.severity_label)}</b></p>',
    ]
    if i.reason:
        parts.append(f'<p class="explanation">{_e(i.reason)}</p>')
    if i.quotes:
        for q, new_place in i.quotes_by_place():
            if new_place:
                parts.append(f'<p class="where">{_e(q.where_sentence)}:</p>')
            parts.append(f'<blockquote class="evidence">{_e(q.display)}</blockquote>')
    elif i.no_evidence_text:
        parts.append(f'<p class="where">{_e(i.no_evidence_text)}</p>')
    if i.citations:
        parts.append(
            "<p>Sources: " + "; ".join(f'<span class="citation">{_e(c)}</span>' for c in i.people_citations) + "</p>"
        )
    stale = ' <span class="stale">(evidence changed since decision)</span>' if i.evidence_changed else ""
    decision = _e(i.decision_text.replace(" — evidence changed since decision", ""))
    parts.append(f'<p>Reviewer decision: <span class="decision">{decision}</span>{stale}</p>')
    if i.note:
        parts.append(f'<p>Note: <span class="note">{_e(i.note)}</span></p>')
    if i.suggested_language:
        parts.append(
            f'<p>Suggested language:</p><blockquote class="suggested">{_e(i.suggested_language)}</blockquote>'
        )
    if i.vendor_question:
        parts.append(f'<p>Question for the vendor: <span class="question">{_e(i.vendor_question)}</span></p>')
    parts.append("</section>")
    return "\n".join(parts)




def render_html(model: ReportModel) -> str:
    header, rows = model.count_rows()
    tb = "\n".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in model.title_block())
    glance = (
        "<tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in header)
        + "</tr>\n"
        + "\n".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    )
    kh, krows = model.key_term_rows()
    def _source(k: object, cell: str) -> str:
        # The quoted sentence links to the finding that quotes it (its requirement's section).
        target = anchor(model, getattr(k, "requirement_id", ""))
        if target and getattr(k, "quote", None) is not None:
            return f'<a href="#{target}">{_e(cell)}</a>'
        return _e(cell)

    key_terms = (
        "<tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in kh)
        + "</tr>\n"
        + "\n".join(
            f'<tr class="key-term{" corrected" if k.corrected else ""}">'
            f"<td>{_e(r[0])}</td><td>{_e(r[1])}</td><td>{_source(k, r[2])}</td><td>{_e(r[3])}</td></tr>"
            for k, r in zip(model.key_terms, krows, strict=True)
        )
    )
    flagged = (
        "\n".join(_item_html(i) for i in model.flagged) or "<p>None: every requirement is satisfied.</p>"
    )
    not_checked = ""
    if model.not_checked:
        not_checked = (
            f"<h2>{_e(NOT_CHECKED_HEADING)} ({len(model.not_checked)})</h2>\n<p>{_e(NOT_CHECKED_INTRO)}</p>\n"
            + "\n".join(_item_html(i) for i in model.not_checked)
        )
    reviewer = ""
    if model.overridden:
        reviewer = (
            f"<h2>{_e(REVIEWER_HEADING)} ({len(model.overridden)})</h2>\n<p>{_e(REVIEWER_INTRO)}</p>\n<ul class=\"reviewer\">"
            + "".join(f"<li><b>{_e(i.title)}:</b> {_e(i.override_sentence)}</li>" for i in model.overridden)
            + "</ul>\n"
        )
    satisfied = "\n".join(
        f'<li id="ok-{k}">{_e(i.listed_title)} '
        f"<small>({_e(i.severity_label.lower())}{'; ' + _e(i.where) if i.quotes else ''})</small></li>"
        for k, i in enumerate(model.satisfied, 1)
    )
    technical = ""
    if model.technical_appendix:
        technical = (
            '<h2 id="technical">Technical appendix (for the review team)</h2>\n<ul>'
            + "".join(f"<li>{_e(line)}</li>" for line in model.provenance_lines())
            + "</ul>\n"
            + "\n".join(
                f"<h4>{_e(i.title)} ({_e(i.status_label)})</h4><ul>"
                + "".join(f"<li>{_e(line)}</li>" for line in i.technical)
                + "</ul>"
                for i in (*model.flagged, *model.not_checked, *model.satisfied)
            )
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="ContractReview {_e(model.tool_version)}">
<title>{_e(model.title)} — {_e(model.document_name)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_e(model.title)}</h1>
<p class="disclaimer">{_e(model.disclaimer)}</p>
<table class="title-block">
{tb}
</table>
<h2>At a glance</h2>
<p class="summary">{_e(model.summary_sentence)}</p>
<table class="glance">
{glance}
</table>
<h2>Key terms</h2>
<table class="key-terms">
{key_terms}
</table>
<h2>Missing and weak protections ({len(model.flagged)})</h2>
{flagged}
{not_checked}
{reviewer}<h2>Satisfied protections ({len(model.satisfied)})</h2>
<ul class="satisfied">
{satisfied}
</ul>
<p class="disclaimer">{_e(model.disclaimer)}</p>
{technical}
</body>
</html>
"""


def write_html(model: ReportModel, dest: Path) -> Path:
    return write_text_atomic(dest, render_html(model))
