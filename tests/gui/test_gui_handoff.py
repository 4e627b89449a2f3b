"""Issue #17: after the worker's analysis the GUI thread only writes rows and fills its views; the JSON
for the store and the not-a-contract check are made on the worker (0.2-0.3 s on a 300-page PDF)."""

from __future__ import annotations

import threading

from contractreview.store.repository import PreparedReview

from .conftest import open_and_wait


def test_issue_17_review_is_serialised_on_the_worker_not_the_gui_thread(qtbot, window, store, contract, monkeypatch):
    import contractreview.contract_check as cc
    import contractreview.store.repository as repo

    gui = threading.get_ident()
    where: dict[str, list[int]] = {"prepare": [], "check": []}
    real_prepare, real_check = repo.prepare_review, cc.check_contract

    def prepare(*a, **k):  # type: ignore[no-untyped-def]
        where["prepare"].append(threading.get_ident())
        return real_prepare(*a, **k)

    def check(*a, **k):  # type: ignore[no-untyped-def]
        where["check"].append(threading.get_ident())
        return real_check(*a, **k)

    monkeypatch.setattr(repo, "prepare_review", prepare)
    monkeypatch.setattr("contractreview.gui.handoff.check_contract", check)
    saved: list[object] = []
    real_save = store.save_analysis
    monkeypatch.setattr(store, "save_analysis", lambda a, **k: (saved.append(a), real_save(a, **k))[1])
    path, doc = contract
    analysis = open_and_wait(qtbot, window, path)
    assert where["prepare"] and gui not in where["prepare"]
    assert where["check"] and gui not in where["check"]
    assert len(saved) == 1 and isinstance(saved[0], PreparedReview)
    # what was stored reads back as the analysis shown
    back = store.get_analysis(window.review_id)
    assert [f.status for f in back.findings] == [f.status for f in analysis.findings]
    assert back.document.text == doc.text
