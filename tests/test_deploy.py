import itertools
import pickle
import time

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import stats
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from dglab import deploy
from dglab.deploy import (
    DriftMonitor,
    UntrustedTypesError,
    distill_to_tree,
    export_torch,
    load_exported,
    load_sklearn,
    load_torch_state,
    measure_latency,
    population_stability_index,
    save_sklearn,
    save_torch_state,
)
from dglab.gan import GANConfig, Generator
from dglab.linear import LogisticRegressionGD
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.training import torch_seed


def make_generator(seed=0, **sizes):
    config = GANConfig(**({"data_dim": 5, "latent_dim": 3, "hidden": 8} | sizes))
    with torch_seed(seed):
        return Generator(config).eval()


# -- torch state_dict files ---------------------------------------------------------------------
def test_torch_state_round_trip_is_exact(tmp_path):
    original = make_generator(seed=0)
    path = save_torch_state(original, tmp_path / "generator.pt")
    fresh = make_generator(seed=1)  # different initial weights
    z = torch.randn(16, 3, generator=torch.Generator().manual_seed(0))
    assert not torch.equal(fresh(z), original(z))
    loaded = load_torch_state(fresh, path)
    assert loaded is fresh
    for (name, a), (other, b) in zip(original.state_dict().items(), loaded.state_dict().items(), strict=True):
        assert name == other and torch.equal(a, b)
    with torch.no_grad():
        assert torch.equal(loaded(z), original(z))


def test_load_torch_state_names_every_shape_mismatch(tmp_path):
    path = save_torch_state(make_generator(), tmp_path / "g.pt")
    with pytest.raises(ValueError, match=r"shape mismatch for net\.0\.weight: the file has \(8, 3\), "
                                         r"the model expects \(8, 4\)"):
        load_torch_state(make_generator(latent_dim=4), path)
    with pytest.raises(ValueError, match=r"missing net\.6\.weight"):
        load_torch_state(make_generator(n_layers=3), path)


def test_load_torch_state_rejects_files_that_are_not_state_dicts(tmp_path):
    torch.save({"weights": [1, 2, 3]}, tmp_path / "list.pt")
    with pytest.raises(ValueError, match="does not hold a state_dict"):
        load_torch_state(make_generator(), tmp_path / "list.pt")
    with pytest.raises(TypeError, match="torch.nn.Module"):
        save_torch_state("not a module", tmp_path / "x.pt")


class _RunsOnLoad:
    """Unpickling this object calls _record: what an attacker's payload would do."""

    calls = []

    def __reduce__(self):
        return (_record, ("code ran while loading",))


def _record(message):
    _RunsOnLoad.calls.append(message)
    return message


def test_weights_only_loading_refuses_code(tmp_path):
    path = tmp_path / "payload.pt"
    with path.open("wb") as f:
        pickle.dump({"net.0.weight": _RunsOnLoad()}, f, protocol=2)
    with pytest.raises(pickle.UnpicklingError):
        load_torch_state(make_generator(), path)
    assert _RunsOnLoad.calls == []
    # the same file, unpickled the unsafe way, does run the payload
    with path.open("rb") as f:
        pickle.load(f)
    assert _RunsOnLoad.calls == ["code ran while loading"]
    _RunsOnLoad.calls.clear()


# -- scikit-learn files with skops ---------------------------------------------------------------
@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def test_skops_round_trip_gives_identical_predictions(tmp_path, cancer):
    X_train, X_test, y_train, _ = cancer
    model = make_pipeline(StandardScaler(), LogisticRegressionGD(learning_rate=0.5, max_iter=3000,
                                                                 alpha=0.01)).fit(X_train, y_train)
    path = save_sklearn(model, tmp_path / "model.skops")
    loaded = load_sklearn(path, trusted=["dglab.linear.LogisticRegressionGD"])
    assert loaded is not model
    np.testing.assert_array_equal(loaded.predict_proba(X_test), model.predict_proba(X_test))
    np.testing.assert_array_equal(loaded.predict(X_test), model.predict(X_test))
    np.testing.assert_array_equal(loaded[-1].coef_, model[-1].coef_)


def test_skops_loads_plain_scikit_learn_without_extra_trust(tmp_path, cancer):
    X_train, X_test, y_train, _ = cancer
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
    loaded = load_sklearn(save_sklearn(model, tmp_path / "lr.skops"))
    np.testing.assert_array_equal(loaded.predict_proba(X_test), model.predict_proba(X_test))


