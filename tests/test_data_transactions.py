"""make_transactions: determinism, fraud rate, past-only history, a recoverable mechanism."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from dglab.data import (
    FIRST_TRANSACTION_AVG_AMOUNT,
    FRAUD_COEFFICIENTS,
    MERCHANT_CATEGORIES,
    fraud_features,
    fraud_score,
    make_transactions,
    true_fraud_probability,
)

COLUMNS = ["customer_id", "timestamp", "hour", "merchant_category", "amount", "distance_km",
           "customer_n_prev", "customer_avg_amount", "is_fraud"]


@pytest.fixture(scope="module")
def frame():
    return make_transactions(20_000, fraud_rate=0.05, random_state=3)


def test_columns_types_and_no_missing_values(frame):
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 20_000
    assert not frame.isna().any().any()
    assert list(frame["merchant_category"].cat.categories) == list(MERCHANT_CATEGORIES)
    assert set(frame["is_fraud"].unique()) == {0, 1}
    assert (frame["amount"] > 0).all() and (frame["distance_km"] >= 0).all()
    assert frame["hour"].between(0, 24, inclusive="left").all()
    # the hour is the time of day of the timestamp
    seconds = (frame["timestamp"] - frame["timestamp"].dt.normalize()).dt.total_seconds()
    np.testing.assert_allclose(frame["hour"], seconds / 3600.0, atol=1e-9)


def test_same_seed_same_frame_other_seed_other_frame():
    a = make_transactions(3000, 0.02, random_state=7)
    b = make_transactions(3000, 0.02, random_state=7)
    c = make_transactions(3000, 0.02, random_state=8)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    assert not a["amount"].equals(c["amount"])


@pytest.mark.parametrize("rate", [0.5, 0.1, 0.01, 0.001])
def test_realised_fraud_rate_is_within_binomial_noise_of_the_target(rate):
    n = 60_000
    df = make_transactions(n, rate, random_state=1)
    # the intercept is solved so that the mean fraud probability is exactly the target ...
    assert true_fraud_probability(df).mean() == pytest.approx(rate, rel=1e-8)
    # ... and the realised count is a sum of Bernoulli draws around it (variance <= binomial)
    standard_error = np.sqrt(rate * (1 - rate) / n)
    assert abs(df["is_fraud"].mean() - rate) < 4 * standard_error


def test_history_uses_only_earlier_rows_of_the_same_customer(frame):
    # Rows are in time order; recompute the history with a plain loop over that order.
    assert frame["timestamp"].is_monotonic_increasing
    seen_total, seen_count = {}, {}
    expected_avg, expected_n = [], []
    for customer, amount in zip(frame["customer_id"], frame["amount"], strict=True):
        n = seen_count.get(customer, 0)
        expected_n.append(n)
        expected_avg.append(seen_total[customer] / n if n else FIRST_TRANSACTION_AVG_AMOUNT)
        seen_total[customer] = seen_total.get(customer, 0.0) + amount
        seen_count[customer] = n + 1
    np.testing.assert_array_equal(frame["customer_n_prev"], expected_n)
    np.testing.assert_allclose(frame["customer_avg_amount"], expected_avg, rtol=1e-6)


def test_history_does_not_change_when_the_future_is_cut_off(frame):
    # Recomputing from the first half only (the future removed) gives the same history.
    half = frame.iloc[: len(frame) // 2]
    by_customer = half.groupby("customer_id")["amount"]
    n_prev = by_customer.cumcount()
    past = (by_customer.cumsum() - half["amount"]) / n_prev.where(n_prev > 0)
    past = past.fillna(FIRST_TRANSACTION_AVG_AMOUNT)
    np.testing.assert_array_equal(half["customer_n_prev"], n_prev)
    np.testing.assert_allclose(half["customer_avg_amount"], past, rtol=1e-6)


def test_first_transaction_has_the_documented_average():
    df = make_transactions(2000, 0.05, random_state=0)
    first = df.groupby("customer_id").head(1)
    assert (first["customer_n_prev"] == 0).all()
    assert (first["customer_avg_amount"] == FIRST_TRANSACTION_AVG_AMOUNT).all()


def test_logistic_regression_recovers_the_documented_mechanism():
    df = make_transactions(100_000, 0.1, random_state=2)
    features = fraud_features(df)
    # one-hot of every category but "fuel", whose documented offset is 0 (the reference)
    others = [c for c in MERCHANT_CATEGORIES if c != "fuel"]
    for c in others:
        features[c] = (df["merchant_category"] == c).astype(float)
    model = LogisticRegression(C=np.inf, max_iter=2000).fit(features, df["is_fraud"])
    fitted = dict(zip(features.columns, model.coef_[0], strict=True))
    truth = {k: FRAUD_COEFFICIENTS[k] for k in ("log_amount_ratio", "night", "log_distance")}
    truth |= {c: FRAUD_COEFFICIENTS["merchant_category"][c] for c in others}
    for name, value in truth.items():
        assert np.sign(fitted[name]) == np.sign(value), name
        assert fitted[name] == pytest.approx(value, abs=0.15), name
    assert model.intercept_[0] == pytest.approx(df.attrs["fraud_intercept"], abs=0.15)


def test_fraud_score_is_the_documented_sum(frame):
    row = frame.iloc[123]
    c = FRAUD_COEFFICIENTS
    by_hand = (
        c["log_amount_ratio"] * np.log(row["amount"] / row["customer_avg_amount"])
        + c["night"] * np.cos(2 * np.pi * (row["hour"] - 3) / 24)
        + c["log_distance"] * np.log1p(row["distance_km"])
        + c["merchant_category"][row["merchant_category"]]
    )
    assert fraud_score(frame)[123] == pytest.approx(by_hand)


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_fraud_rate_outside_the_open_unit_interval_is_rejected(rate):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        make_transactions(1000, rate)


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match=">= 100"):
        make_transactions(50, 0.1)
    with pytest.raises(ValueError, match="integer"):
        make_transactions(1000.5, 0.1)
    with pytest.raises(ValueError, match="integer"):
        make_transactions(True, 0.1)
    with pytest.raises(ValueError, match="must be a number"):
        make_transactions(1000, "1%")
    with pytest.raises(ValueError, match=r"only 1\.0 expected cases.*at least 5000"):
        make_transactions(1000, 0.001)


def test_fraud_score_needs_its_columns():
    df = make_transactions(500, 0.1, random_state=0)
    with pytest.raises(ValueError, match=r"missing \['distance_km'\]"):
        fraud_score(df.drop(columns="distance_km"))
    with pytest.raises(ValueError, match="fraud_intercept"):
        true_fraud_probability(pd.DataFrame(df.to_dict("list")))
