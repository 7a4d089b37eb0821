"""A small generative adversarial network: generator, discriminator, trainer, recipe.

The book's torch idiom, as for the character LSTM (:mod:`dglab.text`): an architecture
dataclass (:class:`GANConfig`), small modules (:class:`Generator`, :class:`Discriminator`,
held together by :class:`GANModel`), a training dataclass (:class:`GANTrainingConfig`), a
trainer (:class:`GANTrainer`, the non-saturating loss on logits through the shared loop
:func:`dglab.training.run_training`) and a recipe (:class:`GANRecipe`). The metric that scores samples against known mode centres,
:func:`mode_coverage`, lives in :mod:`dglab.coverage` (importable from here too); the trained
GANs shipped with the package are loaded by :mod:`dglab.checkpoints`.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.utils.validation import check_array
from torch import nn

from dglab._validation import check_callable, check_int, check_real
from dglab.coverage import ModeCoverage, mode_coverage  # noqa: F401  (re-exported: dglab.gan.mode_coverage)
from dglab.training import History, TrainingDiverged, default_device, run_training, torch_seed

__all__ = [
    "GANConfig",
    "Generator",
    "Discriminator",
    "discriminator_loss",
    "generator_loss",
    "minimax_generator_loss",
    "GENERATOR_LOSSES",
    "GANModel",
    "GANTrainingConfig",
    "GANTrainer",
    "GANRecipe",
    "training_config_of",
    "GANSnapshot",
    "GANSnapshots",
    "discriminator_surface",
    "generator_gradient",
    "latent_grid_lines",
    "ModeCoverage",
    "mode_coverage",
]

OUTPUTS = ("linear", "sigmoid")


@dataclass(frozen=True)
class GANConfig:
    """Sizes of the two networks.

    ``output="sigmoid"`` squashes generated values into (0, 1) (images); ``"linear"`` leaves
    them unbounded (points in the plane).
    """

    data_dim: int
    latent_dim: int = 2
    hidden: int = 128
    n_layers: int = 2
    output: str = "linear"

    def __post_init__(self):
        for name in ("data_dim", "latent_dim", "hidden", "n_layers"):
            check_int(name, getattr(self, name), minimum=1)
        if self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {self.output!r}")


def _mlp(n_in: int, hidden: int, n_layers: int, n_out: int, activation) -> nn.Sequential:
    layers, width = [], n_in
    for _ in range(n_layers):
        layers += [nn.Linear(width, hidden), activation()]
        width = hidden
    return nn.Sequential(*layers, nn.Linear(width, n_out))


class Generator(nn.Module):
    """G: latent noise z -> a data point x = G(z)."""

    def __init__(self, config: GANConfig):
        super().__init__()
        self.config = config
        self.net = _mlp(config.latent_dim, config.hidden, config.n_layers, config.data_dim, nn.ReLU)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.net(z)
        return torch.sigmoid(x) if self.config.output == "sigmoid" else x


class Discriminator(nn.Module):
    """D: a data point x -> the logit of P(x is real); D(x) = sigmoid(logit)."""

    def __init__(self, config: GANConfig):
        super().__init__()
        self.config = config
        # LeakyReLU keeps a gradient flowing back to G even where a unit is switched off.
        self.net = _mlp(config.data_dim, config.hidden, config.n_layers, 1,
                        lambda: nn.LeakyReLU(0.2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """-log D(x) - log(1 - D(G(z))), averaged, computed stably from logits."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating generator loss -log D(G(z)), averaged, from logits."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def minimax_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """The original minimax generator loss log(1 - D(G(z))), averaged, from logits.

    It saturates: its gradient vanishes where D confidently rejects the generated points.
    """
    return -F.softplus(fake_logits).mean()


#: The generator losses a :class:`GANTrainer` can train with (``GANTrainingConfig.g_loss``).
GENERATOR_LOSSES = {"non-saturating": generator_loss, "minimax": minimax_generator_loss}



@contextlib.contextmanager
def _torch_threads(n_threads: int | None):
    """Run a block with ``n_threads`` intra-op threads, then restore torch's setting."""
    if n_threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def _frozen(module: nn.Module):
    """Record a block's graph with ``module``'s weights as constants (``requires_grad`` off).

    Backpropagation then still passes through the module to its input, but computes no gradients
    for its weights: the generator's step skips a third of its backward pass this way, and its
    own gradients come out bit-identical.
    """
    module.requires_grad_(False)
    try:
        yield module
    finally:
        module.requires_grad_(True)


