"""The stable JSON form of an analysis (schema ``contractreview/analysis-v1``, see docs/analysis-json.md).

Every other tool (exports, the store's hand-over files, batch runs) reads and writes this shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .domain import (
    KEY_TERMS,
    Analysis,
    BBox,
    Block,
    BlockKind,
    Comment,
    Document,
    Evidence,
    Finding,
    Format,
    Furniture,
    KeyTerm,
    KeyTermState,
    Line,
    Page,
    ReviewerStatus,
    Severity,
    Source,
    Status,
    StatusOverride,
    TextAnchor,
    Threshold,
)

SCHEMA = "contractreview/analysis-v1"


def source_citation(source: Source) -> str:
    """Citation as shown to users; unverified sources are labelled so they are never taken as law."""
    return source.citation if source.is_verified else f"{source.citation} (unverified)"


def evidence_to_dict(ev: Evidence, *, boxes: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"text": ev.text, "start": ev.start, "end": ev.end, "page": ev.page, "clause": ev.clause}
    if ev.rule:
        out["rule"] = ev.rule
    if boxes and ev.boxes:
        out["boxes"] = [[p, b.x0, b.top, b.x1, b.bottom] for p, b in ev.boxes]
    return out


def finding_to_dict(f: Finding, *, boxes: bool = False) -> dict[str, Any]:
    return {
        "requirement_id": f.requirement_id,
        "title": f.title,
        "category": f.category,
        "status": f.status.value,
        "severity": f.severity.value,
        "explanation": f.explanation,
        "params": dict(f.params),
        "evidence": [evidence_to_dict(e, boxes=boxes) for e in f.evidence],
        "sources": [source_citation(s) for s in f.sources],
        "suggested_language": f.suggested_language,
        "vendor_question": f.vendor_question,
        "layer": f.layer,
        # Additive to analysis-v1: the calibrated probability that ``status`` is right (docs/model-card.md).
        "confidence": round(float(f.confidence), 3),
        # Additive (issue #16): where a reviewer overrode the status, ``status`` is the reviewer's;
        # ``engine_status`` is what the engine said and ``override`` the reviewer's record.
        **(
            {"engine_status": (f.engine_status or f.status).value, "override": override_to_dict(f.override)}
            if f.override is not None
            else {}
        ),
    }


def anchor_to_dict(a: TextAnchor) -> dict[str, Any]:
    return {"start": a.start, "end": a.end, "quote": a.quote, "quote_sha256": a.quote_sha256}


def anchor_from_dict(d: Mapping[str, Any]) -> TextAnchor:
    return TextAnchor(int(d["start"]), int(d["end"]), str(d["quote"]), str(d.get("quote_sha256") or ""))


def override_to_dict(o: StatusOverride) -> dict[str, Any]:
    return {
        "status": o.status.value,
        "reason": o.reason,
        "evidence": anchor_to_dict(o.evidence) if o.evidence is not None else None,
        "author": o.author,
        "at": o.at,
        "anchor_state": o.anchor_state,
        "in_force": o.in_force,
        "where": o.place,
    }


def override_from_dict(requirement_id: str, d: Mapping[str, Any]) -> StatusOverride:
    ev = d.get("evidence")
    return StatusOverride(
        requirement_id=requirement_id,
        status=ReviewerStatus(d["status"]),
        reason=str(d.get("reason") or ""),
        evidence=anchor_from_dict(ev) if ev else None,
        author=str(d.get("author") or ""),
        at=str(d.get("at") or ""),
        anchor_state=str(d.get("anchor_state") or "anchored"),
        place=str(d.get("where") or ""),
    )


def analysis_to_dict(analysis: Analysis, *, boxes: bool = False) -> dict[str, Any]:
    """The documented ``analysis-v1`` JSON object; ``boxes`` adds highlight rectangles per evidence."""
    doc = analysis.document
    key_terms = {k: analysis.key_terms.get(k) for k in KEY_TERMS}
    return {
        "schema": SCHEMA,
        "tool_version": analysis.tool_version,
        "engine_version": analysis.engine_version,
        "library_version": analysis.library_version,
        "library_fingerprint": analysis.library_fingerprint,
        "grader": analysis.grader,
        "detector": analysis.detector,
        "profile": analysis.profile,
        "document": {
            "path": doc.source_path,
            "sha256": doc.sha256,
            "format": doc.format.value,
            "pages": len(doc.pages),
            "warnings": list(doc.warnings),
        },
        "key_terms": key_terms,
        # Added within analysis-v1 (readers ignore unknown keys): each key term with its event, party,
        # sentence and threshold finding, and whether a reviewer corrected it.
        "key_term_details": [key_term_to_dict(k, boxes=boxes) for k in analysis.key_term_readings],
        "findings": [finding_to_dict(f, boxes=boxes) for f in analysis.findings],
    }


def key_term_to_dict(k: KeyTerm, *, boxes: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": k.name,
        "value": k.value,
        "state": k.state.value,
        "unit": k.unit,
        "event": k.event,
        "party": k.party,
        "wording": k.wording,
        "evidence": evidence_to_dict(k.evidence, boxes=boxes) if k.evidence else None,
        "requirement_id": k.requirement_id,
        "finding": k.finding,
        "venue": k.venue,
        "seat": k.seat,
        "corrected_by_reviewer": k.corrected,
        "threshold": None
        if k.threshold is None
        else {
            "value": k.threshold.value,
            "unit": k.threshold.unit,
            "basis": k.threshold.basis,
            "verified": k.threshold.verified,
            "clock_start": k.threshold.clock_start,
        },
    }
    if k.corrected:
        out.update(
            {"corrected_by": k.corrected_by, "corrected_at": k.corrected_at, "engine_value": k.original_value,
             "note": k.note}
        )
    return out


def key_term_from_dict(d: Mapping[str, Any]) -> KeyTerm:
    ev = d.get("evidence")
    th = d.get("threshold")
    return KeyTerm(
        name=d["name"],
        value=d.get("value"),
        state=KeyTermState(d.get("state", "not_stated")),
        unit=d.get("unit", ""),
        event=d.get("event", ""),
        party=d.get("party", ""),
        wording=d.get("wording", ""),
        evidence=evidence_from_dict(ev) if ev else None,
        requirement_id=d.get("requirement_id", ""),
        finding=d.get("finding", ""),
        venue=d.get("venue", ""),
        seat=d.get("seat", ""),
        corrected_by=d.get("corrected_by", ""),
        corrected_at=d.get("corrected_at", ""),
        original_value=d.get("engine_value"),
        note=d.get("note", ""),
        threshold=None
        if not th
        else Threshold(
            parameter=d["name"] if d["name"] != "breach_notice_clock_start" else "breach_notice_max_hours",
            value=th.get("value"),
            unit=th.get("unit", ""),
            basis=th.get("basis", ""),
            verified=th.get("verified", ""),
            clock_start=th.get("clock_start", ""),
        ),
    )


def _source_from_str(text: str) -> Source:
    if text.endswith(" (unverified)"):
        return Source(citation=text[: -len(" (unverified)")], verified="unverified")
    return Source(citation=text, verified="primary")


def evidence_from_dict(d: Mapping[str, Any]) -> Evidence:
    boxes = tuple((int(b[0]), BBox(*map(float, b[1:5]))) for b in d.get("boxes", ()))
    return Evidence(
        text=d["text"],
        start=int(d["start"]),
        end=int(d["end"]),
        page=int(d.get("page") or 1),
        clause=d.get("clause", ""),
        rule=d.get("rule", ""),
        boxes=boxes,
    )


def finding_from_dict(d: Mapping[str, Any]) -> Finding:
    return Finding(
        requirement_id=d["requirement_id"],
        title=d.get("title", d["requirement_id"]),
        category=d.get("category", ""),
        status=Status(d["status"]),
        severity=Severity(d.get("severity", "medium")),
        explanation=d.get("explanation", ""),
        evidence=tuple(evidence_from_dict(e) for e in d.get("evidence", ())),
        params=dict(d.get("params", {})),
        sources=tuple(_source_from_str(s) for s in d.get("sources", ())),
        suggested_language=d.get("suggested_language", ""),
        vendor_question=d.get("vendor_question", ""),
        layer=d.get("layer", "rules"),
        confidence=float(d.get("confidence", 1.0)),
        engine_status=Status(d["engine_status"]) if d.get("override") and d.get("engine_status") else None,
        override=override_from_dict(d["requirement_id"], d["override"]) if d.get("override") else None,
    )


def analysis_from_dict(data: Mapping[str, Any], *, document: Document | None = None) -> Analysis:
    """Rebuild an ``Analysis``; without ``document`` a text-less stand-in carries the metadata."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} object (schema={data.get('schema')!r})")
    d = data["document"]
    if document is None:
        document = Document(
            source_path=d["path"],
            sha256=d["sha256"],
            format=Format(d["format"]),
            text="",
            pages=tuple(Page(i + 1, 612.0, 792.0) for i in range(int(d.get("pages") or 0))),
            blocks=(),
            warnings=tuple(d.get("warnings", ())),
        )
    return Analysis(
        document=document,
        clauses=(),
        profile=data["profile"],
        library_version=data["library_version"],
        tool_version=data["tool_version"],
        findings=tuple(finding_from_dict(f) for f in data["findings"]),
        key_terms=dict(data.get("key_terms", {})),
        key_term_readings=tuple(key_term_from_dict(k) for k in data.get("key_term_details") or ()),
        engine_version=str(data.get("engine_version") or ""),
        library_fingerprint=str(data.get("library_fingerprint") or ""),
        grader=str(data.get("grader") or ""),
        detector=str(data.get("detector") or ""),
    )


