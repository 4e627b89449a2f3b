"""Annotated contracts, change request and portfolio (issue #6), read back independently."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from contractreview.domain import Decision, ReviewDecision
from contractreview.errors import ExportError
from contractreview.export import export_annotated, export_change_request, export_portfolio, export_report

_spec = importlib.util.spec_from_file_location(
    "export_support", Path(__file__).with_name("test_export_support.py")
)
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)  # type: ignore[union-attr]

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture()
def docx_case(tmp_path):
    src = S.make_docx_contract(tmp_path / "contract.docx")
    return src, S.make_analysis(S.docx_document(src))


@pytest.fixture()
def pdf_case(tmp_path):
    src = S.make_pdf_contract(tmp_path / "contract.pdf")
    return src, S.make_analysis(S.pdf_document(src), pdf_path=src)


def _anchored_ids(paragraph) -> set[int]:
    return {int(e.get(f"{W_NS}id")) for e in paragraph._p.iter(f"{W_NS}commentRangeStart")}


@pytest.mark.parametrize("with_offsets", [True, False])
def test_export_annotated_docx_comments_on_flagged_paragraphs(docx_case, tmp_path, with_offsets) -> None:
    import docx

    from contractreview.export.annotated_docx import body_paragraphs

    src, analysis = docx_case
    if not with_offsets:  # a review rebuilt from the store carries no contract text
        analysis = dataclasses.replace(analysis, document=dataclasses.replace(analysis.document, text=""))
    before = S.sha256(src)
    out = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / "annotated.docx")
    assert S.sha256(src) == before
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600

    d = docx.Document(str(out))
    comments = {c.comment_id: c for c in d.comments}
    paras = body_paragraphs(d)
    flagged_with_text = {
        "breach_notification": "notify the District of a confirmed security breach",
        "deidentified_data_use": "may use de-identified Student Data",
    }
    for rid, phrase in flagged_with_text.items():
        mine = [c for c in comments.values() if c.text.startswith(S.mark(rid))]
        assert len(mine) == 1, rid
        c = mine[0]
        assert c.author == "Dana Reviewer" and c.initials == "DR"
        holders = [p for p in paras if c.comment_id in _anchored_ids(p)]
        assert len(holders) == 1 and phrase in holders[0].text
    # the breach clause sits in a table cell; its comment carries the reviewer's note and decision
    breach = next(c for c in comments.values() if c.text.startswith(S.mark("breach_notification")))
    assert "Ask for 72 hours" in breach.text and "Needs negotiation" in breach.text
    assert "evidence changed since decision" in breach.text
    # satisfied requirement: no comment; missing ones: listed in one summary comment on the first paragraph
    assert not [c for c in comments.values() if c.text.startswith(S.mark("deletion_on_request"))]
    summary = [c for c in comments.values() if "does not address in any clause" in c.text]
    assert (
        len(summary) == 1
        and "Subprocessors bound" in summary[0].text
        and "Annual security audit" in summary[0].text
    )
    assert summary[0].comment_id in _anchored_ids(paras[0])
    assert len(comments) == 3
    # the body text is unchanged
    assert [p.text for p in paras] == [p.text for p in body_paragraphs(docx.Document(str(src)))]
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" in z.namelist()


def test_export_annotated_pdf_highlights_on_right_pages(pdf_case, tmp_path) -> None:
    import pdfplumber
    from pypdf import PdfReader

    src, analysis = pdf_case
    before = S.sha256(src)
    out = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / "annotated.pdf")
    assert S.sha256(src) == before
    reader = PdfReader(str(out))
    found: dict[str, list[tuple[int, list[float]]]] = {}
    popups = 0
    notes = []
    for pno, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a["/Subtype"] == "/Highlight":
                rid = next(r for r in S.FLAGGED_IDS if str(a["/Contents"]).startswith(S.mark(r)))
                found.setdefault(rid, []).append((pno, [float(v) for v in a["/Rect"]]))
                assert a["/T"] == "Dana Reviewer"
                assert len(a["/QuadPoints"]) % 8 == 0 and "/Popup" in a
            elif a["/Subtype"] == "/Popup":
                popups += 1
            elif a["/Subtype"] == "/Text":
                notes.append(str(a["/Contents"]))
    assert set(found) == {"breach_notification", "deidentified_data_use"}
    assert popups == sum(len(v) for v in found.values())
    assert len(notes) == 1 and "Subprocessors bound" in notes[0]
    phrases = {
        "breach_notification": "notify the District of a confirmed security breach",
        "deidentified_data_use": "may use de-identified Student Data",
    }
    with pdfplumber.open(str(src)) as pdf:
        for rid, hits in found.items():
            # independent check: the words of the phrase, located by pdfplumber, lie under the highlight
            words = phrases[rid].split()
            for pno, page in enumerate(pdf.pages, 1):
                text_words = page.extract_words()
                seq = [w["text"] for w in text_words]
                for i in range(len(seq) - len(words) + 1):
                    if seq[i : i + len(words)] == words:
                        first = text_words[i]
                        x0, y0, x1, y1 = next(r for p, r in hits if p == pno)
                        cx = (first["x0"] + first["x1"]) / 2
                        cy = float(page.height) - (first["top"] + first["bottom"]) / 2
                        assert x0 <= cx <= x1 and y0 <= cy <= y1, rid
                        break
                else:
                    continue
                assert pno == (2 if rid == "breach_notification" else 1)
                break
            else:
                raise AssertionError(f"{rid} phrase not found in the source")


def test_export_annotated_pdf_searches_when_boxes_are_absent(pdf_case, tmp_path) -> None:
    from pypdf import PdfReader

    src, analysis = pdf_case
    stripped = tuple(
        dataclasses.replace(f, evidence=tuple(dataclasses.replace(e, boxes=()) for e in f.evidence))
        for f in analysis.findings
    )
    doc = dataclasses.replace(analysis.document, text="", lines=(), blocks=())
    a = dataclasses.replace(analysis, findings=stripped, document=doc)
    out = export_annotated(a, {}, S.META, src, tmp_path / "searched.pdf")
    pages = {
        pno: [r.get_object()["/Subtype"] for r in (p.get("/Annots") or [])]
        for pno, p in enumerate(PdfReader(str(out)).pages, 1)
    }
    assert pages[1].count("/Highlight") == 1 and pages[2].count("/Highlight") == 1

    # The quote found by searching the page (pypdfium2, #21) is highlighted where the ingester's boxes put
    # it: same page, same lines, rectangles within a few points.
    def rects(path: Path) -> dict[int, list[list[float]]]:
        return {
            pno: [
                [float(v) for v in r.get_object()["/Rect"]]
                for r in (p.get("/Annots") or [])
                if r.get_object()["/Subtype"] == "/Highlight"
            ]
            for pno, p in enumerate(PdfReader(str(path)).pages, 1)
        }

    boxed = rects(export_annotated(analysis, {}, S.META, src, tmp_path / "boxed.pdf"))
    searched = rects(out)
    assert set(searched) == set(boxed)
    for pno, page_rects in searched.items():
        assert len(page_rects) == len(boxed[pno])
        for got, want in zip(page_rects, boxed[pno], strict=True):
            assert all(abs(g - w) <= 4.0 for g, w in zip(got, want, strict=True)), (pno, got, want)


def test_export_annotated_refuses_to_overwrite_the_original_and_other_formats(docx_case, tmp_path) -> None:
    src, analysis = docx_case
    before = S.sha256(src)
    with pytest.raises(ExportError, match="original"):
        export_annotated(analysis, {}, S.META, src, src)
    assert S.sha256(src) == before
    txt = tmp_path / "contract.txt"
    txt.write_text("plain")
    with pytest.raises(ExportError, match=r"contract\.txt"):
        export_annotated(analysis, {}, S.META, txt, tmp_path / "x.txt")


def test_export_change_request_lists_open_items(pdf_case, tmp_path) -> None:
    import docx

    _, analysis = pdf_case
    decisions = S.make_decisions()
    decisions["deidentified_data_use"] = ReviewDecision(
        "deidentified_data_use", Decision.ACCEPT, reviewer="Dana"
    )
    out = export_change_request(analysis, decisions, S.META, tmp_path / "request.docx")
    d = docx.Document(str(out))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    # waived (audit) and accepted (de-identified use) are settled; severity order otherwise
    assert heads == ["1. Subprocessors bound by the same terms", "2. Breach notification to the district"]
    body = "\n".join(p.text for p in d.paragraphs)
    quote = analysis.finding("breach_notification").evidence[0].text
    assert quote.replace("\n", " ") in [p.text for p in d.paragraphs]
    # "The Vendor" of the library text becomes the contract's own "the Vendor" (used, capitalised, throughout).
    assert "The Vendor shall comply with breach notification to the district & related <obligations>." in body
    assert "Q1. Will you agree to subprocessors bound by the same terms?" in body
    assert "Not legal advice" in body and "does not address this" in body


def test_export_portfolio_rows_are_contracts_by_requirements(pdf_case, docx_case, tmp_path) -> None:
    _, a1 = pdf_case
    _, a2 = docx_case
    out = export_portfolio([(a1, S.make_decisions()), (a2, {})], tmp_path / "portfolio.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(a1.findings) + len(a2.findings)
    assert {r["document"] for r in rows} == {"contract.pdf", "contract.docx"}
    cell = {(r["document"], r["requirement_id"]): r for r in rows}
    assert cell[("contract.pdf", "breach_notification")]["decision"] == "needs_negotiation"
    assert cell[("contract.docx", "breach_notification")]["decision"] == ""
    assert cell[("contract.pdf", "breach_notification")]["page"] == "2"
    assert cell[("contract.docx", "subprocessor_flowdown")]["status"] == "missing"



def test_issue_13_portfolio_rows_carry_engine_and_library_fingerprint(pdf_case, tmp_path) -> None:
    import dataclasses

    _, a1 = pdf_case
    a1 = dataclasses.replace(a1, engine_version="rules-1", library_fingerprint="f" * 64)
    out = export_portfolio([(a1, {})], tmp_path / "portfolio.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["engine_version"], r["library_fingerprint"]) for r in rows} == {("rules-1", "f" * 64)}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_export_pdf_first_pages_render(pdf_case, tmp_path) -> None:
    from PIL import Image

    src, analysis = pdf_case
    report = export_report(analysis, S.make_decisions(), S.META, "pdf", tmp_path / "gap.pdf")
    annotated = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / "annotated.pdf")
    for pdf, stem in ((report, "report"), (annotated, "annotated")):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / stem)],
            check=True,
            timeout=60,
        )
    img = Image.open(next(tmp_path.glob("report-1.png"))).convert("RGB")
    assert len(img.getcolors(1 << 20) or []) > 2  # text and table shading, not a blank page
    # the annotated page 2 shows the highlight colour (yellow-ish for a weak finding) somewhere
    page2 = Image.open(next(tmp_path.glob("annotated-2.png"))).convert("RGB")
    assert any(r > 200 and g > 150 and b < 120 for _, (r, g, b) in page2.getcolors(1 << 20))


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_export_annotated_with_the_real_ingester(tmp_path, kind) -> None:
    """Offsets and boxes as the project's own ingest produces them, not this module's builders."""
    import docx
    from pypdf import PdfReader

    ingest = pytest.importorskip("contractreview.ingest")
    if kind == "pdf":
        src = S.make_pdf_contract(tmp_path / "contract.pdf")
    else:
        src = S.make_docx_contract(tmp_path / "contract.docx")
    document = ingest.load_document(src)
    analysis = S.make_analysis(document, document_boxes=True)
    out = export_annotated(analysis, S.make_decisions(), S.META, src, tmp_path / f"annotated.{kind}")
    if kind == "pdf":
        pages = {
            pno: [
                str(a.get_object().get("/Contents", ""))
                for a in (p.get("/Annots") or [])
                if a.get_object()["/Subtype"] == "/Highlight"
            ]
            for pno, p in enumerate(PdfReader(str(out)).pages, 1)
        }
        assert [c for c in pages[1] if c.startswith(S.mark("deidentified_data_use"))] and not [
            c for c in pages[1] if c.startswith(S.mark("breach_notification"))
        ]
        assert [c for c in pages[2] if c.startswith(S.mark("breach_notification"))]
    else:
        from contractreview.export.annotated_docx import body_paragraphs

        d = docx.Document(str(out))
        paras = body_paragraphs(d)
        for c in d.comments:
            for rid, phrase in (
                ("breach_notification", "confirmed security breach"),
                ("deidentified_data_use", "de-identified"),
            ):
                if c.text.startswith(S.mark(rid)):
                    assert [p for p in paras if c.comment_id in _anchored_ids(p) and phrase in p.text]
        assert len(list(d.comments)) == 3


def test_export_annotated_pdf_has_appearance_streams(pdf_case, tmp_path) -> None:
    from pypdf import PdfReader

    src, analysis = pdf_case
    out = export_annotated(analysis, {}, S.META, src, tmp_path / "ap.pdf")
    highlights = [
        a.get_object()
        for p in PdfReader(str(out)).pages
        for a in (p.get("/Annots") or [])
        if a.get_object()["/Subtype"] == "/Highlight"
    ]
    assert highlights
    for h in highlights:
        stream = h["/AP"]["/N"].get_object()
        data = stream.get_data().decode("ascii")
        # one filled rectangle per quad (4 points = 8 numbers per line box)
        assert data.count(" re f") == len(h["/QuadPoints"]) // 8
        assert stream["/Resources"]["/ExtGState"]["/GS0"]["/BM"] == "/Multiply"


def _analysed_as(analysis, path):  # type: ignore[no-untyped-def]
    """The analysis of a file that differs from the fixture only outside its text (scripts, a password):
    exports check the file's SHA-256 against the analysed document (#19)."""
    import dataclasses

    return dataclasses.replace(analysis, document=dataclasses.replace(analysis.document, sha256=S.sha256(path)))


