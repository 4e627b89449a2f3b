"""A learned presence detector: does some sentence of the document state this duty, in any wording?

The rules find a duty through the clause library's patterns, which follow the wording they were written
on. For the GDPR Art. 28 duties that leaves present duties called missing on other vendors' DPAs (issue
#20). This detector is a second, learned way to find a duty the rules called missing: one logistic
regression per duty over hashed word unigrams and bigrams of a sentence. A duty the rules call missing is
found when one sentence of the document reaches the artifact's threshold; the finding then names that
sentence, says the learned detector (not a pattern) found it and gives its probability.

The artifact (``presence_gdpr.npz`` beside this module, shipped in the wheel) holds only numbers and ids:
weights over hashed features, never text. It is read with ``allow_pickle=False`` and its sha256 is recorded
in every analysis it changed (``Analysis.detector``). ``contractreview train --gdpr-detector`` rebuilds it,
deterministically (see :mod:`contractreview.evaluation.gdpr_detector`).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ARTIFACT_PATH = Path(__file__).resolve().parent / "presence_gdpr.npz"
ARTIFACT_SCHEMA = "contractreview-presence-1"
BUCKETS = 1 << 16  # hashed feature space (unigrams and bigrams share it)
LAYER = "detector"  # Finding.layer of a duty the learned detector found

_TOKEN = re.compile(r"[a-z0-9]+")
_BIGRAM_MIX = 0x9E3779B1


@lru_cache(maxsize=65536)
def _token_hash(token: str) -> int:
    return zlib.crc32(token.encode("utf-8"))


def feature_ids(text: str, buckets: int = BUCKETS) -> list[int]:
    """The hashed feature ids of one sentence: its lower-cased word unigrams and bigrams, each once.

    CRC-32 (not Python's salted ``hash``), so the same sentence gets the same ids in every process.
    """
    hs = [_token_hash(t) for t in _TOKEN.findall(text.lower())]
    ids = {h % buckets for h in hs}
    ids.update(((a * _BIGRAM_MIX) ^ b) % buckets for a, b in zip(hs, hs[1:], strict=False))
    return sorted(ids)


def csr(texts: Sequence[str], buckets: int = BUCKETS) -> tuple[Any, Any]:
    """(indices, indptr) of the binary sentence × feature matrix, as numpy arrays.

    The same ids as :func:`feature_ids` sentence by sentence, computed over the whole document at once
    (one token list, vectorised bigrams and de-duplication): this runs on every GDPR analysis.
    """
    import numpy as np

    hashes: list[int] = []
    lengths: list[int] = []
    for t in texts:
        hs = [_token_hash(w) for w in _TOKEN.findall(t.lower())]
        hashes.extend(hs)
        lengths.append(len(hs))
    n = len(texts)
    h = np.asarray(hashes, dtype=np.uint64)
    row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    same = row[1:] == row[:-1]  # a bigram never spans two sentences
    big = ((h[:-1] * np.uint64(_BIGRAM_MIX)) ^ h[1:])[same] if len(h) > 1 else h[:0]
    ids = np.concatenate([h % np.uint64(buckets), big % np.uint64(buckets)]).astype(np.int64)
    rows = np.concatenate([row, row[1:][same] if len(h) > 1 else row[:0]])
    keys = np.sort(rows * buckets + ids)  # by sentence, then id
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys  # each feature once
    indices = keys % buckets
    indptr = np.searchsorted(keys // buckets, np.arange(n + 1), side="left").astype(np.int64)
    return indices, indptr


def logits(indices: Any, indptr: Any, W: Any, b: Any) -> Any:
    """Sentence × duty logits of a binary CSR matrix: the sum of the weights of each row's features."""
    import numpy as np

    n = len(indptr) - 1
    out = np.tile(np.asarray(b, dtype=np.float64), (n, 1))
    if n == 0 or not len(indices):
        return out
    gathered = np.asarray(W[indices], dtype=np.float64)
    nonempty = indptr[1:] > indptr[:-1]
    starts = indptr[:-1][nonempty]
    out[nonempty] += np.add.reduceat(gathered, starts, axis=0)
    return out


@dataclass(frozen=True, slots=True)
class PresenceModel:
    duties: tuple[str, ...]
    W: Any  # (BUCKETS, len(duties)) weights
    b: Any  # (len(duties),) biases
    threshold: float
    buckets: int = BUCKETS
    meta: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # sha256 of the artifact file, recorded in every analysis it changed

    def sentence_probabilities(self, texts: Sequence[str], duties: Sequence[str]) -> Any:
        """Sentence × ``duties`` probabilities (duties this model does not know are left out by the caller)."""
        import numpy as np

        cols = [self.duties.index(d) for d in duties]
        indices, indptr = csr(texts, self.buckets)
        z = logits(indices, indptr, self.W[:, cols], self.b[cols])
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def save_model(
    path: Path, duties: Sequence[str], W: Any, b: Any, threshold: float, meta: Mapping[str, Any]
) -> bytes:
    """Write the artifact (an ``.npz``: numbers and ids only, no pickled objects) and return its bytes.

    The zip entries carry a fixed date (``numpy.savez`` would stamp the current time), so the same weights
    give the same bytes: the training is deterministic, hence so is the artifact and its hash.
    """
    import io
    import zipfile

    import numpy as np

    arrays = {
        "schema": np.array(ARTIFACT_SCHEMA),
        "duties": np.array(list(duties)),
        "W": np.asarray(W, dtype=np.float16),
        "b": np.asarray(b, dtype=np.float32),
        "threshold": np.array(float(threshold)),
        "buckets": np.array(int(np.shape(W)[0])),
        "meta": np.array(json.dumps(dict(meta), sort_keys=True)),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            one = io.BytesIO()
            np.lib.format.write_array(one, arr, allow_pickle=False)
            zf.writestr(info, one.getvalue())
    raw = buf.getvalue()
    path.write_bytes(raw)
    return raw


def model_from_bytes(raw: bytes) -> PresenceModel:
    """:raises ValueError: not a presence artifact, or its arrays do not fit together."""
    import io

    import numpy as np

    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        if str(z["schema"]) != ARTIFACT_SCHEMA:
            raise ValueError(f"not a presence detector artifact (schema {str(z['schema'])!r})")
        duties = tuple(str(d) for d in z["duties"])
        W = np.asarray(z["W"], dtype=np.float32)
        b = np.asarray(z["b"], dtype=np.float64)
        buckets = int(z["buckets"])
        threshold = float(z["threshold"])
        meta = json.loads(str(z["meta"]))
    if W.shape != (buckets, len(duties)) or b.shape != (len(duties),) or not 0.0 < threshold < 1.0:
        raise ValueError("presence detector weights do not match its duties")
    return PresenceModel(duties, W, b, threshold, buckets, meta, hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> PresenceModel | None:
    p = Path(path) if path else ARTIFACT_PATH
    if not p.is_file():
        return None
    return model_from_bytes(p.read_bytes())


def safe_load() -> PresenceModel | None:
    """The shipped detector; a damaged artifact must never lose an analysis (the rules' status stands)."""
    try:
        return load_model()
    except (OSError, ValueError, KeyError, TypeError, EOFError, zlib.error):
        return None
    except Exception:  # noqa: BLE001 - a damaged zip raises zipfile.BadZipFile and friends
        return None


def document_sentences(document: Any) -> list[tuple[int, int]]:
    """The sentence spans the detector reads: the engine's own sentence split of the document."""
    from .features import _sentences

    return _sentences(document)


@dataclass(frozen=True, slots=True)
class Found:
    """The sentence the detector reads as stating a duty, with its probability."""

    start: int
    end: int
    probability: float


def find(
    model: PresenceModel, text: str, spans: Sequence[tuple[int, int]], duties: Sequence[str]
) -> dict[str, Found]:
    """For each of ``duties`` the detector knows, its best sentence when that reaches the threshold."""
    import numpy as np

    known = [d for d in duties if d in model.duties]
    spans = [(s, e) for s, e in spans if e > s]
    if not known or not spans:
        return {}
    P = model.sentence_probabilities([text[s:e] for s, e in spans], known)
    out: dict[str, Found] = {}
    for j, rid in enumerate(known):
        i = int(np.argmax(P[:, j]))
        p = float(P[i, j])
        if p >= model.threshold:
            out[rid] = Found(spans[i][0], spans[i][1], p)
    return out
