"""Features: what each candidate sentence of a document says about each requirement.

The text is split into sentences (legal-aware splitter); a cheap keyword prefilter keeps only sentences that
could matter, and the spaCy pipeline (:mod:`contractreview.nlp`) annotates them: library cue / commit / weak /
deny / scope patterns, negation and refusals, hedges, and the parties. Clause headings are annotated too: a
"Data Breach" heading is evidence for every sentence under it. No spaCy object leaves this module: the result
is plain :class:`Hit` records grouped by requirement in :class:`Features`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .. import forked
from ..deadline import budget_end, paced
from ..domain import BlockKind, Clause, Document, Progress
from ..nlp.match_table import lowers as token_lowers
from ..nlp.match_table import matches
from ..nlp.sentences import split_sentences

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


_HIT_FIELDS = tuple(f.name for f in fields(Hit))
_HIT_TUPLES = frozenset(f.name for f in fields(Hit) if str(f.type).startswith("tuple"))


def hit_to_json(hit: Hit) -> list[Any]:
    """``hit`` as a JSON list (the forked reader of the second half hands its hits back this way)."""
    return [getattr(hit, name) for name in _HIT_FIELDS]


def hit_from_json(values: list[Any]) -> Hit:
    return Hit(**{n: tuple(v) if n in _HIT_TUPLES else v for n, v in zip(_HIT_FIELDS, values, strict=True)})


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
    spans: tuple[tuple[int, int], ...] = ()  # every sentence's offsets (stage 1 scores them all)


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


# The cue ruler's matches are read from its match table (:func:`contractreview.nlp.components.matches`):
# no Span objects for them.
_MATCHES_ONLY = {"contractreview_cues": {"spans": False}}

# From this many candidate sentences on (a contract of some 20 dense pages), a forked child reads the second
# half while this process reads the first; below it the fork and the hand-over cost more than they save.
PARALLEL_MIN_JOBS = 400

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

    from ..nlp import profile_patterns

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
        paced(nlp.pipe((clauses[i].heading for i in head_idx), batch_size=256, disable=_UNUSED_COMPONENTS,
                       component_cfg=_MATCHES_ONLY),
              "reading headings", len(head_idx)),
        strict=True,
    ):
        # Only a specific cue makes a heading topical ("Data Breach"), not a generic word ("Changes").
        labels = {
            label
            for _s, _e, label, rid in matches(hdoc, "cue")
            if feats.cue_weights.get(rid, 1.0) >= 2.0 and rid not in citation_rules
        } & wanted
        if labels:
            heading_reqs[i] = labels

    sents = _sentences(document)
    feats.sentences = len(sents)
    feats.spans = tuple(sents)
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

    def read(
        part: list[tuple[int, int, int, str, int, frozenset[str]]], offset: int = 0, scale: float = 1.0
    ) -> Iterator[list[tuple[str, Hit]]]:
        """The hits of each job of ``part`` (jobs ``offset`` on), in order (one list per job); progress
        counts ``scale`` jobs for each of ``part``."""
        for (s, e, ci, _, own_from, job_rids), doc in zip(
            part,
            # A line break inside a sentence is a space to the patterns ("reserves the\nright to update"
            # must match "reserves the right to update"); same length, so token offsets stay exact.
            paced(nlp.pipe((job[3] for job in part), batch_size=128, disable=_UNUSED_COMPONENTS,
                           component_cfg=_MATCHES_ONLY),
                  "reading sentences", len(jobs), offset=offset, scale=scale),
            strict=True,
        ):
            found: list[tuple[str, Hit]] = []
            definition = _is_definition(text[s:e])
            prev = prev_of.get(s)
            prev_low = prev_words = None
            if prev is not None and prev[2] == ci and ci >= 0:
                prev_low = " ".join(text[prev[0] : prev[1]].lower().split())
                prev_words = set(_WORD.findall(prev_low))
            commit_end: dict[str, int] = {}
            for _s, end, label, _rid in matches(doc, "commit"):
                commit_end[label] = min(commit_end.get(label, end), end)
            negated_use = _negated_use_cues(doc, prohibitions, lex)
            scope_tokens: dict[str, set[int]] = {}
            for start, end, label, _rid in matches(doc, "scope"):
                scope_tokens.setdefault(label, set()).update(range(start, end))
            by_kind: dict[str, dict[str, list[str]]] = {}
            for kind in ("cue", "commit", "weak", "deny", "scope", "exclude"):
                d: dict[str, list[str]] = {}
                if kind == "commit":
                    for rid in negated_use:
                        d.setdefault(rid, []).append(f"{rid}.commit.negated_use")
                for start, end, label, rid in matches(doc, kind):
                    if own_from and kind in ("cue", "exclude") and doc[start].idx < own_from:
                        continue  # the lead-in's own topic is the lead-in's hit, not this sentence's
                    if (
                        kind == "weak"
                        and label in commit_end
                        and start >= commit_end[label]
                        and scope_tokens.get(label, set()) & set(range(start, end))
                    ):
                        # Subject matter named after the commitment is its object, not a hedge: "This
                        # Agreement takes precedence over any terms of service, privacy policy or ...".
                        continue
                    d.setdefault(label, []).append(rid)
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
                found.append((rid, hit))
            yield found

    # A long contract's second half is read by a forked child on the other core while this process reads
    # the first (contractreview.forked); if the child fails, this process reads that half too.
    split = len(jobs) - len(jobs) // 2 if len(jobs) >= PARALLEL_MIN_JOBS else len(jobs)
    helper = None
    if split < len(jobs):
        helper = forked.start(
            lambda: [[rid, hit_to_json(h)] for hits in read(jobs[split:], split) for rid, h in hits]
        )
    if helper is None:
        split = len(jobs)
    for n_cand, hits in enumerate(read(jobs[:split], 0, len(jobs) / split if split else 1.0)):
        if time.monotonic() >= next_tick:
            next_tick = time.monotonic() + PROGRESS_EVERY_S
            done = n_cand * len(jobs) // split  # the child reads its half at about the same pace
            yield Progress("features", done, len(jobs), f"Reading sentence {done:,} of {len(jobs):,}")
        for rid, hit in hits:
            feats.hits.setdefault(rid, []).append(hit)
    if helper is not None:
        got = helper.result(budget_end())
        if got is None:  # the child failed or ran out of time: read its half here (same errors, same limits)
            for hits in read(jobs[split:], split):
                for rid, hit in hits:
                    feats.hits.setdefault(rid, []).append(hit)
        else:
            for rid, h in got:
                feats.hits.setdefault(rid, []).append(hit_from_json(h))
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
    cues = [(start, label) for start, _e, label, _rid in matches(doc, "cue") if label in prohibitions]
    if not cues:
        return set()
    negated: list[tuple[int, int, set[str]]] = []  # (first verb, first token after the verbs, the verbs)
    lowers = token_lowers(doc)
    n = len(lowers)
    for i, low in enumerate(lowers):
        if low not in negators:
            continue
        if i and lowers[i - 1] in ("have", "has", "had"):
            continue  # "we have not sold": a statement about the past, not a promise
        j = i + 1
        while j < n and j <= i + 3 and lowers[j] in between:
            j += 1
        run = _verb_run(lowers, j, any_verb)
        if run is not None:
            negated.append(run)
    negated.extend(_fronted_negations(lowers, any_verb))
    out = set()
    for start, label in cues:
        allowed = prohibitions[label]
        # The cue may be the verb itself ("nor will we market to students").
        if any(first <= start <= end + _NEGATION_REACH and verbs & allowed for first, end, verbs in negated):
            out.add(label)
    return out


# "no later than", "no more than": a limit, not a negation of what follows.
_NOT_FRONTED = frozenset({"later", "less", "more", "longer", "fewer", "sooner", "earlier", "other", "one"})
_AUX = frozenset({"will", "shall", "may", "can", "must", "would", "is", "are", "be", "ever"})


def _fronted_negations(lowers: list[str], any_verb: Any) -> list[tuple[int, int, set[str]]]:
    """Negations fronted before their verb, as (first verb, first token after the verbs, the verbs).

    "Under no circumstances will Company sell …", "In no event shall Provider disclose …", "no student
    information will be used for …": the negator is "no" in front of the subject or the clause, and the
    verb follows an auxiliary, after an inverted subject of up to three words ("will Company", "shall the
    Provider"). "no later than 72 hours" is a limit, not a negation.
    """
    out: list[tuple[int, int, set[str]]] = []
    n = len(lowers)
    for i, low in enumerate(lowers):
        if low != "no" or i + 1 >= n or lowers[i + 1] in _NOT_FRONTED:
            continue
        k = next((k for k in range(i + 1, min(n, i + 7)) if lowers[k] in _AUX), None)
        if k is None or any(t in (",", ";", ".") for t in lowers[i + 1 : k]):
            continue
        j = k + 1
        while j < n and j <= k + 4 and lowers[j] not in any_verb and lowers[j] not in (",", ";", "."):
            j += 1
        run = _verb_run(lowers, j, any_verb)
        if run is not None:
            out.append(run)
    return out


def _verb_run(lowers: list[str], j: int, any_verb: Any) -> tuple[int, int, set[str]] | None:
    """The verbs from token ``j`` on ("sell, rent or lease"): (first verb, first token after them, the verbs),
    or None when no verb stands at ``j``."""
    n, first = len(lowers), j
    verbs: set[str] = set()
    while j < n and (lowers[j] in any_verb or (verbs and lowers[j] in ("or", "and", ","))):
        if lowers[j] in any_verb:
            verbs.add(lowers[j])
        j += 1
    return (first, j, verbs) if verbs else None


# --------------------------------------------------------------------------- decision
