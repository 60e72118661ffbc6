"""auto: the conformance kit, the choice it makes on each kind of terrain, and the contract
it keeps with the methods it runs (bounds, the budget left, seeds)."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_auto import Auto

#: The plugins auto draws on, and itself.
AUTO = ("steep-auto", "steep-evolution", "steep-newton")

ROTATION = np.linalg.qr(np.random.default_rng(42).standard_normal((5, 5)))[0]


def ellipsoid(X: np.ndarray) -> np.ndarray:
    """A rotated ellipsoid, condition 100, minimum 0 at 1: one smooth valley, not separable."""
    Z = (X - 1.0) @ ROTATION[: X.shape[1], : X.shape[1]].T
    return (10.0 ** (2.0 * np.arange(X.shape[1]) / max(1, X.shape[1] - 1)) * Z**2).sum(axis=1)


def long_valley(X: np.ndarray, decades: float = 6.0) -> np.ndarray:
    """A rotated ellipsoid of condition 10^decades in 10-D: smooth, but long for bfgs to finish."""
    rotation = np.linalg.qr(np.random.default_rng(1).standard_normal((10, 10)))[0]
    Z = (X - 1.0) @ rotation.T
    return (10.0 ** (decades * np.arange(10) / 9) * Z**2).sum(axis=1)


def longer_valley(X: np.ndarray) -> np.ndarray:
    """The same of condition 10^8: bfgs is still descending when its share is spent."""
    return long_valley(X, decades=8.0)


def rastrigin(X: np.ndarray) -> np.ndarray:
    """Rastrigin rotated (no coordinate-wise search applies), twenty dips per box width:
    rugged, on a funnel, minimum 0 at 0.5."""
    Z = 2.0 * (X - 0.5) @ ROTATION[: X.shape[1], : X.shape[1]].T
    return 10.0 * X.shape[1] + (Z**2 - 10.0 * np.cos(2 * np.pi * Z)).sum(axis=1)


def wells(X: np.ndarray) -> np.ndarray:
    """Three smooth, wide Gaussian wells of different depths; the deepest at (2, -2, 1)."""
    centres = np.array([[2.0, -2.0, 1.0], [-3.0, 2.0, -1.0], [1.0, 3.0, -3.0]])
    depths = np.array([3.0, 2.0, 1.0])
    squared = ((X[:, None, :] - centres[None]) ** 2).sum(axis=2)
    return 3.0 - (depths * np.exp(-squared / 4.0)).max(axis=1)


def terraces(X: np.ndarray) -> np.ndarray:
    """A rotated bowl cut into flat terraces: the slope is zero almost everywhere."""
    return np.floor(ellipsoid(X) / 5.0)


def chosen(result: steep.Result) -> str:
    """The decision that handed the rest of the budget to a method."""
    return next(line for line in result.decisions if "for the remaining" in line)


def run(function, dim: int, budget: int, seed: int = 0, low=-5.0, high=5.0, **options):
    return steep.minimize(
        function,
        [(low, high)] * dim,
        vectorized=True,
        optimizer=Auto,
        budget=budget,
        seed=seed,
        options=options,
    )


@pytest.mark.parametrize("check", optimizer_checks(Auto), ids=str)
def test_conformance(check):
    check()


def test_auto_is_the_default_optimizer_and_draws_on_installed_plugins():
    with only_plugins(*AUTO) as registry:
        assert registry.default("optimizer").name == "auto"
        assert "cma-es" in registry.entries["optimizer"]  # still registered as a default
        assert Auto.summary().startswith("The choice that needs no expertise")


def test_a_smooth_bowl_gets_a_gradient_method_which_finishes_it():
    result = run(ellipsoid, 5, 5000, seed=1)
    assert result.stop == "converged" and result.nfev < 5000
    assert result.fun < 1e-10
    assert any("bfgs" in line and "same point" in line for line in result.decisions)
    assert "one valley, its bottom found" in result.decisions[-1]


def test_a_separable_bowl_gets_coordinate_grids_then_descents_and_the_analytic_slope():
    result = steep.minimize(Sphere(dim=3), optimizer=Auto, budget=3000, seed=2)
    assert "analytic slope" in result.decisions[0]
    assert result.decisions[1].startswith("separable")
    assert "single dip" in result.decisions[2]
    assert result.stop == "converged" and result.fun < 1e-12
    assert result.njev > 0, "bfgs used the landscape's analytic slope"


@pytest.mark.parametrize("seed", [0, 1])
def test_a_rugged_landscape_gets_cma_es_with_large_populations_and_its_funnel_bottom(seed):
    result = run(rastrigin, 2, 3000, seed=seed)
    assert "rugged, on a trend: cma-es with IPOP restarts, population 24" in chosen(result)
    assert "bfgs polishes the best point" in result.decisions[-1]
    assert result.fun < 1e-10  # the global minimum, not one of the ~400 dips around it


def test_a_few_wide_valleys_get_bfgs_from_spread_starts():
    results = [run(wells, 3, 3000, seed=seed) for seed in range(5)]
    chose_bfgs = ["a few wide valleys: bfgs from spread starts" in chosen(r) for r in results]
    assert sum(chose_bfgs) >= 4, [chosen(r) for r in results]
    for result in results:
        np.testing.assert_allclose(result.x, [2.0, -2.0, 1.0], atol=1e-4)


def test_terraces_get_cma_es_which_compares_cups_rather_than_slopes():
    result = run(terraces, 4, 4000, seed=5)
    assert "cma-es" in chosen(result)
    assert any(word in chosen(result) for word in ("flat or stepped", "rugged")), result.decisions
    assert result.fun == 0.0


def test_a_long_valley_goes_on_with_bfgs_on_a_small_budget_and_to_cma_es_on_a_large_one():
    small = run(long_valley, 10, 1000, seed=12)
    assert "too few evaluations are left for cma-es" in chosen(small), small.decisions
    assert small.fun < 1e-3 * long_valley(small.history.x[:1])[0]
    large = run(longer_valley, 10, 10_000, seed=12)
    assert "a long smooth valley: cma-es with steps of 0.3%" in chosen(large), large.decisions
    assert large.fun < 1e-10


def test_installed_landscapes_by_name():
    plugins = (*AUTO, "steep-landscape-valleys", "steep-landscape-needle")
    with only_plugins(*plugins):
        for name in ("valleys", "needle"):
            result = steep.minimize(name, optimizer="auto", budget=1000, seed=6)
            assert any(line.startswith("1-D") for line in result.decisions), result.decisions
            assert result.fun < 1e-6, (name, result.message)


def test_every_decision_is_one_line_and_the_result_carries_them():
    for function, dim in ((ellipsoid, 2), (rastrigin, 2), (wells, 3), (terraces, 2)):
        result = run(function, dim, 400 * dim, seed=7)
        assert result.decisions, function.__name__
        for line in result.decisions:
            assert isinstance(line, str) and line and "\n" not in line


@pytest.mark.parametrize("budget", [1, 7, 60, 333, 2500])
def test_spends_the_budget_exactly_unless_it_has_converged(budget):
    for function in (rastrigin, wells, ellipsoid):
        result = run(function, 3, budget, seed=8)
        assert result.nfev <= budget
        assert result.nfev == budget or result.stop == "converged", result.message


@pytest.mark.parametrize("function", [rastrigin, wells, ellipsoid, terraces])
def test_never_asks_more_than_the_budget_left_nor_outside_the_box(function):
    bounds = steep.Bounds([-5.0, -1.0, 0.0], [5.0, 4.0, 0.5])
    for budget in (5, 50, 900):
        task = steep.Task(bounds, bounds.center, budget)
        auto = Auto(task, Auto.Options(), np.random.default_rng(9))
        spent = 0
        while spent < budget and not auto.converged:
            points = auto.ask()
            assert 1 <= len(points) <= budget - spent, (budget, spent, len(points))
            assert bounds.contains(points)
            auto.tell(points, function(points))
            spent += len(points)


def test_same_seed_same_run_different_seed_different_run():
    first, second, other = (run(rastrigin, 3, 1500, seed=s) for s in (10, 10, 11))
    np.testing.assert_array_equal(first.history.x, second.history.x)
    assert first.decisions == second.decisions
    assert not np.array_equal(first.history.x[:50], other.history.x[:50])


def test_options_are_checked():
    with pytest.raises(steep.UsageError, match="probe_share"):
        run(ellipsoid, 2, 100, probe_share=1.5)
