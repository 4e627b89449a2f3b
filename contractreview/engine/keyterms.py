"""Key terms: the figures a procurement officer copies into the district's vendor record.

One component reads the five terms of the requirement facts README ("Conventions for key terms") and says,
for each, what it is attached to:

- ``breach_notice_max_hours`` with its clock start (discovery / confirmation / determination) and the party
  the notice is owed to (the school, or only parents and users, which is no notice to the school);
- ``deletion_after_request_days`` and ``deletion_after_termination_days``, each from the clock of its own
  event (a request, the end of the agreement), never from a neighbouring figure about backups, access
  requests, notice periods, support, invoices or renewals;
- ``governing_law``, kept apart from the venue (courts) and the arbitration seat.

"Not stated" is an explicit outcome with its own finding line. Every stated value carries the sentence
it came from (offsets into ``Document.text``), so the GUI and every export link the value to its text.

A reviewer's correction (:class:`~contractreview.domain.KeyTermCorrection`) replaces the engine's
reading, re-runs the profile threshold check of the requirement it belongs to, and is marked as the
reviewer's wherever it is shown (:func:`apply_corrections`).

Pure Python over the features :mod:`contractreview.engine.features` already computed: no spaCy objects here.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import dataclasses
import functools
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import textscan
from ..domain import (
    KEY_TERMS,
    Analysis,
    Clause,
    Document,
    Evidence,
    Finding,
    KeyTerm,
    KeyTermCorrection,
    KeyTermState,
    Status,
    Threshold,
)
from ..nlp.durations import _CLOCK, Duration, outer_deadline, parse_durations

# --------------------------------------------------------------------------- vocabulary

BREACH_HOURS = "breach_notice_max_hours"
BREACH_CLOCK = "breach_notice_clock_start"
DELETION_REQUEST = "deletion_after_request_days"
DELETION_END = "deletion_after_termination_days"
GOVERNING_LAW = "governing_law"

#: The requirement whose profile threshold checks each term ("" = no threshold).
TERM_REQUIREMENT: Mapping[str, str] = {
    BREACH_HOURS: "breach_notice_deadline_to_lea",
    BREACH_CLOCK: "breach_notice_deadline_to_lea",
    DELETION_REQUEST: "deletion_on_lea_request",
    DELETION_END: "deletion_or_return_at_contract_end",
    GOVERNING_LAW: "",
}
#: The threshold parameter each requirement is checked with.
REQUIREMENT_PARAMETER: Mapping[str, str] = {
    "breach_notice_deadline_to_lea": BREACH_HOURS,
    "deletion_on_lea_request": DELETION_REQUEST,
    "deletion_or_return_at_contract_end": DELETION_END,
}
TERM_LABELS: Mapping[str, str] = {
    BREACH_HOURS: "Breach notice to the school",
    BREACH_CLOCK: "Breach notice clock starts at",
    DELETION_REQUEST: "Deletion after the school's request",
    DELETION_END: "Deletion after the agreement ends",
    GOVERNING_LAW: "Governing law",
}
TERM_UNITS: Mapping[str, str] = {BREACH_HOURS: "hours", DELETION_REQUEST: "days", DELETION_END: "days"}
CLOCK_STARTS = ("discovery", "confirmation", "determination", "other")

_NOTICE_PERIOD = re.compile(
    r"^\W{0,3}(?:s\b|’s\b|'s\b)?\W{0,3}(?:prior\s+|advance\s+)?(?:written\s+)?(?:notice|prior\s+notice)",
    re.IGNORECASE,
)
# A figure that measures a contract period ("12-month term", "the 30-day trial", "three (3) year term").
_LENGTH_OF = re.compile(
    r"\s*(?:initial\s+|renewal\s+|free\s+|paid\s+)?(?:term|terms|trial|subscriptions?|plan|contract|agreement|"
    r"cycle|licen[cs]e|renewal|commitment|billing)\b",
    re.IGNORECASE,
)
# "sixty (60) days before the end of the term": a notice window, not a deadline after an event.
_BEFORE_EVENT = re.compile(r"^\W{0,3}(?:s\b|’s\b|'s\b)?\W{0,3}(?:before|prior\s+to|in\s+advance)\b", re.IGNORECASE)
_RECURRENCE = re.compile(
    r"\b(?:every|once\s+every|at\s+least\s+every|once\s+per|once\s+a)\s+$", re.IGNORECASE
)
_BACKUP = re.compile(r"\b(?:back-?\s?ups?|backed[\s-]up|archiv\w*|disaster[\s-]recovery|snapshots?)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:if|unless|in\s+case)\b", re.IGNORECASE)
_FRAGMENT_BREAK = re.compile(r";|:\s|\.\s")
# --------------------------------------------------------------------------- words from the clause library

# The words of the reader are data: the ``keyterms`` lexicon of the clause library
# (``clause_library/lexicons/keyterms.toml``), which a district folder may override. The grammar around them
# (what comes before and after a word, which forms a stem covers) stays here. :class:`Words` holds the
# patterns built from one lexicon; :func:`words_for` builds them once per distinct set of words (so once per
# library fingerprint), and :func:`reading_with` makes them the ones the functions of this module read.


def _phrases(words: Iterable[str]) -> str:
    """An alternation of whole words or phrases, in the lexicon's order; a space matches any whitespace run."""
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in words)


def _stems(stems: Iterable[str]) -> str:
    """An alternation of word beginnings (each is followed by ``\\w*`` where it is used)."""
    return "|".join(re.escape(s) for s in stems)


@dataclass(frozen=True, slots=True)
class Words:
    """The reader's word patterns, built from the ``keyterms`` lexicon (:func:`words_for`)."""

    delete_word: re.Pattern[str]  # destruction or return stems ("delete", "returned")
    destroy_word: re.Pattern[str]  # destruction stems only
    not_deleted: re.Pattern[str]  # "not be deleted"
    paperwork: frozenset[str]
    request_event: re.Pattern[str]
    end_event: re.Pattern[str]
    asks: re.Pattern[str]  # a party's act of asking, after a time connective
    ends: re.Pattern[str]  # the agreement's own end named by a verb
    any_ends: re.Pattern[str]  # anything else's end named by a verb
    notify: re.Pattern[str]  # notice verbs and nouns, whole words
    notify_act: re.Pattern[str]  # notice verbs an adverb of time may modify
    other_duties: frozenset[str]
    modal: re.Pattern[str]
    party_school: re.Pattern[str]
    school_recipient: re.Pattern[str]
    party_user: re.Pattern[str]
    party_authority: re.Pattern[str]
    school_aware: re.Pattern[str]  # "after the Client becomes aware": the school's own clock
    vendor_words: frozenset[str]
    to_parents: re.Pattern[str]
    event_after: re.Pattern[str]  # the event named after a clock preposition ("after termination")
    user_action: re.Pattern[str]  # a user's own act on an account ("you close your account")
    kept_for: re.Pattern[str]  # a length of keeping ("are kept for")
    others_request: re.Pattern[str]  # "the user's request": not the school's (search before the event word)
    breach_event: re.Pattern[str]  # a breach or its discovery as a notice's event (searched: any match counts)
    other_notice_event: re.Pattern[str]  # another matter a notice may be about (searched: any match counts)
    coordination: re.Pattern[str]  # where a coordinated predicate starts ("... within 45 days | and shall delete")


def _build_words(lists: Mapping[str, Sequence[str]]) -> Words:
    def rx(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.IGNORECASE)

    destroy = _stems(lists["destruction_stems"])
    delete = _stems((*lists["destruction_stems"], *lists["return_stems"]))
    # "inform" but not "information": "We delete student information within 45 days" gives no notice.
    excluded = _phrases(lists["notice_stem_exclusions"])
    notice_verbs = rf"(?!{excluded})(?:{_stems(lists['notice_stems'])})\w*|{_phrases(lists['notice_words'])}"
    school = rf"(?:{_phrases(lists['school_parties'])})s?"  # each word also with an -s
    agreement = rf"(?:{_phrases(lists['agreement_nouns'])})"
    return Words(
        delete_word=rx(rf"\b(?:{delete})\w*"),
        destroy_word=rx(rf"\b(?:{destroy})\w*"),
        not_deleted=rx(rf"\b(?:not|never)\s+(?:be\s+)?(?:{_phrases(lists['not_deleted'])})\b"),
        paperwork=frozenset(w.lower() for w in lists["paperwork_verbs"]),
        request_event=rx(rf"\b(?:{_phrases(lists['request_events'])})\b"),
        end_event=rx(rf"\b(?:{_phrases(lists['end_events'])})\b"),
        asks=rx(
            _EVENT_CONNECTIVE
            + r"(?:the\s+|a\s+|an\s+|any\s+|such\s+|your\s+|its\s+)?(?P<who>[\w'’-]+(?:\s+[\w'’-]+)?)\s+"
            r"(?:(?:so|has|have|expressly|subsequently|later)\s+)?"
            rf"(?:{_phrases(lists['ask_verbs'])})\b"
        ),
        # "after the Agreement ends", "when the district's subscription lapses", "if your school terminates
        # its contract"; "after the class session ends" is another event (``any_ends``).
        ends=rx(
            _EVENT_CONNECTIVE
            + r"(?:[\w'’-]+\s+){0,3}?(?:"
            + agreement
            + r"(?:'s|’s)?\s+(?:(?:has|have|is|are)\s+)?"
            rf"(?:{_phrases(lists['agreement_end_verbs'])})|"
            rf"(?:{_phrases(lists['ending_verbs'])})\s+"
            r"(?:its|their|the|this|your|our)\s+"
            r"(?:[\w-]+\s+)?" + agreement + r")\b"
        ),
        any_ends=rx(_EVENT_CONNECTIVE + rf"(?:[\w'’-]+\s+){{1,4}}?(?:{_phrases(lists['period_end_verbs'])})\b"),
        notify=rx(rf"\b(?:{notice_verbs}|{_phrases(lists['notice_nouns'])})\b"),
        # The words an adverb of time may modify: the nouns are left out, as "terminate immediately upon written
        # notice" puts "notice" after a preposition, not a verb.
        notify_act=rx(rf"(?:{notice_verbs})\b"),
        other_duties=frozenset(w.lower() for w in lists["other_duty_verbs"]),
        modal=rx(rf"\b(?:{_phrases(lists['modal_words'])})\b"),
        party_school=rx(rf"\b{school}\b"),
        school_recipient=rx(rf"\b(?:{_phrases(lists['school_recipients'])})\b"),
        party_user=rx(rf"\b(?:{_phrases(lists['user_parties'])})\b"),
        party_authority=rx(rf"\b(?:{_phrases(lists['authority_parties'])})\b"),
        school_aware=rx(
            r"\b(?:after|from|upon|when|once|of)\s+(?:the\s+)?" + school + r"\s+(?:\w+\s+){0,2}?"
            r"(?:becomes?\s+aware|became\s+aware|is\s+aware|discovers?|learns?|identifies)\b"
        ),
        vendor_words=frozenset(w.lower() for w in lists["vendor_names"]),
        # A text that speaks to parents about their children: its "you" is a parent, whose request is not the
        # school's ("If you ask us to delete your child's profile, ...").
        to_parents=rx(rf"\byour\s+(?:{_phrases(lists['child_words'])})\b"),
        # The event a period runs from is named after a clock preposition ("of the District's written request",
        # "after termination", "of receiving a deletion request"); "any retention period requested by the
        # Client" names no clock.
        event_after=rx(
            r"\b(?:of|after|from|following|upon|on|since|at)\s+(?:[\w'’-]+\s+){0,4}?"
            rf"(?P<ev>{_phrases(lists['clock_events'])})\b"
            r"(?:\s+of)?(?P<of>\s+(?:the\s+|this\s+|its\s+|your\s+|their\s+|each\s+|any\s+|a\s+)?[\w-]+(?:\s+[\w-]+)?)?"
        ),
        # A user's own act on their account is neither the school's request nor the end of the agreement.
        user_action=rx(
            rf"\b(?:{_phrases(lists['account_users'])})"
            rf"\s+(?:\w+\s+)?(?:{_phrases(lists['account_acts'])})\s+(?:your|their|his|her|the)\s+(?:\w+\s+)?accounts?\b"
        ),
        # A length of keeping ("are kept for thirteen (13) months", "retained for up to 90 days") with no event
        # named anywhere around it is a retention period, neither the request clock nor the termination clock.
        kept_for=rx(
            rf"\b(?:{_phrases(lists['keeping_verbs'])})\b[^,;.]{{0,40}}?\bfor\s+(?:up\s+to\s+|a\s+period\s+of\s+|at\s+most\s+)?$"
        ),
        # A request of a data subject, user or parent is not the school's request.
        others_request=rx(
            rf"\b(?:{_phrases(lists['requesting_others'])}|customers?\s+of\s+\w+)(?:'s|’s|s'|s’)?\s+"
            r"(?:\w+\s+){0,2}$"
        ),
        # Only searched for (is any there?): a phrase such as "notice of a breach" is found by its stem "breach".
        breach_event=rx(rf"\b(?:{_stems(lists['breach_event_stems'])})\w*"),
        other_notice_event=rx(
            rf"\b(?:(?:{_stems(lists['other_notice_event_stems'])})\w*|{_phrases(lists['other_notice_event_words'])})\b"
        ),
        # Coordinated predicates: "Provider shall respond to access requests within 45 days | and shall delete
        # Student Data upon request". A new predicate starts at "and/or/but" followed by a modal or by one of the
        # verbs that contract duties are made of (``duty_verbs``; "provide" only with its objects, below); "and
        # within 90 days after termination" (no verb) continues the predicate before it.
        coordination=rx(
            r"(?:,\s*)?\b(?:and|or|but|and/or)(?:\s*,[^,]{0,60},)?\s+(?:(?:also|then|thereafter|promptly)\s+)?"
            rf"(?=(?:{_phrases(lists['duty_verbs'])}|"
            r"provide\s+(?:access|support|service|the\s+services|an?\s+invoice))\b)"
            # ", and any invoices outstanding shall be paid within 30 days": a new clause, its own subject and modal
            r"|,\s*(?:and|or|but)\s+(?=(?:[\w'’-]+\s+){1,5}?(?:shall|will|must|may|should|can)\s)"
        ),
    )


