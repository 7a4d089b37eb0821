"""Checks for the exercises of chapter 16 (the neural-network and PyTorch primer)."""

from __future__ import annotations

import copy

import numpy as np
import torch

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_finite_difference", "check_accumulated_gradients"]


def _first_layer(model):
    """``model.layers[0]``, the MLP's first ``nn.Linear``, or an :class:`AnswerError`."""
    if not isinstance(model, torch.nn.Module):
        raise AnswerError(f"`model` should be the chapter's MLP (a torch nn.Module), got {type(model).__name__}.")
    layer = getattr(model, "layers", None)
    try:
        layer = layer[0]
    except (TypeError, IndexError, KeyError):
        layer = None
    if not isinstance(layer, torch.nn.Linear):
        raise AnswerError("`model` should be the chapter's MLP: its `layers[0]` should be an nn.Linear.")
    return layer


def _data(X, y):
    if not isinstance(X, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise AnswerError("`X` and `y` should be torch tensors (X_train and y_train), "
                          f"got {type(X).__name__} and {type(y).__name__}.")
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise AnswerError(f"`X` should be (n, 64) and `y` (n,), got {tuple(X.shape)} and {tuple(y.shape)}.")
    return X, y


def _loss(model, X, y):
    try:
        return torch.nn.functional.cross_entropy(model(X), y)
    except Exception as error:  # noqa: BLE001 - a model that cannot run on the data is feedback
        raise AnswerError(f"the loss of `model` on (X, y) could not be computed: "
                          f"{type(error).__name__}: {error}") from None


def _loss_at_bias(model, X, y, value):
    """The mean cross-entropy with ``layers[0].bias[0]`` set to ``value`` (on a float64 copy)."""
    with torch.no_grad():
        _first_layer(model).bias[0] = value
        return _loss(model, X, y).item()


@exercise_check
def check_finite_difference(g_auto, g_numeric, model, X, y, h=1e-6):
    """Check autograd's and the centred finite difference's derivative with respect to a bias.

    Parameters
    ----------
    g_auto : float
        d loss / d ``model.layers[0].bias[0]`` by autograd.
    g_numeric : float
        The centred difference ``(loss(b + h) - loss(b - h)) / (2 h)``.
    model : nn.Module
        The chapter's MLP (the float64 copy the derivatives were computed on).
    X, y : tensors
        The training inputs and labels; the loss is ``F.cross_entropy(model(X), y)``.
    h : float
        The step of the finite difference.

    Returns
    -------
    CheckResult
    """
    h = answer_number("h", h)
    if not h > 0:
        raise AnswerError(f"the step `h` should be a small positive number, got {h:g}.")
    layer = _first_layer(model)
    X, y = _data(X, y)
    # the independent reference: autograd on a float64 copy, so the learner's model is untouched
    net = copy.deepcopy(model).double()
    X64 = X.detach().double()
    bias = _first_layer(net).bias
    (full,) = torch.autograd.grad(_loss(net, X64, y), bias)
    reference = full[0].item()
    b = bias[0].item()

    g_auto_array = answer_array("g_auto", g_auto)
    if g_auto_array.shape == tuple(layer.bias.shape) and g_auto_array.size > 1:
        raise AnswerError("`g_auto` is the gradient of the whole bias vector: take its entry [0].")
    g_auto = answer_number("g_auto", g_auto_array)
    g_numeric = answer_number("g_numeric", g_numeric)
    scale = abs(reference) + 1e-12

    if not abs(g_auto - reference) <= 1e-5 * scale + 1e-9:
        if abs(g_auto + reference) <= 1e-5 * scale + 1e-9:
            raise AnswerError("`g_auto` has the wrong sign: it is d loss / d b, not the descent direction -d loss / d b.")
        if abs(g_auto - 2 * reference) <= 1e-5 * scale + 1e-9:
            raise AnswerError("`g_auto` is twice autograd's derivative: `.grad` already held a gradient "
                              "(backward adds to it); clear it with zero_grad() or use torch.autograd.grad.")
        if abs(g_auto - len(y) * reference) <= 1e-4 * len(y) * scale:
            raise AnswerError("`g_auto` is n times too large: the loss is the *mean* cross-entropy "
                              "(F.cross_entropy's default), not the sum.")
        raise AnswerError(f"`g_auto` = {g_auto:.6g} is not autograd's derivative of the mean cross-entropy "
                          f"with respect to model.layers[0].bias[0] ({reference:.6g}).")

    if not abs(g_numeric - reference) <= 1e-5 * scale + 1e-9:
        up, down, here = (_loss_at_bias(net, X64, y, value) for value in (b + h, b - h, b))

        def close(value):
            return abs(g_numeric - value) <= 1e-6 * max(abs(value), scale) + 1e-8

        if close((here - down) / h) or close((up - here) / h):
            raise AnswerError(f"that is a one-sided difference, whose error is O(h) (here {h:g}): "
                              "use the centred (loss(b + h) - loss(b - h)) / 2h, with h = 1e-6.")
        if close((down - up) / (2 * h)):
            raise AnswerError("`g_numeric` has the wrong sign: it is (loss(b + h) - loss(b - h)) / 2h, "
                              "not (loss(b - h) - loss(b + h)) / 2h.")
        if close((up - down) / h):
            raise AnswerError("`g_numeric` is twice the derivative: divide by 2h, the distance between b - h and b + h.")
        if h > 1e-4:
            raise AnswerError(f"the step h = {h:g} is too large: the centred difference is off by O(h^2), "
                              "and a large step can move hidden units across the ReLU's kink. Use h = 1e-6.")
        raise AnswerError(f"`g_numeric` = {g_numeric:.6g} is not the centred difference "
                          f"({reference:.6g} expected): compute both losses in float64 (model.double(), "
                          "X.double()); in float32 the rounding error of the loss, divided by 2h, swamps it.")
    return ("autograd and the centred finite difference agree with each other and with the reference "
            "to better than 1e-5 (relative).")


def _gradient_answer(name, value, shape):
    if isinstance(value, torch.Tensor) and value.is_complex():
        raise AnswerError(f"`{name}` should be a real tensor.")
    return answer_array(name, value, shape=shape)


@exercise_check
def check_accumulated_gradients(once, twice, model, X, y):
    """Check the gradient of ``model.layers[0].weight`` after one and after two ``backward`` calls.

    Parameters
    ----------
    once : tensor
        ``model.layers[0].weight.grad`` after one ``backward`` (a copy: ``.clone()``).
    twice : tensor
        The same ``.grad`` after a second ``backward`` without clearing the gradients.
    model : nn.Module
        The chapter's MLP.
    X, y : tensors
        The inputs and labels of the loss ``F.cross_entropy(model(X), y)``.

    Returns
    -------
    CheckResult
    """
    layer = _first_layer(model)
    X, y = _data(X, y)
    shape = tuple(layer.weight.shape)
    once_is_twice = once is twice
    once = _gradient_answer("once", once, shape)
    twice = _gradient_answer("twice", twice, shape)
    # the independent reference: torch.autograd.grad returns the gradient without touching .grad
    (reference,) = torch.autograd.grad(_loss(model, X, y), layer.weight)
    reference = reference.detach().double().numpy()
    tolerance = 1e-5 * np.abs(reference).max() + 1e-10

    def equals(got, factor):
        return np.allclose(got, factor * reference, rtol=1e-4, atol=tolerance)

    if once_is_twice or (equals(once, 2) and equals(twice, 2)):
        raise AnswerError("`once` already shows the second backward: `.grad` is one tensor that backward "
                          "adds into, so store a copy after the first call (`.grad.clone()`).")
    if not equals(once, 1):
        if equals(once, -1):
            raise AnswerError("`once` has the wrong sign: `.grad` holds d loss / d W, not -d loss / d W.")
        if np.allclose(once, 0):
            raise AnswerError("`once` is all zeros: store it after the first `loss.backward(retain_graph=True)`.")
        raise AnswerError("`once` is not the gradient of one backward: clear the gradients first "
                          "(model.zero_grad()), as stale ones from earlier cells are added to it.")
    if equals(twice, 1):
        raise AnswerError("`twice` equals `once`: the gradients were cleared between the two backward calls "
                          "(zero_grad); leave them, to see what backward does to `.grad`.")
    if equals(twice, 3):
        raise AnswerError("`twice` is three gradients: backward ran three times without zero_grad in between.")
    if not equals(twice, 2):
        raise AnswerError("`twice` is not the gradient after a second backward on the same loss: "
                          "call `loss.backward()` again, without `zero_grad()`, and read `.grad`.")
    return ("the second backward doubled the gradient: backward *adds* to `.grad`, so a loop without "
            "zero_grad would step along the sum of all past gradients.")
