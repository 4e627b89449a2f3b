"""Core of eval/grader_experiments.py (see there)."""

from __future__ import annotations

import re
import zlib

import numpy as np

from contractreview.engine import grader as G
from contractreview.evaluation import cv
from contractreview.evaluation.metrics import Pair, status_scores

TOKEN = re.compile(r"[a-z0-9]+")
DIM = 1 << 18
ALPHA = 0.5
MU = 2000.0
MODE = "v2"


def buckets(sentence: str) -> list[int]:
    toks = TOKEN.findall(sentence.lower())
    out = {zlib.crc32(t.encode()) & (DIM - 1) for t in toks}
    out |= {zlib.crc32(f"{a} {b}".encode()) & (DIM - 1) for a, b in zip(toks, toks[1:])}
    return sorted(out)


class SentenceNB:
    """Per-requirement binarised multinomial NB over hashed uni/bigrams; exact leave-vendors-out by subtraction."""

    def __init__(self, rows, docs, reqs):
        self.reqs = list(reqs)
        self.ridx = {r: i for i, r in enumerate(self.reqs)}
        self.vendor_docs = {}
        for r in rows:
            self.vendor_docs.setdefault(r.vendor, set()).add(r.doc)
        self.doc_cols, self.doc_sid, self.doc_n = {}, {}, {}
        self.all_counts, self.pos = {}, {}
        self.n_pos = {}
        R = len(self.reqs)
        self.ALL = np.zeros(DIM)
        self.POS = np.zeros((R, DIM))
        self.NPOS = np.zeros(R)
        self.NSENT = 0
        for d, info in docs.items():
            bs = [buckets(s) for s in info["sentences"]]
            cols = np.array([c for b in bs for c in b], dtype=np.int64)
            sid = np.array([k for k, b in enumerate(bs) for _ in b], dtype=np.int64)
            self.doc_cols[d], self.doc_sid[d], self.doc_n[d] = cols, sid, len(bs)
            cnt = np.bincount(cols, minlength=DIM).astype(float)
            self.all_counts[d] = cnt
            self.ALL += cnt
            self.NSENT += len(bs)
            self.pos[d] = {}
            self.n_pos[d] = np.zeros(R)
            for rid, idx in info["evidence"].items():
                if rid not in self.ridx or not idx:
                    continue
                c = np.array([x for k in idx for x in bs[k]], dtype=np.int64)
                u, n = np.unique(c, return_counts=True)
                self.pos[d][rid] = (u, n.astype(float))
                self.POS[self.ridx[rid], u] += n
                self.n_pos[d][self.ridx[rid]] = len(idx)
                self.NPOS[self.ridx[rid]] += len(idx)

    def weights(self, excluded_vendors):
        docs = [d for v in excluded_vendors for d in self.vendor_docs.get(v, ())]
        ALL = self.ALL.copy()
        POS = self.POS.copy()
        NPOS = self.NPOS.copy()
        nsent = self.NSENT
        for d in docs:
            if d not in self.all_counts:
                continue
            ALL -= self.all_counts[d]
            nsent -= self.doc_n[d]
            NPOS -= self.n_pos[d]
            for rid, (u, n) in self.pos[d].items():
                POS[self.ridx[rid], u] -= n
        NEG = np.maximum(ALL[None, :] - POS, 0.0)
        if MODE == "v1":  # the first run: additive smoothing over all 2^18 buckets (out-of-fold AUC 0.38)
            P = POS + ALPHA
            Q = NEG + ALPHA
            W = np.log(P / P.sum(axis=1, keepdims=True)) - np.log(Q / Q.sum(axis=1, keepdims=True))
            with np.errstate(divide="ignore"):
                b = np.log(NPOS) - np.log(np.maximum(nsent - NPOS, 1.0))
            return W, b, NPOS > 0
        # v2: Dirichlet smoothing towards the training documents' own n-gram distribution (mu = 2000), so
        # an n-gram neither class has seen weighs ~0 (out-of-fold sentence AUC 0.82; the mean log-ratio of a
        # sentence's n-grams instead of their sum gave 0.78, so the sum was kept; the grader CV was not run on either).
        bg = (ALL + 1.0) / (ALL.sum() + DIM)
        P = (POS + MU * bg) / (POS.sum(axis=1, keepdims=True) + MU)
        Q = (NEG + MU * bg) / (NEG.sum(axis=1, keepdims=True) + MU)
        return np.log(P) - np.log(Q), np.zeros(len(self.reqs)), NPOS > 0

    def best(self, d, W, b, ok):
        """(best log-odds, best sentence index) per requirement of document d."""
        cols, sid, n = self.doc_cols[d], self.doc_sid[d], self.doc_n[d]
        out = {}
        if n == 0:
            return out
        for i, rid in enumerate(self.reqs):
            if not ok[i]:
                continue
            z = b[i] + np.bincount(sid, weights=W[i, cols], minlength=n)
            k = int(z.argmax())
            out[rid] = (float(z[k]), k)
        return out


