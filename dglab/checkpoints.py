"""The trained GANs shipped with dglab: their registry, checksums and loader.

``scripts/make_gan_checkpoints.py`` trains each recipe of :mod:`dglab.recipes`, saves the weights
under ``dglab/checkpoints/`` and records in ``gan_checkpoints.json`` the recipe, the SHA-256 of the
weights and the quality measured right after training; chapters load them by name instead of
training for minutes (``tests/test_gan_checkpoints.py`` retrains short versions and checks them).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from torch import nn

from dglab.gan import GANModel, GANTrainer

__all__ = ["CHECKPOINTS", "CHECKPOINT_INDEX", "weights_checksum", "checkpoint_info", "load_checkpoint"]

#: Where ``scripts/make_gan_checkpoints.py`` writes the shipped weights and their metadata.
CHECKPOINTS = Path(__file__).resolve().parent / "checkpoints"
CHECKPOINT_INDEX = CHECKPOINTS / "gan_checkpoints.json"


def weights_checksum(gan: GANModel | GANTrainer) -> str:
    """SHA-256 of both networks' weights (names, shapes and bytes, in a fixed order).

    ``gan`` is a :class:`~dglab.gan.GANModel` or the trainer of one. Two GANs have the same
    checksum exactly when their weights are bit-identical, whatever the file they were saved in.
    """
    model = gan.model if isinstance(gan, GANTrainer) else gan
    if not isinstance(model, GANModel):
        raise TypeError(f"gan must be a GANModel or a GANTrainer, got {type(gan).__name__}")
    digest = hashlib.sha256()
    modules: tuple[tuple[str, nn.Module], ...] = (("generator", model.generator),
                                                  ("discriminator", model.discriminator))
    for prefix, module in modules:
        for name, tensor in sorted(module.state_dict().items()):
            array = tensor.detach().cpu().contiguous().numpy()
            digest.update(f"{prefix}.{name}:{array.dtype}:{array.shape}".encode())
            digest.update(array.tobytes())
    return digest.hexdigest()


def checkpoint_info() -> dict:
    """The metadata of every shipped checkpoint (recipe, checksum, measured quality)."""
    if not CHECKPOINT_INDEX.is_file():
        raise FileNotFoundError(
            f"{CHECKPOINT_INDEX} is missing; run scripts/make_gan_checkpoints.py to create it"
        )
    return json.loads(CHECKPOINT_INDEX.read_text(encoding="utf-8"))


def load_checkpoint(name: str, device=None) -> GANModel:
    """A shipped, trained GAN by name, e.g. ``"gan_ring_latent2"`` or ``"gan_digits"``.

    Returns the two networks (a :class:`~dglab.gan.GANModel`: ``sample``, ``discriminate``,
    ``generator``, ``discriminator``, ``steps_done``); the recipe is in :func:`checkpoint_info`.
    """
    info = checkpoint_info()["checkpoints"]
    if name not in info:
        raise ValueError(f"no shipped checkpoint {name!r}; available: {', '.join(sorted(info))}")
    return GANModel.load(CHECKPOINTS / info[name]["file"], device=device)
