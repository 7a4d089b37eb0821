import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.utils.estimator_checks import parametrize_with_checks

from dglab.naive_bayes import GaussianNaiveBayes
from dglab.sampling import draw_class_index

# Samples are checked with one z-test per (class, feature) mean and one chi-square test per
# variance. With a fixed seed the outcome is deterministic; the thresholds are chosen so that a
# correct sampler would fail the whole family of tests with probability FAMILY_ALPHA (Bonferroni).
FAMILY_ALPHA = 1e-6


@parametrize_with_checks([GaussianNaiveBayes(), GaussianNaiveBayes(var_smoothing=1e-3)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


DATASETS = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer,
            "digits": load_digits}


@pytest.fixture(scope="module", params=list(DATASETS))
def dataset(request):
    X, y = DATASETS[request.param](return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.mark.parametrize("var_smoothing", [1e-9, 1e-2])
def test_matches_scikit_learn_gaussian_nb(dataset, var_smoothing):
    X_train, X_test, y_train, y_test = dataset
    ours = GaussianNaiveBayes(var_smoothing=var_smoothing).fit(X_train, y_train)
    ref = GaussianNB(var_smoothing=var_smoothing).fit(X_train, y_train)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_allclose(ours.class_prior_, ref.class_prior_, rtol=1e-14)
    np.testing.assert_allclose(ours.theta_, ref.theta_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.epsilon_, ref.epsilon_, rtol=1e-12)
    for X in (X_train, X_test):
        assert np.max(np.abs(ours.predict_proba(X) - ref.predict_proba(X))) <= 1e-8
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X_test, y_test) == pytest.approx(ref.score(X_test, y_test))


def test_matches_scikit_learn_with_given_priors():
    X, y = load_wine(return_X_y=True)
    priors = [0.2, 0.5, 0.3]
    ours = GaussianNaiveBayes(priors=priors).fit(X, y)
    ref = GaussianNB(priors=priors).fit(X, y)
    np.testing.assert_allclose(ours.class_prior_, priors)
    assert np.max(np.abs(ours.predict_proba(X) - ref.predict_proba(X))) <= 1e-8


def test_probabilities_follow_bayes_rule_with_scipy_densities():
    # An independent reference: per-feature scipy.stats.norm densities, then Bayes' rule.
    X, y = load_iris(return_X_y=True)
    model = GaussianNaiveBayes().fit(X, y)
    log_joint = np.column_stack([
        np.log(np.mean(y == c)) + stats.norm.logpdf(X, X[y == c].mean(0), np.sqrt(X[y == c].var(0) + model.epsilon_)).sum(1)
        for c in model.classes_
    ])
    np.testing.assert_allclose(model.predict_log_proba(X), log_joint - logsumexp(log_joint, 1, keepdims=True),
                               atol=1e-9)
    np.testing.assert_allclose(model.score_samples(X), logsumexp(log_joint, 1), rtol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X).sum(1), 1.0)
    assert model.epsilon_ == pytest.approx(1e-9 * X.var(0).max())


def test_string_labels_and_zero_prior():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    model = GaussianNaiveBayes(priors=[0.5, 0.5, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log(0) must not warn
        model.fit(X, labels)
        proba = model.predict_proba(X)
    assert set(model.predict(X)) <= {"setosa", "versicolor"}
    assert np.all(proba[:, 2] == 0)
    _, y_new = model.sample(500, random_state=0)
    assert "virginica" not in set(y_new)


def test_single_sample_class_is_kept_finite_by_smoothing():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (20, 3)), rng.normal(5, 1, (20, 3)), [[2.0, 2.0, 2.0]]])
    y = np.array([0] * 20 + [1] * 20 + [2])
    model = GaussianNaiveBayes().fit(X, y)
    # the lone class has zero spread, so its variance is exactly the smoothing epsilon
    np.testing.assert_array_equal(model.var_[2], model.epsilon_)
    assert model.epsilon_ == pytest.approx(1e-9 * X.var(0).max())
    assert model.epsilon_ > 0
    proba = model.predict_proba(np.vstack([X, [[2.0, 2.0, 2.0], [9.0, -9.0, 0.0]]]))
    assert np.all(np.isfinite(proba))
    assert model.predict([[2.0, 2.0, 2.0]])[0] == 2
    X_new, _ = model.sample(10, y=2, random_state=0)
    assert np.all(np.isfinite(X_new))
    np.testing.assert_allclose(X_new, 2.0, atol=1e-3)
    with pytest.raises(ValueError, match="constant within class 2"):
        GaussianNaiveBayes(var_smoothing=0.0).fit(X, y)


def test_constant_data_is_rejected():
    with pytest.raises(ValueError, match="zero variance"):
        GaussianNaiveBayes().fit(np.ones((6, 2)), [0, 0, 0, 1, 1, 1])


@pytest.fixture(scope="module")
def digits_model():
    X, y = load_digits(return_X_y=True)
    return GaussianNaiveBayes(var_smoothing=1e-2).fit(X, y)


def test_samples_reproduce_the_learned_means_and_variances(digits_model):
    model, n = digits_model, 4000
    n_tests = model.theta_.size
    z_crit = stats.norm.isf(FAMILY_ALPHA / (2 * 2 * n_tests))  # two-sided; means and variances
    chi_lo = stats.chi2.ppf(FAMILY_ALPHA / (2 * 2 * n_tests), n - 1)
    chi_hi = stats.chi2.isf(FAMILY_ALPHA / (2 * 2 * n_tests), n - 1)
    for c in model.classes_:
        X_new, y_new = model.sample(n, y=c, random_state=int(c))
        assert X_new.shape == (n, model.n_features_in_)
        assert np.all(y_new == c)
        z = (X_new.mean(0) - model.theta_[c]) / np.sqrt(model.var_[c] / n)
        assert np.max(np.abs(z)) < z_crit
        chi2 = (n - 1) * X_new.var(0, ddof=1) / model.var_[c]
        assert np.all((chi_lo < chi2) & (chi2 < chi_hi))


