import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from dglab.hybrid import ClassConditionalGMM, GenerativeAugmentedClassifier, augment
from dglab.naive_bayes import GaussianNaiveBayes
from dglab.validation import learning_curves


@parametrize_with_checks([
    ClassConditionalGMM(random_state=0),
    ClassConditionalGMM(n_components=2, covariance_type="diag", reg_covar=1e-3, random_state=0),
    GenerativeAugmentedClassifier(LogisticRegression(), GaussianNaiveBayes(), random_state=0),
])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


# -- ClassConditionalGMM -------------------------------------------------------------------------
def test_one_component_is_a_gaussian_per_class_with_bayes_rule(wine):
    X_train, X_test, y_train, _ = wine
    model = ClassConditionalGMM(reg_covar=1e-4).fit(X_train, y_train)
    joint = []
    for k, c in enumerate(model.classes_):
        Xc = X_train[y_train == c]
        mean, cov = Xc.mean(axis=0), np.cov(Xc, rowvar=False, bias=True) + 1e-4 * np.eye(X_train.shape[1])
        np.testing.assert_allclose(model.mixtures_[k].means_[0], mean, rtol=1e-10)
        np.testing.assert_allclose(model.mixtures_[k].covariances_[0], cov, rtol=1e-8, atol=1e-10)
        joint.append(stats.multivariate_normal(mean, cov).logpdf(X_test) + np.log(np.mean(y_train == c)))
    joint = np.column_stack(joint)
    expected = np.exp(joint - logsumexp(joint, axis=1, keepdims=True))
    np.testing.assert_allclose(model.predict_proba(X_test), expected, rtol=1e-6, atol=1e-10)
    np.testing.assert_array_equal(model.predict(X_test), model.classes_[expected.argmax(axis=1)])


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_samples_follow_the_fitted_mixture(covariance_type):
    X, y = load_iris(return_X_y=True)
    model = ClassConditionalGMM(n_components=2, covariance_type=covariance_type, random_state=0).fit(X, y)
    reference = GaussianMixture(2, covariance_type=covariance_type, random_state=0).fit(X[y == 2])
    n = 40_000
    X_new, y_new = model.sample(n, y=2, random_state=0)
    assert X_new.shape == (n, 4) and (y_new == 2).all()
    # The mixture's mean and covariance in closed form, from an independently fitted mixture.
    w, means = reference.weights_, reference.means_
    covs = reference.covariances_
    if covariance_type == "tied":
        covs = np.stack([covs, covs])
    elif covariance_type == "diag":
        covs = np.stack([np.diag(v) for v in covs])
    elif covariance_type == "spherical":
        covs = np.stack([v * np.eye(4) for v in covs])
    mean = w @ means
    cov = np.einsum("k,kij->ij", w, covs + np.einsum("ki,kj->kij", means, means)) - np.outer(mean, mean)
    # means within 5 standard errors; covariances within 5 % of the largest variance
    np.testing.assert_array_less(np.abs(X_new.mean(axis=0) - mean), 5 * np.sqrt(np.diag(cov) / n))
    assert np.max(np.abs(np.cov(X_new, rowvar=False) - cov)) < 0.05 * np.max(np.diag(cov))


def test_sampling_is_deterministic_and_labels_are_the_requested_classes(wine):
    X_train, _, y_train, _ = wine
    model = ClassConditionalGMM(random_state=0).fit(X_train, y_train)
    labels = np.array([2, 0, 0, 1, 2, 2])
    X1, y1 = model.sample(6, y=labels, random_state=3)
    X2, y2 = model.sample(6, y=labels, random_state=3)
    X3, _ = model.sample(6, y=labels, random_state=4)
    np.testing.assert_array_equal(y1, labels)
    np.testing.assert_array_equal(X1, X2)
    assert not np.allclose(X1, X3)
    # each row is far more likely under its own class than under the others
    assert (model.predict(X1) == labels).mean() >= 5 / 6


def test_sampling_without_labels_follows_the_class_prior(wine):
    X_train, _, y_train, _ = wine
    model = ClassConditionalGMM(random_state=0).fit(X_train, y_train)
    _, y_new = model.sample(20_000, random_state=0)
    counts = np.bincount(y_new, minlength=3)
    assert stats.chisquare(counts, 20_000 * model.class_prior_).pvalue > 1e-4


