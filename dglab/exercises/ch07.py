"""Checks for the exercises of chapter 7 (fraud detection: imbalance and costs)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logit

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_prior_correction", "check_amount_rule"]


@exercise_check
def check_prior_correction(corrected, p_s, pi, pi_s=0.5):
    """Check probabilities moved from the resampled prior ``pi_s`` to the true prior ``pi``.

    Parameters
    ----------
    corrected : array of shape (n,)
        The learner's corrected probabilities.
    p_s : array of shape (n,)
        The model's probabilities under the training prior ``pi_s``.
    pi : float
        The true (training) fraud rate.
    pi_s : float, default=0.5
        The prior of the resampled training data.

    Returns
    -------
    CheckResult
    """
    p_s = answer_array("p_s", p_s, ndim=1)
    got = answer_array("corrected", corrected, shape=p_s.shape)
    pi, pi_s = answer_number("pi", pi), answer_number("pi_s", pi_s)
    clipped = np.clip(p_s, 1e-12, 1 - 1e-12)
    # Bayes' rule on the log-odds scale: a shift by the difference of the priors' log-odds
    reference = expit(logit(clipped) + logit(pi) - logit(pi_s))
    if np.allclose(got, reference, rtol=1e-6, atol=1e-9):
        return (f"the corrected probabilities match Bayes' rule; their mean is {got.mean():.4f} "
                f"(under the resampled prior it was {p_s.mean():.4f}).")
    odds = reference / (1 - reference)
    if np.allclose(got, odds, rtol=1e-6, atol=1e-9):
        raise AnswerError("these are odds, not probabilities: convert back with odds / (1 + odds).")
    if np.allclose(got, expit(logit(clipped) - logit(pi) + logit(pi_s)), rtol=1e-6, atol=1e-9):
        raise AnswerError("the ratio is upside down: multiply by the true prior's odds, divide by pi_s's.")
    if np.allclose(got, p_s * pi / pi_s, rtol=1e-6, atol=1e-9):
        raise AnswerError("rescale the *odds* p / (1 - p), not the probabilities themselves.")
    raise AnswerError("your probabilities differ from Bayes' rule p/(1-p) = p_s/(1-p_s) * "
                      "[pi/(1-pi)] / [pi_s/(1-pi_s)].")


@exercise_check
def check_amount_rule(flagged, p, amount, cost_fp=5.0):
    """Check the amount-aware flags: flag when ``p * amount > cost_fp * (1 - p)``.

    Parameters
    ----------
    flagged : array of bool, shape (n,)
        The learner's alerts.
    p : array of shape (n,)
        The model's fraud probabilities.
    amount : array of shape (n,)
        The transactions' amounts (the cost of a missed fraud).
    cost_fp : float, default=5.0

    Returns
    -------
    CheckResult
    """
    p = answer_array("p", p, ndim=1)
    amount = answer_array("amount", amount, shape=p.shape)
    got = answer_array("flagged", flagged, shape=p.shape, dtype=None)
    if got.dtype != bool:
        raise AnswerError(f"`flagged` should be an array of booleans (one alert decision per "
                          f"transaction), got dtype {got.dtype}.")
    cost_fp = answer_number("cost_fp", cost_fp)
    # expected cost of each decision, compared directly (no rearranged inequality)
    reference = p * amount > cost_fp * (1 - p)
    if np.array_equal(got, reference):
        return f"your {got.sum()} alerts are exactly the transactions whose expected loss exceeds {cost_fp:g} x (1 - p)."
    slips = {
        "you flagged when p * amount > c_FP, without the (1 - p): a false alarm only happens when "
        "the transaction is genuine.": p * amount > cost_fp,
        "the inequality is reversed: flag when the expected loss of letting it through is larger.":
            p * amount < cost_fp * (1 - p),
        "you used the flat miss cost of 200; the exercise charges each missed fraud its amount.":
            p * 200 > cost_fp * (1 - p),
    }
    for hint, variant in slips.items():
        if np.array_equal(got, variant):
            raise AnswerError(hint)
    raise AnswerError(f"{np.sum(got != reference)} of your decisions differ from "
                      "'flag when p * amount > c_FP (1 - p)'.")
