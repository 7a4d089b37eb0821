"""Feature engineering for both model families, as scikit-learn pipelines.

Discriminative side: :func:`make_polynomial_logistic` and :func:`make_spline_logistic` expand
the inputs (powers and interactions, or piecewise polynomials) before a logistic regression, so
a linear model in the new features draws a curved boundary in the old ones;
:func:`degree_sweep` measures how train and test accuracy move as the expansion grows.

Generative side: :func:`make_gaussian_nb` puts Gaussianizing (:class:`PowerTransformer`,
:class:`QuantileTransformer`) and decorrelating (:class:`PCA`) steps before Gaussian naive
Bayes, and :func:`log_likelihood` measures the fitted model's log-density of held-out inputs in
the *original* feature space (it adds the change-of-variables term of each step), so models with
different preprocessing are compared on the same scale.

Every learned statistic (scaler means, Yeo-Johnson lambdas, quantiles, principal axes) is
fitted inside the pipeline, from training rows only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    SplineTransformer,
    StandardScaler,
)
from sklearn.utils.validation import check_is_fitted

from dglab._validation import check_int, check_numeric_array, check_real
from dglab.naive_bayes import GaussianNaiveBayes

__all__ = [
    "GaussianNaiveBayes",
    "make_polynomial_logistic",
    "make_spline_logistic",
    "degree_sweep",
    "GAUSSIANIZERS",
    "make_gaussian_nb",
    "log_likelihood",
]


def _check_C(C):
    return check_real("C (inverse regularisation strength)", C, minimum=0, min_inclusive=False)


def make_polynomial_logistic(
    degree: int, *, C: float = 1.0, interaction_only: bool = False, max_iter: int = 10_000
) -> Pipeline:
    """Logistic regression on all monomials of the inputs up to ``degree``.

    ``PolynomialFeatures -> StandardScaler -> LogisticRegression``: with two inputs and degree 2
    the model sees ``x1, x2, x1^2, x1 x2, x2^2``. Scaling comes *after* the expansion so that
    high powers, whose ranges explode, are penalised on the same footing as the rest.

    Parameters
    ----------
    degree : int
        Highest total degree (1 is plain logistic regression on scaled inputs).
    C : float
        Inverse L2 penalty of the logistic regression; large ``C`` lets high degrees overfit.
    interaction_only : bool
        Keep only products of distinct inputs (``x1 x2``), no powers (``x1^2``).

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from dglab.features import make_polynomial_logistic
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> make_polynomial_logistic(1).fit(X, y).score(X, y) < 0.7  # a line cannot do it
    True
    >>> make_polynomial_logistic(2).fit(X, y).score(X, y) > 0.95  # a conic can
    True
    """
    degree = check_int("degree", degree, minimum=1)
    return Pipeline([
        ("expand", PolynomialFeatures(degree=degree, interaction_only=interaction_only, include_bias=False)),
        ("scale", StandardScaler()),
        ("logistic", LogisticRegression(C=_check_C(C), max_iter=max_iter)),
    ])


def make_spline_logistic(n_knots: int = 5, degree: int = 3, *, C: float = 1.0, max_iter: int = 10_000) -> Pipeline:
    """Logistic regression on a B-spline basis of each input (an additive, smooth model).

    ``SplineTransformer -> LogisticRegression``: the log-odds become a sum of one smooth curve
    per input, ``f_1(x1) + f_2(x2) + ...``. Splines bend locally (a knot moves the curve only
    nearby), unlike high-degree polynomials, but they do not model interactions.
    """
    n_knots = check_int("n_knots", n_knots, minimum=2)
    degree = check_int("degree", degree, minimum=1)
    return Pipeline([
        ("expand", SplineTransformer(n_knots=n_knots, degree=degree)),
        ("logistic", LogisticRegression(C=_check_C(C), max_iter=max_iter)),
    ])


def degree_sweep(X_train, y_train, X_test, y_test, degrees, *, C: float = 1.0) -> pd.DataFrame:
    """Fit :func:`make_polynomial_logistic` for each degree; report sizes and accuracies.

    Returns
    -------
    DataFrame
        One row per degree: ``degree``, ``n_features`` (after expansion), ``train_accuracy``,
        ``test_accuracy``.
    """
    X_train = check_numeric_array("X_train", X_train)
    X_test = check_numeric_array("X_test", X_test)
    if X_train.shape[1] != X_test.shape[1]:
        raise ValueError(
            f"X_train has {X_train.shape[1]} features but X_test has {X_test.shape[1]}"
        )
    degrees = list(degrees)
    if not degrees:
        raise ValueError("degrees is empty")
    rows = []
    for degree in degrees:
        model = make_polynomial_logistic(degree, C=C).fit(X_train, y_train)
        rows.append({
            "degree": degree,
            "n_features": model.named_steps["expand"].n_output_features_,
            "train_accuracy": model.score(X_train, y_train),
            "test_accuracy": model.score(X_test, y_test),
        })
    return pd.DataFrame(rows)


#: Gaussianizing transformers :func:`make_gaussian_nb` knows.
GAUSSIANIZERS = ("none", "power", "quantile")


def make_gaussian_nb(
    gaussianize: str = "none",
    *,
    decorrelate: bool = False,
    n_quantiles: int = 1000,
    random_state=None,
    naive_bayes=None,
) -> Pipeline:
    """Gaussian naive Bayes behind optional Gaussianizing and decorrelating steps.

    Parameters
    ----------
    gaussianize : {"none", "power", "quantile"}
        ``"power"``: :class:`~sklearn.preprocessing.PowerTransformer` (Yeo-Johnson, one lambda
        per feature fitted by maximum likelihood, then standardised). ``"quantile"``:
        :class:`~sklearn.preprocessing.QuantileTransformer` mapping each feature's empirical
        distribution onto a standard normal.
    decorrelate : bool
        Add :class:`~sklearn.decomposition.PCA` (all components, no whitening): a rotation onto
        the principal axes, where the features are uncorrelated over the whole training set.
    n_quantiles, random_state
        Passed to :class:`~sklearn.preprocessing.QuantileTransformer`.
    naive_bayes : estimator, optional
        The final step (cloned); defaults to :data:`GaussianNaiveBayes`.
    """
    if gaussianize not in GAUSSIANIZERS:
        raise ValueError(f"unknown gaussianize {gaussianize!r}; choose one of {list(GAUSSIANIZERS)}")
    steps = []
    if gaussianize == "power":
        steps.append(("gaussianize", PowerTransformer(method="yeo-johnson", standardize=True)))
    elif gaussianize == "quantile":
        steps.append(("gaussianize", QuantileTransformer(
            n_quantiles=check_int("n_quantiles", n_quantiles, minimum=10),
            output_distribution="normal", random_state=random_state,
        )))
    if decorrelate:
        steps.append(("decorrelate", PCA(whiten=False)))
    steps.append(("naive_bayes", GaussianNaiveBayes() if naive_bayes is None else clone(naive_bayes)))
    return Pipeline(steps)


# Transformers that act on each feature separately with a monotone map (diagonal Jacobian).
_ELEMENTWISE = (StandardScaler, MinMaxScaler, PowerTransformer, QuantileTransformer)


def _elementwise_log_derivative(transformer, X):
    """log |d T(x)_j / d x_j| per sample and feature, by central differences.

    The maps are smooth (scalers, Yeo-Johnson) or piecewise linear (quantiles), so a central
    difference with a small relative step is accurate to many digits. Where the map is flat
    (a quantile map outside the training range) the derivative is 0 and the log is -inf.
    """
    h = 1e-6 * (1.0 + np.abs(X))
    slope = (transformer.transform(X + h) - transformer.transform(X - h)) / (2 * h)
    with np.errstate(divide="ignore"):
        return np.log(np.abs(slope))


def _final_log_density(estimator, Z) -> np.ndarray:
    """log p(z) of the last step: logsumexp over classes of log P(z, y=c), or score_samples."""
    for name in ("predict_joint_log_proba", "_joint_log_likelihood"):
        joint = getattr(estimator, name, None)
        if joint is not None:
            return logsumexp(joint(Z), axis=1)
    if hasattr(estimator, "score_samples"):
        return np.asarray(estimator.score_samples(Z), dtype=float)
    raise TypeError(
        f"{type(estimator).__name__} gives no log-density: it needs predict_joint_log_proba "
        "(a generative classifier such as Gaussian naive Bayes) or score_samples"
    )


def log_likelihood(model, X) -> np.ndarray:
    """Per-sample log-density ``log p(x)`` (nats) of a fitted generative pipeline, in X's space.

    The last step must be a density model (Gaussian naive Bayes: ``p(z) = sum_c P(c) p(z|c)``);
    the steps before it map ``x`` to ``z = T(x)``. By the change of variables
    ``log p(x) = log p_Z(T(x)) + log |det J_T(x)|``, which this adds: exactly for
    :class:`~sklearn.decomposition.PCA` with all components (a rotation, plus a scaling when
    whitened), numerically for per-feature monotone maps (``StandardScaler``, ``MinMaxScaler``,
    ``PowerTransformer``, ``QuantileTransformer``). Without that term, densities of different
    feature spaces could not be compared.

    A ``QuantileTransformer`` is flat outside the range of its training data, so its density
    there is 0 and the log-likelihood is ``-inf``.

    Parameters
    ----------
    model : fitted Pipeline or estimator
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    check_is_fitted(model)
    X = check_numeric_array("X", X)
    steps = model.steps if isinstance(model, Pipeline) else [("model", model)]
    log_det = np.zeros(X.shape[0])
    Z = X
    for name, step in steps[:-1]:
        if step is None or step == "passthrough":
            continue
        if isinstance(step, PCA):
            if step.n_components_ != step.n_features_in_:
                raise ValueError(
                    f"step {name!r} keeps {step.n_components_} of {step.n_features_in_} "
                    "components; a density needs an invertible map, so keep all of them"
                )
            if step.whiten:
                log_det += -0.5 * np.sum(np.log(step.explained_variance_))
            Z_next = step.transform(Z)
        elif isinstance(step, _ELEMENTWISE):
            log_det += _elementwise_log_derivative(step, Z).sum(axis=1)
            Z_next = step.transform(Z)
        else:
            raise TypeError(
                f"step {name!r} ({type(step).__name__}) has no known change of variables; "
                "log_likelihood handles PCA and per-feature scalers and Gaussianizers"
            )
        Z = Z_next
    return _final_log_density(steps[-1][1], Z) + log_det
