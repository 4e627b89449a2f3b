"""Issue #18: exports a district can send as they are.

Each test reads the export back with an independent reader (python-docx, pypdfium2, html.parser, pypdf)
and fails on the exports before issue #18: rule ids and engine words in people-facing documents, stock
"Vendor"/"District"/"Student Data" in the change request, invented DOCX pages, labels of the wrong
clause, 12-digit digests, no "page X of Y".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest

from contractreview.domain import Decision, ReportMeta, ReviewDecision, Status

pytest.importorskip("contractreview.engine.run")

_spec = importlib.util.spec_from_file_location("people_exports", Path(__file__).with_name("people_exports.py"))
P = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(P)  # type: ignore[union-attr]

META = ReportMeta(reviewer="Sam Reviewer", date="2026-12-03")

# A small contract written for these tests: parties and data with their own defined names, a definition
# section, bold headings over bare "(a)"/"(b)" items, and an attachment whose heading opens a paragraph.
PREAMBLE = (
    'This Data Sharing Agreement is made between the Lakeside Public Schools ("LPS") and Acme Learning '
    'LLC ("Acme"), a provider of reading software.'
)
DEFINITIONS = [
    '"Confidential Data" means all information about students that LPS provides to Acme or that Acme '
    "collects through the service.",
]
SECTIONS = [
    ("Data Security", [
        "(a) Acme shall encrypt Confidential Data in transit and at rest.",
        "(b) Acme may use commercially reasonable safeguards where feasible to protect Confidential Data.",
    ]),
    ("Security Incidents", [
        "(a) Acme will notify LPS of a confirmed security breach affecting Confidential Data without undue delay.",
    ]),
    ("Deletion", [
        "(a) Upon written request of LPS, Acme shall delete the Confidential Data within thirty (30) days.",
    ]),
]
ATTACHMENT = "ATTACHMENT B Acme shall not sell Confidential Data or use it for targeted advertising."


def make_pdf(path: Path) -> Path:
    """Bold, unnumbered headings (the PDF reader marks them as headings) over bare (a)/(b) items."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    ss = getSampleStyleSheet()
    body = ss["BodyText"]
    bold = ParagraphStyle("B", parent=body, fontName="Helvetica-Bold", spaceBefore=8)
    story = [Paragraph("DATA SHARING AGREEMENT", bold), Paragraph(PREAMBLE, body)]
    story.append(Paragraph("Definitions", bold))
    story += [Paragraph(d, body) for d in DEFINITIONS]
    for head, items in SECTIONS:
        story.append(Paragraph(head, bold))
        story += [Paragraph(t, body) for t in items]
    story.append(Paragraph(ATTACHMENT, body))
    SimpleDocTemplate(str(path), invariant=1).build(story)
    return path


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph().add_run("DATA SHARING AGREEMENT").bold = True
    d.add_paragraph(PREAMBLE)
    d.add_paragraph().add_run("Definitions").bold = True
    for t in DEFINITIONS:
        d.add_paragraph(t)
    for head, items in SECTIONS:
        d.add_heading(head, level=2)
        for t in items:
            d.add_paragraph(t)
    d.add_paragraph(ATTACHMENT)
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled sample, analysed by the real engine (its explanations name rules)."""
    from contractreview.paths import sample_contract
    from contractreview.pipeline import review

    path = sample_contract("pdf")
    if not path.is_file():
        pytest.skip("bundled sample contract missing")
    return path, review(path), tmp_path_factory.mktemp("people")


@pytest.fixture(scope="module", params=["pdf", "docx"])
def own(request, tmp_path_factory):
    from contractreview.pipeline import review

    d = tmp_path_factory.mktemp(f"own-{request.param}")
    src = make_pdf(d / "lakeside.pdf") if request.param == "pdf" else make_docx(d / "lakeside.docx")
    return src, review(src), d


# ------------------------------------------------------------------ 1. two registers


def test_issue_18_people_facing_exports_carry_no_engine_internals(sample) -> None:
    path, analysis, out = sample
    assert any(e.rule for f in analysis.findings for e in f.evidence), "the engine names rules"
    decisions = {
        f.requirement_id: ReviewDecision(f.requirement_id, Decision.NEEDS_NEGOTIATION, reviewer="Sam")
        for f in analysis.findings[:3]
    }
    texts = P.write_people_exports(analysis, decisions, META, out, source=path)
    assert set(texts) == {"gap.docx", "gap.pdf", "gap.html", "gap.md", "request.docx", "annotated"}
    names = (path.name, path.stem)
    for name, text in texts.items():
        assert P.internal_hits(text, ignore=names) == [], name
        # Every flagged finding still says why, in words.
        assert "The contract has no clause that addresses this protection." in text or name in (
            "annotated",
            "request.docx",
        )
    assert "The wording falls short" in texts["gap.docx"]
    assert "The wording falls short" in texts["annotated"]


def test_issue_18_rule_ids_stay_in_the_data_exports(sample, tmp_path) -> None:
    from contractreview.export import export_report

    _, analysis, _ = sample
    data = json.loads(export_report(analysis, {}, META, "json", tmp_path / "r.json").read_text(encoding="utf-8"))
    flagged = [f for f in data["flagged"] if f["evidence"]]
    assert any("(rule " in f["explanation"] for f in flagged)  # the engine's own explanation, verbatim
    assert all(f["reason"] and not P.internal_hits(f["reason"]) for f in data["flagged"])
    csv_text = export_report(analysis, {}, META, "csv", tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "requirement_id" in csv_text and "(rule " in csv_text


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md"])
def test_issue_18_technical_appendix_only_when_asked(sample, tmp_path, fmt) -> None:
    from contractreview.export import export_report

    _, analysis, _ = sample
    read = {"docx": P.docx_text, "pdf": P.pdf_text, "html": P.html_text, "md": lambda p: p.read_text("utf-8")}[fmt]
    plain = read(export_report(analysis, {}, META, fmt, tmp_path / f"plain.{fmt}"))
    names = (analysis.document.name, Path(analysis.document.name).stem)
    assert "Technical appendix" not in plain and not P.internal_hits(plain, ignore=names)
    tech_meta = dataclasses.replace(META, technical_appendix=True)
    tech = read(export_report(analysis, {}, tech_meta, fmt, tmp_path / f"tech.{fmt}"))
    head, _, appendix = tech.partition("Technical appendix (for the review team)")
    assert appendix, "the appendix is there when asked for"
    assert not P.internal_hits(head, ignore=names)  # the body is unchanged
    flagged = [f for f in analysis.findings if f.status.is_flag]
    assert flagged[0].requirement_id in " ".join(appendix.split())
    assert "Rules that fired" in appendix


def test_issue_18_cli_technical_appendix_flag(sample, tmp_path) -> None:
    from contractreview.cli import main

    path, _, _ = sample
    out = tmp_path / "cli.md"
    assert main(["export", str(path), "-o", str(out), "--technical-appendix"]) == 0
    assert "Technical appendix" in out.read_text(encoding="utf-8")
    out2 = tmp_path / "cli2.md"
    assert main(["export", str(path), "-o", str(out2)]) == 0
    assert not P.internal_hits(out2.read_text(encoding="utf-8"), ignore=(path.name, path.stem))


def test_issue_18_plain_reason_reads_old_explanations() -> None:
    from contractreview.domain import Finding, Severity
    from contractreview.plain import plain_reason

    old = Finding(
        "school_official_designation",
        "School official designation",
        "governance",
        Status.WEAK,
        Severity.HIGH,
        'School official designation: clause 2, page 5 (rule school_official_designation.cue.at_the_direction_of) '
        'says "…". Weak: it uses weak wording ("2"); it is hedged ("may"); the contract allows 720 hours '
        '("thirty days"); the ny profile requires at most 168 hours (8 NYCRR 121.10(a)).',
    )
    text = plain_reason(old, "New York (Education Law 2-d)")
    assert not P.internal_hits(text), text
    assert 'hedged ("may")' in text and "New York (Education Law 2-d) requires at most 168 hours" in text
    assert '("2")' not in text
    missing = dataclasses.replace(old, status=Status.MISSING, explanation="x: not found (no cue of the clause library matched).")
    assert plain_reason(missing) == "The contract has no clause that addresses this protection."


def test_issue_18_markdown_keeps_ampersands_readable(sample, tmp_path) -> None:
    from contractreview.export import export_report

    _, analysis, _ = sample
    md = export_report(analysis, {}, META, "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert "B&P" in md and "&amp;" not in md


# ------------------------------------------------------------------ 2. the contract's own vocabulary


def test_issue_18_detects_defined_parties_and_data_term(own) -> None:
    from contractreview.vocabulary import detect_terms

    _, analysis, _ = own
    t = detect_terms(analysis.document)
    assert (t.vendor, t.school, t.data) == ("Acme", "LPS", "Confidential Data")
    assert t.vendor_name == "Acme Learning LLC" and t.school_name == "the Lakeside Public Schools"


@pytest.mark.parametrize(
    "text, expected",
    [
        ('between Northfield School District ("District") and Quill Inc. ("Provider"). "Student Data" means x.',
         ("Provider", "District", "Student Data")),
        ('This DPA is between Tern Corp. ("Company") and the customer ("Customer"). "Customer Data" means x. '
         "Customer Data Customer Data", ("Company", "Customer", "Customer Data")),
        ('Agreement between Bay Unified ("BUSD") and Owl LLC ("Owl"). "Personal Information" means data.',
         ("Owl", "BUSD", "Personal Information")),
        ("An agreement with no defined names at all.", ("", "", "")),
        # Defined as "District" but called by its initials throughout; a company's state description skipped.
        ('between the Harbor City Unified School District (hereinafter "District") and Tern Inc., a Delaware '
         'corporation ("Tern"). HCUSD may audit. HCUSD owns the data. Tern shall report to HCUSD.',
         ("Tern", "HCUSD", "")),
        # The buyer's role noun is the school's place even when the buyer is a company.
        ('by and between Acme Mortgage, Inc. ("Client"), with an address in Irvine and HostCo, Inc. ("HostCo").',
         ("HostCo", "Client", "")),
    ],
)
def test_issue_18_detect_terms_variants(text, expected) -> None:
    from contractreview.domain import Document, Format
    from contractreview.vocabulary import detect_terms

    t = detect_terms(Document("x.txt", "0", Format.TXT, text, (), ()))
    assert (t.vendor.removeprefix("the "), t.school.removeprefix("the "), t.data) == expected


def test_issue_18_neutral_words_when_nothing_is_defined() -> None:
    from contractreview.vocabulary import ContractTerms, apply_terms

    s = "Vendor shall notify District of any breach involving Student Data after Vendor or any Subprocessor learns of it."
    assert apply_terms(s, ContractTerms()) == (
        "The vendor shall notify the district of any breach involving student data after the vendor or any "
        "subprocessor learns of it."
    )
    named = apply_terms(s, ContractTerms(vendor="Acme", school="LPS", data="Confidential Data"))
    assert named.startswith("Acme shall notify LPS of any breach involving Confidential Data after Acme")


def _proposed(path: Path) -> str:
    """The change request's own words: proposed language and the questions (not the quoted contract)."""
    import docx

    paras = docx.Document(str(path)).paragraphs
    out = [p.text for p in paras if p.style.name == "Intense Quote"]
    # A question ends with the protection's title in brackets; the title is the library's, not a clause.
    out += [re.sub(r" \([^()]*(?:\([^()]*\)[^()]*)*\)$", "", p.text) for p in paras if re.match(r"Q\d+\. ", p.text)]
    return "\n".join(out)


