"""Issue #16: every export uses the reviewer's status where one is set and says so; the annotated DOCX
carries the reviewer's annotations as Word comments on the selected words, the annotated PDF as notes on
the highlighted text. Real ingestion, a real SQLite store, files read back with independent readers."""

from __future__ import annotations

import csv
import ctypes
import importlib.util
import json
from pathlib import Path

import people_exports as P
import pytest

from contractreview.domain import TextAnchor
from contractreview.export import export_annotated, export_change_request, export_portfolio, export_report
from contractreview.ingest import load_document
from contractreview.store import open_store

_spec = importlib.util.spec_from_file_location("export_support", Path(__file__).with_name("test_export_support.py"))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)  # type: ignore[union-attr]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTE_WORDS = "thirty (30) days"
OVERRIDE_EVIDENCE = "provided by the District"
REASON = "Clause 1 binds every recipient of Student Data to this Agreement"


def _anchor(text: str, words: str) -> TextAnchor:
    import re

    m = re.search(r"\s+".join(re.escape(w) for w in words.split()), text)
    assert m, words
    return TextAnchor.of(text, m.start(), m.end())


def _reviewed(src: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The contract ingested for real, stored, annotated and overridden; (analysis, annotations)."""
    doc = load_document(src)
    analysis = S.make_analysis(doc, pdf_path=src if src.suffix == ".pdf" else None)
    sha = doc.sha256
    with open_store(tmp_path / "reviews.sqlite3") as store:
        store.save_analysis(analysis)
        store.add_annotation(sha, _anchor(doc.text, NOTE_WORDS), "Thirty days is fine for us.", author="Rhea Reviewer",
                             requirement_id="deletion_on_request")
        store.set_override(sha, "subprocessor_flowdown", "satisfied", REASON, author="Rhea Reviewer",
                           evidence=_anchor(doc.text, OVERRIDE_EVIDENCE))
        store.set_override(sha, "annual_security_audit", "not_applicable", "No hosting: the tool runs offline.",
                           author="Rhea Reviewer")
        # The engine's status comes back unchanged after re-analysis; the reviewer's is applied on top.
        store.save_analysis(analysis)
        return store.corrected(analysis), store.annotations(sha)


def _comment_ranges(path: Path) -> dict[int, str]:
    """Comment id -> the text between its commentRangeStart and commentRangeEnd, read from the XML."""
    import docx

    body = docx.Document(str(path)).element.body
    open_ids: dict[int, list[str]] = {}
    done: dict[int, str] = {}
    for el in body.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids[int(el.get(f"{W}id"))] = []
        elif el.tag == f"{W}commentRangeEnd":
            cid = int(el.get(f"{W}id"))
            done[cid] = "".join(open_ids.pop(cid, []))
        elif el.tag == f"{W}t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def test_issue_16_annotated_docx_has_the_reviewers_comment_on_the_selected_words(tmp_path: Path) -> None:
    import docx

    src = S.make_docx_contract(tmp_path / "contract.docx")
    analysis, notes = _reviewed(src, tmp_path)
    out = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / "annotated.docx", annotations=notes)
    comments = {c.comment_id: c for c in docx.Document(str(out)).comments}
    ranges = _comment_ranges(out)
    mine = [c for c in comments.values() if "Thirty days is fine for us." in c.text]
    assert len(mine) == 1
    assert mine[0].author == "Rhea Reviewer" and mine[0].initials == "RR"
    assert ranges[mine[0].comment_id] == NOTE_WORDS  # exactly the selection, not the whole paragraph
    assert "Evidence for: Deletion on request" in mine[0].text
    # The override's evidence carries the reviewer's status and reason, beside the engine's comments.
    ov = [c for c in comments.values() if REASON in c.text]
    assert len(ov) == 1 and ranges[ov[0].comment_id] == OVERRIDE_EVIDENCE
    assert "Engine: missing · Reviewer: satisfied" in ov[0].text and ov[0].author == "Rhea Reviewer"
    engine = [c for c in comments.values() if c.text.startswith(S.mark("breach_notification"))]
    assert len(engine) == 1 and engine[0].author == "Dana Reviewer"
    # Not applicable, without evidence: said in the summary comment; no engine internals anywhere.
    all_text = "\n".join(c.text for c in comments.values())
    assert "Engine: missing · Reviewer: not applicable" in all_text
    assert P.internal_hits(all_text, analysis.document.text, ignore=(src.name,)) == []


def _pdf_annotations(path: Path) -> list[dict[str, str]]:
    """Every annotation with its subtype, author, contents and the page text under its rectangle."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def string(annot, key: str) -> str:  # type: ignore[no-untyped-def]
        n = raw.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)
        if n <= 2:
            return ""
        buf = ctypes.create_string_buffer(n)
        raw.FPDFAnnot_GetStringValue(annot, key.encode(), ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), n)
        return buf.raw[: n - 2].decode("utf-16-le")

    out = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, k)
                rect = raw.FS_RECTF()
                raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
                out.append({
                    "subtype": str(raw.FPDFAnnot_GetSubtype(annot)),
                    "author": string(annot, "T"),
                    "contents": string(annot, "Contents"),
                    "under": text.get_text_bounded(rect.left, rect.bottom, rect.right, rect.top),
                    "page": str(i + 1),
                })
                raw.FPDFPage_CloseAnnot(annot)
    finally:
        pdf.close()
    return out


