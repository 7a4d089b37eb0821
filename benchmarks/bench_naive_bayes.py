"""GaussianNaiveBayes against scikit-learn, and against a per-sample Python loop.

1. 200 000 x 50 features, 5 classes, fit + predict_proba: ``dglab`` time /
   ``sklearn.naive_bayes.GaussianNB`` time (goal <= 1.5).
2. 5 000 x 20 features, 2 classes: speed-up over the textbook per-sample, per-feature Python
   loop (the algorithm of the primer's slide 8, written out below only as a baseline). The goal
   (>= 100) is held on the primer's task, fit + predict, with the loop written as the primer
   writes it (NumPy scalar functions). Fit + predict_proba is reported too, against that loop
   and against the same loop with the faster ``math`` module.

Times are CPU seconds of this process (``time.process_time``), medians over repeats: every
computation here is single-threaded, and CPU time is far less disturbed than wall-clock time
when other jobs share the machine.
"""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
from sklearn.naive_bayes import GaussianNB

from benchmarks.common import Row
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

    def _scores(self, x):
        """log P(x, y=c) of one sample for every class, one feature at a time."""
        exp, log, sqrt, pi = (self.scalar_math.exp, self.scalar_math.log, self.scalar_math.sqrt,
                              self.scalar_math.pi)
        scores = []
        for c in self.classes:
            prior, stats = self.params[c]
            score = log(prior)
            for value, (mean, var) in zip(x, stats, strict=True):
                density = exp(-((value - mean) ** 2) / (2 * var)) / sqrt(2 * pi * var)
                score += log(density)
            scores.append(score)
        return scores

    def predict(self, X):
        """The primer's task: the most probable class of each sample."""
        out = []
        for x in X:
            scores = self._scores(x)
            out.append(self.classes[scores.index(max(scores))])
        return np.array(out)

    def predict_proba(self, X):
        exp = self.scalar_math.exp
        out = np.empty((X.shape[0], len(self.classes)))
        for i, x in enumerate(X):
            scores = self._scores(x)
            top = max(scores)
            total = sum(exp(s - top) for s in scores)
            out[i] = [exp(s - top) / total for s in scores]
        return out


def cpu_time(fn, *, repeat=5, number=1) -> float:
    """Median CPU seconds per call of ``fn()``, over ``repeat`` batches of ``number`` calls."""
    fn()  # warm-up
    batches = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        batches.append((time.process_time() - start) / number)
    return statistics.median(batches)


def _data(n_samples, n_features, n_classes, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n_samples)
    centres = rng.normal(0, 1, (n_classes, n_features))
    return centres[y] + rng.normal(0, 1, (n_samples, n_features)), y


def run() -> list[Row]:
    rows = []

    X, y = _data(200_000, 50, 5, seed=0)
    ours = cpu_time(lambda: GaussianNaiveBayes().fit(X, y).predict_proba(X), repeat=5)
    ref = cpu_time(lambda: GaussianNB().fit(X, y).predict_proba(X), repeat=5)
    diff = np.abs(GaussianNaiveBayes().fit(X, y).predict_proba(X) - GaussianNB().fit(X, y).predict_proba(X)).max()
    rows.append(Row("naive Bayes fit+predict_proba 200k x 50: dglab", ours, "s CPU"))
    rows.append(Row("naive Bayes fit+predict_proba 200k x 50: scikit-learn GaussianNB", ref, "s CPU"))
    rows.append(Row("naive Bayes 200k x 50: dglab / scikit-learn time", ours / ref, "x", "<= 1.5",
                    ours / ref <= 1.5, f"max |d proba| {diff:.1e}"))

    X, y = _data(5_000, 20, 2, seed=1)
    primer_loop = LoopGaussianNB(scalar_math=np)
    agree = np.mean(primer_loop.fit(X, y).predict(X) == GaussianNaiveBayes().fit(X, y).predict(X))
    fast = cpu_time(lambda: GaussianNaiveBayes().fit(X, y).predict(X), repeat=7, number=20)
    loop = cpu_time(lambda: primer_loop.fit(X, y).predict(X), repeat=3)
    rows.append(Row("naive Bayes fit+predict 5k x 20: dglab", fast, "s CPU"))
    rows.append(Row("naive Bayes fit+predict 5k x 20: per-sample loop (as in the primer)", loop,
                    "s CPU"))
    rows.append(Row("naive Bayes 5k x 20 fit+predict: speed-up over the loop", loop / fast, "x",
                    ">= 100", loop / fast >= 100, f"same predictions: {agree:.0%}"))

    fast = cpu_time(lambda: GaussianNaiveBayes().fit(X, y).predict_proba(X), repeat=7, number=20)
    rows.append(Row("naive Bayes fit+predict_proba 5k x 20: dglab", fast, "s CPU"))
    for label, scalar_math in [("numpy scalars, as in the primer", np), ("math module", math)]:
        baseline = LoopGaussianNB(scalar_math=scalar_math)
        loop = cpu_time(lambda b=baseline: b.fit(X, y).predict_proba(X), repeat=3)
        diff = np.abs(baseline.fit(X, y).predict_proba(X)
                      - GaussianNaiveBayes().fit(X, y).predict_proba(X)).max()
        rows.append(Row(f"naive Bayes fit+predict_proba 5k x 20: loop ({label})", loop, "s CPU"))
        rows.append(Row(f"naive Bayes 5k x 20 fit+predict_proba: speed-up over the loop ({label})",
                        loop / fast, "x", note=f"max |d proba| {diff:.1e}"))
    return rows
