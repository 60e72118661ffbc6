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