def test_issue_18_change_request_speaks_the_contracts_words(own) -> None:
    from contractreview.export import export_change_request

    src, analysis, out = own
    path = export_change_request(analysis, {}, META, out / "request.docx")
    text = P.docx_text(path)
    proposed = _proposed(path)
    assert "To: Acme Learning LLC" in text and "Lakeside Public Schools has reviewed" in text.replace("The L", "L")
    assert "Confidential Data" in proposed and "LPS" in proposed and "Acme" in proposed
    # The library's stock names do not survive in the proposed language.
    assert not re.search(r"\b(Vendor|District|Student Data|Provider)\b", proposed), proposed
    assert not P.internal_hits(text)


def test_issue_18_reviewer_overrides_the_names(own, tmp_path) -> None:
    from contractreview.cli import main

    src, _, _ = own
    out = tmp_path / "req.docx"
    rc = main(["export", str(src), "-f", "request", "-o", str(out), "--vendor-term", "the Contractor",
               "--school-term", "the Board", "--data-term", "Pupil Records"])
    assert rc == 0
    proposed = _proposed(out)
    assert "the Contractor" in proposed and "Pupil Records" in proposed and "the Board" in proposed
    assert "Acme shall" not in proposed and "Confidential Data" not in proposed


# ------------------------------------------------------------------ 3. right labels


