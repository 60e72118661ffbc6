import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_gradient_descent import GradientDescent


@pytest.mark.parametrize("check", optimizer_checks(GradientDescent), ids=str)
def test_conformance(check):
    check()


@pytest.mark.parametrize("dim", [1, 2, 10])
@pytest.mark.parametrize(
    "options",
    [{}, {"use_gradient": False}, {"use_gradient": False, "differences": "central"}],
    ids=["analytic", "forward", "central"],
)
def test_converges_to_the_bottom_of_the_sphere_inside_the_budget(dim, options):
    budget = 100 * (dim + 3)
    result = steep.minimize(
        Sphere(dim=dim), optimizer=GradientDescent, budget=budget, seed=dim, options=options
    )
    assert result.stop == "converged" and result.success, result.message
    assert result.fun <= 1e-8
    assert result.nfev < budget
    assert result.message.startswith("converged: ") and len(result.message) > 15


@pytest.mark.parametrize("method", ["momentum", "adam"])
def test_momentum_and_adam_reach_the_bottom(method):
    result = steep.minimize(
        Sphere(dim=2),
        optimizer=GradientDescent,
        seed=3,
        options={"method": method, "use_gradient": False},
    )
    assert result.fun <= 1e-8, result.message


@pytest.mark.parametrize("method", ["plain", "momentum", "adam"])
def test_stops_at_the_wall_when_the_minimum_lies_beyond_it(method):
    result = steep.minimize(
        Sphere(dim=3), (2.0, 5.0), optimizer=GradientDescent, seed=4, options={"method": method}
    )
    assert result.stop == "converged", result.message
    np.testing.assert_allclose(result.x, 2.0, atol=1e-8)
    assert result.fun == pytest.approx(3.0, abs=1e-7)
    assert result.history.x.min() >= 2.0 and result.history.x.max() <= 5.0


def test_stops_at_the_wall_with_finite_differences_from_a_start_on_the_wall():
    result = steep.minimize(
        Sphere(dim=2),
        [(2.0, 5.0), (-5.0, 5.0)],
        optimizer=GradientDescent,
        x0=[2.0, 4.0],
        options={"use_gradient": False},
    )
    assert result.stop == "converged"
    np.testing.assert_allclose(result.x, [2.0, 1.0], atol=1e-6)
    assert result.history.x[:, 0].min() >= 2.0


def test_uses_the_analytic_slope_only_when_allowed():
    with_slope = steep.minimize(Sphere(dim=5), optimizer=GradientDescent, seed=1)
    without = steep.minimize(
        Sphere(dim=5), optimizer=GradientDescent, seed=1, options={"use_gradient": False}
    )
    assert with_slope.njev > 0 and without.njev == 0
    assert with_slope.nfev < without.nfev


def test_iterations_count_steps_and_evaluations_count_the_stencil_too():
    result = steep.minimize(
        Sphere(dim=10), optimizer=GradientDescent, seed=2, options={"use_gradient": False}
    )
    assert 1 <= result.nit < result.nbatch
    assert result.nfev >= 10 * result.nit


def test_a_larger_trial_batch_asks_that_many_step_lengths_at_once():
    result = steep.minimize(
        Sphere(dim=2), optimizer=GradientDescent, seed=0, budget=200, options={"trials": 6}
    )
    assert np.bincount(result.history.batch).max() == 6
    assert result.fun <= 1e-8


def test_the_named_optimizer_loads_from_its_plugin():
    with only_plugins("steep-gradient-descent"):
        result = steep.minimize(Sphere(dim=2), optimizer="gradient-descent", seed=0)
    assert result.optimizer == "gradient-descent" and result.fun <= 1e-8


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"trials": 0}, "'trials' must be >= 1: 0"),
        ({"momentum": 1.0}, "'momentum' must be < 1: 1.0"),
        ({"fd_step": -1e-3}, "'fd_step' must be > 0: -0.001"),
        ({"xtol": 0.0}, "'xtol' must be > 0: 0.0"),
        ({"method": "nesterov"}, "option method='nesterov': expected one of"),
    ],
)
def test_bad_options_are_named(options, named):
    with pytest.raises(steep.UsageError, match=named):
        steep.minimize(Sphere(dim=1), optimizer=GradientDescent, options=options)


def valley(dim: int, condition: float = 1e6):
    """A rotated quadratic valley of the given condition (bottom 1 above 0, at ``x*``) and
    its slope, over [-5, 5]^dim."""
    rng = np.random.default_rng(0)
    rotation, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    hessian = rotation @ np.diag(condition ** (np.arange(dim) / (dim - 1))) @ rotation.T
    bottom = rng.uniform(-3, 3, dim)

    def cost(X):
        Z = X - bottom
        return 0.5 * np.einsum("ij,jk,ik->i", Z, hessian, Z) + 1.0

    return cost, (lambda X: (X - bottom) @ hessian)


