#!/usr/bin/python3
"""Side-by-side scikit-learn baseline for the supervised answer scorer (bench/asap_sas.cc).

Same splits and metrics as asap_sas_bench:
  --set asap (default): per prompt, train on asap-sas/train_rel_2.tsv (Score1), evaluate on
      public_leaderboard_rel_2.tsv joined with public_leaderboard_solution.csv.
  --set le / --set asag: zh-sas-datasets LE / ASAG, the authors' split s_train_zh.csv ->
      s_eval_zh.csv, one model per set (the questions share it), rating scale 0..10
      (LE: 10 x score in tenths; ASAG: 2 x score in halves).

Model: TF-IDF of character 2-5-grams + word 1-3-grams (sublinear tf, min_df 2, each block
L2-normalised, hstack), then
  lr        LogisticRegression (C=10), predicted class (argmax)
  lr_thr    same model, expected score sum_k p_k k cut by thresholds tuned for QWK on 5-fold
            out-of-fold predictions of the training set
  ridge_thr Ridge (alpha=1) regression cut by thresholds tuned the same way; on ASAP-SAS it fits
            the mean of the two raters' scores (Score1, Score2) like asap_sas_bench does
            (--score1-only: Score1); thresholds and QWK always use Score1
For LE / ASAG the reference answer's TF-IDF cosine to the answer is appended as one extra
column (the answer text alone says little across 100 questions). Chinese text: character
n-grams over the raw text (no segmentation), word n-grams with the default token pattern.

Prints per-prompt QWK, the plain mean and the Fisher-z mean, training time, and the scoring
throughput (answers/s of vectorising + predicting the evaluation set, one process), and ends
with `mean_qwk_fisher=<value>` for the best column (ridge_thr or lr_thr, whichever is higher).

  /usr/bin/python3 bench/sklearn_baseline.py --data-dir ../shared/bench-data [--set asap|le|asag]
"""
import argparse
import csv
import math
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import StratifiedKFold

csv.field_size_limit(1 << 30)


def read_table(path, delimiter):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter, quotechar='"'))


def qwk(a, b, lo, hi):
    return cohen_kappa_score(a, b, weights="quadratic", labels=list(range(lo, hi + 1)))


def apply_thresholds(pred, thr):
    return np.searchsorted(np.asarray(thr), pred, side="right")


def tune_thresholds(pred, y, lo, hi, passes=3):
    """Coordinate search of the cut points between adjacent ratings, maximising QWK."""
    thr = [k + 0.5 for k in range(lo, hi)]
    order = np.sort(np.unique(pred))
    cand_all = (order[1:] + order[:-1]) / 2 if len(order) > 1 else order
    best = qwk(lo + apply_thresholds(pred, thr), y, lo, hi)
    for _ in range(passes):
        for k in range(len(thr)):
            left = thr[k - 1] if k > 0 else -np.inf
            right = thr[k + 1] if k + 1 < len(thr) else np.inf
            cand = cand_all[(cand_all >= left) & (cand_all <= right)]
            if len(cand) > 200:
                cand = cand[np.linspace(0, len(cand) - 1, 200).astype(int)]
            for c in cand:
                trial = list(thr)
                trial[k] = c
                s = qwk(lo + apply_thresholds(pred, trial), y, lo, hi)
                if s > best + 1e-12:
                    best, thr = s, trial
    return thr


class Featurizer:
    def __init__(self):
        self.char = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True,
                                    min_df=2, lowercase=True)
        self.word = TfidfVectorizer(analyzer="word", ngram_range=(1, 3), sublinear_tf=True,
                                    min_df=2, lowercase=True, token_pattern=r"(?u)\b\w+\b")

    def fit_transform(self, texts, refs=None):
        x = sp.hstack([self.char.fit_transform(texts), self.word.fit_transform(texts)])
        return self._with_refs(x.tocsr(), texts, refs)

    def transform(self, texts, refs=None):
        x = sp.hstack([self.char.transform(texts), self.word.transform(texts)])
        return self._with_refs(x.tocsr(), texts, refs)

    def _with_refs(self, x, texts, refs):
        if refs is None:
            return x
        r = sp.hstack([self.char.transform(refs), self.word.transform(refs)]).tocsr()
        cos = np.asarray(x.multiply(r).sum(axis=1)).ravel() / 2.0
        return sp.hstack([x, sp.csr_matrix(cos.reshape(-1, 1))]).tocsr()


def expected(lr, x):
    p = lr.predict_proba(x)
    return p @ lr.classes_.astype(float)


def fit_models(texts, refs, y, target):
    f = Featurizer()
    x = f.fit_transform(texts, refs)
    lr = LogisticRegression(C=10.0, max_iter=2000).fit(x, y)
    ridge = Ridge(alpha=1.0).fit(x, target)
    return f, lr, ridge


