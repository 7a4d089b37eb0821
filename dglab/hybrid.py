"""Hybrid models: a generative model makes labelled training data for a discriminative one.

* :class:`ClassConditionalGMM` fits one Gaussian mixture per class. It is a generative
  classifier in its own right (Bayes' rule over the class densities) and it samples new
  inputs *of a chosen class*.
* :func:`augment` appends such samples to a training set. Every generated row carries the
  class it was sampled from, by construction: no classifier ever labels generated data.
* :class:`GenerativeAugmentedClassifier` wraps the two steps in one scikit-learn estimator:
  ``fit`` trains the generator on the training rows it is given, augments them and trains the
  classifier. Inside cross-validation or :func:`dglab.validation.learning_curves` the
  generator therefore never sees a test row.
* :func:`paired_gain` reads the effect of augmentation off a learning-curve table: the
  accuracy difference on the *same* splits, with a t-interval over the repeats.

A second hybrid puts *unlabelled* data to work through a generative model:

* :class:`SemiSupervisedNaiveBayes` fits Gaussian naive Bayes to labelled and unlabelled rows
  together by expectation-maximisation (Nigam et al., 2000): the unlabelled rows count for each
  class in proportion to the model's posterior, which is re-estimated until the likelihood of
  all the data stops rising.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import log_softmax, logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from dglab._validation import (
    check_fitted_attribute,
    check_fitted_model,
    check_generator,
    check_int,
    check_numeric_array,
    check_probability,
    check_real,
    validate_estimator_data,
)
from dglab.naive_bayes import (
    GaussianNaiveBayes,
    gaussian_joint_log_likelihood_fast,
    weighted_class_statistics_fast,
)
from dglab.sampling import draw_class_index
from dglab.validation import t_interval

__all__ = ["ClassConditionalGMM", "augment", "GenerativeAugmentedClassifier", "paired_gain",
           "SemiSupervisedNaiveBayes", "UNLABELLED"]

UNLABELLED = -1  # the label of an unlabelled row, as in sklearn.semi_supervised

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


def _full_covariances(mixture: GaussianMixture) -> np.ndarray:
    """The mixture's covariances as an array of full matrices (n_components, d, d)."""
    k, d = mixture.means_.shape
    cov = mixture.covariances_
    if mixture.covariance_type == "full":
        return cov
    if mixture.covariance_type == "tied":
        return np.broadcast_to(cov, (k, d, d))
    if mixture.covariance_type == "diag":
        return np.einsum("kd,de->kde", cov, np.eye(d))
    return cov[:, None, None] * np.eye(d)  # spherical


