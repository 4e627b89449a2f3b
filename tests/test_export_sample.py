"""Issue #6 acceptance: the bundled sample contract, analysed by the real pipeline, exported in every
format; each export, read back by its own reader, names the same flagged protections and quotes."""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser

import pytest

from contractreview.domain import ReportMeta

pytest.importorskip("contractreview.engine.run")

META = ReportMeta(reviewer="Sam Reviewer", vendor="Sample vendor", agreement="Sample DPA", date="2026-12-03")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module", params=["pdf", "docx"])
def sample(request, tmp_path_factory):
    from contractreview.paths import sample_contract
    from contractreview.pipeline import review

    path = sample_contract(request.param)
    if not path.is_file():
        pytest.skip("bundled sample contract missing")
    return path, review(path), tmp_path_factory.mktemp(f"sample-{request.param}")


def test_export_sample_every_format_names_the_same_flags(sample) -> None:
    import docx
    import pdfplumber

    from contractreview.export import export_report

    path, analysis, out = sample
    flagged = [f for f in analysis.findings if f.status.is_flag]
    assert flagged, "the sample contract is written to have gaps"
    ids = {f.requirement_id for f in flagged}
    for ev in (e for f in analysis.findings for e in f.evidence):
        assert analysis.document.text[ev.start : ev.end] == ev.text

    data = json.loads(export_report(analysis, {}, META, "json", out / "r.json").read_text())
    order = [f["requirement_id"] for f in data["flagged"]]
    assert set(order) == ids and len(order) == len(ids)
    for f in data["flagged"]:
        src = analysis.finding(f["requirement_id"])
        assert [e["text"] for e in f["evidence"]] == list(dict.fromkeys(e.text for e in src.evidence))

    with open(
        export_report(analysis, {}, META, "csv", out / "r.csv"), encoding="utf-8-sig", newline=""
    ) as fh:
        rows = list(csv.DictReader(fh))
    findings = [r for r in rows if not r["requirement_id"].startswith("key_term.")]
    assert [r["requirement_id"] for r in findings if r["status"] != "satisfied"] == order

    titles = [analysis.finding(r).title for r in order]
    d = docx.Document(str(export_report(analysis, {}, META, "docx", out / "r.docx")))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert heads == [f"{n}. {t}" for n, t in enumerate(titles, 1)]

    class Sections(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "section" and a.get("class") == "finding":
                self.found.append(a["id"])

    parser = Sections()
    parser.found = []
    html_text = export_report(analysis, {}, META, "html", out / "r.html").read_text(encoding="utf-8")
    parser.feed(html_text)
    assert parser.found == [f"item-{n}" for n in range(1, len(order) + 1)]
    heads = re.findall(r"<h3>(\d+)\. ([^<]+)</h3>", html_text)
    assert [html.unescape(t) for _, t in heads] == titles

    md = export_report(analysis, {}, META, "md", out / "r.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^### \d+\. ", md, flags=re.M)) == len(order)

    with pdfplumber.open(str(export_report(analysis, {}, META, "pdf", out / "r.pdf"))) as pdf:
        flat = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    positions = [flat.find(" ".join(f"{n}. {t}".split())) for n, t in enumerate(titles, 1)]
    assert -1 not in positions and positions == sorted(positions)


def test_export_sample_annotated_copy(sample) -> None:
    from contractreview.export import export_annotated

    path, analysis, out = sample
    before = path.read_bytes()
    dest = export_annotated(analysis, {}, META, path, out / f"annotated{path.suffix}")
    assert path.read_bytes() == before
    with_evidence = {f.requirement_id: f for f in analysis.findings if f.status.is_flag and f.evidence}
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        pages: dict[str, set[int]] = {}
        for pno, page in enumerate(PdfReader(str(dest)).pages, 1):
            for a in page.get("/Annots") or []:
                a = a.get_object()
                if a["/Subtype"] == "/Highlight":
                    contents = str(a["/Contents"])
                    rid = next(r for r, f in with_evidence.items() if contents.startswith(f.title + ":"))
                    pages.setdefault(rid, set()).add(pno)
        assert set(pages) == set(with_evidence)
        for rid, f in with_evidence.items():
            assert pages[rid] == {p for e in f.evidence for p, _ in e.boxes} or pages[rid] == {
                e.page for e in f.evidence
            }
    else:
        import docx

        from contractreview.export.annotated_docx import body_paragraphs

        d = docx.Document(str(dest))
        paras = body_paragraphs(d)
        W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        holder: dict[int, list[str]] = {}
        for p in paras:
            for e in p._p.iter(f"{W}commentRangeStart"):
                holder.setdefault(int(e.get(f"{W}id")), []).append(p.text)
        commented: set[str] = set()
        for c in d.comments:
            first = c.text.splitlines()[0]
            rid = next((r for r, f in with_evidence.items() if first.startswith(f.title + ":")), "")
            if not rid or "does not address in any clause" in c.text:
                continue
            commented.add(rid)
            # the paragraph where the comment starts holds the opening words of one of the finding's quotes
            text = " ".join(_words(" ".join(holder[c.comment_id])))
            windows = [
                " ".join(w[i : i + 4])
                for e in with_evidence[rid].evidence
                for w in [_words(e.text)[:12]]
                for i in range(max(1, len(w) - 3))
            ]
            assert any(win in text for win in windows), rid
        assert commented == set(with_evidence)
