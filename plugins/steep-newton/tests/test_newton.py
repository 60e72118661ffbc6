import numpy as np
import pytest
import steep
from steep.testing import Sphere, only_plugins, optimizer_checks
from steep_newton import BFGS, Newton

METHODS = [Newton, BFGS]


def quartic_well(X):
    """``(x^2 - 1)^2`` per coordinate: negative curvature for |x| < 0.58, minima at ±1."""
    return ((X**2 - 1.0) ** 2).sum(axis=1)


def rosenbrock(X):
    return (100.0 * (X[:, 1:] - X[:, :-1] ** 2) ** 2 + (1.0 - X[:, :-1]) ** 2).sum(axis=1)


@pytest.mark.parametrize("check", optimizer_checks(Newton), ids=str)
def test_newton_conformance(check):
    check()


@pytest.mark.parametrize("check", optimizer_checks(BFGS), ids=str)
def test_bfgs_conformance(check):
    check()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
@pytest.mark.parametrize("dim", [1, 2, 10])
@pytest.mark.parametrize("use_gradient", [True, False], ids=["analytic", "differences"])
def test_converges_to_the_bottom_of_the_sphere_inside_the_budget(method, dim, use_gradient):
    budget = 40 * (dim + 1) ** 2
    result = steep.minimize(
        Sphere(dim=dim),
        optimizer=method,
        budget=budget,
        seed=dim,
        options={"use_gradient": use_gradient},
    )
    assert result.stop == "converged" and result.success, result.message
    assert result.fun <= 1e-8
    assert result.message.startswith("converged: ") and len(result.message) > 15


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_stops_at_the_wall_when_the_minimum_lies_beyond_it(method):
    result = steep.minimize(
        Sphere(dim=3), (2.0, 5.0), optimizer=method, seed=4, options={"use_gradient": False}
    )
    assert result.stop == "converged", result.message
    np.testing.assert_allclose(result.x, 2.0, atol=1e-8)
    assert result.history.x.min() >= 2.0 and result.history.x.max() <= 5.0


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_slides_along_a_wall_to_the_lowest_point_on_it(method):
    result = steep.minimize(
        Sphere(dim=2), [(2.0, 5.0), (-5.0, 5.0)], optimizer=method, x0=[4.0, -4.0], seed=0
    )
    assert result.stop == "converged"
    np.testing.assert_allclose(result.x, [2.0, 1.0], atol=1e-6)


def test_newton_walks_downhill_where_the_hessian_is_not_positive_definite():
    # At x = 0.2 the curvature is 12 x^2 - 4 < 0: a raw Newton step would climb to the hump at 0.
    result = steep.minimize(
        quartic_well, [(-2.0, 2.0)], vectorized=True, optimizer=Newton, x0=[0.2], seed=0
    )
    assert result.fun <= 1e-8 and abs(result.x[0] - 1.0) < 1e-4
    assert np.all(np.diff(result.history.best_so_far()) <= 0)
    below_start = result.history.fun < quartic_well(np.array([[0.2]]))[0]
    assert (result.history.x[below_start, 0] > 0.0).all()  # never into the other well


def rotated_bowl(dim, rough=False):
    """A bowl a million times steeper along one rotated axis than along another, bottom at 1.

    ``rough``: the steepest axis wiggles at every scale, ``z^2 (1 + sin(6 log|z|) / 5)``
    (still one bottom, cost rising with ``|z|``), so second differences along any direction
    that crosses it disagree with a quadratic by a fraction of the steep curvature.
    """
    rotation = np.linalg.qr(np.random.default_rng(0).normal(size=(dim, dim)))[0]
    weights = 10.0 ** (6.0 * np.arange(dim) / (dim - 1))

    def cost(X):
        Z = (X - 1.0) @ rotation
        if rough:
            z = np.abs(Z[:, -1])
            with np.errstate(divide="ignore", invalid="ignore"):
                wiggle = np.where(z > 0, 1 + np.sin(6 * np.log(z)) / 5, 1.0)
            Z[:, -1] *= np.sqrt(wiggle)
        return (weights * Z**2).sum(axis=1)

    return cost


def test_newton_solves_an_ill_conditioned_rotated_bowl_in_a_handful_of_iterations():
    result = steep.minimize(
        rotated_bowl(10), [(-5.0, 5.0)] * 10, vectorized=True, optimizer=Newton, seed=3
    )
    assert result.fun <= 1e-12 and result.stop == "converged", result.message
    assert result.nit <= 3


@pytest.mark.parametrize("dim", [2, 5, 10])
def test_newton_finds_the_shallow_curvature_beside_a_rough_steep_one(dim):
    # In coordinates the rough steep curvature leaks into every second difference and swamps
    # the shallow one (a million times smaller): the steps crawl. Along the Hessian's own
    # axes each curvature is measured apart.
    result = steep.minimize(
        rotated_bowl(dim, rough=True),
        [(-5.0, 5.0)] * dim,
        vectorized=True,
        optimizer=Newton,
        seed=3,
        budget=200 * dim**2,
    )
    assert result.fun <= 1e-8 and result.stop == "converged", result.message
    assert result.nit <= 40


def quartic_bowl(X):
    return ((X - 1.0) ** 2 + (X - 1.0) ** 4).sum(axis=1)


def model_batches(result, dim):
    """Sizes of the batches that asked a model (a Hessian or a slope stencil), not trial steps."""
    sizes = np.bincount(result.history.batch)
    return sizes[sizes >= 2 * dim]


