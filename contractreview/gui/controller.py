"""The review controller: the non-widget work of the main window (issue #17).

It holds the open review (analysis as the engine read it and with the reviewer's key-term corrections,
stored review id, source path, password) and does everything that touches the store or writes files:
finding a stored review of a file, saving an analysis, reading and writing decisions and key-term
corrections, and the exports. It imports no widgets, so it is tested without a window, and the main
window is left with layout and user interaction (in the spirit of Anki's ``aqt/operations``).
Everything here runs on the GUI thread: the worker thread never touches the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import Analysis, Decision, ReportMeta, ReviewDecision
from ..errors import ContractReviewError
from ..vocabulary import ContractTerms


@dataclass
class ReviewState:
    analysis: Analysis | None = None
    engine_analysis: Analysis | None = None  # before the reviewer's key-term corrections
    review_id: int | None = None
    current_path: str | None = None
    password: str | None = None


class ReviewController:
    """Store, current review, decisions, corrections and exports for one window."""

    def __init__(self, store: Any, reviewer: Callable[[], str] = lambda: "") -> None:
        self.store = store
        self._reviewer = reviewer
        self.state = ReviewState()

    # ------------------------------------------------------------------ the open review
    @property
    def analysis(self) -> Analysis | None:
        return self.state.analysis

    @property
    def sha256(self) -> str | None:
        return self.state.analysis.document.sha256 if self.state.analysis else None

    def close(self) -> None:
        self.state = ReviewState()

    def stored_review(self, path: str, profile: str) -> tuple[Any, Analysis] | None:
        """The latest stored review of the file at ``path`` with ``profile`` (by SHA-256), or None."""
        if self.store is None:
            return None
        from ..ingest import file_sha256

        sha = file_sha256(path)
        if sha is None:
            return None
        try:
            summary = self.store.latest_review(sha, profile=profile)
            if summary is None:
                return None
            analysis = self.store.get_analysis(summary.id)
        except ContractReviewError:
            return None  # an unreadable stored review: the caller analyses the file afresh
        if not analysis.document.text:
            return None
        return summary, replace(analysis, document=replace(analysis.document, source_path=path))

    def save(self, analysis: Any, path: str | None) -> int | None:
        """Store ``analysis`` (or the worker's ``PreparedReview`` of it) as a new review; None without a
        store. :raises ContractReviewError:"""
        if self.store is None:
            return None
        return int(self.store.save_analysis(analysis, source_path=path))

    def reviewer(self) -> str:
        return self._reviewer()

    def corrected(self, analysis: Analysis) -> Analysis:
        """``analysis`` with the reviewer's key-term corrections and status overrides (the checklist shows
        the effective status; each finding keeps the engine's). :raises ContractReviewError:"""
        if self.store is None:
            return analysis
        return self.store.corrected(analysis)

    def decisions(self, analysis: Analysis | None = None) -> dict[str, ReviewDecision]:
        """The decisions on ``analysis`` (default: the open one). :raises ContractReviewError:"""
        analysis = analysis or self.state.analysis
        if self.store is None or analysis is None:
            return {}
        return self.store.decisions(analysis.document.sha256, current=analysis)

    # ------------------------------------------------------------------ decisions
    def set_decision(self, requirement_id: str, decision: Decision, note: str) -> ReviewDecision:
        """Write a decision now. :raises ContractReviewError:"""
        from ..store import evidence_text_for

        analysis = self.state.analysis
        assert analysis is not None and self.store is not None
        return self.store.set_decision(
            analysis.document.sha256, requirement_id, decision, note=note, reviewer=self._reviewer(),
            evidence_text=evidence_text_for(analysis.finding(requirement_id)),
        )

    def clear_decision(self, requirement_id: str) -> bool:
        """Withdraw a decision (the audit log keeps it). :raises ContractReviewError:"""
        analysis = self.state.analysis
        assert analysis is not None and self.store is not None
        return bool(self.store.clear_decision(analysis.document.sha256, requirement_id, reviewer=self._reviewer()))

    # ------------------------------------------------------------------ key-term corrections
    def set_key_term(self, name: str, value: Any, note: str = "") -> None:
        engine = self.state.engine_analysis
        assert engine is not None and self.store is not None
        self.store.set_key_term(engine.document.sha256, name, value, reviewer=self._reviewer(), note=note,
                                engine_value=engine.key_terms.get(name))

    def clear_key_term(self, name: str) -> bool:
        engine = self.state.engine_analysis
        assert engine is not None and self.store is not None
        return bool(self.store.clear_key_term(engine.document.sha256, name, reviewer=self._reviewer()))

    # ------------------------------------------------------------------ annotations and overrides (#16)
    def _doc(self) -> Any:
        analysis = self.state.analysis
        assert analysis is not None and self.store is not None
        return analysis.document

    def anchor(self, start: int, end: int) -> Any:
        """A ``TextAnchor`` on the open document's text (offsets into ``Document.text``)."""
        from ..domain import TextAnchor

        return TextAnchor.of(self._doc().text, start, end)

    def annotations(self) -> list[Any]:
        """The open document's annotations, in text order. :raises ContractReviewError:"""
        if self.store is None or self.state.analysis is None:
            return []
        return list(self.store.annotations(self.state.analysis.document.sha256))

    def add_annotation(self, start: int, end: int, comment: str, requirement_id: str | None = None) -> Any:
        """Comment on ``Document.text[start:end]``, written now. :raises ContractReviewError:"""
        return self.store.add_annotation(self._doc().sha256, self.anchor(start, end), comment,
                                         requirement_id=requirement_id, author=self._reviewer())

    def update_annotation(self, annotation_id: int, *, comment: str, requirement_id: str | None) -> Any:
        return self.store.update_annotation(annotation_id, comment=comment, requirement_id=requirement_id,
                                            author=self._reviewer())

    def delete_annotation(self, annotation_id: int) -> bool:
        return bool(self.store.delete_annotation(annotation_id, author=self._reviewer()))

    def restore_annotation(self, annotation: Any) -> Any:
        """Write a deleted annotation again (Undo); it gets a new id."""
        return self.store.add_annotation(self._doc().sha256, annotation.anchor, annotation.comment,
                                         requirement_id=annotation.requirement_id, author=annotation.author or self._reviewer())

    def reanchor_annotation(self, annotation: Any, start: int, end: int) -> Any:
        """Point ``annotation`` at ``Document.text[start:end]`` (after a revision moved or lost its text)."""
        return self.store.update_annotation(annotation.id, anchor=self.anchor(start, end), author=self._reviewer())

    def overrides(self) -> dict[str, Any]:
        """The open document's status overrides by requirement id. :raises ContractReviewError:"""
        if self.store is None or self.state.analysis is None:
            return {}
        return dict(self.store.overrides(self.state.analysis.document.sha256))

    def set_override(self, requirement_id: str, status: Any, reason: str, evidence: Any = None) -> Any:
        """The reviewer's status for a requirement; ``evidence`` is a ``TextAnchor`` or (start, end).

        :raises ValueError: an empty reason. :raises ContractReviewError:"""
        if isinstance(evidence, tuple):
            evidence = self.anchor(*evidence)
        return self.store.set_override(self._doc().sha256, requirement_id, status, reason, evidence=evidence,
                                       author=self._reviewer())

    def clear_override(self, requirement_id: str) -> bool:
        return bool(self.store.clear_override(self._doc().sha256, requirement_id, author=self._reviewer()))

    def carry_forward(self, previous_sha256: str) -> Any:
        """Re-anchor the annotations and overrides of an earlier version onto the open one."""
        doc = self._doc()
        return self.store.carry_forward(doc.sha256, previous_sha256, doc.text)

    # ------------------------------------------------------------------ exports
    # ------------------------------------------------------------------ the contract's names (#18)
    def detected_terms(self) -> ContractTerms:
        """The parties' and the data's names as the contract defines them (neutral words where it does not)."""
        from ..vocabulary import detect_terms

        a = self.state.analysis
        return detect_terms(a.document) if a is not None else ContractTerms()

    def vocabulary(self) -> ContractTerms:
        """The reviewer's names for this document ("" = the contract's own). :raises ContractReviewError:"""
        a = self.state.analysis
        if self.store is None or a is None:
            return ContractTerms()
        return self.store.vocabulary(a.document.sha256)

    def set_vocabulary(self, terms: ContractTerms) -> ContractTerms:
        """Keep the reviewer's names with the document; a name equal to the detected one is not stored, so
        the contract's own keeps applying. :raises ContractReviewError:"""
        a = self.state.analysis
        assert a is not None and self.store is not None
        found = self.detected_terms()
        own = ContractTerms(**{k: ("" if getattr(terms, k).strip() == getattr(found, k) else getattr(terms, k).strip())
                               for k in ("vendor", "school", "data")})
        return self.store.set_vocabulary(a.document.sha256, own, reviewer=self._reviewer())

    def meta(self) -> ReportMeta:
        a = self.state.analysis
        try:
            names = self.vocabulary()
        except ContractReviewError:
            names = ContractTerms()  # the exports then use the contract's own names
        return ReportMeta(
            reviewer=self._reviewer(),
            agreement=(a.document.title or a.document.name) if a else "",
            date=date.today().isoformat(),
            review_id=self.state.review_id,
            vendor_term=names.vendor,
            school_term=names.school,
            data_term=names.data,
        )

    def export_report(self, fmt: str, dest: Path) -> Path:
        from ..export import export_report

        assert self.state.analysis is not None
        return Path(export_report(self.state.analysis, self.decisions(), self.meta(), fmt, dest))

    def export_annotated(self, dest: Path) -> Path:
        from ..export import export_annotated

        assert self.state.analysis is not None and self.state.current_path
        return Path(export_annotated(self.state.analysis, self.decisions(), self.meta(),
                                     Path(self.state.current_path), dest, annotations=self.annotations()))

    def export_change_request(self, dest: Path) -> Path:
        from ..export import export_change_request

        assert self.state.analysis is not None
        return Path(export_change_request(self.state.analysis, self.decisions(), self.meta(), dest))

    def summary_html(self) -> str:
        """The gap summary as HTML (the same content as the HTML export), for printing."""
        from ..export.html_report import render_html
        from ..export.model import build_report

        assert self.state.analysis is not None
        return render_html(build_report(self.state.analysis, self.decisions(), self.meta()))

    def export_portfolio(self, dest: Path) -> Path:
        """Every stored document's latest review with its corrections and decisions, as one CSV."""
        gen = self.portfolio_job(dest)()
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return Path(stop.value)

    def portfolio_job(self, dest: Path) -> Callable[[], Any]:
        """A generator factory for the worker thread: the portfolio export with progress and cancel.

        The list of reviews is read here, on the GUI thread (one query); the reviews themselves are read
        and rebuilt on the worker through :meth:`Store.reader`, a separate read-only connection, so the GUI
        thread's connection stays on the GUI thread and up to 100,000 analyses no longer freeze the window.
        """
        from ..export import iter_export_portfolio

        assert self.store is not None
        store = self.store
        summaries = [(s.id, s.sha256) for s in store.recent_documents(limit=100000)]

        def factory():  # type: ignore[no-untyped-def]  # runs on the worker thread
            def rows():  # type: ignore[no-untyped-def]
                reader = store.reader()
                try:
                    for review_id, sha in summaries:
                        a = reader.corrected(reader.get_analysis(review_id))  # corrections and overrides (#16)
                        yield a, reader.decisions(sha, current=a)
                finally:
                    reader.close()

            return iter_export_portfolio(rows(), Path(dest), len(summaries))

        return factory