def _torch_generator(seed: int | None) -> torch.Generator | None:
    # Random numbers are drawn on the CPU and then moved to the model's device, so a seed gives
    # the same mini-batches and noise on every device (and devices without a generator work).
    if seed is None:
        return None  # draw from torch's global generator
    gen = torch.Generator()
    gen.manual_seed(int(seed))
    return gen


#: Training stops as diverged when a loss exceeds this many nats. A loss of L nats means the
#: discriminator's logit is beyond +-L; past about 100 a float32 sigmoid is exactly 0 or 1, no
#: gradient passes between the players, and only a far too large learning rate gets there
#: (healthy runs in this book stay below 20).
LOSS_LIMIT = 100.0


@dataclass(frozen=True)
class GANTrainingConfig:
    """How a :class:`GANTrainer` trains: mini-batches, two Adam optimisers, a learning-rate decay.

    Parameters
    ----------
    batch_size : int
        Real points (and generated points) per step; mini-batches are drawn with replacement.
    lr : float
        Adam learning rate of the generator (and of the discriminator unless ``d_lr`` is set).
    d_lr : float or None
        Learning rate of the discriminator; ``None`` uses ``lr``. Giving the two players
        different rates is the "two time-scale update rule" of Heusel et al. (2017).
    betas : tuple of float
        Adam's momentum coefficients; beta1 = 0.5 is the usual choice for GANs.
    lr_decay_steps : int or None
        If set, both learning rates fall linearly from their value at step 0 to zero at this
        step (and stay there), so the game settles instead of circling; ``None`` keeps them
        constant. The schedule follows the total step count, so training in several
        ``train`` calls follows the same schedule as one long call.
    g_loss : {"non-saturating", "minimax"}
        The generator's loss: ``-log D(G(z))`` (the default, what the book trains with) or the
        original minimax ``log(1 - D(G(z)))``, which saturates (kept to show why it is not used).
    """

    batch_size: int = 256
    lr: float = 2e-4
    d_lr: float | None = None
    betas: tuple[float, float] = (0.5, 0.999)
    lr_decay_steps: int | None = None
    g_loss: str = "non-saturating"

    def __post_init__(self):
        check_int("batch_size", self.batch_size, minimum=1)
        check_real("lr", self.lr, minimum=0, min_inclusive=False)
        if self.d_lr is not None:
            check_real("d_lr", self.d_lr, minimum=0, min_inclusive=False)
        try:
            betas = tuple(check_real("betas", b, minimum=0, maximum=1, max_inclusive=False)
                          for b in self.betas)
        except (TypeError, ValueError):
            betas = ()
        if len(betas) != 2:
            raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
        object.__setattr__(self, "betas", betas)  # a list from a checkpoint becomes a tuple
        if self.lr_decay_steps is not None:
            check_int("lr_decay_steps", self.lr_decay_steps, minimum=1)
        if not isinstance(self.g_loss, str) or self.g_loss not in GENERATOR_LOSSES:
            raise ValueError(f"g_loss must be one of {sorted(GENERATOR_LOSSES)}, got {self.g_loss!r}")

    @property
    def discriminator_lr(self) -> float:
        return float(self.lr if self.d_lr is None else self.d_lr)

    def lr_decay(self, step: int) -> float:
        """Factor (1 down to 0) applied to both learning rates at a 0-based training step."""
        if self.lr_decay_steps is None:
            return 1.0
        return max(0.0, 1.0 - step / self.lr_decay_steps)


def _check_seed(random_state) -> int | None:
    return None if random_state is None else check_int("random_state", random_state)


