import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_genetic import Genetic, GeneticOptions


def rastrigin(X):
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


RASTRIGIN_BOX = [(-5.12, 5.12)] * 2


@pytest.mark.parametrize("check", optimizer_checks(Genetic), ids=str)
def test_conformance(check):
    check()


def test_finds_the_global_minimum_of_2d_rastrigin_from_most_seeds():
    found = [
        steep.minimize(
            rastrigin, RASTRIGIN_BOX, optimizer=Genetic, budget=1500, seed=seed, vectorized=True
        ).fun
        for seed in range(10)
    ]
    assert sum(f < 1e-4 for f in found) >= 8, found


def test_beats_uniform_random_sampling_at_equal_budget_on_rastrigin():
    budget, found, sampled = 1000, [], []
    for seed in range(10):
        result = steep.minimize(
            rastrigin, RASTRIGIN_BOX, optimizer=Genetic, budget=budget, seed=seed, vectorized=True
        )
        found.append(result.fun)
        sample = np.random.default_rng(seed).uniform(-5.12, 5.12, (budget, 2))
        sampled.append(rastrigin(sample).min())
    assert sum(np.less(found, sampled)) >= 9
    assert np.median(found) < 0.01 * np.median(sampled)


def test_population_collapse_is_reported_as_converged():
    bounds = steep.Bounds.broadcast(-5.0, 5.0, 3)
    task = steep.Task(bounds, np.zeros(3), budget=100_000)
    genetic = Genetic(task, GeneticOptions(tolerance=1e-6), np.random.default_rng(0))
    spreads = []
    while not genetic.converged:
        points = genetic.ask()
        genetic.tell(points, ((points - 1.0) ** 2).sum(axis=1))
        spreads.append((np.ptp(genetic.X, axis=0) / bounds.width).max())
    assert spreads[-1] < 1e-6 <= spreads[-2]
    assert "population collapsed" in genetic.converged
    assert f"after {genetic.nit} generations" in genetic.converged
    result = steep.minimize(
        Sphere(dim=3), optimizer=Genetic, budget=100_000, seed=0, options={"tolerance": 1e-6}
    )
    assert result.stop == "converged" and result.success
    assert result.message.startswith("converged: population collapsed")
    assert result.nfev < 100_000 and result.fun < 1e-8


def test_asks_whole_generations_and_counts_them():
    result = steep.minimize(
        Sphere(dim=2), optimizer=Genetic, budget=400, seed=1, options={"popsize": 50}
    )
    assert np.bincount(result.history.batch).tolist() == [50] * 8
    assert result.nit == 7  # the first batch is the random start population


def test_reaches_a_minimum_on_the_wall():
    result = steep.minimize(
        lambda X: (X - 3.0).sum(axis=1),
        [(0.0, 3.0)] * 2,
        optimizer=Genetic,
        budget=3000,
        seed=2,
        vectorized=True,
    )
    assert steep.Bounds.broadcast(0.0, 3.0, 2).contains(result.history.x)
    assert result.fun < -5.999


def test_infinite_costs_lose_to_finite_ones():
    def half_broken(X):
        costs = ((X - 1.0) ** 2).sum(axis=1)
        costs[X[:, 0] > 1.5] = np.inf
        return costs

    result = steep.minimize(
        half_broken, [(-5.0, 5.0)] * 2, optimizer=Genetic, budget=3000, seed=3, vectorized=True
    )
    assert result.fun < 1e-8


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("popsize", 2),
        ("tournament", 0),
        ("crossover", 1.5),
        ("mutation", -0.1),
        ("mutation_scale", 0.0),
        ("box_mutation", 2.0),
        ("tolerance", 0.0),
    ],
)
def test_bad_options_are_named(name, value):
    with pytest.raises(steep.UsageError, match=name):
        steep.minimize(Sphere(dim=1), optimizer=Genetic, budget=10, options={name: value})


def test_registered_by_name():
    with only_plugins("steep-genetic"):
        result = steep.minimize(Sphere(dim=2), optimizer="genetic", budget=200, seed=0)
        assert result.optimizer == "genetic" and result.nfev == 200
