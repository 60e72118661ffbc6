import numpy as np
import pytest
import steep
from steep.testing import UniformProbe, central_slopes, landscape_checks, only_plugins
from steep_landscape_stairs import STEP, Stairs


@pytest.mark.parametrize("check", landscape_checks(Stairs), ids=str)
def test_conformance(check):
    check()


@pytest.mark.parametrize("dim", [1, 10])
def test_finite_difference_slope_is_zero_almost_everywhere(dim):
    landscape = Stairs(dim=dim)
    points = landscape.bounds.sample(np.random.default_rng(0), 5000)
    flat = (central_slopes(landscape, points) == 0).all(axis=1)
    assert flat.mean() > 0.95, f"slope exactly zero at only {flat.mean():.1%} of points"


def test_slope_is_not_zero_across_a_jump():
    landscape = Stairs()
    jumps = (65.0 + STEP * np.arange(1, 9)).reshape(-1, 1)
    assert (central_slopes(landscape, jumps) > 0).all()


@pytest.mark.parametrize("dim", [1, 3])
def test_cost_moves_in_whole_points_on_a_10_point_scale(dim):
    landscape = Stairs(dim=dim)
    costs = landscape.evaluate(landscape.bounds.sample(np.random.default_rng(1), 20_000))
    assert np.array_equal(costs, np.round(costs))
    assert costs.min() >= 0 and costs.max() <= 9 * dim
    one = Stairs().evaluate(np.linspace(0, 100, 100_001).reshape(-1, 1))
    assert set(np.unique(one)) == set(range(10))


@pytest.mark.parametrize("dim", [1, 10])
def test_the_whole_bottom_step_is_the_minimum(dim):
    landscape = Stairs(dim=dim)
    best = landscape.minimum
    rng = np.random.default_rng(2)
    on_step = best.x + rng.uniform(-0.999 * STEP, 0.999 * STEP, (1000, dim))
    assert (landscape.evaluate(on_step) == best.fun).all()
    off_step = on_step.copy()
    off_step[:, 0] = best.x[0] + rng.choice([-1, 1], 1000) * rng.uniform(STEP, 30, 1000)
    assert (landscape.evaluate(off_step) >= best.fun + 1).all()


@pytest.mark.parametrize("dim", [1, 10])
def test_runs_by_name(dim):
    with only_plugins("steep-landscape-stairs"):
        result = steep.minimize("stairs", optimizer=UniformProbe, dim=dim, budget=200, seed=0)
    assert result.nfev == 200 and result.x.shape == (dim,)
    assert result.fun == np.round(result.fun)