def test_skops_refuses_types_not_declared_trusted(tmp_path, cancer):
    X_train, _, y_train, _ = cancer
    path = save_sklearn(GaussianNaiveBayes().fit(X_train, y_train), tmp_path / "nb.skops")
    with pytest.raises(UntrustedTypesError, match=r"dglab\.naive_bayes\.GaussianNaiveBayes"):
        load_sklearn(path)
    with pytest.raises(UntrustedTypesError, match="not trusted"):
        load_sklearn(path, trusted=["dglab.linear.LogisticRegressionGD"])
    with pytest.raises(TypeError, match="list of type names"):
        load_sklearn(path, trusted="dglab.naive_bayes.GaussianNaiveBayes")
    loaded = load_sklearn(path, trusted=["dglab.naive_bayes.GaussianNaiveBayes"])
    np.testing.assert_array_equal(loaded.var_, GaussianNaiveBayes().fit(X_train, y_train).var_)


# -- exported programs ---------------------------------------------------------------------------
def test_export_reloads_with_outputs_equal_to_eager(tmp_path):
    model = make_generator()
    example = torch.randn(8, 3, generator=torch.Generator().manual_seed(0))
    result = export_torch(model, example, tmp_path / "g.pt2")
    assert result.path.stat().st_size == result.n_bytes > 0
    assert result.max_abs_error <= result.atol
    exported = load_exported(result.path)
    assert exported.input_shape == (None, 3)
    with torch.no_grad():
        for n in (1, 5, 100):  # the batch dimension is dynamic
            z = torch.randn(n, 3, generator=torch.Generator().manual_seed(n))
            torch.testing.assert_close(exported(z), model(z), rtol=deploy.EXPORT_RTOL,
                                       atol=deploy.EXPORT_ATOL)


def test_export_with_fixed_batch_rejects_other_batch_sizes(tmp_path):
    model = make_generator()
    result = export_torch(model, torch.zeros(4, 3), tmp_path / "fixed.pt2", dynamic_batch=False)
    exported = load_exported(result.path)
    assert exported.input_shape == (4, 3)
    with pytest.raises(ValueError, match=r"expects input of shape \(4, 3\), got \(5, 3\)"):
        exported(torch.zeros(5, 3))


def test_exported_model_checks_its_input(tmp_path):
    exported = load_exported(export_torch(make_generator(), torch.zeros(4, 3), tmp_path / "g.pt2").path)
    with pytest.raises(ValueError, match=r"expects input of shape \(batch, 3\), got \(2, 4\)"):
        exported(torch.zeros(2, 4))
    with pytest.raises(ValueError, match="empty batch"):
        exported(torch.zeros(0, 3))
    with pytest.raises(ValueError, match="expects torch.float32"):
        exported(torch.zeros(2, 3, dtype=torch.float64))
    with pytest.raises(TypeError, match="torch.Tensor"):
        exported(np.zeros((2, 3), dtype=np.float32))


def test_export_needs_a_real_example_input(tmp_path):
    model = make_generator()
    with pytest.raises(ValueError, match="needs an example input"):
        export_torch(model, None, tmp_path / "g.pt2")
    with pytest.raises(ValueError, match="non-empty batch"):
        export_torch(model, torch.zeros(0, 3), tmp_path / "g.pt2")
    with pytest.raises(ValueError, match="at least 2 rows"):
        export_torch(model, torch.zeros(1, 3), tmp_path / "g.pt2")
    with pytest.raises(TypeError, match="torch.Tensor"):
        export_torch(model, np.zeros((4, 3)), tmp_path / "g.pt2")


def test_export_fails_loudly_when_reloaded_outputs_differ(tmp_path, monkeypatch):
    real_load = deploy.load_exported

    def drifting_load(path):
        exported = real_load(path)
        return lambda x: exported(x) + 1e-3  # what a broken export backend would produce

    monkeypatch.setattr(deploy, "load_exported", drifting_load)
    with pytest.raises(RuntimeError, match=r"differs from the eager model by up to 0\.001"):
        export_torch(make_generator(), torch.zeros(4, 3), tmp_path / "g.pt2")


