"""A small generative adversarial network: generator, discriminator, trainer.

The two networks are plain multi-layer perceptrons configured by one :class:`GANConfig`.
:class:`GAN` trains them with the non-saturating loss on logits through the shared loop
:func:`dglab.training.run_training`. The metric that scores samples against known mode centres,
:func:`mode_coverage`, lives in :mod:`dglab.coverage` (importable from here too); the trained
GANs shipped with the package are loaded by :mod:`dglab.checkpoints`.
"""

from __future__ import annotations

import contextlib
import copy
import numbers
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, check_is_fitted
from torch import nn

from dglab._validation import check_int
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
    "GAN",
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


#: The generator losses :class:`GAN` can train with (its ``g_loss`` parameter).
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


class GAN(BaseEstimator):
    """Train a generator against a discriminator on samples of a distribution.

    Parameters
    ----------
    data_dim : int
        Number of features of a data point.
    latent_dim : int
        Dimension of the noise z ~ N(0, I) fed to the generator.
    hidden : int
        Width of every hidden layer of both networks.
    n_layers : int
        Number of hidden layers of each network.
    output : {"linear", "sigmoid"}
        Output activation of the generator ("sigmoid" for data in [0, 1]).
    lr : float
        Adam learning rate of the generator (and of the discriminator unless ``d_lr`` is set).
    d_lr : float or None
        Learning rate of the discriminator; ``None`` uses ``lr``. Giving the two players
        different rates is the "two time-scale update rule" of Heusel et al. (2017).
    betas : tuple of float
        Adam's momentum coefficients; beta1 = 0.5 is the usual choice for GANs.
    lr_decay_steps : int or None
        If set, both learning rates fall linearly from ``lr`` at step 0 to zero at this step
        (and stay there), so the game settles instead of circling; ``None`` keeps them constant.
        The schedule follows the total step count, so training in several ``warm_start``
        calls follows the same schedule as one long call.
    g_loss : {"non-saturating", "minimax"}
        The generator's loss: ``-log D(G(z))`` (the default, what the book trains with) or the
        original minimax ``log(1 - D(G(z)))``, which saturates (kept to show why it is not used).
    random_state : int or None
        Seed of the initial weights, the mini-batches and the noise; an int makes training
        bit-for-bit reproducible on a given machine.
    device : str or torch.device, optional
        Where to train; by default CUDA when present, else the CPU.
    n_threads : int or None
        CPU threads torch may use while training and sampling (restored afterwards); ``None``
        keeps torch's setting. The default of one thread is deliberate: these networks'
        matrices are too small to gain from threads, extra threads slow training down many
        times over on a busy machine, and a fixed count keeps results bit-identical on
        machines with different numbers of cores.

    Attributes
    ----------
    generator_, discriminator_ : nn.Module
        The trained networks.
    history_ : dglab.training.History
        Per-step ``d_loss``, ``g_loss``, ``d_real`` (mean D(x)) and ``d_fake`` (mean D(G(z))).
    n_steps_ : int
        Optimisation steps taken so far (``fit`` continues training when called again).

    Examples
    --------
    >>> from dglab.data import ring_of_gaussians
    >>> X, _ = ring_of_gaussians(512, random_state=0)
    >>> gan = GAN(data_dim=2, random_state=0).fit(X, n_steps=20, batch_size=64, progress=False)
    >>> gan.sample(5, random_state=0).shape
    (5, 2)
    """

    def __init__(self, data_dim: int, latent_dim: int = 2, hidden: int = 128, n_layers: int = 2,
                 output: str = "linear", lr: float = 2e-4, d_lr=None, betas=(0.5, 0.999),
                 lr_decay_steps=None, g_loss="non-saturating", random_state=None, device=None,
                 n_threads=1):
        self.data_dim = data_dim
        self.latent_dim = latent_dim
        self.hidden = hidden
        self.n_layers = n_layers
        self.output = output
        self.lr = lr
        self.d_lr = d_lr
        self.betas = betas
        self.lr_decay_steps = lr_decay_steps
        self.g_loss = g_loss
        self.random_state = random_state
        self.device = device
        self.n_threads = n_threads

    # -- set-up ---------------------------------------------------------------------------------
    @property
    def config(self) -> GANConfig:
        return GANConfig(self.data_dim, self.latent_dim, self.hidden, self.n_layers, self.output)

    def _check_hyper_parameters(self) -> GANConfig:
        config = self.config  # validates the sizes
        for name in ("lr", "d_lr"):
            value = getattr(self, name)
            if value is None and name == "d_lr":
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
                0 < value < np.inf
            ):
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        betas = tuple(self.betas)
        if len(betas) != 2 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
        if self.random_state is not None and (
            isinstance(self.random_state, bool) or not isinstance(self.random_state, numbers.Integral)
        ):
            raise ValueError(f"random_state must be an int or None, got {self.random_state!r}")
        if self.lr_decay_steps is not None:
            check_int("lr_decay_steps", self.lr_decay_steps, minimum=1)
        if not isinstance(self.g_loss, str) or self.g_loss not in GENERATOR_LOSSES:
            raise ValueError(f"g_loss must be one of {sorted(GENERATOR_LOSSES)}, got {self.g_loss!r}")
        if self.n_threads is not None:
            check_int("n_threads", self.n_threads, minimum=1)
        return config

    def _build(self) -> None:
        config = self._check_hyper_parameters()
        self.device_ = default_device(self.device)
        with torch_seed(self.random_state):
            self.generator_ = Generator(config).to(self.device_)
            self.discriminator_ = Discriminator(config).to(self.device_)
        self.g_optimizer_ = torch.optim.Adam(self.generator_.parameters(), lr=self.lr,
                                             betas=self.betas)
        self.d_optimizer_ = torch.optim.Adam(self.discriminator_.parameters(),
                                             lr=self._discriminator_lr(), betas=self.betas)
        self.rng_ = _torch_generator(self.random_state)
        self.history_ = History()
        self.n_steps_ = 0

    def _check_X(self, X) -> np.ndarray:
        X = check_array(X, dtype=np.float32, ensure_min_samples=2, input_name="X")
        if X.shape[1] != self.data_dim:
            raise ValueError(
                f"X has {X.shape[1]} features but the GAN was built for data_dim={self.data_dim}"
            )
        return X

    # -- training -------------------------------------------------------------------------------
    def discriminator_step(self, x_real: torch.Tensor, z: torch.Tensor) -> dict[str, float]:
        """One Adam step of D on a batch of real points (label 1) and generated ones (label 0)."""
        real_logits = self.discriminator_(x_real)
        fake_logits = self.discriminator_(self.generator_(z).detach())  # no gradients into G
        loss = discriminator_loss(real_logits, fake_logits)
        self.d_optimizer_.zero_grad(set_to_none=True)
        loss.backward()
        self.d_optimizer_.step()
        return {"d_loss": loss.item(), "d_real": torch.sigmoid(real_logits).mean().item(),
                "d_fake": torch.sigmoid(fake_logits).mean().item()}

    def generator_step(self, z: torch.Tensor) -> dict[str, float]:
        """One Adam step of G against the current D (non-saturating loss unless ``g_loss``)."""
        loss = GENERATOR_LOSSES[self.g_loss](self.discriminator_(self.generator_(z)))
        self.g_optimizer_.zero_grad(set_to_none=True)
        loss.backward()  # also fills D's gradients; D's next step zeroes them first
        self.g_optimizer_.step()
        return {"g_loss": loss.item()}

    def _discriminator_lr(self) -> float:
        return float(self.lr if self.d_lr is None else self.d_lr)

    def lr_decay(self, step: int) -> float:
        """Factor (1 down to 0) applied to both learning rates at a 0-based training step."""
        if self.lr_decay_steps is None:
            return 1.0
        return max(0.0, 1.0 - step / self.lr_decay_steps)

    def _step(self, step: int, data: torch.Tensor, batch_size: int) -> dict[str, float]:
        decay = self.lr_decay(step)
        for optimizer, lr in [(self.g_optimizer_, self.lr),
                              (self.d_optimizer_, self._discriminator_lr())]:
            for group in optimizer.param_groups:
                group["lr"] = float(lr) * decay
        index = torch.randint(len(data), (batch_size,), generator=self.rng_).to(data.device)
        metrics = self.discriminator_step(data[index], self._noise(batch_size, self.rng_))
        return {**metrics, **self.generator_step(self._noise(batch_size, self.rng_))}

    def _noise(self, n: int, generator: torch.Generator | None) -> torch.Tensor:
        """z ~ N(0, I): n rows of latent noise, drawn on the CPU, on the model's device."""
        return torch.randn(n, self.latent_dim, generator=generator).to(self.device_)

    def fit(self, X, n_steps: int = 2000, batch_size: int = 256, *, progress: bool = True,
            record_every: int = 1, warm_start: bool = False, callbacks=()):
        """Train on the rows of ``X`` for ``n_steps`` steps of mini-batches of ``batch_size``.

        Each step updates the discriminator once, then the generator once. With
        ``warm_start=True`` a fitted GAN continues from where it stopped (same optimiser state,
        same random stream); otherwise the networks are re-initialised.

        Parameters
        ----------
        X : array-like of shape (n_samples, data_dim)
            Training data (rows are samples); mini-batches are drawn with replacement.
        n_steps : int
            Training steps to take in this call.
        batch_size : int
            Real points (and generated points) per step.
        progress : bool
            Show a ``tqdm.auto`` progress bar.
        record_every : int
            Keep every ``record_every``-th step's metrics in ``history_``.
        warm_start : bool
            Continue training a fitted GAN instead of starting afresh.
        callbacks : sequence of callables
            Each is called as ``callback(gan, step)`` before the first step (``step`` = the
            steps taken so far, 0 for a fresh GAN) and after every step (``step`` = the steps
            taken, counted over all calls), e.g. :class:`GANSnapshots`. They must only read
            the GAN: they run between steps and any change would alter training.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            For bad data (NaN/inf, not 2-D, wrong number of features, fewer than 2 rows) or bad
            ``n_steps`` / ``batch_size`` (``batch_size`` may not exceed the number of rows).
        dglab.training.TrainingDiverged
            When a loss becomes NaN, infinite or larger than ``LOSS_LIMIT`` (a learning rate
            far too large); the message names the step and the learning rate.
        """
        n_steps = check_int("n_steps", n_steps, minimum=1)
        batch_size = check_int("batch_size", batch_size, minimum=1)
        self._check_hyper_parameters()
        X = self._check_X(X)
        if batch_size > len(X):
            raise ValueError(f"batch_size={batch_size} is larger than the number of samples ({len(X)})")
        if not (warm_start and hasattr(self, "generator_")):
            self._build()
        callbacks = list(callbacks)
        for callback in callbacks:
            if not callable(callback):
                raise TypeError(f"callbacks must be callables, got {callback!r}")
        data = torch.as_tensor(X, device=self.device_)

        def step(i):
            metrics = self._step(i, data, batch_size)
            for callback in callbacks:
                callback(self, i + 1)  # i is 0-based: i + 1 steps are done
            return metrics

        self.generator_.train()
        self.discriminator_.train()
        try:
            with _torch_threads(self.n_threads):
                for callback in callbacks:
                    callback(self, self.n_steps_)
                run_training(step, n_steps, desc="GAN",
                             progress=progress, record_every=record_every, history=self.history_,
                             limits={"d_loss": LOSS_LIMIT, "g_loss": LOSS_LIMIT},
                             learning_rate=float(self.lr))
        except TrainingDiverged as error:
            if self.d_lr is not None:  # name the discriminator's rate too
                error.args = (f"{error.args[0]}; the discriminator's d_lr was {self.d_lr:.3g}",)
            raise
        self.n_steps_ += n_steps
        return self

    # -- using the generator --------------------------------------------------------------------
    @torch.no_grad()
    def sample(self, n: int, random_state=None) -> np.ndarray:
        """``n`` generated points as a float64 array of shape (n, data_dim).

        An int ``random_state`` draws the noise from its own generator (same samples every
        call); ``None`` draws from torch's global generator.
        """
        check_is_fitted(self, "generator_")
        n = check_int("n", n, minimum=1)
        if random_state is not None and (
            isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral)
        ):
            raise ValueError(f"random_state must be an int or None, got {random_state!r}")
        z = self._noise(n, _torch_generator(random_state))
        self.generator_.eval()
        with _torch_threads(self.n_threads):
            return self.generator_(z).cpu().numpy().astype(np.float64)

    @torch.no_grad()
    def discriminate(self, X) -> np.ndarray:
        """D(x): the discriminator's probability that each row of ``X`` is real."""
        check_is_fitted(self, "discriminator_")
        X = check_array(X, dtype=np.float32, input_name="X")
        if X.shape[1] != self.data_dim:
            raise ValueError(f"X has {X.shape[1]} features but the discriminator expects "
                             f"data_dim={self.data_dim}")
        logits = self.discriminator_(torch.as_tensor(X, device=self.device_))
        return torch.sigmoid(logits).cpu().numpy().astype(np.float64)

    # -- checkpoints ----------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Hyper-parameters and both networks' weights: only tensors, numbers and strings."""
        check_is_fitted(self, "generator_")
        return {
            "config": asdict(self.config),
            "lr": float(self.lr),
            "d_lr": None if self.d_lr is None else float(self.d_lr),
            "betas": [float(b) for b in self.betas],
            "lr_decay_steps": self.lr_decay_steps,
            "g_loss": self.g_loss,
            "random_state": self.random_state,
            "n_steps": self.n_steps_,
            "generator": {k: v.cpu() for k, v in self.generator_.state_dict().items()},
            "discriminator": {k: v.cpu() for k, v in self.discriminator_.state_dict().items()},
        }

    def save(self, path) -> Path:
        """Write :meth:`state_dict` with ``torch.save``; returns the path."""
        path = Path(path)
        torch.save(self.state_dict(), path)
        return path

    @classmethod
    def from_state_dict(cls, state: dict, device=None) -> GAN:
        """Rebuild a fitted GAN (ready to ``sample``) from :meth:`state_dict`'s output."""
        config = GANConfig(**state["config"])
        gan = cls(**asdict(config), lr=state["lr"], d_lr=state["d_lr"], betas=tuple(state["betas"]),
                  lr_decay_steps=state["lr_decay_steps"],
                  g_loss=state.get("g_loss", "non-saturating"),  # files older than g_loss
                  random_state=state["random_state"],
                  device=device)
        gan._build()
        gan.generator_.load_state_dict(state["generator"])
        gan.discriminator_.load_state_dict(state["discriminator"])
        gan.n_steps_ = int(state["n_steps"])
        return gan

    @classmethod
    def load(cls, path, device=None) -> GAN:
        """Load a checkpoint written by :meth:`save` (``torch.load`` with ``weights_only=True``)."""
        state = torch.load(Path(path), map_location="cpu", weights_only=True)
        return cls.from_state_dict(state, device=device)


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
    """A ``GAN.fit`` callback that keeps a copy of both networks at the requested steps.

    Step 0 is the GAN before its first step. Copying reads the networks and draws no random
    numbers, so training with or without this callback gives bit-identical weights.

    Parameters
    ----------
    steps : sequence of int
        The step counts to record (distinct, >= 0; counted over all ``fit`` calls of a GAN).

    Attributes
    ----------
    snapshots_ : dict of int to GANSnapshot
        What was recorded so far, by step.

    Examples
    --------
    >>> from dglab.data import ring_of_gaussians
    >>> X, _ = ring_of_gaussians(512, random_state=0)
    >>> snaps = GANSnapshots(steps=[0, 5, 10])
    >>> gan = GAN(data_dim=2, random_state=0).fit(X, n_steps=10, batch_size=64, progress=False,
    ...                                            callbacks=[snaps])
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
            if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0:
                raise ValueError(f"steps must be integers >= 0, got {s!r}")
        if len(set(steps)) != len(steps):
            raise ValueError(f"steps must be distinct, got {steps}")
        self.steps = tuple(sorted(int(s) for s in steps))
        self._wanted = frozenset(self.steps)
        self.snapshots_: dict[int, GANSnapshot] = {}

    def __call__(self, gan: GAN, step: int) -> None:
        if step in self._wanted and step not in self.snapshots_:
            # deep copies: later steps update the live networks' tensors in place
            frozen = [copy.deepcopy(net).eval().requires_grad_(False)
                      for net in (gan.generator_, gan.discriminator_)]
            self.snapshots_[step] = GANSnapshot(step, *frozen, g_loss=gan.g_loss)

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
    if isinstance(lim, bool) or not isinstance(lim, numbers.Real) or not 0 < lim < np.inf:
        raise ValueError(f"lim must be a positive number, got {lim!r}")
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
    if isinstance(lim, bool) or not isinstance(lim, numbers.Real) or not 0 < lim < np.inf:
        raise ValueError(f"lim must be a positive number, got {lim!r}")
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
