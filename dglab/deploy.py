"""From a fitted model to a served one: safe files, exported graphs, latency, distillation, drift.

* **Saving and loading.** A PyTorch module is saved as its ``state_dict`` (tensors only) and read
  back with ``torch.load(..., weights_only=True)``, which refuses to build arbitrary Python
  objects (:func:`save_torch_state`, :func:`load_torch_state`). A scikit-learn model is saved
  with ``skops.io``, whose loader only instantiates types you name as trusted
  (:func:`save_sklearn`, :func:`load_sklearn`). ``pickle``, ``joblib.load`` and
  ``torch.load(weights_only=False)`` run whatever code the file tells them to: never use them
  on a file you did not write yourself.
* **Export.** :func:`export_torch` turns a module into a graph with ``torch.export``, saves it,
  reloads it and checks that its outputs equal the eager module's; :func:`load_exported` reads
  it back with an input-shape check. ``torch.export.load`` unpickles parts of the file, so an
  exported program is for artefacts your own build produced.
* **Measuring.** :func:`measure_latency` reports the median and the 95th percentile of the time
  per call for each batch size.
* **Distillation.** :func:`distill_to_tree` fits a decision tree to a model's predictions and
  measures its fidelity (agreement with the model) on held-out real data;
  :func:`distill_to_trees` does it for several depths from one set of the model's predictions
  (both live in :mod:`dglab.distillation` and are re-exported here).
* **Monitoring.** :class:`DriftMonitor` compares new batches of inputs (and of the model's
  predictions) with reference data, one two-sample test per column, Bonferroni-corrected.

The ``torch`` and ``skops`` imports are deferred to the functions that need them.
"""

from __future__ import annotations

import pickle
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from dglab._validation import (
    _is_real,
    check_callable,
    check_fitted_attribute,
    check_fitted_model,
    check_int,
    check_model_file,
    check_numeric_array,
    check_real,
    unreadable_model_file,
)
from dglab.distillation import Distillation, distill_to_tree, distill_to_trees

__all__ = [
    "save_torch_state",
    "load_torch_state",
    "save_sklearn",
    "load_sklearn",
    "UntrustedTypesError",
    "ExportResult",
    "ExportedModel",
    "export_torch",
    "load_exported",
    "measure_latency",
    "Distillation",
    "distill_to_tree",
    "distill_to_trees",
    "population_stability_index",
    "DriftReport",
    "DriftMonitor",
]

#: Default tolerances of :func:`export_torch` (float32 outputs). Exported graphs run the same
#: kernels as eager mode on the CPU and usually agree bit for bit; the tolerance allows for a
#: backend that fuses or reorders floating-point operations.
EXPORT_RTOL = 1e-5
EXPORT_ATOL = 1e-6


# -- PyTorch: state_dict files -------------------------------------------------------------------
def save_torch_state(module, path) -> Path:
    """Save a module's ``state_dict`` (its tensors, moved to the CPU) with ``torch.save``.

    The file holds tensors keyed by name and nothing else, so :func:`load_torch_state` can read
    it with ``weights_only=True``. The architecture is *not* in the file: the code that loads
    it builds the module first.

    Parameters
    ----------
    module : torch.nn.Module
    path : str or Path

    Returns
    -------
    Path
    """
    import torch

    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    path = Path(path)
    torch.save({k: v.detach().cpu() for k, v in module.state_dict().items()}, path)
    return path