# -- latency -------------------------------------------------------------------------------------
class FakeClock:
    """A timer whose successive calls return the running sum of the given durations."""

    def __init__(self, durations):
        self.readings = itertools.chain.from_iterable((0.0, d) for d in durations)
        self.offset = 0.0

    def __call__(self):
        reading = next(self.readings)
        if reading == 0.0:
            return self.offset
        self.offset += reading
        return self.offset


def test_latency_order_statistics_match_numpy_with_a_known_clock():
    rng = np.random.default_rng(0)
    repeats, batches = 25, [np.zeros((1, 2)), np.zeros((10, 2)), np.zeros((100, 2))]
    durations = rng.exponential(1e-3, size=(repeats, len(batches)))  # round-robin order
    table = measure_latency(lambda b: None, batches, repeats=repeats, warmup=2,
                            timer=FakeClock(durations.ravel()))
    assert table["batch_size"].tolist() == [1, 10, 100]
    assert (table["repeats"] == repeats).all()
    np.testing.assert_allclose(table["median_ms"], 1e3 * np.median(durations, axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["p95_ms"], 1e3 * np.percentile(durations, 95, axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["per_row_us"], 1e6 * np.median(durations, axis=0) / [1, 10, 100],
                               rtol=1e-12)


def test_latency_of_a_sleeping_function_is_at_least_the_sleep():
    calls = []

    def sleepy(batch):
        calls.append(len(batch))
        time.sleep(0.002)

    table = measure_latency(sleepy, {"one": [0], "three": [0, 1, 2]}, repeats=5, warmup=1)
    assert calls == [1, 3] + [1, 3] * 5  # warm-up first, then round-robin
    assert (table["median_ms"] >= 2.0).all()
    assert (table["p95_ms"] >= table["median_ms"]).all()


def test_latency_rejects_bad_input():
    with pytest.raises(ValueError, match="batch 1 is empty"):
        measure_latency(len, [np.zeros((2, 2)), np.zeros((0, 2))])
    with pytest.raises(ValueError, match="inputs is empty"):
        measure_latency(len, [])
    with pytest.raises(TypeError, match="single array"):
        measure_latency(len, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="repeats must be an integer >= 1"):
        measure_latency(len, [[1]], repeats=0)
    with pytest.raises(ValueError, match="warmup must be an integer >= 0"):
        measure_latency(len, [[1]], warmup=-1)
    with pytest.raises(TypeError, match="callable"):
        measure_latency(None, [[1]])


# -- distillation --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def iris_teacher():
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
    teacher = make_pipeline(StandardScaler(), LogisticRegression(C=0.1)).fit(X_train, y_train)
    return teacher, X_train, X_test, y_test


@pytest.mark.parametrize("depth", [1, 2, 3, None])
def test_fidelity_and_accuracy_match_scikit_learn(iris_teacher, depth):
    teacher, X_train, X_test, y_test = iris_teacher
    result = distill_to_tree(teacher, X_train, depth, X_test=X_test, y_test=y_test)
    tree = result.tree
    assert result.fidelity == accuracy_score(teacher.predict(X_test), tree.predict(X_test))
    assert result.accuracy == accuracy_score(y_test, tree.predict(X_test))
    assert result.teacher_accuracy == accuracy_score(y_test, teacher.predict(X_test))
    reference = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, teacher.predict(X_train))
    np.testing.assert_array_equal(tree.predict(X_test), reference.predict(X_test))
    assert result.n_leaves == reference.get_n_leaves() and result.max_depth == depth


def test_distillation_without_labels_reports_fidelity_only(iris_teacher):
    teacher, X_train, X_test, _ = iris_teacher
    result = distill_to_tree(teacher, X_train, 2, X_test=X_test)
    assert result.accuracy is None and result.teacher_accuracy is None
    assert "fidelity" in str(result)


def test_distillation_rejects_bad_input(iris_teacher):
    teacher, X_train, X_test, y_test = iris_teacher
    with pytest.raises(ValueError, match="max_depth must be an integer >= 1"):
        distill_to_tree(teacher, X_train, 0, X_test=X_test)
    with pytest.raises(ValueError, match="X has 4 features but X_test has 3"):
        distill_to_tree(teacher, X_train, 2, X_test=X_test[:, :3])
    with pytest.raises(ValueError, match="y_test must have shape"):
        distill_to_tree(teacher, X_train, 2, X_test=X_test, y_test=y_test[:-1])
    with pytest.raises(ValueError, match="NaN"):
        distill_to_tree(teacher, np.full_like(X_train, np.nan), 2, X_test=X_test)


class CountingTeacher:
    """A fitted classifier that counts its ``predict`` calls."""

    def __init__(self, model):
        self.model, self.calls = model, 0

    def predict(self, X):
        self.calls += 1
        return self.model.predict(X)


def test_distill_to_trees_equals_distill_to_tree_per_depth_with_two_teacher_calls():
    # a forest on digits, as in chapter 13, with repeated calls to its predict as the only
    # difference: every tree, fidelity and accuracy must equal a separate distillation's, and an
    # independent reference (a tree fitted to the forest's predictions by scikit-learn directly)
    from sklearn.datasets import load_digits
    from sklearn.ensemble import RandomForestClassifier

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16, y, test_size=0.5, stratify=y,
                                                        random_state=0)
    forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(X_train, y_train)
    depths = [6, 2, None, 10]
    teacher = CountingTeacher(forest)
    students = deploy.distill_to_trees(teacher, X_train, depths, X_test=X_test, y_test=y_test,
                                       random_state=3)
    assert teacher.calls == 2 and list(students) == depths
    labels, teacher_test = forest.predict(X_train), forest.predict(X_test)
    for depth, student in students.items():
        one = distill_to_tree(forest, X_train, depth, X_test=X_test, y_test=y_test, random_state=3)
        reference = DecisionTreeClassifier(max_depth=depth, random_state=3).fit(X_train, labels)
        for tree in (one.tree, reference):
            np.testing.assert_array_equal(student.tree.predict(X_test), tree.predict(X_test))
            np.testing.assert_array_equal(student.tree.tree_.threshold, tree.tree_.threshold)
            np.testing.assert_array_equal(student.tree.tree_.value, tree.tree_.value)
        assert (student.fidelity, student.accuracy, student.teacher_accuracy, student.max_depth,
                student.n_leaves) == (one.fidelity, one.accuracy, one.teacher_accuracy, one.max_depth,
                                      one.n_leaves)
        assert student.fidelity == accuracy_score(teacher_test, reference.predict(X_test))
        assert student.accuracy == accuracy_score(y_test, reference.predict(X_test))
        assert student.teacher_accuracy == accuracy_score(y_test, teacher_test)
        assert str(student) == str(one)
    teacher.calls = 0
    deploy.distill_to_tree(teacher, X_train, 4, X_test=X_test)
    assert teacher.calls == 2


