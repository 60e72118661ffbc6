import math

import numpy as np
import pytest
import steep
from steep.quasinewton import LocalSearch
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_annealing import Annealing, AnnealingOptions
from steep_annealing.tsallis import acceptance, cooling, degrees_of_freedom, visiting_scale, visits


def rastrigin(X):
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


RASTRIGIN_BOX = [(-5.12, 5.12)] * 2


def started(dim=2, **options):
    """An Annealing whose first sample (cost = squared norm) has been told."""
    bounds = steep.Bounds.broadcast(-5.0, 5.0, dim)
    task = steep.Task(bounds, np.full(dim, 3.0), budget=10_000)
    annealing = Annealing(task, AnnealingOptions(**options), np.random.default_rng(0))
    points = annealing.ask()
    annealing.tell(points, (points**2).sum(axis=1))
    return annealing


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


def test_cooling_follows_tsallis_and_stariolo():
    assert cooling(1, 2.62) == pytest.approx(1.0)
    steps = np.arange(1, 1000)
    ratios = np.array([cooling(t, 2.62) for t in steps])
    assert np.all(np.diff(ratios) < 0)
    expected = (2**1.62 - 1) / ((1 + steps) ** 1.62 - 1)
    np.testing.assert_allclose(ratios, expected)
    # Near q_v = 1 it is Boltzmann annealing's logarithmic schedule.
    assert cooling(99, 1 + 1e-9) == pytest.approx(math.log(2) / math.log(100), rel=1e-6)


def test_visits_are_student_t_with_the_degrees_of_freedom_of_q_v():
    rng = np.random.default_rng(1)
    assert degrees_of_freedom(2.0) == 1.0  # q_v = 2: Cauchy
    cauchy = visits(rng, 200_000, 1, 1.0, 2.0)[:, 0]
    assert np.median(np.abs(cauchy)) == pytest.approx(1.0, rel=0.02)  # scale T^(1/(3-2)) = 1
    qv, temperature = 2.62, 0.3
    heavy = visits(rng, 200_000, 1, temperature, qv)[:, 0] / visiting_scale(temperature, qv)
    reference = rng.standard_t(degrees_of_freedom(qv), 200_000)
    for c in (0.1, 1.0, 10.0, 1e3, 1e6):
        assert (np.abs(heavy) < c).mean() == pytest.approx((np.abs(reference) < c).mean(), abs=0.01)


def test_visits_of_all_coordinates_jump_together():
    steps = visits(np.random.default_rng(2), 100_000, 2, 1.0, 2.62)
    far = np.abs(steps) > np.quantile(np.abs(steps), 0.99)
    # Multivariate t: when one coordinate jumps far, the other often does too.
    assert (far[:, 0] & far[:, 1]).mean() > 10 * far[:, 0].mean() * far[:, 1].mean()


def test_acceptance_law():
    assert acceptance(0.0, 1.0, -5.0) == 1.0
    assert acceptance(1.0 / 6.0, 1.0, -5.0) == 0.0  # rises beyond T / (1 - q_a): never
    assert acceptance(0.1, 1.0, -5.0) == pytest.approx((1 - 0.6) ** (1 / 6))
    assert acceptance(0.7, 1.0, 1 - 1e-9) == pytest.approx(math.exp(-0.7), rel=1e-6)
    assert acceptance(0.1, 0.0, -5.0) == 0.0


def test_a_first_sample_then_chains_of_2_dim_proposals():
    bounds = steep.Bounds.broadcast(-5.0, 5.0, 3)
    options = AnnealingOptions(local_iterations=0)
    annealing = Annealing(steep.Task(bounds, np.ones(3), 1000), options, np.random.default_rng(0))
    first = annealing.ask()
    assert first.shape == (20, 3) and np.array_equal(first[0], np.ones(3))
    costs = (first**2).sum(axis=1)
    annealing.tell(first, costs)
    assert annealing.unit == pytest.approx(costs.std())  # the unit of acceptance
    assert annealing.f == costs.min()  # the chain starts at the sample's lowest point
    second = annealing.ask()
    assert second.shape == (6, 3)
    moved = second != annealing.x
    assert np.array_equal(moved[3:], np.eye(3, dtype=bool))  # one coordinate each


