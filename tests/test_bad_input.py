"""Issue 24: bad input never passes silently. One regression test per case the sweep found in the
modules of dglab outside the GAN and text models (those have their own tests).

Each case must end in a clear exception that names the argument (or the file), or in a correct,
finite result; never a NaN, a false alarm, or a message from deep inside numpy, torch or skops.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from dglab import _validation
from dglab.data import make_transactions, ring_of_gaussians
from dglab.deploy import (
    DriftMonitor,
    distill_to_tree,
    export_torch,
    load_exported,
    load_sklearn,
    load_torch_state,
    save_sklearn,
)
from dglab.hybrid import augment
from dglab.imbalance import make_imbalance_pipeline
from dglab.metrics import frechet_distance, gaussian_kl, kl_divergence
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.widgets import Param, explore

RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def frame():
    X = RNG.normal(size=(400, 3))
    return pd.DataFrame(X, columns=["a", "b", "c"])


# -- silent outcomes -------------------------------------------------------------------------------
def test_drift_monitor_matches_columns_by_name_not_position(frame):
    monitor = DriftMonitor(alpha=0.01).fit(frame)
    assert list(monitor.feature_names_in_) == ["a", "b", "c"]
    same = monitor.check(frame[["c", "a", "b"]])  # the same data, columns reordered
    assert not same.drift and same.table["p_value"].min() > 0.99
    with pytest.raises(ValueError, match=r"missing \['c'\].*unexpected \['d'\]"):
        monitor.check(frame.rename(columns={"c": "d"}))


def test_drift_monitor_detects_a_swapped_schema():
    X = pd.DataFrame({"a": RNG.normal(0, 1, 500), "b": RNG.normal(5, 1, 500)})
    monitor = DriftMonitor(alpha=0.01).fit(X)
    swapped = pd.DataFrame({"a": X["b"], "b": X["a"]})  # values of b now under the name a
    assert set(monitor.check(swapped).drifted) == {"a", "b"}


def test_drift_monitor_check_before_fit_is_not_fitted_error(frame):
    with pytest.raises(NotFittedError, match="DriftMonitor"):
        DriftMonitor().check(frame)


@pytest.mark.parametrize("scale", [1e160, 1e300])
def test_naive_bayes_rejects_overflowing_inputs(scale):
    X = RNG.normal(size=(60, 2))
    y = np.repeat([0, 1], 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning leaks out either
        with pytest.raises(ValueError, match="overflow float64; rescale X"):
            GaussianNaiveBayes().fit(X * scale, y)
        model = GaussianNaiveBayes().fit(X, y)
        with pytest.raises(ValueError, match="overflows float64; rescale X"):
            model.predict_proba(X * scale)


def test_augment_rejects_strings_and_nan():
    X = RNG.normal(size=(20, 2))
    y = np.repeat([0, 1], 10)
    generator = GaussianNaiveBayes().fit(X, y)
    with pytest.raises(ValueError, match="X"):
        augment(np.array([["a", "b"]] * 20, dtype=object), y, generator, 1.0, random_state=0)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="X.*NaN"):
        augment(X_nan, y, generator, 1.0, random_state=0)
    with pytest.raises(TypeError, match="generator must be a fitted model with a sample method"):
        augment(X, y, None, 1.0)


def test_kl_divergence_rejects_a_boolean_bandwidth():
    with pytest.raises(ValueError, match="bandwidth.*got True"):
        kl_divergence(RNG.normal(size=50), RNG.normal(size=50), bandwidth=True)


@pytest.mark.parametrize("dpi", [2.5, True, 0, 5000])
def test_explore_rejects_bad_dpi(dpi):
    with pytest.raises(ValueError, match="dpi must be an integer >= 10 and <= 600"):
        explore(lambda k: str(k), title="t", dpi=dpi, k=Param([1, 2]))


def test_gaussian_kl_of_empty_inputs_is_an_error():
    with pytest.raises(ValueError, match="at least one entry"):
        gaussian_kl([], [[]], [], [[]])


def test_save_sklearn_rejects_what_is_not_an_estimator(tmp_path):
    with pytest.raises(TypeError, match="estimator must be a fitted model with a fit/get_params"):
        save_sklearn(lambda x: x, tmp_path / "f.skops")
    assert not (tmp_path / "f.skops").exists()


def test_ring_of_gaussians_never_returns_infinity():
    X, _ = ring_of_gaussians(10, radius=1e308, random_state=0)  # huge but representable
    assert np.all(np.isfinite(X))
    with pytest.raises(ValueError, match="radius=1e\\+308 and std=1e\\+308"):
        ring_of_gaussians(10, radius=1e308, std=1e308, random_state=0)


def test_param_rejects_nan():
    with pytest.raises(ValueError, match="finite"):
        Param([np.nan, 1.0])


# -- unclear messages ------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04truncated"])
def test_bad_skops_files_are_named(tmp_path, content):
    path = tmp_path / "model.skops"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"model\.skops"):
        load_sklearn(path)


def test_missing_model_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no skops file at .*nothing.skops"):
        load_sklearn(tmp_path / "nothing.skops")


@pytest.mark.parametrize("content", [b"", b"\x80\x02garbage"])
def test_bad_torch_weight_files_are_named(tmp_path, content):
    path = tmp_path / "weights.pt"
    path.write_bytes(content)
    # a pickle that is not weights-only is refused as UnpicklingError (it could run code)
    with pytest.raises((ValueError, pickle.UnpicklingError), match=r"weights\.pt"):
        load_torch_state(torch.nn.Linear(3, 1), path)


def test_bad_exported_program_is_named(tmp_path):
    path = tmp_path / "model.pt2"
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError, match=r"model\.pt2"):
        load_exported(path)


def test_export_with_the_wrong_input_width_says_so(tmp_path):
    with pytest.raises(ValueError, match=r"cannot run on example_input of shape \(4, 5\)"):
        export_torch(torch.nn.Linear(3, 1), torch.randn(4, 5), tmp_path / "m.pt2")


def test_unfitted_imbalance_pipeline_is_not_fitted_error():
    df = make_transactions(500, fraud_rate=0.1, random_state=0)
    with pytest.raises(NotFittedError):
        make_imbalance_pipeline("smote", random_state=0).predict_proba(df)


def test_negative_amount_is_named_not_reported_as_nan():
    df = make_transactions(1000, fraud_rate=0.1, random_state=0)
    df.loc[3, "amount"] = -5.0
    with pytest.raises(ValueError, match="column 'amount' has negative values"):
        make_imbalance_pipeline("smote", random_state=0).fit(df, df["is_fraud"])


def test_continuous_target_is_not_a_smote_class_count_problem():
    df = make_transactions(1000, fraud_rate=0.1, random_state=0)
    with pytest.raises(ValueError, match="target y is continuous"):
        make_imbalance_pipeline("smote", random_state=0).fit(df, df["amount"])


@pytest.mark.parametrize("model", [None, "a model", 3.0])
def test_non_models_where_a_fitted_model_is_expected(model):
    X = RNG.normal(size=(20, 2))
    with pytest.raises(TypeError, match="model must be a fitted model with a predict method"):
        distill_to_tree(model, X, 2, X_test=X)


def test_overflow_is_blamed_on_the_samples():
    X = RNG.normal(size=(50, 2))
    with pytest.raises(ValueError, match="X1 has values so large"):
        frechet_distance(X * 1e160, X)
    with pytest.raises(ValueError, match="p_samples has values so large"):
        kl_divergence(X[:, 0] * 1e160, X[:, 1])


def test_strings_are_named():
    X = np.array([["a", "b"]] * 5, dtype=object)
    with pytest.raises(ValueError, match="X1"):
        frechet_distance(X, X)
    with pytest.raises(ValueError, match="X_test"):
        distill_to_tree(LogisticRegression().fit(RNG.normal(size=(6, 2)), [0, 1] * 3),
                        RNG.normal(size=(6, 2)), 2, X_test=X)


# -- the validation home itself --------------------------------------------------------------------
@pytest.mark.parametrize("bad", [True, np.True_, 2.0, "3", None, -1])
def test_check_int_rejects_booleans_floats_and_out_of_range(bad):
    with pytest.raises(ValueError, match="n_bins must be an integer >= 0"):
        _validation.check_int("n_bins", bad, minimum=0)


@pytest.mark.parametrize("bad", [True, np.nan, np.inf, "1", 0.0])
def test_check_real_rejects_booleans_and_non_finite(bad):
    with pytest.raises(ValueError, match="C must be a finite number > 0"):
        _validation.check_real("C", bad, minimum=0, min_inclusive=False)


@pytest.mark.parametrize("bad", [True, -1, 2**32, 1.5, "0"])
def test_random_state_convention_rejects_the_same_things_everywhere(bad):
    for check in (_validation.check_random_state, _validation.check_generator):
        with pytest.raises(ValueError, match="random_state must be None"):
            check(bad)


def test_random_state_convention_accepts_the_same_things_everywhere():
    for value in (None, 0, np.random.RandomState(0), np.random.default_rng(0)):
        assert hasattr(_validation.check_random_state(value), "standard_normal")
        assert isinstance(_validation.check_generator(value), np.random.Generator)
    # a seed gives scikit-learn's legacy stream, as before
    np.testing.assert_array_equal(_validation.check_random_state(3).rand(4),
                                  np.random.RandomState(3).rand(4))


def test_imbalance_pipeline_offers_only_its_classifiers_methods():
    # scorers pick predict_proba / decision_function with hasattr: the fitted-ness check must not
    # make a k-NN pipeline look as if it had a decision_function
    from sklearn.neighbors import KNeighborsClassifier

    pipeline = make_imbalance_pipeline("smote", KNeighborsClassifier(), random_state=0)
    assert hasattr(pipeline, "predict_proba") and not hasattr(pipeline, "decision_function")