def s1_features(z_k, cues):
    if z_k is None:
        return {"s1_best": 0.0, "s1_unfound": 0.0}
    z, k = z_k
    return {
        "s1_best": float(1.0 / (1.0 + np.exp(-z / SCALE))),
        "s1_unfound": float(z > 0 and k not in set(cues)),
    }


SCALE = 20.0  # v2 log-ratio sums: evidence sentences median 27, other sentences median -0.3 (v1: 5)


def fit_eval(rows, reqs, feats, xs_train, xs_test, settings):
    """Leave-one-vendor-out logits; xs_train(v) -> per-row x for training in fold v; xs_test(i) -> x."""
    y = np.array([G.CLASSES.index(r.gold) for r in rows])
    power = float(settings.get("class_weight", 0.0) or 0.0)
    logits = np.zeros((len(rows), 3))
    for v in sorted({r.vendor for r in rows}):
        tr = [i for i, r in enumerate(rows) if r.vendor != v]
        te = [i for i, r in enumerate(rows) if r.vendor == v]
        Xtr = G.design_matrix([(xs_train(v, i), rows[i].rid) for i in tr], feats, reqs)
        Xte = G.design_matrix([(xs_test(i), rows[i].rid) for i in te], feats, reqs)
        W = G.train_softmax(
            Xtr, y[tr], l2=float(settings["l2"]), l2_prior=float(settings["l2_prior"]), n_features=len(feats),
            iterations=int(settings["iterations"]), seed=int(settings["seed"]),
            sample_weight=G.class_weights(y[tr], power) if power else None,
        )
        logits[te] = Xte @ W.T
    T = G.fit_temperature(logits, y)
    return cv._probs(logits, T), T


def confidence(rows, P, shipped, cal):
    p_status = [float(P[i][G.CLASSES.index(shipped[i])]) for i in range(len(rows))]
    correct = [shipped[i] == rows[i].gold for i in range(len(rows))]
    conf = cv.grouped_platt(rows, p_status, correct, cal)
    t = cv.choose_threshold([conf[i] for i in cal], [correct[i] for i in cal])
    return conf, correct, t, p_status


def line(label, rows, preds, extra=""):
    sc = status_scores([Pair(r.doc, r.rid, r.gold, p) for r, p in zip(rows, preds, strict=True)])
    st = sc["per_status"]
    ind = [i for i, r in enumerate(rows) if r.independent]
    sci = status_scores([Pair(rows[i].doc, rows[i].rid, rows[i].gold, preds[i]) for i in ind])
    print(
        f"{label:<26} acc {sc['accuracy']:.3f}  mF1 {sc['macro_f1']:.3f}  R s/w/m "
        f"{st['satisfied']['recall']:.3f}/{st['weak']['recall']:.3f}/{st['missing']['recall']:.3f}  "
        f"P s/w/m {st['satisfied']['precision']:.2f}/{st['weak']['precision']:.2f}/{st['missing']['precision']:.2f}  "
        f"indep acc {sci['accuracy']:.3f} mF1 {sci['macro_f1']:.3f} sR {sci['per_status']['satisfied']['recall']:.2f}"
        + extra,
        flush=True,
    )
    return sc


