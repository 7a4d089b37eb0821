"""Checks for the exercises of chapter 5 (GANs)."""

from __future__ import annotations

import numpy as np
import torch
from scipy.spatial import cKDTree

from ._feedback import AnswerError, answer_array, answer_number, exercise_check

__all__ = ["check_saturation", "check_nearest_distances"]


def _gradient_norm(generator, discriminator, z, logit_weight):
    """Norm of d/d(generator parameters) of mean_i f(s_i), given f'(s) in closed form.

    The losses' derivatives with respect to the discriminator's logit s are written out
    (d/ds log(1 - sigmoid(s)) = -sigmoid(s), d/ds softplus(-s) = -(1 - sigmoid(s))), so autograd
    only differentiates the networks, not the learner's loss expression.
    """
    parameters = [p for p in generator.parameters() if p.requires_grad]
    logits = discriminator(generator(z)).reshape(-1)
    weights = logit_weight(torch.sigmoid(logits.detach())) / logits.numel()
    grads = torch.autograd.grad((weights * logits).sum(), parameters)
    return float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))


@exercise_check
def check_saturation(norm_minimax, norm_non_saturating, generator, discriminator, z):
    """Check the generator's gradient norms under the minimax and the non-saturating losses.

    Parameters
    ----------
    norm_minimax, norm_non_saturating : float
        The learner's gradient norms (over all generator parameters) of
        ``mean log(1 - D(G(z)))`` and ``mean -log D(G(z))``.
    generator, discriminator : torch.nn.Module
        The fresh generator and the trained discriminator (which returns logits).
    z : torch.Tensor of shape (batch, noise_dim)
        The noise batch used.

    Returns
    -------
    CheckResult
    """
    got_minimax = answer_number("norm_minimax", norm_minimax)
    got_non_saturating = answer_number("norm_non_saturating", norm_non_saturating)
    if not isinstance(generator, torch.nn.Module) or not isinstance(discriminator, torch.nn.Module):
        raise AnswerError("`generator` and `discriminator` should be the torch modules you used "
                          "(`fresh.generator`, `ring_gans[2].discriminator`).")
    if not isinstance(z, torch.Tensor):
        raise AnswerError(f"`z` should be the torch tensor of noise you used, got {type(z).__name__}.")
    minimax = _gradient_norm(generator, discriminator, z, lambda d: -d)
    non_saturating = _gradient_norm(generator, discriminator, z, lambda d: -(1 - d))
    n = len(z)
    for got, reference, other, name in [(got_minimax, minimax, non_saturating, "minimax"),
                                        (got_non_saturating, non_saturating, minimax, "non-saturating")]:
        if np.isclose(got, reference, rtol=1e-3):
            continue
        if np.isclose(got, other, rtol=1e-3):
            raise AnswerError(f"your {name} norm is the other loss's: minimax is log(1 - D(G(z))), "
                              "non-saturating is -log D(G(z)).")
        if np.isclose(got, n * reference, rtol=1e-3):
            raise AnswerError(f"your {name} norm is {n} times too large: average the loss over the "
                              "batch (`.mean()`), do not sum it.")
        raise AnswerError(f"your {name} norm {got:.3g} differs from the reference {reference:.3g}; "
                          "differentiate with respect to the *generator's* parameters "
                          "(`torch.autograd.grad(loss, list(generator.parameters()))`).")
    # no numbers in the message: they depend on float order, and the reference run compares text
    larger = "larger" if non_saturating > minimax else "not larger"
    return ("both norms match the reference (the losses' derivatives in closed form, autograd "
            f"through the networks); the non-saturating gradient is {larger}.")


@exercise_check
def check_nearest_distances(gan_nn, real_nn, X_train, gan_samples, real_samples):
    """Check nearest-training-digit distances of GAN samples and held-out digits.

    Parameters
    ----------
    gan_nn, real_nn : arrays of shape (n,)
        The learner's Euclidean distances from each GAN sample / held-out digit to its nearest
        training digit.
    X_train : array of shape (n_train, 64)
    gan_samples, real_samples : arrays of shape (n, 64)
        The points that were queried (e.g. ``shipped_samples[:500]`` and ``X_test[:500]``).

    Returns
    -------
    CheckResult
    """
    X_train = answer_array("X_train", X_train, ndim=2)
    tree = cKDTree(X_train)  # SciPy's k-d tree, not scikit-learn's NearestNeighbors
    for name, got, queried in [("gan_nn", gan_nn, gan_samples), ("real_nn", real_nn, real_samples)]:
        queried = answer_array(name.replace("_nn", "_samples"), queried, shape=(None, X_train.shape[1]))
        got = answer_array(name, got)
        if got.ndim == 2 and got.shape[1] == 1:
            got = got.ravel()
        if got.shape != (len(queried),):
            raise AnswerError(f"`{name}` should hold one distance per queried point ({len(queried)}), "
                              f"got shape {got.shape}; `kneighbors` returns (distances, indices).")
        reference = tree.query(queried, k=1)[0]
        if np.allclose(got, reference, rtol=1e-6, atol=1e-6):
            continue
        if np.allclose(got, reference**2, rtol=1e-6, atol=1e-6):
            raise AnswerError(f"`{name}` holds squared distances; take the square root.")
        if np.allclose(got, 0):
            raise AnswerError(f"`{name}` is all zeros: the index contains the points you query; fit it "
                              "on `X_train` only.")
        if np.all(np.equal(np.mod(got, 1), 0)) and got.max() < len(X_train):
            raise AnswerError(f"`{name}` looks like indices: `kneighbors` returns (distances, indices), "
                              "take `[0]`.")
        raise AnswerError(f"`{name}` differs from the distances to the nearest training digit "
                          "(fit the index on `X_train`, query the samples).")
    return "both sets of nearest-training-digit distances match SciPy's k-d tree."