def test_class_conditional_gmm_rejects_bad_input(wine):
    X_train, _, y_train, _ = wine
    model = ClassConditionalGMM().fit(X_train, y_train)
    with pytest.raises(ValueError, match="unknown class 7"):
        model.sample(3, y=7)
    with pytest.raises(ValueError, match="n_samples must be an integer >= 1"):
        model.sample(0)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        model.sample(3, y=[0, 1])
    with pytest.raises(ValueError, match="class 2 has 1 sample"):
        ClassConditionalGMM().fit(X_train[:5], [0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match="covariance_type"):
        ClassConditionalGMM(covariance_type="banded").fit(X_train, y_train)
    with pytest.raises(ValueError, match="n_components"):
        ClassConditionalGMM(n_components=0).fit(X_train, y_train)
    with pytest.raises(ValueError, match="random_state"):
        model.sample(3, random_state=-1)


# -- augment -------------------------------------------------------------------------------------
class LabelStampGenerator:
    """A fake generator: every row it makes is filled with the value of its class."""

    def __init__(self, classes):
        self.classes_ = np.asarray(classes)
        self.requests = []

    def sample(self, n, y=None, random_state=None):
        self.requests.append(np.asarray(y).copy())
        return np.repeat(np.asarray(y, dtype=float)[:, None], 2, axis=1), np.asarray(y)


def test_augment_labels_every_row_with_the_class_it_was_drawn_from():
    X = np.zeros((10, 2))
    y = np.array([0] * 7 + [1] * 3)
    generator = LabelStampGenerator([0, 1])
    X_aug, y_aug, is_generated = augment(X, y, generator, factor=2.0)
    assert X_aug.shape == (30, 2) and y_aug.shape == (30,)
    np.testing.assert_array_equal(X_aug[:10], X)
    np.testing.assert_array_equal(y_aug[:10], y)
    np.testing.assert_array_equal(is_generated, np.arange(30) >= 10)
    assert np.bincount(y_aug[is_generated]).tolist() == [14, 6]  # class balance kept
    np.testing.assert_array_equal(X_aug[is_generated, 0], y_aug[is_generated])  # drawn from that class
    np.testing.assert_array_equal(generator.requests[0], y_aug[is_generated])


def test_augment_rounds_per_class_and_handles_factor_zero():
    X, y = np.zeros((5, 2)), np.array([0, 0, 0, 1, 1])
    _, y_aug, gen = augment(X, y, LabelStampGenerator([0, 1]), factor=0.5)
    assert np.bincount(y_aug[gen]).tolist() == [2, 1]  # rint(1.5) = 2, rint(1.0) = 1
    X0, y0, gen0 = augment(X, y, LabelStampGenerator([0, 1]), factor=0)
    np.testing.assert_array_equal(X0, X)
    np.testing.assert_array_equal(y0, y)
    assert not gen0.any()


def test_augment_rejects_bad_input():
    X, y = np.zeros((4, 2)), np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match="factor must be a finite number >= 0"):
        augment(X, y, LabelStampGenerator([0, 1]), factor=-1)
    with pytest.raises(ValueError, match=r"not fitted on the classes \[1\]"):
        augment(X, y, LabelStampGenerator([0]), factor=1)

    class Relabeller(LabelStampGenerator):
        def sample(self, n, y=None, random_state=None):
            X_new, y_new = super().sample(n, y)
            return X_new, 1 - y_new

    with pytest.raises(RuntimeError, match="other classes"):
        augment(X, y, Relabeller([0, 1]), factor=1)


# -- GenerativeAugmentedClassifier ---------------------------------------------------------------
class RecordingClassifier(KNeighborsClassifier):
    """A 1-nearest-neighbour classifier that remembers what it was trained on and asked about."""

    log = []

    def __init__(self, n_neighbors=1):
        super().__init__(n_neighbors=n_neighbors)

    def fit(self, X, y):
        RecordingClassifier.log.append(("fit", np.array(X), np.array(y)))
        return super().fit(X, y)

    def predict(self, X):
        RecordingClassifier.log.append(("predict", np.array(X), None))
        return super().predict(X)


class RecordingGenerator(GaussianNaiveBayes):
    log = []

    def fit(self, X, y):
        RecordingGenerator.log.append(np.array(X))
        return super().fit(X, y)


def test_generated_labels_do_not_depend_on_the_classifier(wine):
    X_train, _, y_train, _ = wine
    RecordingClassifier.log.clear()
    model = GenerativeAugmentedClassifier(RecordingClassifier(), GaussianNaiveBayes(), factor=1.5,
                                          random_state=0).fit(X_train, y_train)
    _, X_seen, y_seen = RecordingClassifier.log[-1]
    X_aug, y_aug, is_generated = augment(X_train, y_train, model.generator_, 1.5, random_state=0)
    np.testing.assert_array_equal(X_seen, X_aug)
    np.testing.assert_array_equal(y_seen, y_aug)
    assert model.n_generated_ == is_generated.sum() == np.rint(1.5 * np.bincount(y_train)).sum()
    # a completely different classifier is trained on exactly the same labelled rows
    other = GenerativeAugmentedClassifier(make_pipeline(StandardScaler(), LogisticRegression()),
                                          GaussianNaiveBayes(), factor=1.5, random_state=0)
    other.fit(X_train, y_train)
    assert other.n_generated_ == model.n_generated_
    np.testing.assert_array_equal(other.generator_.theta_, model.generator_.theta_)


