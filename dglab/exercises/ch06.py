"""Checks for the exercises of chapter 6 (evaluation metrics for generative models)."""

from __future__ import annotations

import numpy as np
from scipy.integrate import quad
from scipy.stats import norm

from ._feedback import AnswerError, answer_number, exercise_check

__all__ = ["check_kl_directions", "check_mode_metrics"]

_P, _Q = norm(0, 1), norm(1, 1.5)
_NAMES = ("KL(p || q)", "KL(q || p)")


def _kl_by_quadrature(a, b):
    """KL(a || b) of two 1-D densities by numerical integration (independent of the closed form)."""
    return quad(lambda x: a.pdf(x) * (a.logpdf(x) - b.logpdf(x)), -30, 30, limit=200)[0]


@exercise_check
def check_kl_directions(exact, estimates, reliable):
    """Check the exact KL in both directions and which one the sample estimator gets right.

    Parameters
    ----------
    exact : dict
        ``{"KL(p || q)": value, "KL(q || p)": value}`` for p = N(0, 1), q = N(1, 1.5^2).
    estimates : dict
        The same keys, the learner's mean estimate at the largest sample size (10,000).
    reliable : str
        The direction the estimator gets right, one of the two keys.

    Returns
    -------
    CheckResult
    """
    reference = {"KL(p || q)": _kl_by_quadrature(_P, _Q), "KL(q || p)": _kl_by_quadrature(_Q, _P)}
    for name, box in (("exact", exact), ("estimates", estimates)):
        if not isinstance(box, dict) or set(box) != set(_NAMES):
            raise AnswerError(f"`{name}` should be a dict with the keys {_NAMES}.")
    got = {k: answer_number(f"exact[{k!r}]", v) for k, v in exact.items()}
    mean = {k: answer_number(f"estimates[{k!r}]", v) for k, v in estimates.items()}
    if not all(np.isclose(got[k], reference[k], rtol=1e-6) for k in _NAMES):
        if all(np.isclose(got[k], reference[other], rtol=1e-6) for k, other in zip(_NAMES, _NAMES[::-1],
                                                                                      strict=True)):
            raise AnswerError("your exact values are swapped: KL(p || q) averages log p/q over p, "
                              "so p's parameters come first.")
        wrong_scale = {"KL(p || q)": _kl_by_quadrature(_P, norm(1, 1.5**0.5)),
                       "KL(q || p)": _kl_by_quadrature(norm(1, 1.5**0.5), _P)}
        if any(np.isclose(got[k], wrong_scale[k], rtol=1e-6) for k in _NAMES):
            raise AnswerError("`gaussian_kl` takes variances: q's is 1.5**2, not 1.5.")
        raise AnswerError(f"your exact values {got} differ from numerical integration "
                          f"({ {k: round(v, 4) for k, v in reference.items()} }).")
    errors = {k: abs(mean[k] - reference[k]) / reference[k] for k in _NAMES}
    if reliable not in _NAMES:
        raise AnswerError(f"`reliable` should be one of {_NAMES}, got {reliable!r}.")
    best = min(errors, key=errors.get)
    if reliable != best:
        raise AnswerError(f"by your own estimates, {best} is the closer one ({errors[best]:.0%} off, "
                          f"against {errors[reliable]:.0%}).")
    if best != "KL(p || q)":
        raise AnswerError("your estimates make KL(q || p) the better one; with n = 10,000 the estimate of "
                          "KL(p || q) should be close to exact: check the order of the samples in "
                          "`kl_divergence(p_sample, q_sample)`.")
    return (f"exact values match numerical integration, and {reliable} is the direction the "
            f"estimator gets right ({errors[reliable]:.0%} off at n = 10,000).")


@exercise_check
def check_mode_metrics(results, answer):
    """Structured self-check: which metric reads off the number of modes kept?

    Parameters
    ----------
    results : dict of int -> (frechet, precision, recall)
        The learner's metrics for m = 1, 2, 4, 6, 8 modes kept.
    answer : str
        ``"frechet"``, ``"precision"`` or ``"recall"``.

    Returns
    -------
    CheckResult
    """
    if not isinstance(results, dict) or sorted(results) != [1, 2, 4, 6, 8]:
        raise AnswerError("`results` should be a dict {m: (frechet, precision, recall)} for m = 1, 2, 4, 6, 8.")
    table = {}
    for m, row in results.items():
        if not isinstance(row, (tuple, list)) or len(row) != 3:
            raise AnswerError(f"`results[{m}]` should be a triple (frechet, precision, recall).")
        table[m] = [answer_number(f"results[{m}][{i}]", v) for i, v in enumerate(row)]
    share = {m: m / 8 for m in table}  # the closed form: the share of the ring's modes kept
    recall_gap = max(abs(table[m][2] - share[m]) for m in table)
    precision_gap = max(abs(table[m][1] - share[m]) for m in table)
    if precision_gap < 0.15 and min(table[m][2] for m in table) > 0.85:
        raise AnswerError("your precision tracks m/8 and your recall stays near 1: the arguments are "
                          "swapped, `knn_precision_recall(X_ring_test, samples)` takes the real data first.")
    if recall_gap > 0.15:
        raise AnswerError(f"your recall is up to {recall_gap:.2f} away from m/8; fit each mixture on "
                          "`X_ring[ring_mode < m]` and compare its samples with `X_ring_test`.")
    wanted = str(answer).strip().lower()
    if wanted.startswith("recall"):
        return f"recall follows m/8 within {recall_gap:.2f}; precision stays high: every sample is realistic."
    if wanted.startswith("fr"):
        raise AnswerError("the Fréchet distance falls as modes are added, but its values have no reading as "
                          "'how many modes': compare your recall with m/8.")
    raise AnswerError(f"look at your numbers again: which of the three is close to m/8 = "
                      f"{', '.join(f'{s:.3f}' for s in share.values())}?")
