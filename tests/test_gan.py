import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dglab import recipes
from dglab.coverage import mode_coverage
from dglab.data import ring_centers, ring_of_gaussians
from dglab.gan import (
    Discriminator,
    GANConfig,
    GANModel,
    GANRecipe,
    GANTrainer,
    GANTrainingConfig,
    Generator,
    discriminator_loss,
    generator_loss,
)
from dglab.training import History

# The recipe the chapters, the benchmark and the shipped checkpoints use on the ring.
RING = recipes.RING
HQ_RADIUS = 0.06  # three standard deviations of the ring's Gaussians


@pytest.fixture(scope="module")
def ring():
    X, _ = ring_of_gaussians(4096, random_state=0)
    return X


def _tiny(X, n_steps=None, *, random_state=0, latent_dim=2, n_layers=1, **training) -> GANTrainer:
    """A small GAN's trainer on ``X`` (trained ``n_steps`` steps if given)."""
    model = GANModel(GANConfig(data_dim=2, latent_dim=latent_dim, hidden=16, n_layers=n_layers),
                     random_state=random_state)
    config = GANTrainingConfig(**({"batch_size": 32} | training))
    trainer = GANTrainer(model, X, config, random_state=random_state)
    if n_steps is not None:
        trainer.train(n_steps, progress=False)
    return trainer


