"""Instruments for plugins' own tests: drivers, slopes and basins, and plugin isolation."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np

from .. import plugins
from ..landscape import Landscape
from ..optimizer import Optimizer, Task
from ..options import option
from ..registry import Registry
from ..result import Result


@contextlib.contextmanager
def only_plugins(*distributions: str) -> Iterator[Registry]:
    """Inside the block, names come from these plugins alone (and the core's own).

    Yields the registry of just those plugins, which is also the process's inside the
    block, and ``STEEP_PLUGINS`` names them for child processes. For tests that run a
    plugin by name, e.g.
    ``with only_plugins("steep-hill-climber"): steep.minimize(..., optimizer="hill-climber")``.
    """
    saved = os.environ.get("STEEP_PLUGINS")
    os.environ["STEEP_PLUGINS"] = ",".join(distributions)
    try:
        with plugins.using(plugins.load_registry()) as registry:
            yield registry
    finally:
        if saved is None:
            del os.environ["STEEP_PLUGINS"]
        else:
            os.environ["STEEP_PLUGINS"] = saved


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
        """``batch`` points drawn uniformly from the box."""
        return self.bounds.sample(self.rng, self.options.batch)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        """Costs change nothing: the probe only looks."""


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
        """``batch`` points scattered around the best so far (the start, at first)."""
        spread = 0.2 * self.bounds.width
        points = self.best + spread * self.rng.standard_normal((self.options.batch, self.dim))
        return self.bounds.clip(points)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        """Follow the batch's best point when it beats the best so far."""
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


def assert_same_run(first: Result, second: Result) -> None:
    """The two runs evaluated the same points, in the same order, to the same costs and
    failures: what an evaluator must keep whatever its workers."""
    np.testing.assert_array_equal(first.history.x, second.history.x)
    np.testing.assert_array_equal(first.history.fun, second.history.fun)
    assert first.history.failures == second.history.failures
    assert (first.x.tolist(), first.fun, first.nfev, first.stop) == (
        second.x.tolist(),
        second.fun,
        second.nfev,
        second.stop,
    )


def rastrigin(points: np.ndarray) -> np.ndarray:
    """Rastrigin's function of the rows of ``points`` (minimum 0 at the origin, a valley at
    every integer point): the multimodal bowl optimizer plugins' own tests race on."""
    return 10.0 * points.shape[1] + (points**2 - 10.0 * np.cos(2 * np.pi * points)).sum(axis=1)


def rosenbrock(points: np.ndarray) -> np.ndarray:
    """Rosenbrock's banana of the rows of ``points`` (minimum 0 at (1, ..., 1)): a narrow
    curved valley, for tests of ill-conditioned descent."""
    x = points
    return (100.0 * (x[:, 1:] - x[:, :-1] ** 2) ** 2 + (1.0 - x[:, :-1]) ** 2).sum(axis=1)