def test_issue_18_labels_come_from_the_clause_holding_the_quote(own) -> None:
    from contractreview.place import place_of

    src, analysis, _ = own
    doc = analysis.document
    def where(phrase: str) -> str:
        i = doc.text.index(phrase)
        return place_of(doc, analysis.clauses, i, i + len(phrase)).where

    # A bare "(b)" under a bold heading is named with its heading, never "clause b".
    w = where("Acme may use commercially reasonable safeguards")
    assert "Data Security" in w and not re.search(r"clause \(?b\)?", w.lower())
    # A passage opening with "ATTACHMENT B" is labelled Attachment B, not the clause before it.
    i = doc.text.index("ATTACHMENT B")
    assert place_of(doc, analysis.clauses, i, i + len(ATTACHMENT)).label == "Attachment B"
    # DOCX has no pages of its own: no invented page number; the PDF cites its page.
    assert ("page" in w) is (src.suffix == ".pdf")


def test_issue_18_numbered_paragraph_of_a_lettered_section(tmp_path) -> None:
    from contractreview.ingest import load_document
    from contractreview.place import place_of
    from contractreview.segment import segment

    p = tmp_path / "dua.txt"
    p.write_text(
        "A. LIABILITY\n\n1. Each party bears its own costs.\n\n"
        "B. TERMINATION\n\n1. Either party may terminate on notice.\n\n"
        "2. On termination the data shall be destroyed within 7 days.\n",
        encoding="utf-8",
    )
    doc = load_document(p)
    i = doc.text.index("On termination")
    # Not "clause 2" (there are several): paragraph 2 of section B; a text file cites no page.
    assert place_of(doc, segment(doc), i, i + 20).where == "section B, paragraph 2"


