"""dglab.linear: cost of a gradient-descent step, time to scikit-learn's loss, explorer frames, parity.

    python -m benchmarks linear

* one step of ``LogisticRegressionGD.fit`` on 100k x 50 data, divided by the time of two
  matrix-vector products ``X @ w`` on the same data (goal <= 2: a step is the forward product,
  the backward product and O(n) elementwise work), measured back to back in several rounds;
  then again in a child process whose allocator keeps freed memory, which separates the step's
  own cost from the page faults of its temporaries;
* time for gradient descent (learning rate 1/L) to reach the penalised loss that scikit-learn's
  default L-BFGS stops at, against L-BFGS's own fit time (reported);
* the time to render one frame of each explorer of chapters 2 and 3 (render + PNG, median over
  all frames; goal <= 100 ms), wall clock and CPU;
* the parity numbers the tests check, printed so the closing note can quote them.
"""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from benchmarks.common import Row, median_time
from dglab.linear import LogisticRegressionGD, log_loss_and_gradient
from dglab.plots import new_figure, plot_probability_contours, plot_training_run, set_style
from dglab.widgets import Param, explore

N_SAMPLES, N_FEATURES = 100_000, 50
STEP_RATIO_GOAL = 2.0
FRAME_GOAL_MS = 100.0


def _large_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N_SAMPLES, N_FEATURES))
    w_true = rng.standard_normal(N_FEATURES) / np.sqrt(N_FEATURES) * 3
    y = (rng.random(N_SAMPLES) < 1 / (1 + np.exp(-(X @ w_true + 0.5)))).astype(int)
    return X, y


def _fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def step_cost(X, y, rounds: int = 7) -> list[Row]:
    w = np.random.default_rng(1).standard_normal(N_FEATURES)
    Y = y.astype(float)
    k = 20  # a step inside fit: the difference between fits of k + 1 and 1 steps removes validation

    def fit(steps):
        return lambda: _fit_quietly(LogisticRegressionGD(learning_rate=0.1, max_iter=steps, tol=0.0), X, y)

    # Memory-bound products on a shared machine drift by 2x within a minute, so numerator and
    # denominator are measured back to back in each round and the ratio is the median over rounds.
    two_matvecs, per_step, bare = [], [], []
    for _ in range(rounds):
        two_matvecs.append(median_time(lambda: (X @ w, X @ w), repeat=15, warmup=3))
        per_step.append((median_time(fit(k + 1), repeat=3) - median_time(fit(1), repeat=3)) / k)
        bare.append(median_time(lambda: log_loss_and_gradient(w, 0.0, X, Y), repeat=15, warmup=3))
    step_ratio = statistics.median(s / m for s, m in zip(per_step, two_matvecs, strict=True))
    bare_ratio = statistics.median(b / m for b, m in zip(bare, two_matvecs, strict=True))
    return [
        Row("two X @ w products (100k x 50)", 1000 * statistics.median(two_matvecs), "ms"),
        Row("one gradient-descent step inside fit", 1000 * statistics.median(per_step), "ms"),
        Row("GD step / two X @ w", step_ratio, "ratio", f"<= {STEP_RATIO_GOAL:g}",
            step_ratio <= STEP_RATIO_GOAL, f"median of {rounds} back-to-back rounds"),
        Row("log_loss_and_gradient alone / two X @ w", bare_ratio, "ratio", note="row-major X, as given"),
    ]


def time_to_lbfgs_loss(X, y) -> list[Row]:
    n = len(X)
    C = 1.0
    alpha = 1 / (C * n)
    lbfgs = LogisticRegression(C=C).fit(X, y)
    lbfgs_s = median_time(lambda: LogisticRegression(C=C).fit(X, y), repeat=3, warmup=0)
    target = log_loss_and_gradient(lbfgs.coef_[0], lbfgs.intercept_[0], X, y.astype(float), alpha)[0]
    X1 = np.c_[X, np.ones(n)]
    L = np.linalg.eigvalsh(X1.T @ X1 / n).max() / 4 + alpha
    # Count the steps with the same update as fit (it has no callback), stopping at the target.
    w, b, Y = np.zeros(X.shape[1]), 0.0, y.astype(float)
    loss, grad_w, grad_b = log_loss_and_gradient(w, b, X, Y, alpha)
    steps = 0
    while loss > target and steps < 1000:
        w, b = w - grad_w / L, b - grad_b / L
        loss, grad_w, grad_b = log_loss_and_gradient(w, b, X, Y, alpha)
        steps += 1
    if loss > target:
        return [Row("GD (1/L) reaches L-BFGS's loss", 0.0, "", note="not reached in 1000 steps")]
    gd_s = median_time(
        lambda: _fit_quietly(LogisticRegressionGD(learning_rate=1 / L, max_iter=max(steps, 1), tol=0.0,
                                                  alpha=alpha), X, y),
        repeat=3, warmup=0,
    )
    return [
        Row("L-BFGS fit (scikit-learn defaults, C=1)", lbfgs_s, "s", note=f"{int(lbfgs.n_iter_[0])} iterations"),
        Row("GD (eta = 1/L) to the same penalised loss", gd_s, "s", note=f"{steps} steps"),
        Row("time to L-BFGS's loss: GD / L-BFGS", gd_s / lbfgs_s, "ratio"),
    ]


