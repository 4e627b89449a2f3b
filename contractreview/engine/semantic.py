"""Stage 1 semantics at run time: sentence vectors from static token vectors distilled from MiniLM.

The contextual all-MiniLM-L6-v2 model is far too slow to run on every sentence of a contract in numpy
(21-46 sentences/s measured here). ``contractreview train --embeddings`` therefore runs it once per
vocabulary token at training time (:mod:`contractreview.engine.distil`) and ships the result: one
float16 vector per WordPiece token, reduced by PCA and weighted by how rare the token is, in
``embeddings.npz`` beside this module (no pickle: ``np.load(..., allow_pickle=False)``). A sentence's vector
is the mean of its tokens' vectors, so embedding a whole document costs one dictionary look-up per word.

Nothing here imports torch, the MiniLM package or the network. When the artifact is absent or damaged the
engine works as before, without similarity features.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ARTIFACT_PATH = Path(__file__).resolve().parent / "embeddings.npz"
ARTIFACT_SCHEMA = "contractreview-static-embeddings-1"

_PUNCT = re.compile(r"(\w+|[^\w\s])", re.UNICODE)


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


class WordPiece:
    """The uncased BERT tokenizer of all-MiniLM-L6-v2 (basic split on spaces and punctuation, then
    greedy longest-match WordPiece), enough to look tokens up; special tokens are never produced."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.unk = self.ids.get("[UNK]", 100)
        self._cache: dict[str, tuple[int, ...]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        got = self._cache.get(word)
        if got is not None:
            return got
        out: list[int] = []
        if len(word) > 100:
            got = (self.unk,)
        else:
            start = 0
            while start < len(word):
                end = len(word)
                cur = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.ids:
                        cur = self.ids[piece]
                        break
                    end -= 1
                if cur is None:
                    out = [self.unk]
                    break
                out.append(cur)
                start = end
            got = tuple(out)
        if len(self._cache) < 200_000:
            self._cache[word] = got
        return got

    def encode(self, text: str, max_tokens: int = 256) -> list[int]:
        text = _strip_accents(text.lower())
        ids: list[int] = []
        for w in _PUNCT.findall(text):
            ids.extend(self.word_ids(w))
            if len(ids) >= max_tokens:
                return ids[:max_tokens]
        return ids


@dataclass(frozen=True)
class StaticEmbeddings:
    vectors: Any  # numpy float32 (vocabulary, dims), rows already weighted
    tokenizer: WordPiece
    meta: Mapping[str, Any]

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, sentences: Sequence[str]):
        """Unit-length vectors (numpy float32, one row per sentence); a sentence with no known token is 0."""
        import numpy as np

        out = np.zeros((len(sentences), self.dims), dtype=np.float32)
        for i, s in enumerate(sentences):
            ids = self.tokenizer.encode(s)
            if ids:
                v = self.vectors[ids].mean(axis=0)
                n = float(np.linalg.norm(v))
                if n > 0:
                    out[i] = v / n
        return out


def artifact_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_artifact(path: Path, vectors: Any, vocab: Sequence[str], meta: Mapping[str, Any]) -> None:
    """Write the static vectors (float16), the vocabulary and the metadata as one npz, byte-deterministic."""
    import io
    import json
    import zipfile

    import numpy as np

    arrays = {
        "schema": np.frombuffer(ARTIFACT_SCHEMA.encode("utf-8"), dtype=np.uint8),
        "vectors": np.ascontiguousarray(vectors, dtype=np.float16),
        "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        "meta": np.frombuffer(json.dumps(dict(meta), sort_keys=True).encode("utf-8"), dtype=np.uint8),
    }
    # np.savez stamps the current time into the zip entries; write the entries ourselves with a fixed one.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, arr in arrays.items():
            one = io.BytesIO()
            np.lib.format.write_array(one, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2026, 1, 1, 0, 0, 0))
            zf.writestr(info, one.getvalue())
    path.write_bytes(buf.getvalue())


def load_artifact(path: Path) -> StaticEmbeddings:
    """:raises ValueError: not a static-embeddings artifact (or a damaged one)."""
    import json

    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        if bytes(z["schema"]).decode("utf-8") != ARTIFACT_SCHEMA:
            raise ValueError("not a static-embeddings artifact")
        vectors = z["vectors"].astype(np.float32)
        vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        meta = json.loads(bytes(z["meta"]).decode("utf-8"))
    if vectors.ndim != 2 or vectors.shape[0] != len(vocab):
        raise ValueError("static vectors do not match their vocabulary")
    return StaticEmbeddings(vectors, WordPiece(vocab), meta)


@lru_cache(maxsize=2)
def load_embeddings(path: str | None = None) -> StaticEmbeddings | None:
    """The shipped static embeddings, or None when there are none or they are damaged."""
    p = Path(path) if path else ARTIFACT_PATH
    if not p.is_file():
        return None
    try:
        return load_artifact(p)
    except (OSError, ValueError, KeyError, TypeError):
        return None