class GANModel(nn.Module):
    """The two players of one GAN, a :class:`Generator` and a :class:`Discriminator`.

    ``GANModel(config, random_state)`` initialises the generator, then the discriminator,
    from the seed (as :class:`dglab.text.CharLSTM` does); :class:`GANTrainer` trains them.

    Attributes
    ----------
    generator : Generator
    discriminator : Discriminator
    steps_done : int
        Training steps of the run that made these weights (set by :class:`GANTrainer` and by
        loading a checkpoint).
    """

    def __init__(self, config: GANConfig, random_state: int | None = None):
        super().__init__()
        if not isinstance(config, GANConfig):
            raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
        self.config = config
        with torch_seed(_check_seed(random_state)):
            self.generator = Generator(config)
            self.discriminator = Discriminator(config)
        self.steps_done = 0

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def noise(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """z ~ N(0, I): n rows of latent noise, drawn on the CPU, on the model's device."""
        return torch.randn(n, self.config.latent_dim, generator=generator).to(self.device)

    @torch.no_grad()
    def sample(self, n: int, random_state=None, *, n_threads: int | None = 1) -> np.ndarray:
        """``n`` generated points as a float64 array of shape (n, data_dim).

        An int ``random_state`` draws the noise from its own generator (same samples every
        call); ``None`` draws from torch's global generator.
        """
        n = check_int("n", n, minimum=1)
        z = self.noise(n, _torch_generator(_check_seed(random_state)))
        self.generator.eval()
        with _torch_threads(n_threads):
            return self.generator(z).cpu().numpy().astype(np.float64)

    @torch.no_grad()
    def discriminate(self, X) -> np.ndarray:
        """D(x): the discriminator's probability that each row of ``X`` is real."""
        X = check_array(X, dtype=np.float32, input_name="X")
        if X.shape[1] != self.config.data_dim:
            raise ValueError(f"X has {X.shape[1]} features but the discriminator expects "
                             f"data_dim={self.config.data_dim}")
        logits = self.discriminator(torch.as_tensor(X, device=self.device))
        return torch.sigmoid(logits).cpu().numpy().astype(np.float64)

    @classmethod
    def load(cls, path, device=None) -> GANModel:
        """The networks of a file written by :meth:`GANTrainer.save` (``weights_only`` loading)."""
        state = torch.load(Path(path), map_location="cpu", weights_only=True)
        return cls.from_state_dict(state, device=device)

    @classmethod
    def from_state_dict(cls, state: dict, device=None) -> GANModel:
        """Rebuild the two networks from :meth:`GANTrainer.state_dict`'s output."""
        # seeded as when it was trained, so that loading draws nothing from torch's global stream
        model = cls(GANConfig(**state["config"]), random_state=state["random_state"])
        model.generator.load_state_dict(state["generator"])
        model.discriminator.load_state_dict(state["discriminator"])
        model.steps_done = int(state["n_steps"])
        return model.to(default_device(device))


class GANTrainer:
    """Train a :class:`GANModel` on the rows of ``X``: each step updates D once, then G once.

    Mini-batches and noise come from one ``torch.Generator`` seeded with ``random_state``, so
    training 300 steps at once or as 100 + 200 gives the same networks. :meth:`train` can be
    called repeatedly; :attr:`history_` accumulates (as :class:`dglab.text_training.CharLSTMTrainer`).

    Parameters
    ----------
    model : GANModel
        The networks to train (on their device: every tensor goes there).
    X : array-like of shape (n_samples, data_dim)
        Training data (rows are samples).
    config : GANTrainingConfig, optional
    random_state : int or None
        Seed of the mini-batches and the noise (``None``: torch's global generator).
    n_threads : int or None
        CPU threads torch may use while training (restored afterwards); ``None`` keeps torch's
        setting. One thread is deliberate: these networks' matrices are too small to gain from
        threads, extra threads slow training down many times over on a busy machine, and a
        fixed count keeps results bit-identical on machines with different numbers of cores.

    Attributes
    ----------
    history_ : dglab.training.History
        Per-step ``d_loss``, ``g_loss``, ``d_real`` (mean D(x)) and ``d_fake`` (mean D(G(z))).

    Examples
    --------
    >>> from dglab.data import ring_of_gaussians
    >>> X, _ = ring_of_gaussians(512, random_state=0)
    >>> model = GANModel(GANConfig(data_dim=2), random_state=0)
    >>> trainer = GANTrainer(model, X, GANTrainingConfig(batch_size=64), random_state=0)
    >>> trainer.train(20, progress=False).steps
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
    >>> model.sample(5, random_state=0).shape
    (5, 2)
    """

    def __init__(self, model: GANModel, X, config: GANTrainingConfig | None = None,
                 random_state: int | None = None, n_threads: int | None = 1):
        if not isinstance(model, GANModel):
            raise TypeError(f"model must be a GANModel, got {type(model).__name__}")
        self.config = GANTrainingConfig() if config is None else config
        if not isinstance(self.config, GANTrainingConfig):
            raise TypeError(f"config must be a GANTrainingConfig or None, got {type(self.config).__name__}")
        self.model = model
        self.random_state = _check_seed(random_state)
        self.n_threads = None if n_threads is None else check_int("n_threads", n_threads, minimum=1)
        X = check_array(X, dtype=np.float32, ensure_min_samples=2, input_name="X")
        if X.shape[1] != model.config.data_dim:
            raise ValueError(f"X has {X.shape[1]} features but the GAN was built for "
                             f"data_dim={model.config.data_dim}")
        if self.config.batch_size > len(X):
            raise ValueError(f"batch_size={self.config.batch_size} is larger than the number of "
                             f"samples ({len(X)})")
        self.data = torch.as_tensor(X, device=model.device)
        betas = self.config.betas
        # foreach: one call per Adam operation for all of a network's tensors instead of one per
        # tensor (the same arithmetic, so bit-identical weights; 2-3x less time in the optimiser)
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), lr=self.config.lr,
                                            betas=betas, foreach=True)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(),
                                            lr=self.config.discriminator_lr, betas=betas,
                                            foreach=True)
        self.rng = _torch_generator(self.random_state)
        self.history_ = History()
        #: Steps this trainer has taken (a new trainer starts a new run: fresh optimisers, at 0).
        self.steps_done = 0

    @property
    def generator(self) -> Generator:
        return self.model.generator

    @property
    def discriminator(self) -> Discriminator:
        return self.model.discriminator

    def discriminator_step(self, x_real: torch.Tensor, z: torch.Tensor) -> dict[str, float]:
        """One Adam step of D on a batch of real points (label 1) and generated ones (label 0)."""
        with torch.no_grad():  # G's points are constants here: no graph, no gradients into G
            fake = self.generator(z)
        real_logits = self.discriminator(x_real)
        fake_logits = self.discriminator(fake)
        loss = discriminator_loss(real_logits, fake_logits)
        self.d_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.d_optimizer.step()
        return {"d_loss": loss.item(), "d_real": torch.sigmoid(real_logits).mean().item(),
                "d_fake": torch.sigmoid(fake_logits).mean().item()}

    def generator_step(self, z: torch.Tensor) -> dict[str, float]:
        """One Adam step of G against the current D (non-saturating loss unless ``g_loss``)."""
        with _frozen(self.discriminator):  # the gradient flows through D to G; none for D's weights
            fake_logits = self.discriminator(self.generator(z))
        loss = GENERATOR_LOSSES[self.config.g_loss](fake_logits)
        self.g_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.g_optimizer.step()
        return {"g_loss": loss.item()}

    def step(self, i: int) -> dict[str, float]:
        """Training step ``i`` (0-based, counted over all calls): decay, batch, D step, G step."""
        decay = self.config.lr_decay(i)
        for optimizer, lr in [(self.g_optimizer, self.config.lr),
                              (self.d_optimizer, self.config.discriminator_lr)]:
            for group in optimizer.param_groups:
                group["lr"] = float(lr) * decay
        batch_size = self.config.batch_size
        index = torch.randint(len(self.data), (batch_size,), generator=self.rng).to(self.data.device)
        metrics = self.discriminator_step(self.data[index], self.model.noise(batch_size, self.rng))
        return {**metrics, **self.generator_step(self.model.noise(batch_size, self.rng))}

    def train(self, n_steps: int, *, progress: bool = True, record_every: int = 1,
              callbacks=()) -> History:
        """Run ``n_steps`` more steps; returns :attr:`history_`.

        ``callbacks`` are called as ``callback(trainer, steps_done)`` before the first step and
        after every step, e.g. :class:`GANSnapshots`. They must only read the trainer: they run
        between steps and any change would alter training.

        Raises
        ------
        dglab.training.TrainingDiverged
            When a loss becomes NaN, infinite or larger than ``LOSS_LIMIT`` (a learning rate
            far too large); the message names the step and the learning rates.
        """
        n_steps = check_int("n_steps", n_steps, minimum=1)
        callbacks = list(callbacks)
        for callback in callbacks:
            check_callable("callbacks", callback)

        def step(i):
            metrics = self.step(i)
            self.steps_done = self.model.steps_done = i + 1
            for callback in callbacks:
                callback(self, i + 1)  # i is 0-based: i + 1 steps are done
            return metrics

        self.generator.train()
        self.discriminator.train()
        try:
            with _torch_threads(self.n_threads):
                for callback in callbacks:
                    callback(self, self.steps_done)
                run_training(step, n_steps, desc="GAN",
                             progress=progress, record_every=record_every, history=self.history_,
                             limits={"d_loss": LOSS_LIMIT, "g_loss": LOSS_LIMIT},
                             learning_rate=float(self.config.lr))
        except TrainingDiverged as error:
            if self.config.d_lr is not None:  # name the discriminator's rate too
                error.args = (f"{error.args[0]}; the discriminator's d_lr was {self.config.d_lr:.3g}",)
            raise
        return self.history_

    def sample(self, n: int, random_state=None) -> np.ndarray:
        """``n`` generated points (see :meth:`GANModel.sample`)."""
        return self.model.sample(n, random_state, n_threads=self.n_threads)

    def discriminate(self, X) -> np.ndarray:
        """D(x) for each row of ``X`` (see :meth:`GANModel.discriminate`)."""
        return self.model.discriminate(X)

    # -- checkpoints ----------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Sizes, training settings and both networks' weights: only tensors, numbers and strings."""
        c = self.config
        return {
            "config": asdict(self.model.config),
            "lr": float(c.lr),
            "d_lr": None if c.d_lr is None else float(c.d_lr),
            "betas": [float(b) for b in c.betas],
            "lr_decay_steps": c.lr_decay_steps,
            "g_loss": c.g_loss,
            "random_state": self.random_state,
            "n_steps": self.steps_done,
            "generator": {k: v.cpu() for k, v in self.generator.state_dict().items()},
            "discriminator": {k: v.cpu() for k, v in self.discriminator.state_dict().items()},
        }

    def save(self, path) -> Path:
        """Write :meth:`state_dict` with ``torch.save``; returns the path."""
        path = Path(path)
        torch.save(self.state_dict(), path)
        return path