# -- the networks -------------------------------------------------------------------------------
def test_networks_have_the_configured_shapes():
    config = GANConfig(data_dim=5, latent_dim=3, hidden=7, n_layers=2)
    G, D = Generator(config), Discriminator(config)
    assert G(torch.zeros(4, 3)).shape == (4, 5)
    assert D(torch.zeros(4, 5)).shape == (4,)
    linears = [m for m in G.net if isinstance(m, torch.nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(3, 7), (7, 7), (7, 5)]
    sig = Generator(GANConfig(data_dim=5, latent_dim=3, output="sigmoid"))
    out = sig(10 * torch.randn(100, 3))
    assert out.min() >= 0 and out.max() <= 1


def test_discriminator_outputs_logits_not_probabilities():
    D = Discriminator(GANConfig(data_dim=2))
    assert not any(isinstance(m, torch.nn.Sigmoid) for m in D.modules())
    with torch.no_grad():
        logits = D(100 * torch.randn(1000, 2))
    assert logits.min() < 0 or logits.max() > 1  # unbounded scores


# -- the losses ---------------------------------------------------------------------------------
def test_losses_are_the_cross_entropies_written_with_softplus():
    real, fake = torch.randn(50) * 3, torch.randn(50) * 3
    # -log sigmoid(l) = softplus(-l);  -log(1 - sigmoid(l)) = softplus(l)
    torch.testing.assert_close(generator_loss(fake), F.softplus(-fake).mean())
    torch.testing.assert_close(discriminator_loss(real, fake),
                               F.softplus(-real).mean() + F.softplus(fake).mean())
    # and against the textbook formula with probabilities, where it is still accurate
    D_fake = torch.sigmoid(fake.double())
    torch.testing.assert_close(generator_loss(fake.double()), -torch.log(D_fake).mean())


def test_losses_stay_finite_for_extreme_logits():
    extreme = torch.tensor([-200.0, 200.0])
    assert torch.isfinite(generator_loss(extreme))
    assert torch.isfinite(discriminator_loss(extreme, extreme))
    # Sigmoid + BCELoss would clamp log(0); the logit form is exact: softplus(200) = 200
    assert generator_loss(torch.tensor([-200.0])).item() == pytest.approx(200.0)


def test_non_saturating_gradient_stays_large_when_d_rejects_fakes():
    # early in training D(G(z)) ~ 0: the minimax loss log(1 - D) has a vanishing gradient,
    # the non-saturating loss -log D does not
    logit = torch.tensor([-8.0], requires_grad=True)
    generator_loss(logit).backward()
    non_saturating = logit.grad.item()
    logit.grad = None
    torch.log1p(-torch.sigmoid(logit)).mean().backward()
    saturating = logit.grad.item()
    assert non_saturating == pytest.approx(-(1 - torch.sigmoid(torch.tensor(-8.0)).item()))
    assert abs(non_saturating) > 0.99 and abs(saturating) < 1e-3


def test_generator_step_minimises_softplus_of_minus_d_of_g(ring):
    gan = _tiny(ring, 5)
    z = torch.randn(64, 2, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = F.softplus(-gan.discriminator(gan.generator(z))).mean().item()
    before = [p.detach().clone() for p in gan.generator.parameters()]
    d_before = [p.detach().clone() for p in gan.discriminator.parameters()]
    out = gan.generator_step(z)
    assert out["g_loss"] == pytest.approx(expected, rel=1e-6)
    # G moved, D did not
    assert any(not torch.equal(a, b) for a, b in zip(before, gan.generator.parameters(), strict=True))
    assert all(torch.equal(a, b) for a, b in zip(d_before, gan.discriminator.parameters(), strict=True))


def test_discriminator_step_leaves_the_generator_alone(ring):
    gan = _tiny(ring, 5)
    x = torch.as_tensor(ring[:64], dtype=torch.float32)
    z = torch.randn(64, 2, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        real, fake = gan.discriminator(x), gan.discriminator(gan.generator(z))
        expected = (F.softplus(-real).mean() + F.softplus(fake).mean()).item()
    g_before = [p.detach().clone() for p in gan.generator.parameters()]
    out = gan.discriminator_step(x, z)
    assert out["d_loss"] == pytest.approx(expected, rel=1e-6)
    assert out["d_real"] == pytest.approx(torch.sigmoid(real).mean().item(), rel=1e-6)
    assert out["d_fake"] == pytest.approx(torch.sigmoid(fake).mean().item(), rel=1e-6)
    assert all(torch.equal(a, b) for a, b in zip(g_before, gan.generator.parameters(), strict=True))


# -- training -----------------------------------------------------------------------------------
def test_train_records_a_history(ring):
    gan = _tiny(ring, batch_size=64)
    history = gan.train(30, progress=False, record_every=10)
    assert history is gan.history_ and isinstance(history, History)
    assert history.steps == [0, 10, 20, 29]
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.all(np.isfinite(history[key]))
    assert np.all((history["d_real"] > 0) & (history["d_real"] < 1))
    assert gan.steps_done == 30 and gan.model.steps_done == 30


def test_initialisation_draws_the_generator_then_the_discriminator_from_the_seed():
    config = GANConfig(data_dim=2, hidden=16, n_layers=1)
    model = GANModel(config, random_state=5)
    torch.manual_seed(5)
    G, D = Generator(config), Discriminator(config)
    for mine, reference in ((model.generator, G), (model.discriminator, D)):
        for a, b in zip(mine.parameters(), reference.parameters(), strict=True):
            assert torch.equal(a, b)


def test_untrained_generator_produces_nothing_like_the_ring(ring):
    gan = _tiny(ring, 1)
    coverage = mode_coverage(gan.sample(2000, random_state=0), ring_centers(), HQ_RADIUS)
    assert coverage.n_covered == 0 and coverage.high_quality < 0.01


def test_fixed_seed_reproduces_samples_and_history(ring):
    a = _tiny(ring, 40, batch_size=64)
    torch.rand(10)  # global random state in between must not matter
    b = _tiny(ring, 40, batch_size=64)
    np.testing.assert_array_equal(a.sample(100, random_state=3), b.sample(100, random_state=3))
    np.testing.assert_array_equal(a.history_["g_loss"], b.history_["g_loss"])
    c = _tiny(ring, 40, batch_size=64, random_state=1)
    assert not np.array_equal(a.sample(100, random_state=3), c.sample(100, random_state=3))
    # sample's own seed: same noise every call, different noise for another seed
    assert not np.array_equal(a.sample(100, random_state=3), a.sample(100, random_state=4))


def test_calling_train_again_continues_the_same_run(ring):
    one_go = _tiny(ring, 40, batch_size=64)
    halves = _tiny(ring, 20, batch_size=64)
    halves.train(20, progress=False)
    assert halves.steps_done == 40 and halves.history_.steps == list(range(40))
    np.testing.assert_array_equal(one_go.sample(50, random_state=0), halves.sample(50, random_state=0))
    restart = _tiny(ring, 20, batch_size=64)  # a new trainer starts afresh
    assert restart.steps_done == 20
    assert not np.array_equal(restart.sample(50, random_state=0), halves.sample(50, random_state=0))


def test_learning_rates_follow_the_linear_decay_and_the_discriminator_rate(ring):
    gan = _tiny(ring, lr=1e-3, d_lr=4e-4, lr_decay_steps=100)
    assert [gan.config.lr_decay(s) for s in (0, 25, 100, 150)] == [1.0, 0.75, 0.0, 0.0]
    gan.train(30, progress=False)
    # the last step taken was step 29
    assert gan.g_optimizer.param_groups[0]["lr"] == pytest.approx(1e-3 * (1 - 29 / 100))
    assert gan.d_optimizer.param_groups[0]["lr"] == pytest.approx(4e-4 * (1 - 29 / 100))
    constant = _tiny(ring, 5, lr=1e-3)
    assert constant.d_optimizer.param_groups[0]["lr"] == 1e-3


def test_continued_training_follows_the_same_learning_rate_schedule(ring):
    one_go = _tiny(ring, 40, batch_size=64, lr_decay_steps=40)
    halves = _tiny(ring, 25, batch_size=64, lr_decay_steps=40)
    halves.train(15, progress=False)
    np.testing.assert_array_equal(one_go.sample(50, random_state=0), halves.sample(50, random_state=0))


def test_sampling_without_a_seed_uses_torch_global_generator(ring):
    gan = _tiny(ring, 5)
    torch.manual_seed(0)
    a = gan.sample(10)
    torch.manual_seed(0)
    np.testing.assert_array_equal(a, gan.sample(10))


def test_save_and_load_round_trip(ring, tmp_path):
    gan = _tiny(ring, 10, latent_dim=3, n_layers=2)
    path = gan.save(tmp_path / "gan.pt")
    state = torch.load(path, weights_only=True)  # plain tensors and numbers only
    assert state["config"] == {"data_dim": 2, "latent_dim": 3, "hidden": 16, "n_layers": 2,
                               "output": "linear"}
    assert state["lr"] == gan.config.lr and state["d_lr"] is None and state["lr_decay_steps"] is None
    loaded = GANModel.load(path)
    assert loaded.steps_done == 10 and loaded.config.latent_dim == 3
    np.testing.assert_array_equal(loaded.sample(20, random_state=0), gan.sample(20, random_state=0))
    np.testing.assert_array_equal(loaded.discriminate(ring[:5]), gan.discriminate(ring[:5]))


def test_loading_draws_nothing_from_torch_global_generator(ring, tmp_path):
    path = _tiny(ring, 2).save(tmp_path / "gan.pt")
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    GANModel.load(path)
    assert torch.equal(torch.rand(3), expected)


def test_device_defaults_to_cuda_when_present(ring):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert RING.trainer(ring).model.device.type == expected
    trainer = RING.trainer(ring, device="cpu")
    assert trainer.model.device.type == "cpu" and trainer.data.device.type == "cpu"


def test_training_leaves_torch_thread_setting_alone(ring):
    before = torch.get_num_threads()
    _tiny(ring, 2)
    assert torch.get_num_threads() == before


def test_a_recipe_trains_the_same_networks_as_the_trainer_by_hand(ring):
    recipe = GANRecipe(latent_dim=2, hidden=16, n_layers=1, n_steps=7,
                       training=GANTrainingConfig(batch_size=32, lr=1e-3, lr_decay_steps=10))
    by_recipe = recipe.train(ring, 4, progress=False)
    by_hand = _tiny(ring, 7, random_state=4, lr=1e-3, lr_decay_steps=10)
    assert by_recipe.steps_done == 7
    np.testing.assert_array_equal(by_recipe.sample(20, random_state=0), by_hand.sample(20, random_state=0))
    assert recipe.replace(d_lr=1e-4, n_steps=3).training.d_lr == 1e-4
    assert recipe.settings() == {"latent_dim": 2, "hidden": 16, "n_layers": 1, "lr": 1e-3,
                                 "lr_decay_steps": 10}


def _textbook_training(gan: GANTrainer, n_steps: int) -> None:
    """The steps as they are usually written, independently of GANTrainer.step: G's points
    detached after a full forward pass, G's loss backpropagated into D's weights too, Adam with
    torch's defaults (one call per tensor on the CPU), the linear decay applied by hand."""
    config = gan.config
    g_adam = torch.optim.Adam(gan.generator.parameters(), lr=config.lr, betas=config.betas)
    d_adam = torch.optim.Adam(gan.discriminator.parameters(), lr=config.lr, betas=config.betas)
    for i in range(n_steps):
        for optimizer in (g_adam, d_adam):
            optimizer.param_groups[0]["lr"] = config.lr * max(0.0, 1 - i / config.lr_decay_steps)
        index = torch.randint(len(gan.data), (config.batch_size,), generator=gan.rng)
        z = torch.randn(config.batch_size, gan.model.config.latent_dim, generator=gan.rng)
        real, fake = gan.discriminator(gan.data[index]), gan.discriminator(gan.generator(z).detach())
        d_adam.zero_grad()
        (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
         + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))).backward()
        d_adam.step()
        z = torch.randn(config.batch_size, gan.model.config.latent_dim, generator=gan.rng)
        fake = gan.discriminator(gan.generator(z))
        g_adam.zero_grad()
        F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake)).backward()
        g_adam.step()