def test_issue_18_gap_summary_labels_and_pages_read_back(own) -> None:
    from contractreview.export import export_report
    from contractreview.place import evidence_place

    src, analysis, out = own
    text = " ".join(P.docx_text(export_report(analysis, {}, META, "docx", out / "gap.docx")).split())
    placed = [evidence_place(e, analysis.document, analysis.clauses) for f in analysis.findings for e in f.evidence]
    assert placed
    for pl in placed:
        assert pl.where_sentence + ":" in text or pl.where in text
    if src.suffix == ".docx":
        assert not re.search(r"\bpage \d", text.split("Satisfied protections")[0].split("Missing and weak")[1])


def test_issue_18_duplicate_places_are_merged() -> None:
    from contractreview.domain import Severity
    from contractreview.export.model import Quote, ReportItem

    q1, q2 = Quote("a", "2", 5), Quote("b", "2", 5)
    item = ReportItem(0, "x", "X", "c", Status.SATISFIED, Severity.LOW, "", (q1, q2), (), "", "")
    assert item.where == "clause 2, page 5"


def test_issue_18_change_request_labels_every_passage(sample, tmp_path) -> None:
    import docx

    from contractreview.export import export_change_request
    from contractreview.export.model import build_report

    _, analysis, _ = sample
    d = docx.Document(str(export_change_request(analysis, {}, META, tmp_path / "r.docx")))
    paras = [p.text for p in d.paragraphs]
    model = build_report(analysis, {}, META)
    labels = [k for k, p in enumerate(paras) if re.match(r"^(Clause|Section|Attachment|Exhibit|Article|Page|Opening)\b.*:$", p)]
    assert labels
    for item in model.flagged:
        for q in item.quotes:
            i = paras.index(q.display)
            # The nearest label above the passage is its own place (passages of one place share a label).
            assert paras[max(k for k in labels if k < i)] == q.where_sentence + ":"


