"""What every exercise check shares: the result object, placeholders and answer validation.

A check never raises on a learner's answer. A ``...`` left in the starter cell is reported as
"not yet answered", an answer of the wrong type or shape as a failed check that says what was
expected, and a wrong value as a failed check with a hint for the mistake it looks like.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = ["CheckResult", "AnswerError", "exercise_check", "answer_array", "answer_number",
           "answer_number_pairs", "answer_function", "is_placeholder"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one exercise check; true when the answer passed.

    Attributes
    ----------
    passed : bool
        Whether the answer matches the independent reference.
    answered : bool
        False while the starter cell still holds its ``...`` placeholders.
    message : str
        The text printed for the learner (a confirmation or a hint).
    """

    passed: bool
    answered: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self) -> None:
        # The check already printed its message; showing the object as well would say it twice.
        pass


class AnswerError(Exception):
    """An answer that cannot be checked (wrong type or shape); its message is the feedback."""


class _Placeholder(Exception):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def is_placeholder(value) -> bool:
    """True for the ``...`` a starter cell leaves where the learner's answer goes."""
    return value is Ellipsis


NOT_YET_ANSWERED = "not yet answered: replace each `...` on the lines marked # YOUR CODE, then run the cell again."


def _holds_placeholder(value, depth: int = 2) -> bool:
    """``...`` as the answer, or inside a dict, list or tuple of answers (two levels deep)."""
    if is_placeholder(value):
        return True
    if depth == 0:
        return False
    if isinstance(value, dict):
        return any(_holds_placeholder(v, depth - 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_placeholder(v, depth - 1) for v in value)
    return False


def _emit(result: CheckResult) -> CheckResult:
    mark = "✓" if result.passed else ("✗" if result.answered else "…")
    print(f"{mark} {result.message}")
    return result


def exercise_check(function):
    """Turn a function that returns a message (pass) or raises (hint) into a learner-facing check.

    The wrapped function returns the confirmation text when the answer is right and raises
    :class:`AnswerError` with a hint when it is not. Placeholders and bad answers never escape as
    tracebacks: the wrapper prints one friendly line and returns a :class:`CheckResult`.
    """

    @functools.wraps(function)
    def check(*args, **kwargs):
        # Placeholders first, so an unfinished starter cell is "not yet answered" even when the
        # other arguments would fail validation.
        if any(_holds_placeholder(value) for _, value in _named_arguments(function, args, kwargs)):
            return _emit(CheckResult(False, False, NOT_YET_ANSWERED))
        try:
            message = function(*args, **kwargs)
        except _Placeholder:
            return _emit(CheckResult(False, False, NOT_YET_ANSWERED))
        except AnswerError as hint:
            return _emit(CheckResult(False, True, str(hint)))
        return _emit(CheckResult(True, True, message))

    return check


def _named_arguments(function, args, kwargs):
    import inspect

    try:
        bound = inspect.signature(function).bind_partial(*args, **kwargs)
    except TypeError:  # a wrong call is reported by the function itself
        return []
    return list(bound.arguments.items())


def answer_array(name: str, value, *, shape=None, ndim=None, dtype=float) -> np.ndarray:
    """The learner's array as numpy, or an :class:`AnswerError` naming what was expected.

    ``shape`` may contain ``None`` for any length.
    """
    if is_placeholder(value):
        raise _Placeholder(name)
    if callable(value) or isinstance(value, (str, bytes, dict)):
        raise AnswerError(f"`{name}` should be an array of numbers, got {type(value).__name__}.")
    try:
        array = np.asarray(value.detach().cpu().numpy() if hasattr(value, "detach") else value,
                           dtype=dtype)
    except (TypeError, ValueError):
        raise AnswerError(f"`{name}` should be an array of numbers, got {type(value).__name__}.") from None
    if ndim is not None and array.ndim != ndim:
        raise AnswerError(f"`{name}` should have {ndim} dimension(s), got shape {array.shape}.")
    if shape is not None and (array.ndim != len(shape) or any(
            want is not None and want != got for want, got in zip(shape, array.shape, strict=True))):
        wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        raise AnswerError(f"`{name}` should have shape {wanted}, got {array.shape}.")
    if dtype is float and not np.all(np.isfinite(array)):
        raise AnswerError(f"`{name}` contains NaN or infinite values.")
    return array


def answer_number(name: str, value) -> float:
    """The learner's scalar as a float (a 0-d or one-element array or tensor is accepted)."""
    if isinstance(value, bool):
        raise AnswerError(f"`{name}` should be a number, got a bool ({value}).")
    array = answer_array(name, value)
    if array.size != 1:
        raise AnswerError(f"`{name}` should be a single number, got shape {array.shape}.")
    return float(array.reshape(()))


def answer_number_pairs(name: str, table, pair_names: str) -> dict:
    """The learner's ``{key: (a, b)}`` table with every value checked as a pair of numbers.

    ``pair_names`` names the two numbers in the message (``"train accuracy, test accuracy"``).
    The caller checks the keys (they differ per exercise).
    """
    out = {}
    for key, pair in table.items():
        label = f"{name}[{key:g}]" if isinstance(key, float) else f"{name}[{key}]"
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise AnswerError(f"`{label}` should be a pair ({pair_names}).")
        out[key] = [answer_number(label, v) for v in pair]
    return out


def answer_function(name: str, value):
    """The learner's function, wrapped so that calling it turns any exception inside it into
    feedback (an :class:`AnswerError`) instead of a traceback; an :class:`AnswerError` at once
    when ``value`` is not a function."""
    if is_placeholder(value):
        raise _Placeholder(name)
    if not callable(value):
        raise AnswerError(f"`{name}` should be a function, got {type(value).__name__}.")

    def call(*args):
        try:
            return value(*args)
        except NotImplementedError:
            raise _Placeholder(name) from None
        except Exception as error:  # noqa: BLE001 - any error in the learner's code is feedback
            raise AnswerError(f"calling `{name}` raised {type(error).__name__}: {error}") from None

    return call