def descend(cost, dim: int, budget: int, seed: int, jac=None, restarts: int = 0, **options):
    """Gradient descent on a vectorized cost over [-5, 5]^dim."""
    return steep.minimize(
        cost,
        [(-5, 5)] * dim,
        vectorized=True,
        jac=jac,
        optimizer=GradientDescent,
        budget=budget,
        seed=seed,
        restarts=restarts,
        options=options,
    )


@pytest.mark.parametrize("seed", range(3))
def test_spectral_steps_cross_an_ill_conditioned_valley_where_the_plain_race_car_crawls(seed):
    # the step rules alone: no stagnation stop (a spectral descent may not beat its best
    # for more than `patience` steps on such a valley, and would stop there by default)
    cost, slope = valley(5)
    runs = {
        method: descend(cost, 5, 5000, seed, jac=slope, method=method, patience=0)
        for method in ("spectral", "plain")
    }
    reached = {m: np.flatnonzero(r.history.best_so_far() - 1.0 <= 1e-6) for m, r in runs.items()}
    assert len(reached["spectral"]) and reached["spectral"][0] < 1000, runs["spectral"].message
    assert not len(reached["plain"]), "the plain race car was expected to crawl"
    assert runs["plain"].fun - 1.0 > 1e3 * (runs["spectral"].fun - 1.0)


def test_the_spectral_search_may_climb_but_stays_below_the_recent_highest_cost():
    cost, slope = valley(5)
    result = descend(cost, 5, 2000, seed=1, jac=slope, patience=0)
    steps = np.diff(result.history.fun[result.history.fun < np.inf])
    assert (steps > 0).any(), "nonmonotone: some accepted or tried point lies higher"
    assert result.fun - 1.0 <= 1e-6


def separable_valley(dim: int, condition: float = 1e6):
    """An axis-aligned quadratic valley of the given condition (bottom 1 above 0), over
    [-5, 5]^dim: what a per-coordinate curvature makes round."""
    weights = condition ** (np.arange(dim) / (dim - 1))
    bottom = np.random.default_rng(0).uniform(-3, 3, dim)
    return lambda X: 0.5 * ((X - bottom) ** 2 @ weights) + 1.0


@pytest.mark.parametrize("seed", range(3))
def test_diagonal_scaling_rounds_a_separable_valley_the_scalar_step_crawls_along(seed):
    cost = separable_valley(10)
    reached = {}
    for scaling in ("diagonal", "scalar"):
        result = descend(cost, 10, 20_000, seed, scaling=scaling, patience=0)
        hits = np.flatnonzero(result.history.best_so_far() - 1.0 <= 1e-8)
        reached[scaling] = hits[0] + 1 if len(hits) else np.inf
    assert reached["diagonal"] <= 1000, reached
    assert reached["scalar"] > 10 * reached["diagonal"], reached


@pytest.mark.parametrize("seed", range(3))
def test_adaptive_differences_switch_to_central_when_forward_slopes_stall(seed):
    # forward slopes are off by about h f''/2: on a steep valley they stall short of the bottom
    # (the scalar spectral step: what the slope's accuracy changes, not the step's metric)
    cost, _ = valley(3)
    runs = {
        differences: descend(cost, 3, 3000, seed, differences=differences, scaling="scalar")
        for differences in ("adaptive", "forward")
    }
    assert any("central differences from there" in note for note in runs["adaptive"].decisions)
    assert not runs["forward"].decisions
    assert runs["adaptive"].fun - 1.0 <= 1e-9
    assert runs["adaptive"].fun - 1.0 < 1e-2 * (runs["forward"].fun - 1.0)


def test_the_stagnation_stop_fires_in_a_local_minimum_long_before_the_budget():
    def wiggly(X):  # a bowl with ripples: every descent ends in some local minimum
        return (X**2).sum(axis=1) + 3 * (1 - np.cos(6 * X)).sum(axis=1) + 100.0

    budget = 20_000
    stopped = descend(wiggly, 3, budget, seed=0)
    assert stopped.stop == "converged" and stopped.nfev < budget / 20, stopped.message
    restarted = descend(wiggly, 3, 2000, seed=0, restarts=1000)
    assert restarted.restarts >= 10 and restarted.fun <= stopped.fun


def test_patience_zero_never_calls_a_descent_stagnant():
    result = steep.minimize(
        Sphere(dim=3), optimizer=GradientDescent, seed=0, options={"patience": 0}
    )
    assert "lowered the best cost" not in result.message and result.fun <= 1e-8