def test_distill_to_trees_without_labels_and_bad_depths(iris_teacher):
    teacher, X_train, X_test, _ = iris_teacher
    students = deploy.distill_to_trees(teacher, X_train, (1, 2), X_test=X_test)
    assert all(s.accuracy is None and s.teacher_accuracy is None for s in students.values())
    with pytest.raises(ValueError, match="depths is empty"):
        deploy.distill_to_trees(teacher, X_train, [], X_test=X_test)
    with pytest.raises(ValueError, match="repeated"):
        deploy.distill_to_trees(teacher, X_train, [2, 3, 2], X_test=X_test)
    with pytest.raises(ValueError, match="max_depth must be an integer >= 1"):
        deploy.distill_to_trees(teacher, X_train, [2, 0], X_test=X_test)


def test_distillation_names_are_still_importable_from_deploy():
    from dglab import distillation

    assert deploy.distill_to_tree is distillation.distill_to_tree
    assert deploy.distill_to_trees is distillation.distill_to_trees
    assert deploy.Distillation is distillation.Distillation


# -- population stability index ------------------------------------------------------------------
def test_psi_matches_a_hand_computation():
    reference = np.arange(100.0)  # quartile edges at 24.75, 49.5 and 74.25
    batch = np.array([1.0, 2.0, 30.0, 60.0, 61.0, 62.0, 90.0, 91.0])  # shares 2/8, 1/8, 3/8, 2/8
    r, b = np.full(4, 0.25), np.array([2, 1, 3, 2]) / 8
    assert population_stability_index(reference, batch, n_bins=4) == pytest.approx(
        np.sum((b - r) * np.log(b / r)), rel=1e-12)
    assert population_stability_index(reference, reference, n_bins=4) == 0.0


def test_psi_of_categories_and_empty_bins():
    reference, batch = np.array(["a"] * 6 + ["b"] * 4), np.array(["a"] * 5 + ["c"] * 5)
    r, b = np.array([0.6, 0.4, 1e-4]), np.array([0.5, 1e-4, 0.5])
    assert population_stability_index(reference, batch) == pytest.approx(np.sum((b - r) * np.log(b / r)))
    with pytest.raises(ValueError, match="at least one value"):
        population_stability_index(reference, [])