def _frame_times(explorer) -> tuple[float, float]:
    wall, cpu = [], []
    for index in itertools.product(*(range(n) for n in explorer.shape)):
        w0, c0 = time.perf_counter(), time.process_time()
        explorer.frame(index)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def explorer_frames() -> list[Row]:
    set_style()
    # Chapter 3: two breast cancer features, raw or standardized, eleven learning rates.
    data = load_breast_cancer()
    names = list(data.feature_names)
    X_pair = data.data[:, [names.index("mean radius"), names.index("mean concave points")]]
    y = data.target
    versions = {"raw": X_pair, "standardized": StandardScaler().fit_transform(X_pair)}
    rates = np.logspace(-4, 1, 11)
    runs = {}
    for features, A in versions.items():
        for eta in rates:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                run = LogisticRegressionGD(learning_rate=eta, max_iter=500).fit(A, y)
            runs[eta, features] = (run, str(caught[0].message) if caught else None)

    def render_learning_rate(learning_rate, features):
        run, message = runs[learning_rate, features]
        return plot_training_run(run, versions[features], y, reference=0.184, warning=message,
                                 title=f"learning rate {learning_rate:.0e}, {features} features")

    ch3 = explore(render_learning_rate, title="learning rate", learning_rate=Param(rates),
                  features=["raw", "standardized"])

    # Chapter 2: weights and bias by hand on the 2-D toy problem.
    X, y2 = make_classification(n_samples=400, n_features=2, n_informative=2, n_redundant=0,
                                n_clusters_per_class=1, class_sep=1.0, flip_y=0.03, random_state=0)

    def render_parameters(w1, w2, b):
        w_ = np.array([w1, w2])
        loss = log_loss_and_gradient(w_, b, X, y2.astype(float))[0]
        fig, ax = new_figure(width=5.4, height=4.2)
        plot_probability_contours(w_, b, X, y2, ax=ax, colorbar=False, resolution=80)
        ax.set_title(f"w = ({w1:g}, {w2:g}), b = {b:g}: loss J = {loss:.3f}", fontsize=10)
        return fig

    ch2 = explore(render_parameters, title="weights and bias", w1=[-2.0, -1.0, 0.0, 1.0],
                  w2=[0.0, 1.0, 2.0, 3.0], b=[-2.0, 0.0, 2.0])
    rows = []
    for name, explorer in [("ch3 learning-rate explorer", ch3), ("ch2 weight/bias explorer", ch2)]:
        wall, cpu = _frame_times(explorer)
        n_frames = int(np.prod(explorer.shape))
        rows.append(Row(f"{name}: frame, median wall", wall, "ms", f"<= {FRAME_GOAL_MS:g} ms",
                        wall <= FRAME_GOAL_MS, note=f"{n_frames} frames, render + PNG"))
        rows.append(Row(f"{name}: frame, median CPU", cpu, "ms"))
    return rows