class ClassConditionalGMM(ClassifierMixin, BaseEstimator):
    """One Gaussian mixture per class: classifies by Bayes' rule and samples by class.

    Parameters
    ----------
    n_components : int, default=1
        Mixture components per class (a class with fewer training rows gets one per row).
        One component gives each class a single Gaussian, i.e. quadratic discriminant analysis.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Shape of each component's covariance, as in :class:`sklearn.mixture.GaussianMixture`.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance, so that a class with fewer rows than
        features still has a proper density.
    random_state : int or None, default=None
        Seed of the mixtures' initialisation.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : ndarray of shape (n_classes,)
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies in the training data.
    mixtures_ : list of GaussianMixture
        The fitted density of each class, in the order of ``classes_``.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from dglab.hybrid import ClassConditionalGMM
    >>> X = np.array([[0.0, 0.1], [0.2, -0.1], [0.1, 0.0], [3.0, 3.1], [3.2, 2.9], [2.9, 3.0]])
    >>> model = ClassConditionalGMM(random_state=0).fit(X, [0, 0, 0, 1, 1, 1])
    >>> model.predict([[0.1, 0.1], [3.0, 3.0]])
    array([0, 1])
    >>> X_new, y_new = model.sample(4, y=1, random_state=0)
    >>> X_new.shape, y_new
    ((4, 2), array([1, 1, 1, 1]))
    """

    def __init__(self, n_components=1, covariance_type="full", reg_covar=1e-6, random_state=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.random_state = random_state

    def _check_params(self) -> None:
        check_int("n_components", self.n_components, minimum=1)
        if self.covariance_type not in COVARIANCE_TYPES:
            raise ValueError(f"covariance_type must be one of {COVARIANCE_TYPES}, got {self.covariance_type!r}")
        check_real("reg_covar", self.reg_covar, minimum=0)

    def fit(self, X, y):
        """Fit a Gaussian mixture to the rows of each class; returns ``self``."""
        self._check_params()
        X, y = validate_estimator_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index, self.class_count_ = np.unique(y, return_inverse=True, return_counts=True)
        if len(self.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs at least 2 classes; got 1 class: {self.classes_.tolist()[0]!r}")
        if self.class_count_.min() < 2:
            raise ValueError(
                f"every class needs at least 2 samples to fit a density; class "
                f"{self.classes_.tolist()[np.argmin(self.class_count_)]!r} has 1 sample"
            )
        self.class_prior_ = self.class_count_ / len(y)
        self.mixtures_ = [
            GaussianMixture(
                n_components=min(self.n_components, int(count)),
                covariance_type=self.covariance_type,
                reg_covar=self.reg_covar,
                random_state=self.random_state,
            ).fit(X[y_index == k])
            for k, count in enumerate(self.class_count_)
        ]
        return self

    # -- classifying ------------------------------------------------------------------------
    def _joint_log_likelihood(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_estimator_data(self, X, dtype=np.float64, reset=False)
        log_density = np.column_stack([m.score_samples(X) for m in self.mixtures_])
        return log_density + np.log(self.class_prior_)

    def predict_log_proba(self, X) -> np.ndarray:
        """log P(class | x) by Bayes' rule, shape (n_samples, n_classes)."""
        joint = self._joint_log_likelihood(X)
        return joint - logsumexp(joint, axis=1, keepdims=True)

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x) by Bayes' rule, shape (n_samples, n_classes)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X) -> np.ndarray:
        """The class with the largest posterior probability."""
        joint = self._joint_log_likelihood(X)
        return self.classes_[np.argmax(joint, axis=1)]

    # -- generating -------------------------------------------------------------------------
    def sample(self, n_samples, y=None, random_state=None):
        """Draw ``n_samples`` inputs, each from the density of a given (or random) class.

        Parameters
        ----------
        n_samples : int
            Number of rows to draw (at least 1).
        y : None, a class label, or array-like of shape (n_samples,)
            The class of each row. ``None`` draws classes from ``class_prior_``.
        random_state : int, numpy Generator/RandomState or None
            Seed or generator; the same seed gives the same rows.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            The class each row was drawn from (the requested one).
        """
        check_is_fitted(self)
        rng = check_generator(random_state)
        n_samples, index = draw_class_index(self.classes_, self.class_prior_, n_samples, y, rng)
        X_new = np.empty((n_samples, self.n_features_in_))
        for k, mixture in enumerate(self.mixtures_):
            rows = np.flatnonzero(index == k)
            if rows.size == 0:
                continue
            component = rng.choice(len(mixture.weights_), size=rows.size, p=mixture.weights_)
            noise = rng.standard_normal((rows.size, self.n_features_in_))
            for j, chol in enumerate(np.linalg.cholesky(_full_covariances(mixture))):
                mine = component == j  # x = mean + L @ noise, with L L^T the covariance
                X_new[rows[mine]] = mixture.means_[j] + noise[mine] @ chol.T
        return X_new, self.classes_[index]


def augment(X, y, generator, factor: float, random_state=None):
    """Append ``factor`` times as many generated rows as there are real ones, class by class.

    Class ``c`` with ``n_c`` real rows receives ``round(factor * n_c)`` rows drawn from
    ``generator.sample(..., y=c)``: the class balance is kept, and each generated row's label
    is the class it was drawn from. The generator must already be fitted (on ``X, y`` or on
    other *training* data, never on test data).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    generator : fitted class-conditional model
        Anything with ``classes_`` and ``sample(n, y=labels, random_state=...)`` returning
        ``(X, y)``: :class:`ClassConditionalGMM`, :class:`dglab.naive_bayes.GaussianNaiveBayes`.
    factor : float
        Generated rows per real row (0 returns the data unchanged).
    random_state : int, numpy Generator or None

    Returns
    -------
    X_aug : ndarray of shape (n_samples + n_generated, n_features)
        The real rows first, then the generated ones.
    y_aug : ndarray of shape (n_samples + n_generated,)
    is_generated : ndarray of bool, shape (n_samples + n_generated,)
    """
    factor = check_real("factor", factor, minimum=0)
    check_fitted_model("generator", generator, "sample")
    check_fitted_attribute(generator, "classes_", "fit the generator before augmenting with it")
    X = check_numeric_array("X", X, ensure_min_samples=1)
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must have one label per row of X, shape ({len(X)},); got {y.shape}")
    classes, counts = np.unique(y, return_counts=True)
    unknown = set(classes.tolist()) - set(np.asarray(generator.classes_).tolist())
    if unknown:
        raise ValueError(f"the generator was not fitted on the classes {sorted(unknown)}")
    n_new = np.rint(factor * counts).astype(int)
    labels = np.repeat(classes, n_new)
    if labels.size == 0:
        return X.copy(), y.copy(), np.zeros(len(X), dtype=bool)
    X_new, y_new = generator.sample(labels.size, y=labels, random_state=random_state)
    if not np.array_equal(np.asarray(y_new), labels):
        raise RuntimeError("the generator returned other classes than the ones it was asked for")
    X_new = np.asarray(X_new, dtype=np.result_type(X.dtype, np.float64))
    is_generated = np.r_[np.zeros(len(X), dtype=bool), np.ones(labels.size, dtype=bool)]
    return np.vstack([X, X_new]), np.concatenate([y, labels]), is_generated


def _classifier_has(name):
    def check(self):
        return hasattr(self.classifier_ if hasattr(self, "classifier_") else self.classifier, name)
    return check


class GenerativeAugmentedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A discriminative classifier trained on real rows plus rows from a generative model.

    ``fit(X, y)`` fits a clone of ``generator`` to ``(X, y)``, draws ``factor`` generated rows
    per real row with :func:`augment` (each labelled with the class it was drawn from) and fits
    a clone of ``classifier`` to the union. Predictions come from the classifier alone.

    Parameters
    ----------
    classifier : estimator
        The discriminative model (any scikit-learn classifier or pipeline).
    generator : estimator, default=None
        An unfitted class-conditional generative model with ``fit(X, y)`` and
        ``sample(n, y=..., random_state=...)``; ``None`` means ``ClassConditionalGMM()``.
    factor : float, default=1.0
        Generated rows per real row; 0 trains the classifier on the real rows only.
    random_state : int or None, default=None
        Seed of the generated rows.

    Attributes
    ----------
    generator_, classifier_ : fitted estimators
    classes_ : ndarray
    n_generated_ : int
        Number of generated rows the classifier was trained on.
    """

    def __init__(self, classifier, generator=None, factor=1.0, random_state=None):
        self.classifier = classifier
        self.generator = generator
        self.factor = factor
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the generator on ``(X, y)``, augment, fit the classifier; returns ``self``."""
        factor = check_real("factor", self.factor, minimum=0)
        X, y = validate_estimator_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        generator = ClassConditionalGMM() if self.generator is None else self.generator
        self.generator_ = clone(generator).fit(X, y)
        X_aug, y_aug, is_generated = augment(X, y, self.generator_, factor, self.random_state)
        self.classifier_ = clone(self.classifier).fit(X_aug, y_aug)
        self.classes_ = self.classifier_.classes_
        self.n_generated_ = int(is_generated.sum())
        return self

    def _X(self, X):
        check_is_fitted(self)
        return validate_estimator_data(self, X, dtype=np.float64, reset=False)

    def predict(self, X):
        """The classifier's predictions."""
        X = self._X(X)
        return self.classifier_.predict(X)

    @available_if(_classifier_has("predict_proba"))
    def predict_proba(self, X):
        """The classifier's class probabilities."""
        X = self._X(X)
        return self.classifier_.predict_proba(X)


def paired_gain(curves: pd.DataFrame, baseline: str, other: str, *, confidence: float = 0.95) -> pd.DataFrame:
    """Accuracy of ``other`` minus accuracy of ``baseline``, split by split, per training size.

    Both estimators in a :func:`dglab.validation.learning_curves` table were fitted and tested
    on the same splits, so their difference on each split removes the split-to-split
    variation that both share: the interval of the *paired* difference is much narrower than
    the overlap of two separate intervals suggests.

    Parameters
    ----------
    curves : pandas.DataFrame
        Output of :func:`dglab.validation.learning_curves` containing both estimators.
    baseline, other : str
        Estimator names in ``curves``.
    confidence : float
        Coverage of the Student-t interval.

    Returns
    -------
    pandas.DataFrame
        One row per training size: ``train_size``, ``gain`` (mean accuracy difference),
        ``sem``, ``ci_low``, ``ci_high``, ``wins`` (share of repeats where ``other`` was more
        accurate) and ``n_repeats``. The repeats share data, so the interval is somewhat
        optimistic.
    """
    confidence = check_probability("confidence", confidence)
    names = set(curves["estimator"].astype(str))
    for name in (baseline, other):
        if name not in names:
            raise ValueError(f"no estimator {name!r} in curves; it has {sorted(names)}")
    table = curves.assign(estimator=curves["estimator"].astype(str)).pivot_table(
        index=["train_size", "repeat"], columns="estimator", values="test_error", observed=True)
    difference = (table[baseline] - table[other]).rename("gain")  # error down = accuracy up
    grouped = difference.groupby(level="train_size")
    summary = grouped.agg(gain="mean", std="std", n_repeats="count").reset_index()
    # An exact tie averages to about 1e-19 in floating point; report it as 0 (not "-0.000").
    summary["gain"] = np.round(summary["gain"], 12) + 0.0
    summary["std"] = summary["std"].fillna(0.0)
    summary["sem"] = summary["std"] / np.sqrt(summary["n_repeats"])
    summary["ci_low"], summary["ci_high"] = t_interval(summary["gain"], summary["sem"],
                                                       summary["n_repeats"], confidence)
    summary["wins"] = grouped.apply(lambda d: float(np.mean(d > 0))).to_numpy()
    return summary[["train_size", "gain", "sem", "ci_low", "ci_high", "wins", "n_repeats"]]


# --- a second hybrid: unlabelled data through a generative model --------------------------------
class SemiSupervisedNaiveBayes(GaussianNaiveBayes):
    """Gaussian naive Bayes fitted to labelled *and* unlabelled rows by EM.

    A generative model describes every input, labelled or not: an unlabelled row ``x`` has
    probability ``p(x) = sum_c pi_c p(x | c)``. Expectation-maximisation (Nigam et al., 2000)
    maximises the likelihood of both kinds of rows,

    ``sum_labelled log p(x_i, y_i) + lambda * sum_unlabelled log p(x_j)``,

    by alternating two steps from the naive Bayes model of the labelled rows alone:

    * **E-step**: the posterior ``r_jc = P(c | x_j)`` of every unlabelled row under the current
      model;
    * **M-step**: naive Bayes refitted with every labelled row counting fully for its class and
      every unlabelled row counting ``lambda * r_jc`` for class ``c`` (weighted means, variances
      and class frequencies).

    Neither step can lower the likelihood (exactly so with ``var_smoothing=0``; the smoothing
    adds a constant to the variances after the M-step). Prediction and sampling are those of
    :class:`dglab.naive_bayes.GaussianNaiveBayes`. The unlabelled rows help when the model's
    assumptions roughly hold (each class one blob of independent features); when they do not,
    EM fits the blobs the data does have, which need not be the classes, and accuracy can drop.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Fraction of the largest feature variance (over all rows, labelled or not) added to every
        per-class variance, as in :class:`~dglab.naive_bayes.GaussianNaiveBayes`.
    unlabelled_weight : float, default=1.0
        ``lambda``: how much an unlabelled row counts compared with a labelled one (0 ignores
        the unlabelled rows: plain naive Bayes on the labelled ones).
    max_iter : int, default=100
        Largest number of EM iterations.
    tol : float, default=1e-6
        EM stops when an iteration raises the log-likelihood by less than ``tol`` per unit of
        row weight.

    Attributes
    ----------
    classes_, class_prior_, theta_, var_, epsilon_, n_features_in_
        As in :class:`~dglab.naive_bayes.GaussianNaiveBayes`.
    class_count_ : ndarray of shape (n_classes,)
        The weight of each class: its labelled rows plus ``lambda`` times the posterior mass of
        the unlabelled rows.
    n_labelled_, n_unlabelled_ : int
        Rows of each kind seen in :meth:`fit`.
    n_iter_ : int
        Model fits: 1 for the fit to the labelled rows, plus one per EM iteration.
    log_likelihood_history_ : ndarray of shape (n_iter_,)
        The weighted log-likelihood above after each fit.

    Examples
    --------
    >>> import numpy as np
    >>> from dglab.hybrid import SemiSupervisedNaiveBayes
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-2, 1, (200, 2)), rng.normal(2, 1, (200, 2))]
    >>> y = np.full(400, -1)            # unlabelled ...
    >>> y[[0, 1, 200, 201]] = [0, 0, 1, 1]  # ... except two rows per class
    >>> model = SemiSupervisedNaiveBayes().fit(X, y)
    >>> model.classes_.tolist(), model.n_unlabelled_
    ([0, 1], 396)
    >>> np.round(model.theta_).tolist()
    [[-2.0, -2.0], [2.0, 2.0]]
    """

    def __init__(self, var_smoothing=1e-9, unlabelled_weight=1.0, max_iter=100, tol=1e-6):
        self.var_smoothing = var_smoothing
        self.unlabelled_weight = unlabelled_weight
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Fit to rows ``X``; ``y`` holds a class label or ``UNLABELLED`` (-1) per row.

        Only numeric labels can mark a row unlabelled; with string labels every row is labelled.
        """
        smoothing = self._checked_var_smoothing()
        weight = check_real("unlabelled_weight", self.unlabelled_weight, minimum=0)
        tol = check_real("tol", self.tol, minimum=0)
        check_int("max_iter", self.max_iter, minimum=0)
        X, y = validate_estimator_data(self, X, y, dtype=np.float64, y_numeric=False)
        unlabelled = _unlabelled_rows(y)
        labels = y[~unlabelled]
        if labels.size == 0:
            raise ValueError("y has no labelled row: every entry is UNLABELLED (-1)")
        check_classification_targets(labels)
        self.classes_, label_index = np.unique(labels, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"{type(self).__name__} needs labelled rows of at least 2 classes; "
                             f"got 1 class: {self.classes_.tolist()[0]!r}")
        X_l, X_u = X[~unlabelled], X[unlabelled]
        self.n_labelled_, self.n_unlabelled_ = len(X_l), len(X_u)
        self.epsilon_ = float(smoothing * np.var(X, axis=0).max())
        if self.epsilon_ <= 0 and smoothing > 0:
            raise ValueError("every feature is constant over the rows: there is nothing to model")

        W_l = np.eye(len(self.classes_))[label_index]  # labelled rows: all of their class
        X_all = np.vstack([X_l, X_u])
        self._m_step(X_all, np.vstack([W_l, np.zeros((len(X_u), len(self.classes_)))]))
        log_likelihood, R = self._evaluate(X_l, label_index, X_u, weight)
        history = [log_likelihood]
        total_weight = len(X_l) + weight * len(X_u)
        if len(X_u) and weight > 0:
            for _ in range(self.max_iter):
                # R, the posteriors of the unlabelled rows, is the E-step, done by _evaluate
                self._m_step(X_all, np.vstack([W_l, weight * R]))    # M-step
                log_likelihood, R = self._evaluate(X_l, label_index, X_u, weight)
                history.append(log_likelihood)
                if history[-1] - history[-2] < tol * total_weight:
                    break
            else:
                if self.max_iter > 0:
                    warnings.warn(f"EM did not converge in max_iter={self.max_iter} iterations "
                                  f"(tol={tol:g}); increase max_iter", ConvergenceWarning, stacklevel=2)
        self.n_iter_ = len(history)  # the labelled-only fit plus the EM iterations
        self.log_likelihood_history_ = np.asarray(history)
        return self

    def _m_step(self, X, W):
        """Weighted naive Bayes: class weights, means and variances from row weights ``W``."""
        if np.any(W.sum(axis=0) <= 0):
            raise ValueError("a class has no weight left: every class needs labelled rows")
        # weighted_class_statistics through matrix products: EM refits many times
        self.class_count_, self.theta_, within = weighted_class_statistics_fast(X, W)
        self.var_ = within + self.epsilon_
        if np.any(self.var_ <= 0):
            raise ValueError("a feature is constant within a class and var_smoothing is 0; "
                             "use var_smoothing > 0")
        self.class_prior_ = self.class_count_ / self.class_count_.sum()

    def _evaluate(self, X_l, label_index, X_u, weight):
        """The weighted log-likelihood (sum log p(x, y) over labelled rows + weight * sum log p(x)
        over unlabelled rows) and the posteriors P(c | x) of the unlabelled rows (None if unused),
        both from one pass over the unlabelled rows."""
        # X_l and X_u were validated by fit. The joint log-likelihoods come through matrix
        # products (gaussian_joint_log_likelihood_fast): chapter 14 runs 60 fits on digits.
        labelled = self._fast_joint_log_likelihood(X_l)[np.arange(len(X_l)), label_index].sum()
        if len(X_u) == 0 or weight == 0:
            return float(labelled), None
        joint = self._fast_joint_log_likelihood(X_u)
        # The posteriors from scipy's log_softmax (half the time of logsumexp and a second exp on
        # digits); log p(x) = log p(x, c) - log P(c | x) holds for every class c, and is read off
        # at the likeliest class, where log P(c | x) is closest to 0.
        log_posterior = log_softmax(joint, axis=1)
        rows, likeliest = np.arange(len(joint)), log_posterior.argmax(axis=1)
        log_px = joint[rows, likeliest] - log_posterior[rows, likeliest]
        return float(labelled + weight * log_px.sum()), np.exp(log_posterior)

    def _fast_joint_log_likelihood(self, X):
        jll = gaussian_joint_log_likelihood_fast(X, self.class_prior_, self.theta_, self.var_)
        if np.isnan(jll).any() or np.isneginf(jll).all(axis=1).any():
            raise ValueError("X has values so large that their distance to the class means overflows "
                             "float64; rescale X as the training data was")
        return jll


def _unlabelled_rows(y) -> np.ndarray:
    """Boolean mask of the rows whose label is ``UNLABELLED`` (numeric labels only)."""
    if y.dtype.kind in "iuf":
        return y == UNLABELLED
    return np.zeros(len(y), dtype=bool)