def run_task(name, train_texts, train_refs, y, eval_texts, eval_refs, y_eval, lo, hi,
             target=None):
    y = np.asarray(y)
    target = y.astype(float) if target is None else np.asarray(target, dtype=float)
    t0 = time.perf_counter()
    # Out-of-fold predictions for threshold tuning (5-fold stratified, seed 42).
    oof_lr = np.zeros(len(y))
    oof_ridge = np.zeros(len(y))
    counts = np.bincount(y - lo)
    n_splits = max(2, min(5, int(counts[counts > 0].min())))
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=42)
    for tr, va in skf.split(np.zeros(len(y)), y):
        sub = lambda seq, idx: None if seq is None else [seq[i] for i in idx]
        f, lr, ridge = fit_models(sub(train_texts, tr), sub(train_refs, tr), y[tr], target[tr])
        xv = f.transform(sub(train_texts, va), sub(train_refs, va))
        oof_lr[va] = expected(lr, xv)
        oof_ridge[va] = ridge.predict(xv)
    thr_lr = tune_thresholds(oof_lr, y, lo, hi)
    thr_ridge = tune_thresholds(oof_ridge, y, lo, hi)
    f, lr, ridge = fit_models(train_texts, train_refs, y, target)
    train_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    xe = f.transform(eval_texts, eval_refs)
    p_class = lr.predict(xe)
    p_lr = expected(lr, xe)
    p_ridge = ridge.predict(xe)
    score_s = time.perf_counter() - t1
    r = {
        "lr": qwk(p_class, y_eval, lo, hi),
        "lr_thr": qwk(lo + apply_thresholds(p_lr, thr_lr), y_eval, lo, hi),
        "ridge_thr": qwk(lo + apply_thresholds(p_ridge, thr_ridge), y_eval, lo, hi),
    }
    print(f"{name:8s} n_train={len(y):5d} n_eval={len(y_eval):5d} qwk_lr={r['lr']:.3f} "
          f"qwk_lr_thr={r['lr_thr']:.3f} qwk_ridge_thr={r['ridge_thr']:.3f} "
          f"train_s={train_s:.2f} answers_per_s={len(y_eval) / score_s:.0f}", flush=True)
    return r, train_s, len(y_eval), score_s


def load_asap(d, rater_mean):
    train = read_table(os.path.join(d, "train_rel_2.tsv"), "\t")[1:]
    pub = read_table(os.path.join(d, "public_leaderboard_rel_2.tsv"), "\t")[1:]
    sol = read_table(os.path.join(d, "public_leaderboard_solution.csv"), ",")[1:]
    gold = {r[0]: int(r[3]) for r in sol if len(r) >= 4}
    tasks = []
    for s in range(1, 11):
        hi = 3 if s in (1, 2, 5, 6) else 2
        tr = [r for r in train if len(r) >= 5 and r[1] == str(s)]
        ev = [r for r in pub if len(r) >= 3 and r[1] == str(s) and r[0] in gold]
        target = [(int(r[2]) + int(r[3])) / 2 if rater_mean else int(r[2]) for r in tr]
        tasks.append((f"ASAP-{s}", [r[4] for r in tr], None, [int(r[2]) for r in tr],
                      [r[2] for r in ev], None, [gold[r[0]] for r in ev], 0, hi, target))
    return tasks


def strip_breaks(s):
    for tag in ("<br />", "<br/>", "<br>"):
        s = s.replace(tag, " ")
    return s


def load_zh(d, which):
    if which == "le":
        base = os.path.join(d, "LE")
        def rows(f):
            out = []
            for r in read_table(os.path.join(base, f), "\t"):
                if len(r) >= 4:
                    out.append((r[2], r[1], int(round(float(r[3]) * 10))))
            return out
    else:
        base = os.path.join(d, "ASAG")
        qa = {r[0]: strip_breaks(r[2]) for r in read_table(os.path.join(base, "qa_zh.csv"), "\t")
              if len(r) >= 3}
        def rows(f):
            out = []
            for r in read_table(os.path.join(base, f), "\t"):
                if len(r) >= 4:
                    out.append((strip_breaks(r[3]), qa.get(r[0], ""), int(round(float(r[1]) * 2))))
            return out
    tr, ev = rows("s_train_zh.csv"), rows("s_eval_zh.csv")
    return [(which.upper(), [t for t, _, _ in tr], [r for _, r, _ in tr], [y for _, _, y in tr],
             [t for t, _, _ in ev], [r for _, r, _ in ev], [y for _, _, y in ev], 0, 10)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--data-dir", default=os.path.join(root, "..", "shared", "bench-data"))
    ap.add_argument("--set", choices=["asap", "le", "asag"], default="asap")
    ap.add_argument("--score1-only", action="store_true",
                    help="ASAP-SAS: Ridge fits Score1 instead of the mean of both raters")
    args = ap.parse_args()
    if args.set == "asap":
        tasks = load_asap(os.path.join(args.data_dir, "asap-sas"), not args.score1_only)
    else:
        tasks = load_zh(os.path.join(args.data_dir, "zh-sas-datasets"), args.set)
    results = []
    train_total = 0.0
    n_eval = 0
    score_total = 0.0
    for t in tasks:
        r, ts, n, ss = run_task(*t)
        results.append(r)
        train_total += ts
        n_eval += n
        score_total += ss
    print(f"# sklearn {__import__('sklearn').__version__}, {len(tasks)} task(s)")
    best_key, best_z = None, -2.0
    for key in ("lr", "lr_thr", "ridge_thr"):
        vals = [r[key] for r in results]
        plain = sum(vals) / len(vals)
        z = math.tanh(sum(math.atanh(min(max(v, -0.999), 0.999)) for v in vals) / len(vals))
        print(f"{key:10s} mean_qwk={plain:.4f} mean_qwk_fisher={z:.4f}")
        if key != "lr" and z > best_z:
            best_key, best_z = key, z
    print(f"train_seconds={train_total:.1f} answers_per_s={n_eval / score_total:.0f} "
          f"best={best_key}")
    print(f"mean_qwk_fisher={best_z:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
