import numpy as np
import pytest
import steep
from steep.testing import Sphere, optimizer_checks
from steep_exhaustive import Exhaustive, points_per_axis


@pytest.mark.parametrize("check", optimizer_checks(Exhaustive), ids=str)
def test_conformance(check):
    check()


@pytest.mark.parametrize(
    ("budget", "dim"), [(1, 1), (100, 1), (99, 2), (100, 2), (10**6, 3), (5, 20)]
)
def test_grid_is_the_largest_that_fits_the_budget(budget, dim):
    m = points_per_axis(budget, dim)
    assert m**dim <= budget and (m == 1 or (m + 1) ** dim > budget)


def test_finds_the_bottom_within_half_a_grid_spacing():
    result = steep.minimize(Sphere(dim=2), optimizer=Exhaustive, budget=441, seed=0)
    assert result.stop == "converged" and result.nfev == 441 and result.success
    spacing = 10 / 20
    assert np.all(np.abs(result.x - 1.0) <= spacing / 2)
    assert "evaluated all 441 grid points (21 per coordinate)" in result.message


def test_every_grid_point_is_visited_once_and_chunks_stay_small():
    result = steep.minimize(
        Sphere(dim=3), optimizer=Exhaustive, budget=1000, seed=0, options={"chunk_size": 64}
    )
    assert result.nfev == 1000 and result.nbatch == 16
    assert np.bincount(result.history.batch).max() == 64
    assert len(np.unique(result.history.x, axis=0)) == 1000
    for coordinate in result.history.x.T:
        np.testing.assert_allclose(np.unique(coordinate), np.linspace(-5, 5, 10))


def test_points_per_axis_option_overrides_the_budget_and_is_cut_by_it():
    result = steep.minimize(
        Sphere(dim=2), optimizer=Exhaustive, budget=50, options={"points_per_axis": 10}
    )
    assert result.nfev == 50 and result.stop == "budget"


def test_the_start_point_and_seed_do_not_matter():
    first = steep.minimize(Sphere(dim=2), optimizer=Exhaustive, budget=100, seed=1)
    second = steep.minimize(Sphere(dim=2), optimizer=Exhaustive, budget=100, seed=2, x0=[3, 3])
    np.testing.assert_array_equal(first.history.x, second.history.x)


def test_bad_options_are_named():
    with pytest.raises(steep.UsageError, match="'chunk_size' must be >= 1: 0"):
        steep.minimize(Sphere(dim=1), optimizer=Exhaustive, options={"chunk_size": 0})
