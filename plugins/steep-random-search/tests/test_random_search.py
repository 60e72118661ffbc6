import math

import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_random_search import RandomSearch


@pytest.mark.parametrize("check", optimizer_checks(RandomSearch), ids=str)
def test_conformance(check):
    check()


def test_points_cover_the_box_uniformly():
    bounds = [(0.0, 2.0), (-1.0, 5.0)]
    result = steep.minimize(
        lambda X: X[:, 0], bounds, optimizer=RandomSearch, budget=20_000, seed=4, vectorized=True
    )
    X = result.history.x
    lower, width = np.array([0.0, -1.0]), np.array([2.0, 6.0])
    unit = (X - lower) / width
    # chi-square over a 10 x 10 grid of cells: 99 degrees of freedom, 0.999 quantile 148.2
    cells = np.minimum((unit * 10).astype(int), 9)
    counts = np.bincount(cells[:, 0] * 10 + cells[:, 1], minlength=100)
    expected = len(X) / 100
    assert ((counts - expected) ** 2 / expected).sum() < 148.2
    # each coordinate: mean 1/2 and quartiles 1/4, 3/4 of the unit interval
    np.testing.assert_allclose(unit.mean(axis=0), 0.5, atol=0.01)
    np.testing.assert_allclose(
        np.quantile(unit, [0.25, 0.75], axis=0).T, [[0.25, 0.75]] * 2, atol=0.01
    )


def test_finds_the_bottom_of_1d_sphere_as_uniform_sampling_predicts():
    # n uniform points on an interval of width W: P(no point within r of the bottom) is
    # about exp(-2 r n / W), so r = W ln(1000) / (2 n) is exceeded once in a thousand runs.
    n, width = 1000, 10.0
    limit = width * math.log(1000) / (2 * n)
    distances = []
    for seed in range(20):
        result = steep.minimize(Sphere(dim=1), optimizer=RandomSearch, budget=n, seed=seed)
        assert result.nfev == n and result.stop == "budget"
        distances.append(abs(result.x[0] - 1.0))
        assert result.fun == pytest.approx(distances[-1] ** 2)
    assert max(distances) < limit
    # the expected distance is W / (2 (n + 1)); the mean over 20 runs lands near it
    assert np.mean(distances) == pytest.approx(width / (2 * (n + 1)), rel=0.5)


def test_asks_batches_starting_from_x0_and_counts_them():
    result = steep.minimize(
        Sphere(dim=3),
        optimizer=RandomSearch,
        budget=250,
        seed=2,
        x0=[4.0, -4.0, 0.5],
        options={"batch_size": 50},
    )
    np.testing.assert_array_equal(result.history.x[0], [4.0, -4.0, 0.5])
    assert result.nbatch == 5 and result.nit == 5
    assert np.bincount(result.history.batch).tolist() == [50] * 5


def test_bad_batch_size_is_named():
    with pytest.raises(steep.UsageError, match="batch_size"):
        steep.minimize(Sphere(dim=1), optimizer=RandomSearch, budget=10, options={"batch_size": 0})


def test_registered_by_name():
    with only_plugins("steep-random-search"):
        result = steep.minimize(Sphere(dim=2), optimizer="random-search", budget=100, seed=0)
        assert result.optimizer == "random-search" and result.nfev == 100
