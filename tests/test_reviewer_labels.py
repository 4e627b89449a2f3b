"""Issue #16: a district's reviews become labels. `labels export` then `eval --gold DIR` reproduces the
reviewer's statuses exactly (a contract generated here, the real engine, a real SQLite store)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from contractreview.cli import main
from contractreview.domain import Decision, TextAnchor
from contractreview.evaluation import load_gold_dir
from contractreview.store import open_store

CLAUSES = [
    "1. Data Breach. Provider shall notify the District within ten (10) days after discovery of any breach of "
    "Student Data.",
    "2. Sale of Data. Provider shall not sell, rent or lease Student Data.",
    "3. Advertising. Provider may use Student Data to show relevant offers to students.",
    "4. Governing Law. This Agreement is governed by the laws of the State of Vermont.",
]


@pytest.fixture()
def reviewed(tmp_path: Path):  # type: ignore[no-untyped-def]
    import docx

    src = tmp_path / "Example DPA.docx"
    d = docx.Document()
    d.add_heading("Data Privacy Agreement", level=1)
    for c in CLAUSES:
        d.add_paragraph(c)
    d.save(str(src))
    db = tmp_path / "reviews.sqlite3"
    assert main(["analyze", str(src), "--db", str(db), "--format", "json"]) == 0
    with open_store(db) as store:
        [summary] = store.list_reviews()
        engine = {f.requirement_id: f.status.value for f in store.get_analysis(summary.id).findings}
    return src, db, summary.id, engine


def test_issue_16_labels_export_then_eval_reproduces_the_reviewers_statuses(reviewed, tmp_path: Path, capsys) -> None:
    src, db, rid, engine = reviewed
    args = ["--db", str(db)]
    # The reviewer's word: two overrides against the engine, one accepted finding, one "not applicable".
    flip = {"satisfied": "weak", "weak": "satisfied", "missing": "satisfied"}
    ads = "no_targeted_advertising"
    sale = "no_sale_of_student_data"
    assert engine[sale] == "satisfied" and ads in engine
    wanted = {sale: "weak", ads: flip[engine[ads]]}
    assert main(["reviews", "override", str(rid), sale, "weak", "--reason", "rent is fine but lease-back is not",
                 "--evidence", "shall not sell, rent or lease", *args]) == 0
    assert main(["reviews", "override", str(rid), ads, wanted[ads], "--reason", "clause 3", "--evidence",
                 "show relevant offers to students", *args]) == 0
    accepted = next(r for r, s in engine.items() if s in ("satisfied", "weak", "missing") and r not in wanted)
    na = next(r for r, s in engine.items() if s in ("satisfied", "weak", "missing") and r not in wanted and r != accepted)
    assert main(["reviews", "override", str(rid), na, "not_applicable", "--reason", "no such service", *args]) == 0
    with open_store(db) as store:
        sha = store.get_summary(rid).sha256
        store.set_decision(sha, accepted, Decision.ACCEPT, reviewer="Rhea")
        store.set_decision(sha, "breach_notice_deadline_to_lea", Decision.WAIVED, reviewer="Rhea")  # not a label
        store.set_key_term(sha, "governing_law", "Vermont", reviewer="Rhea")
        text = store.get_analysis(rid).document.text
        at = text.index("relevant offers")
        store.add_annotation(sha, TextAnchor.of(text, at, at + len("relevant offers")), "the ad clause",
                             requirement_id=ads)
    wanted[accepted] = engine[accepted]
    capsys.readouterr()

    out_dir = tmp_path / "district-labels"
    assert main(["labels", "export", str(out_dir), *args]) == 0
    printed = capsys.readouterr()
    assert "Wrote 1 label file(s) with 3 reviewed requirement(s)" in printed.out
    assert "not applicable" in printed.err
    [gold] = load_gold_dir(out_dir)
    assert {r: lab.status for r, lab in gold.labels.items()} == wanted
    assert gold.split == "district" and gold.params == {"governing_law": "Vermont"}
    raw = json.loads((out_dir / f"{gold.doc}.json").read_text("utf-8"))
    ads_label = raw["labels"][ads]
    assert (out_dir / raw["path"]).read_bytes() == src.read_bytes()  # the contract itself, byte for byte, owner-only
    assert stat.S_IMODE((out_dir / raw["path"]).stat().st_mode) == 0o600
    quotes = [a["quote"] for a in ads_label["evidence_anchors"]]  # the override's passage, then the annotation's
    assert quotes == ["show relevant offers to students", "relevant offers"] == ads_label["evidence"]
    assert all(a["start"] < a["end"] for a in ads_label["evidence_anchors"])

    assert main(["eval", "--gold", str(out_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    split = report["splits"]["district"]
    assert split["documents"] == 1 and report["missing_documents"] == []
    per = split["per_requirement"]
    assert set(per) == set(wanted)
    for r, status in wanted.items():
        assert per[r]["gold"][status] == 1 and sum(per[r]["gold"].values()) == 1  # the reviewer's status
        assert per[r]["pred"][engine[r]] == 1  # the engine's, measured against it
    engine_scores = split["systems"]["engine"]
    assert engine_scores["n"] == 3
    assert engine_scores["accuracy"] == pytest.approx(1 / 3)  # only the accepted finding agrees
    assert split["key_terms"]["n"] == 1 and split["key_terms"]["accuracy"] == 1.0


def test_issue_16_labels_export_names_what_it_cannot_label(tmp_path: Path, capsys) -> None:
    from test_store_support import contract_v1

    db = tmp_path / "r.sqlite3"
    with open_store(db) as store:
        store.save_analysis(contract_v1())  # its file is not on this machine, nothing reviewed yet
    assert main(["labels", "export", str(tmp_path / "out"), "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "Wrote 0 label file(s)" in out.out and "no reviewed requirement to label" in out.err
    with open_store(db) as store:
        sha = contract_v1().document.sha256
        store.set_override(sha, "data_deletion", "weak", "no certificate of deletion")
    assert main(["labels", "export", str(tmp_path / "out"), "--db", str(db), "--reviews", "1"]) == 0
    out = capsys.readouterr()
    assert "Wrote 1 label file(s) with 1" in out.out and "its stored text is used instead" in out.err
    [gold] = load_gold_dir(tmp_path / "out")
    assert gold.path.endswith(".txt") and (tmp_path / "out" / gold.path).read_text("utf-8") == contract_v1().document.text
    assert main(["labels", "export", str(tmp_path / "out"), "--db", str(db), "--reviews", "x"]) == 2
    assert main(["labels", "export", str(tmp_path / "out"), "--db", str(db), "--reviews", "99"]) == 2


def test_issue_16_train_extra_gold_learns_from_the_district_labels(tmp_path: Path, capsys) -> None:
    """Opt-in: `train --extra-gold DIR` adds the exported documents to the training set."""
    import docx

    db = tmp_path / "reviews.sqlite3"
    for n, (vendor, extra) in enumerate((("Acme", "Provider shall encrypt Student Data at rest."),
                                         ("Globex", "Provider may share Student Data with partners."))):
        src = tmp_path / f"{vendor} DPA.docx"
        d = docx.Document()
        for c in [*CLAUSES, f"5. Other. {extra}"]:
            d.add_paragraph(c)
        d.save(str(src))
        assert main(["analyze", str(src), "--db", str(db), "--format", "json"]) == 0
        with open_store(db) as store:
            summary = store.list_reviews()[0]
            a = store.get_analysis(summary.id)
            for f in a.findings:
                if f.status.value in ("satisfied", "weak", "missing"):
                    store.set_decision(summary.sha256, f.requirement_id, Decision.ACCEPT, reviewer="Rhea")
            store.set_override(summary.sha256, "no_sale_of_student_data", "weak", f"reason {n}")
    labels = tmp_path / "district"
    assert main(["labels", "export", str(labels), "--db", str(db)]) == 0
    empty = tmp_path / "none"
    empty.mkdir()
    capsys.readouterr()
    out = tmp_path / "grader.json"
    assert main(["train", "--labels", str(empty), "--docs", str(empty), "--extra-gold", str(labels),
                 "--out", str(out)]) == 0
    art = json.loads(out.read_text("utf-8"))
    assert len(art["meta"]["documents"]) == 2 and art["meta"]["vendor_groups"] == 2
    assert "trained on" in capsys.readouterr().out