def coverage_line(label, rows, conf, correct, t):
    ind = [i for i, r in enumerate(rows) if r.independent]
    a = cv.coverage_at(conf, correct, t)
    b = cv.coverage_at([conf[i] for i in ind], [correct[i] for i in ind], t)
    e = cv.expected_calibration_error([conf[i] for i in ind], [correct[i] for i in ind])
    print(
        f"  {label:<24} threshold {t:.3f}: all {a['accuracy']:.3f} on {a['coverage']:.1%}; "
        f"independent {b['accuracy']:.3f} on {b['coverage']:.1%}; ECE indep {e:.3f}",
        flush=True,
    )


def guard(rows, preds, conf, t, mode):
    out = list(preds)
    for i, r in enumerate(rows):
        rules = r.preds["engine"]
        if rules in ("satisfied", "weak") and preds[i] == "missing":
            if mode == "never" or conf[i] < t:
                out[i] = rules
    return out


def run_all(rows, docs, reqs):
    settings = dict(cv.DEFAULT_SETTINGS)
    base = cv.features_for(settings)
    cal = cv.calibration_rows(rows, settings)
    print(f"{len(rows)} pairs, {len({r.doc for r in rows})} documents, {len({r.vendor for r in rows})} vendors; settings {settings}")

    # ---- baselines and A
    P0, T0 = fit_eval(rows, reqs, base, lambda v, i: rows[i].x, lambda i: rows[i].x, settings)
    g0 = cv.grader_predictions(rows, P0, decides=True)
    rules = [r.preds["engine"] for r in rows]
    line("rules", rows, rules)
    s0 = line("G0 (shipped)", rows, g0)
    conf0, corr0, t0, _ = confidence(rows, P0, g0, cal)
    coverage_line("G0 Platt", rows, conf0, corr0, t0)
    demoted = [i for i in range(len(rows)) if rules[i] in ("satisfied", "weak") and g0[i] == "missing"]
    print(f"  G0 demotions of found evidence: {len(demoted)}, right {sum(rows[i].gold == 'missing' for i in demoted)}; "
          f"below t0 {sum(conf0[i] < t0 for i in demoted)}, right there {sum(rows[i].gold == 'missing' for i in demoted if conf0[i] < t0)}")
    results = {}
    for mode in ("guard", "never"):
        gp = guard(rows, g0, conf0, t0, mode)
        results[mode] = line(f"G0+{mode}", rows, gp)
        c, k, t, _ = confidence(rows, P0, gp, cal)
        coverage_line(f"G0+{mode} Platt", rows, c, k, t)

    # ---- B: out-of-fold sentence scores
    nb = SentenceNB(rows, docs, reqs)
    vendors = sorted({r.vendor for r in rows})
    docs_of = {v: sorted({r.doc for r in rows if r.vendor == v}) for v in vendors}
    best = {}  # (doc, frozenset) -> {rid: (z, k)}
    for a_i, a in enumerate(vendors):
        W, b, ok = nb.weights([a])
        for d in docs_of[a]:
            best[(d, frozenset([a]))] = nb.best(d, W, b, ok)
        for c in vendors[a_i + 1 :]:
            W, b, ok = nb.weights([a, c])
            for d in docs_of[a] + docs_of[c]:
                best[(d, frozenset([a, c]))] = nb.best(d, W, b, ok)
    zs = np.array([best[(r.doc, frozenset([r.vendor]))].get(r.rid, (np.nan, 0))[0] for r in rows])
    print("s1 best log-odds quantiles (test, all pairs) 5/25/50/75/95%:", np.round(np.nanpercentile(zs, [5, 25, 50, 75, 95]), 2))
    for s in G.CLASSES:
        m = np.array([r.gold == s for r in rows])
        print(f"  gold {s}: median {np.nanmedian(zs[m]):.2f}")

    def x_with(i, excl):
        r = rows[i]
        x = dict(r.x)
        x.update(s1_features(best[(r.doc, excl)].get(r.rid), docs[r.doc]["cues"].get(r.rid, ())))
        return x

    feats_b = (*base, "s1_best", "s1_unfound")
    PB, TB = fit_eval(
        rows, reqs, feats_b,
        lambda v, i: x_with(i, frozenset([v, rows[i].vendor])),
        lambda i: x_with(i, frozenset([rows[i].vendor])),
        settings,
    )
    xt = [x_with(i, frozenset([rows[i].vendor])) for i in range(len(rows))]
    b1 = cv.grader_predictions(rows, PB, decides=True)
    sb1 = line("B1 (G0 + s1)", rows, b1)
    b2 = [
        G.CLASSES[int(PB[i].argmax())] if (rows[i].preds["engine"] == "missing" and not rows[i].x.get("any_hit") and xt[i]["s1_unfound"]) else b1[i]
        for i in range(len(rows))
    ]
    sb2 = line("B2 (B1, no-cue free)", rows, b2)
    nohit = [i for i, r in enumerate(rows) if not r.x.get("any_hit") and r.preds["engine"] == "missing"]
    called = [i for i in nohit if b2[i] != "missing"]
    print(f"  no-cue pairs {len(nohit)}, gold present {sum(rows[i].gold != 'missing' for i in nohit)}; B2 calls present {len(called)}, right {sum(rows[i].gold == b2[i] for i in called)}")
    cB, kB, tB, _ = confidence(rows, PB, b1, cal)
    coverage_line("B1 Platt", rows, cB, kB, tB)
    for mode in ("guard", "never"):
        gp = guard(rows, b1, cB, tB, mode)
        line(f"B1+{mode}", rows, gp)

    # ---- C: calibration of the final system's confidence (G0 and B1)
    for label, P, preds in (("G0", P0, g0), ("B1", PB, b1)):
        calibrations(label, rows, P, preds, cal)
    return {"G0": s0, "B1": sb1, "B2": sb2, **results}