def training_config_of(state: dict) -> GANTrainingConfig:
    """The training settings recorded in a :meth:`GANTrainer.state_dict` (its batch size is not
    recorded: the default is returned)."""
    return GANTrainingConfig(lr=state["lr"], d_lr=state["d_lr"], betas=tuple(state["betas"]),
                             lr_decay_steps=state["lr_decay_steps"],
                             g_loss=state.get("g_loss", "non-saturating"))  # files older than g_loss


@dataclass(frozen=True)
class GANRecipe:
    """Network sizes, a training configuration and a number of steps: one reproducible run.

    The GAN counterpart of :class:`dglab.text_training.CharLSTMRecipe`; ``data_dim`` comes from the data.
    """

    latent_dim: int
    hidden: int
    n_layers: int
    training: GANTrainingConfig
    n_steps: int
    output: str = "linear"

    def __post_init__(self):
        check_int("n_steps", self.n_steps, minimum=1)
        if not isinstance(self.training, GANTrainingConfig):
            raise TypeError(f"training must be a GANTrainingConfig, got {type(self.training).__name__}")
        GANConfig(1, self.latent_dim, self.hidden, self.n_layers, self.output)  # validates the sizes

    def replace(self, **changes) -> GANRecipe:
        """A copy with some sizes or training settings changed (``n_steps`` too)."""
        training = {k: changes.pop(k) for k in list(changes) if k in GANTrainingConfig.__dataclass_fields__}
        return dataclasses.replace(self, training=dataclasses.replace(self.training, **training),
                                   **changes)

    def settings(self) -> dict:
        """The recipe's sizes and learning-rate settings as one dict (defaults left out)."""
        t = self.training
        out = dict(latent_dim=self.latent_dim, hidden=self.hidden, n_layers=self.n_layers)
        if self.output != "linear":
            out["output"] = self.output
        out["lr"] = t.lr
        optional = dict(lr_decay_steps=t.lr_decay_steps, d_lr=t.d_lr, g_loss=t.g_loss)
        defaults = GANTrainingConfig()
        out |= {k: v for k, v in optional.items() if v != getattr(defaults, k)}
        if t.betas != defaults.betas:
            out["betas"] = t.betas
        return out

    def model(self, data_dim: int, random_state: int | None = 0, device=None) -> GANModel:
        """Fresh networks for data of ``data_dim`` features, initialised from ``random_state``."""
        config = GANConfig(data_dim, self.latent_dim, self.hidden, self.n_layers, self.output)
        return GANModel(config, random_state=random_state).to(default_device(device))

    def trainer(self, X, random_state: int | None = 0, device=None, n_threads: int | None = 1) -> GANTrainer:
        """Fresh networks (from ``random_state``) and their trainer on ``X``, not yet trained."""
        X = check_array(X, dtype=np.float32, ensure_min_samples=2, input_name="X")
        model = self.model(X.shape[1], random_state, device)
        return GANTrainer(model, X, self.training, random_state=random_state, n_threads=n_threads)

    def train(self, X, random_state: int | None = 0, *, n_steps: int | None = None,
              progress: bool = True, device=None, callbacks=()) -> GANTrainer:
        """Run the recipe (or its first ``n_steps`` steps); returns the trainer."""
        trainer = self.trainer(X, random_state, device)
        trainer.train(self.n_steps if n_steps is None else n_steps, progress=progress,
                      callbacks=callbacks)
        return trainer


