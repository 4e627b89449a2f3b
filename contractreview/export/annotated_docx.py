"""A copy of a DOCX contract with a Word comment on every flagged clause (python-docx >= 1.2).

The original is read into memory and never opened for writing; the copy is written atomically. Each
flagged finding gets one comment per distinct paragraph range holding its evidence, authored by the
reviewer; protections the contract does not address at all are listed in one summary comment on the
first paragraph, since there is no clause to attach them to. The reviewer's own annotations (issue #16)
become comments by their author on exactly the selected words. python-docx cannot tell which text a
comment anchors to, so :func:`annotate_docx` returns its own map of anchors.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain import Analysis, Annotation, ReportMeta, ReviewDecision
from ..errors import ExportError
from ._atomic import save_docx, write_atomic
from ._locate import Locator
from ._text import xml_safe
from .model import ReportItem, build_report, comment_lines_for, not_checked_lines


@dataclass(frozen=True, slots=True)
class CommentAnchor:
    requirement_id: str  # "" for the summary comment
    comment_id: int
    first_paragraph: int  # index among the document's paragraphs in body order (tables included)
    last_paragraph: int
    annotation_id: int | None = None  # the reviewer's annotation this comment carries (issue #16)
    text: str = ""  # the words the comment is on, for a reviewer's mark (its selection exactly, where found)


def initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isalnum())[:3].upper()


def comment_lines(item: ReportItem) -> list[str]:
    """The text of a finding's comment, one entry per comment paragraph."""
    return comment_lines_for(item)


