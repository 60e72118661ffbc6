import numpy as np
import pytest
import steep
from steep.testing import UniformProbe, central_slopes, landscape_checks, only_plugins
from steep_landscape_valleys import HOT, ICED, ICED_WIDTH, Valleys


@pytest.mark.parametrize("check", landscape_checks(Valleys), ids=str)
def test_conformance(check):
    check()


def descend_by_signs(landscape, starts, max_move=1.0, iterations=200):
    """Local descent on the signs of central finite-difference slopes (Rprop).

    Each coordinate moves downhill by its own step, which grows (up to ``max_move``) while
    the slope keeps its sign and halves when the slope flips, so it settles in the valley
    it starts in. Not :func:`steep.testing.descend`: steps by the slope's sign alone, with
    no cost test, it settles at the bottom where the slope flips (the basins measured here).
    """
    points = starts.copy()
    moves = np.full(points.shape, 0.1 * max_move)
    previous = np.zeros(points.shape)
    for _ in range(iterations):
        slope = np.sign(central_slopes(landscape, points))
        flipped = slope * previous < 0
        moves = np.where(flipped, moves / 2, np.minimum(1.2 * moves, max_move))
        points = landscape.bounds.clip(points - slope * moves)
        previous = slope
    return points, landscape.evaluate(points)


def basins(landscape, starts):
    """The distinct ends of descent (to 0.1 °C) and the share of starts that reach each."""
    ends, _ = descend_by_signs(landscape, starts)
    assert np.abs(landscape.gradient(ends)).max() < 1e-6, "descent did not settle"
    bottoms, counts = np.unique(np.round(ends, 1), axis=0, return_counts=True)
    return bottoms, counts / len(starts)


@pytest.mark.parametrize("seed", range(5))
def test_deepest_valley_is_not_the_one_most_descents_end_in_1d(seed):
    landscape = Valleys(seed=seed)
    bottoms, shares = basins(landscape, np.linspace(0, 100, 1001).reshape(-1, 1))
    assert len(bottoms) > 1, "descent found a single valley"
    best = landscape.minimum.x
    in_best = np.abs(bottoms - best).max(axis=1) < 0.2
    assert in_best.sum() == 1, f"descent missed the global minimum; ends {bottoms.ravel()}"
    assert 0 < shares[in_best][0] < shares.max(), f"global basin {shares[in_best][0]:.0%}"
    broad = bottoms[np.argmax(shares)]
    assert np.abs(broad - best).max() > 30, f"largest basin ends at {broad}, near the best"
    assert shares[in_best][0] < 0.25, "the deepest valley drains a quarter of the range"


def test_deepest_valley_is_not_the_one_most_descents_end_in_3d():
    landscape = Valleys(dim=3, seed=0)
    starts = landscape.bounds.sample(np.random.default_rng(0), 500)
    bottoms, shares = basins(landscape, starts)
    assert len(bottoms) > 1
    largest = bottoms[np.argmax(shares)]
    assert np.abs(largest - landscape.minimum.x).max() > 30
    reached = np.abs(bottoms - landscape.minimum.x).max(axis=1) < 0.2
    assert shares[reached].sum() < 0.05


@pytest.mark.parametrize("seed", range(5))
def test_minimum_is_the_iced_tea_and_exact(seed):
    landscape = Valleys(seed=seed)
    best = landscape.minimum
    assert abs(best.x[0] - ICED) < ICED_WIDTH
    assert abs(landscape.gradient(best.x.reshape(1, 1))[0, 0]) < 1e-12
    dense = np.linspace(0, 100, 200_001).reshape(-1, 1)
    assert landscape.evaluate(dense).min() >= best.fun - 1e-12
    assert landscape.evaluate(best.x.reshape(1, 1))[0] == pytest.approx(best.fun, abs=1e-15)
    hot_tea = descend_by_signs(landscape, np.array([[HOT]]))[1][0]
    assert hot_tea > best.fun + 1.0, "hot tea is nearly as good as iced tea"


@pytest.mark.parametrize("dim", [2, 10])
def test_minimum_holds_in_more_dimensions(dim):
    landscape, line = Valleys(dim=dim, seed=1), Valleys(seed=1)
    best = landscape.minimum
    np.testing.assert_array_equal(best.x, np.full(dim, line.minimum.x[0]))
    assert landscape.evaluate(best.x.reshape(1, -1))[0] == pytest.approx(0.0, abs=1e-12)
    near = best.x + np.random.default_rng(1).normal(0, 0.5, (20_000, dim))
    assert landscape.evaluate(near).min() > best.fun


def test_seed_moves_the_small_valleys_only():
    first, again, other = Valleys(seed=3), Valleys(seed=3), Valleys(seed=4)
    np.testing.assert_array_equal(first.centres, again.centres)
    np.testing.assert_array_equal(Valleys().centres, Valleys(seed=0).centres)
    assert not np.array_equal(first.centres, other.centres)
    assert first.centres[0] == other.centres[0] == ICED


def test_random_tasting_finds_the_ice_in_1d():
    found = 0
    for seed in range(20):
        landscape = Valleys(seed=seed)
        tasted = landscape.bounds.sample(np.random.default_rng(100 + seed), 1000)
        best_cup = tasted[np.argmin(landscape.evaluate(tasted))]
        found += abs(best_cup[0] - landscape.minimum.x[0]) < ICED_WIDTH
    assert found >= 18, f"1000 random cups found the ice for only {found} of 20 seeds"


@pytest.mark.parametrize("dim", [1, 10])
def test_runs_by_name(dim):
    with only_plugins("steep-landscape-valleys"):
        result = steep.minimize("valleys", optimizer=UniformProbe, dim=dim, budget=200, seed=0)
    assert result.nfev == 200 and result.x.shape == (dim,)
    assert result.minimum.fun == 0.0