def test_newton_keeps_the_hessian_while_it_predicts_well():
    dim = 10
    x0 = np.random.default_rng(2).uniform(-5.0, 5.0, dim)
    runs = {
        reuse: steep.minimize(
            quartic_bowl,
            [(-5.0, 5.0)] * dim,
            vectorized=True,
            optimizer=Newton,
            x0=x0,
            seed=1,
            options={"reuse": reuse},
        )
        for reuse in (0.0, 0.25)
    }
    for result in runs.values():
        assert result.fun <= 1e-12 and result.stop == "converged", result.message
    every = model_batches(runs[0.0], dim)
    kept = model_batches(runs[0.25], dim)
    assert (every[:-1] >= dim * (dim + 1)).all()  # a new Hessian every step
    assert every[-1] == 2 * dim  # the stop checked with a fine slope
    assert (kept == 2 * dim).sum() >= 3  # central slopes alone on a kept Hessian
    assert runs[0.25].nfev < 0.85 * runs[0.0].nfev  # more steps, fewer evaluations


def test_newton_stops_once_the_model_promises_less_than_ftol_of_the_cost():
    # A quartic floor: Newton only gains a third of the gap per step, ever more slowly.
    def flat_floor(X):
        return 1.0 + ((X - 1.0) ** 4).sum(axis=1)

    stopped, going = (
        steep.minimize(
            flat_floor,
            [(-5.0, 5.0)] * 2,
            vectorized=True,
            optimizer=Newton,
            x0=[3.0, -2.0],
            seed=0,
            options={"ftol": ftol},
        )
        for ftol in (1e-13, 1e-30)
    )
    assert stopped.stop == "converged" and "promises less than 1e-13" in stopped.message
    assert stopped.fun - 1.0 <= 1e-12  # the gap left is of the order of what was promised
    assert "promises" not in going.message
    assert going.nfev > stopped.nfev + 20


def test_bfgs_solves_rosenbrock_from_finite_difference_slopes():
    result = steep.minimize(
        rosenbrock, [(-5.0, 10.0)] * 2, vectorized=True, optimizer=BFGS, x0=[-1.2, 1.0], seed=0
    )
    assert result.fun <= 1e-8, result.message
    assert result.nfev < 400


def test_curvature_costs_evaluations_per_iteration():
    newton = steep.minimize(
        Sphere(dim=10), optimizer=Newton, seed=1, options={"use_gradient": False}
    )
    bfgs = steep.minimize(Sphere(dim=10), optimizer=BFGS, seed=1, options={"use_gradient": False})
    assert newton.nfev / newton.nit >= 10 * 11  # a whole Hessian stencil for its one step
    assert bfgs.nfev / bfgs.nit < newton.nfev / newton.nit


def elongated_bowl(X):
    """A quadratic bowl a thousand times steeper across than along, bottom at 1, its axes
    turned away from the coordinates: no step size per coordinate learns its shape."""
    dim = X.shape[1]
    turn = np.linalg.qr(np.random.default_rng(dim).standard_normal((dim, dim)))[0]
    weights = 10.0 ** (3.0 * np.arange(dim) / max(dim - 1, 1))
    return (weights * ((X - 1.0) @ turn) ** 2).sum(axis=1)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
@pytest.mark.parametrize("dim", [2, 3, 10])
def test_fewer_iterations_than_gradient_descent_on_an_elongated_bowl(method, dim):
    gradient_descent = pytest.importorskip("steep_gradient_descent").GradientDescent
    runs = {
        optimizer: steep.minimize(
            elongated_bowl, [(-5.0, 5.0)] * dim, vectorized=True, optimizer=optimizer, seed=5
        )
        for optimizer in (method, gradient_descent)
    }
    assert runs[method].fun <= 1e-8 and runs[method].stop == "converged"
    assert runs[method].nit < runs[gradient_descent].nit


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_uses_the_analytic_slope_only_when_allowed(method):
    with_slope = steep.minimize(Sphere(dim=4), optimizer=method, seed=1)
    without = steep.minimize(
        Sphere(dim=4), optimizer=method, seed=1, options={"use_gradient": False}
    )
    assert with_slope.njev > 0 and without.njev == 0
    assert with_slope.nfev < without.nfev


def test_both_names_load_from_the_plugin():
    with only_plugins("steep-newton"):
        results = [
            steep.minimize(Sphere(dim=2), optimizer=name, seed=0) for name in ("newton", "bfgs")
        ]
    assert [r.optimizer for r in results] == ["newton", "bfgs"]
    assert all(r.fun <= 1e-8 for r in results)


@pytest.mark.parametrize(
    ("method", "options", "named"),
    [
        (Newton, {"trials": 0}, "'trials' must be >= 1: 0"),
        (Newton, {"armijo": 0.5}, "'armijo' must be < 0.5: 0.5"),
        (BFGS, {"initial_step": 0.0}, "'initial_step' must be > 0: 0.0"),
        (BFGS, {"differences": "backward"}, "option differences='backward': expected one of"),
        (BFGS, {"fd_step": 2.0}, "'fd_step' must be < 1: 2.0"),
    ],
)
def test_bad_options_are_named(method, options, named):
    with pytest.raises(steep.UsageError, match=named):
        steep.minimize(Sphere(dim=1), optimizer=method, options=options)
