"""The one home of ``dglab``'s argument checks and of its random-state convention.

Every public function and estimator checks its arguments here, at the boundary, so a learner's
mistake (a boolean where a count belongs, a NaN, a column in the wrong order, an unfitted model)
is reported in the learner's terms, naming the argument, instead of surfacing as a NaN plot or a
traceback from deep inside numpy, torch or scikit-learn.

Conventions
-----------
* Scalars: booleans are never numbers (``True`` is not ``1``), non-finite values are rejected,
  bounds are stated in the message: ``n_bins must be an integer >= 2, got 1.5``.
* Arrays go through :func:`sklearn.utils.validation.check_array` with the argument's name, and
  values that cannot be numbers are reported with that name (:func:`check_numeric_array`).
  Computations that can overflow (a variance of ``1e160``-sized values) are checked *after* the
  computation with :func:`check_finite_result`, naming the input that caused it.
* Fitted-ness is scikit-learn's: :func:`sklearn.utils.validation.check_is_fitted`, raising
  :class:`sklearn.exceptions.NotFittedError`.
* Randomness: every ``random_state`` argument accepts ``None``, a non-negative integer, a
  :class:`numpy.random.RandomState` or a :class:`numpy.random.Generator`. Code that needs
  scikit-learn's legacy generator calls :func:`check_random_state` (a seed gives the same
  stream as scikit-learn's), code that needs the modern API calls :func:`check_generator`;
  both validate the argument the same way.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
)

__all__ = [
    "check_int",
    "check_real",
    "check_probability",
    "check_bool",
    "check_callable",
    "check_random_state",
    "check_generator",
    "check_numeric_array",
    "check_finite_result",
    "check_fitted_model",
    "check_is_fitted",
    "check_classes",
    "check_binary_scores",
    "validate_estimator_data",
    "check_sample_matrix",
    "check_sample_pair",
    "check_1d_sample",
    "check_fitted_attribute",
    "check_model_file",
    "unreadable_model_file",
]

_MAX_SEED = 2**32 - 1  # the legacy RandomState accepts seeds in [0, 2**32 - 1]


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else f"{value:g}"


def _bounds(minimum, maximum, min_inclusive, max_inclusive) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>=' if min_inclusive else '>'} {_number(minimum)}")
    if maximum is not None:
        parts.append(f"{'<=' if max_inclusive else '<'} {_number(maximum)}")
    return (" " + " and ".join(parts)) if parts else ""


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` within the bounds, or a ``ValueError`` naming ``name``.

    Booleans and floats (even ``2.0``) are rejected: a count is an integer.

    >>> check_int("n_bins", 10, minimum=2)
    10
    """
    bounds = _bounds(minimum, maximum, True, True)
    if (not _is_int(value) or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)):
        raise ValueError(f"{name} must be an integer{bounds}, got {value!r}")
    return int(value)


def check_real(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
               min_inclusive: bool = True, max_inclusive: bool = True,
               allow_infinite: bool = False) -> float:
    """``value`` as a finite ``float`` within the bounds, or a ``ValueError`` naming ``name``.

    ``allow_infinite=True`` accepts ``-inf``/``inf`` (a limit that never triggers) but still
    rejects NaN.

    >>> check_real("C", 0.5, minimum=0, min_inclusive=False)
    0.5
    """
    bounds = _bounds(minimum, maximum, min_inclusive, max_inclusive)
    kind = "a number" if allow_infinite else "a finite number"
    ok = _is_real(value) and not np.isnan(value) and (allow_infinite or bool(np.isfinite(value)))
    if ok and minimum is not None:
        ok = value >= minimum if min_inclusive else value > minimum
    if ok and maximum is not None:
        ok = value <= maximum if max_inclusive else value < maximum
    if not ok:
        raise ValueError(f"{name} must be {kind}{bounds}, got {value!r}")
    return float(value)


