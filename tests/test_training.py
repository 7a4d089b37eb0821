import math

import numpy as np
import pytest
import torch

from dglab.training import History, TrainingDiverged, default_device, run_training, torch_seed


def test_run_training_records_every_step_and_time():
    seen = []

    def step(i):
        seen.append(i)
        return {"loss": 1.0 / (i + 1), "acc": i / 10}

    history = run_training(step, 10, progress=False)
    assert seen == list(range(10))
    assert len(history) == 10
    np.testing.assert_allclose(history["loss"], 1.0 / np.arange(1, 11))
    assert history.last("acc") == pytest.approx(0.9)
    assert history.seconds > 0


def test_record_every_keeps_the_last_step_and_history_continues():
    history = run_training(lambda i: {"loss": float(i)}, 10, progress=False, record_every=4)
    assert history.steps == [0, 4, 8, 9]
    history = run_training(lambda i: {"loss": float(i)}, 3, progress=False, history=history)
    assert history.steps[-3:] == [10, 11, 12]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_metric_stops_with_step_and_name(bad):
    def step(i):
        return {"loss": bad if i == 3 else 1.0}

    with pytest.raises(TrainingDiverged, match=r"step 3: loss = ") as info:
        run_training(step, 10, progress=False)
    assert info.value.history.steps == [0, 1, 2]


@pytest.mark.parametrize("n_steps", [0, -1, 2.5, True, "10"])
def test_n_steps_must_be_a_positive_integer(n_steps):
    with pytest.raises(ValueError, match="n_steps"):
        run_training(lambda i: {}, n_steps, progress=False)


def test_torch_seed_is_reproducible_and_leaves_global_state_alone():
    torch.manual_seed(5)
    expected_next_global = torch.rand(3)
    torch.manual_seed(5)
    with torch_seed(0):
        a = torch.nn.Linear(4, 2).weight.detach().clone()
    with torch_seed(0):
        b = torch.nn.Linear(4, 2).weight.detach().clone()
    assert torch.equal(a, b)
    assert torch.equal(torch.rand(3), expected_next_global)


def test_default_device():
    assert default_device("cpu").type == "cpu"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert default_device().type == expected


def test_history_contains():
    h = History()
    h.record(0, {"loss": 1})
    assert "loss" in h and "acc" not in h


def test_a_metric_above_its_limit_is_divergence_and_the_message_names_the_learning_rate():
    def step(i):
        return {"loss": 10.0 ** i}

    with pytest.raises(TrainingDiverged, match=r"step 3: loss = 1000 \(limit 100\) \(the learning rate was 0.5;") as info:
        run_training(step, 10, progress=False, limits={"loss": 100}, learning_rate=0.5)
    assert info.value.history.steps == [0, 1, 2]
    # a schedule is asked for the rate of the step that diverged
    with pytest.raises(TrainingDiverged, match=r"the learning rate was 0.03; try a smaller one"):
        run_training(step, 10, progress=False, limits={"loss": 100}, learning_rate=lambda i: 0.01 * i)
    # other metrics, and values at the limit, are not divergence
    run_training(lambda i: {"loss": 100.0, "other": 1e9}, 3, progress=False, limits={"loss": 100})


@pytest.mark.parametrize("kwargs, error, match", [
    ({"limits": [1.0]}, TypeError, "limits must be a mapping"),
    ({"limits": {"loss": True}}, ValueError, "the limit of 'loss' must be a number"),
    ({"limits": {"loss": math.nan}}, ValueError, "the limit of 'loss' must be a number"),
    ({"learning_rate": True}, ValueError, "learning_rate must be a finite number > 0"),
    ({"learning_rate": -1.0}, ValueError, "learning_rate must be a finite number > 0"),
])
def test_run_training_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        run_training(lambda i: {"loss": 1.0}, 3, progress=False, **kwargs)