# -- shipped checkpoints ----------------------------------------------------------------------------
# -- watching training: snapshots and what the plane looks like to each player -----------------------
@dataclass(frozen=True)
class GANSnapshot:
    """Both networks as they were after ``step`` training steps (frozen copies, eval mode)."""

    step: int
    generator: Generator
    discriminator: Discriminator
    g_loss: str = "non-saturating"

    @torch.no_grad()
    def sample(self, n: int, random_state: int = 0) -> np.ndarray:
        """``n`` generated points (float64), the noise drawn from a generator seeded ``random_state``."""
        n = check_int("n", n, minimum=1)
        gen = _torch_generator(random_state)
        z = torch.randn(n, self.generator.config.latent_dim, generator=gen)
        device = next(self.generator.parameters()).device
        return self.generator(z.to(device)).cpu().numpy().astype(np.float64)


class GANSnapshots:
    """A :meth:`GANTrainer.train` callback that keeps a copy of both networks at the requested steps.

    Step 0 is the GAN before its first step. Copying reads the networks and draws no random
    numbers, so training with or without this callback gives bit-identical weights.

    Parameters
    ----------
    steps : sequence of int
        The step counts to record (distinct, >= 0; counted over all ``train`` calls).

    Attributes
    ----------
    snapshots_ : dict of int to GANSnapshot
        What was recorded so far, by step.

    Examples
    --------
    >>> from dglab.data import ring_of_gaussians
    >>> X, _ = ring_of_gaussians(512, random_state=0)
    >>> snaps = GANSnapshots(steps=[0, 5, 10])
    >>> trainer = GANTrainer(GANModel(GANConfig(data_dim=2), random_state=0), X,
    ...                      GANTrainingConfig(batch_size=64), random_state=0)
    >>> _ = trainer.train(10, progress=False, callbacks=[snaps])
    >>> sorted(snaps.snapshots_)
    [0, 5, 10]
    """

    def __init__(self, steps):
        if isinstance(steps, (str, bytes)) or not hasattr(steps, "__iter__"):
            raise TypeError(f"steps must be a sequence of step counts, got {steps!r}")
        steps = list(steps)
        if not steps:
            raise ValueError("steps must name at least one step")
        for s in steps:
            check_int("steps", s, minimum=0)
        if len(set(steps)) != len(steps):
            raise ValueError(f"steps must be distinct, got {steps}")
        self.steps = tuple(sorted(int(s) for s in steps))
        self._wanted = frozenset(self.steps)
        self.snapshots_: dict[int, GANSnapshot] = {}

    def __call__(self, trainer: GANTrainer, step: int) -> None:
        if step in self._wanted and step not in self.snapshots_:
            # deep copies: later steps update the live networks' tensors in place
            frozen = [copy.deepcopy(net).eval().requires_grad_(False)
                      for net in (trainer.generator, trainer.discriminator)]
            self.snapshots_[step] = GANSnapshot(step, *frozen, g_loss=trainer.config.g_loss)

    def __getitem__(self, step: int) -> GANSnapshot:
        if step not in self.snapshots_:
            raise KeyError(f"no snapshot at step {step}; recorded: {sorted(self.snapshots_)}")
        return self.snapshots_[step]

    def __len__(self) -> int:
        return len(self.snapshots_)

    def missing(self) -> list[int]:
        """Requested steps that training has not reached (yet)."""
        return [s for s in self.steps if s not in self.snapshots_]


