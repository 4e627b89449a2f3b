"""Inter-annotator agreement, the label import tool (anchors only) and the frozen split's whole-only report."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from contractreview.evaluation import evaluate, format_report
from contractreview.evaluation.agreement import agreement_report, cohen_kappa, format_agreement, paired
from contractreview.evaluation.labels import Gold, GoldLabel, load_gold_dir

REPO = Path(__file__).resolve().parents[1]


def _gold(doc: str, statuses: dict[str, str]) -> Gold:
    return Gold(doc, "", {rid: GoldLabel(s) for rid, s in statuses.items()})


def test_eval_kappa_by_hand() -> None:
    # 10 pairs: agree on 8; a = 5 sat / 5 miss, b = 5 sat / 5 miss -> p_e = 0.5, p_o = 0.8, kappa = 0.6
    a = ["satisfied"] * 5 + ["missing"] * 5
    b = ["satisfied"] * 4 + ["missing"] + ["satisfied"] + ["missing"] * 4
    assert cohen_kappa(a, b) == pytest.approx(0.6)
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa(["weak"] * 3, ["weak"] * 3) is None  # chance agreement is total: undefined
    assert cohen_kappa([], []) is None


def test_eval_agreement_pairs_only_shared_documents_and_ids() -> None:
    a = [_gold("d1", {"x": "weak", "y": "missing", "z": "satisfied"}), _gold("d2", {"x": "weak"})]
    b = [_gold("d1", {"x": "satisfied", "y": "missing"})]
    pairs = paired(a, b)
    assert [(p.requirement_id, p.a, p.b) for p in pairs] == [
        ("x", "weak", "satisfied"),
        ("y", "missing", "missing"),
    ]
    rep = agreement_report(pairs)
    assert rep["raw_agreement"] == 0.5 and rep["documents"] == 1
    assert rep["confusion"]["weak"]["satisfied"] == 1
    assert rep["per_class"]["missing"]["kappa"] == pytest.approx(1.0)
    assert "raw agreement 0.500" in format_agreement(rep)


def _load_import_tool():
    spec = importlib.util.spec_from_file_location("import_labels", REPO / "eval" / "import_labels.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_eval_import_keeps_anchors_of_at_most_twelve_words() -> None:
    tool = _load_import_tool()
    doc = (
        "Preamble. The Provider shall notify the District of any unauthorized access to student data within "
        "forty-eight hours after discovery, and shall cooperate with the District's investigation fully."
    )
    quote = doc[len("Preamble. ") :]
    data = {
        "doc": "t",
        "labels": {
            "a": {"status": "satisfied", "evidence": [quote], "confidence": "high", "note": "deadline"},
            "b": {"status": "missing", "evidence": [], "confidence": "high", "note": ""},
        },
        "params": {"breach_notice_max_hours": 48},
    }
    out = tool.convert(
        data, doc, ["a", "b"], path="x/t.md", split="frozen", meta={"kind": "dpa"}, annotator="h"
    )
    ev = out["labels"]["a"]["evidence"]
    assert len(ev) == 1 and len(ev[0].split()) <= 12 and ev[0] in doc and ev[0] != quote
    assert (
        out["split"] == "frozen" and out["kind"] == "dpa" and out["params"]["breach_notice_max_hours"] == 48
    )
    with pytest.raises(SystemExit, match="unlabelled"):
        tool.convert(data, doc, ["a", "b", "c"], path="x", split="dev", meta={}, annotator="h")
    data["labels"]["a"]["evidence"] = ["a sentence that the document does not contain at all"]
    with pytest.raises(SystemExit, match="not found"):
        tool.convert(data, doc, ["a", "b"], path="x", split="dev", meta={}, annotator="h")


def test_eval_frozen_split_reports_only_whole_set_figures(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "c.md").write_text(
        "1. Breach. The Provider shall notify the District within 24 hours of discovering a breach.\n",
        encoding="utf-8",
    )
    labels = tmp_path / "frozen"
    labels.mkdir()
    gold = {
        "doc": "c",
        "path": "c.md",
        "split": "frozen",
        "kind": "dpa",
        "labels": {
            "breach_notice_deadline_to_lea": {"status": "satisfied", "evidence": ["notify the District"]}
        },
        "params": {},
    }
    (labels / "c.json").write_text(json.dumps(gold), encoding="utf-8")
    golds = load_gold_dir(labels)
    report = evaluate(golds, [docs])
    s = report["splits"]["frozen"]
    assert s["whole_only"] and s["per_document"] == {} and s["per_requirement"] == {}
    assert s["per_kind"]["dpa"]["documents"] == 1
    text = format_report(report)
    assert "breach_notice_deadline_to_lea" not in text and "c.md" not in text and "scored as a whole" in text
