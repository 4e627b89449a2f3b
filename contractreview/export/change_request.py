"""Change-request addendum draft to the vendor (DOCX): numbered requested changes and questions.

Requirements the reviewer accepted, waived or marked not applicable are left out: the letter asks
only for what the district still wants changed. The draft is meant to be edited before it is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..domain import Analysis, Decision, ReportMeta, ReviewDecision
from ._atomic import save_docx, write_atomic
from ._text import xml_safe as _x
from .docx_report import _keep_next, page_footer
from .model import ReportItem, build_report

_SETTLED = {Decision.ACCEPT.value, Decision.WAIVED.value, Decision.NOT_APPLICABLE.value}


def requested_items(
    analysis: Analysis, decisions: Mapping[str, ReviewDecision], meta: ReportMeta
) -> list[ReportItem]:
    """Flagged items still open for negotiation, in report order (severity first)."""
    model = build_report(analysis, decisions, meta)
    return [i for i in (*model.flagged, *model.not_checked) if i.decision_value not in _SETTLED]


def _request(document, i: ReportItem, label: str, ask: str) -> None:  # type: ignore[no-untyped-def]
    """The requested change: what to do, the proposed language and the district's note."""
    p = _keep_next(document.add_paragraph())
    p.add_run(label).bold = True
    p.add_run(ask)
    document.add_paragraph(_x(i.suggested_language or "[proposed language to be drafted]"), style="Intense Quote")
    if i.note:
        p = document.add_paragraph()
        p.add_run("District note: ").bold = True
        p.add_run(_x(i.note))


def build_change_request(analysis: Analysis, decisions: Mapping[str, ReviewDecision], meta: ReportMeta):  # type: ignore[no-untyped-def]
    import docx
    from docx.shared import Pt

    model = build_report(analysis, decisions, meta)
    items = [i for i in model.flagged if i.decision_value not in _SETTLED]
    # Protections the engine could not check: the district confirms them before asking for anything.
    to_confirm = [i for i in model.not_checked if i.decision_value not in _SETTLED]
    terms = model.terms
    # The letter names the parties as the contract does ("SFUSD", "the Provider"); neutral words otherwise.
    vendor = model.vendor or terms.vendor_name or terms.vendor or "[Vendor]"
    school = terms.school_name or terms.school or "the district"
    agreement = model.agreement or model.document_name

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = _x(f"Requested changes: {agreement}")
    document.core_properties.author = _x(model.reviewer or "ContractReview")
    page_footer(document.sections[0], "DRAFT for negotiation · Not legal advice")

    document.add_heading(_x(f"Addendum (draft): requested changes to {agreement}"), level=0)
    document.add_paragraph(_x(f"To: {vendor}"))
    document.add_paragraph(_x(f"Date: {model.date}"))
    if model.reviewer:
        document.add_paragraph(_x(f"From: {model.reviewer}"))
    document.add_paragraph().add_run(
        "DRAFT. Not legal advice: prepared with an automated contract review tool and to be checked by the "
        "district's counsel before it is sent."
    ).italic = True
    document.add_paragraph(
        _x(
            f"{_cap(school)} has reviewed {agreement} (document {model.document_name}) against its "
            f"student-data privacy requirements. Before signing, {school} requests the changes below. Each "
            "item quotes the current wording, where there is any, and proposes language."
        )
    )
    document.add_paragraph(_x(f"Document SHA-256: {model.sha256}")).runs[0].font.size = Pt(8)
    _keep_next(document.add_heading("Requested changes", level=1))
    if not items:
        document.add_paragraph("No changes are requested.")
    for n, i in enumerate(items, 1):
        _keep_next(document.add_heading(_x(f"{n}. {i.title}"), level=2))
        p = _keep_next(document.add_paragraph())
        p.add_run("Current agreement: ").bold = True
        if i.quotes:
            # Each passage with its own clause and page: they may come from different clauses.
            for q, new_place in i.quotes_by_place():
                if new_place:  # passages of one place share its label
                    _keep_next(document.add_paragraph()).add_run(_x(q.where_sentence + ":")).italic = True
                document.add_paragraph(_x(q.display), style="Quote")
        else:
            p.add_run("does not address this.")
        # "does not address this" already says why for missing ones; a reviewer's status always says why.
        if i.reason and (i.quotes or i.overridden):
            p = document.add_paragraph()
            p.add_run("Why: ").bold = True
            p.add_run(_x(i.reason))
        _request(
            document,
            i,
            "Requested change: ",
            "add the following language:" if not i.quotes else "replace or supplement the wording above with:",
        )
    if to_confirm:
        _keep_next(document.add_heading("To confirm before sending", level=1))
        document.add_paragraph(
            "The automated review cannot look for the protections below, so it did not check them. Read the "
            "agreement for each one; request the language only where it is not already provided, and delete "
            "this section before sending."
        )
        for n, i in enumerate(to_confirm, len(items) + 1):
            document.add_heading(_x(f"{n}. {i.title}"), level=2)
            p = document.add_paragraph()
            p.add_run("Current agreement: ").bold = True
            p.add_run("not checked automatically; to be confirmed by the district.")
            _request(document, i, "If not provided, requested change: ", "add the following language:")
    questions = [i for i in (*items, *to_confirm) if i.vendor_question]
    _keep_next(document.add_heading(_x(f"Questions for {vendor}"), level=1))
    if not questions:
        document.add_paragraph("None.")
    for n, i in enumerate(questions, 1):
        document.add_paragraph(_x(f"Q{n}. {i.vendor_question} ({i.title})"))
    return document


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def write_change_request(
    analysis: Analysis, decisions: Mapping[str, ReviewDecision], meta: ReportMeta, dest: Path
) -> Path:
    document = build_change_request(analysis, decisions, meta)
    return write_atomic(Path(dest), save_docx(document))
