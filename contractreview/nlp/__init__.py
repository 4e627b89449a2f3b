"""The review pipeline: ``spacy.blank("en")`` plus the project's registered components.

No downloaded model is needed. The pipeline is built once per clause-library fingerprint and profile and
kept for the process; the tokenised phrase patterns are also cached on disk (:mod:`.cache`), so a new
process skips tokenising the library.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

from .durations import Duration, clock_start, outer_deadline, parse_durations
from .sentences import split_sentences

__all__ = [
    "COMPONENTS",
    "Duration",
    "build_pipeline",
    "clock_start",
    "component_config",
    "example_problems",
    "get_pipeline",
    "outer_deadline",
    "parse_durations",
    "pipeline_ready",
    "prepare_pipeline",
    "profile_patterns",
    "split_sentences",
]

PIPELINE_VERSION = "2"  # bump when a component change alters results

# component name -> registered factory
COMPONENTS = {
    "contractreview_cues": "contractreview_cues",
    "contractreview_negation": "contractreview_negation",
    "contractreview_hedges": "contractreview_hedges",
    "contractreview_durations": "contractreview_durations",
    "contractreview_roles": "contractreview_roles",
}

_CACHE: dict[str, Any] = {}
_LOCK = threading.Lock()


def component_config(library: Any) -> dict[str, dict[str, list[str]]]:
    """The word lists of each component, from the library's lexicons (``clause_library/lexicons``)."""

    def lx(name: str, key: str) -> list[str]:
        return list(library.lexicon(name, key))

    return {
        "contractreview_negation": {
            "negations": lx("negation", "negations"),
            "exceptions": lx("negation", "exceptions"),
            "refusals": lx("negation", "refusals"),
        },
        "contractreview_hedges": {
            "hedges": lx("hedges", "hedges"),
            "permission_subjects": lx("hedges", "permission_subjects"),
        },
        "contractreview_roles": {
            key: lx("parties", key)
            for key in (
                "vendor", "school", "user", "authority", "data_nouns", "obligation_words", "notify_words",
            )
        },  # fmt: skip
    }


def build_pipeline(
    library: Any = None, *, patterns: Iterable[dict] | None = None
):  # -> spacy.language.Language
    """A fresh pipeline fed with ``library.all_patterns()`` (or ``patterns``) and the library's lexicons.

    Without ``library`` the built-in library's lexicons are used (``patterns`` alone: tests of one rule).
    """
    from . import components  # noqa: F401 - registers the factories
    from ._spacy import import_spacy

    spacy = import_spacy()

    lexicons = library
    if lexicons is None:
        from ..library import load_library

        lexicons = load_library()
    config = component_config(lexicons)
    nlp = spacy.blank("en")
    for name, factory in COMPONENTS.items():
        nlp.add_pipe(factory, name=name, config=config.get(name, {}))
    ruler = nlp.get_pipe("contractreview_cues")
    if patterns is not None or library is None:
        ruler.add_patterns(list(patterns or []))
        nlp.meta["pattern_cache"] = "off"
    else:
        nlp.meta["pattern_cache"] = _add_library_patterns(ruler, profile_patterns(library), library, spacy)
    nlp.meta["name"] = "contractreview_review"
    nlp.meta["library_fingerprint"] = getattr(library, "fingerprint", "")
    return nlp


def _add_library_patterns(ruler: Any, pats: list[dict], library: Any, spacy: Any) -> str:
    """Add the library's patterns with their phrase keys from the disk cache (:mod:`.cache`) when it has
    them, else tokenise and write the cache: "hit" or "miss"."""
    from . import cache
    from .components import phrase_patterns

    phrases = phrase_patterns(pats)
    key = cache.cache_key(
        phrases,
        fingerprint=getattr(library, "fingerprint", "") or "",
        attr=ruler.phrase_matcher_attr,
        versions=f"spacy {spacy.__version__}; pipeline {PIPELINE_VERSION}",
    )
    cached = cache.load(key, len(phrases))
    if cached is not None:
        ruler.add_patterns(pats, phrase_keys=cached)
        return "hit"
    keys = ruler.phrase_keys(pats)
    ruler.add_patterns(pats, phrase_keys=keys)
    cache.store(key, keys)
    return "miss"


