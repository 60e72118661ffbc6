import math

import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_annealing import Annealing, AnnealingOptions


def rastrigin(X):
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


RASTRIGIN_BOX = [(-5.12, 5.12)] * 2


def started(chains=4, dim=2, **options):
    """An Annealing whose first batch (random points, cost = squared norm) has been told."""
    bounds = steep.Bounds.broadcast(-5.0, 5.0, dim)
    task = steep.Task(bounds, np.zeros(dim), budget=10_000)
    annealing = Annealing(
        task, AnnealingOptions(chains=chains, **options), np.random.default_rng(0)
    )
    points = annealing.ask()
    costs = (points**2).sum(axis=1)
    annealing.tell(points, costs)
    return annealing, costs


@pytest.mark.parametrize("check", optimizer_checks(Annealing), ids=str)
def test_conformance(check):
    check()


def test_finds_the_global_minimum_of_2d_rastrigin_from_most_seeds():
    found = [
        steep.minimize(
            rastrigin, RASTRIGIN_BOX, optimizer=Annealing, budget=1500, seed=seed, vectorized=True
        ).fun
        for seed in range(10)
    ]
    assert sum(f < 1e-4 for f in found) >= 8, found


def test_beats_uniform_random_sampling_at_equal_budget_on_rastrigin():
    budget, found, sampled = 1000, [], []
    for seed in range(10):
        result = steep.minimize(
            rastrigin, RASTRIGIN_BOX, optimizer=Annealing, budget=budget, seed=seed, vectorized=True
        )
        found.append(result.fun)
        sample = np.random.default_rng(seed).uniform(-5.12, 5.12, (budget, 2))
        sampled.append(rastrigin(sample).min())
    assert sum(np.less(found, sampled)) >= 9
    assert np.median(found) < 0.01 * np.median(sampled)


def test_initial_temperature_is_the_spread_of_the_first_batch():
    annealing, costs = started()
    assert annealing.t0 == pytest.approx(costs.std())
    assert np.sort(annealing.f).tolist() == np.sort(costs)[:4].tolist()


def test_metropolis_accepts_uphill_moves_with_odds_exp_minus_delta_over_t():
    annealing, _ = started(chains=4000, dim=1)
    before = annealing.x.copy()
    points = annealing.ask()
    annealing.tell(points, annealing.f + annealing.t0)  # every move uphill by exactly T
    moved = (annealing.x != before).any(axis=1).mean()
    assert moved == pytest.approx(math.exp(-1), abs=0.03)


def test_infinite_costs_are_never_accepted_from_a_finite_point():
    annealing, _ = started()
    before = annealing.x.copy()
    points = annealing.ask()
    annealing.tell(points, np.full(len(points), np.inf))
    np.testing.assert_array_equal(annealing.x, before)


def test_temperature_falls_until_frozen_then_polishes():
    annealing, _ = started(chains=2)
    temperatures = []
    while (annealing.temperature > 0).all():
        points = annealing.ask()
        annealing.tell(points, (points**2).sum(axis=1))
        temperatures.append(annealing.temperature[0])
    assert np.all(np.diff(temperatures[:-1]) < 0)
    assert len(temperatures) == pytest.approx(annealing.anneal_steps, abs=1)


def test_converges_when_restarts_are_capped():
    result = steep.minimize(
        Sphere(dim=2), optimizer=Annealing, budget=20_000, seed=0, options={"max_restarts": 1}
    )
    assert result.stop == "converged" and result.success
    assert "temperature frozen" in result.message and "after 1 reheats" in result.message
    assert result.nfev < 20_000 and result.fun < 1e-12
    unlimited = steep.minimize(Sphere(dim=2), optimizer=Annealing, budget=3000, seed=0)
    assert unlimited.stop == "budget"


def test_nit_counts_steps_of_all_chains_at_once():
    result = steep.minimize(
        Sphere(dim=2), optimizer=Annealing, budget=410, seed=1, options={"chains": 5}
    )
    sizes = np.bincount(result.history.batch)
    assert sizes[0] == 10 and set(sizes[1:]) == {5}
    assert result.nit == len(sizes) - 1


def test_reaches_a_minimum_on_the_wall():
    result = steep.minimize(
        lambda X: (X - 3.0).sum(axis=1),
        [(0.0, 3.0)] * 2,
        optimizer=Annealing,
        budget=3000,
        seed=2,
        vectorized=True,
    )
    assert result.fun < -5.999


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("chains", 0),
        ("cycles", 0),
        ("step", 0.0),
        ("frozen", 1.0),
        ("one_coordinate", 1.5),
        ("rough", 0.0),
        ("tolerance", 2.0),
        ("warm", 0.0),
        ("max_restarts", -1),
    ],
)
def test_bad_options_are_named(name, value):
    with pytest.raises(steep.UsageError, match=name):
        steep.minimize(Sphere(dim=1), optimizer=Annealing, budget=10, options={name: value})


def test_registered_by_name():
    with only_plugins("steep-annealing"):
        result = steep.minimize(Sphere(dim=2), optimizer="annealing", budget=200, seed=0)
        assert result.optimizer == "annealing" and result.nfev == 200
