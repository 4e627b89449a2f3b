"""English inflection for the clause library's lemma patterns (``{"LEMMA": "notify the district"}``).

A lemma pattern names a phrase in dictionary form and matches it with any word inflected: a noun's plural,
a verb's -s, -ed and -ing forms ("notify" matches "notifies", "notified", "notifying"). It replaces lists
of literal variants that had to be kept in step by hand. This is English grammar, not legal knowledge:
the words and phrases themselves stay in ``clause_library/patterns``.

The pipeline has no lemmatiser (``spacy.blank("en")`` and no downloaded model), so the forms are generated
here, once, when the patterns are compiled: every phrase a lemma pattern stands for is added to the same
``PhraseMatcher`` as the literal phrases, under the same rule id. Generation errs on the side of too many
forms ("datas" for "data"): a form that no text contains never matches, while a missing one would.
Derived words are not inflections: "notification" is its own lemma, not a form of "notify".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

# Words that never inflect (articles, prepositions, conjunctions, pronouns, determiners, modals):
# generating "thes" or "tos" would only multiply the phrases of a pattern.
FIXED_WORDS = frozenset(
    """a an the and or nor but if of to in on at by for with without from into onto upon within about
    above after against among before below between during except through toward towards under until
    via any all each every either neither no not none some such this that these those its it their
    them they his her he she we our us you your who whom whose which what than as so also only
    solely shall will may must can could should would might""".split()
)

# Irregular forms, by dictionary form. The regular rules below still apply ("sell" also gives "sells").
IRREGULAR = {
    "be": ("is", "are", "was", "were", "been", "being", "am"),
    "have": ("has", "had", "having"),
    "do": ("does", "did", "done", "doing"),
    "become": ("became",),
    "bring": ("brought",),
    "buy": ("bought",),
    "child": ("children",),
    "get": ("got", "gotten"),
    "give": ("gave", "given"),
    "hold": ("held",),
    "keep": ("kept",),
    "know": ("knew", "known"),
    "lead": ("led",),
    "make": ("made",),
    "person": ("people",),
    "see": ("saw", "seen"),
    "sell": ("sold",),
    "send": ("sent",),
    "take": ("took", "taken"),
    "undertake": ("undertook", "undertaken"),
    "tell": ("told",),
    "write": ("wrote", "written"),
}

_IRREGULAR_FORMS = frozenset(f for forms in IRREGULAR.values() for f in forms)

MAX_PHRASES = 512  # a lemma pattern standing for more phrases than this is refused: split it

_VOWELS = "aeiou"
_WORD = re.compile(r"^[a-z]+$")


def word_forms(word: str) -> tuple[str, ...]:
    """``word`` (lower-case dictionary form) and its inflected forms, ``word`` first.

    Anything that is not a plain word of letters (a number, a hyphen, "n't") and every word of
    :data:`FIXED_WORDS` stands for itself only.
    """
    w = word.lower()
    if not _WORD.match(w) or w in FIXED_WORDS or w in _IRREGULAR_FORMS or len(w) < 2:
        return (w,)
    # A word already inflected stands for itself ("documented", "written"): its "forms" would be
    # phrases no text contains. A word in -ing may still be a noun with a plural ("settings").
    if len(w) > 4 and w.endswith(("ed", "ful", "ous")) and not w.endswith("eed"):
        return (w,)
    if len(w) > 4 and w.endswith("ing"):
        return (w, w + "s")
    forms: list[str] = [w]

    def add(*items: str) -> None:
        for item in items:
            if item not in forms:
                forms.append(item)

    irregular = IRREGULAR.get(w, ())
    add(*irregular)
    # -s: a noun's plural, a verb's third person
    if w.endswith(("s", "x", "z", "ch", "sh")):
        add(w + "es")
    elif w[-1] == "y" and w[-2] not in _VOWELS:
        add(w[:-1] + "ies")
    else:
        add(w + "s")
    if w.endswith(("is",)):
        add(w[:-2] + "es")  # analysis -> analyses
    # -ed and -ing ("sold", not "selled"; a regular past of an irregular verb can be another word: "seed")
    if irregular:
        add(w[:-1] + "ing" if w[-1] == "e" and not w.endswith(("ee", "ye", "oe")) else w + "ing")
    elif w[-1] == "e":
        add(w + "d")
        if w.endswith("ie"):
            add(w[:-2] + "ying")
        elif w.endswith(("ee", "ye", "oe")):
            add(w + "ing")
        else:
            add(w[:-1] + "ing")
    elif w[-1] == "y" and w[-2] not in _VOWELS:
        add(w[:-1] + "ied", w + "ing")
    else:
        add(w + "ed", w + "ing")
        # "commit" -> "committed", "transfer" -> "transferred"; "limit" -> "limited" keeps its single
        # consonant. Both spellings are generated: the one English does not use matches nothing.
        if len(w) >= 3 and w[-1] not in _VOWELS + "wxy" and w[-2] in _VOWELS and w[-3] not in _VOWELS:
            add(w + w[-1] + "ed", w + w[-1] + "ing")
    return tuple(forms)


# A word of a phrase (letters, with its hyphenated parts) or anything between words.
_PARTS = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*|[^A-Za-z]+")


def _part_forms(part: str) -> tuple[str, ...]:
    """Forms of one part of a phrase: a word, a hyphenated compound (only its last element inflects, as
    in "sub-processors" and "de-identified") or the spaces and punctuation between words."""
    part = part.lower()
    if not part[0].isalpha():
        return (part,)
    head, _, last = part.rpartition("-")
    return tuple(f"{head}-{f}" if head else f for f in word_forms(last))


def count_phrases(phrase: str) -> int:
    """How many literal phrases the lemma phrase ``phrase`` stands for."""
    n = 1
    for part in _PARTS.findall(phrase.strip()):
        n *= len(_part_forms(part))
    return n


def expand_phrase(phrase: str) -> Iterator[str]:
    """Every literal phrase (lower case) the lemma phrase ``phrase`` stands for, its own words first.

    ``expand_phrase("notify the district")`` gives "notify the district", "notify the districts",
    "notifies the district", ... "notifying the districts".
    """
    parts = [_part_forms(p) for p in _PARTS.findall(phrase.strip())]
    for combo in itertools.product(*parts):
        yield "".join(combo)


def compile_pattern(pattern: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The match-ready form of one library pattern: what the matcher and the engine's prefilters read.

    A lemma pattern (``{"LEMMA": "notify"}``) becomes one phrase pattern per literal phrase it stands for,
    all with its rule id; a ``LEMMA`` inside a token pattern becomes ``LOWER`` in the word's forms (the
    pipeline has no lemmatiser). Every other pattern is returned as it is.
    """
    pat = pattern.get("pattern")
    if isinstance(pat, dict) and set(pat) == {"LEMMA"}:
        return [{**pattern, "pattern": phrase} for phrase in expand_phrase(str(pat["LEMMA"]))]
    if isinstance(pat, list) and any(isinstance(t, dict) and "LEMMA" in t for t in pat):
        return [{**pattern, "pattern": [_lemma_token(t) if isinstance(t, dict) else t for t in pat]}]
    return [dict(pattern)]


def compile_patterns(patterns: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [c for p in patterns for c in compile_pattern(p)]


def _lemma_token(token: Mapping[str, Any]) -> dict[str, Any]:
    if "LEMMA" not in token:
        return dict(token)
    out = {k: v for k, v in token.items() if k != "LEMMA"}
    value = token["LEMMA"]
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = [str(v) for v in value["IN"]]
    else:  # another operator (REGEX, NOT_IN, ...) cannot be rewritten: leave it to spaCy
        return dict(token)
    out["LOWER"] = {"IN": sorted({f for w in words for f in word_forms(w)})}
    return out