def test_augmented_classifier_is_deterministic(wine):
    X_train, X_test, y_train, _ = wine
    make = lambda seed: GenerativeAugmentedClassifier(  # noqa: E731
        make_pipeline(StandardScaler(), LogisticRegression()), ClassConditionalGMM(random_state=0),
        factor=2, random_state=seed)
    a, b, c = make(0).fit(X_train, y_train), make(0).fit(X_train, y_train), make(1).fit(X_train, y_train)
    np.testing.assert_array_equal(a.predict_proba(X_test), b.predict_proba(X_test))
    assert not np.array_equal(a.predict_proba(X_test), c.predict_proba(X_test))


def test_factor_zero_is_the_classifier_alone(wine):
    X_train, X_test, y_train, _ = wine
    alone = KNeighborsClassifier(3).fit(X_train, y_train)
    wrapped = GenerativeAugmentedClassifier(KNeighborsClassifier(3), factor=0).fit(X_train, y_train)
    assert wrapped.n_generated_ == 0
    np.testing.assert_array_equal(wrapped.predict(X_test), alone.predict(X_test))


def test_the_generator_never_sees_a_test_row_in_learning_curves():
    X, y = load_breast_cancer(return_X_y=True)
    X = np.column_stack([np.arange(len(X)), X])  # column 0: a unique id per row
    RecordingGenerator.log.clear()
    RecordingClassifier.log.clear()
    model = GenerativeAugmentedClassifier(RecordingClassifier(), RecordingGenerator(), factor=1,
                                          random_state=0)
    sizes = [20, 80]
    learning_curves({"augmented": model}, X, y, sizes, n_repeats=3, test_size=0.25, random_state=0)
    fits = [entry for entry in RecordingClassifier.log if entry[0] == "fit"]
    predictions = [entry[1] for entry in RecordingClassifier.log if entry[0] == "predict"]
    assert len(RecordingGenerator.log) == len(fits) == len(predictions) == 6
    for seen, (_, X_fit, _), X_asked in zip(RecordingGenerator.log, fits, predictions, strict=True):
        train_ids, test_ids = set(seen[:, 0]), set(X_asked[:, 0])
        assert len(seen) in sizes and len(train_ids) == len(seen)
        assert not train_ids & test_ids
        # the classifier's real rows are the generator's rows; the rest are new points
        real = X_fit[: len(seen)]
        np.testing.assert_array_equal(real, seen)
        generated = X_fit[len(seen):]
        assert not (np.isin(generated[:, 0], list(test_ids)) & np.all(
            np.isin(generated, X_asked), axis=1)).any()


def test_augmented_classifier_rejects_bad_factor(wine):
    X_train, _, y_train, _ = wine
    with pytest.raises(ValueError, match="factor must be a finite number >= 0"):
        GenerativeAugmentedClassifier(LogisticRegression(), factor=float("nan")).fit(X_train, y_train)


def test_paired_gain_matches_a_paired_t_interval():
    from dglab.hybrid import paired_gain

    X, y = load_breast_cancer(return_X_y=True)
    svm = make_pipeline(StandardScaler(), KNeighborsClassifier(1))
    curves = learning_curves(
        {"alone": svm, "augmented": GenerativeAugmentedClassifier(svm, GaussianNaiveBayes(), random_state=0)},
        X, y, [10, 40], n_repeats=6, test_size=0.25, random_state=0)
    gain = paired_gain(curves, "alone", "augmented", confidence=0.9)
    for m, row in gain.set_index("train_size").iterrows():
        alone = curves[(curves.estimator == "alone") & (curves.train_size == m)].sort_values("repeat")
        aug = curves[(curves.estimator == "augmented") & (curves.train_size == m)].sort_values("repeat")
        d = (1 - aug.test_error.to_numpy()) - (1 - alone.test_error.to_numpy())
        low, high = stats.t.interval(0.9, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
        assert row["gain"] == pytest.approx(d.mean(), abs=1e-12)
        assert row["ci_low"] == pytest.approx(low) and row["ci_high"] == pytest.approx(high)
        assert row["wins"] == np.mean(d > 0) and row["n_repeats"] == 6
    with pytest.raises(ValueError, match="no estimator 'other'"):
        paired_gain(curves, "alone", "other")
