"""spaCy components of the review pipeline, registered as factories (the factory name is the component name; changes that alter results bump ``PIPELINE_VERSION``).

Each component writes spans into ``doc.spans`` under its own key; span labels say what was found and,
for library patterns, ``span.id_`` is the rule name so that every finding can name the rule that fired.

- ``contractreview_cues``: library patterns (one SpanRuler per pattern kind: ``cr_cue``, ``cr_commit``,
  ``cr_weak``, ``cr_deny``, ``cr_scope``), including article citations read as numbers (``{"ARTICLES": [33]}``
  matches "Articles 32 to 36").
- ``contractreview_negation``: negations, exceptions/carve-outs and refusals with their scope (``cr_neg``).
- ``contractreview_hedges``: hedging wording by the obligor (``cr_hedge``); "the District may" is a
  permission, not a vendor hedge.
- ``contractreview_durations``: deadlines normalised to hours (``cr_dur``; ``span._.cr_hours``) and
  ``doc._.cr_clock`` (discovery / confirmation / determination).
- ``contractreview_roles``: party mentions (``cr_role``: vendor / school / user), ``doc._.cr_subject``
  (who is bound) and ``doc._.cr_recipients`` (to whom a notice is owed).

The word lists are settings of the factories, and :func:`contractreview.nlp.build_pipeline` fills them
from the clause library's lexicons (``clause_library/lexicons/*.toml``): no legal wording lives here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..inflection import compile_patterns
from ..library import PATTERN_KINDS  # one list of kinds, validated by the library
from ._spacy import import_spacy
from .citations import parse_article_citations
from .durations import clock_start, parse_durations
from .match_table import LOWERS, MATCHES

import_spacy()  # before any "from spacy... import": skips spacy.cli (see _spacy.py)

from spacy.language import Language  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

# Kinds: cue, commit, weak, deny, scope and "exclude" (wording that stops a sentence counting for one
# requirement, e.g. a GDPR Art. 28(3)(h) audit clause is not an Art. 28(3)(f) assistance clause).
SPAN_KEYS = {kind: f"cr_{kind}" for kind in PATTERN_KINDS}

for _name, _default in (("cr_clock", None), ("cr_subject", None), ("cr_recipients", ())):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("cr_hours"):
    Span.set_extension("cr_hours", default=None)
if not Span.has_extension("cr_outer"):
    Span.set_extension("cr_outer", default=False)


class CueRuler:
    """Library patterns (spaCy SpanRuler JSONL format) matched in one pass and split by kind.

    One ``Matcher`` and one ``PhraseMatcher`` hold every pattern, keyed by rule name, so each rule id
    travels with its span (``span.id_``) and the doc is scanned once instead of once per kind.
    """

    def __init__(self, nlp: Language, name: str, *, phrase_matcher_attr: str = "LOWER") -> None:
        from spacy.matcher import Matcher

        self.name = name
        self.nlp = nlp
        self._matcher_class = Matcher
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr=phrase_matcher_attr)
        self.phrase_matcher_attr = phrase_matcher_attr
        self.rules: dict[str, tuple[str, str]] = {}  # rule id -> (kind, label)
        # Per token pattern, the words some token must equal (one set per non-optional literal token): a
        # doc whose text contains none of one set's words cannot match, so that pattern's Matcher is skipped.
        self._required: list[tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = []
        # One Matcher per token pattern (parallel to ``_required``): a sentence runs only the patterns its
        # words allow. With one Matcher for all, a pattern whose words are in nearly every sentence ("is
        # encrypted") made every pattern run on nearly every sentence (+15% analysis).
        self.token_matchers: list[Any] = []
        self._make_doc = nlp.make_doc  # tokeniser only: never run the full pipeline on a pattern
        # Article-citation patterns ({"ARTICLES": [33]}): rule id -> (kind, article numbers). A citation
        # such as "Articles 32 to 36" matches every rule whose numbers it covers.
        self._articles: dict[str, tuple[str, frozenset[int]]] = {}

    @property
    def patterns(self) -> list[str]:
        return list(self.rules)

    def add_patterns(self, patterns: Iterable[dict], *, phrase_keys: Sequence[Sequence[int]] | None = None) -> None:
        """Add library patterns; ``phrase_keys`` (from :meth:`phrase_keys` over the same patterns, e.g. read
        from the pipeline cache) stand in for tokenising the phrase patterns, in their order.

        Lemma patterns arrive as written (tests, validation) or already expanded (profile_patterns); the keys
        follow the expanded phrases."""
        keys = iter(phrase_keys) if phrase_keys is not None else None
        phrases: dict[str, list] = {}  # rule id -> its phrases (a lemma pattern has many)
        for p in compile_patterns(patterns):
            kind = p.get("kind", "cue")
            if kind not in SPAN_KEYS:
                continue
            rid = p["id"]
            self.rules[rid] = (kind, p["label"])
            if isinstance(p["pattern"], dict):
                self._articles[rid] = (kind, frozenset(int(n) for n in p["pattern"]["ARTICLES"]))
            elif isinstance(p["pattern"], str):
                key = next(keys) if keys is not None else None
                phrases.setdefault(rid, []).append(list(key) if key is not None else p["pattern"])
            else:
                pattern = _simplify(p["pattern"])
                own = self._matcher_class(self.nlp.vocab)
                own.add(rid, [pattern])
                self.token_matchers.append(own)
                self._required.append(_required_words(pattern))
        docs = {rid: [t if isinstance(t, list) else self._make_doc(t) for t in texts] for rid, texts in phrases.items()}
        # PhraseMatcher.add makes a vocabulary entry for each rule id and computes its word attributes
        # (shape, prefix, like_num...): a third of the pipeline build for some 2,400 ids that are keys,
        # never words of a contract. Without the attribute functions the entries cost next to nothing.
        vocab = self.nlp.vocab
        getters = vocab.lex_attr_getters
        vocab.lex_attr_getters = {}
        try:
            for rid, pattern_docs in docs.items():
                self.phrase_matcher.add(rid, pattern_docs)
        finally:
            vocab.lex_attr_getters = getters

    def phrase_keys(self, patterns: Iterable[dict]) -> list[list[int]]:
        """What the phrase matcher stores of each phrase pattern, in order: the hashes of its tokens'
        matched attribute (``LOWER``). Plain integers: they can be cached as JSON and handed back to
        :meth:`add_patterns`, which then skips the tokeniser."""
        attr = self.phrase_matcher_attr
        return [[int(v) for v in self._make_doc(p["pattern"]).to_array(attr)] for p in phrase_patterns(compile_patterns(patterns))]

    def __call__(self, doc: Doc, *, spans: bool = True) -> Doc:
        """Match every rule; the matches go to ``doc.user_data[MATCHES]`` (read with :func:`matches`) and,
        unless ``spans`` is False, also to ``doc.spans`` as Span objects.

        The engine reads the match table and passes ``spans=False`` (``component_cfg`` of ``nlp.pipe``): a
        contract's candidate sentences carry tens of thousands of matches (one scope word matches for
        every requirement that lists it), and a Span object costs far more to make and read than a tuple.
        """
        found: dict[str, set[tuple[int, int, str]]] = {k: set() for k in PATTERN_KINDS}
        strings = doc.vocab.strings
        matches = list(self.phrase_matcher(doc))
        text = doc.text  # rebuilt from the tokens on every access: read it once
        if self._required:
            low = text.lower()
            words = set(_RUNS.findall(low))
            for req, matcher in zip(self._required, self.token_matchers, strict=True):
                if all((simple & words) or any(w in low for w in other) for simple, other in req):
                    matches += matcher(doc)
        for match_id, start, end in matches:
            rid = strings[match_id]
            kind, _label = self.rules[rid]
            found[kind].add((start, end, rid))
        if self._articles and _ARTICLE_WORD.search(text):
            for cit in parse_article_citations(text):
                span = doc.char_span(cit.start, cit.end, alignment_mode="expand")
                if span is None:
                    continue
                for rid, (kind, numbers) in self._articles.items():
                    if numbers & cit.numbers:
                        found[kind].add((span.start, span.end, rid))
        rules = self.rules
        table = {
            kind: tuple((s, e, rules[rid][1], rid) for s, e, rid in sorted(found[kind])) for kind in SPAN_KEYS
        }
        doc.user_data[MATCHES] = table
        if spans:
            for kind, key in SPAN_KEYS.items():
                doc.spans[key] = [Span(doc, s, e, label=label, span_id=rid) for s, e, label, rid in table[kind]]
        return doc


def phrase_patterns(patterns: Iterable[dict]) -> list[dict]:
    """The patterns :class:`CueRuler` adds to its phrase matcher, in order."""
    return [p for p in patterns if p.get("kind", "cue") in SPAN_KEYS and isinstance(p["pattern"], str)]


_ALTERNATION = re.compile(r"^\^\(([\w' -]+(?:\|[\w' -]+)*)\)\$$")


def _simplify(pattern: list[dict]) -> list[dict]:
    """The same token pattern with cheaper predicates: ``{"REGEX": "^(a|b)$"}`` on LOWER becomes ``{"IN": [...]}``.

    A plain alternation of words is exactly a set lookup; spaCy evaluates a regular expression per token.
    """
    out = []
    for tok in pattern:
        v = tok.get("LOWER")
        if isinstance(v, dict) and set(v) == {"REGEX"}:
            m = _ALTERNATION.match(v["REGEX"])
            if m and not any(ch in m.group(1) for ch in "\\.*+?[]{}"):
                tok = {**tok, "LOWER": {"IN": m.group(1).split("|")}}
        out.append(tok)
    return out


_RUNS = re.compile(r"[a-z]+|[0-9]+")
_ARTICLE_WORD = re.compile(r"\b(?:[Aa]rt|ART)")


def _required_words(pattern: list[dict]) -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Word sets of the pattern's mandatory literal tokens (LOWER/ORTH/TEXT equal to or IN a list).

    Each set is split into plain words (all letters or all digits: a token equal to one is a whole run of
    letters or digits of the text) and other literals ("n't", "twenty-four"), tested as substrings.
    """
    sets = []
    for tok in pattern:
        if tok.get("OP", "1") not in ("1", "!", "+") or tok.get("OP") == "!":
            continue
        for key in ("LOWER", "ORTH", "TEXT", "NORM"):
            v = tok.get(key)
            if isinstance(v, str):
                sets.append({v.lower()})
            elif isinstance(v, dict) and set(v) == {"IN"}:
                sets.append({str(x).lower() for x in v["IN"]})
    out = []
    for ws in sets:
        simple = frozenset(w for w in ws if w.isalpha() and w.isascii() or w.isdigit())
        out.append((simple, tuple(sorted(ws - simple))))
    return tuple(out)