def _check_points(name: str, points, dim: int) -> np.ndarray:
    points = check_array(points, dtype=np.float32, ensure_min_samples=1, input_name=name)
    if points.shape[1] != dim:
        raise ValueError(f"{name} has {points.shape[1]} columns but the networks expect {dim}")
    return points


def _device_of(net: nn.Module) -> torch.device:
    return next(net.parameters()).device


@torch.no_grad()
def discriminator_surface(discriminator: Discriminator, lim: float = 3.0, resolution: int = 60):
    """D(x) = sigmoid(D's logit) on a square grid of the plane.

    Returns ``(xs, ys, probs)``: the grid's coordinates (``resolution`` each, from ``-lim`` to
    ``lim``) and ``probs[i, j]`` = D at the point ``(xs[j], ys[i])``.
    """
    if discriminator.config.data_dim != 2:
        raise ValueError("discriminator_surface needs a discriminator of points in the plane "
                         f"(data_dim=2), got data_dim={discriminator.config.data_dim}")
    check_real("lim", lim, minimum=0, min_inclusive=False)
    resolution = check_int("resolution", resolution, minimum=1)
    xs = np.linspace(-lim, lim, resolution)
    xx, yy = np.meshgrid(xs, xs)
    grid = torch.as_tensor(np.column_stack([xx.ravel(), yy.ravel()]), dtype=torch.float32)
    probs = torch.sigmoid(discriminator(grid.to(_device_of(discriminator))))
    return xs, xs.copy(), probs.cpu().numpy().astype(np.float64).reshape(resolution, resolution)


