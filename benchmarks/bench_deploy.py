"""Deployment and hybrids (chapters 13-15): latency, artefact sizes, distillation, drift, augmentation.

* Latency: median and 95th percentile per call, per batch size, for the digit classifier
  reloaded from its skops file and for the GAN generator, eager and exported with
  ``torch.export`` (``dglab.deploy.measure_latency``, 50 timed calls after 5 warm-up calls).
* Artefacts: file sizes and the largest difference between the reloaded export and eager mode.
* Distillation: fidelity and accuracy on held-out digits of trees distilled from a 200-tree
  forest (real transfer set, and the primer's random-Gaussian transfer set), and the time per
  call of forest and tree.
* Drift: the monitor's false-alarm rate on independent healthy batches (goal <= alpha) and its
  detection rate on batches shifted by half a standard deviation in one feature.
* Augmentation (chapter 14's experiment): accuracy of an RBF SVM with and without one (and
  eight) naive-Bayes rows per real row, mean ± standard error over 20 splits, and the paired
  gain with its 95 % interval.
* Chapters 13-15 each execute in <= 30 s.

Times are wall-clock on the machine running the benchmark (CPU seconds in the notes where they
matter); BLAS and torch use one thread, as in the chapters.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from scipy import stats
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from benchmarks.common import Row, chapter_rows
from dglab.checkpoints import load_checkpoint
from dglab.data import load_digits_scaled
from dglab.deploy import (
    DriftMonitor,
    distill_to_tree,
    export_torch,
    load_exported,
    load_sklearn,
    load_torch_state,
    measure_latency,
    save_sklearn,
    save_torch_state,
)
from dglab.gan import Generator
from dglab.hybrid import GenerativeAugmentedClassifier, paired_gain
from dglab.linear import LogisticRegressionGD
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.validation import learning_curves, summarize_learning_curves

SEED = 0
BATCHES = (1, 100, 1000)
CHAPTERS = ("13_deployment", "14_hybrid_models", "15_further_resources")
ALPHA = 0.01


def _latency_rows(name: str, table) -> list[Row]:
    rows = []
    for r in table.itertuples():
        rows.append(Row(f"latency {name}, batch {r.batch_size}: median", r.median_ms, "ms",
                        note=f"p95 {r.p95_ms:.3f} ms, {r.per_row_us:.2f} µs per row"))
        rows.append(Row(f"latency {name}, batch {r.batch_size}: p95", r.p95_ms, "ms"))
    return rows


def _deployment_rows(workdir: Path) -> list[Row]:
    X, y = load_digits_scaled()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y,
                                                        random_state=SEED)
    classifier = LogisticRegressionGD(learning_rate=3.0, alpha=3e-3, tol=1e-4, max_iter=3000)
    classifier.fit(X_train, y_train)
    clf_path = save_sklearn(classifier, workdir / "classifier.skops")
    served = load_sklearn(clf_path, trusted=["dglab.linear.LogisticRegressionGD"])
    identical = np.array_equal(served.predict_proba(X_test), classifier.predict_proba(X_test))

    generator = load_checkpoint("gan_digits").generator.eval()
    state_path = save_torch_state(generator, workdir / "generator_state.pt")
    reloaded = load_torch_state(Generator(generator.config), state_path).eval()
    example = torch.randn(64, 32, generator=torch.Generator().manual_seed(SEED))
    exported = export_torch(generator, example, workdir / "generator.pt2")
    program = load_exported(exported.path)
    z = torch.randn(1000, 32, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        state_exact = torch.equal(reloaded(z), generator(z))

    digits = [np.resize(X_test, (b, 64)) for b in BATCHES]
    noise = [torch.randn(b, 32, generator=torch.Generator().manual_seed(b)) for b in BATCHES]

    def eager(z):
        with torch.no_grad():
            return generator(z)

    def exported_call(z):
        with torch.no_grad():
            return program(z)

    rows = [
        Row("skops classifier: reloaded probabilities identical", float(identical), "bool", "1",
            identical),
        Row("generator state_dict: reloaded outputs identical", float(state_exact), "bool", "1",
            state_exact),
        Row("generator export: max |exported - eager|", exported.max_abs_error, "abs",
            f"<= {exported.atol:g}", exported.max_abs_error <= exported.atol,
            "bit-identical" if exported.exact else ""),
        Row("artefact classifier.skops", clf_path.stat().st_size / 1024, "KiB"),
        Row("artefact generator_state.pt", state_path.stat().st_size / 1024, "KiB"),
        Row("artefact generator.pt2 (torch.export)", exported.n_bytes / 1024, "KiB"),
    ]
    rows += _latency_rows("classifier (skops copy)",
                          measure_latency(served.predict_proba, digits, repeats=50, warmup=5))
    rows += _latency_rows("generator eager", measure_latency(eager, noise, repeats=50, warmup=5))
    rows += _latency_rows("generator exported",
                          measure_latency(exported_call, noise, repeats=50, warmup=5))
    return rows


def _distillation_rows() -> list[Row]:
    X, y = load_digits_scaled()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y,
                                                        random_state=SEED)
    forest = RandomForestClassifier(n_estimators=200, random_state=SEED).fit(X_train, y_train)
    rows = [Row("distill: teacher (200-tree forest) accuracy", forest.score(X_test, y_test), "acc")]
    one = [X_test[:1]]
    forest_ms = measure_latency(forest.predict, one, repeats=20, warmup=2)["median_ms"].item()
    rows.append(Row("distill: forest time per call (1 digit)", forest_ms, "ms"))
    for depth in (4, 8, 12):
        student = distill_to_tree(forest, X_train, depth, X_test=X_test, y_test=y_test,
                                  random_state=SEED)
        tree_ms = measure_latency(student.tree.predict, one, repeats=50, warmup=5)["median_ms"].item()
        rows.append(Row(f"distill depth {depth}: fidelity (held-out digits)", student.fidelity,
                        "share", note=f"accuracy {student.accuracy:.3f}, {student.n_leaves} leaves, "
                                      f"{1e3 * tree_ms:.0f} µs per call "
                                      f"({forest_ms / tree_ms:.0f}x faster than the forest)"))
    gaussian = np.random.default_rng(SEED).normal(size=X_train.shape)
    student = distill_to_tree(forest, gaussian, 8, X_test=X_test, y_test=y_test, random_state=SEED)
    rows.append(Row("distill depth 8, Gaussian transfer set: fidelity", student.fidelity, "share",
                    note="the primer's recipe: teacher labels random noise"))
    return rows


def _drift_rows() -> list[Row]:
    def sample(rng, n, shift=0.0):
        return np.column_stack([rng.normal(shift, 1.0, n), rng.exponential(1.0, n),
                                rng.poisson(3.0, n)])

    trials = 1000
    alarms = detected = 0
    start = time.perf_counter()
    for seed in range(trials):
        rng = np.random.default_rng(seed)
        monitor = DriftMonitor(alpha=ALPHA).fit(sample(rng, 500))
        alarms += monitor.check(sample(rng, 200)).drift
        detected += monitor.check(sample(rng, 200, shift=0.5)).drift
    seconds = (time.perf_counter() - start) / (3 * trials)
    rate = alarms / trials
    upper = stats.binomtest(alarms, trials).proportion_ci(0.95).high
    return [
        Row("drift: false-alarm rate, healthy batches", rate, "share", f"<= {ALPHA}",
            rate <= ALPHA, f"{alarms}/{trials}; 95 % CI up to {upper:.4f}; fresh reference each trial"),
        Row("drift: detection rate, 0.5 sd shift in 1 of 3 features", detected / trials, "share",
            ">= 0.95", detected / trials >= 0.95, "batches of 200 against 500 reference rows"),
        Row("drift: time per fit or check (3 features)", 1e3 * seconds, "ms"),
    ]


def _augmentation_rows() -> list[Row]:
    X, y = load_breast_cancer(return_X_y=True)
    svm = make_pipeline(StandardScaler(), SVC())
    factors = (1, 8)
    estimators = {"SVM": svm} | {f"SVM + generated x{f}": GenerativeAugmentedClassifier(
        svm, GaussianNaiveBayes(), factor=f, random_state=SEED) for f in factors}
    curves = learning_curves(estimators, X, y, [10, 20, 40, 80, 160, 320], n_repeats=20,
                             test_size=0.25, random_state=SEED)
    summary = summarize_learning_curves(curves).set_index(["estimator", "train_size"])
    rows = []
    for f in factors:
        name = f"SVM + generated x{f}"
        for m, g in paired_gain(curves, "SVM", name).set_index("train_size").iterrows():
            plain, augmented = summary.loc[("SVM", m)], summary.loc[(name, m)]
            rows.append(Row(
                f"augment x{f}, m={m}: accuracy gain", g["gain"], "acc",
                note=f"95 % CI [{g['ci_low']:+.3f}, {g['ci_high']:+.3f}]; SVM {1 - plain['mean']:.3f} "
                     f"± {plain['sem']:.3f}, augmented {1 - augmented['mean']:.3f} "
                     f"± {augmented['sem']:.3f} (mean ± s.e., 20 splits)"))
    return rows


def run() -> list[Row]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"), \
                tempfile.TemporaryDirectory(prefix="dglab-bench-deploy-") as tmp:
            rows = (_deployment_rows(Path(tmp)) + _distillation_rows() + _drift_rows()
                    + _augmentation_rows())
    finally:
        torch.set_num_threads(threads)
    return rows + chapter_rows(CHAPTERS)
