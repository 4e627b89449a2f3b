"""The key-terms table at the top of the review (issue #15): model without a window, then the real flow:
click to jump to the sentence, correct a value, see it survive re-analysis with the threshold re-checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from contractreview.domain import KEY_TERMS, Status
from contractreview.store import open_store

from .conftest import open_and_wait
from .test_gui_real_pipeline import real_window

pytest.importorskip("contractreview.engine.run")

CONTRACT = """DATA PRIVACY AGREEMENT

This Data Privacy Agreement is between the Lakeside Unified School District (the "District") and Brightpath
Learning, Inc. (the "Provider").

1. Purpose

1.1 Provider shall use Student Data solely to provide the Services to the District.

2. Data Breach

2.1 Provider shall notify the District within ten (10) days after discovery of any breach of Student Data.

3. Return and Deletion

3.1 Upon termination of this Agreement, Provider shall delete all Student Data within thirty (30) days.

4. Governing Law

4.1 This Agreement is governed by the laws of the State of Oregon.
"""


@pytest.fixture()
def contract_txt(tmp_path: Path) -> Path:
    p = tmp_path / "dpa.txt"
    p.write_text(CONTRACT, encoding="utf-8")
    return p


def test_key_terms_model_rows_and_roles(qtmodeltester, contract_txt: Path) -> None:
    from contractreview.engine import analyze
    from contractreview.gui.key_terms import (
        COL_SENTENCE,
        COL_THRESHOLD,
        COL_VALUE,
        ROLE_KEY_TERM,
        KeyTermsModel,
    )
    from contractreview.ingest import load_document

    model = KeyTermsModel()
    model.set_analysis(analyze(load_document(contract_txt)))
    qtmodeltester.check(model)
    assert model.rowCount() == len(KEY_TERMS)
    row = model.row_for("breach_notice_max_hours")
    assert model.index(row, COL_VALUE).data() == "240 hours (10 days) after discovery (to the school)"
    # A text contract has no pages: the clause alone, as in every export (issue #18).
    assert "Clause 2.1: “2.1 Provider" in model.index(row, COL_SENTENCE).data()
    assert model.index(row, COL_THRESHOLD).data() == "≤ 72 hours after discovery (recommended practice, not law) — exceeds"
    term = model.index(row, COL_VALUE).data(ROLE_KEY_TERM)
    assert term.evidence.text.startswith("2.1 Provider shall notify the District within ten (10) days")
    law = model.row_for("governing_law")
    assert model.index(law, COL_VALUE).data() == "Oregon"
    request = model.row_for("deletion_after_request_days")
    assert model.index(request, COL_VALUE).data() == "Not stated"


@pytest.mark.usefixtures("rules_decide")  # the threshold re-check of what the rules read; the grader only rates
def test_key_terms_table_jumps_and_correction_survives_reanalysis(
    qtbot, store_path: Path, contract_txt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractreview.gui import key_terms as kt

    with open_store(store_path) as store:
        win = real_window(qtbot, store)
        open_and_wait(qtbot, win, contract_txt, timeout=60000)
        assert win.key_terms_dock.isVisible()
        panel = win.key_terms
        row = panel.model.row_for("breach_notice_max_hours")
        term = panel.model.index(row, kt.COL_VALUE).data(kt.ROLE_KEY_TERM)

        # Click the sentence: the document view selects exactly that sentence.
        with qtbot.waitSignal(panel.jumpRequested) as jumped:
            panel.table.clicked.emit(panel.model.index(row, kt.COL_SENTENCE))
        assert jumped.args == [term.evidence.start, term.evidence.end]
        text_view = win.doc_view.text
        assert text_view._find == (term.evidence.start, term.evidence.end)
        shown = text_view.toPlainText()[text_view.qpos(term.evidence.start) : text_view.qpos(term.evidence.end)]
        assert shown == term.evidence.text
        assert win.analysis.finding("breach_notice_deadline_to_lea").status is Status.WEAK

        # Correct it through the dialog.
        def fake_exec(dialog: QDialog) -> int:
            dialog.value.setText("48")
            dialog.note.setText("amendment 2")
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(kt.CorrectionDialog, "exec", fake_exec)
        panel.select("breach_notice_max_hours")
        panel.correct_btn.click()
        value = panel.model.index(panel.model.row_for("breach_notice_max_hours"), kt.COL_VALUE).data()
        assert value.startswith("48 hours (2 days)") and "corrected by the reviewer (Ana Reviewer; the engine read 240 hours (10 days))" in value
        assert win.analysis.finding("breach_notice_deadline_to_lea").status is Status.SATISFIED
        assert win.model.finding_at(win.model.index_for("breach_notice_deadline_to_lea")).status is Status.SATISFIED
        assert panel.undo_btn.isEnabled()

        # Re-analysis of the same document keeps the correction.
        win.reanalyse()
        qtbot.waitUntil(lambda: not win.is_busy(), timeout=60000)
        k = win.analysis.key_term("breach_notice_max_hours")
        assert (k.value, k.corrected, k.original_value) == (48, True, 240)

        # A wrong value is refused with a message, nothing stored.
        warned: list[str] = []
        monkeypatch.setattr(win, "_warn", lambda title, text: warned.append(text))
        assert not win.correct_key_term("breach_notice_clock_start", "tomorrow")
        assert warned and "clock start" in warned[-1]

        panel.select("breach_notice_max_hours")
        panel.undo_btn.click()
        assert win.analysis.key_terms["breach_notice_max_hours"] == 240
        win.close()