# -- drift monitoring ----------------------------------------------------------------------------
def mixed_sample(rng, n, shift=0.0):
    """Three columns of different kinds: Gaussian, skewed, and discrete with many ties."""
    return np.column_stack([rng.normal(shift, 1.0, n), rng.exponential(1.0, n), rng.poisson(3.0, n)])


def score(X):
    return 1 / (1 + np.exp(-(np.asarray(X) @ [1.0, -0.5, 0.2])))


def test_ks_statistics_and_p_values_match_scipy_column_by_column():
    rng = np.random.default_rng(1)
    reference, batch = mixed_sample(rng, 400), mixed_sample(rng, 150, shift=0.2)
    report = DriftMonitor(alpha=0.05, predict_fn=score).fit(reference).check(batch)
    for j in range(3):
        expected = stats.ks_2samp(reference[:, j], batch[:, j])
        assert report.table.loc[j, "statistic"] == pytest.approx(expected.statistic, rel=1e-12)
        assert report.table.loc[j, "p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    expected = stats.ks_2samp(score(reference), score(batch))
    assert report.table.loc[3, "p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert report.threshold == 0.05 / 4
    assert report.table["drifted"].tolist() == (report.table["p_value"] < 0.05 / 4).tolist()


ALPHA, N_TRIALS = 0.05, 300


def test_false_alarm_rate_on_healthy_batches_is_at_most_alpha():
    # Independent trials (fresh reference and batch each time), so the number of alarms is
    # binomial with a rate of at most ALPHA; a correct monitor exceeds this bound with
    # probability below 1e-3.
    alarms = 0
    for seed in range(N_TRIALS):
        rng = np.random.default_rng(seed)
        monitor = DriftMonitor(alpha=ALPHA, predict_fn=score).fit(mixed_sample(rng, 500))
        alarms += monitor.check(mixed_sample(rng, 200)).drift
    assert alarms <= stats.binom.ppf(1 - 1e-3, N_TRIALS, ALPHA)


def test_a_shifted_batch_is_detected():
    detected = unshifted_flagged = 0
    for seed in range(100):
        rng = np.random.default_rng(seed)
        monitor = DriftMonitor(alpha=ALPHA, predict_fn=score).fit(mixed_sample(rng, 500))
        report = monitor.check(mixed_sample(rng, 200, shift=0.5))  # half a standard deviation
        detected += "x0" in report.drifted
        unshifted_flagged += bool({"x1", "x2"} & set(report.drifted))
    assert detected >= 95
    # the columns that did not move are flagged no more often than the false-alarm rate allows
    assert unshifted_flagged <= stats.binom.ppf(1 - 1e-3, 100, ALPHA)


def test_label_predictions_use_a_chi_squared_test():
    rng = np.random.default_rng(0)
    labels = lambda X: np.where(np.asarray(X)[:, 0] > 0, "fraud", "ok")  # noqa: E731
    monitor = DriftMonitor(alpha=0.01, predict_fn=labels).fit(mixed_sample(rng, 1000))
    batch = mixed_sample(rng, 300, shift=0.6)
    row = monitor.check(batch).table.iloc[-1]
    assert row["test"] == "chi2"
    ref, new = labels(monitor.reference_), labels(batch)
    table = [[np.sum(ref == "fraud"), np.sum(ref == "ok")], [np.sum(new == "fraud"), np.sum(new == "ok")]]
    assert row["p_value"] == pytest.approx(stats.chi2_contingency(table, correction=False).pvalue)
    assert row["drifted"]


def test_drift_report_names_and_text():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(mixed_sample(rng, 500), columns=["amount", "wait", "visits"])
    monitor = DriftMonitor(alpha=0.01).fit(frame)
    shifted = frame.sample(200, random_state=0).assign(amount=lambda d: d["amount"] + 2)
    report = monitor.check(shifted)
    assert report.drifted == ["amount"]
    assert "DRIFT in 1 (amount)" in str(report)
    assert "no drift" in str(monitor.check(pd.DataFrame(mixed_sample(rng, 200), columns=frame.columns)))


def test_min_psi_ignores_a_tiny_move_of_tied_values_but_not_a_real_shift():
    # Discrete values with many ties (like 8x8 pixels): multiplying by 1.001 moves every
    # non-zero value off the reference's values, which the KS test flags in a large batch,
    # while the histogram (and hence the PSI) does not change. A shift by one level is caught either way.
    rng = np.random.default_rng(0)
    values, shares = [0.0, 0.25, 0.5, 0.75, 1.0], [0.3, 0.1, 0.4, 0.1, 0.1]
    reference = rng.choice(values, p=shares, size=(2000, 2))
    batch = rng.choice(values, p=shares, size=(400, 2))
    plain = DriftMonitor(alpha=0.01).fit(reference)
    gated = DriftMonitor(alpha=0.01, min_psi=0.1).fit(reference)
    tiny = batch * 1.001
    assert plain.check(tiny).drift  # significant, although nothing meaningful moved
    report = gated.check(tiny)
    assert not report.drift
    assert report.table["psi"].max() < 0.1
    # same p-values, same statistics: the gate only adds a condition
    assert report.table["p_value"].tolist() == plain.check(tiny).table["p_value"].tolist()
    assert not gated.check(batch).drift and not plain.check(batch).drift
    shifted = np.column_stack([np.clip(batch[:, 0] + 0.25, 0, 1), batch[:, 1]])
    assert gated.check(shifted).drifted == ["x0"]


def test_the_monitors_psi_is_population_stability_index_of_each_column():
    """The monitor bins its reference once (per n_bins, per fit); every batch's PSI must still be
    exactly the function's, after n_bins changes and after a refit on other data."""
    rng = np.random.default_rng(3)
    reference, other = mixed_sample(rng, 500), mixed_sample(rng, 300) + 0.5
    monitor = DriftMonitor().fit(reference)
    for n_bins, ref in [(10, reference), (4, reference), (4, other)]:
        monitor.n_bins = n_bins
        if ref is other:
            monitor.fit(other)
        for _ in range(2):
            batch = mixed_sample(rng, 200) * rng.uniform(0.8, 1.2)
            psi = monitor.check(batch).table["psi"].tolist()
            assert psi == [population_stability_index(ref[:, j], batch[:, j], n_bins)
                           for j in range(ref.shape[1])]


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), True, "0.1"])
def test_min_psi_must_be_a_non_negative_number(bad):
    with pytest.raises(ValueError, match="min_psi"):
        DriftMonitor(min_psi=bad).fit(np.zeros((5, 1)))