def body_paragraphs(document) -> list:  # type: ignore[no-untyped-def]
    """Every paragraph of the main story in document order, table cells included."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    return [Paragraph(p, document._body) for p in body.iter(qn("w:p"))]


def _runs(paragraph) -> list:  # type: ignore[no-untyped-def]
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run

    out = []
    for part in paragraph.iter_inner_content():
        if isinstance(part, Run):
            out.append(part)
        elif isinstance(part, Hyperlink):
            out.extend(part.runs)
    return out


def _range_runs(paras: list, first: int, last: int) -> list:  # type: ignore[type-arg]
    runs: list = []
    for p in paras[first : last + 1]:
        runs.extend(_runs(p))
    return runs


def _add(document, runs, lines: list[str], author: str):  # type: ignore[no-untyped-def]
    comment = document.add_comment(
        runs, text=xml_safe(lines[0]), author=xml_safe(author), initials=initials(author)
    )
    for line in lines[1:]:
        comment.add_paragraph(xml_safe(line))
    return comment


def annotate_docx(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision],
    meta: ReportMeta,
    source: Path,
    dest: Path,
    *,
    data: bytes | None = None,
    annotations: Sequence[Annotation] = (),
) -> tuple[Path, list[CommentAnchor]]:
    """Write the commented copy; returns the path and where each comment was anchored.

    ``annotations``: the reviewer's annotations of the document; each becomes a Word comment on its
    selected words (author = the annotation's author), and an overridden status with evidence a comment on
    that evidence, beside the engine's findings.

    ``data``: the contract's bytes as vetted by :func:`~contractreview.ingest.vetted_bytes` (read here
    through it when not given). python-docx only ever sees bytes the ingest reader accepted (zip members
    sized, XML entities refused) and that are the analysed document (#19).
    """
    import docx

    from ._source import analysed_bytes

    source = Path(source)
    if data is None:
        data = analysed_bytes(analysis, source)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for broken packages
        raise ExportError(f"is not a DOCX file that can be annotated ({exc}).", source) from exc

    model = build_report(analysis, decisions, meta)
    author = meta.reviewer or "ContractReview"
    paras = body_paragraphs(document)
    texts = [p.text for p in paras]
    locator = Locator(texts, analysis.document.text)
    anchors: list[CommentAnchor] = []
    unplaced: list[str] = []
    evidence_by_req = {f.requirement_id: f.evidence for f in analysis.findings}

    for item in model.flagged:
        ranges: list[tuple[int, int]] = []
        for ev in evidence_by_req.get(item.requirement_id, ()):
            hit = locator.locate(ev.text, ev.start)
            if hit and hit not in ranges:
                ranges.append(hit)
        if not ranges:
            unplaced.append(item.requirement_id)
            continue
        for first, last in ranges:
            runs = _range_runs(paras, first, last)
            if not runs:
                runs = [paras[first].add_run("")]
            c = _add(document, runs, comment_lines(item), author)
            anchors.append(CommentAnchor(item.requirement_id, c.comment_id, first, last))

    from ._reviewer_marks import reviewer_marks

    marks, reviewer_summary = reviewer_marks(analysis, model, annotations, author)
    for mark in marks:
        hit = locator.locate(mark.quote, mark.start)
        if hit is None:
            reviewer_summary.append(f"{mark.subject}: {' '.join(mark.lines)} (on “{' '.join(mark.quote.split())[:80]}”)")
            continue
        runs, words = _selection_runs(paras, hit[0], hit[1], mark, analysis.document.text)
        c = _add(document, runs, list(mark.lines), mark.author)
        anchors.append(CommentAnchor(mark.requirement_id, c.comment_id, hit[0], hit[1], mark.annotation_id, words))

    if unplaced or model.not_checked or reviewer_summary:
        items = {i.requirement_id: i for i in model.flagged}
        lines = []
        if unplaced:
            lines.append(f"{len(unplaced)} protection(s) the contract does not address in any clause:")
        for rid in unplaced:
            i = items[rid]
            lines.append(
                f"{i.number}. {i.title}: {i.status_label} ({i.severity_label}) — {i.decision_text}"
            )
        lines += not_checked_lines(model)
        lines += reviewer_summary
        lines.append("Not legal advice.")
        target = next((k for k, p in enumerate(paras) if p.text.strip()), 0) if paras else None
        if target is not None:
            runs = _runs(paras[target]) or [paras[target].add_run("")]
            c = _add(document, runs, lines, author)
            anchors.append(CommentAnchor("", c.comment_id, target, target))

    strip_remote_references(document)
    path = write_atomic(Path(dest), save_docx(document), refuse=(source,))
    return path, anchors


def _split_run(run, at: int):  # type: ignore[no-untyped-def]
    """Split a plain text run at character ``at``; returns the right-hand run (same formatting)."""
    import copy

    from docx.text.run import Run

    text = run.text
    right = copy.deepcopy(run._r)
    run._r.addnext(right)
    right_run = Run(right, run._parent)
    run.text = text[:at]
    right_run.text = text[at:]
    return right_run


def _is_plain(run) -> bool:  # type: ignore[no-untyped-def]
    """A run holding only formatting and text (no fields, drawings, tabs or breaks) can be split safely."""
    from docx.oxml.ns import qn

    return all(child.tag in (qn("w:rPr"), qn("w:t")) for child in run._r)


def _selection_runs(paras: list, first: int, last: int, mark, full_text: str):  # type: ignore[no-untyped-def]
    """The runs covering exactly ``mark``'s words in paragraphs ``first``..``last`` (splitting runs at the
    selection's edges where they are plain text), and those words; the whole paragraphs when the words
    cannot be pinned down."""
    from ._reviewer_marks import span_in

    texts = [p.text for p in paras[first : last + 1]]
    joined = "\n".join(texts)
    span = span_in(joined, mark, full_text)
    whole = _range_runs(paras, first, last) or [paras[first].add_run("")]
    if span is None:
        return whole, joined
    # Runs of the range with their offsets in ``joined`` (paragraphs joined by one newline).
    located: list[tuple[int, int, object]] = []
    base = 0
    for k, p in enumerate(paras[first : last + 1]):
        pos = base
        runs = _runs(p)
        if sum(len(r.text) for r in runs) != len(texts[k]):
            return whole, joined  # text outside runs (fields, content controls): keep whole paragraphs
        for r in runs:
            located.append((pos, pos + len(r.text), r))
            pos += len(r.text)
        base += len(texts[k]) + 1
    start, end = span
    chosen = []
    for s0, e0, r in located:
        if e0 <= start or s0 >= end or s0 == e0:
            continue
        if not _is_plain(r):
            chosen.append(r)
            continue
        if s0 < start:
            r = _split_run(r, start - s0)
            s0 = start
        if e0 > end:
            _split_run(r, end - s0)
        chosen.append(r)
    if not chosen:
        return whole, joined
    return chosen, "".join(r.text for r in chosen)


_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def strip_remote_references(document) -> list[str]:  # type: ignore[no-untyped-def]
    """Remove what would make Word reach out to the network when the annotated copy is opened.

    A vendor's DOCX may name a remote template (``w:attachedTemplate`` in the settings part, a known way to
    run code from a server when the file opens), linked pictures, frames or linked objects. The copy we
    hand back keeps clickable hyperlinks (they open only when the reader clicks) and drops every other
    external relationship together with the attributes and elements that point at it. Returns the kinds
    removed ("attachedTemplate", "image", ...).
    """
    removed: list[str] = []
    for part in document.part.package.iter_parts():
        external = {
            rid: rel.reltype.rsplit("/", 1)[-1]
            for rid, rel in part.rels.items()
            if rel.is_external and not rel.reltype.endswith("/hyperlink")
        }
        if not external:
            continue
        element = getattr(part, "_element", None)
        if element is not None:
            for el in list(element.iter()):
                for attr, value in list(el.attrib.items()):
                    if attr.startswith(f"{{{_R_NS}}}") and value in external:
                        parent = el.getparent()
                        if el.tag.endswith("}attachedTemplate") and parent is not None:
                            parent.remove(el)  # the element is nothing but the pointer
                            break
                        del el.attrib[attr]
        for rid, kind in external.items():
            part.rels.pop(rid)
            removed.append(kind)
    return removed


def write_annotated_docx(
    analysis: Analysis,
    decisions: Mapping[str, ReviewDecision],
    meta: ReportMeta,
    source: Path,
    dest: Path,
    annotations: Sequence[Annotation] = (),
) -> Path:
    return annotate_docx(analysis, decisions, meta, source, dest, annotations=annotations)[0]
