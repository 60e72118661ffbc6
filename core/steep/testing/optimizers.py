"""The optimizer contract, as named checks: bounds, budget, seeds, non-finite costs, scales.

PYTEST_DONT_REWRITE: its asserts' messages are the kit's own, said in full.
"""

from __future__ import annotations

import functools

import attrs
import numpy as np

from ..optimizer import Optimizer, Task
from ..problem import Problem
from ..registry import VALIDATORS
from ..space import Bounds
from .kit import Check, Rule, checks_of, run_optimizer, sphere_problem


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
        result = run_optimizer(optimizer, sphere_problem(3), budget)
        assert result.nfev <= budget, f"spent {result.nfev} of a budget of {budget}"
        assert len(result.history) == result.nfev
        if result.stop != "converged":
            assert result.nfev == budget, f"stopped ({result.stop}) with budget left"


def _reproducible(optimizer: type[Optimizer]) -> None:
    for x0 in (None, np.full(4, 2.5)):
        first = run_optimizer(optimizer, sphere_problem(4), 300, seed=7, x0=x0)
        second = run_optimizer(optimizer, sphere_problem(4), 300, seed=7, x0=x0)
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
        result = run_optimizer(optimizer, problem, 400, seed=3, x0=x0)
        if np.isfinite(result.fun):
            assert np.isfinite(holes(result.x.reshape(1, -1))[0]), "best point has no finite cost"

    def broken(X: np.ndarray) -> np.ndarray:
        return np.full(len(X), np.nan)

    result = run_optimizer(optimizer, Problem("all-nan", bounds, broken), 200, seed=3)
    assert not result.success, "reported success on a function that is NaN everywhere"


def _odd_boxes(optimizer: type[Optimizer]) -> None:
    boxes = [
        Bounds([1.0, 1.0], [1.0 + 1e-6, 1.0 + 1e-6]),
        Bounds([-1e6, -1e6], [1e6, 1e6]),
        Bounds([100.0, -0.001], [101.0, 0.0]),
    ]
    for bounds in boxes:
        problem = Problem("odd-box", bounds, lambda X: ((X - 1.0) ** 2).sum(axis=1))
        result = run_optimizer(optimizer, problem, 300, seed=5)
        assert bounds.contains(result.history.x), f"left the box {bounds.as_pairs()}"


def _extreme_scales(optimizer: type[Optimizer]) -> None:
    for scale in (1e-300, 1e300, 0.0):

        def scaled(X: np.ndarray, scale: float = scale) -> np.ndarray:
            return scale * ((X - 1.0) ** 2).sum(axis=1)

        problem = Problem("scaled", Bounds.broadcast(-5.0, 5.0, 2), scaled)
        with np.errstate(divide="raise", invalid="raise", over="ignore"):
            result = run_optimizer(optimizer, problem, 300, seed=2)
        assert np.isfinite(result.fun), f"lost every finite cost at scale {scale:g}"


def _many_dimensions(optimizer: type[Optimizer]) -> None:
    for dim in (1, 2, 10, 50):
        result = run_optimizer(optimizer, sphere_problem(dim), 20 * dim + 50, seed=11)
        assert result.x.shape == (dim,)
        assert result.nfev <= 20 * dim + 50


