import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_genetic import Genetic, GeneticOptions


def rastrigin(X):
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


def rotated_ellipsoid(X):
    """Condition 1e4, axes turned 45 degrees in every pair of coordinates: not separable."""
    d = X.shape[1]
    turn = np.linalg.qr(np.random.default_rng(0).standard_normal((d, d)))[0]
    return ((10.0 ** (4 * np.arange(d) / (d - 1))) * (X @ turn) ** 2).sum(axis=1)


RASTRIGIN_BOX = [(-5.12, 5.12)] * 2


def started(dim=2, **options):
    """A Genetic whose first population (cost = squared norm) has been told."""
    bounds = steep.Bounds.broadcast(-5.0, 5.0, dim)
    task = steep.Task(bounds, np.zeros(dim), budget=100_000)
    genetic = Genetic(task, GeneticOptions(**options), np.random.default_rng(0))
    points = genetic.ask()
    genetic.tell(points, (points**2).sum(axis=1))
    return genetic


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


def test_descends_a_rotated_ill_conditioned_valley():
    box = [(-5.0, 5.0)] * 5
    result = steep.minimize(
        rotated_ellipsoid, box, optimizer=Genetic, budget=5000, seed=1, vectorized=True
    )
    assert result.fun < 1e-6


@pytest.mark.parametrize("seed", [1, 2])
def test_the_last_share_of_the_budget_polishes_the_best_point(seed):
    def run(**options):
        box = [(-5.0, 5.0)] * 5
        return steep.minimize(
            rotated_ellipsoid,
            box,
            optimizer=Genetic,
            budget=1500,
            seed=seed,
            vectorized=True,
            options=options,
        )

    polished, unpolished = run(), run(polish=0.0)
    left = int(polished.decisions[0].split()[0])  # after the generation that crossed 150
    assert 150 - 20 < left <= 150, polished.decisions
    best_before = unpolished.history.best_so_far()[1500 - left - 1]
    assert polished.decisions[0].endswith(f"polishes the best point (cost {best_before:.6g})")
    assert polished.fun < 1e-8 < 1e-3 < unpolished.fun and not unpolished.decisions
    # the generations before the polish are the same
    before = 1500 - left
    np.testing.assert_array_equal(polished.history.x[:before], unpolished.history.x[:before])


def test_a_run_that_ends_before_the_budget_is_polished_first():
    result = steep.minimize(
        rotated_ellipsoid,
        [(-5.0, 5.0)] * 5,
        optimizer=Genetic,
        budget=100_000,
        seed=1,
        vectorized=True,
        options={"max_restarts": 0},
    )
    assert result.stop == "converged" and result.nfev < 100_000
    assert result.message.startswith("converged: run (popsize 20) stopped: population collapsed")
    assert "BFGS polishes the best point" in result.decisions[0]


def test_tournament_winners_follow_the_law_of_the_lowest_of_k_draws():
    genetic = started(tournament=3)
    n = len(genetic.X)
    rng = np.random.default_rng(5)
    drawn = genetic._tournament_winners(rng.random(200_000), n)
    drawn = np.bincount(drawn, minlength=n) / len(drawn)
    lowest = rng.integers(n, size=(200_000, 3)).min(axis=1)
    expected = np.bincount(lowest, minlength=n) / len(lowest)
    np.testing.assert_allclose(drawn, expected, atol=0.005)


def test_children_replace_their_mothers_only_when_not_worse():
    genetic = started()
    before_x, before_f = genetic.X.copy(), genetic.F.copy()
    children = genetic.ask()
    costs = np.where(np.arange(len(children)) % 2 == 0, before_f - 1.0, before_f + 1.0)
    genetic.tell(children, costs)
    kept = {tuple(x) for x in genetic.X}
    for i, child in enumerate(children):
        assert (tuple(child) in kept) == (i % 2 == 0)
        assert (tuple(before_x[i]) in kept) == (i % 2 == 1)


def test_rates_move_towards_those_of_successful_children():
    genetic = started(learning_rate=0.5)
    genetic.ask()
    genetic.f_rate = np.array([0.2, 0.8] + [0.5] * (len(genetic.X) - 2))
    genetic.cr_rate = np.array([0.1, 0.3] + [0.9] * (len(genetic.X) - 2))
    better = np.zeros(len(genetic.X), dtype=bool)
    better[:2] = True
    genetic._adapt(better)
    lehmer = (0.2**2 + 0.8**2) / (0.2 + 0.8)
    assert genetic.mu_f == pytest.approx(0.5 * 0.5 + 0.5 * lehmer)
    assert genetic.mu_cr == pytest.approx(0.5 * 0.5 + 0.5 * 0.2)


def test_a_coordinate_that_crosses_a_wall_lands_halfway_to_it():
    genetic = started(dim=1)
    mothers = genetic.X
    crossing = np.where(np.arange(len(mothers))[:, None] % 2 == 0, 7.0, -9.0)
    inside = genetic._into_box(crossing)
    expected = np.where(crossing > 0, (mothers + 5.0) / 2, (mothers - 5.0) / 2)
    np.testing.assert_array_equal(inside, expected)


def test_restarts_double_the_population_and_count_generations():
    bounds = steep.Bounds.broadcast(-5.0, 5.0, 2)
    task = steep.Task(bounds, np.zeros(2), 10**6)
    genetic = Genetic(task, GeneticOptions(), np.random.default_rng(1))
    sizes, told = [], 0
    while genetic.restarts < 3:
        points = genetic.ask()
        sizes.append(len(points))
        genetic.tell(points, ((points - 1.0) ** 2).sum(axis=1))
        told += 1
    assert sorted(set(sizes)) == [14, 28, 56]  # 10 + 2 dim, then doubled at each restart
    assert sizes == sorted(sizes)
    assert genetic.size == 112 and genetic.X is None  # the fourth run starts afresh
    assert genetic.nit == told - 3  # a run's first, random population is not a generation


def test_converges_when_restarts_are_capped():
    result = steep.minimize(
        Sphere(dim=3), optimizer=Genetic, budget=100_000, seed=0, options={"max_restarts": 1}
    )
    assert result.stop == "converged" and result.success
    assert result.message.startswith("converged: run 2 of 2 (popsize 32) stopped: ")
    assert result.nfev < 100_000 and result.fun < 1e-15
    single = steep.minimize(
        Sphere(dim=3), optimizer=Genetic, budget=100_000, seed=0, options={"max_restarts": 0}
    )
    assert single.message.startswith("converged: run (popsize 16) stopped: ")
    assert steep.minimize(Sphere(dim=3), optimizer=Genetic, budget=5000, seed=0).stop == "budget"


def test_asks_whole_generations():
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
    assert result.fun < -5.999999


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
        ("learning_rate", 0.0),
        ("tolerance", 0.0),
        ("popsize_factor", 0.5),
        ("max_restarts", -1),
        ("polish", 1.0),
    ],
)
def test_bad_options_are_named(name, value):
    with pytest.raises(steep.UsageError, match=name):
        steep.minimize(Sphere(dim=1), optimizer=Genetic, budget=10, options={name: value})


def test_registered_by_name():
    with only_plugins("steep-genetic"):
        result = steep.minimize(Sphere(dim=2), optimizer="genetic", budget=200, seed=0)
        assert result.optimizer == "genetic" and result.nfev == 200
