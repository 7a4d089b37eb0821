"""A fixed feature space for judging generated digit images.

:class:`DigitFeatureExtractor` is a small classifier trained on scikit-learn's 8x8 digits whose
hidden layer serves as the feature space of :func:`dglab.metrics.digits_frechet_distance` and of
the precision/recall measurements in chapters 6 and 12: the offline stand-in for the Inception
network behind FID. It is an estimator (it learns from data), so it lives here rather than among
the metrics that use it. :func:`default_digit_features` is the one instance every chapter shares.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

__all__ = ["DigitFeatureExtractor", "default_digit_features"]


class DigitFeatureExtractor(TransformerMixin, BaseEstimator):
    """Features from the hidden layer of a small MLP classifier, for comparing image sets.

    ``fit(X, y)`` trains a one-hidden-layer :class:`sklearn.neural_network.MLPClassifier`
    (deterministic given ``random_state``); ``transform(X)`` returns the ReLU activations of
    its hidden layer, the representation the classifier uses to tell classes apart.

    Parameters
    ----------
    hidden : int
        Width of the hidden layer, i.e. the number of features.
    max_iter : int
        Training epochs of the classifier (Adam).
    alpha : float
        L2 penalty of the classifier.
    random_state : int or None
        Seed of the weight initialisation and of the mini-batch order.

    Attributes
    ----------
    classifier_ : MLPClassifier
        The fitted classifier (its ``score`` is the held-out accuracy check).
    n_iter_ : int
        Epochs the classifier trained for.
    n_features_in_ : int

    Examples
    --------
    >>> from dglab.data import load_digits_scaled
    >>> X, y = load_digits_scaled()
    >>> extractor = DigitFeatureExtractor(random_state=0).fit(X, y)
    >>> extractor.transform(X[:5]).shape
    (5, 64)
    """

    def __init__(self, hidden: int = 64, max_iter: int = 200, alpha: float = 1e-3, random_state=0):
        self.hidden = hidden
        self.max_iter = max_iter
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X, y):
        X, y = validate_data(self, X, y)
        self.classifier_ = MLPClassifier(
            hidden_layer_sizes=(self.hidden,), alpha=self.alpha, max_iter=self.max_iter,
            random_state=self.random_state,
        )
        # One BLAS thread: the matrices are small, so threads only add overhead (and on a busy
        # machine slow training down tenfold), and the features no longer depend on how many
        # cores the machine has. A capped number of epochs is the point, hence no warning.
        with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.classifier_.fit(X, y)
        self.n_iter_ = self.classifier_.n_iter_
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        hidden = X @ self.classifier_.coefs_[0] + self.classifier_.intercepts_[0]
        return np.maximum(hidden, 0.0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


@functools.cache
def default_digit_features() -> DigitFeatureExtractor:
    """The feature extractor :func:`dglab.metrics.digits_frechet_distance` uses by default.

    Trained once per session (seed 0) on all 1,797 scikit-learn digits and cached, so every
    chapter measures in the same space. Its ``classifier_`` also labels generated digits.
    """
    from dglab.data import load_digits_scaled

    X, y = load_digits_scaled()
    return DigitFeatureExtractor(random_state=0).fit(X, y)