@Language.factory("contractreview_cues", default_config={"phrase_matcher_attr": "LOWER"})
def make_cues(nlp: Language, name: str, *, phrase_matcher_attr: str) -> CueRuler:
    return CueRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr)


# --------------------------------------------------------------------------- negation / exceptions

_SCOPE_END = re.compile(r"[;:,.]|\b(?:and|but|or)\b")


class Negation:
    def __init__(
        self, nlp: Language, name: str, *, negations: list[str], exceptions: list[str], refusals: list[str]
    ) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, phrases in (("negation", negations), ("exception", exceptions), ("refusal", refusals)):
            self.matcher.add(label, [nlp.make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            # Scope: from the trigger to the next clause boundary (punctuation or a coordinating conjunction).
            stop = end
            while stop < len(doc) and not (stop > end and _SCOPE_END.fullmatch(doc[stop].lower_)):
                stop += 1
            spans.append(Span(doc, start, max(stop, end), label=label))
        doc.spans["cr_neg"] = spans
        return doc


@Language.factory("contractreview_negation")
def make_negation(
    nlp: Language, name: str, *, negations: list[str], exceptions: list[str], refusals: list[str]
) -> Negation:
    return Negation(nlp, name, negations=negations, exceptions=exceptions, refusals=refusals)


# --------------------------------------------------------------------------- hedges

class Hedges:
    def __init__(
        self, nlp: Language, name: str, *, hedges: list[str], permission_subjects: list[str]
    ) -> None:
        self.name = name
        self.permitted = frozenset(w.lower() for w in permission_subjects)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("hedge", [nlp.make_doc(p) for p in hedges])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for _mid, start, end in self.matcher(doc):
            span = Span(doc, start, end, label="hedge")
            if span.text.lower() in {"may", "we may", "might", "could"}:
                nxt = doc[end].lower_ if end < len(doc) else ""
                if nxt in {"not", "never", "only"}:  # "may not disclose" is a prohibition, not a hedge
                    continue
                prev = [t.lower_ for t in doc[max(0, start - 4) : start]]
                if any(w in self.permitted for w in prev) and "we" not in prev:
                    span = Span(doc, start, end, label="permission")  # "the District may request"
            spans.append(span)
        doc.spans["cr_hedge"] = spans
        return doc


@Language.factory("contractreview_hedges")
def make_hedges(nlp: Language, name: str, *, hedges: list[str], permission_subjects: list[str]) -> Hedges:
    return Hedges(nlp, name, hedges=hedges, permission_subjects=permission_subjects)


# --------------------------------------------------------------------------- durations


class Durations:
    def __init__(self, nlp: Language, name: str, *, business_day_factor: float) -> None:
        self.name = name
        self.business_day_factor = business_day_factor

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc.text  # built from the tokens on every access: read it once
        for d in parse_durations(text):
            span = doc.char_span(d.start, d.end, label=d.unit, alignment_mode="expand")
            if span is None:
                continue
            span._.cr_hours = d.hours
            span._.cr_outer = d.outer
            spans.append(span)
        doc.spans["cr_dur"] = spans
        doc._.cr_clock = clock_start(text)
        return doc


@Language.factory("contractreview_durations", default_config={"business_day_factor": 1.4})
def make_durations(nlp: Language, name: str, *, business_day_factor: float) -> Durations:
    return Durations(nlp, name, business_day_factor=business_day_factor)


# --------------------------------------------------------------------------- roles

class Roles:
    """``words``: the lists of the ``parties`` lexicon (vendor, school, user, authority, data_nouns,
    obligation_words, notify_words)."""

    PARTIES = ("vendor", "school", "user", "authority")

    def __init__(self, nlp: Language, name: str, *, words: dict[str, list[str]]) -> None:
        self.name = name
        self.data_nouns = frozenset(w.lower() for w in words["data_nouns"])
        self.obligation_words = frozenset(w.lower() for w in words["obligation_words"])
        self.notify_words = frozenset(w.lower() for w in words["notify_words"])
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label in self.PARTIES:
            self.matcher.add(label, [nlp.make_doc(w) for w in words[label]])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.matcher(doc)]
        # "Student Data", "School records", "your information": a party word used as a modifier names data, not a party.
        data_nouns = self.data_nouns
        spans = [sp for sp in spans if not (sp.end < len(doc) and doc[sp.end].lower_ in data_nouns)]
        spans = _longest(spans)
        doc.spans["cr_role"] = spans
        # Subject: the last party named before the first modal/verb of obligation; an unknown capitalised
        # name there ("ClassLink shall") is the vendor, since the contracts reviewed are the vendor's.
        lowers = [t.lower_ for t in doc]  # one pass over the tokens; the loops below read this list
        doc.user_data[LOWERS] = lowers  # and the engine's negation reach (features._negated_use_cues)
        subject = None
        for i, low in enumerate(lowers):
            if low in self.obligation_words:
                before = [sp for sp in spans if sp.end <= i]
                if before:
                    subject = before[-1].label_
                elif i > 0 and lowers[i - 1] not in data_nouns:
                    prev = doc[i - 1]
                    if (prev.text[:1].isupper() and prev.is_alpha) or (prev.is_upper and len(prev) > 2):
                        subject = "vendor"
                break
        doc._.cr_subject = subject
        recipients: set[str] = set()
        for i, low in enumerate(lowers):
            if low in self.notify_words:
                for sp in spans:
                    if i < sp.start <= i + 6 and sp.label_ != "vendor":
                        recipients.add(sp.label_)
                # Passive voice: "End users must be notified", "the District will be informed".
                if i > 0 and lowers[i - 1] in {"be", "are", "is", "been", "being"}:
                    for sp in spans:
                        if i - 6 <= sp.start < i - 1 and sp.label_ != "vendor":
                            recipients.add(sp.label_)
        doc._.cr_recipients = tuple(sorted(recipients))
        return doc


def _longest(spans: list[Span]) -> list[Span]:
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            continue
        out.append(sp)
    return out


@Language.factory("contractreview_roles")
def make_roles(
    nlp: Language,
    name: str,
    *,
    vendor: list[str],
    school: list[str],
    user: list[str],
    authority: list[str],
    data_nouns: list[str],
    obligation_words: list[str],
    notify_words: list[str],
) -> Roles:
    # Explicit settings (not one dict) so that spaCy's config validation names a missing list.
    words = dict(vendor=vendor, school=school, user=user, authority=authority)
    words |= dict(data_nouns=data_nouns, obligation_words=obligation_words, notify_words=notify_words)
    return Roles(nlp, name, words=words)
