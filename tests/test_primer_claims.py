"""Chapter 16's qualitative claim, over several seeds: two hidden units are far worse than a few
dozen (the chapter prints seed 0; the sentence "accuracy suffers ... a few dozen are enough" must
hold for other seeds too). Run once more under ATEN_CPU_CAPABILITY=default by `make test`."""

import pytest

torch = pytest.importorskip("torch")

from sklearn.model_selection import train_test_split  # noqa: E402
from torch import nn  # noqa: E402

from dglab.data import load_digits_scaled  # noqa: E402
from dglab.training import run_training, torch_seed  # noqa: E402


class MLP(nn.Module):  # the chapter's MLP
    def __init__(self, n_hidden):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(64, n_hidden), nn.ReLU(), nn.Linear(n_hidden, 10))

    def forward(self, x):
        return self.layers(x)


def held_out_accuracy(n_hidden, seed, n_steps=200, lr=1e-2):
    X, y = load_digits_scaled()
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    with torch_seed(seed):
        net = MLP(n_hidden)
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def step(i):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(X_train), y_train)
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    run_training(step, n_steps, progress=False)
    with torch.no_grad():
        return (net(X_test).argmax(dim=1) == y_test).float().mean().item()


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_two_hidden_units_are_far_worse_than_a_few_dozen(seed):
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        narrow, wide = held_out_accuracy(2, seed), held_out_accuracy(32, seed)
    finally:
        torch.set_num_threads(before)
    assert narrow < 0.7 < 0.95 < wide