def load_torch_state(module, path):
    """Load weights saved by :func:`save_torch_state` into ``module`` (in place) and return it.

    The file is read with ``torch.load(weights_only=True)``: it may only contain tensors and
    plain containers, so loading cannot run code hidden in the file. Every name and shape is
    compared with the module's own before anything is copied.

    Parameters
    ----------
    module : torch.nn.Module
        A freshly built module of the architecture the weights belong to.
    path : str or Path

    Returns
    -------
    torch.nn.Module
        ``module``, now holding the saved weights.

    Raises
    ------
    ValueError
        If the file is not a mapping of names to tensors, or if its names or shapes do not
        match the module's (the message lists every difference).
    """
    import torch

    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    path = check_model_file(path, "PyTorch weights")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        if "Weights only load failed" in str(err):  # the file holds code, not only tensors
            raise pickle.UnpicklingError(
                f"{path} holds objects other than tensors, which weights_only loading refuses to "
                f"build (they could run code): {str(err).splitlines()[-1]}") from err
        raise unreadable_model_file(path, "PyTorch weights (torch.save)", err) from err
    except (EOFError, RuntimeError, OSError, ValueError) as err:
        raise unreadable_model_file(path, "PyTorch weights (torch.save)", err) from err
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f"{path.name} does not hold a state_dict (a mapping of names to tensors)")
    expected = module.state_dict()
    problems = [f"missing {k}" for k in expected if k not in state]
    problems += [f"unexpected {k}" for k in state if k not in expected]
    problems += [
        f"shape mismatch for {k}: the file has {tuple(state[k].shape)}, "
        f"the model expects {tuple(v.shape)}"
        for k, v in expected.items()
        if k in state and state[k].shape != v.shape
    ]
    if problems:
        raise ValueError(
            f"the weights in {path.name} do not fit this {type(module).__name__}: " + "; ".join(problems)
        )
    module.load_state_dict(state, strict=True)
    return module


# -- scikit-learn: skops files -------------------------------------------------------------------
class UntrustedTypesError(ValueError):
    """A skops file contains types that the caller did not declare as trusted."""


def save_sklearn(estimator, path) -> Path:
    """Save a scikit-learn estimator (or pipeline) with ``skops.io.dump``; returns the path.

    A skops file describes the objects to rebuild instead of holding pickled code, and
    :func:`load_sklearn` only rebuilds types that are trusted.
    """
    import skops.io as sio

    check_fitted_model("estimator", estimator, ("fit", "get_params"))
    path = Path(path)
    sio.dump(estimator, path)
    return path


def load_sklearn(path, trusted: Iterable[str] = ()):
    """Load an estimator saved by :func:`save_sklearn`, trusting only the types named.

    ``skops`` trusts scikit-learn's common types and NumPy/SciPy containers by default. Any
    other type in the file (your own estimator classes, some of scikit-learn's compiled
    helpers such as ``sklearn.tree._tree.Tree``) must be listed in ``trusted`` by its full
    name, e.g. ``"dglab.linear.LogisticRegressionGD"``. The file's types are inspected
    *before* anything is built.

    Parameters
    ----------
    path : str or Path
    trusted : iterable of str
        Fully qualified names of the extra types you trust.

    Returns
    -------
    The estimator.

    Raises
    ------
    UntrustedTypesError
        If the file contains types beyond skops' defaults and ``trusted`` (all are named).
    """
    import skops.io as sio

    if isinstance(trusted, str):
        raise TypeError("trusted must be a list of type names, not a single string")
    trusted = [str(t) for t in trusted]
    path = check_model_file(path, "skops")
    try:
        found = sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise unreadable_model_file(path, "skops (save_sklearn)", err) from err
    unexpected = sorted(set(found) - set(trusted))
    if unexpected:
        raise UntrustedTypesError(
            f"{path.name} contains types that are not trusted: {unexpected}. Inspect them, and "
            "pass their names in trusted=[...] only if you trust where the file came from."
        )
    return sio.load(path, trusted=list(found))


# -- PyTorch: exported programs ------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_torch` wrote and how closely the reloaded graph matches eager mode."""

    path: Path
    n_bytes: int
    max_abs_error: float
    exact: bool
    rtol: float
    atol: float

    def __str__(self) -> str:
        agreement = "identical" if self.exact else f"max |difference| {self.max_abs_error:.2e}"
        return (f"{self.path.name}: {self.n_bytes / 1024:.0f} KiB, reloaded outputs {agreement} "
                f"(tolerance rtol={self.rtol:g}, atol={self.atol:g})")