# --------------------------------------------------------------------------- document layout JSON
# The store keeps it beside the text so a saved review reopens with highlights; the forked reader of
# pipeline.py hands a document over in the same form.


def _bbox_list(b: BBox | None) -> list[float] | None:
    return None if b is None else [b.x0, b.top, b.x1, b.bottom]


def _bbox(v: Any) -> BBox | None:
    return None if not v else BBox(*map(float, v))


def layout_to_dict(doc: Document) -> dict[str, Any]:
    """Everything of a Document except its text, so a stored review reopens with highlights."""
    return {
        "pages": [[p.number, p.width, p.height, p.has_text_layer] for p in doc.pages],
        "blocks": [[b.start, b.end, b.page, b.kind.value, _bbox_list(b.bbox), b.style, b.label] for b in doc.blocks],
        "lines": [[ln.start, ln.end, ln.page, _bbox_list(ln.bbox)] for ln in doc.lines],
        "furniture": [[f.text, f.page, f.kind.value, _bbox_list(f.bbox)] for f in doc.furniture],
        "comments": [[c.author, c.text, c.start, c.end] for c in doc.comments],
        "warnings": list(doc.warnings),
        "title": doc.title,
    }


def document_from_layout(
    *, source_path: str, sha256: str, fmt: str, text: str, layout: Mapping[str, Any]
) -> Document:
    return Document(
        source_path=source_path,
        sha256=sha256,
        format=Format(fmt),
        text=text,
        pages=tuple(Page(int(n), float(w), float(h), bool(t)) for n, w, h, t in layout.get("pages", ())),
        blocks=tuple(
            Block(int(s), int(e), int(p), BlockKind(k), _bbox(bb), st, lab)
            for s, e, p, k, bb, st, lab in layout.get("blocks", ())
        ),
        warnings=tuple(layout.get("warnings", ())),
        lines=tuple(
            Line(int(s), int(e), int(p), _bbox(bb) or BBox(0, 0, 0, 0)) for s, e, p, bb in layout.get("lines", ())
        ),
        furniture=tuple(Furniture(t, int(p), BlockKind(k), _bbox(bb)) for t, p, k, bb in layout.get("furniture", ())),
        comments=tuple(Comment(a, t, int(s), int(e)) for a, t, s, e in layout.get("comments", ())),
        title=layout.get("title", ""),
    )
