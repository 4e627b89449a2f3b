"""Issue #18: a field in the GUI to see and change the names the exports use for the parties and the data;
they are stored with the review and used by every export of it."""

from __future__ import annotations

import docx

from contractreview.vocabulary import ContractTerms, detect_terms

from .conftest import build_window, open_and_wait


def test_issue_18_names_dialog_defaults_to_the_detected_names_and_is_stored(qtbot, store, core, contract, tmp_path):
    from contractreview.gui.review_header import NamesDialog

    path, doc = contract
    win = build_window(qtbot, store, core)
    open_and_wait(qtbot, win, path)
    detected = detect_terms(doc)
    dlg = NamesDialog(win.controller.detected_terms(), win.controller.vocabulary(), win)
    assert dlg.terms() == ContractTerms(vendor=detected.vendor, school=detected.school, data=detected.data)
    assert dlg.edits["vendor"].placeholderText() == "the vendor"  # what an empty field means
    dlg.edits["vendor"].setText("Brightpath Learning")
    dlg.edits["school"].setText("the Board")
    assert win.act_names.isEnabled() and win.review_header.names_btn.isEnabled()
    assert win.edit_names(dialog=dlg)
    # stored: only what differs from the contract's own names
    stored = store.vocabulary(doc.sha256)
    assert stored.vendor == "Brightpath Learning" and stored.school == "the Board"
    assert stored.data == ""
    assert "Brightpath Learning" in win.review_header.names_btn.toolTip()
    # the window's exports use them
    meta = win.controller.meta()
    assert (meta.vendor_term, meta.school_term) == ("Brightpath Learning", "the Board")
    out = win.controller.export_change_request(tmp_path / "request.docx")
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Brightpath Learning" in text
    # reopened later: the dialog shows the stored names; "Use the contract's names" goes back
    win.close()
    win2 = build_window(qtbot, store, core)
    open_and_wait(qtbot, win2, path)
    dlg2 = NamesDialog(win2.controller.detected_terms(), win2.controller.vocabulary(), win2)
    assert dlg2.edits["vendor"].text() == "Brightpath Learning"
    dlg2.reset()
    assert dlg2.edits["vendor"].text() == detected.vendor
    assert win2.edit_names(dialog=dlg2)
    assert store.vocabulary(doc.sha256) == ContractTerms()
    win2.close()