_WORDS: dict[tuple[tuple[str, tuple[str, ...]], ...], Words] = {}
_WORDS_LOCK = threading.Lock()


def words_for(lists: Mapping[str, Sequence[str]]) -> Words:
    """The patterns of the ``keyterms`` lexicon ``lists``, compiled once per distinct set of words."""
    key = tuple(sorted((name, tuple(words)) for name, words in lists.items()))
    found = _WORDS.get(key)
    if found is None:
        with _WORDS_LOCK:
            found = _WORDS.get(key)
            if found is None:
                if len(_WORDS) >= 16:
                    _WORDS.clear()  # libraries edited in one long session: keep the cache small
                found = _WORDS[key] = _build_words(lists)
    return found


_CURRENT: contextvars.ContextVar[Words | None] = contextvars.ContextVar("keyterm_words", default=None)


@functools.cache
def _builtin_words() -> Words:
    """The built-in library's words, for calls outside :func:`reading_with` (tests of one sentence); the
    engine always reads with its library's words (:func:`read_key_terms`, :func:`numbers`)."""
    from ..library import load_library

    return words_for(load_library().engine_data()["lexicon"]["keyterms"])


def _w() -> Words:
    """The words being read with: those :func:`reading_with` set, else the built-in library's."""
    return _CURRENT.get() or _builtin_words()


@contextlib.contextmanager
def reading_with(lexicon: Mapping[str, Any] | None) -> Iterator[None]:
    """Read with the ``keyterms`` words of ``lexicon`` (``engine_data()["lexicon"]``) inside the block;
    None keeps the words already in use (the built-in library's by default)."""
    if lexicon is None or "keyterms" not in lexicon:
        yield
        return
    token = _CURRENT.set(words_for(lexicon["keyterms"]))
    try:
        yield
    finally:
        _CURRENT.reset(token)


# --------------------------------------------------------------------------- deadlines


def _fragment_start(sent: str, pos: int) -> int:
    """Start of the clause fragment (after the last ';', ': ' or '. ') that holds ``pos``."""
    last = 0
    for m in _FRAGMENT_BREAK.finditer(sent, 0, pos):
        last = m.end()
    return last


def _clip(after: str) -> str:
    """Text after a figure up to the next clause break (a new duty starts there)."""
    m = re.search(r";|:\s|\.\s|,\s*(?:and|or|but|provided|except)\b", after)
    return after[: m.start()] if m else after


# The end of a period that is not the agreement's ("the end of the school year", "the expiry of the retention
# period", "the completion of the course"): a clock of its own.
_OTHER_PERIOD = re.compile(
    r"^\s+(?:the\s+|this\s+|its\s+|your\s+|their\s+|each\s+|any\s+|a\s+)?(?:(?:school|academic|fiscal|calendar)\s+)?"
    r"(?:years?|semesters?|sessions?|courses?|class(?:es)?|months?|quarters?|retention|trial|billing|events?|"
    r"projects?|assignments?|exams?|tests?|programs?|campaigns?)\b",
    re.IGNORECASE,
)
# "Agreement duration + 30 days", "the term of the Agreement plus 30 days": a period after the end.
_TERM_PLUS = re.compile(
    r"\b(?:duration|term|period)(?:\s+of\s+(?:the|this)\s+\w+)?\s*(?:\+|plus)\s*$", re.IGNORECASE
)