def _scaled_bowl(X: np.ndarray, bottom: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return (((X - bottom) / scale) ** 2).sum(axis=1)


def _searches_without_a_box(optimizer: type[Optimizer]) -> None:
    for start, bottom in (([0.0, 0.0], [6.0, -4.0]), ([1e4, -2e4, 5.0], [3e4, -1e4, -20.0])):
        bounds = Bounds.around(start)
        bowl = functools.partial(_scaled_bowl, bottom=np.array(bottom), scale=bounds.spread)
        problem = Problem("open-bowl", bounds, bowl)
        result = run_optimizer(optimizer, problem, 600, seed=4, x0=start)
        assert np.isfinite(result.history.x).all(), "asked a point with NaN or inf coordinates"
        first = float(bowl(np.array([start]))[0])
        assert result.fun <= 1e-2 * first, (
            f"from x0={start} the best cost {result.fun:.3g} is not a hundredth of the start's "
            f"{first:.3g}: the bottom lies {np.round(bottom, 3).tolist()}, outside the "
            "reference box"
        )


OPTIMIZER_RULES: dict[str, Rule] = {
    "is_registrable": Rule(
        _registrable,
        "the class can be registered as an optimizer",
        "give it a `name` (lowercase words joined by '-'), a docstring whose first line sums "
        "it up, an attrs `Options` class whose defaults construct, and ask() and tell()",
    ),
    "options_are_documented": Rule(
        _options_documented,
        "every option carries the one-line doc `steep show` prints",
        'make every field of Options with steep.option(default, "what it does")',
    ),
    "asks_right_shapes_inside_bounds": Rule(
        _asks_inside_bounds,
        "ask() returns a (k, dim) array of finite points inside the box, k >= 1",
        "build points from self.bounds and self.dim, and fold them into the box with "
        "self.bounds.clip(points) or self.bounds.reflect(points)",
    ),
    "respects_the_budget_exactly": Rule(
        _respects_budget,
        "the run spends its whole budget unless the optimizer says it has converged",
        "keep asking until the run stops you (the core cuts the last batch to fit the "
        "budget); set self.converged to a reason only when the method is really done",
    ),
    "same_seed_same_run": Rule(
        _reproducible,
        "the same seed gives the same points and costs, evaluation for evaluation",
        "draw every random number from self.rng, never from np.random.* or random.*, and "
        "depend on nothing else that changes between runs (time, set order)",
    ),
    "survives_nan_and_inf_costs": Rule(
        _survives_nonfinite,
        "costs told as +inf (failed, NaN, infinite) neither break the method nor win",
        "treat +inf as worse than every finite cost, and avoid arithmetic that turns it "
        "into NaN (inf - inf, 0 * inf, means and spreads over costs that include inf)",
    ),
    "stays_inside_tiny_wide_and_offset_boxes": Rule(
        _odd_boxes,
        "every point stays inside boxes of width 1e-6 or 2e6, far from the origin",
        "scale steps by self.bounds.width and place them from the box, not from 0 or 1",
    ),
    "searches_without_a_box_if_it_needs_none": Rule(
        _searches_without_a_box,
        "an optimizer with needs_box = False finds a bowl's bottom outside the reference box "
        "of an open space (no walls), asking only finite points",
        "scale steps by self.bounds.reference().width, not self.bounds.width (infinite "
        "there), draw fresh points with self.bounds.sample, and walk beyond the reference "
        "box; or leave needs_box = True",
    ),
    "survives_tiny_huge_and_flat_costs": Rule(
        _extreme_scales,
        "costs of order 1e-300, 1e300 or all equal raise no floating-point error",
        "never divide by a spread or difference of costs that can be 0 or overflow; "
        "floor it (e.g. max(spread, tiny)) or rank costs instead of scaling them",
    ),
    "works_from_1_to_50_dimensions": Rule(
        _many_dimensions,
        "the method runs in 1, 2, 10 and 50 dimensions",
        "size every array from self.dim, and do not assume two dimensions or more",
    ),
}


def optimizer_checks(optimizer: type[Optimizer]) -> list[Check]:
    """The checks every optimizer must pass, one :class:`Check` per rule, named
    ``ClassName.rule`` (test ids); the search without a box only for those that need none."""
    rules = {
        name: rule
        for name, rule in OPTIMIZER_RULES.items()
        if not (optimizer.needs_box and rule.function is _searches_without_a_box)
    }
    return checks_of(optimizer.__name__, rules, optimizer)


def check_optimizer(optimizer: type[Optimizer]) -> None:
    """Run every optimizer check; raise :class:`CheckFailure` at the first broken rule."""
    for check in optimizer_checks(optimizer):
        check()
