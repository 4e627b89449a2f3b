"""Stage 1, supervised: a small text classifier that scores every sentence of a document per requirement.

Per requirement, a binarised multinomial naive-Bayes classifier over hashed word uni- and bigrams: the
labelled evidence sentences (satisfied or weak) of the requirement against every other sentence of the
training documents, smoothed towards the training documents' own n-gram distribution (Dirichlet, mu =
2000), so that an n-gram neither class has seen weighs nothing. A sentence's score is the sum of its
n-grams' log-ratios. The grader reads, per requirement, the best sentence's score and whether that
sentence is one the rules' cues did not find (:func:`contractreview.engine.grader.pair_features`).

Training is counting, so leaving vendors out is exact: subtract their counts (:class:`Counts`). The
artifact (``stage1.npz`` beside this module) holds the buckets seen in training, the weights as float16
deviations from each requirement's weight of an unseen bucket, and the requirement ids: numpy arrays
only, read with ``allow_pickle=False``. No corpus text is stored, only bucket numbers.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

ARTIFACT_PATH = Path(__file__).resolve().parent / "stage1.npz"
SCHEMA = "contractreview-stage1-1"
BITS = 18
MASK = (1 << BITS) - 1
MU = 2000.0
SCALE = 20.0  # s1_best = sigmoid(best log-ratio sum / SCALE)
_TOKEN = re.compile(r"[a-z0-9]+")
_MIX = 0x9E3779B1
_HASHES: dict[str, int] = {}


def sentence_buckets(texts: Sequence[str]):
    """(sentence index, bucket) of every distinct uni- and bigram bucket of each sentence, sorted."""
    import numpy as np

    toklists = [_TOKEN.findall(t.lower()) for t in texts]
    toks = list(chain.from_iterable(toklists))
    if not toks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    new = set(toks).difference(_HASHES)
    if len(_HASHES) + len(new) > 500_000:  # a bounded cache: vocabularies are far smaller
        _HASHES.clear()
        new = set(toks)
    for w in new:
        _HASHES[w] = zlib.crc32(w.encode("utf-8"))
    h = np.fromiter(map(_HASHES.__getitem__, toks), dtype=np.uint64, count=len(toks))
    sid = np.repeat(np.arange(len(texts), dtype=np.int64), np.fromiter(map(len, toklists), dtype=np.int64))
    same = sid[1:] == sid[:-1]
    bi = ((h[:-1] * np.uint64(_MIX)) ^ (h[1:] >> np.uint64(3)) ^ np.uint64(0x5BD1E995))[same]
    buckets = (np.concatenate([h, bi]) & np.uint64(MASK)).astype(np.int64)
    key = np.concatenate([sid, sid[:-1][same]]) * (MASK + 1) + buckets
    key.sort()
    key = key[np.r_[True, key[1:] != key[:-1]]]
    return key >> BITS, key & MASK


@dataclass(frozen=True, slots=True)
class Stage1Model:
    requirements: tuple[str, ...]
    buckets: Any  # sorted int64 array of the buckets seen in training
    deviation: Any  # float16/32 (buckets x requirements): weight minus the unseen-bucket weight
    unseen: Any  # float32 (requirements,): the weight of a bucket never seen in training
    ok: Any = None  # bool (requirements,): it had evidence to learn from (else it is never scored)
    digest: str = ""
    lookup: Any = None  # int32 over all 2^BITS buckets: row of ``deviation``, -1 where never seen

    def __post_init__(self) -> None:
        if self.lookup is None:
            import numpy as np

            lut = np.full(MASK + 1, -1, dtype=np.int32)
            lut[np.asarray(self.buckets, dtype=np.int64)] = np.arange(len(self.buckets), dtype=np.int32)
            object.__setattr__(self, "lookup", lut)

    def best(self, texts: Sequence[str]) -> dict[str, tuple[float, int]]:
        """Per requirement, (best sentence's log-ratio sum, its index) over ``texts``."""
        import numpy as np

        n = len(texts)
        if not n:
            return {}
        sid, b = sentence_buckets(texts)
        counts = np.bincount(sid, minlength=n).astype(np.float32)
        Z = counts[:, None] * self.unseen[None, :]
        cols = self.lookup[b]  # -1: a bucket never seen in training
        hit = cols >= 0
        s, cols = sid[hit], cols[hit]
        if len(s):
            starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
            # float16 in memory; only the gathered rows are widened (summing in float16 would lose digits)
            Z[s[starts]] += np.add.reduceat(self.deviation[cols].astype(np.float32), starts, axis=0)
        k = Z.argmax(axis=0)
        ok = self.ok if self.ok is not None else [True] * len(self.requirements)
        return {rid: (float(Z[k[i], i]), int(k[i])) for i, rid in enumerate(self.requirements) if ok[i]}


def s1_features(best: tuple[float, int] | None, found: bool) -> dict[str, float]:
    """``s1_best`` and ``s1_unfound`` of one pair.

    :param found: the best sentence is one of the rules' cue sentences of the requirement.
    """
    import math

    if best is None:
        return {"s1_best": 0.0, "s1_unfound": 0.0}
    z = best[0]
    return {
        "s1_best": 1.0 / (1.0 + math.exp(-max(min(z / SCALE, 50.0), -50.0))),
        "s1_unfound": float(z > 0 and not found),
    }


# --------------------------------------------------------------------------- training (exact leave-out)


class Counts:
    """Evidence and sentence n-gram counts per document, summed; :meth:`model` leaves any documents out."""

    def __init__(self, requirements: Sequence[str]):
        import numpy as np

        self.requirements = tuple(requirements)
        self.ridx = {r: i for i, r in enumerate(self.requirements)}
        self.all = np.zeros(MASK + 1)
        self.pos = np.zeros((len(self.requirements), MASK + 1))
        self.per_doc: dict[str, tuple[Any, dict[int, tuple[Any, Any]]]] = {}

    def add(self, doc: str, texts: Sequence[str], evidence: Mapping[str, Iterable[int]]) -> None:
        import numpy as np

        sid, b = sentence_buckets(texts)
        allc = np.bincount(b, minlength=MASK + 1).astype(float)
        pos: dict[int, tuple[Any, Any]] = {}
        for rid, idx in evidence.items():
            i = self.ridx.get(rid)
            keep = np.isin(sid, np.asarray(sorted(set(idx)), dtype=np.int64))
            if i is None or not keep.any():
                continue
            u, c = np.unique(b[keep], return_counts=True)
            pos[i] = (u, c.astype(float))
            self.pos[i, u] += c
        self.all += allc
        self.per_doc[doc] = (allc, pos)

    def weights(self, leave_out: Iterable[str] = ()):
        """(weights: requirements x 2^BITS, requirements with evidence, buckets seen) without those docs."""
        import numpy as np

        ALL = self.all.copy()
        POS = self.pos.copy()
        for d in leave_out:
            if d in self.per_doc:
                allc, pos = self.per_doc[d]
                ALL -= allc
                for i, (u, c) in pos.items():
                    POS[i, u] -= c
        ok = POS.sum(axis=1) > 0
        W = np.zeros_like(POS)
        if ok.any():  # a requirement without evidence is never scored: its row stays zero
            pos = POS[ok]
            neg = np.maximum(ALL[None, :] - pos, 0.0)
            bg = (ALL + 1.0) / (ALL.sum() + MASK + 1)
            P = (pos + MU * bg) / (pos.sum(axis=1, keepdims=True) + MU)
            Q = (neg + MU * bg) / (neg.sum(axis=1, keepdims=True) + MU)
            W[ok] = np.log(P) - np.log(Q)
        return W, ok, ALL > 0

    def best(self, texts: Sequence[str], W, ok) -> dict[str, tuple[float, int]]:
        import numpy as np

        sid, b = sentence_buckets(texts)
        n = len(texts)
        out: dict[str, tuple[float, int]] = {}
        if not n:
            return out
        for i, rid in enumerate(self.requirements):
            if ok[i]:
                z = np.bincount(sid, weights=W[i, b], minlength=n)
                k = int(z.argmax())
                out[rid] = (float(z[k]), k)
        return out

    def model(self) -> Stage1Model:
        """The shipped classifier: trained on every document, stored as float32 deviations."""
        import numpy as np

        W, ok, seen = self.weights()
        never = np.flatnonzero(~seen)
        # Every bucket never seen in training has the same weight (its counts are all zero).
        unseen = W[:, never[0]].copy() if len(never) else np.zeros(len(self.requirements))
        cols = np.flatnonzero(seen)
        dev = (W[:, cols] - unseen[:, None]).T.astype(np.float32)
        return Stage1Model(
            self.requirements, cols.astype(np.int64), dev, unseen.astype(np.float32), ok.copy()
        )


def artifact_bytes(model: Stage1Model) -> bytes:
    """The artifact: a zip of ``.npy`` arrays (``np.load`` reads it, ``allow_pickle=False``), with fixed
    timestamps so that the same labels give the same bytes."""
    import io
    import zipfile

    import numpy as np

    arrays = {
        "schema": np.array(SCHEMA),
        "requirements": np.array(model.requirements),
        "buckets": np.asarray(model.buckets, dtype=np.int32),
        "deviation": np.asarray(model.deviation, dtype=np.float16),
        "unseen": np.asarray(model.unseen, dtype=np.float32),
        "ok": np.asarray(model.ok, dtype=bool),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            one = io.BytesIO()
            np.lib.format.write_array(one, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, one.getvalue(), compresslevel=6)
    return buf.getvalue()


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Stage1Model | None:
    """The shipped classifier (None when there is none). :raises ValueError: not a stage-1 artifact."""
    import numpy as np

    p = Path(path) if path else ARTIFACT_PATH
    if not p.is_file():
        return None
    raw = p.read_bytes()
    import io
    import zipfile

    try:
        z = np.load(io.BytesIO(raw), allow_pickle=False)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"not a stage-1 artifact ({exc})") from exc
    with z:
        if "schema" not in z.files or str(z["schema"]) != SCHEMA:
            raise ValueError("not a stage-1 artifact")
        return Stage1Model(
            requirements=tuple(str(r) for r in z["requirements"]),
            buckets=z["buckets"].astype(np.int64),
            deviation=z["deviation"],
            unseen=z["unseen"].astype(np.float32),
            ok=z["ok"].astype(bool),
            digest=hashlib.sha256(raw).hexdigest(),
        )