# ------------------------------------------------------------------ 4. Word and Acrobat conventions


def test_issue_18_docx_has_page_x_of_y_and_keeps_headings_with_content(sample, tmp_path) -> None:
    import docx

    from contractreview.export import export_change_request, export_report

    _, analysis, _ = sample
    for out in (
        export_report(analysis, {}, META, "docx", tmp_path / "gap.docx"),
        export_change_request(analysis, {}, META, tmp_path / "req.docx"),
    ):
        d = docx.Document(str(out))
        xml = d.sections[0].footer._element.xml
        assert "PAGE" in xml and "NUMPAGES" in xml and "Page " in d.sections[0].footer.paragraphs[0].text
        paras = d.paragraphs
        for _k, p in enumerate(paras[:-1]):
            if p.style.name.startswith("Heading") or p.text in ("Suggested language:",) or p.text.endswith(
                ("page 1:", "page 2:")
            ):
                assert p.paragraph_format.keep_with_next, p.text


def test_issue_18_pdf_pages_say_x_of_y_and_full_digest(sample, tmp_path) -> None:
    from contractreview.export import export_report

    _, analysis, _ = sample
    out = export_report(analysis, {}, META, "pdf", tmp_path / "gap.pdf")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(out))
    n = len(pdf)
    pages = [pdf[i].get_textpage().get_text_range() for i in range(n)]
    pdf.close()
    assert n > 1
    for k, t in enumerate(pages, 1):
        assert f"Page {k} of {n}" in t
    flat = "".join("".join(pages).split())
    assert analysis.document.sha256 in flat
    assert analysis.document.sha256 in P.docx_text(export_report(analysis, {}, META, "docx", tmp_path / "g.docx"))


def test_issue_18_decision_dates_are_local(monkeypatch) -> None:
    import time

    from contractreview.export.model import local_date

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    if not hasattr(time, "tzset"):
        pytest.skip("no tzset on this platform")
    time.tzset()
    try:
        assert local_date("2026-12-08T03:30:00+00:00") == "2026-12-07"
        assert local_date("2026-12-08T03:30:00Z") == "2026-12-07"
        assert local_date("2026-12-08") == "2026-12-08"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert dt.date.fromisoformat(local_date("2026-12-08T12:00:00+00:00"))


def test_issue_13_not_checked_protections_read_plainly_in_every_people_export(tmp_path: Path) -> None:
    """A profile with requirements the engine cannot check (ny): their section, notes and letter use no
    internal words, and say "not checked automatically" rather than "not found"."""
    from contractreview.engine import analyze
    from contractreview.ingest import load_document
    from contractreview.paths import sample_contract

    src = sample_contract("docx")
    analysis = analyze(load_document(src), profile="ny")
    assert any(f.not_checked for f in analysis.findings)
    texts = P.write_people_exports(analysis, {}, META, tmp_path, source=src)
    for name, text in texts.items():
        assert P.internal_hits(text, analysis.document.text, ignore=(src.name, src.stem)) == [], name
        assert "not checked automatically" in text.lower(), name


def test_a_key_term_not_stated_never_reads_as_quoted_from_its_closest_sentence() -> None:
    """The key-terms table: a quote beside "Not stated" is the sentence the reading stopped at, and says so."""
    from contractreview.export.model import KeyTermRow, Quote

    q = Quote(text="The Child User may use the Service for seven days while we notify the Parent.", page=1, clause="1")
    row = KeyTermRow("breach_notice_max_hours", "Breach notice to the school", "Not stated", q, "≤ 72 hours",
                     "not stated", "")
    assert row.source_text.startswith("No figure stated. The closest sentence, clause 1")
    stated = KeyTermRow("breach_notice_max_hours", "Breach notice to the school", "72 hours", q, "≤ 72 hours",
                        "within", "")
    assert stated.source_text.startswith("Clause 1")