def generator_gradient(discriminator: Discriminator, points, g_loss: str = "non-saturating"):
    """Where G's update pushes each generated point: ``-d loss(x_i) / d x_i``, shape (n, dim).

    ``loss(x_i)`` is the generator loss ``g_loss`` of the single point ``x_i`` (the batch loss
    is their mean, so this is ``n`` times the gradient of the batch loss). G moves its points
    along these arrows, as far as its weights allow.
    """
    if g_loss not in GENERATOR_LOSSES:
        raise ValueError(f"g_loss must be one of {sorted(GENERATOR_LOSSES)}, got {g_loss!r}")
    points = _check_points("points", points, discriminator.config.data_dim)
    x = torch.as_tensor(points, device=_device_of(discriminator)).requires_grad_(True)
    with torch.enable_grad():
        loss = GENERATOR_LOSSES[g_loss](discriminator(x)) * len(points)
        (grad,) = torch.autograd.grad(loss, x)
    return -grad.cpu().numpy().astype(np.float64)


@torch.no_grad()
def latent_grid_lines(generator: Generator, lim: float = 2.0, n_lines: int = 9,
                      resolution: int = 40) -> np.ndarray:
    """The image under G of a regular grid of latent points: ``(n_curves, resolution, data_dim)``.

    With a 2-D latent space these are the ``n_lines`` horizontal and ``n_lines`` vertical lines
    of the square ``[-lim, lim]^2``; with more dimensions the same lines in the plane of the
    first two coordinates (the others 0, their mean); with one dimension, the segment
    ``[-lim, lim]`` (one curve).
    """
    check_real("lim", lim, minimum=0, min_inclusive=False)
    n_lines = check_int("n_lines", n_lines, minimum=1)
    resolution = check_int("resolution", resolution, minimum=1)
    latent_dim = generator.config.latent_dim
    t = torch.linspace(-lim, lim, resolution)
    if latent_dim == 1:
        z = t[None, :, None]
    else:
        levels = torch.linspace(-lim, lim, n_lines)
        z = torch.zeros(2 * n_lines, resolution, latent_dim)
        z[:n_lines, :, 0] = t  # lines of constant z2
        z[:n_lines, :, 1] = levels[:, None]
        z[n_lines:, :, 0] = levels[:, None]  # lines of constant z1
        z[n_lines:, :, 1] = t
    out = generator(z.reshape(-1, latent_dim).to(_device_of(generator)))
    return out.cpu().numpy().astype(np.float64).reshape(z.shape[0], resolution, -1)