def _check_example(example_input, dynamic_batch: bool):
    import torch

    if example_input is None:
        raise ValueError(
            "export needs an example input: a tensor shaped like a real batch, e.g. "
            "torch.randn(8, n_features); torch.export traces the model with it"
        )
    if not isinstance(example_input, torch.Tensor):
        raise TypeError(f"example_input must be a torch.Tensor, got {type(example_input).__name__}")
    if example_input.ndim < 1 or example_input.shape[0] == 0:
        raise ValueError(f"example_input must be a non-empty batch, got shape {tuple(example_input.shape)}")
    if dynamic_batch and example_input.shape[0] < 2:
        # torch.export treats a dimension of size 1 as a constant, not as a batch dimension.
        raise ValueError("with dynamic_batch=True the example batch must have at least 2 rows")
    return example_input


def _compare(actual, expected, rtol: float, atol: float) -> tuple[float, bool, bool]:
    import torch

    if actual.shape != expected.shape:
        raise RuntimeError(
            f"the exported model returned shape {tuple(actual.shape)}, eager mode {tuple(expected.shape)}"
        )
    error = float((actual - expected).abs().max()) if actual.numel() else 0.0
    return error, bool(torch.equal(actual, expected)), bool(
        torch.allclose(actual, expected, rtol=rtol, atol=atol))


class ExportedModel:
    """A reloaded exported program that checks the shape and dtype of its input.

    Call it like the original module: ``model(x)``. ``input_shape`` lists the expected sizes,
    with ``None`` for the batch dimension when it was exported as dynamic.
    """

    def __init__(self, program):
        self.program = program
        self.module = program.module()
        placeholders = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
        names = list(program.graph_signature.user_inputs)
        if len(names) != 1:
            raise ValueError(f"expected a program with one input, found {len(names)}")
        value = placeholders[names[0]].meta["val"]
        self.input_shape = tuple(s if isinstance(s, int) else None for s in value.shape)
        self.dtype = value.dtype

    def __call__(self, x):
        import torch

        if not isinstance(x, torch.Tensor):
            raise TypeError(f"input must be a torch.Tensor, got {type(x).__name__}")
        shape = tuple(x.shape)
        fits = len(shape) == len(self.input_shape) and all(
            want is None or want == got for want, got in zip(self.input_shape, shape, strict=True))
        if not fits:
            expected = ", ".join("batch" if s is None else str(s) for s in self.input_shape)
            raise ValueError(f"the exported model expects input of shape ({expected}), got {shape}")
        if x.dtype != self.dtype:
            raise ValueError(f"the exported model expects {self.dtype}, got {x.dtype}")
        if shape and shape[0] == 0:
            raise ValueError("empty batch: the input has no rows")
        return self.module(x)


def export_torch(model, example_input, path, *, dynamic_batch: bool = True,
                 rtol: float = EXPORT_RTOL, atol: float = EXPORT_ATOL) -> ExportResult:
    """Export ``model`` with ``torch.export``, save it, reload it and check its outputs.

    The module is switched to evaluation mode and traced on ``example_input``. The saved
    program is loaded back and run on the example batch (and, with a dynamic batch, on a
    batch one row longer); each output must match the eager module's within
    ``torch.allclose(rtol, atol)``.

    Parameters
    ----------
    model : torch.nn.Module
        A module with one tensor input and one tensor output.
    example_input : torch.Tensor
        A real-looking batch (at least 2 rows when ``dynamic_batch``).
    path : str or Path
        Where to write the program (conventionally ``*.pt2``).
    dynamic_batch : bool
        Export the first dimension as a free batch size; otherwise the program only accepts
        batches shaped exactly like ``example_input``.
    rtol, atol : float
        Tolerances of the equality check (defaults 1e-5 and 1e-6).

    Returns
    -------
    ExportResult
        Path, file size in bytes, the largest absolute difference, and whether the outputs
        were bit-for-bit identical.

    Raises
    ------
    ValueError
        Without an example input (or with an empty one).
    RuntimeError
        If the reloaded program's outputs differ from eager mode beyond the tolerance.
    """
    import torch
    from torch.export import Dim

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    example_input = _check_example(example_input, dynamic_batch)
    path = Path(path)
    model.eval()
    try:  # a wrong input width fails here, in one line, instead of inside the tracer
        with torch.no_grad():
            model(example_input)
    except (RuntimeError, ValueError, TypeError, IndexError) as err:
        raise ValueError(
            f"the model cannot run on example_input of shape {tuple(example_input.shape)}: {err}"
        ) from err
    dynamic_shapes = ({0: Dim("batch")},) if dynamic_batch else None
    with torch.no_grad():
        program = torch.export.export(model, (example_input,), dynamic_shapes=dynamic_shapes)
    torch.export.save(program, path)
    reloaded = load_exported(path)
    batches = [example_input]
    if dynamic_batch:
        batches.append(torch.cat([example_input, example_input[:1]]))
    worst, exact = 0.0, True
    with torch.no_grad():
        for batch in batches:
            error, same, close = _compare(reloaded(batch), model(batch), rtol, atol)
            if not close:
                raise RuntimeError(
                    f"the reloaded export differs from the eager model by up to {error:.3g} "
                    f"(tolerance rtol={rtol:g}, atol={atol:g}) on a batch of {len(batch)}"
                )
            worst, exact = max(worst, error), exact and same
    return ExportResult(path, path.stat().st_size, worst, exact, rtol, atol)