@pytest.mark.parametrize("n_layers", [1, 3])
def test_the_step_gives_bit_identical_weights_to_the_textbook_step(ring, n_layers):
    # GANTrainer.step saves work (no graph through G in D's step, no gradients for D's weights in
    # G's step, foreach Adam); the shipped checkpoints need it to compute exactly the same numbers
    fast = _tiny(ring, n_layers=n_layers, lr=2e-3, lr_decay_steps=40)
    textbook = _tiny(ring, n_layers=n_layers, lr=2e-3, lr_decay_steps=40)
    fast.train(30, progress=False)
    _textbook_training(textbook, 30)
    for a, b in zip(fast.model.state_dict().values(), textbook.model.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    # and the discriminator is trainable again after the generator's step
    assert all(p.requires_grad for p in fast.discriminator.parameters())


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "X, match",
    [
        (np.array([[0.0, np.nan]] * 10), "NaN"),
        (np.array([[0.0, np.inf]] * 10), "infinity"),
        (np.zeros(10), "Expected 2D array"),
        (np.zeros((10, 3)), "3 features but the GAN was built for data_dim=2"),
        (np.zeros((1, 2)), "minimum of 2"),
    ],
)
def test_bad_data_gets_a_clear_error(X, match):
    with pytest.raises(ValueError, match=match):
        _tiny(X, batch_size=1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(latent_dim=0), "latent_dim must be an integer >= 1"),
        (dict(latent_dim=1.5), "latent_dim must be an integer >= 1"),
        (dict(n_layers=0), "n_layers"),
        (dict(lr=0.0), "lr must be a finite number > 0"),
        (dict(lr=np.nan), "lr must be a finite number > 0"),
        (dict(d_lr=-1.0), "d_lr must be a finite number > 0"),
        (dict(lr_decay_steps=0), "lr_decay_steps"),
        (dict(betas=(0.5, 1.0)), "betas"),
        (dict(betas=(0.5,)), "betas"),
        (dict(g_loss="wasserstein"), "g_loss must be one of"),
        (dict(random_state=1.5), "random_state"),
    ],
)
def test_bad_hyper_parameters_get_a_clear_error(ring, kwargs, match):
    with pytest.raises(ValueError, match=match):
        _tiny(ring, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden=0), "hidden"),
    (dict(data_dim=0), "data_dim"),
    (dict(output="tanh"), "output must be one of"),
])
def test_bad_sizes_get_a_clear_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GANConfig(**({"data_dim": 2} | kwargs))