def test_export_annotated_pdf_keeps_the_original_password(pdf_case, tmp_path) -> None:
    from pypdf import PdfReader, PdfWriter

    from contractreview.export.annotated_pdf import annotate_pdf

    src, analysis = pdf_case
    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=PdfReader(str(src)))
    w.encrypt(user_password="s3cret", algorithm="AES-256")
    w.write(str(locked))
    analysis = _analysed_as(analysis, locked)
    with pytest.raises(ExportError, match=r"locked\.pdf.*password"):
        export_annotated(analysis, {}, S.META, locked, tmp_path / "x.pdf")
    out, placed = annotate_pdf(
        analysis, {}, S.META, locked, tmp_path / "annotated-locked.pdf", password="s3cret"
    )
    assert placed
    r = PdfReader(str(out))
    assert r.is_encrypted and r.decrypt("s3cret")
    kinds = [a.get_object()["/Subtype"] for p in r.pages for a in (p.get("/Annots") or [])]
    assert kinds.count("/Highlight") == len(placed)


def test_export_locator_picks_the_right_repeated_paragraph() -> None:
    from contractreview.export._locate import Locator

    paras = ["Intro", "The Vendor shall delete data.", "Other text", "The Vendor shall delete data.", "End"]
    # the ingester prefixed numbering labels the file holds as list numbering, not as text
    full = "Intro\n1.1 The Vendor shall delete data.\nOther text\n1.2 The Vendor shall delete data.\nEnd"
    loc = Locator(paras, full)
    second = full.index("1.2 The Vendor")
    assert loc.locate("1.2 The Vendor shall delete data.", second) == (3, 3)
    assert loc.locate("1.1 The Vendor shall delete data.", full.index("1.1")) == (1, 1)
    assert loc.locate("Other text\n1.2 The Vendor shall", full.index("Other")) == (2, 3)
    assert loc.locate("nothing like this here", 0) is None
    assert Locator(paras).locate("the vendor SHALL delete") == (1, 1)  # no text: first occurrence