def test_min_psi_is_keyword_only():
    with pytest.raises(TypeError):
        DriftMonitor(0.01, None, 10, None, 0.1)


def test_drift_monitor_rejects_bad_input():
    rng = np.random.default_rng(0)
    monitor = DriftMonitor().fit(mixed_sample(rng, 100))
    with pytest.raises(ValueError, match="empty batch"):
        monitor.check(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="the batch has 2 features, the reference 3"):
        monitor.check(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="NaN"):
        monitor.check(np.full((5, 3), np.nan))
    with pytest.raises(NotFittedError, match="call fit"):
        DriftMonitor().check(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"alpha must be a number in \(0, 1\)"):
        DriftMonitor(alpha=1.5).fit(mixed_sample(rng, 100))
    with pytest.raises(ValueError, match="at least 2 rows"):
        DriftMonitor().fit(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="one value per row"):
        DriftMonitor(predict_fn=lambda X: np.zeros((len(X), 2))).fit(mixed_sample(rng, 100))
    with pytest.raises(ValueError, match="2 feature names for 3 features"):
        DriftMonitor(feature_names=["a", "b"]).fit(mixed_sample(rng, 100))


def test_check_reports_exactly_the_psi_of_each_column_alone():
    # check() bins every column at deciles computed in one call; the numbers must be those of
    # population_stability_index on each column, ties (repeated pixel values) included
    from dglab.deploy import population_stability_index

    rng = np.random.default_rng(3)
    reference = np.column_stack([rng.normal(size=400), rng.integers(0, 4, 400), rng.exponential(size=400)])
    batch = np.column_stack([rng.normal(0.3, 1, 150), rng.integers(0, 5, 150), rng.exponential(2, 150)])
    for n_bins in (10, 4):
        table = DriftMonitor(n_bins=n_bins).fit(reference).check(batch).table
        expected = [population_stability_index(reference[:, j], batch[:, j], n_bins) for j in range(3)]
        assert table["psi"].tolist() == expected