# An event named after these words marks a time before or during it, not a clock that runs from it.
_NOT_A_CLOCK = re.compile(
    r"\b(?:prior\s+to|before|until|till|during|throughout|in\s+advance\s+of|pending)\s+(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)


# Clocks that are neither the school's request nor the end of the agreement: a retention period measured
# from inactivity, collection or the user's last use.
_OTHER_CLOCK = re.compile(
    r"\W{0,3}(?:of|after|from|following|since)\s+(?:the\s+)?(?:date\s+of\s+)?"
    r"(?:(?:your|their|his|her|the\s+(?:user|student|child|pupil)(?:'s|’s)?)\s+)?"
    r"(?:(?:account|user)\s+)?(?:inactivity|non-?use|no\s+activity|last\s+(?:login|log-in|sign-in|use|activity|access)|"
    r"collection|creation|upload|account\s+(?:closure|deletion|deactivation)|transfer|graduation|withdrawal|"
    r"un-?enrol?lment|disenrol?lment)\b",
    re.IGNORECASE,
)
# The life of an account as the measure of keeping: the deletion after it runs from the account's end.
_ACCOUNT_LIFE = re.compile(
    r"\b(?:as\s+long\s+as|while|until)\s+(?:your|the|their|its|a|an)\s+(?:[\w'’-]+\s+){0,2}?accounts?\s+"
    r"(?:is|are|remains?|stays?)\s+(?:active|open|in\s+use)\b",
    re.IGNORECASE,
)
# Events named by a verb rather than a noun: a party's act of asking ("after the LEA so directs", "If a school
# asks us to remove ...") or the agreement's own end ("after the Agreement ends", "when the subscription
# expires", "if your school terminates its contract"). A time connective introduces them, as with the nouns
# (``Words.asks``, ``Words.ends``, built with the verbs and nouns of the ``keyterms`` lexicon).
_EVENT_CONNECTIVE = r"\b(?:of|after|from|following|upon|on|once|when|whenever|if|where|as\s+soon\s+as)\s+"



# "30 days after" with nothing after it: a deletion figure after which no event is named ("we delete inactive
# accounts after two years") is a length of keeping, when no event is named before it either.
_AFTER_A_LENGTH = re.compile(r"\bafter\s+(?:a\s+period\s+of\s+)?(?:up\s+to\s+)?$", re.IGNORECASE)
# The receipt of a notice, claim or order as the event after a figure, with its sender when named.
_RECEIPT_OF = re.compile(
    r"\W{0,3}(?:of|after|from|following|upon|on)\s+(?:the\s+)?(?:receiving|receipt\s+of|being\s+served\s+with)\s+"
    r"(?:(?:a|an|the|any|such|its|their)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:notices?|notifications?|claims?|complaints?|orders?|subpoenas?|demands?|takedown\w*|reports?)\b"
    r"(?:\s+(?:from|by)\s+(?:the\s+|a\s+|an\s+|any\s+)?(?P<sender>[\w'’-]+(?:\s+[\w'’-]+)?))?",
    re.IGNORECASE,
)


def _verb_events(text: str, you: str = "request") -> list[tuple[int, str]]:
    """(position, event) of every event ``text`` names by a verb (``Words.asks``, ``Words.ends``): a request by the
    school is ``request``, one by a user, parent or data subject ``other``; the agreement's end is
    ``termination``. ``you``: what a request by "you" is (``other`` where the text speaks to parents)."""
    out = []
    for m in _w().asks.finditer(text):
        words = [w for w in m.group("who").split() if w.lower() not in {"so", "has", "have", "expressly"}]
        who = words[-1] if words else ""
        if _w().party_user.fullmatch(who):
            out.append((m.start(), "other"))
        elif who.lower() == "you":
            out.append((m.start(), you))  # "you" in a vendor's terms is the customer ("upon your request")
        elif _w().party_school.fullmatch(who) or _w().school_recipient.fullmatch(who):
            out.append((m.start(), "request"))
    ends = {m.start() for m in _w().ends.finditer(text)}
    out.extend((pos, "termination") for pos in ends)
    # "30 days after the class session ends": another thing's end is a clock of its own
    out.extend((m.start(), "other") for m in _w().any_ends.finditer(text) if m.start() not in ends)
    return out


def _event_name(word: str, before: str, you: str = "request") -> str:
    if _w().request_event.fullmatch(word.split()[0]) or word.lower().startswith(("request", "instruction")):
        if _w().others_request.search(before):
            return "other"
        return you if _YOUR.search(before) else "request"
    return "termination"


_YOUR = re.compile(r"\byour\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def you_are(text: str) -> str:
    """What a request by "you" is in ``text``: ``other`` (a parent's) where the text speaks to parents about
    their children, else ``request`` (the customer's, as in a vendor's terms for schools)."""
    return "other" if _w().to_parents.search(text) else "request"


def deletion_event(sent: str, d: Duration, you: str = "request") -> str:
    """The event a deletion period runs from: ``request``, ``termination``, ``other`` or "" when none is named.

    The event named right after the figure wins ("within 10 days of such request", "90 days after
    termination"); otherwise the nearest one named before it in the same fragment ("Upon termination of
    this Agreement, Provider shall delete ... within sixty (60) days"). A data subject's or user's request
    is not the school's request (``other``).
    """
    after = _clip(sent[d.end : min(d.end + 80, _predicate_span(sent, d)[1])])
    m = _w().event_after.search(after)
    if m:
        if not _w().request_event.fullmatch(m.group("ev").split()[0]) and _OTHER_PERIOD.match(m.group("of") or ""):
            return "other"  # "within 30 days of the end of the school year"
        # "after the last use of the Service or the expiration of the subscription": one clock of the two
        return _event_name(m.group("ev"), after[: m.start("ev")], you)
    if _OTHER_CLOCK.match(after):
        return "other"  # "after 24 months of inactivity", "from the date of collection"
    if re.match(r"\W{0,3}(?:of|after|from|following|once|when)\s+", after) and _w().user_action.search(after[:80]):
        return "other"  # "within 30 days after you close your account"
    verbal = _verb_events(after, you)
    if verbal:
        return min(verbal)[1]  # "no later than thirty (30) days after the LEA so directs"
    got = _RECEIPT_OF.match(after)
    if got:
        # "within 24 hours of receiving a valid notice from the rights holder": a notice, claim or order from
        # anyone but the school is a clock of its own; from the school it asks for the deletion
        sender = got.group("sender") or ""
        named = sender.split()[-1] if sender.split() else ""
        return "request" if named and (_w().party_school.fullmatch(named) or _w().school_recipient.fullmatch(named)) else "other"
    before = sent[_fragment_start(sent, d.start) : d.start]
    if _TERM_PLUS.search(before):
        return "termination"
    last: tuple[int, str] = (-1, "")
    for m2 in _w().user_action.finditer(before):
        last = max(last, (m2.start(), "other"))  # "If you close your account, we delete ... within 30 days"
    for m2 in _ACCOUNT_LIFE.finditer(before):
        last = max(last, (m2.start(), "other"))  # "for as long as your account is active and delete it within 90 days"
    for rx in (_w().request_event, _w().end_event):
        for m2 in rx.finditer(before):
            if _NOT_A_CLOCK.search(before[max(0, m2.start() - 40) : m2.start()]):
                # "data transferred prior to the termination": which data, not a clock from the event
                last = max(last, (m2.start(), "other"))
                continue
            last = max(last, (m2.start(), _event_name(m2.group(0), before[: m2.start()], you)))
    for pos, name in _verb_events(before, you):
        if not _NOT_A_CLOCK.search(before[max(0, pos - 40) : pos + 1]):
            last = max(last, (pos, name))  # "If a school asks us to remove student records, we'll erase ..."
    if not last[1] and (_w().kept_for.search(before) or _AFTER_A_LENGTH.search(before)):
        # "are kept for thirteen (13) months and are then deleted", "we delete inactive accounts after two
        # years": a length of keeping, with no event it runs from
        return "other"
    return last[1]


def _breach_party(sent: str, d: Duration) -> str:
    """Who the notice with this deadline is owed to: school, parents/users, authority or "" (not said)."""
    head = sent[_fragment_start(sent, d.start) : d.start]
    verbs = list(_w().notify.finditer(head))
    span = head[verbs[-1].end() :] if verbs else ""
    if not span and verbs:
        return ""
    if not verbs:
        # Passive voice: "the District shall be notified within 72 hours"
        span = head
    if _w().party_school.search(span):
        return "school"
    if _w().party_user.search(span):
        return "parents/users"
    if _w().party_authority.search(span):
        return "authority"
    return ""


def _schools_own_clock(sent: str, d: Duration) -> bool:
    """"... no later than 72 hours after the Client becomes aware": the school's own duty (to an authority)."""
    return bool(_w().school_aware.match(sent[d.end : d.end + 80].lstrip(" ,")))


def _in_condition(sent: str, d: Duration) -> bool:
    """"If we do not receive consent within 7 days, ... is deleted": the figure belongs to the condition."""
    head = sent[: d.start]
    conds = list(_CONDITION.finditer(head))
    if not conds:
        return False
    between = head[conds[-1].end() :]
    return not re.search(r"[,;:]", between) and not _w().delete_word.search(between)


# A new clause with its own predicate starts after these: "For 30 days after termination, Zoom will provide
# access, after which time the content will be deleted" puts the figure and the deletion in two clauses.
_CLAUSE_BREAK = re.compile(
    r";|:\s|\.\s|,\s*which\b|,\s*(?:except|save|provided)\s+that\b|"
    r",?\s+(?:after\s+which(?:\s+time)?|following\s+which|whereupon|thereafter|after\s+that)\b",
    re.IGNORECASE,
)


def _clause_span(sent: str, d: Duration) -> tuple[int, int]:
    """Offsets of the clause of ``sent`` that holds the figure: cut at clause breaks (``_CLAUSE_BREAK``)."""
    start, end = 0, len(sent)
    for m in _CLAUSE_BREAK.finditer(sent):
        if m.end() <= d.start:
            start = m.end()
        elif m.start() >= d.end:
            if not m.group(0).startswith(":"):
                end = m.start()
            # "within 30 days of termination, a Receiving Party must: (x) cease ...; (y) destroy ...": a
            # colon after the figure opens the list of what must be done by then, so the clause runs on.
            break
    return start, end


_SUBORDINATE = re.compile(r"\b(?:if|unless|when|whenever|in\s+case|in\s+the\s+event)\b", re.IGNORECASE)
_DO_SO = re.compile(r"\b(?:do|does|done)\s+so\b", re.IGNORECASE)


def _predicate_span(sent: str, d: Duration) -> tuple[int, int]:
    """Offsets of the predicate of ``sent`` the figure belongs to: its clause (:func:`_clause_span`), cut
    where a coordinated predicate starts (``Words.coordination``). A predicate that only says "do so" carries the
    verb of the one before it."""
    cs, ce = _clause_span(sent, d)
    cuts = [cs] + [m.start() for m in _w().coordination.finditer(sent, cs, ce)] + [ce]
    for i in range(len(cuts) - 1):
        if cuts[i] <= d.start < cuts[i + 1]:
            start = cs if i > 0 and _DO_SO.search(sent, cuts[i], cuts[i + 1]) else cuts[i]
            end = cuts[i + 1]
            # "Provider shall notify the District within 24 hours if it receives a request for deletion": a
            # condition after a complete duty is not part of it.
            sub = _SUBORDINATE.search(sent, d.end, end)
            if sub and _w().modal.search(sent, start, d.start):
                end = sub.start()
            return start, end
    return cs, ce


_HEAD = re.compile(
    r"^\W*(?:(?:and|or|but|and/or)(?:\s*,[^,]{0,60},)?\s+(?:(?:also|then|thereafter|promptly)\s+)?"
    r"(?:(?:[\w'’-]+\s+){1,5}?(?:shall|will|must|may|should|can)\s+(?:not\s+)?(?:\w+ly\s+)?)?"
    r"(?P<coord>[a-z]+)|"
    r"(?:.*?)\b(?:shall|will|must|should|agrees?\s+to|undertakes?\s+to)\s+(?:not\s+)?(?:(?:\w+ly|also|then)\s+)?"
    r"(?:,[^,]{0,60},\s*)?(?P<modal>[a-z]+))",
    re.IGNORECASE | re.DOTALL,
)
def _head_verb(predicate: str) -> str:
    """The verb a predicate is headed by: the word after its coordinator ("and certify such deletion ...") or
    after its first modal ("Provider shall delete ..."), lower-cased; "" when neither is there.

    Duties about a deletion rather than the deletion itself (``paperwork_verbs`` of the ``keyterms`` lexicon)
    hold no deletion deadline ("certify such deletion within 10 days"); a response to the school's deletion
    request is read as its deadline, as the labelled data reads it ("If the customer requests that we erase the
    data, we will respond within 30 calendar days"). Duties other than giving notice (``other_duty_verbs``)
    hold no breach-notice figure, though a notice word stands in them ("and Customer may object within ten
    (10) days of that notice")."""
    m = _HEAD.match(predicate)
    if not m:
        return ""
    return (m.group("coord") or m.group("modal") or "").lower()


def _predicate_around(sent: str, d: Duration) -> str:
    s, e = _predicate_span(sent, d)
    return sent[s:e]


def _adjacent_to(sent: str, d: Duration, verb: re.Pattern[str], before: int = 5) -> bool:
    """An adverb of time ("immediately") modifies the verb next to it: the event verb must be the word right
    after it (past "be" or "to"), or among the ``before`` words of its predicate that precede it
    ("may immediately terminate the Agreement" is no notice; "shall immediately be returned or deleted" is)."""
    ps, pe = _predicate_span(sent, d)
    follow = re.split(r"[,;(]", sent[d.end : pe], maxsplit=1)[0].split()
    while len(follow) > 1:
        if follow[0].lower() in {"be", "to"}:
            follow = follow[1:]
        elif len(follow) > 2 and follow[0].lower() in {"and", "or"} and follow[1].lower().endswith("ly"):
            follow = follow[2:]  # "shall immediately and securely delete": the adverbs share the verb
        else:
            break
    precede = re.split(r"[,;)]", sent[ps : d.start])[-1].split()[-before:]
    return bool(follow and verb.match(follow[0])) or any(verb.match(w) for w in precede)


# The party that gives the notice: "Customer must notify", "you agree to immediately notify".
_NOTIFIER = re.compile(
    r"\b(?P<who>[\w'’]+)\s+(?:(?:must|shall|will|should|agrees?\s+to|undertakes?\s+to|"
    r"(?:is|are)\s+(?:required|obligated)\s+to)\s+)(?:\w+ly\s+)?(?:promptly\s+)?"
    r"(?:give\s+\w*\s*notice|notif|inform|report|alert|advise|tell)",
    re.IGNORECASE,
)
# A named party as the object of a notice verb: "notify GitHub", "notice to Google", "notify Licensor".
_NAMED_OBJECT = re.compile(r"^\s+(?:to\s+)?(?:the\s+)?(?P<obj>[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,2})")


def _notice_by_school_or_user(sentence: str) -> bool:
    """The first notice of ``sentence`` is one the school or a user gives ("The District shall notify Provider
    ...", "you must tell us ..."): its clock is not the clock of the vendor's notice to the school."""
    m = _NOTIFIER.search(sentence)
    if m is None:
        return False
    who = m.group("who").lower()
    return bool(_w().party_school.fullmatch(who) or _w().party_user.fullmatch(who) or who == "you")


def _notice_owed_elsewhere(sentence: str) -> bool:
    """Every notice of ``sentence`` names an authority, parents or users as its recipient and none names the
    school ("The Supplier will notify the Information Commissioner within 72 hours of becoming aware of a
    breach"): its clock is not the clock of a notice to the school."""
    verbs = list(_w().notify_act.finditer(sentence))
    if not verbs:
        return False
    for v in verbs:
        span = sentence[v.end() : v.end() + 60]
        span = re.split(r"\b(?:within|of|without|no\s+later|immediately|promptly|after|upon)\b", span, maxsplit=1)[0]
        if _w().party_school.search(span) or _w().school_recipient.search(span) or re.search(r"\byou\b", span, re.I):
            return False
        if not (_w().party_authority.search(span) or _w().party_user.search(span)):
            return False  # a recipient not named here may be the school
    return True


_SUCH_NOTICE = re.compile(
    r"\b(?:such|this|that|the\s+(?:initial|above|foregoing))\s+(?:notice|notification)s?\b", re.IGNORECASE
)


_CLOCK_AFTER = re.compile(r"\W{0,3}(?:of|after|from|following|upon|on)\s+(?P<ev>[^,;.]{0,70})", re.IGNORECASE)


_NOTICE_OF = re.compile(
    r"\b(?:notif\w*|inform\w*|advise\w*|alert\w*|tell|notice)\s+(?:[\w'’-]+\s+){0,3}?of\s+(?P<what>[^,;]{1,50})",
    re.IGNORECASE,
)


# A breach of the contract rather than of security: "any breach of this Agreement", "a material breach".
_CONTRACT_BREACH = re.compile(
    r"\b(?:material\s+breach\w*|breach\w*\s+of\s+(?:this|these|the|its|any|their|his|her|such)\s+"
    r"(?:(?!security|confidentiality|privacy|data)[\w-]+\s+){0,2}?"
    r"(?:agreement|terms|contract|dpa|addendum|obligations?|representations?|warrant(?:y|ies)|"
    r"covenants?|duties|licen[cs]e|policy|provisions?|sections?))\b",
    re.IGNORECASE,
)


def _notice_of_other_matter(predicate: str, at: int) -> bool:
    """The notice before the figure is of another matter than a breach ("notify Customer of any change in its
    subprocessors within 30 days", "of scheduled maintenance"): its figure is no breach-notice deadline."""
    m = None
    for m2 in _NOTICE_OF.finditer(predicate, 0, at):
        m = m2
    if m is None:
        return False
    what = m.group("what")
    if _CONTRACT_BREACH.search(what):
        return True  # "notify you of any breach of this Agreement": a breach of contract, not of security
    return bool(_w().other_notice_event.search(what)) and not _w().breach_event.search(what)


def _breach_clock_ok(sent: str, d: Duration) -> bool:
    """The event named right after a breach-notice figure is a breach or its discovery, or none at all: "within
    5 days of receiving a subpoena" or "within 30 days of any change of ownership" is another notice."""
    m = _CLOCK_AFTER.match(_clip(sent[d.end : d.end + 90]))
    if not m:
        return True
    ev = re.split(r"\s+(?:and|or|but)\s+", m.group("ev"), maxsplit=1)[0]
    return bool(_w().breach_event.search(ev)) or not _w().other_notice_event.search(ev)


def _names_the_school(predicate: str) -> bool:
    """A breach-notice figure needs the school as its recipient in the predicate it stands in ("notify the
    District", "the Customer shall be informed", "notify you" in a vendor's terms), or a notice named by
    reference to one the text has already addressed ("such notice shall be given within 72 hours")."""
    return bool(
        _w().party_school.search(predicate)
        or _w().school_recipient.search(predicate)
        or re.search(r"\byou\b", predicate, re.IGNORECASE)
        or _SUCH_NOTICE.search(predicate)
    )


# The vendor's first person as the recipient: "notify us", "notice to us", "by sending us written notice".
_TO_US = re.compile(r"\s+(?:to\s+)?us\b", re.IGNORECASE)
_GIVE_US = re.compile(
    r"\b(?:send|sends|sending|give|gives|giving|provide|provides|providing|deliver\w*|mail\w*|e-?mail\w*)\s+us\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _notice_recipient(sent: str, d: Duration) -> str:
    """Whom the breach notice with this figure is owed to, as far as its wording says: ``school``, ``other``
    (a notice the school or a user gives, or one addressed by name to the vendor or a licensor) or "".

    "Customer must notify GitHub promptly" and "you agree to immediately notify Khan Academy" are the
    customer's own notices; "by giving written notice to Google" is addressed to the vendor. When the vendor
    gives the notice ("Processor shall notify Company"), the party it names is the school.
    """
    cs, ce = _clause_span(sent, d)
    clause = sent[cs:ce]
    verbs = list(_w().notify.finditer(clause))
    if not verbs:
        return ""
    pos = d.start - cs
    # The verb the figure belongs to: the last notice verb before it, else the first one after it.
    before = [m for m in verbs if m.end() <= pos]
    verb = before[-1] if before else verbs[0]
    who = None
    for m in _NOTIFIER.finditer(clause[: verb.end()]):
        if m.end() >= verb.start():
            who = m.group("who").lower()
    if who is not None and (_w().party_school.fullmatch(who) or _w().party_user.fullmatch(who) or who == "you"):
        return "other"  # the school's or a user's own notice
    if _TO_US.match(clause, verb.end()) or _GIVE_US.search(clause[: verb.start()]):
        return "other"  # "notify us", "sending us written notice": a notice to the vendor
    obj = _NAMED_OBJECT.match(clause[verb.end() :])
    if not obj:
        return ""
    name = obj.group("obj")
    first = name.split()[0].lower()
    near = clause[verb.end() : verb.end() + obj.end() + 40]
    if first in {"you", "your"} or _w().party_school.search(near) or _w().school_recipient.search(name):
        return "school"
    if _w().party_user.search(name) or _w().party_authority.search(name):
        return ""  # left to the recipient test of _breach_party
    if first in {"of", "within", "in", "without", "immediately", "promptly", "any", "such", "all", "each"}:
        return ""
    if who in _w().vendor_words:
        return "school"  # the vendor's notice to the party it names ("Processor shall notify Company")
    return "other"  # a named other party (the vendor, a licensor): not a notice to the school


_INCLUSIVE = re.compile(
    r"\b(?:including|and|as\s+well\s+as|together\s+with|along\s+with|plus)\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE
)
_OWN_TIME = re.compile(r"\b(?:within|upon|on|after|by|no\s+later\s+than|immediately|promptly)\b", re.IGNORECASE)


def _backups_only(head: str) -> bool:
    """The text before a deletion figure names backups as what the figure is for ("copies kept in encrypted
    backups shall be deleted within 180 days"), not as data deleted together with the rest ("delete all
    Student Data, including backups, within 30 days"; "... from its systems and backups within 45 days")."""
    found = list(_BACKUP.finditer(head))
    if not found:
        return False
    pre = head[: found[-1].start()]
    verbs = list(_w().delete_word.finditer(pre))
    if not verbs or not _INCLUSIVE.search(pre[-40:]):
        return True
    between = pre[verbs[-1].end() :]
    return bool(_OWN_TIME.search(between) or parse_durations(between))


def deadlines(sent: str, parameter: str, context: str = "", you: str = "request") -> list[Duration]:
    """Durations of ``sent`` that can be ``parameter``'s deadline, with every distractor removed.

    Dropped: notice periods ("upon 30 days' written notice", "at least 60 days before"), lengths of a term
    ("the 30-day trial"), figures of a condition ("if ... within 7 days"), backup-only periods, figures of
    another predicate than the event verb's ("respond to access requests within 45 days and delete ...",
    "may immediately terminate"), breach deadlines owed only to parents, users or an authority, given by the
    school or a user, running from the school's own awareness or another event ("of receiving a subpoena"),
    or owed to nobody named (``context``: the paragraph before the sentence, where the recipient may be
    named), and deletion periods whose clock is another event (the request clock is not the termination
    clock, and the reverse; inactivity, collection, a user's own act, "prior to the termination").
    """
    out: list[Duration] = []
    deletion = parameter.startswith("deletion")
    if deletion and (_w().not_deleted.search(sent) or not _w().delete_word.search(sent)):
        return out  # "your account will not be deleted"; a figure in a sentence that deletes nothing
    verb = _w().delete_word if deletion else _w().notify_act
    for d in parse_durations(sent):
        after = sent[d.end : d.end + 30]
        before = sent[max(0, d.start - 12) : d.start].lower()
        if _NOTICE_PERIOD.match(after) or _BEFORE_EVENT.match(after) or "at least" in before:
            continue
        if _LENGTH_OF.match(after):
            continue  # "the 30-day trial", "each 12-month term": the length of something, not a deadline
        keyterm = deletion or parameter == BREACH_HOURS
        if keyterm and _RECURRENCE.search(sent[max(0, d.start - 25) : d.start]):
            # "reviews the data it retains every twelve (12) months": a frequency, no deadline after an event
            # (an interval parameter such as a risk assessment's is read from exactly such a figure)
            continue
        if d.unit == "immediate" and not _adjacent_to(sent, d, verb):
            continue  # "may immediately terminate": the adverb belongs to another verb
        if deletion:
            if _in_condition(sent, d):
                continue
            if _backups_only(sent[_fragment_start(sent, d.start) : d.start][-90:]):
                continue  # backup rotation limits are backup_copy_limits, not the deletion deadline
            part = _predicate_around(sent, d)
            if not _w().delete_word.search(part):
                continue  # another predicate's figure ("access for 30 days, after which ... deleted")
            if _head_verb(part) in _w().paperwork:
                continue  # "certify such deletion within 10 days", "provide a certificate of deletion ..."
        elif parameter == BREACH_HOURS:
            if _breach_party(sent, d) in {"parents/users", "authority"} or _schools_own_clock(sent, d):
                continue
            recipient = _notice_recipient(sent, d)
            if recipient == "other":
                continue  # the school's own notice, or one owed to the vendor
            part = _predicate_around(sent, d)
            if not _w().notify.search(part):
                continue  # "... and will restore service within 48 hours": another duty's figure
            if _head_verb(part) in _w().other_duties:
                continue  # "we will respond within 30 days and tell you ...", "and Customer may object within"
            if not _breach_clock_ok(sent, d):
                continue  # "notify the District within 5 days of receiving a subpoena": another notice
            if _notice_of_other_matter(part, d.start - _predicate_span(sent, d)[0]):
                continue  # "notify Customer of any change in its subprocessors within 30 days"
            borrowed = recipient == "" and d.hours is not None and _names_the_school(context)
            if recipient != "school" and not (_names_the_school(_predicate_around(sent, d)) or borrowed):
                continue  # "Provider shall give notice within 72 hours": to whom is not said
        out.append(d)
    if deletion:
        own = "request" if parameter == DELETION_REQUEST else "termination"
        tagged = [(d, deletion_event(sent, d, you)) for d in out]
        out = [d for d, e in tagged if e in {own, ""} or d.hours is None]
        if any(e == own for d, e in tagged if d.hours is not None):
            out = [d for d, e in tagged if e == own or d.hours is None]
        numeric = [d for d in out if d.hours is not None]
        if len(numeric) > 1:
            # Returned first, destroyed later: the destruction deadline counts, so a figure in the same
            # predicate as a destruction verb comes first ("return all data within 30 days and destroy all
            # copies within 60 days"); then the period nearest to the deletion verb.
            verbs = [m.start() for m in _w().destroy_word.finditer(sent)] or [
                m.start() for m in _w().delete_word.finditer(sent)
            ]

            def rank(d: Duration) -> tuple[bool, int]:
                ps, pe = _predicate_span(sent, d)
                own_verb = any(ps <= v < pe for v in verbs)
                return (not own_verb, min(abs(d.start - v) for v in verbs))

            out = [min(numeric, key=rank)]
    return out


@dataclass(frozen=True, slots=True)
class Stated:
    """The deadline one sentence states for a parameter."""

    hours: float | None
    wording: str
    clock_start: str | None
    start: int  # sentence offsets in the document text
    end: int
    scored: Any  # the analysis' scored sentence it came from


def _paragraph_before(text: str, start: int, limit: int = 400) -> str:
    """The sentences of the paragraph before ``start`` ("Provider shall notify the District of any breach.
    Notification shall be made within 72 hours."): where a later sentence of it may find its recipient."""
    floor = max(0, start - limit)
    brk = text.rfind("\n\n", floor, start)
    return text[(brk + 2 if brk >= 0 else floor) : start]


# A run-in heading quoted as a sentence of its own: "Security Breach Notification." before "Vendor will tell
# the Institution ..." in the same paragraph. Capitalised words (and the small words of a title) only.
_RUN_IN_HEADING = re.compile(
    r"\s*(?:(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-z]{1,3}\))\s+)?"
    r"(?:[A-Z][\w'’/-]*(?:\s+|$)|(?:and|of|to|the|for|on|in|or|&)\s+){1,7}?"
    r"[A-Z][\w'’/-]*\s*[.:]\s*"
)


def _run_in_body(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence a run-in heading at ``text[start:end]`` introduces (the next sentence of its paragraph),
    else ``(start, end)`` unchanged: the heading names the topic, the sentence after it states the terms."""
    if not _RUN_IN_HEADING.fullmatch(text, start, end):
        return start, end
    body = end
    while body < len(text) and text[body] in " \t":
        body += 1
    if body >= len(text) or text[body] == "\n":
        return start, end  # a heading on a line of its own is the clause's, already read with its clause
    m = re.compile(r"\.(?:\s|$)|\n").search(text, body)
    return body, (m.start() + 1 if m else len(text))


def stated_deadline(text: str, scored: Sequence[Any], parameter: str) -> Stated | None:
    """The deadline stated for a requirement: the best-scoring relevant sentence that states a fixed one,
    else the best vague one ("promptly"), else None."""
    best_vague: Stated | None = None
    you = you_are(text)
    for sc in sorted(scored, key=lambda s: (-s.relevance, -s.quality)):
        start, end = sc.hit.start, sc.hit.end
        sent = text[start:end]
        durs = deadlines(sent, parameter, _paragraph_before(text, start), you)
        if not durs and (body := _run_in_body(text, start, end)) != (start, end):
            start, end = body  # a run-in heading with no figure of its own: the sentence it introduces
            sent = text[start:end]
            durs = deadlines(sent, parameter, _paragraph_before(text, start), you)
        if not durs:
            continue
        d = outer_deadline(durs)
        if d is None:
            continue
        info = Stated(d.hours, d.text, notice_clock(sent, d.start), start, end, sc)
        if d.hours is not None:
            return info
        best_vague = best_vague or info
    return best_vague


def numbers(
    text: str, scored: Sequence[Any], parameter: str, lexicon: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """:func:`stated_deadline` in the dict shape :func:`.deadlines.check_deadline` reads, read with the
    ``keyterms`` words of ``lexicon`` (the library's ``engine_data()["lexicon"]``; default: those in use)."""
    with reading_with(lexicon):
        st = stated_deadline(text, scored, parameter)
    if st is None:
        return {}
    return {"hours": st.hours, "wording": st.wording, "clock_start": st.clock_start, "hit": st.scored}


# --------------------------------------------------------------------------- governing law

# The words of the ``governing_law`` lexicon of the clause library ("French law" -> France; words that are
# no place): data, read through :func:`.run.iter_analyze` (or from the built-in library when none is given).
LawWords = Mapping[str, Any]  # {"adjective_countries": {adjective: country}, "not_places": frozenset}


def _builtin_law_words() -> LawWords:
    from ..library import load_library

    return load_library().engine_data()["lexicon"]


_PLACE = r"(?P<place>[A-Z][A-Za-z]+(?:[ \t]+(?:[A-Z][A-Za-z]+|of|and)){0,3})"
_STATE_OF = (
    r"(?i:state\s+of\s+|commonwealth\s+of\s+|kingdom\s+of\s+|republic\s+of\s+|province\s+of\s+|"
    r"grand\s+duchy\s+of\s+|federal\s+republic\s+of\s+|principality\s+of\s+)?"
)
# "the laws of", "the laws in", "the laws and judicial decisions of", "the laws, other than choice of law
# rules, of": the words between "laws" and the place may carry a short apposition. Case-insensitive so that a
# clause set in capitals reads the same (the place is title-cased by ``_clean_place``).
_LAWS_OF = (
    r"(?i:(?:the\s+)?(?:substantive\s+|internal\s+|applicable\s+|domestic\s+)?laws?"
    r"(?:\s+and\s+(?:judicial\s+decisions|regulations|statutes|rules))?(?:\s*,[^,.;]{1,60},)?"
    r"\s*(?:in\s+force\s+)?(?:of|in)\s*(?:the\s*)?)"
)
# "subject to" / "in accordance with" name the governing law only when the agreement itself is the
# subject ("This Agreement is subject to the laws of Ireland"), not data ("information may be subject to
# United States law") or a duty ("we process data in accordance with the laws of ...").
_AGREEMENT_IS = (
    r"(?i:agreement|terms|contract|addendum|dpa|terms\s+of\s+(?:use|service))\W+(?:\w+\W+){0,4}?"
    r"(?i:is|are|shall\s+be|will\s+be)\s+"
)
_GOVERN_VERB = (
    r"(?i:(?:governed|construed|interpreted|enforced|performed|controlled)(?:\s*(?:,|and|or|,\s*and)\s*"
    r"(?:in\s+all\s+respects\s+)?(?:governed|construed|interpreted|enforced|performed|controlled))*"
    r"(?:\s+(?:by|and))?(?:\s+(?:exclusively|solely|entirely|only))?\s+(?:by|in\s+accordance\s+with|under|"
    r"pursuant\s+to|according\s+to)\s*,?|"
    + _AGREEMENT_IS
    + r"(?:subject\s+to|in\s+accordance\s+with))"
)
# "... govern(s) this Agreement / all matters arising ...", "... apply to these Terms", "... applies." (the
# agreement, its disputes or nothing else as the object): "the laws of Canada that govern the collection of
# personal information" name no governing law.
_GOVERNS_AGREEMENT = (
    r"(?:(?:(?:govern|governs)\s+|(?:apply|applies)\s+to\s+)(?:it\b|(?:this|these|the|all|any|each)\s+"
    r"(?:[\w-]+\s+){0,3}?(?i:agreements?|terms|contract|dpa|addendum|clauses|sccs?|policy|notice|statement|"
    r"schedule|annex|order|matters|disputes?|claims?|interpretation|relationship|rights|obligations)\b)|"
    r"(?:apply|applies|govern|governs)[ \t]*(?=[.;\n]|$))"
)
# (pattern, strong): a strong pattern names the law that governs the agreement in so many words.
_LAW_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"(?i:governed\s+(?:(?:exclusively|solely|entirely|only)\s+)?by)(?:[^.;]{0,80}?)\s+" + _LAWS_OF + _STATE_OF + _PLACE), True),
    # "The law applicable to this Agreement is the law of France"; "The governing law of this DPA is the law of"
    (
        re.compile(
            r"\b(?i:(?:laws?\s+(?:applicable|that\s+applies)\s+to|(?:governing|applicable|proper)\s+laws?\s+of)\s+"
            r"(?:this|these|the)\s+[\w\s]{0,30}?(?:is|are|shall\s+be|will\s+be)\s+)" + _LAWS_OF + _STATE_OF + _PLACE
        ),
        True,
    ),
    (re.compile(_GOVERN_VERB + r"\s+" + _LAWS_OF + _STATE_OF + _PLACE), True),
    (
        re.compile(
            r"(?:statutes\s+and\s+)?laws\s*of\s*(?:the\s*)?" + _STATE_OF + _PLACE
            + r"(?:(?:(?!\b(?:may|which|that|who|gives?|grants?|requires?|provides?|if|where)\b)[^.;]){0,200}?)"
            + r"\s+(?:(?:will|shall)\s+)?" + _GOVERNS_AGREEMENT
        ),
        False,
    ),
    (re.compile(r"(?:governed\s+by|" + _AGREEMENT_IS + r"subject\s+to)\s+(?:the\s+)?(?P<adj>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+law\b"), True),
    (
        re.compile(
            r"(?P<place2>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s+law\s+(?:shall\s+|will\s+)?"
            + _GOVERNS_AGREEMENT
        ),
        False,
    ),
    # A heading with its value: "Governing law: Ireland.", "Governing Law | the laws of the Netherlands"
    (
        re.compile(
            r"(?i:governing\s+laws?)[ \t]*[:|–—][ \t]*(?i:(?:the\s+)?laws?\s+of\s+(?:the\s+)?)?" + _STATE_OF + _PLACE
            + r"[ \t]*(?=[.|]|$)",
            re.MULTILINE,
        ),
        True,
    ),
)
_VENUE_PATTERNS = (
    re.compile(r"\bcourts?\b[^.;]{0,60}?\b(?:located\s+|sitting\s+|situated\s+)?in\s+(?:the\s+)?" + _STATE_OF + _PLACE),
    re.compile(r"\bcourts?\s+of\s+(?:the\s+)?" + _STATE_OF + _PLACE),
    re.compile(r"\bvenue\b[^.;]{0,60}?\bin\s+(?:the\s+)?" + _STATE_OF + _PLACE),
)
_SEAT_PATTERNS = (
    re.compile(r"\barbitra\w*[^.;]{0,120}?\b(?:seated|held|conducted|take\s+place|located)\s+in\s+" + _STATE_OF + _PLACE),
    re.compile(r"\bseat\s+of\s+(?:the\s+)?arbitration\s+(?:shall\s+be|will\s+be|is)\s+(?:in\s+)?" + _STATE_OF + _PLACE),
    re.compile(r"\barbitration\s+in\s+" + _STATE_OF + _PLACE),
)
_TRAILING = re.compile(
    r"\s+(?:And|Without|Excluding|Applicable|The|In|As|Law|Laws|Shall|Will|Including|Except|For|To|Any|Or)\b.*$"
)


_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")
_NEGATED = re.compile(r"\bnot\s+(?:be\s+)?$", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(?:where|if|when|whenever|to\s+the\s+extent(?:\s+that)?)\s+(?:the\s+)?$", re.IGNORECASE)


# What the law is chosen for: the words before the match, back to the start of the sentence or of a clause
# of its own ("..., except that the Standard Contractual Clauses are governed by the law of Ireland").
_SUBJECT_CUT = re.compile(r"\.\s|\n|;|\b(?:except|save|provided)\s+that\b|,\s*(?:and|but)\s+(?=\w+\s+\w+)", re.IGNORECASE)
_PART = re.compile(
    r"\b(?:standard\s+contractual\s+clauses|model\s+clauses|sccs?|the\s+clauses|uk\s+addendum|idta|"
    r"international\s+data\s+transfer\s+(?:agreement|addendum))\b",
    re.IGNORECASE,
)
_THIS_ONE = re.compile(r"\b(?:this|these|the\s+present|hereunder|herein)\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r",?\s*\b(?:which|that)\s+(?:is|are|shall\s+be|will\s+be|was|were|remains?)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)


def _governed_subject(text: str, pos: int) -> str:
    """What a choice of law at ``pos`` is made for: ``part`` (the standard contractual clauses or a transfer
    addendum: their own law, which yields to the agreement's), ``other`` (another agreement, named in a
    relative clause: "The Software License Agreement dated ..., which is governed by the laws of ...") or ""
    (the agreement itself, as far as the words say)."""
    floor = max(0, pos - 300)
    head = text[floor:pos]
    cuts = [m.end() for m in _SUBJECT_CUT.finditer(head)]
    head = head[cuts[-1] :] if cuts else head
    rel = _RELATIVE.search(head)
    if rel and not _THIS_ONE.search(head[: rel.start()]):
        return "other"
    if _PART.search(head) and not _THIS_ONE.search(head):
        return "part"
    return ""


_GOVERN_WORD = re.compile(
    r"\b(?:governed|construed|interpreted|enforced|controlled|subject\s+to|in\s+accordance\s+with)\b", re.IGNORECASE
)
_HEDGED_CHOICE = re.compile(r"\b(?:may|might|could|can)\s+(?:also\s+)?(?:be\s+)?$", re.IGNORECASE)
# A choice of law is made for an agreement, its parts or its disputes ...
_AGREEMENT_SUBJECT = re.compile(
    r"\b(?:agreements?|terms|contracts?|dpa|addend(?:um|a)|polic(?:y|ies)|notice|statement|licen[cs]es?|eula|"
    r"orders?|clauses|sccs?|disputes?|claims?|controvers\w+|matters|questions|interpretation|construction|validity|"
    r"performance|relationship|this|these|hereunder|herein|hereof)\b",
    re.IGNORECASE,
)
# ... not for an activity or a kind of data: those sentences say which laws the vendor complies with.
_COMPLIANCE_SUBJECT = re.compile(
    r"\b(?:export\w*|import\w*|collection|collect\w*|processing|process\w*|transfers?|disclosures?|data|"
    r"information|residents?|consumers?|privacy|protection|rights\s+of|records?|security)\b",
    re.IGNORECASE,
)


def _compliance_subject(text: str, pos: int) -> bool:
    """The subject of "governed by" at ``pos`` is an activity or data ("The collection of student data is
    governed by the laws of New York"), with no agreement or dispute named: compliance, not a choice of law."""
    head = text[max(0, pos - 300) : pos]
    cuts = [m.end() for m in _SUBJECT_CUT.finditer(head)]
    head = head[cuts[-1] :] if cuts else head
    return bool(_COMPLIANCE_SUBJECT.search(head)) and not _AGREEMENT_SUBJECT.search(head)


def _clean_place(raw: str, not_places: frozenset[str]) -> str | None:
    raw = raw.strip()
    if raw.isupper() and len(raw) > 3:
        raw = " ".join(w.lower() if w in {"OF", "AND"} else w.capitalize() for w in raw.split())  # "STATE OF GEORGIA"
    place = re.sub(r"\s+(?:and|of)$", "", raw)
    place = _TRAILING.sub("", place)
    place = re.sub(r"\s+(?:and|of)$", "", place)
    if place.lower().startswith("district of columbia"):
        return "District of Columbia"  # a place, though "the laws of the District" names none
    if not place or place.split()[0].lower() in not_places or re.search(r"\bmember\s+states?\b", place, re.I):
        return None  # "the laws of the EU Member State in which the data exporter is established"
    if place.lower().startswith("united states") or place.replace(" ", "") in {"US", "USA"}:
        return "United States"
    return place


@dataclass(frozen=True, slots=True)
class LawReading:
    law: str | None
    start: int = -1  # the sentence (or match) the law was read from
    end: int = -1
    wording: str = ""
    venue: str = ""
    seat: str = ""


def _first_place(patterns: Iterable[re.Pattern[str]], text: str, not_places: frozenset[str]) -> str:
    for rx in patterns:
        for m in textscan.finditer(rx, text):
            place = _clean_place(m.group("place"), not_places)
            if place:
                return place
    return ""


def read_governing_law(text: str, words: LawWords | None = None) -> LawReading:
    """The place whose law governs, as named, with the venue and arbitration seat kept apart.

    None when no law is named, or when several are named by equally strong wording (conditional lists:
    "the laws of Ireland if you live in the EU, otherwise the laws of California"). ``words``: the
    ``governing_law`` lexicon (default: the built-in library's).
    """
    words = words if words is not None else _builtin_law_words()
    adjectives, not_places = words["adjective_countries"], frozenset(words["not_places"])
    # "California, U.S.A., regardless of ...": the dots of an abbreviation end no sentence (same length, so
    # offsets hold).
    # Whole-text scans go through ``textscan`` in pieces: one scan of a 300-page contract held the GIL for
    # up to 250 ms, the longest freeze of the window while the worker analysed (#17).
    original, text = text, textscan.sub(_ABBREVIATION, lambda m: m.group(0).replace(".", " "), text)
    found: list[tuple[str, bool, int, int, str]] = []
    for rx, strong in _LAW_PATTERNS:
        for m in textscan.finditer(rx, text):
            if _NEGATED.search(text[max(0, m.start() - 16) : m.start()]):
                continue  # "shall not be governed by the ... Convention"
            if _CONDITIONAL.search(text[max(0, m.start() - 24) : m.start()]):
                continue  # "Where the laws of Brazil apply, you have ...": a condition, not a choice of law
            gd = m.groupdict()
            law_at = m.start(next((g for g in ("place", "adj", "place2") if gd.get(g)), 0))
            verbs = list(_GOVERN_WORD.finditer(text, m.start(), law_at))
            at = verbs[-1].start() if verbs else m.start()  # the verb the law is the object of, when there is one
            role = _governed_subject(text, at)
            if role == "other":
                continue  # "The Software License Agreement ..., which is governed by the laws of ...": another one
            if verbs and _HEDGED_CHOICE.search(text[max(0, at - 30) : at]):
                continue  # "Your use of the Service may be governed by the laws of ...": no choice made
            if verbs and role == "" and _compliance_subject(text, at):
                continue  # "The export of the Software is governed by the laws of the United States"
            if gd.get("adj"):
                adj = gd["adj"]
                place = adjectives.get(adj.lower()) or _clean_place(adj, not_places)
            elif gd.get("place2"):
                raw = gd["place2"]
                place = adjectives.get(raw.lower()) or _clean_place(raw, not_places)  # "English law applies"
            else:
                place = _clean_place(gd.get("place") or "", not_places)
            if place:
                # the law of a part (the SCCs) yields to the agreement's own when both are named
                found.append((place, strong and role != "part", m.start(), m.end(), original[m.start() : m.end()]))
    strong_places = list(dict.fromkeys(p for p, s, *_ in found if s))
    places = strong_places or list(dict.fromkeys(p for p, *_ in found))
    if len(places) != 1:
        return LawReading(
            None,
            venue=_first_place(_VENUE_PATTERNS, text, not_places),
            seat=_first_place(_SEAT_PATTERNS, text, not_places),
        )
    place = places[0]
    _, _, s, e, wording = next(f for f in found if f[0] == place and (f[1] or not strong_places))
    # The venue and seat are read around the governing-law clause (the same paragraph), or anywhere.
    para_s = text.rfind("\n\n", 0, s) + 1
    para_e = text.find("\n\n", e)
    para = text[para_s : para_e if para_e >= 0 else len(text)]
    venue = _first_place(_VENUE_PATTERNS, para, not_places) or _first_place(_VENUE_PATTERNS, text, not_places)
    seat = _first_place(_SEAT_PATTERNS, para, not_places) or _first_place(_SEAT_PATTERNS, text, not_places)
    return LawReading(place, s, e, " ".join(wording.split()), venue, seat)


def governing_law(text: str, words: LawWords | None = None) -> str | None:
    return read_governing_law(text, words).law


# --------------------------------------------------------------------------- reading the five terms


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (for the governing-law match, read by regex on the text)."""
    s = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    m = re.search(r"\.(?:\s|$)|\n", text[end:])
    e = end + (m.start() + 1 if m else len(text) - end)
    return s, min(e, len(text))


def _evidence(document: Document, clauses: Sequence[Clause], start: int, end: int, rule: str) -> Evidence:
    clause = ""
    starts = [c.start for c in clauses]
    i = bisect.bisect_right(starts, start) - 1
    if 0 <= i < len(clauses):
        c = clauses[i]
        clause = c.number or c.heading[:60]
    # Trim surrounding whitespace so the highlight is the sentence itself.
    raw = document.text[start:end]
    start += len(raw) - len(raw.lstrip())
    end -= len(raw) - len(raw.rstrip())
    return Evidence(
        text=document.text[start:end],
        start=start,
        end=end,
        page=document.page_at(start),
        clause=clause,
        rule=rule,
        boxes=document.boxes_for(start, end),
    )


def _value(hours: float | None, unit: str) -> float | int | None:
    if hours is None:
        return None
    v = hours / 24.0 if unit == "days" else hours
    return int(v) if float(v).is_integer() else round(v, 1)


def _place(ev: Evidence | None) -> str:
    if ev is None:
        return ""
    where = f"clause {ev.clause}" if ev.clause and any(ch.isdigit() for ch in ev.clause[:4]) else "the text"
    return f"{where}, page {ev.page}"


def _users_only_notice(text: str, hits: Iterable[Any]) -> tuple[Any, Duration] | None:
    """A breach notice with a fixed deadline owed only to parents or users (for the "not stated" line)."""
    for h in hits:
        sent = text[h.start : h.end]
        for d in parse_durations(sent):
            if d.hours is not None and _breach_party(sent, d) == "parents/users":
                return h, d
    return None


_ITEM_START = re.compile(r"\s*(?:\(?(?:[ivx]{1,4}|[a-z]|\d{1,2})[.)]\s|[-•*]\s)", re.IGNORECASE)
_ITEM_END = re.compile(r"(?:[;,]|[;,]\s*(?:and|or|and/or))\s*$", re.IGNORECASE)


def lead_in(text: str, start: int, max_chars: int = 600) -> tuple[int, int] | None:
    """Offsets of the sentence that opens the list whose item starts at ``start`` ("If Provider becomes aware
    of a breach, Provider will:" before "(a) notify the District ..."), or None when the text at ``start``
    is no list item. Earlier items ending in ";" / "; and" are passed over; the lead-in ends with ":"."""
    if not _ITEM_START.match(text, start):
        return None
    pos = start
    floor = max(0, start - max_chars)
    for _ in range(8):  # at most a few earlier items
        head = text[floor:pos].rstrip()
        if not head:
            return None
        if head.endswith(":"):
            end = floor + len(head)
            cut = max(head.rfind(". ", 0, len(head) - 1), head.rfind("\n", 0, len(head) - 1))
            begin = floor + cut + 1 if cut >= 0 else floor
            while begin < end and text[begin].isspace():
                begin += 1
            return begin, end
        if not _ITEM_END.search(head):
            return None
        # the previous item: back to the line it starts on
        line = head.rfind("\n")
        if line < 0:
            return None
        pos = floor + line + 1
    return None


def _clock_words(sentence: str, clock: str) -> str:
    """The words of ``sentence`` that name the clock start ("becoming aware", "confirms")."""
    for _pos, name, words in _clock_hits(sentence):
        if name == clock:
            return words
    for name, rx in _CLOCK:
        m = rx.search(sentence) if name == clock else None
        if m:
            return m.group(0)
    return clock


# A clock word starts the notice clock when a time connective introduces it ("after becoming aware",
# "upon discovery", "once a breach is confirmed", "if Provider learns of"), when it qualifies the breach
# ("a confirmed breach"), in a relative clause on it ("any breach that Provider determines ..."), or when it
# opens the sentence ("Discovery of a security breach: Provider shall notify ...").
# "Identify the cause", "to the best of its knowledge" or "confirm the notice in writing" start no clock.
_CLOCK_CONTEXT = re.compile(
    r"\b(?:after|upon|on|of|following|once|when|whenever|if|from|since|as\s+soon\s+as|until|where|event|case|"
    r"is|are|been|being|be|has|have)\s+(?:(?!(?:and|or|but|shall|will|must)\b)[\w'’-]+\s+){0,4}?$",
    re.IGNORECASE,
)
_BEST_OF = re.compile(r"\bbest\s+of\s+\S+\s+$", re.IGNORECASE)
_CLOCK_ADJ = re.compile(r"\s+(?:[\w-]+\s+)?(?:breach|incident|security|data|unauthori[sz]ed|compromise)", re.IGNORECASE)
_CLOCK_RELATIVE = re.compile(r"\b(?:breach|incident)\w*\s*,?\s+(?:that|which)\s+(?:[\w'’-]+\s+){0,4}$", re.IGNORECASE)


def _clock_hits(sentence: str) -> list[tuple[int, str, str]]:
    """(position, clock, words) of every clock word of ``sentence`` that starts a notice clock."""
    out = []
    for name, rx in _CLOCK:
        for m in rx.finditer(sentence):
            before = sentence[max(0, m.start() - 60) : m.start()]
            word = m.group(0).lower()
            opens = not sentence[: m.start()].strip(" \t\n([0-9.)")  # "Discovery of a security breach: ..."
            timed = opens or (bool(_CLOCK_CONTEXT.search(before)) and not _BEST_OF.search(before))
            qualifies = word.endswith("ed") and bool(_CLOCK_ADJ.match(sentence, m.end()))
            if timed or qualifies or _CLOCK_RELATIVE.search(before):
                out.append((m.start(), name, m.group(0)))
    return sorted(out)


def notice_clock(sentence: str, after: int | None = None, window: int = 120) -> str | None:
    """Which event starts the notice clock of ``sentence``: discovery, confirmation, determination or None.

    With ``after`` (a deadline's offset), the clock named right after it wins ("within 72 hours after
    discovery ... and shall confirm ..."); otherwise a confirmation or determination named anywhere is the
    later, stricter trigger for the school. Only clock words a time connective introduces count
    (``_clock_hits``).
    """
    hits = _clock_hits(sentence)
    if after is not None:
        near = [h for h in hits if after <= h[0] <= after + window]
        if near:
            return near[0][1]
    names = {h[1] for h in hits}
    for name in ("confirmation", "determination"):
        if name in names:
            return name
    return "discovery" if names else None


def read_key_terms(
    document: Document,
    clauses: Sequence[Clause],
    verdicts: Mapping[str, Any],
    hits: Mapping[str, Sequence[Any]],
    thresholds: Mapping[str, Threshold | None] | None = None,
    law_words: LawWords | None = None,
) -> tuple[KeyTerm, ...]:
    """The five key terms of ``document``, each with its event, party, sentence and finding line.

    ``verdicts`` are the analysis' per-requirement verdicts (``status``, ``best`` scored sentences and
    ``params``): a deadline is a key term only where the finding of its requirement quotes it, so the
    key-terms table and the findings never disagree. ``hits`` are every candidate sentence per requirement
    (used to say why a term is not stated, e.g. a notice owed only to parents). ``thresholds`` are the
    active profile's limits by parameter, kept on each reading so it can say what it is checked against.
    ``law_words``: the library's lexicons (``engine_data()["lexicon"]``): the ``governing_law`` and
    ``keyterms`` words (default: the built-in library's).
    """
    with reading_with(law_words):
        return _read_key_terms(document, clauses, verdicts, hits, thresholds, law_words)


def _read_key_terms(
    document: Document,
    clauses: Sequence[Clause],
    verdicts: Mapping[str, Any],
    hits: Mapping[str, Sequence[Any]],
    thresholds: Mapping[str, Threshold | None] | None,
    law_words: LawWords | None,
) -> tuple[KeyTerm, ...]:
    text = document.text
    out: dict[str, KeyTerm] = {}

    # ---- breach notice: hours, clock start, recipient
    rid = TERM_REQUIREMENT[BREACH_HOURS]
    bd = verdicts.get(rid)
    st = stated_deadline(text, list(bd.best), BREACH_HOURS) if bd and bd.status is not Status.MISSING else None
    if st is not None:
        ev = _evidence(document, clauses, st.start, st.end, f"{rid}.key_term")
        hours = _value(st.hours, "hours")
        clock = st.clock_start
        where = _place(ev)
        if hours is not None:
            finding = f"Breach notice to the school within {hours:g} hours"
            finding += f" after {clock}" if clock else " (the event that starts the clock is not named)"
            finding += f' ("{st.wording}", {where}).'
            out[BREACH_HOURS] = KeyTerm(
                BREACH_HOURS, hours, KeyTermState.STATED, "hours", clock or "", "school", st.wording, ev, rid,
                finding,
            )
        else:
            out[BREACH_HOURS] = KeyTerm(
                BREACH_HOURS, None, KeyTermState.VAGUE, "hours", clock or "", "school", st.wording, ev, rid,
                f'Not stated as a fixed figure: breach notice to the school "{st.wording}" ({where}).',
            )
    elif bd and bd.status is not Status.MISSING:
        # Notice to the school with no timing word at all: its clock start may still be named.
        first = bd.best[0].hit if bd.best else None
        ev = _evidence(document, clauses, first.start, first.end, f"{rid}.key_term") if first else None
        out[BREACH_HOURS] = KeyTerm(
            BREACH_HOURS, None, KeyTermState.VAGUE, "hours", "", "school", "", ev, rid,
            f"Not stated: the breach notice to the school ({_place(ev)}) sets no deadline.",
        )
    else:
        users = _users_only_notice(text, hits.get(rid, ()))
        if users is not None:
            h, d = users
            ev = _evidence(document, clauses, h.start, h.end, f"{rid}.key_term")
            out[BREACH_HOURS] = KeyTerm(
                BREACH_HOURS, None, KeyTermState.NOT_STATED, "hours", "", "parents/users", d.text, ev, rid,
                f'Not stated: the breach notice within "{d.text}" ({_place(ev)}) is owed to parents/users, '
                "not to the school.",
            )
        else:
            out[BREACH_HOURS] = KeyTerm(
                BREACH_HOURS, None, KeyTermState.NOT_STATED, "hours", requirement_id=rid,
                finding="Not stated: the contract names no breach notice to the school.",
            )
    # Clock start: of the deadline's own sentence, else of any sentence the finding quotes.
    bh = out[BREACH_HOURS]
    clock = bh.event or None
    clock_ev = bh.evidence
    if clock is None and bd and bd.status is not Status.MISSING:
        for s in bd.best:
            if _notice_by_school_or_user(text[s.hit.start : s.hit.end]):
                continue  # "The District shall notify Provider within 24 hours of discovering": not its clock
            if _notice_owed_elsewhere(text[s.hit.start : s.hit.end]):
                continue  # "will notify the Information Commissioner within 72 hours of becoming aware"
            clock = notice_clock(text[s.hit.start : s.hit.end])
            if clock:
                clock_ev = _evidence(document, clauses, s.hit.start, s.hit.end, f"{rid}.key_term")
                break
        if clock is None:
            # "If Provider becomes aware of a breach, Provider will: (a) notify the District ...": the event
            # is named in the lead-in of the list item that holds the notice.
            for s in bd.best:
                lead = lead_in(text, s.hit.start)
                if lead is None or not _w().notify.search(text[s.hit.start : s.hit.end]):
                    continue
                if _notice_by_school_or_user(text[lead[0] : s.hit.end]):
                    continue
                clock = notice_clock(text[lead[0] : lead[1]])
                if clock:
                    clock_ev = _evidence(document, clauses, lead[0], s.hit.end, f"{rid}.key_term")
                    break
    if clock:
        words = _clock_words(clock_ev.text, clock) if clock_ev else clock
        out[BREACH_CLOCK] = KeyTerm(
            BREACH_CLOCK, clock, KeyTermState.STATED, "", clock, "school", words, clock_ev, rid,
            f"The breach-notice clock starts at {clock} ({_place(clock_ev)}).",
        )
    else:
        out[BREACH_CLOCK] = KeyTerm(
            BREACH_CLOCK, None, KeyTermState.NOT_STATED, requirement_id=rid,
            finding="Not stated: no event (discovery, confirmation, determination) starts a breach-notice clock.",
        )

    # ---- deletion after request / after the agreement ends
    for term, event in ((DELETION_REQUEST, "request"), (DELETION_END, "termination")):
        rid = TERM_REQUIREMENT[term]
        dd = verdicts.get(rid)
        label = "the school's request" if event == "request" else "the end of the agreement"
        st = stated_deadline(text, list(dd.best), term) if dd and dd.status is not Status.MISSING else None
        if st is not None:
            ev = _evidence(document, clauses, st.start, st.end, f"{rid}.key_term")
            days = _value(st.hours, "days")
            if days is not None:
                out[term] = KeyTerm(
                    term, days, KeyTermState.STATED, "days", event, "school", st.wording, ev, rid,
                    f'Deletion within {days:g} days after {label} ("{st.wording}", {_place(ev)}).',
                )
            else:
                out[term] = KeyTerm(
                    term, None, KeyTermState.VAGUE, "days", event, "school", st.wording, ev, rid,
                    f'Not stated as a fixed figure: deletion after {label} "{st.wording}" ({_place(ev)}).',
                )
        elif dd and dd.status is not Status.MISSING:
            first = dd.best[0].hit if dd.best else None
            ev = _evidence(document, clauses, first.start, first.end, f"{rid}.key_term") if first else None
            out[term] = KeyTerm(
                term, None, KeyTermState.VAGUE, "days", event, "school", "", ev, rid,
                f"Not stated: deletion after {label} is addressed ({_place(ev)}) with no deadline.",
            )
        else:
            out[term] = KeyTerm(
                term, None, KeyTermState.NOT_STATED, "days", event, requirement_id=rid,
                finding=f"Not stated: the contract sets no deletion after {label}.",
            )

    # ---- governing law, venue and arbitration seat kept apart
    law = read_governing_law(text, law_words)
    extra = "".join(
        [f"; courts named: {law.venue}" if law.venue else "", f"; arbitration seat: {law.seat}" if law.seat else ""]
    )
    if law.law:
        s, e = _sentence_bounds(text, law.start, law.end)
        ev = _evidence(document, clauses, s, e, "governing_law.key_term")
        out[GOVERNING_LAW] = KeyTerm(
            GOVERNING_LAW, law.law, KeyTermState.STATED, "", "", "", law.wording, ev, "",
            f"Governed by the law of {law.law} ({_place(ev)}){extra}.", law.venue, law.seat,
        )
    else:
        out[GOVERNING_LAW] = KeyTerm(
            GOVERNING_LAW, None, KeyTermState.NOT_STATED, venue=law.venue, seat=law.seat,
            finding=f"Not stated: the contract names no single governing law{extra}.",
        )
    th = thresholds or {}
    for name in (BREACH_HOURS, BREACH_CLOCK, DELETION_REQUEST, DELETION_END):
        limit = th.get(BREACH_HOURS if name == BREACH_CLOCK else name)
        if limit is not None:
            out[name] = dataclasses.replace(out[name], threshold=limit)
    return tuple(out[k] for k in KEY_TERMS)


def values(readings: Iterable[KeyTerm]) -> dict[str, Any]:
    """``{name: value}`` for ``Analysis.key_terms`` (every term present, None when not stated)."""
    out: dict[str, Any] = {k: None for k in KEY_TERMS}
    for k in readings:
        out[k.name] = k.value
    return out


# --------------------------------------------------------------------------- thresholds


def _limit(term: KeyTerm, finding: Finding | None) -> tuple[float | None, str, bool, str]:
    """(limit, unit, is law, required clock start) from the reading, else from its finding's params."""
    th = term.threshold
    if th is not None:
        return th.value, th.unit, th.is_law, th.clock_start or "discovery"
    p = finding.params if finding is not None else {}
    unit = p.get("threshold_unit") or TERM_UNITS.get(term.name, "")
    return p.get("threshold"), unit, bool(p.get("threshold_is_law")), "discovery"


def threshold_text(term: KeyTerm, finding: Finding | None) -> str:
    """The profile threshold a term is checked against ("≤ 72 hours (recommended practice, not law)")."""
    if term.name == GOVERNING_LAW:
        return "no threshold (recorded for the vendor record)"
    limit, unit, is_law, clock = _limit(term, finding)
    if term.name == BREACH_CLOCK:
        return f"clock must start at {clock}" if limit is not None or term.threshold is not None else ""
    if limit is None:
        return "no threshold in this profile"
    v = int(limit) if float(limit).is_integer() else limit
    after = f" after {clock}" if term.name == BREACH_HOURS else ""
    return f"≤ {v} {unit}{after} ({'law' if is_law else 'recommended practice, not law'})"


def check(term: KeyTerm, finding: Finding | None) -> str:
    """How the term compares with its threshold: within / exceeds / no fixed figure / not stated / ""."""
    if term.name == GOVERNING_LAW:
        return ""
    limit, _unit, _law, clock = _limit(term, finding)
    if term.name == BREACH_CLOCK:
        if term.value is None:
            return ""
        return "late clock start" if term.value != clock and term.value in {"confirmation", "determination"} else "meets it"
    if term.value is None:
        return "no fixed figure" if term.state is KeyTermState.VAGUE else "not stated"
    if limit is None:
        return ""
    return "within" if float(term.value) <= float(limit) else "exceeds"


# --------------------------------------------------------------------------- reviewer corrections


def parse_value(name: str, raw: str | None) -> Any:
    """A reviewer's typed value for ``name``: a number for deadlines, a clock word, a place; "" / "none" /
    "not stated" mean the contract states no such term.

    :raises ValueError: with a message for people when the value does not fit the term.
    """
    if name not in KEY_TERMS:
        raise ValueError(f"unknown key term {name!r}; one of: {', '.join(KEY_TERMS)}")
    text = (raw or "").strip()
    if text.lower() in {"", "none", "null", "not stated", "not_stated", "-"}:
        return None
    if name in TERM_UNITS:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z ]*)", text.lower())
        if not m:
            raise ValueError(f"{TERM_LABELS[name]} must be a number of {TERM_UNITS[name]} (e.g. 72)")
        number, unit = float(m.group(1)), m.group(2).strip()
        hours = {"": None, "h": 1, "hour": 1, "hours": 1, "d": 24, "day": 24, "days": 24, "week": 168, "weeks": 168}
        if unit not in hours:
            raise ValueError(f"unknown unit {unit!r} for {TERM_LABELS[name]} (use hours, days or weeks)")
        factor = hours[unit]
        if factor is not None:
            number = number * factor / (24.0 if TERM_UNITS[name] == "days" else 1.0)
        return int(number) if number.is_integer() else round(number, 1)
    if name == BREACH_CLOCK:
        if text.lower() not in CLOCK_STARTS:
            raise ValueError(f"the clock start must be one of: {', '.join(CLOCK_STARTS)}")
        return text.lower()
    return " ".join(text.split())


def _blank(name: str) -> KeyTerm:
    return KeyTerm(name, None, KeyTermState.NOT_STATED, TERM_UNITS.get(name, ""), requirement_id=TERM_REQUIREMENT[name])


def _recheck(f: Finding, terms: Mapping[str, KeyTerm], clock_needed: str) -> Finding:
    """Re-run the threshold check of one requirement with the reviewer's corrected figures."""
    parameter = REQUIREMENT_PARAMETER.get(f.requirement_id)
    if parameter is None:
        return f
    t = terms.get(parameter)
    clock_t = terms.get(BREACH_CLOCK) if parameter == BREACH_HOURS else None
    changed = [x for x in (t, clock_t) if x is not None and x.corrected]
    if not changed:
        return f
    params = dict(f.params)
    value = t.value if t is not None else params.get(parameter)
    params[parameter] = value
    if clock_t is not None:
        params["clock_start"] = clock_t.value
    params["corrected_by_reviewer"] = changed[0].corrected_by or "reviewer"
    params["engine_values"] = {x.name: x.original_value for x in changed}
    limit, unit, _law, clock_needed = _limit(t, f) if t is not None else (params.get("threshold"), "", False, clock_needed)
    unit = unit or TERM_UNITS[parameter]
    problems: list[str] = []
    if value is None:
        problems.append("no fixed deadline is stated")
    elif limit is not None and float(value) > float(limit):
        lv = int(limit) if float(limit).is_integer() else limit
        problems.append(f"{value:g} {unit} is longer than the profile's {lv} {unit}")
    if clock_t is not None and clock_t.value in {"confirmation", "determination"} and clock_t.value != clock_needed:
        problems.append(f"the clock starts at {clock_t.value}, not at {clock_needed}")
    status = f.status
    if problems and status is Status.SATISFIED:
        status = Status.WEAK
    elif not problems and status is Status.WEAK and f.params.get("deadline_blocked"):
        status = Status.SATISFIED  # the figure was the only objection, and the reviewer corrected it
    elif status is Status.MISSING and value is not None:
        status = Status.NEEDS_REVIEW  # the reviewer found a figure where the engine found no clause
    shown = ", ".join(f"{TERM_LABELS[x.name].lower()} {x.display}" for x in changed)
    engine = ", ".join(
        f"{'not stated' if x.original_value is None else x.original_value}" for x in changed
    )
    verdict = "; ".join(problems) if problems else "within the profile's threshold"
    explanation = (
        f"{f.explanation} Corrected by the reviewer: {shown} (the engine read {engine}); "
        f"threshold re-checked: {verdict}."
    )
    return dataclasses.replace(f, status=status, params=params, explanation=explanation)


def apply_corrections(
    analysis: Analysis, corrections: Mapping[str, KeyTermCorrection], *, clock_needed: str = "discovery"
) -> Analysis:
    """``analysis`` with the reviewer's key-term corrections in place of the engine's readings.

    Each corrected term keeps the engine's value in ``original_value`` and is marked with the reviewer;
    the finding of the requirement it belongs to is re-checked against the profile threshold stored on it.
    Corrections of a term the document no longer has a reading for still apply (re-analysis of the same
    document keeps them).
    """
    if not corrections:
        return analysis
    current = {k.name: k for k in analysis.key_term_readings}
    terms: dict[str, KeyTerm] = {}
    for name in KEY_TERMS:
        k = current.get(name) or dataclasses.replace(_blank(name), value=analysis.key_terms.get(name))
        c = corrections.get(name)
        if c is not None:
            original = k.original_value if k.corrected else k.value
            who = c.reviewer or "reviewer"
            k = dataclasses.replace(
                k,
                value=c.value,
                state=KeyTermState.NOT_STATED if c.value is None else KeyTermState.STATED,
                corrected_by=who,
                corrected_at=c.updated_at or "now",
                original_value=original,
                note=c.note,
                finding=(
                    f"Corrected by the reviewer ({who}): "
                    + ("not stated" if c.value is None else dataclasses.replace(k, value=c.value).display)
                    + f"; the engine read {'not stated' if original is None else original}."
                    + (f" Note: {c.note}" if c.note else "")
                ),
            )
        terms[name] = k
    findings = tuple(_recheck(f, terms, clock_needed) for f in analysis.findings)
    return dataclasses.replace(
        analysis,
        key_terms=values(terms.values()),
        key_term_readings=tuple(terms[k] for k in KEY_TERMS),
        findings=findings,
    )