def load_exported(path) -> ExportedModel:
    """Load a program written by :func:`export_torch`, wrapped with an input-shape check.

    ``torch.export.load`` unpickles parts of the file: load only programs you built.
    """
    import torch

    path = check_model_file(path, "exported program (.pt2)")
    try:
        program = torch.export.load(path)
    except (RuntimeError, OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise unreadable_model_file(path, "exported program (torch.export.save)", err) from err
    return ExportedModel(program)


# -- latency -------------------------------------------------------------------------------------
def _batches(inputs) -> list:
    if isinstance(inputs, Mapping):
        batches = list(inputs.values())
    elif hasattr(inputs, "shape") or isinstance(inputs, (str, bytes)) or not isinstance(inputs, Iterable):
        raise TypeError("inputs must be a list of batches (or a dict of them), not a single array")
    else:
        batches = list(inputs)
    if not batches:
        raise ValueError("inputs is empty: give at least one batch")
    for i, batch in enumerate(batches):
        if not hasattr(batch, "__len__"):
            raise TypeError(f"batch {i} has no length: {type(batch).__name__}")
        if len(batch) == 0:
            raise ValueError(f"batch {i} is empty: every batch needs at least one row")
    return batches


def measure_latency(predict_fn: Callable, inputs, *, repeats: int = 30, warmup: int = 3,
                    timer: Callable[[], float] = time.perf_counter) -> pd.DataFrame:
    """Time ``predict_fn(batch)`` for every batch: median and 95th percentile per batch size.

    Every batch is first called ``warmup`` times untimed (caches, lazy initialisation). The
    timed calls then go round-robin over the batches, ``repeats`` rounds, so that a slow
    moment of the machine is shared by all batch sizes instead of spoiling one.

    Parameters
    ----------
    predict_fn : callable
        Called with one batch; its result is ignored.
    inputs : list of batches, or dict of name to batch
        Each batch is anything with a length (array, tensor, DataFrame); its length is the
        batch size reported.
    repeats : int
        Timed calls per batch (>= 1). The 95th percentile is only meaningful with 20 or more.
    warmup : int
        Untimed calls per batch before timing (>= 0).
    timer : callable
        Clock in seconds; :func:`time.perf_counter` (monotonic, high resolution) by default.

    Returns
    -------
    pandas.DataFrame
        One row per batch, in the order given: ``batch_size``, ``repeats``, ``median_ms``,
        ``p95_ms`` (linear interpolation, as :func:`numpy.percentile`) and ``per_row_us``
        (median divided by the batch size).
    """
    check_callable("predict_fn", predict_fn)
    repeats = check_int("repeats", repeats, minimum=1)
    warmup = check_int("warmup", warmup, minimum=0)
    batches = _batches(inputs)
    for batch in batches:
        for _ in range(warmup):
            predict_fn(batch)
    times = np.empty((len(batches), repeats))
    for r in range(repeats):
        for i, batch in enumerate(batches):
            start = timer()
            predict_fn(batch)
            times[i, r] = timer() - start
    sizes = np.array([len(b) for b in batches])
    median = np.median(times, axis=1)
    return pd.DataFrame({
        "batch_size": sizes,
        "repeats": repeats,
        "median_ms": 1e3 * median,
        "p95_ms": 1e3 * np.percentile(times, 95, axis=1),
        "per_row_us": 1e6 * median / sizes,
    })


# -- drift ---------------------------------------------------------------------------------------
_PSI_FLOOR = 1e-4  # share given to an empty bin, so that the logarithm stays finite


def _reference_bins(reference: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Inner bin edges of a numeric reference (its ``n_bins``-quantiles) and its share per bin."""
    inner = np.unique(np.quantile(reference, np.linspace(0, 1, n_bins + 1)[1:-1]))
    return inner, _shares(inner, reference)


def _shares(inner: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(np.searchsorted(inner, values, "right"), minlength=len(inner) + 1) / len(values)


def _bin_shares(reference, batch, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    reference, batch = np.asarray(reference), np.asarray(batch)
    if reference.dtype.kind in "fiub" and batch.dtype.kind in "fiub":
        inner, ref = _reference_bins(reference, n_bins)
        return ref, _shares(inner, batch)
    # categories: one bin per value seen in either sample
    values, index = np.unique(np.concatenate([reference, batch]).astype(str), return_inverse=True)
    ref = np.bincount(index[: len(reference)], minlength=len(values)) / len(reference)
    new = np.bincount(index[len(reference):], minlength=len(values)) / len(batch)
    return ref, new


def _psi(ref: np.ndarray, new: np.ndarray) -> float:
    ref, new = np.maximum(ref, _PSI_FLOOR), np.maximum(new, _PSI_FLOOR)
    return float(np.sum((new - ref) * np.log(new / ref)))


def population_stability_index(reference, batch, n_bins: int = 10) -> float:
    """Population stability index of one variable: how far ``batch``'s histogram moved.

    Numbers are binned at the deciles (``n_bins``-quantiles) of ``reference``; other values
    are treated as categories. With shares ``r_k`` and ``b_k`` per bin (empty bins count as
    1e-4), PSI = sum_k (b_k - r_k) ln(b_k / r_k). A common rule of thumb reads < 0.1 as
    stable and > 0.25 as a large shift; it comes with no false-alarm rate.
    """
    n_bins = check_int("n_bins", n_bins, minimum=2)
    if len(reference) == 0 or len(batch) == 0:
        raise ValueError("both samples need at least one value")
    for name, values in (("reference", reference), ("batch", batch)):
        values = np.asarray(values)
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise ValueError(f"{name} contains NaN or infinity; drop or impute those values first")
    return _psi(*_bin_shares(reference, batch, n_bins))


@dataclass(frozen=True)
class DriftReport:
    """Result of :meth:`DriftMonitor.check` on one batch."""

    table: pd.DataFrame
    alpha: float
    threshold: float
    n_rows: int

    @property
    def drift(self) -> bool:
        """True when at least one column's test fell below the Bonferroni threshold."""
        return bool(self.table["drifted"].any())

    @property
    def drifted(self) -> list[str]:
        """Names of the columns whose test fell below the threshold."""
        return self.table.loc[self.table["drifted"], "name"].tolist()

    def __str__(self) -> str:
        flagged = self.drifted
        head = (f"{self.n_rows} rows, {len(self.table)} tests at p < {self.threshold:.2g} "
                f"(alpha {self.alpha:g}): ")
        if not flagged:
            return head + "no drift"
        shown = ", ".join(flagged[:5]) + (f" and {len(flagged) - 5} more" if len(flagged) > 5 else "")
        return head + f"DRIFT in {len(flagged)} ({shown})"


class DriftMonitor:
    """Watch a deployed model's inputs and predictions for changes from reference data.

    :meth:`fit` stores a reference sample (typically the training inputs, or a window of
    production data known to be healthy). :meth:`check` compares a new batch with it, one
    two-sample test per column:

    * each input feature: Kolmogorov-Smirnov (``scipy.stats.ks_2samp``);
    * the model's predictions, when ``predict_fn`` is given: Kolmogorov-Smirnov for numeric
      scores (probabilities, confidences), a chi-squared test of the category counts
      (``scipy.stats.chi2_contingency``) for labels.

    **Decision rule.** With ``m`` tests, a column drifts when its p-value is below
    ``alpha / m`` (Bonferroni), and a batch drifts when any column does. If the batch and the
    reference are independent samples of one distribution, each p-value is uniform (or, for
    discrete features, larger), so the chance that a healthy batch raises an alarm is at most
    ``alpha``: the false-alarm rate per batch. Each column also gets its population stability
    index (PSI), an effect size that says *how much* it moved. With ``min_psi > 0`` a column
    drifts only when its p-value is below the threshold *and* its PSI is at least ``min_psi``:
    a large batch makes tiny, harmless moves significant, and on discrete features (pixels
    with a few distinct values) any move off the reference's values makes the KS statistic
    jump. The extra condition can only remove alarms, so the false-alarm bound still holds.

    Parameters
    ----------
    alpha : float in (0, 1)
        Largest acceptable probability of a false alarm per batch.
    predict_fn : callable, optional
        ``predict_fn(X)`` returning one value per row (a score or a label).
    n_bins : int
        Bins per feature for the PSI.
    feature_names : sequence of str, optional
        Column names in reports; taken from a DataFrame's columns, else ``x0, x1, ...``.
    min_psi : float, default=0.0
        Keyword-only. Smallest PSI for which a significant column counts as drifted
        (``0.0``: the p-value alone decides). 0.1 and 0.25 are the usual rules of thumb.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The columns of the reference DataFrame (only when :meth:`fit` got a DataFrame, as in
        scikit-learn). A DataFrame batch is then matched to the reference *by column name*:
        reordered columns are put back in order, and missing or unexpected columns are an error
        instead of a false alarm (or a missed swap).
    names_ : list of str
        The names used in reports.
    reference_ : ndarray of shape (n_rows, n_features)
        The reference sample.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> monitor = DriftMonitor(alpha=0.01).fit(rng.normal(size=(1000, 3)))
    >>> monitor.check(rng.normal(size=(200, 3))).drift
    False
    >>> shifted = rng.normal(size=(200, 3)) + [0.0, 0.0, 0.5]
    >>> monitor.check(shifted).drifted
    ['x2']
    """

    def __init__(self, alpha: float = 0.01, predict_fn: Callable | None = None, n_bins: int = 10,
                 feature_names: Sequence[str] | None = None, *, min_psi: float = 0.0):
        self.alpha = alpha
        self.predict_fn = predict_fn
        self.n_bins = n_bins
        self.feature_names = feature_names
        self.min_psi = min_psi

    def _check_params(self) -> None:
        if not (_is_real(self.alpha) and 0 < self.alpha < 1):
            raise ValueError(f"alpha must be a number in (0, 1), got {self.alpha!r}")
        check_int("n_bins", self.n_bins, minimum=2)
        check_real("min_psi", self.min_psi, minimum=0)
        check_callable("predict_fn", self.predict_fn, allow_none=True)

    def _validate(self, X, what: str) -> np.ndarray:
        if hasattr(X, "__len__") and len(X) == 0:
            raise ValueError(f"empty {what}: it has no rows")
        return check_numeric_array(what, X)

    def _align_columns(self, X):
        """A DataFrame batch with the reference's columns, in the reference's order."""
        names = getattr(self, "feature_names_in_", None)
        columns = getattr(X, "columns", None)
        if names is None or columns is None:
            return X
        columns = [str(c) for c in columns]
        missing = [n for n in names if n not in columns]
        unexpected = [c for c in columns if c not in set(names)]
        if missing or unexpected:
            raise ValueError(
                "the batch's columns do not match the reference's: "
                + "; ".join(filter(None, [missing and f"missing {missing}",
                                          unexpected and f"unexpected {unexpected}"]))
            )
        if columns == list(names):
            return X
        return X[[X.columns[columns.index(n)] for n in names]]

    def _predict(self, X_raw, n: int) -> np.ndarray:
        predictions = np.asarray(self.predict_fn(X_raw))
        if predictions.shape != (n,):
            raise ValueError(
                f"predict_fn must return one value per row, shape ({n},); got {predictions.shape}"
            )
        return predictions

    def fit(self, X_reference) -> DriftMonitor:
        """Store the reference sample (at least 2 rows) and, with ``predict_fn``, its predictions."""
        self._check_params()
        X = self._validate(X_reference, "reference data")
        if len(X) < 2:
            raise ValueError("the reference data needs at least 2 rows")
        columns = getattr(X_reference, "columns", None)
        if columns is not None:
            in_names = [str(c) for c in columns]
            if len(set(in_names)) != len(in_names):
                raise ValueError(f"the reference data has duplicate column names: {in_names}")
            self.feature_names_in_ = np.asarray(in_names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        names = self.feature_names
        if names is None:
            names = in_names if columns is not None else [f"x{j}" for j in range(X.shape[1])]
        names = list(names)
        if len(names) != X.shape[1]:
            raise ValueError(f"{len(names)} feature names for {X.shape[1]} features")
        self.names_ = names
        self.reference_ = X
        self._bins_n = None  # the PSI bins of the previous reference, if any, are stale
        self.n_features_in_ = X.shape[1]
        if self.predict_fn is not None:
            self.reference_predictions_ = self._predict(X_reference, len(X))
        return self

    @property
    def n_tests(self) -> int:
        """Number of tests per batch: one per feature, plus one for the predictions."""
        return self.n_features_in_ + (self.predict_fn is not None)

    def _reference_bins(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each feature's PSI bins and reference shares: computed once per reference and n_bins
        (they were recomputed for every batch, half the cost of a check on 64 pixels)."""
        if getattr(self, "_bins_n", None) != self.n_bins:  # fit resets _bins_n
            self._bins = [_reference_bins(column, self.n_bins) for column in self.reference_.T]
            self._bins_n = self.n_bins
        return self._bins

    def check(self, X) -> DriftReport:
        """Test one batch against the reference; see the class docstring for the rule."""
        check_fitted_attribute(self, "reference_", "call fit(reference data) before check(batch)")
        self._check_params()
        X = X_raw = self._align_columns(X)
        X = self._validate(X, "batch")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"the batch has {X.shape[1]} features, the reference {self.n_features_in_}")
        ks = stats.ks_2samp(self.reference_, X, axis=0)
        bins = self._reference_bins()
        rows = [
            (name, "feature", "KS", float(s), float(p), _psi(ref, _shares(inner, X[:, j])))
            for j, (name, s, p, (inner, ref)) in enumerate(zip(
                self.names_, np.atleast_1d(ks.statistic), np.atleast_1d(ks.pvalue), bins, strict=True))
        ]
        if self.predict_fn is not None:
            ref, new = self.reference_predictions_, self._predict(X_raw, len(X))
            if ref.dtype.kind in "fc" or new.dtype.kind in "fc":
                test = stats.ks_2samp(ref.astype(np.float64), new.astype(np.float64))
                rows.append(("prediction", "prediction", "KS", float(test.statistic), float(test.pvalue),
                             population_stability_index(ref, new, self.n_bins)))
            else:
                values, index = np.unique(np.concatenate([ref, new]).astype(str), return_inverse=True)
                table = np.stack([np.bincount(index[: len(ref)], minlength=len(values)),
                                  np.bincount(index[len(ref):], minlength=len(values))])
                if table.shape[1] < 2:  # one category everywhere: nothing can have moved
                    statistic, p_value = 0.0, 1.0
                else:
                    test = stats.chi2_contingency(table, correction=False)
                    statistic, p_value = float(test.statistic), float(test.pvalue)
                rows.append(("prediction", "prediction", "chi2", statistic, p_value,
                             population_stability_index(ref.astype(str), new.astype(str))))
        table = pd.DataFrame(rows, columns=["name", "kind", "test", "statistic", "p_value", "psi"])
        threshold = self.alpha / len(table)
        table["drifted"] = (table["p_value"] < threshold) & (table["psi"] >= self.min_psi)
        return DriftReport(table, float(self.alpha), threshold, len(X))