def test_downhill_always_infinite_never():
    annealing = started()
    annealing.local = None
    points = annealing.ask()
    annealing.tell(points, np.full(len(points), np.inf))
    assert np.isfinite(annealing.f)
    points = annealing.ask()
    costs = np.full(len(points), annealing.f + 1e9)  # far uphill: beyond T / (1 - q_a)
    costs[2] = annealing.f - 1.0
    annealing.local = None
    before = annealing.f
    annealing._chain(points, costs)
    assert annealing.f == before - 1.0 and np.array_equal(annealing.x, points[2])


def test_uphill_moves_are_taken_with_the_acceptance_odds():
    taken, odds = [], None
    for seed in range(3000):
        bounds = steep.Bounds.broadcast(-5.0, 5.0, 1)
        annealing = Annealing(
            steep.Task(bounds, np.zeros(1), 100), AnnealingOptions(), np.random.default_rng(seed)
        )
        annealing.f, annealing.unit = 0.0, 1.0
        points = annealing.ask()
        temperature = annealing.temperature / annealing.t
        rise = 0.05 * temperature
        annealing._chain(points, np.array([rise, 2 * temperature]))  # the second: never
        taken.append(annealing.f == rise)
        odds = acceptance(rise, temperature, -5.0)
    assert np.mean(taken) == pytest.approx(odds, abs=0.03)


def test_a_chain_that_finds_a_new_best_hands_it_to_the_local_search():
    annealing = started()
    assert isinstance(annealing.local, LocalSearch)
    assert np.array_equal(annealing.local.x, annealing.best_x)
    assert annealing.local.f == annealing.best_f  # known: not asked again
    assert len(annealing.ask()) == 2  # the forward-difference stencil, one point per coordinate


def test_local_search_descends_a_valley_to_full_precision():
    def valley(X):
        return (X[:, 0] - 1) ** 2 + 100 * (X[:, 1] - X[:, 0] ** 2) ** 2

    result = steep.minimize(
        valley, [(-2.0, 2.0)] * 2, optimizer=Annealing, budget=1500, seed=3, vectorized=True
    )
    assert result.fun < 1e-10


def test_temperature_follows_the_schedule_and_reanneals():
    annealing = started(dim=1, local_iterations=0, restart_temp=1e-3)
    ratios = []
    while annealing.cycles == 0:
        ratios.append(annealing.ratio)
        points = annealing.ask()
        annealing.tell(points, (points**2).sum(axis=1))
    chains = annealing.nit
    assert ratios == [cooling(t, 2.62) for t in range(1, chains + 1)]
    assert cooling(chains + 1, 2.62) < 1e-3 <= cooling(chains, 2.62)
    assert annealing.t == 1 and math.isnan(annealing.f)  # afresh, from an unevaluated point
    assert len(annealing.ask()) == 1 + 2


def test_converges_when_reanneals_are_capped():
    result = steep.minimize(
        Sphere(dim=2),
        optimizer=Annealing,
        budget=50_000,
        seed=0,
        options={"max_restarts": 1, "restart_temp": 1e-3},
    )
    assert result.stop == "converged" and result.success
    assert "in all 2 cycles" in result.message
    assert result.nfev < 50_000 and result.fun < 1e-12
    unlimited = steep.minimize(Sphere(dim=2), optimizer=Annealing, budget=3000, seed=0)
    assert unlimited.stop == "budget"


def test_nit_counts_markov_chains():
    result = steep.minimize(
        Sphere(dim=2), optimizer=Annealing, budget=400, seed=1, options={"local_iterations": 0}
    )
    sizes = np.bincount(result.history.batch)
    assert sizes[0] == 20 and set(sizes[1:-1]) == {4}
    assert result.nit == len(sizes) - 1 - (sizes[-1] != 4)  # the sample is no chain


def test_ignores_an_analytic_slope():
    with only_plugins("steep-annealing", "steep-landscape-bowl"):
        result = steep.minimize("bowl", optimizer="annealing", budget=300, seed=0)
    assert result.njev == 0 and result.fun < 1e-10


def test_reaches_a_minimum_on_the_wall():
    result = steep.minimize(
        lambda X: (X - 3.0).sum(axis=1),
        [(0.0, 3.0)] * 2,
        optimizer=Annealing,
        budget=3000,
        seed=2,
        vectorized=True,
    )
    assert result.fun == -6.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("visiting", 1.0),
        ("visiting", 3.0),
        ("acceptance", 1.0),
        ("initial_temp", 0.0),
        ("restart_temp", 1.0),
        ("local_iterations", -1),
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
