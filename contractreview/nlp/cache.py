"""A disk cache of the prepared phrase patterns, so a new process does not tokenise the library again.

Building the review pipeline tokenises every phrase pattern of the profile (about 2,100 for ``default``)
and creates a vocabulary entry for each word: about half of the build, and the build is a fifth of a
short ``contractreview analyze`` run. What the phrase matcher keeps of a pattern is a list of integers
(the hashes of its tokens' lower-case forms), so that list is cached as JSON in the user cache folder
(:func:`contractreview.settings.cache_dir`) and handed back to the matcher on the next start.

- The file is named by a key over everything its content depends on: the patterns themselves (ids and
  phrases), the library fingerprint, spaCy's version, the pipeline version and the matched attribute. A
  district overlay, another profile or a spaCy upgrade reads another file.
- JSON only, never pickle: a file in the cache folder is data, validated on load. A file that is missing,
  unreadable, damaged or does not match is ignored and rewritten; the pipeline is built from the patterns
  as if there were no cache. A cache folder that cannot be written only costs the time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SCHEMA = "contractreview-pattern-cache-1"
KEEP_FILES = 8  # one per library × profile in use; older files are removed
_MAX_HASH = 2**64


def cache_key(phrases: Sequence[Mapping[str, Any]], *, fingerprint: str, attr: str, versions: str) -> str:
    """sha256 over the phrase patterns (ids and texts, in order) and what tokenising them depends on."""
    h = hashlib.sha256()
    h.update(f"{SCHEMA}\0{versions}\0{attr}\0{fingerprint}\0".encode())
    for p in phrases:
        h.update(f"{p['id']}\0{p['pattern']}\0".encode())
    return h.hexdigest()


def _path(key: str) -> Path:
    from ..settings import cache_dir

    return cache_dir() / "patterns" / f"{key}.json"


def load(key: str, count: int) -> list[list[int]] | None:
    """The cached phrase keys for ``key`` (one list per phrase pattern, ``count`` of them), or None when
    there is no valid file (never raises)."""
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("key") != key:
        return None
    phrases = data.get("phrases")
    if not isinstance(phrases, list) or len(phrases) != count:
        return None
    for values in phrases:
        if not isinstance(values, list) or not all(
            type(v) is int and 0 <= v < _MAX_HASH for v in values  # noqa: E721 - bool is no hash
        ):
            return None
    return phrases


def store(key: str, phrases: Sequence[Sequence[int]]) -> None:
    """Write the cache file for ``key`` (owner-only, atomic) and prune old ones; failures are ignored."""
    from ..privatefile import write_private_atomic

    path = _path(key)
    payload = json.dumps({"schema": SCHEMA, "key": key, "phrases": phrases}, separators=(",", ":"))
    try:
        write_private_atomic(path, payload.encode("utf-8"))
        files = sorted(path.parent.glob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            os.unlink(old)
    except OSError:
        pass
