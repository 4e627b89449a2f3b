"""Clauses × requirements → findings: each protection judged satisfied, weak or missing, with evidence.

One mechanism for every requirement and every document:

1. **Features.** The text is split into sentences (legal-aware splitter); a cheap keyword prefilter keeps
   only sentences that could matter, and the spaCy pipeline (:mod:`contractreview.nlp`) annotates them:
   library cue / commit / weak / deny / scope patterns, negation and refusals, hedges, deadlines, and the
   parties. Clause headings are annotated too: a "Data Breach" heading is evidence for every sentence
   under it.
2. **Scores.** Per requirement and sentence, a *relevance* score (is this sentence about the protection?)
   and a *quality* score (does it commit to it, or hedge, carve out or refuse?) are weighted sums of those
   features. The weights are data (``clause_library/weights.json``), not code; so are the word lists
   (``clause_library/lexicons/``) and what each requirement needs (its own file in
   ``clause_library/requirements``).
3. **Decision.** No relevant sentence → missing. A relevant sentence whose quality reaches the threshold,
   with numbers within the active profile's threshold where the requirement has one → satisfied.
   Anything else that addresses the topic → weak (a refusal addresses it too: it must be negotiated).
   A requirement no pattern of the library can detect is never "missing": it is ``needs_review``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import __version__
from .deadline import paced
from .domain import (
    NOT_CHECKED_LAYER,
    Analysis,
    BlockKind,
    Clause,
    Document,
    Evidence,
    Finding,
    KeyTerm,
    Progress,
    Requirement,
    Status,
    Threshold,
)
from .engine import grader as _stage2
from .engine import keyterms as _kt
from .nlp.sentences import split_sentences
from .paths import clause_library_dir
from .segment import segment

# The built-in library's weights (``contractreview.evaluation.fit`` rewrites its model).
WEIGHTS_PATH = clause_library_dir() / "weights.json"
# Bump when a change of the engine's code (not of the library) alters results; recorded in every analysis.
ENGINE_VERSION = "rules-1"
_SKIP_BLOCKS = {BlockKind.HEADER, BlockKind.FOOTER, BlockKind.HEADING}
# Deadlines are parsed from the sentence text by ``_deadlines`` (pure Python), so the duration component's
# spans are not needed to decide: skipping it saves about a fifth of the annotation time.
_UNUSED_COMPONENTS = ["contractreview_durations"]
_NUM_PREFIX = re.compile(r"^\W*(?:(?:section|article|§)\s*)?[\dIVXivx]+(?:\.\d+)*[.)]?\s*", re.IGNORECASE)


def _looks_like_title(sentence: str) -> bool:
    """A short line without closing punctuation ("Right to audit", "4. DATA BREACH") is a title, and so is a
    long run of capitalised words without one: a table of contents ("Definitions Security Measures Data
    Incidents Subprocessors ...")."""
    text = sentence.strip()
    if not text or text[-1] in ".;:!?)":
        return False
    words = text.split()
    if len(words) <= 6:
        return not any(ch.isdigit() for ch in text[-3:])
    alpha = [w for w in words if w[0].isalpha()]
    return len(words) >= 12 and sum(w[0].isupper() for w in alpha) >= 0.6 * len(words)


# A definition ("1.2 "Security Incident" means the unauthorized access to, acquisition of ...") says what a
# word means, not what anyone promises: it is no evidence of an obligation (except for requirements whose
# protection *is* a definition: ``definition_is_evidence = true`` in its requirement file).
_DEFINITION = re.compile(
    r"""^\W*(?:(?:section|article|§)\s*)?(?:[\dIVXivx]+(?:\.\d+)*[.)]?\s*)?(?:\([a-z0-9]{1,3}\)\s*)?"""
    r"""(?:as\s+used\s+(?:in|herein)[^,]{0,40},\s*)?(?:the\s+(?:term|terms)\s+)?"""
    r"""(?:["“][^"”\n]{1,60}["”]|['‘][^'’\n]{1,60}['’])"""
    r"""(?:\s*(?:,|or|and)\s*(?:["“][^"”\n]{1,60}["”]|['‘][^'’\n]{1,60}['’])){0,3}\s*(?:\([^)]{0,40}\)\s*)?,?\s*"""
    r"""(?:means|shall\s+mean|refers\s+to|shall\s+refer\s+to|is\s+defined\s+as|has\s+the\s+meaning|"""
    r"""shall\s+have\s+the\s+meaning|includes|shall\s+include)\b""",
    re.IGNORECASE,
)


def _is_definition(sentence: str) -> bool:
    return bool(_DEFINITION.match(sentence))


def _is_heading_line(sentence: str, clause: Clause) -> bool:
    head = clause.heading.strip().rstrip(".:").lower()
    body = _NUM_PREFIX.sub("", sentence.strip()).rstrip(".:").lower()
    return bool(head) and (body == head or sentence.strip().rstrip(".:").lower() == head)


def load_weights(library: Any = None) -> Mapping[str, Any]:
    """What the decision reads: the library's weights, per-requirement facts and word lists.

    ``library`` defaults to the built-in library (default profile); see :meth:`ClauseLibrary.engine_data`.
    """
    if library is None:
        from .library import load_library

        library = load_library()
    return library.engine_data()


# --------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class Hit:
    """What one sentence says about one requirement."""

    start: int
    end: int
    clause: int  # index into the clause tuple, -1 when unknown
    cues: tuple[str, ...] = ()
    commits: tuple[str, ...] = ()
    weaks: tuple[str, ...] = ()
    denies: tuple[str, ...] = ()
    scope: bool = False
    heading: bool = False
    modal: bool = False  # a general commitment word ("shall", "will", "agrees to", "does not")
    hedges: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    subject: str | None = None
    recipients: tuple[str, ...] = ()
    context_scope: bool = False  # the previous sentence of the same clause has the requirement's scope words
    heading_scope: bool = False  # the heading of its clause (or of an enclosing one) names the subject


@dataclass(slots=True)
class Features:
    """Everything the decision needs about one document (cheap to re-decide with other weights)."""

    hits: dict[str, list[Hit]] = field(default_factory=dict)
    has_scope_patterns: set[str] = field(default_factory=set)
    cue_weights: dict[str, float] = field(
        default_factory=dict
    )  # rule id -> weight (pattern "weight", default 1)
    sentences: int = 0
    candidates: int = 0


def _clause_index(clauses: tuple[Clause, ...]) -> tuple[list[int], tuple[Clause, ...]]:
    return [c.start for c in clauses], clauses


SEGMENTATION_WARNING = (
    "The contract could not be split into clauses ({error}); findings name no clause numbers or "
    "headings, and clause headings were not used as context."
)


def _segment(document: Document) -> tuple[Clause, ...]:
    return _segment_or_warning(document)[0]


def _segment_or_warning(document: Document) -> tuple[tuple[Clause, ...], str]:
    """The clauses, or none and a warning for the document: a segmentation bug must not lose the analysis."""
    try:
        return tuple(segment(document)), ""
    except Exception as exc:  # noqa: BLE001 - reported as a document warning, the analysis goes on
        return (), SEGMENTATION_WARNING.format(error=f"{type(exc).__name__}: {exc}")


def _sentences(document: Document) -> list[tuple[int, int]]:
    text = document.text
    if not document.blocks:
        return split_sentences(text)
    out: list[tuple[int, int]] = []
    for b in document.blocks:
        if b.kind in _SKIP_BLOCKS or b.end <= b.start:
            continue
        out.extend(split_sentences(text, b.start, b.end))
    return out


_WORD = re.compile(r"[a-z0-9][a-z0-9'\-/]*")
_ARTICLE_ANCHORS = ("article", "articles", "art", "arts")


def _anchor_words(patterns: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """First literal words of cue patterns, split by weight: (strong, weak).

    A sentence without a strong anchor and with fewer than two weak ones cannot reach the relevance
    threshold, so it is never annotated.
    """
    strong: set[str] = set()
    weak: set[str] = set()
    for p in patterns:
        if p.get("kind") != "cue":
            continue
        bucket = strong if float(p.get("weight", 1.0)) >= 2.0 else weak
        pat = p["pattern"]
        if isinstance(pat, dict):
            bucket.update(_ARTICLE_ANCHORS)  # an article citation ({"ARTICLES": [...]}) starts with one of these
        elif isinstance(pat, str):
            if pat.strip():
                bucket.add(pat.strip().lower())  # the whole phrase: far more selective than its first word
        else:
            for tok in pat:
                v = tok.get("LOWER")
                if isinstance(v, str):
                    bucket.add(v)
                    break
                if isinstance(v, dict) and "IN" in v:
                    bucket.update(v["IN"])
                    break
                if tok.get("OP") not in ("?", "*"):
                    strong.add("")  # an unanchored pattern: no cheap filter is safe
                    break
    if "" in strong:
        return ("",), ()
    return tuple(sorted(strong)), tuple(sorted(weak - strong))


def _scope_phrases(patterns: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Phrase scope patterns by requirement (token patterns are only matched by spaCy)."""
    out: dict[str, set[str]] = {}
    for p in patterns:
        if p.get("kind") == "scope" and isinstance(p["pattern"], str) and p["pattern"].strip():
            out.setdefault(p["label"], set()).add(p["pattern"].strip().lower())
    return out


class _Anchors:
    """Fast membership test for anchor words and phrases (set lookups, no large regular expression)."""

    def __init__(self, anchors: tuple[str, ...]) -> None:
        self.everything = anchors == ("",)
        self.single: set[str] = set()
        self.phrases: dict[str, list[str]] = {}
        for a in anchors:
            a = " ".join(a.split())
            ws = _WORD.findall(a)
            if not ws:
                continue
            if len(ws) == 1 and ws[0] == a:
                self.single.add(a)
            else:
                self.phrases.setdefault(ws[0], []).append(a)

    def _hits(self, low: str, words: set[str]) -> set[str]:
        found = words & self.single
        for w in words & self.phrases.keys():
            found.update(p for p in self.phrases[w] if p in low)
        return found

    def any(self, low: str, words: set[str]) -> bool:
        return self.everything or bool(self._hits(low, words))

    def count(self, low: str, words: set[str]) -> int:
        return len(self._hits(low, words))


_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u00a0": " "})


def _one_line(sentence: str) -> str:
    """``sentence`` with line breaks, tabs and no-break spaces as plain spaces (its length unchanged)."""
    return sentence.translate(_LINE_BREAKS)


_LEAD_MAX_CHARS = 600  # a longer "lead-in" is a paragraph of its own, not the opening of a list
# Words a sentence cannot end with: a line ending in one was broken mid-sentence ("... compliance with").
_OPEN_ENDINGS = frozenset(
    "a an the and or of to in on with for by from that as at under including pursuant regarding "
    "concerning respecting such any its their".split()
)
_ENUMERATOR = re.compile(r"^\(?(?:[ivx]{1,4}|[a-z]|\d{1,2})\)\s", re.IGNORECASE)
_LIST_ITEM_END = re.compile(r"(?:[;,]|[;,]\s*(?:and|or|and/or)|\b(?:and|or))\s*$", re.IGNORECASE)


def _lead_in(
    text: str, ps: int, pe: int, s: int, e: int, prev_lead: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """The lead-in of sentence ``s:e`` given the sentence ``ps:pe`` before it (and that one's lead-in).

    - after "... including with respect to:" the lead-in is that sentence (with its own lead-in);
    - after a fragment that stops on a word no sentence ends with ("... in ensuring compliance with") and a
      sentence that goes on in lower case, the two are one sentence broken by a line break;
    - after a list item ending in ";", "; and" or "," the item shares the lead-in of the one before; when
      that item has none, it is itself the lead-in of a next item that starts in lower case or with "(ii)".
    """
    prev = text[ps:pe].rstrip()
    cur = text[s:e].lstrip()
    if not prev or not cur:
        return ()
    if prev.endswith(":"):
        lead = prev_lead + ((ps, pe),)
    elif prev.split()[-1].lower() in _OPEN_ENDINGS and cur[0].islower() and len(prev.split()) > 6:
        lead = prev_lead + ((ps, pe),)
    elif _LIST_ITEM_END.search(prev) and prev_lead:
        lead = prev_lead
    elif _LIST_ITEM_END.search(prev) and (cur[0].islower() or _ENUMERATOR.match(cur)):
        lead = ((ps, pe),)  # "... shall assist with (i) X; and" + "(ii) Y": one sentence, split at the item
    else:
        return ()
    while lead and sum(b - a for a, b in lead) > _LEAD_MAX_CHARS:
        lead = lead[1:]
    return lead


def _spans(doc: Any, key: str) -> list[Any]:
    return list(doc.spans[key]) if key in doc.spans else []


PROGRESS_EVERY_S = 0.25  # a 300-page contract spends seconds here; the progress bar must keep moving (#17)


def extract_features(document: Document, clauses: tuple[Clause, ...], library: Any, nlp: Any) -> Features:
    """Annotate candidate sentences and group what they say by requirement (blocking)."""
    gen = iter_extract_features(document, clauses, library, nlp)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def iter_extract_features(
    document: Document, clauses: tuple[Clause, ...], library: Any, nlp: Any
) -> Generator[Progress, None, Features]:
    """:func:`extract_features` as a generator: a ``Progress`` (sentences read of the candidates) at most
    every :data:`PROGRESS_EVERY_S` seconds, then the ``Features``."""
    import time

    from .nlp import profile_patterns

    next_tick = time.monotonic() + PROGRESS_EVERY_S

    patterns = profile_patterns(library)
    feats = Features()
    feats.has_scope_patterns = {p["label"] for p in patterns if p.get("kind") == "scope"}
    feats.cue_weights = {p["id"]: float(p.get("weight", 1.0)) for p in patterns if p.get("kind") == "cue"}
    # An article citation in a heading ("Article 33") is most often the contract's own numbering: it makes
    # no heading topical.
    citation_rules = {p["id"] for p in patterns if isinstance(p["pattern"], dict)}
    wanted = {r.id for r in library.requirements_for()}
    text = document.text
    starts = [c.start for c in clauses]

    # Headings first: a clause headed "Data Breach" makes its sentences candidates for breach requirements.
    heading_reqs: dict[int, set[str]] = {}
    head_idx = [i for i, c in enumerate(clauses) if c.heading.strip()]
    for i, hdoc in zip(
        head_idx,
        paced(nlp.pipe((clauses[i].heading for i in head_idx), batch_size=256, disable=_UNUSED_COMPONENTS),
              "reading headings", len(head_idx)),
        strict=True,
    ):
        # Only a specific cue makes a heading topical ("Data Breach"), not a generic word ("Changes").
        labels = {
            sp.label_
            for sp in _spans(hdoc, "cr_cue")
            if feats.cue_weights.get(sp.id_, 1.0) >= 2.0 and sp.id_ not in citation_rules
        } & wanted
        if labels:
            heading_reqs[i] = labels

    sents = _sentences(document)
    feats.sentences = len(sents)
    strong_words, weak_words = _anchor_words(patterns)
    strong = _Anchors(strong_words)
    weak_a = _Anchors(weak_words)
    commit_a = _Anchors(
        tuple(
            sorted(
                {
                    p["pattern"].strip().lower()
                    for p in patterns
                    if p.get("kind") in ("commit", "weak", "deny")
                    and p["label"] != "_common"
                    and isinstance(p["pattern"], str)
                    and p["pattern"].strip()
                }
            )
        )
    )
    scope_a = {
        rid: _Anchors(tuple(sorted(words)))
        for rid, words in _scope_phrases(patterns).items()
        if rid in wanted
    }
    # The subject a clause heading names ("5. Personal Data Breaches") scopes every sentence under it,
    # including those of its sub-clauses. Only phrases count here: a single scope word ("data",
    # "notice", "users") names no subject in a heading such as "Privacy Notice".
    phrase_scope_a = {
        rid: _Anchors(tuple(sorted(w for w in words if " " in w.strip())))
        for rid, words in _scope_phrases(patterns).items()
        if rid in wanted and any(" " in w.strip() for w in words)
    }
    heading_scope: dict[int, set[str]] = {}
    open_heads: list[tuple[int, str]] = []  # (level, heading) of the enclosing clauses
    for i, c in enumerate(clauses):
        while open_heads and open_heads[-1][0] >= c.level:
            open_heads.pop()
        open_heads.append((c.level, c.heading.strip()))
        hlow = " ".join(" ".join(h for _, h in open_heads if h).lower().split())
        if hlow:
            hwords = set(_WORD.findall(hlow))
            rids = {rid for rid, anchors in phrase_scope_a.items() if anchors.any(hlow, hwords)}
            if rids:
                heading_scope[i] = rids
    prev_of: dict[int, tuple[int, int, int]] = {}
    # The lead-in of a sentence: the words that carry its promise when the sentence is a list item after
    # "... shall provide assistance with respect to:" or the rest of a sentence broken by a line break.
    lead_of: dict[int, tuple[tuple[int, int], ...]] = {}
    cands: list[tuple[int, int, int]] = []
    last: tuple[int, int, int] | None = None
    for n_sent, (s, e) in enumerate(paced(sents, "sorting sentences", len(sents))):  # time budget (#19)
        if time.monotonic() >= next_tick:
            next_tick = time.monotonic() + PROGRESS_EVERY_S
            yield Progress("features", 0, 1, f"Finding candidate sentences ({n_sent:,} of {len(sents):,})")
        ci_prev = last
        last = (s, e, bisect.bisect_right(starts, s) - 1 if starts else -1)
        if ci_prev is not None:
            prev_of[s] = ci_prev
            lead = _lead_in(text, ci_prev[0], ci_prev[1], s, e, lead_of.get(ci_prev[0], ()))
            if lead:
                lead_of[s] = lead
        ci = bisect.bisect_right(starts, s) - 1 if starts else -1
        sentence = text[s:e]
        if (ci >= 0 and _is_heading_line(sentence, clauses[ci])) or _looks_like_title(sentence):
            continue  # a heading is context for the sentences below it, not evidence by itself
        # Cheap prefilter: a sentence can only be relevant with one strong cue, two weak ones, a weak one
        # with a requirement's commitment, hedge or refusal phrase, or a matching clause heading;
        # everything else never reaches spaCy.
        if ci >= 0 and ci in heading_reqs:
            cands.append((s, e, ci))
            continue
        low = " ".join(sentence.lower().split())
        words = set(_WORD.findall(low))
        if strong.any(low, words):
            cands.append((s, e, ci))
            continue
        n_weak = weak_a.count(low, words)
        if n_weak >= 2 or (n_weak and commit_a.any(low, words)):
            cands.append((s, e, ci))
    feats.candidates = len(cands)

    w = library.engine_data()
    definitions_count = set(w.get("definitions_count_for", ()))
    # Prohibition requirements and the verbs a negation must govern for them ("not sell" forbids a sale,
    # not a disclosure).
    prohibitions = {
        rid: frozenset(verbs) for rid, verbs in dict(w.get("prohibitions", {})).items() if rid in wanted
    }
    lex = w["lexicon"]
    # Lead-ins count for the requirements of the categories listed in weights.json ("lead_in_categories");
    # the others read each sentence alone, as before. A sentence with a lead-in is then annotated after it
    # ("<lead-in> <sentence>"): the lead-in's commitment, party and scope words count for the sentence; its
    # cues and exclusions count only in the sentence itself.
    lead_cats = set(w.get("lead_in_categories", ()))
    lead_rids = frozenset(r.id for r in library.requirements_for() if r.category in lead_cats) & wanted
    plain_rids = frozenset(wanted - lead_rids)
    jobs: list[tuple[int, int, int, str, int, frozenset[str]]] = []  # s, e, clause, text, own_from, rids
    for s, e, ci in cands:
        own = _one_line(text[s:e])
        if lead_rids and s in lead_of:
            lead = " ".join(_one_line(text[a:b]) for a, b in lead_of[s])
            jobs.append((s, e, ci, f"{lead} {own}", len(lead) + 1, lead_rids))
            if plain_rids:
                jobs.append((s, e, ci, own, 0, plain_rids))
        else:
            jobs.append((s, e, ci, own, 0, frozenset(wanted)))
    for n_cand, ((s, e, ci, _, own_from, job_rids), doc) in enumerate(zip(
        jobs,
        # A line break inside a sentence is a space to the patterns ("reserves the\nright to update"
        # must match "reserves the right to update"); same length, so token offsets stay exact.
        paced(nlp.pipe((job[3] for job in jobs), batch_size=128, disable=_UNUSED_COMPONENTS),
              "reading sentences", len(jobs)),
        strict=True,
    )):
        if time.monotonic() >= next_tick:
            next_tick = time.monotonic() + PROGRESS_EVERY_S
            yield Progress("features", n_cand, len(jobs), f"Reading sentence {n_cand:,} of {len(jobs):,}")
        definition = _is_definition(text[s:e])
        prev = prev_of.get(s)
        prev_low = prev_words = None
        if prev is not None and prev[2] == ci and ci >= 0:
            prev_low = " ".join(text[prev[0] : prev[1]].lower().split())
            prev_words = set(_WORD.findall(prev_low))
        commit_end: dict[str, int] = {}
        for sp in _spans(doc, "cr_commit"):
            commit_end[sp.label_] = min(commit_end.get(sp.label_, sp.end), sp.end)
        negated_use = _negated_use_cues(doc, prohibitions, lex)
        scope_tokens: dict[str, set[int]] = {}
        for sp in _spans(doc, "cr_scope"):
            scope_tokens.setdefault(sp.label_, set()).update(range(sp.start, sp.end))
        by_kind: dict[str, dict[str, list[str]]] = {}
        for kind in ("cue", "commit", "weak", "deny", "scope", "exclude"):
            d: dict[str, list[str]] = {}
            if kind == "commit":
                for rid in negated_use:
                    d.setdefault(rid, []).append(f"{rid}.commit.negated_use")
            for sp in _spans(doc, f"cr_{kind}"):
                if kind in ("cue", "exclude") and sp.start_char < own_from:
                    continue  # the lead-in's own topic is the lead-in's hit, not this sentence's
                if (
                    kind == "weak"
                    and sp.label_ in commit_end
                    and sp.start >= commit_end[sp.label_]
                    and scope_tokens.get(sp.label_, set()) & set(range(sp.start, sp.end))
                ):
                    # Subject matter named after the commitment is its object, not a hedge: "This
                    # Agreement takes precedence over any terms of service, privacy policy or ...".
                    continue
                d.setdefault(sp.label_, []).append(sp.id_ or sp.text.lower())
            by_kind[kind] = d
        common = by_kind["commit"].get("_common", [])
        common_weak = by_kind["weak"].get("_common", [])
        common_deny = by_kind["deny"].get("_common", [])
        negs = _spans(doc, "cr_neg")
        hedges = tuple(sp.text.lower() for sp in _spans(doc, "cr_hedge") if sp.label_ == "hedge")
        refusals = tuple(sp.text.lower() for sp in negs if sp.label_ == "refusal")
        # Carve-out triggers; "^" marks one that opens the sentence ("Except as otherwise permitted by law, …").
        exceptions = tuple(
            ("^" if sp.start <= 2 else "") + " ".join(sp.text.lower().split()[:2])
            for sp in negs
            if sp.label_ == "exception"
        )
        heads = heading_reqs.get(ci, set())
        reqs = (set(by_kind["cue"]) | heads) & job_rids
        if definition:
            reqs &= definitions_count
        # An "exclude" pattern stops the sentence counting for its requirement.
        reqs -= set(by_kind["exclude"])
        for rid in reqs:
            hit = Hit(
                start=s,
                end=e,
                clause=ci,
                cues=tuple(by_kind["cue"].get(rid, ())),
                commits=tuple(by_kind["commit"].get(rid, ())),
                weaks=tuple(by_kind["weak"].get(rid, ())) + tuple(common_weak if False else ()),
                denies=tuple(by_kind["deny"].get(rid, ())) + tuple(common_deny),
                scope=bool(by_kind["scope"].get(rid)),
                heading=rid in heads,
                modal=bool(common),
                hedges=hedges,
                refusals=refusals,
                exceptions=exceptions,
                subject=doc._.cr_subject,
                recipients=tuple(doc._.cr_recipients),
                context_scope=bool(
                    prev_low is not None
                    and rid in scope_a
                    and scope_a[rid].any(prev_low, prev_words or set())
                ),
                heading_scope=rid in heading_scope.get(ci, ()),
            )
            feats.hits.setdefault(rid, []).append(hit)
    return feats


_NEGATION_REACH = 40  # tokens between "not use" and the protected subject


def _negated_use_cues(
    doc: Any, prohibitions: Mapping[str, frozenset[str]], lex: Mapping[str, Any]
) -> set[str]:
    """Prohibition requirements whose cue sits inside the reach of a negated verb of that requirement.

    "[We pledge to] not use or disclose student information collected through a school service
    (whether personal or otherwise) for behavioral targeting of advertisements" forbids targeted
    advertising although "not" and "behavioral" are 14 words apart: a cue of a prohibition requirement
    that follows "not/never (be) <verb>" in the same sentence, with a verb listed for that requirement
    (or one joined to it by "or"/"and": "not use or disclose"), makes the sentence a commitment to it.
    The words come from the ``negation`` lexicon and each requirement's ``prohibited_verbs``.
    """
    if not prohibitions:
        return set()
    negators, between, any_verb = lex["negators"], lex["between_negation_and_verb"], lex["use_verbs"]
    cues = [sp for sp in _spans(doc, "cr_cue") if sp.label_ in prohibitions]
    if not cues:
        return set()
    negated: list[tuple[int, int, set[str]]] = []  # (first verb, first token after the verbs, the verbs)
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.lower_ not in negators:
            continue
        if i and doc[i - 1].lower_ in ("have", "has", "had"):
            continue  # "we have not sold": a statement about the past, not a promise
        j = i + 1
        while j < n and j <= i + 3 and doc[j].lower_ in between:
            j += 1
        verbs: set[str] = set()
        first = j
        while j < n and (doc[j].lower_ in any_verb or (verbs and doc[j].lower_ in ("or", "and", ","))):
            if doc[j].lower_ in any_verb:
                verbs.add(doc[j].lower_)
            j += 1
        if verbs:
            negated.append((first, j, verbs))
    out = set()
    for sp in cues:
        allowed = prohibitions[sp.label_]
        # The cue may be the verb itself ("nor will we market to students").
        if any(
            first <= sp.start <= end + _NEGATION_REACH and verbs & allowed for first, end, verbs in negated
        ):
            out.add(sp.label_)
    return out


# --------------------------------------------------------------------------- decision


@dataclass(frozen=True, slots=True)
class Scored:
    hit: Hit
    relevance: float
    quality: float


@dataclass(frozen=True, slots=True)
class Decision:
    status: Status
    best: tuple[Scored, ...]
    reasons: tuple[str, ...]
    params: Mapping[str, Any]
    layer: str = "rules"
    confidence: float = 1.0
    deadline: int = 0  # +1 a fixed deadline within the profile's limit, -1 vague / too long / late clock


def _weak_words(rule_id: str) -> str:
    """The words of a weak-wording rule id ("purpose_limitation.weak.such_as.2" → "such as")."""
    return rule_id.rsplit(".weak.", 1)[-1].split(".")[0].replace("_", " ")


def _generic_weak(rule_id: str, generic: frozenset[str]) -> bool:
    """One-word hedges any sentence may contain (``generic_weak`` in the ``hedges`` lexicon) weaken a
    sentence about the protection but do not make a sentence about something else relevant to it
    ("we may share information ... with law enforcement")."""
    return _weak_words(rule_id) in generic


def score_hit(hit: Hit, rid: str, feats: Features, w: Mapping[str, Any]) -> Scored:
    r, q = w["relevance"], w["quality"]
    generic = w["lexicon"]["generic_weak"]
    cue = sum(feats.cue_weights.get(c, 1.0) for c in set(hit.cues))
    rel = (
        r["cue"] * min(cue, r["cue_cap"])
        + r["heading"] * hit.heading
        + r["commit"] * bool(hit.commits)
        # Wording that hedges or refuses *this* protection addresses it too ("we may modify these terms").
        + r.get("weak", 0.0) * bool(hit.denies or any(not _generic_weak(x, generic) for x in hit.weaks))
    )
    # A commitment made by the school or the user ("the Client will indemnify the Provider") is not the vendor's.
    vendor_bound = hit.subject not in ("school", "user") or rid in w.get("rights_of_school_or_user", ())
    qual = (
        q["commit"] * (bool(hit.commits) and vendor_bound)
        + q["modal"] * (hit.modal and vendor_bound)
        - q.get("other_party", 0.0) * (not vendor_bound)
        - q["weak"] * bool(hit.weaks)
        - q["hedge"] * bool(hit.hedges)
        - q["deny"] * bool(hit.denies or hit.refusals)
        - q["exception"] * _carves_out(hit, w["lexicon"]["broad_carve_outs"])
    )
    return Scored(hit, rel, qual)


def _deadlines(sent: str, parameter: str) -> list[Any]:
    """Durations of ``sent`` that can be the requirement's deadline (see :func:`engine.keyterms.deadlines`)."""
    return _kt.deadlines(sent, parameter)


def _numbers(rid: str, text: str, scored: list[Scored], parameter: str) -> dict[str, Any]:
    """The deadline stated for ``rid``: the best-scoring relevant sentence that states one."""
    return _kt.numbers(text, scored, parameter)


def _carves_out(hit: Hit, broad: tuple[str, ...]) -> bool:
    """A carve-out that weakens the sentence.

    "shall not … other than for school purposes" or "… except for subprocessors" inside a commitment is
    the protection itself; "unless", "subject to", "to the extent" or a sentence-opening exception is not
    (``broad``: ``broad_carve_outs`` of the ``negation`` lexicon, matched on the trigger's first two words).
    """
    if not hit.exceptions:
        return False
    if not hit.commits:
        return True
    return any(e.startswith("^") or e.startswith(tuple(broad)) for e in hit.exceptions)


def _relevant(rid: str, feats: Features, w: Mapping[str, Any], floor: float) -> list[Scored]:
    scored = [score_hit(h, rid, feats, w) for h in feats.hits.get(rid, [])]
    need_scope = rid in feats.has_scope_patterns
    # The context a scope pattern asks for may sit in the previous sentence of the same numbered clause
    # ("... or as required by law. If Provider receives a subpoena ..., Provider shall notify the District");
    # only a sentence with the requirement's own commitment wording borrows it (a bare topic word next to
    # a scoped sentence is too little).
    out = [
        s
        for s in scored
        if s.relevance >= floor
        and (s.hit.cues or s.hit.heading)
        and (
            s.hit.scope
            or s.hit.heading
            or s.hit.heading_scope
            or not need_scope
            or (s.hit.commits and s.hit.context_scope)
        )
        and not (rid in w["notice_to"] and _owed_elsewhere(s.hit, w["notice_to"][rid]))
    ]
    out.sort(key=lambda s: (-(s.quality + 0.25 * s.relevance), s.hit.start))
    return out


FEATURE_NAMES = (
    "bias",
    "max_relevance",
    "log_relevant",
    "top_quality",
    "any_commit",
    "commit_share",
    "any_weak",
    "weak_share",
    "any_hedge_top",
    "any_deny",
    "any_exception_top",
    "heading",
    "modal_top",
    "deadline_ok",
    "deadline_bad",
    "strong_relevant",
)


def doc_vector(rel: list[Scored], w: Mapping[str, Any], deadline: int) -> list[float]:
    """Document-level features of one requirement (inputs of the status model)."""
    import math

    if not rel:
        return [1.0] + [0.0] * (len(FEATURE_NAMES) - 1)
    top = rel[0]
    n = len(rel)
    top3 = rel[:3]
    vendor = [s for s in rel if s.hit.subject not in ("school", "user")]
    return [
        1.0,
        min(max(s.relevance for s in rel), 5.0) / 5.0,
        math.log1p(n) / 3.0,
        max(-3.0, min(3.0, top.quality)) / 3.0,
        float(any(s.hit.commits for s in vendor)),
        sum(bool(s.hit.commits) for s in rel) / n,
        float(any(s.hit.weaks for s in rel)),
        sum(bool(s.hit.weaks) for s in rel) / n,
        float(any(s.hit.hedges for s in top3)),
        float(any(s.hit.denies or s.hit.refusals for s in rel)),
        float(any(s.hit.exceptions for s in top3)),
        float(any(s.hit.heading for s in rel)),
        float(top.hit.modal),
        float(deadline > 0),
        float(deadline < 0),
        float(sum(s.relevance >= w["relevance"]["min_relevance"] for s in rel) > 0),
    ]


_CLASSES = (Status.SATISFIED, Status.WEAK, Status.MISSING)


def model_status(vec: list[float], model: Mapping[str, Any]) -> tuple[Status, float]:
    """Softmax over satisfied / weak / missing with the weights in ``weights.json`` (``model``)."""
    import math

    scores = [sum(a * b for a, b in zip(model["coef"][c.value], vec, strict=True)) for c in _CLASSES]
    top = max(scores)
    exps = [math.exp(x - top) for x in scores]
    i = max(range(3), key=lambda k: scores[k])
    return _CLASSES[i], exps[i] / sum(exps)


def decide(rid: str, document: Document, feats: Features, library: Any, w: Mapping[str, Any]) -> Decision:
    model = w.get("model")
    floor = model["min_relevance"] if model else w["relevance"]["min_relevance"]
    relevant = _relevant(rid, feats, w, floor)
    if not relevant:
        return Decision(Status.MISSING, (), (), {})
    strong = [s for s in relevant if s.relevance >= w["relevance"]["min_relevance"]]
    if strong:
        strong_ids = {id(s) for s in strong}  # identity, not dataclass equality: O(n), not O(n^2)
        relevant = strong + [s for s in relevant if id(s) not in strong_ids]
    reasons: list[str] = []
    params: dict[str, Any] = {}
    top = relevant[0]
    ok = top.quality >= w["satisfied_threshold"]
    if any(s.hit.denies or s.hit.refusals for s in relevant):
        worst = min(relevant, key=lambda s: s.quality)
        if top.quality - w["deny_anywhere_penalty"] < w["satisfied_threshold"] and ok:
            ok = False
            reasons.append(f'another sentence refuses or limits it ("{_short(document.text, worst.hit)}")')
    if not ok:
        reasons.extend(_weak_reasons(top))

    deadline = 0  # +1 a fixed deadline within the profile's limit, -1 vague / too long / late clock start
    blocked = False  # a hard rule forbids "satisfied"
    parameter = w["parameters"].get(rid)
    if parameter:
        nums = _numbers(rid, document.text, relevant, parameter)
        th: Threshold | None = library.threshold(parameter)
        per_unit = _HOURS_PER_UNIT[_unit_of(parameter)]
        if nums:
            hours = nums["hours"]
            value = None if hours is None else hours / per_unit
            if value is not None and per_unit != 1:
                value = int(value) if float(value).is_integer() else round(value, 1)
            elif value is not None:
                value = int(hours) if float(hours).is_integer() else hours
            params[parameter] = value
            params["wording"] = nums["wording"]
            if parameter == "breach_notice_max_hours":
                params["clock_start"] = nums["clock_start"]
            if nums["hit"] in relevant and relevant[0] is not nums["hit"]:
                relevant.remove(nums["hit"])
                relevant.insert(0, nums["hit"])  # the sentence stating the deadline is the best evidence
        if th is not None:
            params["threshold"] = th.value
            params["threshold_unit"] = th.unit
            params["threshold_basis"] = th.basis
            params["threshold_is_law"] = th.is_law
            if parameter == "breach_notice_max_hours":
                params["threshold_hours"] = th.value
        value = params.get(parameter)
        if nums and value is not None:
            deadline = 1
            # A firm deadline stated with a commitment word is itself the commitment ("shall notify ... within
            # 24 hours"), also when a vaguer timing word comes first ("without undue delay, and in any event
            # within 48 hours"): the fixed number is the outer limit.
            h = nums["hit"].hit
            if not ok and h.modal and not (h.refusals or h.denies) and _only_timing_words(h, w):
                ok = True
                reasons = [
                    r
                    for r in reasons
                    if "firm commitment" not in r and "hedged" not in r and "weak wording" not in r
                ]
        if not nums or value is None:
            if rid in w["timeframe_required"]:
                blocked = True
                deadline = -1
                wording = nums.get("wording") if nums else None
                reasons.append(
                    f'no fixed deadline ("{wording}")' if wording else "no fixed deadline is stated"
                )
        elif th is not None and th.value is not None and value > th.value:
            blocked = True
            deadline = -1
            reasons.append(
                _over_threshold(parameter, value, th, params.get("wording", ""), library.profile.name)
            )
        if parameter == "breach_notice_max_hours" and params.get("clock_start") in {
            "confirmation",
            "determination",
        }:
            need = th.clock_start if th is not None and th.clock_start else "discovery"
            if need != params["clock_start"]:
                blocked = True
                deadline = -1
                reasons.append(f"the clock starts at {params['clock_start']}, not at {need}")
    layer = "rules"
    confidence = 1.0
    if model:
        status, confidence = model_status(doc_vector(relevant, w, deadline), model)
        layer = "classifier"
        if status is Status.WEAK and not reasons:
            reasons.extend(_weak_reasons(top) or ["the wording is not a firm commitment"])
    else:
        status = Status.SATISFIED if ok else Status.WEAK
        if not strong:
            status = Status.MISSING
    if status is Status.SATISFIED and blocked:
        params["deadline_blocked"] = True  # the figure alone stops "satisfied" (a corrected one re-checks it)
        status = Status.WEAK
        layer = "rules"
    if status is Status.MISSING:
        return Decision(Status.MISSING, (), (), params, layer, confidence, deadline)
    best = tuple(relevant[: w["max_evidence"]])
    return Decision(status, best, tuple(dict.fromkeys(reasons)), params, layer, confidence, deadline)


def _only_timing_words(h: Hit, w: Mapping[str, Any]) -> bool:
    """Every hedge and weak wording of the sentence is a vague time ("promptly", ``timing`` lexicon)."""
    timing = w["lexicon"]["vague_timing"]
    words = list(h.hedges) + [_weak_words(x) for x in h.weaks]
    return all(any(t in word for t in timing) for word in words)


def _owed_elsewhere(h: Hit, recipient: str) -> bool:
    """A notice owed only to others (users, parents) is not a notice to ``recipient`` (the school)."""
    return bool(h.recipients) and recipient not in h.recipients


# A parameter's unit is its name's suffix (``_hours``, ``_days``, ``_months``: the library checks it).
_HOURS_PER_UNIT = {"hours": 1, "days": 24, "months": 24 * 30}  # a month as the duration parser counts it


def _unit_of(parameter: str) -> str:
    for unit in ("hours", "months"):
        if parameter.endswith(f"_{unit}"):
            return unit
    return "days"


def _over_threshold(parameter: str, value: float, th: Threshold, wording: str, profile: str) -> str:
    unit = _unit_of(parameter)
    tv = th.value if th.value is None or not float(th.value).is_integer() else int(th.value)
    stated = f"{value:g} {unit}" + (f' ("{wording}")' if wording else "")
    if th.is_law:
        return (
            f"the contract allows {stated}; the {profile} profile requires at most {tv:g} {unit} ({th.basis})"
        )
    basis = f": {th.basis}" if th.basis else ""
    return (
        f"the contract allows {stated}; the {profile} profile asks for at most {tv:g} {unit}, "
        f"a project recommendation, not a legal requirement{basis}"
    )


def _weak_reasons(s: Scored) -> list[str]:
    h = s.hit
    out: list[str] = []
    if h.refusals or h.denies:
        out.append(
            f"it refuses or disclaims it ({_rule_words((h.refusals or h.denies)[0])})"
        )
    if h.hedges:
        out.append(f'it is hedged ("{h.hedges[0]}")')
    if h.weaks:
        out.append(f"it uses weak wording ({_rule_words(h.weaks[0])})")
    if h.exceptions:
        out.append(f'it carves out exceptions ("{h.exceptions[0].lstrip("^")}")')
    if not h.commits:
        out.append("no firm commitment to the protection was found")
    return out


def _rule_words(rule: str) -> str:
    """The words a rule id names ("x.weak.such_as.2" → '"such as"'): a numeric suffix is not a word."""
    parts = [p for p in rule.split(".") if not p.isdigit()]
    return '"' + (parts[-1] if parts else rule).replace("_", " ") + '"'


def _short(text: str, h: Hit, n: int = 90) -> str:
    s = " ".join(text[h.start : h.end].split())
    return s if len(s) <= n else s[: n - 1] + "…"


# --------------------------------------------------------------------------- findings


def _where(document: Document, clauses: tuple[Clause, ...], h: Hit) -> tuple[str, int]:
    page = document.page_at(h.start)
    if 0 <= h.clause < len(clauses):
        c = clauses[h.clause]
        return (c.number or c.heading[:60]), page
    return "", page


def _evidence(
    document: Document, clauses: tuple[Clause, ...], s: Scored, rid: str, satisfied: bool = False
) -> Evidence:
    h = s.hit
    clause, page = _where(document, clauses, h)
    # The rule named is the one behind the verdict: a satisfied finding is not "because of" the vague
    # timing word a fixed deadline overrides.
    order = (h.commits, h.cues, h.denies, h.weaks) if satisfied else (h.commits, h.denies, h.weaks, h.cues)
    rule = next((r[0] for r in order if r), f"{rid}.heading")
    return Evidence(
        text=document.text[h.start : h.end],
        start=h.start,
        end=h.end,
        page=page,
        clause=clause,
        rule=rule,
        boxes=document.boxes_for(h.start, h.end),
    )


def _place(ev: Evidence) -> str:
    where = (
        f"clause {ev.clause}"
        if ev.clause and any(ch.isdigit() for ch in ev.clause[:4])
        else (f'"{ev.clause}"' if ev.clause else "the text")
    )
    return f"{where}, page {ev.page}"


def _explain_not_checked(req: Requirement) -> str:
    description = req.description.rstrip(".")
    return (
        f"{req.title}: not checked automatically. The clause library has no rule that detects this "
        f"protection, so the engine did not look for it. Read the contract for it: {description}."
    )


def _library_weak_cues(req: Requirement, evidence: tuple[Evidence, ...], reasons: Iterable[str]) -> list[str]:
    """The requirement's ``weak_cues`` found in the evidence and not already quoted by another reason."""
    said = " ".join(reasons).lower()
    text = " ".join(" ".join(ev.text.split()).lower() for ev in evidence)
    return [c for c in dict.fromkeys(c.lower() for c in req.weak_cues) if c in text and c not in said]


def _explain(req: Requirement, d: Decision, evidence: tuple[Evidence, ...]) -> str:
    if d.status is Status.MISSING:
        return f"{req.title}: not found. No clause addresses this protection (no cue of the clause library matched)."
    ev = evidence[0]
    quote = " ".join(ev.text.split())
    quote = quote if len(quote) <= 160 else quote[:159] + "…"
    lead = f'{req.title}: {_place(ev)} (rule {ev.rule}) says "{quote}"'
    if d.status is Status.SATISFIED:
        extra = ""
        if d.params.get("wording"):
            extra = f" The deadline ({d.params['wording']}) is within the profile's limit."
        return f"{lead}. This is a firm commitment.{extra}"
    reasons = list(d.reasons) or ["the wording is not a firm commitment"]
    cues = _library_weak_cues(req, evidence, reasons)
    if cues:
        listed = ", ".join(f'"{c}"' for c in cues)
        reasons.append(
            f"the evidence says {listed}, listed in the clause library as weak for this protection"
        )
    return f"{lead}. Weak: {'; '.join(reasons)}."


def _governing_law(text: str) -> str | None:
    """The place whose law governs, as named (see :func:`engine.keyterms.read_governing_law`)."""
    return _kt.governing_law(text)


def key_terms(
    document: Document,
    clauses: tuple[Clause, ...],
    decisions: Mapping[str, Decision],
    feats: Features,
    library: Any = None,
) -> tuple[KeyTerm, ...]:
    """The five key terms with their event, party and sentence (:mod:`contractreview.engine.keyterms`)."""
    thresholds = {p: library.threshold(p) for p in _kt.TERM_UNITS} if library is not None else {}
    words = library.engine_data()["lexicon"] if library is not None else None  # governing_law lexicon
    return _kt.read_key_terms(document, clauses, decisions, feats.hits, thresholds, law_words=words)


def _finding(req: Requirement, d: Decision, explanation: str, evidence: tuple[Evidence, ...]) -> Finding:
    return Finding(
        requirement_id=req.id,
        title=req.title,
        category=req.category,
        status=d.status,
        severity=req.severity,
        explanation=explanation,
        evidence=evidence,
        params=dict(d.params),
        sources=tuple(req.sources),
        suggested_language=req.suggested_language,
        vendor_question=req.vendor_question,
        layer=d.layer,
        confidence=round(d.confidence, 3),
    )


def iter_analyze(
    document: Document, *, profile: str = "default", library: Any = None
) -> Generator[Progress, None, Analysis]:
    """Analyse ``document`` against ``profile``; yields ``Progress``, returns the ``Analysis``."""
    from .library import load_library
    from .nlp import get_pipeline

    if library is None:
        library = load_library(profile)
    elif getattr(getattr(library, "profile", None), "name", profile) != profile:
        library = library.with_profile(profile)
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
    decisions: dict[str, Decision] = {}
    findings: list[Finding] = []
    grader = _stage2.safe_load() if not w.get("model") else None
    stats = _stage2.document_stats(feats, w, [r.id for r in requirements]) if grader else {}
    for i, req in enumerate(requirements, start=2 + feature_steps):
        if not library.has_detector(req.id):
            # No pattern can find it: saying "missing" would be a false statement in a legal review.
            d = Decision(Status.NEEDS_REVIEW, (), (), {}, NOT_CHECKED_LAYER, 0.0)
            findings.append(_finding(req, d, _explain_not_checked(req), ()))
            yield Progress("analyze", i, total, req.title)
            continue
        d = decide(req.id, document, feats, library, w)
        note = ""
        if grader is not None:  # stage 2: the learned grader rates (or, if it earned it, decides) the status
            status, conf, layer, note = _stage2.apply(grader, req.id, feats, w, d, stats)
            d = replace(d, status=Status(status), confidence=conf, layer=layer)
            if d.status is Status.MISSING:
                d = replace(d, best=())
        decisions[req.id] = d
        evidence = tuple(
            _evidence(document, clauses, s, req.id, d.status is Status.SATISFIED) for s in d.best
        )
        explanation = _explain(req, d, evidence) + (f" {note}" if note else "")
        findings.append(_finding(req, d, explanation, evidence))
        yield Progress("analyze", i, total, req.title)
    readings = key_terms(document, clauses, decisions, feats, library)
    yield Progress("analyze", total, total, "Done")
    return Analysis(
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
    )


def analyze(document: Document, **kwargs: Any) -> Analysis:
    """Blocking variant of :func:`iter_analyze`."""
    gen = iter_analyze(document, **kwargs)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