def check_probability(name: str, value) -> float:
    """A number strictly between 0 and 1 (a significance level, a coverage, a rate)."""
    if not (_is_real(value) and np.isfinite(value) and 0 < value < 1):
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def check_bool(name: str, value) -> bool:
    """``True`` or ``False`` (numpy's booleans too); anything else is a ``TypeError``."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_callable(name: str, value, *, allow_none: bool = False):
    """A callable (or ``None`` when allowed), else a ``TypeError`` naming ``name``."""
    if value is None and allow_none:
        return None
    if not callable(value):
        expected = "a callable or None" if allow_none else "a callable"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return value


def _check_seed_like(random_state) -> None:
    if random_state is None or isinstance(random_state, np.random.RandomState | np.random.Generator):
        return
    if _is_int(random_state) and 0 <= random_state <= _MAX_SEED:
        return
    raise ValueError(
        "random_state must be None, an integer in [0, 2**32 - 1], a numpy RandomState or a numpy "
        f"Generator, got {random_state!r}"
    )


def check_random_state(random_state, *, allow_generator: bool = True):
    """A numpy random generator from ``random_state`` (see the module's convention).

    ``None`` and integers give a :class:`numpy.random.RandomState` (scikit-learn's legacy
    generator, so a seed gives the same numbers as scikit-learn); a ``RandomState`` is used as
    it is, and so is a ``Generator`` when ``allow_generator`` (both draw with the same methods
    ``choice``, ``normal``, ``standard_normal``, ``permutation``).
    """
    _check_seed_like(random_state)
    if isinstance(random_state, np.random.Generator):
        if allow_generator:
            return random_state
        return np.random.RandomState(random_state.integers(_MAX_SEED))
    if isinstance(random_state, np.random.RandomState):
        return random_state
    return np.random.RandomState(random_state)


def check_generator(random_state) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from ``random_state`` (see the module's convention).

    A ``RandomState`` seeds a new generator from its stream, so passing the same
    ``RandomState`` twice gives different (but reproducible) draws, as in scikit-learn.
    """
    _check_seed_like(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    return np.random.default_rng(random_state)


def check_numeric_array(name: str, X, **kwargs) -> np.ndarray:
    """:func:`sklearn.utils.validation.check_array` with the argument's name in every message.

    Values that cannot be read as numbers (strings in an object array) and booleans mixed with
    numbers are reported as ``"{name} must hold numbers ..."`` rather than numpy's
    ``could not convert string to float: 'a'``.
    """
    kwargs.setdefault("dtype", np.float64)
    kwargs.setdefault("input_name", name)
    if X is None:
        raise ValueError(f"{name} must be an array of numbers, got None")
    try:
        return check_array(X, **kwargs)
    except (TypeError, ValueError) as err:
        text = str(err)
        if name in text or "Expected 2D array" in text or "Expected a 2-dimensional" in text:
            raise ValueError(f"{name}: {text}" if name not in text else text) from err
        raise ValueError(f"{name} must hold numbers (an array of floats); {text}") from err


def check_finite_result(name: str, values, *, cause: str) -> np.ndarray:
    """Reject a computed array with NaN or infinite entries, blaming the input that caused it.

    Used *after* computations that can overflow although their inputs were finite, e.g. the
    variance of values around ``1e160``.
    """
    values = np.asarray(values)
    if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
        raise ValueError(f"{name} came out NaN or infinite: {cause}")
    return values


def check_fitted_model(name: str, model, methods=("predict",)):
    """An object that has the given methods (a fitted estimator, a pipeline, a module), else a
    ``TypeError`` that names the argument and the missing method."""
    if isinstance(methods, str):
        methods = (methods,)
    missing = [m for m in methods if not callable(getattr(model, m, None))]
    if missing:
        raise TypeError(
            f"{name} must be a fitted model with a {'/'.join(missing)} method, got "
            f"{type(model).__name__}" + (" (None)" if model is None else "")
        )
    return model


def check_model_file(path, kind: str):
    """``path`` as a :class:`~pathlib.Path` to an existing, non-empty file, or an error naming it.

    ``kind`` says what the file should hold ("skops", "PyTorch weights", ...), for the message.
    """
    from pathlib import Path

    if not isinstance(path, str | Path) and not hasattr(path, "__fspath__"):
        raise TypeError(f"path must be a str or Path, got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no {kind} file at {path}")
    if path.stat().st_size == 0:
        raise ValueError(f"{path} is empty (0 bytes), not a {kind} file; was it written completely?")
    return path


def unreadable_model_file(path, kind: str, error: BaseException) -> ValueError:
    """The error to raise when a model file exists but cannot be read as ``kind``."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return ValueError(
        f"{path} is not a readable {kind} file ({detail}); it may be truncated, corrupted or "
        "written by another program"
    )


def check_fitted_attribute(obj, attribute: str, hint: str):
    """scikit-learn's :class:`~sklearn.exceptions.NotFittedError` for objects that are not
    scikit-learn estimators (no ``__sklearn_tags__``), when ``attribute`` is missing."""
    from sklearn.exceptions import NotFittedError

    if not hasattr(obj, attribute):
        raise NotFittedError(f"This {type(obj).__name__} instance is not fitted yet: {hint}")


def check_classes(estimator, y) -> tuple[np.ndarray, np.ndarray]:
    """The sorted class labels of ``y`` and each row's position among them, for a classifier that
    needs at least two classes; a continuous or one-class ``y`` is a clear error."""
    from sklearn.utils.multiclass import check_classification_targets

    if y.dtype.kind not in "iub":  # integer labels are class labels; anything else is checked
        check_classification_targets(y)
    classes, y_index = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"{type(estimator).__name__} needs samples of at least 2 classes; "
                         f"got 1 class: {classes.tolist()[0]!r}")
    return classes, y_index


# -- samples compared by the metrics ---------------------------------------------------------------
def check_sample_matrix(name: str, X) -> np.ndarray:
    """A sample of shape (n_samples, n_features): at least 2 finite rows and 1 column."""
    X = check_numeric_array(name, X, ensure_2d=False, ensure_all_finite=False)
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got shape {X.shape}"
        )
    if X.shape[0] < 2:
        raise ValueError(
            f"{name} needs at least 2 samples to estimate a covariance, got {X.shape[0]}"
        )
    if X.shape[1] < 1:
        raise ValueError(f"{name} has no features")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X



def check_sample_pair(X1, X2, names=("X1", "X2")) -> tuple[np.ndarray, np.ndarray]:
    """Two 2-D samples with the same number of features (at least 2 finite rows each)."""
    X1 = check_sample_matrix(names[0], X1)
    X2 = check_sample_matrix(names[1], X2)
    if X1.shape[1] != X2.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of features, "
            f"got {X1.shape[1]} and {X2.shape[1]}"
        )
    return X1, X2


def check_1d_sample(name: str, x) -> np.ndarray:
    """A 1-D sample (a column vector is accepted) of at least 2 finite values."""
    x = check_numeric_array(name, x, ensure_2d=False, ensure_all_finite=False)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D sample (one value per draw), got shape {x.shape}; "
            "for several features use sliced_wasserstein or frechet_distance"
        )
    if x.shape[0] < 2:
        raise ValueError(f"{name} needs at least 2 samples, got {x.shape[0]}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def validate_estimator_data(estimator, X, y="no_validation", **kwargs):
    """:func:`sklearn.utils.validation.validate_data`, with values that are not numbers (strings,
    an object array) reported as a problem of ``X`` instead of numpy's conversion message."""
    from sklearn.utils.validation import validate_data

    try:
        return validate_data(estimator, X, y, **kwargs)
    except (TypeError, ValueError) as err:
        text = str(err)
        if "could not convert" in text or "not supported for the input types" in text or (
                isinstance(err, TypeError) and "X" not in text):
            kind = TypeError if isinstance(err, TypeError) else ValueError  # as scikit-learn's
            raise kind(f"X must be an array of numbers (one row per sample, one column per "
                       f"feature), got {type(X).__name__}: {text}") from err
        raise


def check_binary_scores(y_true, scores):
    """Check labels and scores of a binary evaluation; returns them as (int, float) arrays.

    ``y_true`` must hold both labels 0 and 1 (precision, recall and ROC curves need both
    classes) and ``scores`` one finite number per label.
    """
    y_true = column_or_1d(y_true)
    scores = column_or_1d(scores).astype(float)
    check_consistent_length(y_true, scores)
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores contain NaN or infinity")
    labels = np.unique(y_true).tolist()
    if not set(labels) <= {0, 1}:
        raise ValueError(f"y_true must hold the labels 0 and 1, got {labels}")
    if len(labels) < 2:
        raise ValueError(
            f"y_true holds only class {labels}; precision, recall and ROC need both labels 0 and 1 "
            "(a test split with no positive cases?)"
        )
    return y_true.astype(int), scores
