"""GaussianNaiveBayes: fit + predict_proba against scikit-learn, and against a per-sample loop.

1. 200 000 x 50 features, 5 classes: ``dglab`` time / ``sklearn.naive_bayes.GaussianNB`` time
   (goal <= 1.5).
2. 5 000 x 20 features, 2 classes: speed-up over the textbook per-sample, per-feature Python
   loop (the algorithm of the primer's slide 8, written out below only as a baseline; goal
   >= 100 against the loop as the primer writes it, with NumPy scalar functions; the same
   loop with the faster ``math`` module is reported too).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.naive_bayes import GaussianNB

from benchmarks.common import Row, median_time
from dglab.naive_bayes import GaussianNaiveBayes


class LoopGaussianNB:
    """BASELINE ONLY, deliberately slow: Gaussian naive Bayes with Python loops.

    The algorithm of the primer's slide 8, written out here for timing (never used by dglab):
    means and variances are computed feature by feature, and every prediction visits each
    sample, class and feature in turn, evaluating the Gaussian density and taking its log.
    Same model and smoothing as GaussianNaiveBayes, so the probabilities agree.

    ``scalar_math`` picks the scalar functions: ``numpy`` (``np.exp``/``np.log`` on single
    numbers, as the primer writes it) or ``math`` (Python's faster ``math`` module).
    """

    def __init__(self, var_smoothing=1e-9, scalar_math=np):
        self.var_smoothing = var_smoothing
        self.scalar_math = scalar_math

    def fit(self, X, y):
        self.classes = sorted(set(y.tolist()))
        n_samples, n_features = X.shape
        epsilon = self.var_smoothing * max(np.var(X[:, j]) for j in range(n_features))
        self.params = {}
        for c in self.classes:
            rows = X[y == c]
            stats = []
            for j in range(n_features):
                column = rows[:, j]
                stats.append((float(np.mean(column)), float(np.var(column)) + epsilon))
            self.params[c] = (len(rows) / n_samples, stats)
        return self

    def predict_proba(self, X):
        exp, log, sqrt, pi = (self.scalar_math.exp, self.scalar_math.log, self.scalar_math.sqrt,
                              self.scalar_math.pi)
        out = np.empty((X.shape[0], len(self.classes)))
        for i, x in enumerate(X):
            scores = []
            for c in self.classes:
                prior, stats = self.params[c]
                score = log(prior)
                for value, (mean, var) in zip(x, stats, strict=True):
                    density = exp(-((value - mean) ** 2) / (2 * var)) / sqrt(2 * pi * var)
                    score += log(density)
                scores.append(score)
            top = max(scores)
            total = sum(exp(s - top) for s in scores)
            out[i] = [exp(s - top) / total for s in scores]
        return out


def _data(n_samples, n_features, n_classes, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n_samples)
    centres = rng.normal(0, 1, (n_classes, n_features))
    return centres[y] + rng.normal(0, 1, (n_samples, n_features)), y


def run() -> list[Row]:
    rows = []

    X, y = _data(200_000, 50, 5, seed=0)
    ours = median_time(lambda: GaussianNaiveBayes().fit(X, y).predict_proba(X), repeat=5)
    ref = median_time(lambda: GaussianNB().fit(X, y).predict_proba(X), repeat=5)
    diff = np.abs(GaussianNaiveBayes().fit(X, y).predict_proba(X) - GaussianNB().fit(X, y).predict_proba(X)).max()
    rows.append(Row("naive Bayes fit+predict_proba 200k x 50: dglab", ours, "s"))
    rows.append(Row("naive Bayes fit+predict_proba 200k x 50: scikit-learn GaussianNB", ref, "s"))
    rows.append(Row("naive Bayes 200k x 50: dglab / scikit-learn time", ours / ref, "x", "<= 1.5",
                    ours / ref <= 1.5, f"max |d proba| {diff:.1e}"))

    X, y = _data(5_000, 20, 2, seed=1)
    fast = median_time(lambda: GaussianNaiveBayes().fit(X, y).predict_proba(X), repeat=20)
    rows.append(Row("naive Bayes fit+predict_proba 5k x 20: dglab", fast, "s"))
    for label, scalar_math, goal in [("numpy scalars, as in the primer", np, 100),
                                     ("math module", math, None)]:
        baseline = LoopGaussianNB(scalar_math=scalar_math)
        loop = median_time(lambda b=baseline: b.fit(X, y).predict_proba(X), repeat=3, warmup=0)
        diff = np.abs(baseline.fit(X, y).predict_proba(X)
                      - GaussianNaiveBayes().fit(X, y).predict_proba(X)).max()
        rows.append(Row(f"naive Bayes 5k x 20: per-sample loop ({label})", loop, "s"))
        rows.append(Row(f"naive Bayes 5k x 20: speed-up over the loop ({label})", loop / fast,
                        "x", f">= {goal}" if goal else "", (loop / fast >= goal) if goal else None,
                        f"max |d proba| {diff:.1e}"))
    return rows