def test_export_annotated_pdf_notes_decode_in_pdfplumber(pdf_case, tmp_path) -> None:
    """Regression: non-ASCII notes ("—", "é") were written in PDFDocEncoding, and pdfplumber's
    annotation parser raised UnicodeDecodeError on the annotated copy of a real CUAD contract."""
    import pdfplumber

    src, analysis = pdf_case
    meta = dataclasses.replace(S.META, reviewer="José Núñez — Legal")
    out = export_annotated(analysis, S.make_decisions(), meta, src, tmp_path / "accents.pdf")
    with pdfplumber.open(str(out)) as pdf:
        annots = [a for page in pdf.pages for a in page.annots]
    highlights = [a for a in annots if a["data"].get("Subtype") and a["data"]["Subtype"].name == "Highlight"]
    assert highlights
    for a in highlights:
        assert a["title"] == "José Núñez — Legal"
        assert "severity)" in (a["contents"] or "")
    notes = [a for a in annots if a["data"]["Subtype"].name == "Text"]
    assert notes and "—" in notes[0]["contents"]


def test_export_annotated_pdf_drops_the_vendors_javascript(pdf_case, tmp_path) -> None:
    """Issue #7: a vendor PDF with document JavaScript and an auto-run action gave an annotated copy
    still carrying both; the copy keeps pages and highlights but no scripts, and (#19) no attachments."""
    import docgen
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    src, analysis = pdf_case
    js = docgen.add_javascript_and_attachment(src, tmp_path / "scripted.pdf")
    w = PdfWriter(clone_from=PdfReader(str(js)))
    w._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    w.pages[0][NameObject("/AA")] = DictionaryObject()
    with open(js, "wb") as fh:
        w.write(fh)
    before = S.sha256(js)
    analysis = _analysed_as(analysis, js)
    root_in = PdfReader(str(js)).trailer["/Root"]
    assert "/JavaScript" in root_in["/Names"] and "/OpenAction" in root_in
    assert "/EmbeddedFiles" in root_in["/Names"]
    out = export_annotated(analysis, {}, S.META, js, tmp_path / "clean.pdf")
    assert S.sha256(js) == before
    reader = PdfReader(str(out))
    root = reader.trailer["/Root"]
    assert "/JavaScript" not in root.get("/Names", {}) and "/OpenAction" not in root and "/AA" not in root
    assert all("/AA" not in p for p in reader.pages)
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert b"app.alert" not in out.read_bytes()
    assert sum(1 for p in reader.pages for a in (p.get("/Annots") or []) if a.get_object()["/Subtype"] == "/Highlight") == 2


