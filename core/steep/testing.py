"""The conformance kit: the contract of optimizers and landscapes, as code.

Run it from any plugin's tests, as scikit-learn's ``check_estimator``::

    from steep.testing import landscape_checks, optimizer_checks

    @pytest.mark.parametrize("check", optimizer_checks(MyOptimizer), ids=str)
    def test_conformance(check):
        check()

or all at once with ``check_optimizer(MyOptimizer)`` / ``check_landscape(MyLandscape)``.
Each check raises ``AssertionError`` naming the rule that was broken.

It also holds instruments for a plugin's own tests: :class:`Sphere` (a landscape to run
optimizers on), :class:`UniformProbe` (an optimizer to run landscapes with, by name too),
:func:`central_slopes` and :func:`descend` (to measure slopes and basins of a landscape),
:func:`only_plugins` (to load names from the plugins under test alone).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np

from . import plugins
from .errors import PluginError, UsageError
from .landscape import Landscape, Minimum
from .optimizer import Optimizer, Task
from .options import option
from .problem import Problem
from .registry import VALIDATORS
from .run import Budget, Run
from .space import Bounds


class Sphere(Landscape):
    """A shifted sphere, the simplest smooth bowl, for testing optimizers."""

    name = "test-sphere"
    story = "Sum of squares around a point off the box's centre; for tests of optimizers."
    tags = frozenset({"smooth", "unimodal", "separable"})
    lower, upper = -5.0, 5.0

    @property
    def minimum(self) -> Minimum:
        return Minimum(np.full(self.dim, 1.0), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return ((X - 1.0) ** 2).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * (X - 1.0)


@attrs.frozen
class Check:
    """One rule of the contract, callable; its ``name`` says which."""

    name: str
    function: Callable[[], None] = attrs.field(repr=False)

    def __call__(self) -> None:
        try:
            self.function()
        except (AssertionError, PluginError) as error:
            raise AssertionError(f"{self.name}: {error}") from error

    def __str__(self) -> str:
        return self.name


def _run(
    optimizer: type[Optimizer],
    problem: Problem,
    budget: int,
    seed: int = 0,
    x0: Any = None,
    **options: Any,
):
    return Run(
        problem,
        optimizer,
        optimizer.Options(**options),
        budget=Budget(budget),
        seed=seed,
        x0=x0,
    ).execute()


def _sphere(dim: int, bounds: Any = None) -> Problem:
    return Problem.from_landscape(Sphere(dim=dim), bounds)


# -- optimizers ---------------------------------------------------------------------------


def _registrable(optimizer: type[Optimizer]) -> None:
    try:
        VALIDATORS["optimizer"](optimizer)
    except ValueError as error:
        raise AssertionError(str(error)) from None


def _options_documented(optimizer: type[Optimizer]) -> None:
    for field in attrs.fields(optimizer.Options):
        assert field.metadata.get("doc"), f"option {field.name!r} has no doc (use steep.option)"


def _asks_inside_bounds(optimizer: type[Optimizer]) -> None:
    rng = np.random.default_rng(0)
    boxes = [Bounds([-5.0], [5.0]), Bounds([0.0, 2.0], [1.0, 30.0]), Bounds.broadcast(-3, 8, 7)]
    for bounds in boxes:
        task = Task(bounds, bounds.sample(rng, 1)[0], budget=300)
        instance = optimizer(task, optimizer.Options(), np.random.default_rng(1))
        spent = 0
        for _ in range(40):
            points = np.asarray(instance.ask())
            assert points.ndim == 2 and points.shape[1] == bounds.dim and len(points) >= 1, (
                f"ask() returned shape {points.shape} for dimension {bounds.dim}"
            )
            assert np.isfinite(points).all(), "ask() returned NaN or inf coordinates"
            assert bounds.contains(points), f"ask() left the box {bounds.as_pairs()}"
            costs = ((points - bounds.center) ** 2).sum(axis=1)
            instance.tell(points, costs)
            spent += len(points)
            if instance.converged or spent >= task.budget:
                break


def _respects_budget(optimizer: type[Optimizer]) -> None:
    for budget in (1, 2, 13, 100, 1000):
        result = _run(optimizer, _sphere(3), budget)
        assert result.nfev <= budget, f"spent {result.nfev} of a budget of {budget}"
        assert len(result.history) == result.nfev
        if result.stop != "converged":
            assert result.nfev == budget, f"stopped ({result.stop}) with budget left"


def _reproducible(optimizer: type[Optimizer]) -> None:
    for x0 in (None, np.full(4, 2.5)):
        first = _run(optimizer, _sphere(4), 300, seed=7, x0=x0)
        second = _run(optimizer, _sphere(4), 300, seed=7, x0=x0)
        assert first.nfev == second.nfev, "same seed, different number of evaluations"
        assert np.array_equal(first.history.x, second.history.x), "same seed, different points"
        assert np.array_equal(first.history.fun, second.history.fun)


def _survives_nonfinite(optimizer: type[Optimizer]) -> None:
    def holes(X: np.ndarray) -> np.ndarray:
        costs = ((X - 1.0) ** 2).sum(axis=1)
        costs[X[:, 0] > 2.0] = np.nan
        costs[X[:, 0] < -2.0] = np.inf
        costs[(X[:, 0] > -0.5) & (X[:, 0] < -0.2)] = -np.inf
        return costs

    bounds = Bounds.broadcast(-5.0, 5.0, 3)
    for x0 in (np.array([4.0, 4.0, 4.0]), np.array([-4.0, 0.0, 0.0]), None):
        problem = Problem("holes", bounds, holes)
        result = _run(optimizer, problem, 400, seed=3, x0=x0)
        if np.isfinite(result.fun):
            assert np.isfinite(holes(result.x.reshape(1, -1))[0]), "best point has no finite cost"

    def broken(X: np.ndarray) -> np.ndarray:
        return np.full(len(X), np.nan)

    result = _run(optimizer, Problem("all-nan", bounds, broken), 200, seed=3)
    assert not result.success, "reported success on a function that is NaN everywhere"


def _odd_boxes(optimizer: type[Optimizer]) -> None:
    boxes = [
        Bounds([1.0, 1.0], [1.0 + 1e-6, 1.0 + 1e-6]),
        Bounds([-1e6, -1e6], [1e6, 1e6]),
        Bounds([100.0, -0.001], [101.0, 0.0]),
    ]
    for bounds in boxes:
        problem = Problem("odd-box", bounds, lambda X: ((X - 1.0) ** 2).sum(axis=1))
        result = _run(optimizer, problem, 300, seed=5)
        assert bounds.contains(result.history.x), f"left the box {bounds.as_pairs()}"


def _extreme_scales(optimizer: type[Optimizer]) -> None:
    for scale in (1e-300, 1e300, 0.0):

        def scaled(X: np.ndarray, scale: float = scale) -> np.ndarray:
            return scale * ((X - 1.0) ** 2).sum(axis=1)

        problem = Problem("scaled", Bounds.broadcast(-5.0, 5.0, 2), scaled)
        with np.errstate(divide="raise", invalid="raise", over="ignore"):
            result = _run(optimizer, problem, 300, seed=2)
        assert np.isfinite(result.fun), f"lost every finite cost at scale {scale:g}"


def _many_dimensions(optimizer: type[Optimizer]) -> None:
    for dim in (1, 2, 10, 50):
        result = _run(optimizer, _sphere(dim), 20 * dim + 50, seed=11)
        assert result.x.shape == (dim,)
        assert result.nfev <= 20 * dim + 50


OPTIMIZER_RULES: dict[str, Callable[[type[Optimizer]], None]] = {
    "is_registrable": _registrable,
    "options_are_documented": _options_documented,
    "asks_right_shapes_inside_bounds": _asks_inside_bounds,
    "respects_the_budget_exactly": _respects_budget,
    "same_seed_same_run": _reproducible,
    "survives_nan_and_inf_costs": _survives_nonfinite,
    "stays_inside_tiny_wide_and_offset_boxes": _odd_boxes,
    "survives_tiny_huge_and_flat_costs": _extreme_scales,
    "works_from_1_to_50_dimensions": _many_dimensions,
}


def optimizer_checks(optimizer: type[Optimizer]) -> list[Check]:
    """The checks every optimizer must pass, one :class:`Check` per rule."""
    return [
        Check(f"{optimizer.__name__}.{rule}", lambda rule=rule: OPTIMIZER_RULES[rule](optimizer))
        for rule in OPTIMIZER_RULES
    ]


def check_optimizer(optimizer: type[Optimizer]) -> None:
    """Run every optimizer check; raise ``AssertionError`` at the first broken rule."""
    for check in optimizer_checks(optimizer):
        check()


# -- landscapes ---------------------------------------------------------------------------


def _dims(landscape: type[Landscape]) -> list[int]:
    return [landscape.fixed_dim] if landscape.fixed_dim else [1, 2, 10]


def _landscape_registrable(landscape: type[Landscape]) -> None:
    try:
        VALIDATORS["landscape"](landscape)
    except ValueError as error:
        raise AssertionError(str(error)) from None
    instance = landscape()
    assert instance.dim == (landscape.fixed_dim or landscape.default_dim)


def _one_cost_per_point(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(0)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        bounds = instance.bounds
        assert bounds.dim == dim, f"bounds have {bounds.dim} coordinates in dimension {dim}"
        for n in (0, 1, 17):
            costs = np.asarray(instance.evaluate(bounds.sample(rng, n)))
            assert costs.shape == (n,), f"evaluate of {n} points returned shape {costs.shape}"
            assert costs.dtype.kind == "f", f"costs have dtype {costs.dtype}, expected float"
        assert np.isfinite(instance.evaluate(bounds.sample(rng, 200))).all(), (
            "non-finite costs inside the box"
        )


def _vectorized_matches_pointwise(landscape: type[Landscape]) -> None:
    if "noisy" in landscape.tags:
        return  # each evaluation draws new noise, so two calls never agree
    rng = np.random.default_rng(1)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        points = instance.bounds.sample(rng, 50)
        batch = instance.evaluate(points)
        single = np.array([instance.evaluate(p.reshape(1, -1))[0] for p in points])
        np.testing.assert_allclose(batch, single, rtol=1e-12, atol=1e-12)


def _minimum_is_real(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(2)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        minimum = instance.minimum
        if minimum is None:
            continue
        bounds = instance.bounds
        assert minimum.x.shape == (dim,), f"minimum.x has shape {minimum.x.shape}"
        assert bounds.contains(minimum.x.reshape(1, -1)), "the minimum lies outside the box"
        tolerance = 1e-9 * max(1.0, abs(minimum.fun))
        if "noisy" not in landscape.tags:
            value = instance.evaluate(minimum.x.reshape(1, -1))[0]
            assert abs(value - minimum.fun) <= tolerance, (
                f"cost at minimum.x is {value!r}, but minimum.fun is {minimum.fun!r}"
            )
        points = bounds.sample(rng, 20_000)
        if dim <= 2:
            axes = [np.linspace(lo, hi, 201 if dim == 1 else 141) for lo, hi in bounds.as_pairs()]
            grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, dim)
            points = np.vstack([points, grid])
        lowest = instance.evaluate(points).min()
        assert lowest >= minimum.fun - tolerance, (
            f"a point costs {lowest!r}, below the stated minimum {minimum.fun!r}"
        )


def _same_seed_same_instance(landscape: type[Landscape]) -> None:
    points = landscape(seed=0).bounds.sample(np.random.default_rng(3), 100)
    first = landscape(seed=5).evaluate(points)
    second = landscape(seed=5).evaluate(points)
    np.testing.assert_array_equal(first, second, err_msg="same seed, different costs")


def _rejects_bad_dimensions(landscape: type[Landscape]) -> None:
    bad = [0, -1, 2.5]
    if landscape.fixed_dim:
        bad.append(landscape.fixed_dim + 1)
    for dim in bad:
        try:
            landscape(dim=dim)
        except UsageError:
            continue
        raise AssertionError(f"dim={dim!r} was accepted")


def _gradient_matches_slope(landscape: type[Landscape]) -> None:
    if landscape.gradient is None:
        return
    rng = np.random.default_rng(4)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        bounds = instance.bounds
        inner = Bounds(bounds.lower + 0.1 * bounds.width, bounds.upper - 0.1 * bounds.width)
        points = inner.sample(rng, 5)
        slopes = np.asarray(instance.gradient(points))
        assert slopes.shape == points.shape, f"gradient returned shape {slopes.shape}"
        step = 1e-6 * bounds.width
        for point, slope in zip(points, slopes):
            shifts = np.diag(step)
            above, below = instance.evaluate(point + shifts), instance.evaluate(point - shifts)
            central = (above - below) / (2 * step)
            # central differences carry rounding error of about eps * |f| / step
            rounding = 100 * np.finfo(float).eps * np.abs(above).max() / step.min()
            np.testing.assert_allclose(slope, central, rtol=1e-4, atol=1e-6 + rounding)


LANDSCAPE_RULES: dict[str, Callable[[type[Landscape]], None]] = {
    "is_registrable": _landscape_registrable,
    "returns_one_finite_cost_per_point": _one_cost_per_point,
    "vectorized_matches_pointwise": _vectorized_matches_pointwise,
    "minimum_is_real": _minimum_is_real,
    "same_seed_same_instance": _same_seed_same_instance,
    "rejects_bad_dimensions": _rejects_bad_dimensions,
    "gradient_matches_slope": _gradient_matches_slope,
}


def landscape_checks(landscape: type[Landscape]) -> list[Check]:
    """The checks every landscape must pass, one :class:`Check` per rule."""
    return [
        Check(f"{landscape.__name__}.{rule}", lambda rule=rule: LANDSCAPE_RULES[rule](landscape))
        for rule in LANDSCAPE_RULES
    ]


def check_landscape(landscape: type[Landscape]) -> None:
    """Run every landscape check; raise ``AssertionError`` at the first broken rule."""
    for check in landscape_checks(landscape):
        check()


# -- instruments for plugins' own tests -----------------------------------------------------


@contextlib.contextmanager
def only_plugins(*distributions: str) -> Iterator[None]:
    """Inside the block, names come from these plugins alone (and the core's defaults).

    Sets ``STEEP_PLUGINS`` and reloads the registry; afterwards restores the variable and
    reloads again. For tests that run a plugin by name, e.g.
    ``with only_plugins("steep-hill-climber"): steep.minimize(..., optimizer="hill-climber")``.
    """
    saved = os.environ.get("STEEP_PLUGINS")
    os.environ["STEEP_PLUGINS"] = ",".join(distributions)
    plugins.reset_registry()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["STEEP_PLUGINS"]
        else:
            os.environ["STEEP_PLUGINS"] = saved
        plugins.reset_registry()


@attrs.frozen
class UniformProbeOptions:
    batch: int = option(10, "points drawn per batch", check=attrs.validators.ge(1))


class UniformProbe(Optimizer):
    """Uniform random points in the box, in batches: a plain driver for running landscapes.

    Pass the class itself (``steep.minimize("my-landscape", optimizer=UniformProbe, ...)``),
    so a landscape plugin's tests run by name with no optimizer plugin installed.
    """

    name = "test-uniform-probe"
    Options = UniformProbeOptions
    parallelism = "asks `batch` independent points at once"

    def ask(self) -> np.ndarray:
        return self.bounds.sample(self.rng, self.options.batch)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        pass


@attrs.frozen
class FollowTheBestOptions:
    batch: int = option(6, "points asked per batch", check=attrs.validators.ge(1))


class FollowTheBest(Optimizer):
    """Asks points scattered around the best so far: what it asks depends on the costs.

    For testing evaluators: a cost returned out of order or for the wrong point changes the
    rest of the run, so comparing its history with a serial run checks an evaluator whole.
    """

    name = "follow-the-best"
    Options = FollowTheBestOptions
    parallelism = "asks `batch` independent points at once"

    def __init__(self, task: Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.best, self.best_cost = task.x0, np.inf

    def ask(self) -> np.ndarray:
        spread = 0.2 * self.bounds.width
        points = self.best + spread * self.rng.standard_normal((self.options.batch, self.dim))
        return self.bounds.clip(points)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if costs.min() < self.best_cost:
            self.best, self.best_cost = points[costs.argmin()], float(costs.min())


def central_slopes(landscape: Landscape, points: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Central finite-difference slopes of ``landscape`` at each row of ``points``, ``(n, d)``.

    The step is ``step`` times the box width per coordinate; the stencil may reach past the
    box by that much (landscapes evaluate anywhere). All ``2 n d`` costs in two batches.
    For an optimizer's stencils that stay inside the box, see :mod:`steep.differences`.
    """
    dim = landscape.dim
    h = step * landscape.bounds.width
    shifts = np.diag(h)
    ahead = landscape.evaluate((points[:, None, :] + shifts).reshape(-1, dim))
    behind = landscape.evaluate((points[:, None, :] - shifts).reshape(-1, dim))
    return (ahead - behind).reshape(points.shape) / (2 * h)


def descend(
    landscape: Landscape, starts: np.ndarray, max_move: float = 1.0, iterations: int = 300
) -> tuple[np.ndarray, np.ndarray]:
    """Local descent from each row of ``starts`` at once; the end points and their costs.

    Each start steps along ``-rate * slope`` (:func:`central_slopes`), the move capped at
    ``max_move`` in length and clipped to the box, and keeps the step only when it lowers
    the cost; its ``rate`` (from 1) doubles after a kept step and halves after a refused
    one. Short moves keep a descent in the basin it starts in, so where descents end
    measures a landscape's basins: how many, how wide, which ones trap small steps.
    """
    bounds = landscape.bounds
    points = np.array(starts, dtype=np.float64)
    costs = landscape.evaluate(points)
    rate = np.ones(len(points))
    for _ in range(iterations):
        move = -rate[:, None] * central_slopes(landscape, points)
        length = np.linalg.norm(move, axis=1, keepdims=True)
        move *= np.minimum(1.0, max_move / np.maximum(length, 1e-300))
        trial = bounds.clip(points + move)
        trial_costs = landscape.evaluate(trial)
        better = trial_costs < costs
        points[better], costs[better] = trial[better], trial_costs[better]
        rate = np.where(better, 2 * rate, rate / 2)
    return points, costs
