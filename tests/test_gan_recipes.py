"""The claims chapters 4 and 5 make about their GAN recipes hold for several seeds and kernels.

Each claim is checked on the recipe the chapter runs (imported from ``dglab.recipes``) for three
seeds, and once more in a subprocess under PyTorch's generic CPU kernels
(``ATEN_CPU_CAPABILITY=default``, read when torch is imported), which round differently, the
way another CPU does. ``scripts/measure_gan_seeds.py`` measures the same recipes over more
seeds for the tables the chapters print.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from dglab import recipes

SEEDS = (0, 1, 2)

pytestmark = pytest.mark.slow


def _generic_kernels(code: str) -> dict:
    """Run ``code`` (which prints one JSON line last) with torch's generic kernels."""
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, text=True,
                          capture_output=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _check_coverage_over_seeds(train, assert_claim) -> None:
    """Train ``train(seed)`` for every seed of SEEDS and check the modes / high-quality claim."""
    coverage = [recipes.ring_coverage(train(seed)) for seed in SEEDS]
    assert_claim([c.n_covered for c in coverage], [c.high_quality for c in coverage])


def _check_coverage_under_generic_kernels(train_name: str, assert_claim) -> None:
    """The same for seed 0 of ``recipes.<train_name>``, in a subprocess on the generic kernels."""
    result = _generic_kernels(f"""
        import json
        from dglab import recipes
        c = recipes.ring_coverage(recipes.{train_name}(0))
        print(json.dumps({{"modes": c.n_covered, "hq": c.high_quality}}))
    """)
    assert_claim([result["modes"]], [result["hq"]])


def _ring_spread(gan) -> float:
    return float(gan.sample(2000, random_state=recipes.SEED).std(axis=0).mean())


# -- chapter 5, experiment 1 --------------------------------------------------------------------------
def _assert_ring_claim(modes, high_quality):
    # chapter 5: every run puts most samples on the modes; most runs cover all eight
    assert all(m >= 7 for m in modes), modes
    assert all(q >= 0.85 for q in high_quality), high_quality
    assert sum(m == 8 for m in modes) >= (len(modes) + 1) // 2, modes


def test_ring_recipe_covers_the_modes_for_several_seeds():
    _check_coverage_over_seeds(recipes.train_ring, _assert_ring_claim)


def test_ring_recipe_covers_the_modes_under_generic_kernels():
    _check_coverage_under_generic_kernels("train_ring", _assert_ring_claim)


# -- chapter 5, experiment 2: like with like ------------------------------------------------------------
def _assert_collapse_claim(collapsed, healthy, data_spread):
    # after the same number of steps with the same schedule, the slow-discriminator run piles its
    # samples into a small region and covers at most one mode; the healthy run spans the ring
    for modes, spread in collapsed:
        assert modes <= 1 and spread < 0.5 * data_spread, (modes, spread)
    for spread in healthy:
        assert spread > 0.8 * data_spread, spread


def test_a_slower_discriminator_collapses_for_several_seeds():
    X = recipes.ring_data()
    data_spread = float(X.std(axis=0).mean())
    collapsed, healthy = [], []
    for seed in SEEDS:
        gan = recipes.train_collapse(seed)
        collapsed.append((recipes.ring_coverage(gan).n_covered, _ring_spread(gan)))
        healthy.append(_ring_spread(recipes.train_ring(seed, n_steps=recipes.COLLAPSE_STEPS)))
    _assert_collapse_claim(collapsed, healthy, data_spread)


def test_a_slower_discriminator_collapses_under_generic_kernels():
    result = _generic_kernels("""
        import json
        from dglab import recipes
        def spread(g):
            return float(g.sample(2000, random_state=recipes.SEED).std(axis=0).mean())
        bad = recipes.train_collapse(0)
        good = recipes.train_ring(0, n_steps=recipes.COLLAPSE_STEPS)
        print(json.dumps({"modes": recipes.ring_coverage(bad).n_covered, "bad": spread(bad),
                          "good": spread(good),
                          "data": float(recipes.ring_data().std(axis=0).mean())}))
    """)
    _assert_collapse_claim([(result["modes"], result["bad"])], [result["good"]], result["data"])


# -- chapter 4 -----------------------------------------------------------------------------------------
def _assert_quick_claim(modes, high_quality):
    # chapter 4: from a smudge that covers nothing to at least half the clusters, with at least
    # half the samples high-quality (measured: 7-8 modes natively, 4 modes / 0.65 on the generic
    # kernels, so the bound on the modes has no margin to spare)
    assert all(m >= 4 for m in modes), modes
    assert all(q >= 0.5 for q in high_quality), high_quality


def test_chapter4_short_run_puts_samples_on_the_clusters_for_several_seeds():
    _check_coverage_over_seeds(recipes.train_quick_ring, _assert_quick_claim)


def test_chapter4_short_run_under_generic_kernels():
    _check_coverage_under_generic_kernels("train_quick_ring", _assert_quick_claim)


def test_the_subprocess_really_runs_the_generic_kernels():
    # otherwise the generic-kernel tests above would prove nothing
    result = _generic_kernels("""
        import json, torch
        print(json.dumps({"capability": torch.backends.cpu.get_cpu_capability()}))
    """)
    assert result["capability"] == "DEFAULT"
