"""dglab.timing: the estimate extrapolates the median probed step, and durations read sensibly."""

import pytest

from dglab.timing import describe_duration, estimate_seconds, seconds_per_step


class FakeClock:
    """A step whose cost is scripted, read through a patched perf_counter (no real sleeping)."""

    def __init__(self, costs):
        self.now, self.costs, self.calls = 0.0, list(costs), []

    def perf_counter(self):
        return self.now

    def step(self, i):
        self.calls.append(i)
        self.now += self.costs[len(self.calls) - 1]


def test_the_warm_up_is_not_timed_and_the_median_ignores_one_slow_step(monkeypatch):
    clock = FakeClock([5.0, 0.1, 0.1, 3.0, 0.1, 0.1])  # slow first call, one hiccup
    monkeypatch.setattr("dglab.timing.time.perf_counter", clock.perf_counter)
    assert seconds_per_step(clock.step, n_probe=5) == pytest.approx(0.1)
    assert clock.calls == [0, 1, 2, 3, 4, 5]


def test_estimate_is_steps_times_seconds_per_step(monkeypatch):
    clock = FakeClock([1.0] + [0.02] * 5)
    monkeypatch.setattr("dglab.timing.time.perf_counter", clock.perf_counter)
    assert estimate_seconds(clock.step, 300) == pytest.approx(6.0)


def test_a_real_step_is_timed_in_real_seconds():
    import time

    assert 0.009 < seconds_per_step(lambda i: time.sleep(0.01), n_probe=3) < 0.5


@pytest.mark.parametrize(("seconds", "words"), [
    (0.2, "about 1 second"), (7.4, "about 7 seconds"), (9.6, "about 10 seconds"),
    (23.0, "about 25 seconds"), (57.0, "about 55 seconds"), (58.0, "about 1 minute"),
    (95.0, "about 1.5 minutes"), (600.0, "about 10 minutes"),
])
def test_describe_duration_rounds_like_an_estimate(seconds, words):
    assert describe_duration(seconds) == words


def test_bad_input_is_refused_clearly():
    with pytest.raises(TypeError, match="callable"):
        seconds_per_step(3)
    with pytest.raises(ValueError, match="n_probe"):
        seconds_per_step(lambda i: None, n_probe=0)
    with pytest.raises(ValueError, match="n_steps"):
        estimate_seconds(lambda i: None, 0)
    with pytest.raises(ValueError, match="seconds"):
        describe_duration(float("nan"))
    with pytest.raises(ValueError, match="seconds"):
        describe_duration(-1)