def test_bad_trainer_arguments_get_a_clear_error(ring):
    model = GANModel(GANConfig(data_dim=2), random_state=0)
    with pytest.raises(ValueError, match="n_threads"):
        GANTrainer(model, ring, n_threads=0)
    with pytest.raises(TypeError, match="config must be a GANTrainingConfig"):
        GANTrainer(model, ring, {"batch_size": 8})
    with pytest.raises(TypeError, match="model must be a GANModel"):
        GANTrainer(model.generator, ring)
    with pytest.raises(TypeError, match="callbacks must be a callable"):
        GANTrainer(model, ring).train(1, progress=False, callbacks=[3])


@pytest.mark.parametrize(
    "n_steps, batch_size, match",
    [
        (0, 8, "n_steps must be an integer >= 1"),
        (2.5, 8, "n_steps must be an integer >= 1"),
        (1, 0, "batch_size must be an integer >= 1"),
        (1, 5000, "batch_size=5000 is larger than the number of samples"),
    ],
)
def test_bad_training_settings_get_a_clear_error(ring, n_steps, batch_size, match):
    with pytest.raises(ValueError, match=match):
        _tiny(ring, n_steps, batch_size=batch_size)


def test_sampling_with_bad_n_is_an_error(ring):
    gan = _tiny(ring, 1, batch_size=8)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        gan.sample(0)
    with pytest.raises(ValueError, match="random_state"):
        gan.sample(5, random_state="seed")


# -- diverging training and wrong feature counts (issue 24) -------------------------------------------
@pytest.mark.parametrize("kwargs, named", [
    (dict(lr=1e6), "the learning rate was 1e+06"),
    (dict(lr=10.0), "the learning rate was 10"),
    (dict(lr=1e-3, d_lr=1e3), "d_lr was 1e+03"),
])
def test_diverging_training_stops_naming_the_learning_rate(ring, kwargs, named):
    from dglab.training import TrainingDiverged

    with pytest.raises(TrainingDiverged, match=re.escape(named)) as caught:
        _tiny(ring, 50, batch_size=64, **kwargs)
    assert "training diverged at step" in str(caught.value)
    assert "limit 100" in str(caught.value) or "nan" in str(caught.value)


def test_a_sane_learning_rate_stays_far_below_the_loss_limit(ring):
    from dglab.gan import LOSS_LIMIT

    gan = RING.train(ring, 0, n_steps=300, progress=False)
    assert max(gan.history_["d_loss"].max(), gan.history_["g_loss"].max()) < LOSS_LIMIT / 5


def test_discriminate_with_the_wrong_feature_count_names_the_expected_count(ring):
    gan = _tiny(ring, 2)
    with pytest.raises(ValueError, match="X has 3 features but the discriminator expects data_dim=2"):
        gan.discriminate(np.zeros((4, 3)))
    assert gan.discriminate(ring[:4]).shape == (4,)