def _pav(x, y):
    """Isotonic (non-decreasing) fit of y on x: returns (sorted x, fitted values)."""
    o = np.argsort(x, kind="mergesort")
    xs, ys = np.asarray(x)[o], np.asarray(y, dtype=float)[o]
    vals, wts, ends = [], [], []
    for k, v in enumerate(ys):
        vals.append(v); wts.append(1.0); ends.append(k)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            w = wts[-2] + wts[-1]
            vals[-2] = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / w
            wts[-2] = w; ends[-2] = ends[-1]
            vals.pop(); wts.pop(); ends.pop()
    fit = np.empty(len(ys)); s = 0
    for v, e in zip(vals, ends):
        fit[s : e + 1] = v; s = e + 1
    return xs, fit


def _logreg2(F, t, iterations=3000):
    w = np.zeros(F.shape[1])
    for _ in range(iterations):
        q = 1 / (1 + np.exp(-(F @ w)))
        w -= 0.5 * (F.T @ (q - t) / len(t) + 1e-3 * w)
    return w


def calibrations(label, rows, P, preds, cal):
    n = len(rows)
    p = np.array([P[i][G.CLASSES.index(preds[i])] for i in range(n)])
    correct = np.array([preds[i] == rows[i].gold for i in range(n)], dtype=float)
    agree = np.array([float(preds[i] == rows[i].preds["engine"]) for i in range(n)])
    lp = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
    margin = np.sort(P, axis=1)[:, -1] - np.sort(P, axis=1)[:, -2]
    out = {"platt": np.zeros(n), "isotonic": np.zeros(n), "platt+agree": np.zeros(n)}
    for v in sorted({r.vendor for r in rows}):
        tr = [i for i in cal if rows[i].vendor != v]
        te = [i for i, r in enumerate(rows) if r.vendor == v]
        a, b = G.fit_platt(p[tr], correct[tr])
        out["platt"][te] = 1 / (1 + np.exp(-(a * lp[te] + b)))
        xs, fit = _pav(p[tr], correct[tr])
        pos = np.clip(np.searchsorted(xs, p[te], side="right") - 1, 0, len(xs) - 1)
        out["isotonic"][te] = fit[pos]
        F = np.column_stack([lp, agree, np.ones(n)])
        w = _logreg2(F[tr], correct[tr])
        out["platt+agree"][te] = 1 / (1 + np.exp(-(F[te] @ w)))
    print(f"-- C: calibrations of {label}'s status (LOVO on independent pairs) --")
    for k, conf in out.items():
        conf = list(conf)
        t = cv.choose_threshold([conf[i] for i in cal], [bool(correct[i]) for i in cal])
        coverage_line(k, rows, conf, [bool(c) for c in correct], t)
    print(f"  agreement rate {agree.mean():.3f}; accuracy when agreeing {correct[agree == 1].mean():.3f}, disagreeing {correct[agree == 0].mean():.3f}")