def profile_patterns(library: Any) -> list[dict]:
    """Patterns of the active profile's requirements plus the shared ``_common`` ones, match-ready.

    Other profiles' patterns (e.g. the 19 GDPR requirements when reviewing under ``default``) would only
    cost time: no finding reads them. Lemma patterns come expanded into the literal phrases they stand
    for (:func:`contractreview.inflection.compile_pattern`), each with the lemma pattern's rule id.
    """
    from ..inflection import compile_patterns

    wanted = {r.id for r in library.requirements_for()} | {"_common"}
    return compile_patterns(p for p in library.all_patterns() if p.get("label") in wanted)


def example_problems(items: Iterable[tuple[dict, str]]) -> list[tuple[str, str]]:
    """``(where, reason)`` for each ``(pattern, where)`` whose rule does not match its own ``example``.

    Only the tokeniser and the pattern matcher run: a pattern matches its example exactly as it matches
    a sentence of a contract.
    """
    from . import components
    from ._spacy import import_spacy

    spacy = import_spacy()
    todo = []
    for p, where in items:
        if not (isinstance(p.get("example"), str) and p["example"].strip()):
            continue
        # Whether a rule matches its example depends on the rule alone: a pair checked once in this
        # process (the built-in library, validated again under every district folder) is not re-run.
        key = json.dumps([p.get("kind"), p.get("pattern"), p["example"]], sort_keys=True)
        if key not in _EXAMPLES_MATCHED:
            todo.append((p, where, key))
    if not todo:
        return []
    nlp = spacy.blank("en")
    ruler = components.CueRuler(nlp, "contractreview_cues")
    ruler.add_patterns(p for p, _, _ in todo)
    out = []
    for (p, where, key), doc in zip(todo, nlp.pipe(p["example"] for p, _, _ in todo), strict=True):
        span_key = components.SPAN_KEYS.get(p.get("kind", ""))
        if span_key is None:
            continue
        doc = ruler(doc)
        if any(sp.id_ == p["id"] for sp in doc.spans[span_key]):
            _EXAMPLES_MATCHED.add(key)
        else:
            out.append((where, f"the pattern does not match its own example {p['example']!r}"))
    return out


_EXAMPLES_MATCHED: set[str] = set()  # example_problems: (kind, pattern, example) already seen to match


def _cache_key(library: Any) -> str:
    profile = getattr(getattr(library, "profile", None), "name", "")
    ids = (
        ",".join(sorted(r.id for r in library.requirements_for()))
        if hasattr(library, "requirements_for")
        else ""
    )
    return f"{getattr(library, 'fingerprint', '') or id(library)}|{profile}|{hash(ids)}"


def get_pipeline(library: Any):
    """The cached pipeline for this library and profile (keyed by fingerprint and requirement set).

    Built once per process and library fingerprint; a build already running on another thread
    (:func:`prepare_pipeline`) is waited for, never repeated.
    """
    key = _cache_key(library)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            nlp = build_pipeline(library)
            _CACHE[key] = nlp
        return nlp


def pipeline_ready(library: Any) -> bool:
    """True when the pipeline of ``library`` is built already (:func:`get_pipeline` returns at once).

    Never waits: a build running on another thread holds the lock for its whole length."""
    return _cache_key(library) in _CACHE


def prepare_pipeline(library: Any) -> threading.Thread | None:
    """Start building the pipeline of ``library`` on a thread, unless it is cached already.

    Importing spaCy and building the pipeline take most of a short run's start-up; started before the
    file is read, they overlap ingestion. :func:`get_pipeline` later waits for this build.
    """
    # Never wait here: the lock is held for a whole build, and a build already running (the GUI's warm-up)
    # serves this library too, or get_pipeline builds it later. Waiting would stop the caller reading the
    # file meanwhile.
    if not _LOCK.acquire(blocking=False):
        return None
    try:
        if _cache_key(library) in _CACHE:
            return None
    finally:
        _LOCK.release()

    def build() -> None:
        try:
            get_pipeline(library)
        except Exception:  # noqa: BLE001 - the analysis builds it again and reports the error itself
            pass

    # Not a daemon: when reading the file fails at once (a corrupt PDF), the process would exit while this
    # thread is inside spaCy's or numpy's import, and a daemon thread still running C extension code as the
    # interpreter shuts down crashed the process after the error line (SIGSEGV in about 1 run in 20).
    # Exit waits for the build instead (under a second).
    thread = threading.Thread(target=build, name="contractreview-pipeline", daemon=False)
    thread.start()
    return thread