def test_issue_16_annotated_pdf_has_the_reviewers_note_on_the_highlighted_text(tmp_path: Path) -> None:
    import pypdfium2.raw as raw

    src = S.make_pdf_contract(tmp_path / "contract.pdf")
    analysis, notes = _reviewed(src, tmp_path)
    out = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / "annotated.pdf", annotations=notes)
    annots = _pdf_annotations(out)
    mine = [a for a in annots if "Thirty days is fine for us." in a["contents"]]
    assert len(mine) == 1 and mine[0]["subtype"] == str(raw.FPDF_ANNOT_HIGHLIGHT)
    assert mine[0]["author"] == "Rhea Reviewer"
    # The highlight covers the selected words, not the whole line they are on.
    assert " ".join(mine[0]["under"].split()) == " ".join(NOTE_WORDS.split())
    ov = [a for a in annots if REASON in a["contents"]]
    assert len(ov) == 1 and OVERRIDE_EVIDENCE in " ".join(ov[0]["under"].split())
    assert "Engine: missing · Reviewer: satisfied" in ov[0]["contents"]
    # The engine's own highlights are still there.
    assert any(a["contents"].startswith(S.mark("breach_notification")) for a in annots)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md"])
def test_issue_16_gap_summaries_use_the_reviewers_status_and_say_so(tmp_path: Path, fmt: str) -> None:
    src = S.make_docx_contract(tmp_path / "contract.docx")
    analysis, _ = _reviewed(src, tmp_path)
    out = export_report(analysis, S.make_decisions(), S.META, fmt, tmp_path / f"summary.{fmt}")
    text = {"docx": P.docx_text, "pdf": P.pdf_text, "html": P.html_text, "md": lambda p: p.read_text("utf-8")}[fmt](out)
    flat = " ".join(text.split())
    assert "Engine: missing · Reviewer: satisfied" in flat
    assert "Engine: missing · Reviewer: not applicable" in flat
    assert "Not applicable (reviewer)" in flat and "Satisfied (reviewer)" in flat
    assert " ".join(REASON.split()) in flat
    assert P.internal_hits(text, analysis.document.text, ignore=(src.name, src.stem)) == []


def test_issue_16_data_exports_keep_engine_and_reviewer_status(tmp_path: Path) -> None:
    src = S.make_docx_contract(tmp_path / "contract.docx")
    analysis, _ = _reviewed(src, tmp_path)
    data = json.loads(export_report(analysis, {}, S.META, "json", tmp_path / "r.json").read_text("utf-8"))
    sat = {i["requirement_id"]: i for i in data["satisfied"]}
    assert sat["subprocessor_flowdown"]["status"] == "satisfied"
    assert sat["subprocessor_flowdown"]["engine_status"] == "missing"
    assert sat["annual_security_audit"]["reviewer_status"] == "not_applicable"
    assert sat["subprocessor_flowdown"]["override"]["reason"] == REASON
    assert sat["subprocessor_flowdown"]["evidence"][0]["text"] == OVERRIDE_EVIDENCE
    assert all(i["requirement_id"] not in ("subprocessor_flowdown", "annual_security_audit") for i in data["flagged"])
    with open(export_report(analysis, {}, S.META, "csv", tmp_path / "r.csv"), encoding="utf-8-sig") as fh:
        rows = {r["requirement_id"]: r for r in csv.DictReader(fh)}
    assert (rows["subprocessor_flowdown"]["status"], rows["subprocessor_flowdown"]["engine_status"]) == (
        "satisfied", "missing")
    assert rows["annual_security_audit"]["status"] == "not_applicable"
    assert REASON in rows["subprocessor_flowdown"]["reviewer_override"]
    assert rows["breach_notification"]["reviewer_override"] == rows["breach_notification"]["engine_status"] == ""
    with open(export_portfolio([(analysis, {})], tmp_path / "p.csv"), encoding="utf-8-sig") as fh:
        prow = {r["requirement_id"]: r for r in csv.DictReader(fh)}
    assert (prow["subprocessor_flowdown"]["status"], prow["subprocessor_flowdown"]["engine_status"]) == (
        "satisfied", "missing")
    assert prow["annual_security_audit"]["status"] == "not_applicable"
    assert prow["breach_notification"]["engine_status"] == prow["breach_notification"]["reviewer_override"] == ""