def test_export_annotated_docx_drops_remote_template_and_linked_pictures(docx_case, tmp_path) -> None:
    """Issue #7 follow-up: an annotated copy kept the vendor's remote template (fetched by Word when the file
    opens) and linked pictures; the copy keeps hyperlinks and comments but nothing that reaches out."""
    import base64

    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    src, analysis = docx_case
    d = docx.Document(str(src))
    rt = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    settings = d.part._settings_part
    tid = settings.rels.get_or_add_ext_rel(rt + "attachedTemplate", "http://template.invalid/t.dotm")
    etree.SubElement(settings.element, qn("w:attachedTemplate")).set(qn("r:id"), tid)
    png = tmp_path / "dot.png"
    png.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
    )
    d.paragraphs[0].add_run().add_picture(str(png))
    blip = next(d.element.body.iter(qn("a:blip")))
    lid = d.part.rels.get_or_add_ext_rel(rt + "image", "http://pictures.invalid/p.png")
    blip.set(qn("r:link"), lid)
    d.part.rels.get_or_add_ext_rel(rt + "hyperlink", "https://vendor.invalid/terms")
    remote = tmp_path / "remote.docx"
    d.save(str(remote))
    analysis = _analysed_as(analysis, remote)

    out = export_annotated(analysis, S.make_decisions(), S.META, remote, tmp_path / "annotated.docx")
    with zipfile.ZipFile(out) as z:
        rels = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels"))
        body = z.read("word/document.xml").decode("utf-8") + z.read("word/settings.xml").decode("utf-8")
    assert "template.invalid" not in rels and "pictures.invalid" not in rels
    assert "vendor.invalid" in rels  # a hyperlink opens only when the reader clicks it
    assert "attachedTemplate" not in body and f'r:link="{lid}"' not in body
    back = docx.Document(str(out))
    assert len(back.comments) > 0
