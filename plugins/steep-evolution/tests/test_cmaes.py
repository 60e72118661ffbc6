"""CMA-ES: the conformance kit, convergence on smooth valleys, IPOP restarts, options."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks, rastrigin, rosenbrock
from steep_evolution import CMAES
from steep_evolution.strategy import Parameters, Strategy, default_popsize
from steep_evolution.walls import crossed_distance, penalized


def ellipsoid(X: np.ndarray) -> np.ndarray:
    """Axis-parallel ellipsoid with condition number 1e6, minimum 0 at the origin."""
    weights = 10.0 ** (6.0 * np.arange(X.shape[1]) / (X.shape[1] - 1))
    return (weights * X**2).sum(axis=1)


def batch_sizes(result: steep.Result) -> np.ndarray:
    return np.bincount(result.history.batch)


@pytest.mark.parametrize("check", optimizer_checks(CMAES), ids=str)
def test_conformance(check):
    check()


@pytest.mark.parametrize("dim", [2, 10])
def test_reaches_1e8_on_sphere(dim):
    for seed in range(3):
        result = steep.minimize(
            Sphere(dim=dim), optimizer=CMAES, budget=400 * dim, target=1e-8, seed=seed
        )
        assert result.stop == "target", result.message
        assert result.fun <= 1e-8
        np.testing.assert_allclose(result.x, np.ones(dim), atol=1e-3)


@pytest.mark.parametrize(
    ("function", "low", "high", "budget"),
    [(ellipsoid, -5.0, 5.0, 8000), (rosenbrock, -5.0, 10.0, 20_000)],
    ids=["ellipsoid", "rosenbrock"],
)
def test_reaches_1e8_on_hard_valleys_in_10d(function, low, high, budget):
    for seed in range(2):
        result = steep.minimize(
            function,
            [(low, high)] * 10,
            vectorized=True,
            optimizer=CMAES,
            budget=budget,
            target=1e-8,
            seed=seed,
        )
        assert result.stop == "target", result.message


def test_ipop_restarts_double_the_population_on_rastrigin():
    result = steep.minimize(
        rastrigin, [(-5.12, 5.12)] * 5, vectorized=True, optimizer=CMAES, budget=20_000, seed=1
    )
    sizes = batch_sizes(result)[:-1]  # the last batch may be cut by the budget
    popsizes = sorted(set(sizes.tolist()))
    first = default_popsize(5)
    assert popsizes[:3] == [first, 2 * first, 4 * first]
    assert (np.diff(sizes) >= 0).all(), "the population never shrinks"
    assert result.stop == "budget"


def test_restarts_find_rastrigin_more_often_than_one_run():
    def successes(**options):
        found = 0
        for seed in range(6):
            result = steep.minimize(
                rastrigin,
                [(-5.12, 5.12)] * 4,
                vectorized=True,
                optimizer=CMAES,
                budget=15_000,
                target=1e-8,
                seed=seed,
                options=options,
            )
            found += result.stop == "target"
        return found

    assert successes() > successes(max_restarts=0)


def test_converges_when_restarts_run_out():
    result = steep.minimize(
        Sphere(dim=3), optimizer=CMAES, budget=50_000, seed=4, options={"max_restarts": 1}
    )
    assert result.stop == "converged"
    assert result.success
    assert "run 2 of 2" in result.message
    assert result.nit == len(batch_sizes(result))
    assert set(batch_sizes(result).tolist()) == {default_popsize(3), 2 * default_popsize(3)}
    np.testing.assert_allclose(result.x, np.ones(3), atol=1e-5)


def test_without_restarts_a_converged_run_ends_the_search():
    result = steep.minimize(
        Sphere(dim=2), optimizer=CMAES, budget=50_000, seed=2, options={"max_restarts": 0}
    )
    assert result.stop == "converged"
    assert result.message.startswith("converged: run (popsize 6)")
    assert result.nfev < 5000


def test_unlimited_restarts_spend_the_whole_budget():
    result = steep.minimize(Sphere(dim=2), optimizer=CMAES, budget=5000, seed=2)
    assert result.stop == "budget"
    assert result.nfev == 5000


def test_finds_a_minimum_on_the_wall():
    def beyond_the_wall(X):
        return ((X - 7.0) ** 2).sum(axis=1)

    result = steep.minimize(
        beyond_the_wall, [(-5.0, 5.0)] * 4, vectorized=True, optimizer=CMAES, budget=3000, seed=0
    )
    np.testing.assert_allclose(result.x, np.full(4, 5.0), atol=1e-6)


def test_penalty_grows_beyond_the_walls_and_spares_the_inside():
    unit = np.array([[0.5, 0.5], [1.1, 0.5], [1.2, -0.2], [-3.0, 0.5]])
    distance = crossed_distance(unit)
    np.testing.assert_allclose(distance, [0.0, 0.005, 0.04, 4.5])
    costs = np.array([1.0, 2.0, 3.0, np.inf])
    ranked = penalized(costs, distance, variance=0.01)
    assert ranked[0] == 1.0 and ranked[3] == np.inf
    # weight: twice the interquartile range (1.0 of the finite costs) over the variance
    np.testing.assert_allclose(ranked[1:3], [2.0 + 200 * 0.005, 3.0 + 200 * 0.04])


def test_costs_near_the_float_limit_raise_no_floating_point_error():
    costs = np.array([1e300, -1e300, 5e299, 2e299])
    distance = np.array([0.0, 0.5, 0.0, 0.0])
    with np.errstate(all="raise"):
        ranked = penalized(costs, distance, variance=1e-10)
    assert np.array_equal(ranked[[0, 2, 3]], costs[[0, 2, 3]]) and ranked[1] == np.inf


def test_infinite_costs_rank_last():
    def half_forbidden(X):
        costs = ((X - 1.0) ** 2).sum(axis=1)
        return np.where(X[:, 0] < 0.5, np.inf, costs)

    result = steep.minimize(
        half_forbidden,
        [(-5.0, 5.0)] * 3,
        vectorized=True,
        optimizer=CMAES,
        budget=3000,
        target=1e-8,
        seed=0,
        x0=[-4.0, -4.0, -4.0],
    )
    assert result.stop == "target", result.message


def test_same_seed_same_run_across_restarts():
    runs = [
        steep.minimize(
            rastrigin, [(-5.12, 5.12)] * 3, vectorized=True, optimizer=CMAES, budget=3000, seed=9
        )
        for _ in range(2)
    ]
    assert len(set(batch_sizes(runs[0]).tolist())) > 1, "expected at least one restart"
    np.testing.assert_array_equal(runs[0].history.x, runs[1].history.x)
    other = steep.minimize(
        rastrigin, [(-5.12, 5.12)] * 3, vectorized=True, optimizer=CMAES, budget=3000, seed=10
    )
    assert not np.array_equal(runs[0].history.x, other.history.x)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("popsize", 1),
        ("sigma0", 0.0),
        ("max_restarts", -1),
        ("popsize_factor", 0.5),
        ("tolfun", -1.0),
        ("tolx", -1e-3),
    ],
)
def test_bad_options_are_refused_by_name(option, value):
    with pytest.raises(steep.UsageError, match=option):
        steep.minimize(Sphere(dim=2), optimizer=CMAES, budget=100, options={option: value})


def test_popsize_option_sets_the_batch():
    result = steep.minimize(
        Sphere(dim=2), optimizer=CMAES, budget=300, seed=0, options={"popsize": 25}
    )
    assert batch_sizes(result)[0] == 25


def test_weights_follow_the_tutorial():
    params = Parameters.default(10, default_popsize(10))
    assert params.popsize == 10 and params.mu == 5
    positive, negative = params.weights[:5], params.weights[5:]
    assert positive.sum() == pytest.approx(1.0)
    assert (np.diff(positive) < 0).all() and (negative < 0).all()
    assert params.mueff == pytest.approx(positive.sum() ** 2 / (positive**2).sum())


def test_is_the_default_optimizer_through_the_registry():
    with only_plugins("steep-evolution"):
        result = steep.minimize(Sphere(dim=2), budget=2000, target=1e-8, seed=0)
        assert result.optimizer == "cma-es"
        assert result.stop == "target"
        names = [name for name, info in steep.optimizers().items() if info.is_default]
        assert "cma-es" in names


def _mixed_space():
    space = {f"k{i}": steep.Integer(-10, 10) for i in range(4)}
    return steep.Space.parse({**space, **{f"r{i}": steep.Real(-5, 5) for i in range(4)}})


def _mixed(values):
    """Integers of falling weight (the last barely matters) beside a real bowl."""
    ks = np.array([values[f"k{i}"] for i in range(4)])
    rs = np.array([values[f"r{i}"] for i in range(4)])
    return float(((ks - 3) ** 2 * np.array([1, 0.1, 0.01, 0.001])).sum() + ((rs - 0.5) ** 2).sum())


def test_told_the_integers_it_keeps_them_moving_and_finds_them_more_often():
    space = _mixed_space()

    def untold(x):  # the same function decoded by hand: cma-es sees only the box
        return _mixed(space.decode(x))

    told = untold_found = 0
    for seed in range(8):
        a = steep.minimize(_mixed, space=space, optimizer="cma-es", seed=seed, budget=3000)
        b = steep.minimize(untold, space.bounds, optimizer="cma-es", seed=seed, budget=3000)
        told += a.fun < 1e-6
        untold_found += b.fun < 1e-6
    assert told > untold_found, (told, untold_found)


def test_the_margin_widens_only_the_coordinates_that_need_it():
    strategy = Strategy(np.full(3, 0.5), 1e-4, Parameters.default(3, 8))
    distance = np.array([0.05, np.inf, 1e-6])
    strategy.keep_margin(distance, z=2.0)
    deviations = strategy.sigma * np.sqrt(np.diag(strategy.C))
    np.testing.assert_allclose(deviations, [0.025, 1e-4, 1e-4])
