import numpy as np
import pytest
import steep
from steep.testing import UniformProbe, descend, landscape_checks, only_plugins
from steep_landscape_wiggles import PERIOD, Wiggles


@pytest.mark.parametrize("check", landscape_checks(Wiggles), ids=str)
def test_conformance(check):
    check()


@pytest.mark.parametrize("dim", [1, 3])
def test_small_steps_end_in_a_ripple_away_from_the_minimum(dim):
    landscape = Wiggles(dim=dim)
    starts = landscape.bounds.sample(np.random.default_rng(0), 300)
    ends, _ = descend(landscape, starts, max_move=0.1 * PERIOD, iterations=400)
    away = np.abs(ends - landscape.minimum.x).max(axis=1) > PERIOD / 2
    assert away.mean() > 0.7, f"only {away.mean():.0%} of descents ended away from the minimum"
    assert np.abs(landscape.gradient(ends[away])).max() < 1e-6, "descents did not settle"
    ripples = np.unique(np.round(ends[away] / PERIOD), axis=0)
    assert len(ripples) >= 5, f"descents stopped in only {len(ripples)} distinct ripples"


@pytest.mark.parametrize("dim", [1, 3])
def test_descent_from_next_to_the_minimum_reaches_it(dim):
    landscape = Wiggles(dim=dim)
    best = landscape.minimum
    starts = best.x + np.random.default_rng(1).uniform(-0.2, 0.2, (50, dim)) * PERIOD
    _, costs = descend(landscape, starts, max_move=0.1 * PERIOD, iterations=400)
    assert (costs <= best.fun + 1e-8).all()


@pytest.mark.parametrize("dim", [1, 10])
def test_nothing_is_lower_than_the_minimum(dim):
    landscape = Wiggles(dim=dim)
    best = landscape.minimum
    assert landscape.evaluate(best.x.reshape(1, -1))[0] == best.fun
    rng = np.random.default_rng(2)
    near = best.x + rng.normal(0, 1.0, (20_000, dim))
    assert landscape.evaluate(near).min() > best.fun
    assert landscape.evaluate(landscape.bounds.sample(rng, 20_000)).min() > best.fun


@pytest.mark.parametrize("dim", [1, 10])
def test_runs_by_name(dim):
    with only_plugins("steep-landscape-wiggles"):
        result = steep.minimize("wiggles", optimizer=UniformProbe, dim=dim, budget=200, seed=0)
    assert result.nfev == 200 and result.x.shape == (dim,)
    assert result.gap == pytest.approx(result.fun - 0.0)
