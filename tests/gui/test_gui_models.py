"""FindingsModel / FindingsFilterProxy without a window (pytest-qt's qtmodeltester)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from contractreview.domain import Decision, ReviewDecision, Severity, Status
from contractreview.gui.models import (
    COL_DECISION,
    COL_STATUS,
    ROLE_FINDING,
    FindingsFilterProxy,
    FindingsModel,
    counts_text,
)

from .contracts import REQUIREMENTS, hand_analysis, make_pdf


def _analysis(tmp_path):
    return hand_analysis(make_pdf(tmp_path / "c.pdf", pages=1))


def _leaf_ids(model) -> list[str]:
    out = []
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        for r in range(model.rowCount(parent)):
            out.append(model.index(r, 0, parent).data(ROLE_FINDING).requirement_id)
    return out


def test_models_findings_model_passes_qt_model_checks(qapp, qtmodeltester, tmp_path):
    model = FindingsModel()
    model.set_analysis(_analysis(tmp_path))
    qtmodeltester.check(model, force_py=True)
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_statuses([Status.WEAK])
    qtmodeltester.check(proxy, force_py=True)


def test_models_groups_by_category_in_first_seen_order(tmp_path):
    model = FindingsModel()
    analysis = _analysis(tmp_path)
    model.set_analysis(analysis)
    groups = [model.index(g, 0).data() for g in range(model.rowCount())]
    assert [g.split(" — ")[0] for g in groups] == [
        "Incident response",
        "Data lifecycle",
        "Use limits",
        "Subprocessors",
    ]
    assert groups[2].endswith("1 of 2 flagged")
    assert sorted(_leaf_ids(model)) == sorted(REQUIREMENTS)


def test_models_status_shown_as_text_and_icon_not_colour_alone(qapp, tmp_path):
    model = FindingsModel()
    model.set_analysis(_analysis(tmp_path))
    idx = model.index_for("no_targeted_advertising", COL_STATUS)
    assert idx.data() == "✕ Missing"
    assert not idx.data(1).isNull()  # DecorationRole icon
    assert "Missing" in model.index_for("no_targeted_advertising").data(Qt.ItemDataRole.AccessibleTextRole)


def test_models_filters_by_status_severity_category_and_search(tmp_path):
    model = FindingsModel()
    model.set_analysis(_analysis(tmp_path))
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_statuses([Status.WEAK])
    assert sorted(_leaf_ids(proxy)) == ["breach_notification", "subprocessor_obligations"]
    proxy.set_severities([Severity.MEDIUM])
    assert _leaf_ids(proxy) == ["subprocessor_obligations"]
    proxy.set_statuses(None)
    proxy.set_severities(None)
    proxy.set_category("use_limits")
    assert sorted(_leaf_ids(proxy)) == ["no_sale_of_student_data", "no_targeted_advertising"]
    proxy.set_category(None)
    proxy.set_search("TEN (10) DAYS")  # matches evidence text, case-insensitively
    assert _leaf_ids(proxy) == ["breach_notification"]
    proxy.set_search("no such words")
    assert proxy.rowCount() == 0  # empty groups are hidden too


def test_models_decision_column_and_evidence_changed_marker(tmp_path):
    model = FindingsModel()
    model.set_analysis(
        _analysis(tmp_path),
        {
            "breach_notification": ReviewDecision(
                "breach_notification", Decision.NEEDS_NEGOTIATION, evidence_changed=True
            )
        },
    )
    assert (
        model.index_for("breach_notification", COL_DECISION).data() == "Needs negotiation ⚑ evidence changed"
    )
    model.set_decision(ReviewDecision("no_sale_of_student_data", Decision.ACCEPT))
    assert model.index_for("no_sale_of_student_data", COL_DECISION).data() == "Accept"
    assert model.index_for("no_targeted_advertising", COL_DECISION).data() == ""


def test_models_counts_text_lists_every_status_with_its_word():
    text = counts_text({Status.MISSING: 1, Status.WEAK: 2, Status.SATISFIED: 2, Status.NEEDS_REVIEW: 0})
    assert text == "1 ✕ Missing · 2 ! Weak · 2 ✓ Satisfied"


def test_issue_14_confidence_column_sorts_and_marks_uncertain_findings(qapp, tmp_path):
    from dataclasses import replace

    from contractreview.engine.grader import UNCERTAIN, confidence_threshold
    from contractreview.gui.models import COL_CONFIDENCE

    analysis = _analysis(tmp_path)
    th = confidence_threshold()
    confs = [0.99, round(th - 0.2, 2), 0.95, round(th - 0.05, 2), 0.9, 0.97, 0.93]
    findings = tuple(replace(f, confidence=confs[i % len(confs)]) for i, f in enumerate(analysis.findings))
    model = FindingsModel()
    model.set_analysis(replace(analysis, findings=findings))
    low = min(findings, key=lambda f: f.confidence)
    idx = model.index_for(low.requirement_id, COL_CONFIDENCE)
    assert UNCERTAIN in idx.data() and idx.data().startswith(f"{round(low.confidence * 100)}%")
    high = max(findings, key=lambda f: f.confidence)
    assert model.index_for(high.requirement_id, COL_CONFIDENCE).data() == f"{round(high.confidence * 100)}%"
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    groups_before = [proxy.index(g, 0).data() for g in range(proxy.rowCount())]
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        proxy.sort(COL_CONFIDENCE, order)
        assert [proxy.index(g, 0).data() for g in range(proxy.rowCount())] == groups_before
        for g in range(proxy.rowCount()):
            parent = proxy.index(g, 0)
            vals = [
                proxy.index(r, 0, parent).data(ROLE_FINDING).confidence for r in range(proxy.rowCount(parent))
            ]
            assert vals == sorted(vals, reverse=order == Qt.SortOrder.DescendingOrder)


def test_issue_13_needs_review_findings_form_their_own_last_group(qapp, qtmodeltester, tmp_path):
    import dataclasses

    from contractreview.gui.models import NOT_CHECKED_GROUP, NOT_CHECKED_LABEL, ROLE_CATEGORY

    analysis = _analysis(tmp_path)
    first = analysis.findings[0]
    unchecked = dataclasses.replace(first, status=Status.NEEDS_REVIEW, evidence=(), layer="none")
    # needs_review after a reviewer's key-term correction: checked by the engine, stays in its category
    second = analysis.findings[1]
    corrected = dataclasses.replace(second, status=Status.NEEDS_REVIEW)
    analysis = dataclasses.replace(analysis, findings=(unchecked, corrected, *analysis.findings[2:]))
    model = FindingsModel()
    model.set_analysis(analysis)
    qtmodeltester.check(model, force_py=True)
    last = model.index(model.rowCount() - 1, 0)
    assert last.data(ROLE_CATEGORY) == NOT_CHECKED_GROUP
    assert last.data().startswith(NOT_CHECKED_LABEL) and last.data().endswith("1 to read yourself")
    assert [model.index(r, 0, last).data(ROLE_FINDING).requirement_id for r in range(model.rowCount(last))] == [
        first.requirement_id
    ]
    # in no category group
    for g in range(model.rowCount() - 1):
        parent = model.index(g, 0)
        ids = [model.index(r, 0, parent).data(ROLE_FINDING).requirement_id for r in range(model.rowCount(parent))]
        assert first.requirement_id not in ids
    in_categories = [
        model.index(r, 0, model.index(g, 0)).data(ROLE_FINDING).requirement_id
        for g in range(model.rowCount() - 1)
        for r in range(model.rowCount(model.index(g, 0)))
    ]
    assert second.requirement_id in in_categories
    from contractreview.gui.models import COL_CONFIDENCE

    leaf = model.index(0, COL_CONFIDENCE, last)
    assert leaf.data() == "not checked"  # never "0% · uncertain": the grader never saw it
