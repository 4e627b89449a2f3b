"""Issue #14, stage 1 semantics: the MiniLM distillation (training time) and the static vectors (run time).

The real model is never needed here: a tiny random BERT is written as safetensors by the test.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from contractreview.engine import distil, semantic

VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "the",
    "vendor",
    "shall",
    "notify",
    "delete",
    "data",
    "##s",
    "'",
    ".",
]


def _safetensors(tensors: dict[str, np.ndarray]) -> bytes:
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        raw = np.ascontiguousarray(arr, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode("utf-8")
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def _tiny_files(hidden: int = 24, inter: int = 48, layers: int = 2, seed: int = 0) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    t = {
        "embeddings.word_embeddings.weight": rng.normal(size=(len(VOCAB), hidden)),
        "embeddings.position_embeddings.weight": rng.normal(size=(16, hidden)),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, hidden)),
        "embeddings.LayerNorm.weight": np.ones(hidden),
        "embeddings.LayerNorm.bias": np.zeros(hidden),
    }
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, shape in (
            ("attention.self.query", (hidden, hidden)),
            ("attention.self.key", (hidden, hidden)),
            ("attention.self.value", (hidden, hidden)),
            ("attention.output.dense", (hidden, hidden)),
            ("intermediate.dense", (inter, hidden)),
            ("output.dense", (hidden, inter)),
        ):
            t[p + name + ".weight"] = rng.normal(scale=0.3, size=shape)
            t[p + name + ".bias"] = rng.normal(scale=0.1, size=shape[0])
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + ln + ".weight"] = np.ones(hidden)
            t[p + ln + ".bias"] = np.zeros(hidden)
    tok = {"model": {"vocab": {w: i for i, w in enumerate(VOCAB)}}}
    return {"model.safetensors": _safetensors(t), "tokenizer.json": json.dumps(tok).encode("utf-8")}


def test_issue_14_wordpiece_splits_like_the_bert_tokenizer() -> None:
    wp = semantic.WordPiece(VOCAB)
    ids = wp.encode("The VENDOR's data. Notify!")
    assert [VOCAB[i] for i in ids] == ["the", "vendor", "'", "[UNK]", "data", ".", "notify", "[UNK]"]
    assert [VOCAB[i] for i in wp.encode("datas")] == ["data", "##s"]
    assert wp.encode("Délete") == wp.encode("delete")  # accents stripped, as uncased BERT does


def test_issue_14_minilm_padding_never_enters_mean_pooling() -> None:
    model = distil.MiniLM(_tiny_files())
    ids = np.array([[2, 4, 5, 6, 7, 3, 0, 0, 0], [2, 4, 5, 6, 7, 3, 0, 0, 0]], dtype=np.int64)
    mask = (ids != 0).astype(np.int64)
    padded = model.pooled(ids, mask)[0]
    bare = model.pooled(ids[:1, :6], mask[:1, :6])[0]
    assert np.allclose(padded, bare, atol=1e-5)
    # Counting the padding would change the mean: the check above can fail.
    naive = model.forward(ids[:1], mask[:1])[0].mean(axis=0)
    assert not np.allclose(naive, bare, atol=1e-3)


def test_issue_14_model_files_are_checked_against_their_pinned_hashes(tmp_path: Path) -> None:
    for name, data in _tiny_files().items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(distil.ModelFilesError, match="not the pinned"):
        distil.model_files(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(distil.ModelFilesError, match="no model.safetensors"):
        distil.model_files(empty)


def test_issue_14_distillation_is_deterministic_and_the_artifact_round_trips(tmp_path: Path) -> None:
    model = distil.MiniLM(_tiny_files())
    texts = ["The vendor shall delete the data.", "The vendor shall notify."]
    a, meta = distil.distil(model, texts, dims=8)
    b, _ = distil.distil(model, texts, dims=8)
    assert a.shape == (len(VOCAB), 8) and np.array_equal(a, b)
    counts = distil.token_counts(texts, model.tokenizer)
    assert counts[VOCAB.index("the")] == 3 and counts[VOCAB.index("notify")] == 1
    one, two = tmp_path / "a.npz", tmp_path / "b.npz"
    semantic.save_artifact(one, a, model.vocab, meta)
    semantic.save_artifact(two, b, model.vocab, meta)
    assert one.read_bytes() == two.read_bytes()
    emb = semantic.load_artifact(one)
    v = emb.embed(["the vendor shall delete data", "THE VENDOR SHALL DELETE DATA", "", "notify"])
    assert np.allclose(np.linalg.norm(v[[0, 1, 3]], axis=1), 1.0, atol=1e-3)
    assert np.allclose(v[0], v[1]) and not v[2].any()
    assert float(v[0] @ v[3]) < 0.999  # different sentences, different vectors
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    assert semantic.load_embeddings(str(bad)) is None
