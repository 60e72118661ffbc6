import numpy as np
import pytest
import steep
from steep.testing import UniformProbe, descend, landscape_checks, only_plugins
from steep_landscape_needle import HALF_WIDTH, MARGIN, Needle

NEAR_BOTTOM = 0.01  # cost of a cup within about 0.27 °C of the perfect temperature


@pytest.mark.parametrize("check", landscape_checks(Needle), ids=str)
def test_conformance(check):
    check()


def test_descent_reaches_the_bottom_from_a_tiny_share_of_the_box():
    for seed in range(3):
        landscape = Needle(seed=seed)
        starts = np.linspace(0, 100, 2001).reshape(-1, 1)
        _, costs = descend(landscape, starts)
        reached = (costs <= NEAR_BOTTOM).mean()
        assert 0 < reached < 0.05, f"seed {seed}: descent reached the bottom from {reached:.1%}"


def test_descent_in_3d_never_reaches_the_bottom_from_random_starts():
    landscape = Needle(dim=3, seed=4)
    starts = landscape.bounds.sample(np.random.default_rng(0), 1000)
    _, costs = descend(landscape, starts)
    assert (costs <= 3 * NEAR_BOTTOM).mean() < 0.05


@pytest.mark.parametrize("dim", [1, 10])
def test_flat_everywhere_but_in_the_well(dim):
    landscape = Needle(dim=dim, seed=1)
    points = landscape.bounds.sample(np.random.default_rng(1), 10_000)
    outside_each = np.abs(points - landscape.perfect) >= HALF_WIDTH
    assert outside_each.mean() > 0.95
    outside = outside_each.all(axis=1)
    assert (landscape.evaluate(points[outside]) == dim).all()
    assert (landscape.gradient(points[outside]) == 0).all()


def test_random_tasting_finds_the_needle_in_1d():
    found = 0
    for seed in range(20):
        landscape = Needle(seed=seed)
        tasted = landscape.bounds.sample(np.random.default_rng(100 + seed), 1000)
        found += landscape.evaluate(tasted).min() <= NEAR_BOTTOM
    assert found >= 18, f"1000 random cups found the needle for only {found} of 20 seeds"


@pytest.mark.parametrize("dim", [1, 10])
def test_seed_places_the_needle_and_the_minimum_is_exact(dim):
    first, again, other = Needle(dim=dim, seed=3), Needle(dim=dim, seed=3), Needle(dim=dim, seed=4)
    np.testing.assert_array_equal(first.perfect, again.perfect)
    np.testing.assert_array_equal(Needle(dim=dim).perfect, Needle(dim=dim, seed=0).perfect)
    assert not np.array_equal(first.perfect, other.perfect)
    assert (first.perfect >= MARGIN).all() and (first.perfect <= 100 - MARGIN).all()
    best = first.minimum
    assert first.evaluate(best.x.reshape(1, -1))[0] == best.fun == 0.0
    near = best.x + np.random.default_rng(5).normal(0, 0.3, (10_000, dim))
    assert first.evaluate(near).min() > best.fun


@pytest.mark.parametrize("dim", [1, 10])
def test_runs_by_name(dim):
    with only_plugins("steep-landscape-needle"):
        result = steep.minimize("needle", optimizer=UniformProbe, dim=dim, budget=200, seed=0)
    assert result.nfev == 200 and result.x.shape == (dim,)
    assert result.minimum.fun == 0.0