def parity() -> list[Row]:
    rows = []
    data = load_breast_cancer()
    X8 = StandardScaler().fit_transform(data.data[:, [0, 1, 4, 5, 6, 7, 8, 9]])
    y = data.target
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X8, y)
    ours = _fit_quietly(LogisticRegressionGD(learning_rate=5.0, max_iter=20_000, tol=1e-8), X8, y)
    rel = np.max(np.abs(ours.coef_ - reference.coef_) / np.abs(reference.coef_))
    agree = np.mean(ours.predict(X8) == reference.predict(X8))
    rows.append(Row("parity C=inf, cancer (8 features): max rel. coef diff", rel, "", "< 1e-3", rel < 1e-3,
                    note=f"{ours.n_iter_} GD steps"))
    rows.append(Row("parity C=inf, cancer (8 features): prediction agreement", 100 * agree, "%", ">= 99.5 %",
                    agree >= 0.995))
    X30 = StandardScaler().fit_transform(data.data)
    reference = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X30, y)
    ours = _fit_quietly(LogisticRegressionGD(learning_rate=0.5, max_iter=50_000, tol=1e-9,
                                             alpha=1 / len(X30)), X30, y)
    rel = np.abs(ours.coef_ - reference.coef_).max() / np.abs(reference.coef_).max()
    rows.append(Row("parity C=1 <-> alpha=1/(C n), cancer (30 features): rel. coef diff", rel, "",
                    "< 1e-3", rel < 1e-3))
    for name, loader, C in [("iris", load_iris, 1.0), ("wine", load_wine, 1.0), ("digits", load_digits, 0.1)]:
        Xm, ym = loader(return_X_y=True)
        Xm = StandardScaler().fit_transform(Xm)
        reference = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(Xm, ym)
        ours = _fit_quietly(LogisticRegressionGD(learning_rate=2.0, max_iter=20_000, tol=1e-7,
                                                 alpha=1 / (C * len(Xm))), Xm, ym)
        rel = np.abs(ours.coef_ - reference.coef_).max() / np.abs(reference.coef_).max()
        agree = np.mean(ours.predict(Xm) == reference.predict(Xm))
        rows.append(Row(f"parity multinomial {name} (C={C:g}): rel. coef diff", rel, "", "< 1e-3", rel < 1e-3,
                        note=f"predictions agree {100 * agree:.1f} %"))
    return rows


def gradient_check() -> list[Row]:
    import torch

    X, y = make_classification(n_samples=200, n_features=5, n_informative=3, random_state=0)
    rng = np.random.default_rng(0)
    w, b, alpha = rng.standard_normal(5), 0.3, 0.05
    _, gw, gb = log_loss_and_gradient(w, b, X, y.astype(float), alpha)
    ours = np.append(gw, gb)
    tw = torch.tensor(w, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(X) @ tw + tb,
                                                                torch.tensor(y, dtype=torch.float64))
    (loss + 0.5 * alpha * (tw**2).sum()).backward()
    auto = np.append(tw.grad.numpy(), tb.grad.item())
    theta, h = np.append(w, b), 1e-6
    numeric = np.array([
        (log_loss_and_gradient((theta + e)[:5], (theta + e)[5], X, y.astype(float), alpha)[0]
         - log_loss_and_gradient((theta - e)[:5], (theta - e)[5], X, y.astype(float), alpha)[0]) / (2 * h)
        for e in h * np.eye(6)
    ])
    return [
        Row("gradient: max |analytic - torch autograd|", np.abs(ours - auto).max(), "", "<= 1e-6",
            np.abs(ours - auto).max() <= 1e-6),
        Row("gradient: max |analytic - finite differences|", np.abs(ours - numeric).max(), "", "<= 1e-6",
            np.abs(ours - numeric).max() <= 1e-6),
    ]


# glibc hands freed blocks above its trim threshold back to the kernel, so each 800 KB
# temporary of a step is page-faulted in again on the next one; on a VM that costs as much as
# the two products. Told to keep freed memory, the allocator shows what the step itself costs.
KEEP_FREED_MEMORY = "glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432"


def step_cost_keeping_freed_memory() -> list[Row]:
    """The step ratio again in a child process whose allocator keeps freed memory (glibc)."""
    code = ("from benchmarks.bench_linear import _large_problem, step_cost; "
            "print(step_cost(*_large_problem())[2].value)")
    env = {**os.environ, "GLIBC_TUNABLES": KEEP_FREED_MEMORY}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True,
                          text=True, check=True)
    ratio = float(done.stdout.split()[-1])
    return [Row("GD step / two X @ w, allocator keeping freed memory", ratio, "ratio",
                note=f"GLIBC_TUNABLES={KEEP_FREED_MEMORY}")]


def run() -> list[Row]:
    X, y = _large_problem()
    return [*step_cost(X, y), *step_cost_keeping_freed_memory(), *time_to_lbfgs_loss(X, y),
            *explorer_frames(), *parity(), *gradient_check()]
