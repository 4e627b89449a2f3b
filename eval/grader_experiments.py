"""Issue #14 experiments on the learned grader, measured by leave-one-vendor-out CV in one run.

    python eval/grader_experiments.py --labels DIR [--labels DIR ...] --docs DIR [--cache FILE]

Systems, all scored on the same pairs (every non-frozen labelled document; the frozen split is refused):

- ``rules``: the rules' status; ``G0``: the shipped grader (class weights, no rule features);
- A (demotion guard; pre-registered): ``G0+guard``: the grader may not turn a status the rules found
  (satisfied / weak) into "missing" unless its calibrated confidence in "missing" is at or above the
  threshold chosen for G0; ``G0+never``: it never does. A blocked demotion keeps the rules' status.
- B (stage-1 supervised sentence scores): a binarised multinomial naive-Bayes text classifier per
  requirement (log-count ratios over hashed word uni- and bigrams) trained on the labelled evidence
  sentences (satisfied or weak) against every other sentence of the training documents. Its scores
  enter the grader as two features, computed out-of-fold twice over: a scored pair's classifier never saw
  its vendor, a training pair's saw neither its own vendor nor the scored one. ``B1``: G0 + the features;
  ``B2``: B1 and a pair with no cue at all may be called present when its best sentence is one the rules
  did not find (that sentence would be the evidence).
- C (confidence): Platt on the shipped status's probability (as shipped), isotonic on the same, and a
  two-input Platt (the probability and whether the rules agree with the status), each fitted
  leave-one-vendor-out on the independently labelled pairs; coverage at the threshold that gives 0.90.

Nothing here runs at analysis time. ``--cache`` keeps the engine's per-document output between runs
(outside the repository: it holds document sentences).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def collect(golds, docs_dirs, library):
    """rows, and per document: its sentences, evidence sentence indices and the rules' cue sentences."""
    from contractreview.engine import trace
    from contractreview.engine.features import _sentences
    from contractreview.evaluation import cv
    from contractreview.evaluation.labels import resolve_document
    from contractreview.evaluation.metrics import locate, normalised_index
    from contractreview.ingest import load_document

    rows, docs = [], {}
    for n, g in enumerate(golds):
        path = resolve_document(g, docs_dirs)
        if path is None:
            print(f"not found: {g.doc}", file=sys.stderr)
            continue
        print(f"[{n + 1}/{len(golds)}] {g.doc}", file=sys.stderr, flush=True)
        document = load_document(path)
        run = trace(document, library=library, profile=library.profile.name)
        rows.extend(cv.rows_from_trace(g, document, run, library))
        spans = _sentences(document)
        starts = [s for s, _ in spans]
        norm, idx = normalised_index(document.text)
        evidence, cues = {}, {}
        for rid, lab in g.labels.items():
            got = set()
            if lab.status != "missing":
                for quote in lab.evidence:
                    loc = locate(quote, norm, idx)
                    if loc:
                        got.update(k for k, (s, e) in enumerate(spans) if s < loc[1] and loc[0] < e)
            evidence[rid] = sorted(got)
        for rid, hits in run.features.hits.items():
            cues[rid] = sorted({k for h in hits for k, (s, e) in enumerate(spans) if s < h.end and h.start < e})
        docs[g.doc] = {
            "sentences": [document.text[s:e] for s, e in spans],
            "evidence": evidence,
            "cues": cues,
            "starts": starts,
        }
    same = cv.canonical_vendors(r.vendor for r in rows)
    for r in rows:
        r.vendor = same[r.vendor]
    return rows, docs


def main(argv=None) -> int:
    from contractreview.evaluation import load_gold_dir
    from contractreview.library import load_library

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", action="append", required=True)
    ap.add_argument("--docs", action="append", required=True)
    ap.add_argument("--cache", help="pickle of the engine's output per document (outside the repository)")
    args = ap.parse_args(argv)
    library = load_library("default")
    reqs = [r.id for r in library.requirements_for()]
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        rows, docs = pickle.loads(cache.read_bytes())
    else:
        golds = [g for d in args.labels for g in load_gold_dir(Path(d))]
        if any(g.split == "frozen" for g in golds):
            ap.error("the frozen split is never read here")
        rows, docs = collect(golds, [Path(d) for d in args.docs], library)
        if cache:
            cache.write_bytes(pickle.dumps((rows, docs)))
    from experiments_core import run_all  # noqa: E402  (beside this file)

    run_all(rows, docs, reqs)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
