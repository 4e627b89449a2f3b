"""The engine's entry point: :func:`iter_analyze` turns a ``Document`` into an ``Analysis``.

Segmentation, features (:mod:`.features`), scores (:mod:`.scoring`), the decision with its deadline check
(:mod:`.decision`, :mod:`.deadlines`), stage 2 (:mod:`.grader`), the explanation (:mod:`.explanation`) and
the key terms (:mod:`.keyterms`), in that order. A requirement no pattern of the library can detect is never
"missing": it is ``needs_review``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .. import __version__
from ..domain import (
    NOT_CHECKED_LAYER,
    Analysis,
    Clause,
    Document,
    Evidence,
    Finding,
    Progress,
    Requirement,
    Status,
)
from ..segment import segment
from . import ENGINE_VERSION
from . import grader as _stage2
from . import keyterms as _kt
from . import presence as _presence
from .decision import Verdict, decide
from .explanation import _place, evidence_for, explain, explain_not_checked, finding
from .features import Features, iter_extract_features

T = TypeVar("T")

SEGMENTATION_WARNING = (
    "The contract could not be split into clauses ({error}); findings name no clause numbers or "
    "headings, and clause headings were not used as context."
)


def _segment_or_warning(document: Document) -> tuple[tuple[Clause, ...], str]:
    """The clauses, or none and a warning for the document: a segmentation bug must not lose the analysis."""
    try:
        return tuple(segment(document)), ""
    except Exception as exc:  # noqa: BLE001 - reported as a document warning, the analysis goes on
        return (), SEGMENTATION_WARNING.format(error=f"{type(exc).__name__}: {exc}")


def library_for(profile: str, library: Any = None) -> Any:
    """``library`` (the built-in one when None) with ``profile`` active."""
    if library is None:
        from ..library import load_library

        return load_library(profile)
    if getattr(getattr(library, "profile", None), "name", profile) != profile:
        return library.with_profile(profile)
    return library


@dataclass(frozen=True, slots=True)
class EngineTrace:
    """An analysis with the working behind it, for the evaluation and the grader's training.

    ``features`` are the document's features, read once; ``rules`` the rules' verdict (stage 1) and
    ``verdicts`` the final one (after the learned grader) of every requirement the engine can check;
    ``weights`` the library's engine data they were reached with (:meth:`ClauseLibrary.engine_data`).
    """

    analysis: Analysis
    features: Features
    rules: Mapping[str, Verdict]
    verdicts: Mapping[str, Verdict]
    weights: Mapping[str, Any]


def _clause_at(clauses: tuple[Clause, ...], pos: int) -> int:
    """Index of the innermost clause containing ``pos``, -1 when none does."""
    found = -1
    for i, c in enumerate(clauses):
        if c.start <= pos < c.end:
            found = i
    return found


def _detected(
    document: Document, clauses: tuple[Clause, ...], req: Requirement, hit: _presence.Found
) -> tuple[Verdict, Evidence, str]:
    """The verdict, evidence and explanation of a duty the rules called missing and the learned detector
    found: ``weak`` (a sentence states the duty, but no rule checked how firmly), naming the sentence, the
    detector and its probability; never presented as a pattern match."""
    idx = _clause_at(clauses, hit.start)
    c = clauses[idx] if idx >= 0 else None
    ev = Evidence(
        text=document.text[hit.start : hit.end],
        start=hit.start,
        end=hit.end,
        page=document.page_at(hit.start),
        clause=(c.number or c.heading[:60]) if c is not None else "",
        rule=f"{req.id}.{_presence.LAYER}",
        boxes=document.boxes_for(hit.start, hit.end),
    )
    quote = " ".join(ev.text.split())
    quote = quote if len(quote) <= 160 else quote[:159] + "…"
    p = round(hit.probability, 2)
    reason = (
        f"no rule of the clause library matched; the learned presence detector (a statistical model, not a "
        f"pattern) reads this sentence as stating it, with probability {p:.2f}; how firmly it commits was not "
        "checked: read the clause"
    )
    explanation = f'{req.title}: {_place(ev)} says "{quote}". Weak: {reason}.'
    verdict = Verdict(Status.WEAK, (), (reason,), {"detector_probability": p}, _presence.LAYER, p)
    return verdict, ev, explanation


def iter_trace(
    document: Document, *, profile: str = "default", library: Any = None, detector: bool = True
) -> Generator[Progress, None, EngineTrace]:
    """:func:`iter_analyze` that returns the :class:`EngineTrace` (the analysis with its features and verdicts).

    :param detector: let the learned presence detector (:mod:`.presence`) find duties the rules call missing
        (off for the detector's own cross-validation, which needs the rules' verdicts alone).
    """
    from ..nlp import get_pipeline

    library = library_for(profile, library)
    requirements = list(library.requirements_for())
    # Reading the sentences is most of the work on a long contract: it gets FEATURE_STEPS of the bar.
    feature_steps = 3 * len(requirements)
    total = len(requirements) + 2 + feature_steps
    yield Progress("analyze", 0, total, "Preparing the review pipeline")
    nlp = get_pipeline(library)
    clauses, seg_warning = _segment_or_warning(document)
    if seg_warning:
        document = replace(document, warnings=(*document.warnings, seg_warning))
    yield Progress("analyze", 1, total, f"Reading {len(clauses)} clauses")
    gen = iter_extract_features(document, clauses, library, nlp)
    while True:
        try:
            step = next(gen)
        except StopIteration as stop:
            feats = stop.value
            break
        yield Progress("analyze", 1 + int(feature_steps * step.fraction), total, step.message)
    w = library.engine_data()
    rules: dict[str, Verdict] = {}
    verdicts: dict[str, Verdict] = {}
    findings: list[Finding] = []
    grader = _stage2.safe_load() if not w.get("model") else None
    stats = _stage2.document_stats(feats, w, [r.id for r in requirements]) if grader else {}
    model = _presence.safe_load() if detector and not w.get("model") else None
    detectable = [r.id for r in requirements if model is not None and r.id in model.duties]
    found: dict[str, _presence.Found] | None = None  # read once, when the rules first miss a known duty
    s1 = _stage2.stage1_scores(grader, feats, document.text) if grader else None
    for i, req in enumerate(requirements, start=2 + feature_steps):
        if not library.has_detector(req.id):
            # No pattern can find it: saying "missing" would be a false statement in a legal review.
            d = Verdict(Status.NEEDS_REVIEW, (), (), {}, NOT_CHECKED_LAYER, 0.0)
            findings.append(finding(req, d, explain_not_checked(req), ()))
            yield Progress("analyze", i, total, req.title)
            continue
        d = rules[req.id] = decide(req.id, document, feats, library, w)
        # Key terms read the rules' verdicts: they are facts of the text, validated that way (issue #15),
        # and a status the grader changed must not take a deadline the rules read with it.
        note = ""
        if grader is not None:  # stage 2: the learned grader rates (or, if it earned it, decides) the status
            status, conf, layer, note = _stage2.apply(grader, req.id, feats, w, d, stats, s1)
            d = replace(d, status=Status(status), confidence=conf, layer=layer)
            if d.status is Status.MISSING:
                d = replace(d, best=())
            elif not d.best:  # the grader found the protection in sentences the rules ranked too low
                d = replace(d, best=_stage2.candidate_evidence(req.id, feats, w))
        if model is not None and d.status is Status.MISSING and req.id in detectable:
            if found is None:
                found = _presence.find(
                    model, document.text, _presence.document_sentences(document), detectable
                )
            if req.id in found:
                d, ev, explanation = _detected(document, clauses, req, found[req.id])
                verdicts[req.id] = d
                findings.append(finding(req, d, explanation, (ev,)))
                yield Progress("analyze", i, total, req.title)
                continue
        verdicts[req.id] = d
        evidence = tuple(
            evidence_for(document, clauses, s, req.id, d.status is Status.SATISFIED) for s in d.best
        )
        if d.layer == "grader" and d.status is Status.MISSING:
            explanation = (
                f"{req.title}: not found. The rules read a sentence as "
                f"{rules[req.id].status.value.replace('_', ' ')}, but the learned grader judges that "
                "no sentence addresses this protection."
            )
        else:
            explanation = explain(req, d, evidence)
        explanation += f" {note}" if note else ""
        findings.append(finding(req, d, explanation, evidence))
        yield Progress("analyze", i, total, req.title)
    thresholds = {p: library.threshold(p) for p in _kt.TERM_UNITS}
    readings = _kt.read_key_terms(document, clauses, rules, feats.hits, thresholds, law_words=w["lexicon"])
    yield Progress("analyze", total, total, "Done")
    analysis = Analysis(
        document=document,
        clauses=clauses,
        profile=library.profile.name,
        library_version=library.version,
        tool_version=__version__,
        findings=tuple(findings),
        key_terms=_kt.values(readings),
        key_term_readings=readings,
        engine_version=ENGINE_VERSION,
        library_fingerprint=library.fingerprint,
        grader=grader.digest if grader is not None else "",
        detector=model.digest if detectable and model is not None else "",
    )
    return EngineTrace(analysis, feats, rules, verdicts, w)


def iter_analyze(
    document: Document, *, profile: str = "default", library: Any = None
) -> Generator[Progress, None, Analysis]:
    """Analyse ``document`` against ``profile``; yields ``Progress``, returns the ``Analysis``."""
    trace = yield from iter_trace(document, profile=profile, library=library)
    return trace.analysis


def trace(document: Document, **kwargs: Any) -> EngineTrace:
    """Blocking variant of :func:`iter_trace`: what the evaluation reads (one feature extraction per document)."""
    return _exhaust(iter_trace(document, **kwargs))


def analyze(document: Document, **kwargs: Any) -> Analysis:
    """Blocking variant of :func:`iter_analyze`."""
    return _exhaust(iter_analyze(document, **kwargs))


def _exhaust(gen: Generator[Progress, None, T]) -> T:
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