def test_samples_without_labels_follow_the_class_prior(digits_model):
    X_new, y_new = digits_model.sample(20000, random_state=1)
    counts = np.array([np.sum(y_new == c) for c in digits_model.classes_])
    assert stats.chisquare(counts, 20000 * digits_model.class_prior_).pvalue > FAMILY_ALPHA
    # and each vector comes from its own class: its mean matches that class's theta
    for c in (0, 7):
        members = X_new[y_new == c]
        z = (members.mean(0) - digits_model.theta_[c]) / np.sqrt(digits_model.var_[c] / len(members))
        assert np.max(np.abs(z)) < stats.norm.isf(FAMILY_ALPHA / (2 * 2 * 64))


def test_sampling_is_reproducible(digits_model):
    a = digits_model.sample(50, random_state=3)
    b = digits_model.sample(50, random_state=3)
    c = digits_model.sample(50, random_state=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(digits_model.sample(5, random_state=g1)[0],
                                  digits_model.sample(5, random_state=g2)[0])
    labels = [3, 1, 4, 1, 5]
    _, y_new = digits_model.sample(5, y=labels, random_state=0)
    np.testing.assert_array_equal(y_new, labels)


@pytest.mark.parametrize("bad, match", [
    (np.array([[0.0, np.nan], [1.0, 1.0], [2.0, 0.5], [3.0, 1.0]]), "NaN"),
    (np.array([[0.0, np.inf], [1.0, 1.0], [2.0, 0.5], [3.0, 1.0]]), "infinity"),
    (np.array([0.0, 1.0, 2.0, 3.0]), "2D array"),
])
def test_fit_rejects_bad_X(bad, match):
    with pytest.raises(ValueError, match=match):
        GaussianNaiveBayes().fit(bad, [0, 0, 1, 1])


def test_fit_rejects_bad_y_and_hyper_parameters():
    X = np.arange(12.0).reshape(6, 2)
    y = [0, 0, 0, 1, 1, 1]
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        GaussianNaiveBayes().fit(X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 classes"):
        GaussianNaiveBayes().fit(X, [1] * 6)
    with pytest.raises(ValueError, match="Unknown label type"):
        GaussianNaiveBayes().fit(X, [0.5, 0.1, 0.2, 0.3, 0.4, 0.6])
    for bad in (-1e-3, np.nan, "small", True):
        with pytest.raises(ValueError, match="var_smoothing must be"):
            GaussianNaiveBayes(var_smoothing=bad).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        GaussianNaiveBayes(priors=[1.5, -0.5]).fit(X, y)
    with pytest.raises(ValueError, match="sum to 1"):
        GaussianNaiveBayes(priors=[0.5, 0.6]).fit(X, y)
    with pytest.raises(ValueError, match="one entry per class"):
        GaussianNaiveBayes(priors=[0.2, 0.3, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match="finite"):
        GaussianNaiveBayes(priors=[np.nan, 1.0]).fit(X, y)
    with pytest.raises(ValueError, match="array of numbers"):
        GaussianNaiveBayes(priors=["a", "b"]).fit(X, y)


def test_predict_rejects_bad_X():
    X = np.arange(12.0).reshape(6, 2)
    model = GaussianNaiveBayes().fit(X, [0, 0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="expecting 2 features"):
        model.predict(np.ones((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        model.predict_proba([[np.nan, 1.0]])
    with pytest.raises(NotFittedError):
        GaussianNaiveBayes().predict(X)


def test_sample_rejects_bad_arguments(digits_model):
    for bad in (0, -3, 2.5, True, "10"):
        with pytest.raises(ValueError, match="n_samples must be an integer >= 1"):
            digits_model.sample(bad)
    with pytest.raises(ValueError, match="unknown class 10"):
        digits_model.sample(3, y=10)
    with pytest.raises(ValueError, match="unknown class 'seven'"):
        digits_model.sample(2, y=["seven", 7])
    with pytest.raises(ValueError, match="unknown class"):
        digits_model.sample(1, y=[None])
    with pytest.raises(ValueError, match=r"array of shape \(3,\)"):
        digits_model.sample(3, y=[1, 2])
    with pytest.raises(NotFittedError):
        GaussianNaiveBayes().sample(3)


def test_draw_class_index_follows_the_prior_and_looks_up_labels():
    classes = np.array(["cat", "dog", "eel"])
    prior = np.array([0.2, 0.5, 0.3])
    n, index = draw_class_index(classes, prior, 20_000, None, np.random.default_rng(0))
    counts = np.bincount(index, minlength=3)
    # chi-square goodness of fit to the prior: a 1-in-1000 test, not a tolerance picked by eye
    assert n == 20_000 and stats.chisquare(counts, prior * n).pvalue > 1e-3
    # the same classes come back for given labels, whatever their order; a scalar fills every row
    labels = np.array(["eel", "cat", "eel", "dog"])
    assert classes[draw_class_index(classes, prior, 4, labels, None)[1]].tolist() == labels.tolist()
    assert draw_class_index(classes, prior, 3, "dog", None)[1].tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="unknown class 'emu'"):
        draw_class_index(classes, prior, 2, ["cat", "emu"], None)