def test_issue_16_change_request_does_not_ask_for_what_the_reviewer_found(tmp_path: Path) -> None:
    src = S.make_docx_contract(tmp_path / "contract.docx")
    analysis, _ = _reviewed(src, tmp_path)
    text = P.docx_text(export_change_request(analysis, {}, S.META, tmp_path / "cr.docx"))
    assert "Subprocessors bound by the same terms" not in text and "Annual security audit" not in text
    assert "Breach notification to the district" in text


@pytest.mark.parametrize(
    "words",
    [
        "7.1 Deletion. Upon",  # across the bold number run and the text run
        "confirmed security breach",  # inside a table cell
        "Student Data",  # repeated in three clauses: the occurrence the reviewer selected
        "breach",  # twice in one paragraph (a table cell): the second one
    ],
)
def test_issue_16_docx_comment_covers_exactly_the_selection_and_keeps_the_text(tmp_path: Path, words: str) -> None:
    import docx

    src = S.make_docx_contract(tmp_path / "contract.docx")
    doc = load_document(src)
    analysis = S.make_analysis(doc)
    hits = [i for i in range(len(doc.text)) if doc.text.startswith(words, i)]
    start = {"Student Data": hits[-1], "breach": hits[-1]}.get(words, hits[0])
    with open_store(tmp_path / "r.sqlite3") as store:
        store.save_analysis(analysis)
        store.add_annotation(doc.sha256, TextAnchor.of(doc.text, start, start + len(words)), "see this", author="Rhea")
        notes = store.annotations(doc.sha256)
    out = export_annotated(analysis, {}, S.META, src, tmp_path / "a.docx", annotations=notes)
    comment = next(c for c in docx.Document(str(out)).comments if "see this" in c.text)
    assert " ".join(_comment_ranges(out)[comment.comment_id].split()) == words
    from contractreview.export.annotated_docx import body_paragraphs

    holder = [p for p in body_paragraphs(docx.Document(str(out)))
              if any(int(e.get(f"{W}id")) == comment.comment_id for e in p._p.iter(f"{W}commentRangeStart"))]
    assert len(holder) == 1
    if words == "Student Data":  # the last of three, in clause 7.1
        assert holder[0].text.startswith("7.1 Deletion")
    if words == "breach":  # the words after the comment's range are the end of the paragraph
        import re

        xml = holder[0]._p.xml
        after = xml[xml.index(f'commentRangeEnd w:id="{comment.comment_id}"'):]
        assert "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", after)).strip() == "."
    # Splitting runs changes no text: every paragraph reads as before.
    before = [p.text for p in docx.Document(str(src)).paragraphs]
    assert [p.text for p in docx.Document(str(out)).paragraphs] == before


def test_issue_16_at_a_glance_counts_not_applicable_on_its_own_row(tmp_path: Path) -> None:
    """A requirement the reviewer ruled not applicable is no gap and no protection in place: its own row."""
    from contractreview.export.model import build_report

    src = S.make_docx_contract(tmp_path / "contract.docx")
    analysis, _ = _reviewed(src, tmp_path)
    model = build_report(analysis, S.make_decisions(), S.META)
    header, rows = model.count_rows()
    by_status = {r[0]: int(r[-1]) for r in rows}
    assert by_status["Not applicable (reviewer)"] == 1
    engine_satisfied = sum(f.status.value == "satisfied" for f in analysis.findings)
    assert by_status["Satisfied"] == engine_satisfied - 1  # the ruled-out one is not "in place"
    assert by_status["Total"] == len(analysis.findings)
    assert "The reviewer ruled 1 not applicable to this contract." in model.summary_sentence
