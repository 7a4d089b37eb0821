"""The GAN checkpoints shipped in dglab/checkpoints/ and the script that makes them.

Loading a shipped file gives the same weights everywhere, so its recorded quality is checked
within a small tolerance (sampling still rounds per CPU). Retraining gives bit-identical weights
only on the CPU kind that made the files: that is ``make_gan_checkpoints.py --verify``, not a
test (``tests/test_gan_recipes.py`` checks that the recipes reach the chapters' claims anywhere).
"""

import json

import numpy as np
import pytest
import torch

from coursetools import course
from dglab import recipes
from dglab.checkpoints import (
    CHECKPOINT_INDEX,
    CHECKPOINTS,
    checkpoint_info,
    load_checkpoint,
    weights_checksum,
)
from dglab.gan import GANModel, training_config_of

MAX_TOTAL_BYTES = 5 * 2**20
RING_NAMES = [f"gan_ring_latent{d}" for d in (1, 2, 4, 8, 16, 32)]


@pytest.fixture(scope="module")
def script():
    return course.load_script("make_gan_checkpoints")


@pytest.fixture(scope="module")
def index():
    return checkpoint_info()


def test_index_lists_every_checkpoint_the_script_makes(index, script):
    assert sorted(index["checkpoints"]) == sorted(script.recipes())
    assert set(RING_NAMES + ["gan_digits"]) == set(index["checkpoints"])


def test_checkpoints_are_small(index):
    files = [CHECKPOINTS / entry["file"] for entry in index["checkpoints"].values()]
    assert all(f.is_file() for f in files)
    assert sum(f.stat().st_size for f in files) + CHECKPOINT_INDEX.stat().st_size <= MAX_TOTAL_BYTES


@pytest.mark.parametrize("name", RING_NAMES + ["gan_digits"])
def test_checkpoint_loads_with_weights_only_and_matches_its_recipe(index, name):
    entry = index["checkpoints"][name]
    state = torch.load(CHECKPOINTS / entry["file"], map_location="cpu", weights_only=True)
    recipe = entry["recipe"]
    gan = load_checkpoint(name)
    assert isinstance(gan, GANModel) and gan.steps_done == recipe["n_steps"]
    config = gan.config
    assert config.latent_dim == recipe["gan"]["latent_dim"]
    assert training_config_of(state).lr == recipe["gan"]["lr"]
    assert state["random_state"] == recipe["random_state"]
    # the saved tensors have the shapes the configuration implies
    data_dim = 2 if name.startswith("gan_ring") else 64
    first, last = "net.0.weight", f"net.{2 * config.n_layers}.weight"
    assert state["generator"][first].shape == (config.hidden, config.latent_dim)
    assert state["generator"][last].shape == (data_dim, config.hidden)
    assert state["discriminator"][first].shape == (config.hidden, data_dim)
    assert state["discriminator"][last].shape == (1, config.hidden)
    # and they are bit for bit the weights the script recorded
    assert weights_checksum(gan) == entry["weights_sha256"]


@pytest.mark.parametrize("name", RING_NAMES)
def test_ring_checkpoints_reproduce_their_recorded_coverage(index, script, name):
    quality = script.ring_quality(load_checkpoint(name))
    recorded = index["checkpoints"][name]["quality"]
    assert quality["modes_covered"] == recorded["modes_covered"]
    assert quality["high_quality"] == pytest.approx(recorded["high_quality"], abs=0.01)


def test_shipped_latent2_ring_gan_covers_all_modes():
    # what chapters 5 and 6 show of it, measured on the loaded weights (not read from the index)
    coverage = recipes.ring_coverage(load_checkpoint("gan_ring_latent2"))
    assert coverage.n_covered == 8 and coverage.high_quality >= 0.9, coverage


def test_digits_checkpoint_reproduces_its_recorded_distance(index, script):
    quality = script.digits_quality(load_checkpoint("gan_digits"))
    recorded = index["checkpoints"]["gan_digits"]["quality"]
    assert quality["frechet_distance"] == pytest.approx(recorded["frechet_distance"], rel=0.02)


def test_unknown_checkpoint_is_a_clear_error():
    with pytest.raises(ValueError, match="no shipped checkpoint 'gan_moon'; available: gan_digits"):
        load_checkpoint("gan_moon")


def test_the_script_trains_deterministically(script):
    # the same recipe twice, shortened: bit-identical weights
    first = script.train_ring(latent_dim=2, n_steps=40)
    second = script.train_ring(latent_dim=2, n_steps=40)
    assert weights_checksum(first) == weights_checksum(second)
    np.testing.assert_array_equal(first.sample(10, random_state=0), second.sample(10, random_state=0))
    assert weights_checksum(script.train_ring(latent_dim=4, n_steps=40)) != weights_checksum(first)


def test_verify_compares_retrained_weights_bit_for_bit(script, monkeypatch, tmp_path, capsys):
    # --verify (valid on the CPU kind that made the files) retrains and compares checksums
    short = {"tiny": (lambda: script.train_ring(latent_dim=2, n_steps=5), script.ring_quality, {})}
    monkeypatch.setattr(script, "recipes", lambda: short)
    index_path = tmp_path / "index.json"
    monkeypatch.setattr(script, "CHECKPOINT_INDEX", index_path)
    checksum = weights_checksum(short["tiny"][0]())
    for recorded, expected_status in [(checksum, 0), ("0" * 64, 1)]:
        index_path.write_text(json.dumps({"checkpoints": {"tiny": {
            "weights_sha256": recorded, "cpu": script.cpu_kind()}}}))
        assert script.main(["--verify"]) == expected_status
    assert "tiny: DIFFERENT weights" in capsys.readouterr().out
    assert not (CHECKPOINTS / "tiny.pt").exists()  # --verify writes nothing
