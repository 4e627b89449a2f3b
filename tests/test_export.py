"""Gap-summary exports (issue #6), each read back with an independent reader."""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from contractreview.domain import KEY_TERMS, Status
from contractreview.errors import ExportError
from contractreview.export import export_report
from contractreview.export.model import build_report

_spec = importlib.util.spec_from_file_location(
    "export_support", Path(__file__).with_name("test_export_support.py")
)
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)  # type: ignore[union-attr]

# By the brief's rule: severity first, then missing before weak.
EXPECTED_ORDER = [
    "subprocessor_flowdown",
    "breach_notification",
    "deidentified_data_use",
    "annual_security_audit",
]


@pytest.fixture(scope="module")
def pdf_case(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdfcase")
    src = S.make_pdf_contract(d / "contract.pdf")
    doc = S.pdf_document(src)
    return src, S.make_analysis(doc, pdf_path=src)


@pytest.fixture(scope="module")
def analysis(pdf_case):
    return pdf_case[1]


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def _quotes(analysis):
    return {f.requirement_id: f.evidence[0].text for f in analysis.findings if f.evidence}


def test_export_model_orders_flagged_by_severity_then_status(analysis) -> None:
    model = build_report(analysis, S.make_decisions(), S.META)
    assert [i.requirement_id for i in model.flagged] == EXPECTED_ORDER
    assert [i.number for i in model.flagged] == [1, 2, 3, 4]
    assert [i.requirement_id for i in model.satisfied] == ["deletion_on_request"]
    assert model.counts["missing"] == {"high": 1, "medium": 0, "low": 1}
    assert model.counts["weak"] == {"high": 1, "medium": 1, "low": 0}
    assert model.counts["satisfied"] == {"high": 1, "medium": 0, "low": 0}
    item = model.flagged[1]
    assert "Model DPA 5.4 (unverified)" in item.citations and "34 CFR 99.31" in item.citations
    assert item.evidence_changed and "evidence changed since decision" in item.decision_text


def test_export_model_quotes_read_as_prose_and_are_not_repeated(analysis) -> None:
    import dataclasses

    from contractreview.domain import Evidence

    ev = Evidence("first line\nwrapped  on\n\nnew paragraph", 10, 47, 3, clause="5.2")
    f = dataclasses.replace(analysis.findings[0], evidence=(ev, ev))
    item = build_report(dataclasses.replace(analysis, findings=(f,)), {}, S.META).flagged[0]
    assert len(item.quotes) == 1
    assert item.quotes[0].text == ev.text
    assert item.quotes[0].display == "first line wrapped  on\n\nnew paragraph"
    assert item.quotes[0].where == "clause 5.2, page 3"


def test_export_docx_report_reads_back(analysis, tmp_path) -> None:
    import docx

    out = export_report(analysis, S.make_decisions(), S.META, "docx", tmp_path / "gap.docx")
    assert _mode(out) == 0o600
    d = docx.Document(str(out))
    paras = [p.text for p in d.paragraphs]
    body = "\n".join(paras)
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    titles = {f.requirement_id: f.title for f in analysis.findings}
    flagged_heads = [h for h in headings if re.match(r"\d+\. ", h)]
    assert flagged_heads == [f"{n}. {titles[r]}" for n, r in enumerate(EXPECTED_ORDER, 1)]
    quote_paras = [p.text for p in d.paragraphs if p.style.name == "Quote"]
    for rid, q in _quotes(analysis).items():
        if rid in S.FLAGGED_IDS:  # the PDF's line wrap inside the phrase reads as a space
            assert q.replace("\n", " ") in quote_paras
    assert "Not legal advice" in body
    assert "Model DPA 5.4 (citation not verified; not to be cited as law)" in body  # people's words (#18)
    assert "evidence changed since decision" in body
    assert "Ask for 72 hours <script>alert(1)</script>" in body
    assert "Clause 9.3, page 2:" in paras
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    for label, value in [
        ("Vendor", "Example Learning Co."),
        ("Reviewer", "Dana Reviewer"),
        ("Clause library", "2026.12-test"),
    ]:
        assert label in cells and value in cells
    assert analysis.document.sha256 in cells  # the full digest (issue #18)
    assert "Deletion on request" in cells  # satisfied, listed compactly


def test_export_pdf_report_reads_back_in_docx_order(analysis, tmp_path) -> None:
    import pdfplumber

    out = export_report(analysis, S.make_decisions(), S.META, "pdf", tmp_path / "gap.pdf")
    assert _mode(out) == 0o600
    with pdfplumber.open(str(out)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    flat = S.norm(text)
    for rid, q in _quotes(analysis).items():
        if rid in S.FLAGGED_IDS:
            assert S.norm(q) in flat
    positions = [
        flat.index(S.norm(f"{n}. {analysis.finding(r).title}")) for n, r in enumerate(EXPECTED_ORDER, 1)
    ]
    assert positions == sorted(positions)
    sections = ["At a glance", "Missing and weak protections (4)", "Satisfied protections (1)"]
    assert [flat.index(s) for s in sections] == sorted(flat.index(s) for s in sections)
    assert "Not legal advice" in flat and "Model DPA 5.4 (citation not verified; not to be cited as law)" in flat
    assert "Example Learning Co." in flat and "2026.12-test" in flat


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.evidence: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.requirements: list[str] = []
        self._buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section" and a.get("class") == "finding":
            self.requirements.append(a["id"])
        if tag == "blockquote" and a.get("class") == "evidence":
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "blockquote" and self._buf is not None:
            self.evidence.append("".join(self._buf))
            self._buf = None

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)


def test_export_html_report_is_escaped_and_self_contained(analysis, tmp_path) -> None:
    out = export_report(analysis, S.make_decisions(), S.META, "html", tmp_path / "gap.html")
    raw = out.read_text(encoding="utf-8")
    p = _Collector()
    p.feed(raw)
    assert p.requirements == [f"item-{n}" for n in range(1, len(EXPECTED_ORDER) + 1)]
    flagged_quotes = [q for r, q in _quotes(analysis).items() if r in S.FLAGGED_IDS]
    assert sorted(p.evidence) == sorted(q.replace("\n", " ") for q in flagged_quotes)
    assert not [t for t, _ in p.tags if t in {"script", "img", "link", "iframe", "object"}]
    assert not [a for _, a in p.tags if any(k in a for k in ("src", "href"))]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "default-src 'none'" in raw


def test_export_markdown_report_quotes_contract_text(analysis, tmp_path) -> None:
    out = export_report(analysis, S.make_decisions(), S.META, "md", tmp_path / "gap.md")
    text = out.read_text(encoding="utf-8")
    quoted = html.unescape("\n".join(line[2:] for line in text.splitlines() if line.startswith("> ")))
    for rid, q in _quotes(analysis).items():
        if rid in S.FLAGGED_IDS:
            assert q.replace("\n", " ") in quoted
    heads = re.findall(r"^### \d+\. (.+)$", text, flags=re.M)
    assert heads == [analysis.finding(r).title for r in EXPECTED_ORDER]
    assert "<script>" not in text and "Not legal advice" in text


def test_export_csv_and_json_reports(analysis, tmp_path) -> None:
    out = export_report(analysis, S.make_decisions(), S.META, "csv", tmp_path / "gap.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["requirement_id"] for r in rows[:5]] == [f"key_term.{k}" for k in KEY_TERMS]  # at the top
    rows = rows[5:]
    assert [r["requirement_id"] for r in rows] == EXPECTED_ORDER + ["deletion_on_request"]
    by_id = {r["requirement_id"]: r for r in rows}
    for rid, q in _quotes(analysis).items():
        assert by_id[rid]["evidence"] == q
    assert by_id["breach_notification"]["decision"] == "needs_negotiation"
    assert by_id["breach_notification"]["evidence_changed"] == "yes"
    assert by_id["annual_security_audit"]["decision"] == "waived"
    assert by_id["subprocessor_flowdown"]["status"] == "missing"

    out = export_report(analysis, S.make_decisions(), S.META, "json", tmp_path / "gap.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "contractreview/report-v1"
    assert [f["requirement_id"] for f in data["flagged"]] == EXPECTED_ORDER
    assert data["title_block"]["sha256"] == analysis.document.sha256
    ev = {f["requirement_id"]: f["evidence"] for f in data["flagged"] + data["satisfied"]}
    for rid, q in _quotes(analysis).items():
        assert ev[rid][0]["text"] == q
    assert ev["breach_notification"][0]["page"] == 2
    assert "Not legal advice" in data["disclaimer"]


def test_export_csv_guards_against_formula_injection(analysis, tmp_path) -> None:
    import dataclasses

    f = dataclasses.replace(analysis.findings[0], explanation='=HYPERLINK("http://x")')
    a = dataclasses.replace(analysis, findings=(f, *analysis.findings[1:]))
    out = export_report(a, {}, S.META, "csv", tmp_path / "inj.csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = {r["requirement_id"]: r for r in csv.DictReader(fh)}
    assert rows[f.requirement_id]["explanation"] == '\'=HYPERLINK("http://x")'


def test_export_writes_are_atomic_and_errors_name_the_file(analysis, tmp_path) -> None:
    dest = tmp_path / "gap.json"
    dest.write_text("old")
    export_report(analysis, {}, S.META, "json", dest)
    assert json.loads(dest.read_text())["schema"] == "contractreview/report-v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap.json"]  # no temp files left behind
    with pytest.raises(ExportError, match=r"gap\.docx.*does not exist"):
        export_report(analysis, {}, S.META, "docx", tmp_path / "nope" / "gap.docx")
    with pytest.raises(ExportError, match="unknown report format"):
        export_report(analysis, {}, S.META, "rtf", tmp_path / "gap.rtf")
    with pytest.raises(ExportError, match="folder"):
        export_report(analysis, {}, S.META, "md", tmp_path)


def test_export_report_with_every_requirement_satisfied(analysis, tmp_path) -> None:
    import dataclasses

    import docx

    a = dataclasses.replace(
        analysis, findings=tuple(dataclasses.replace(f, status=Status.SATISFIED) for f in analysis.findings)
    )
    out = export_report(a, {}, S.META, "docx", tmp_path / "ok.docx")
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert (
        "Missing and weak protections (0)" in body and "every requirement of the profile is satisfied" in body
    )


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md"])
def test_export_heading_labels_keep_their_capitals(analysis, tmp_path, fmt) -> None:
    """Regression: quotes located by a heading were shown as "California consumer privacy act (ccpa) /
    california privacy , page 1" because the label went through str.capitalize()."""
    import dataclasses

    f = analysis.findings[0]
    evs = tuple(dataclasses.replace(e, clause="California Consumer Privacy Act (CCPA) / California Privacy ")
                for e in f.evidence)
    a = dataclasses.replace(analysis, findings=(dataclasses.replace(f, evidence=evs),) + analysis.findings[1:])
    out = export_report(a, {}, S.META, fmt, tmp_path / f"caps.{fmt}")
    if fmt == "docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    elif fmt == "pdf":
        import pdfplumber

        with pdfplumber.open(str(out)) as pdf:
            text = " ".join((p.extract_text() or "") for p in pdf.pages)
        text = " ".join(text.split())
    else:
        text = html.unescape(out.read_text(encoding="utf-8"))
    assert "ection “California Consumer Privacy Act (CCPA) / California Privacy”, page" in text
    assert "consumer privacy act" not in text and "Privacy , page" not in text


def test_export_where_names_short_labels_as_clauses() -> None:
    from contractreview.export.model import Quote

    assert Quote("x", "B", 1).where == "clause B, page 1"
    assert Quote("x", "(a)", 2).where_sentence == "Clause (a), page 2"
    assert Quote("x", "Data Retention and Deletion", 4).where_sentence == "Section “Data Retention and Deletion”, page 4"
    assert Quote("x", "", 5).where_sentence == "Page 5"


def test_export_sweeps_temp_files_a_killed_export_left(analysis, tmp_path) -> None:
    """Issue #7: a temp file from an export killed mid-write is removed by the next export to that name;
    a fresh one (a concurrent export) and other files are left alone."""
    import time

    dest = tmp_path / "gap.md"
    stale = tmp_path / ".gap.md.abc123.tmp"
    stale.write_text("half a report")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".gap.md.def456.tmp"
    fresh.write_text("being written")
    other = tmp_path / ".notes.md.abc123.tmp"
    other.write_text("not ours")
    os.utime(other, (old, old))
    export_report(analysis, {}, S.META, "md", dest)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([".gap.md.def456.tmp", ".notes.md.abc123.tmp", "gap.md"])


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "md", "csv", "json"])
def test_export_file_name_that_is_not_utf8(analysis, tmp_path, fmt) -> None:
    """Regression: exporting a contract named with undecodable bytes (b'ok\\xfe.md') crashed with
    UnicodeEncodeError; the name is shown with U+FFFD."""
    import dataclasses

    doc = dataclasses.replace(analysis.document, source_path=os.fsdecode(b"/c/ok\xfe vendor.pdf"))
    a = dataclasses.replace(analysis, document=doc)
    out = export_report(a, {}, S.META, fmt, tmp_path / f"weird.{fmt}")
    assert out.stat().st_size > 0
    if fmt in ("html", "md", "json"):  # the CSV gap summary has no document column
        assert "ok\ufffd vendor.pdf" in html.unescape(out.read_text(encoding="utf-8-sig"))


def test_export_portfolio_file_name_that_is_not_utf8(analysis, tmp_path) -> None:
    import dataclasses

    from contractreview.export import export_portfolio

    doc = dataclasses.replace(analysis.document, source_path=os.fsdecode(b"/c/ok\xfe.pdf"))
    out = export_portfolio([(dataclasses.replace(analysis, document=doc), {})], tmp_path / "p.csv")
    assert "ok\ufffd.pdf" in out.read_text(encoding="utf-8-sig")
