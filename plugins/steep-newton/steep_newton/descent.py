"""Projected line-search descent as ask/tell: build a local model at x, then search along it.

Each iteration asks for the points the model needs (a finite-difference stencil, in one
batch), then for trial steps ``x(a) = clip(x - a p)`` along the direction ``p`` with
``a = 1, 1/2, ...`` (``trials`` per batch), backtracking by quadratic interpolation until the
Armijo condition ``f(x(a)) <= f(x) + armijo * g.(x(a) - x)`` holds. Coordinates at a wall
whose slope presses outward are held fixed (projected gradient / active set).
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import steep
from attrs.validators import and_, ge, gt, le, lt, optional
from steep import option
from steep.differences import EPS


@attrs.frozen
class DescentOptions:
    use_gradient: bool = option(True, "use the landscape's analytic slope when it has one")
    fd_step: float | None = option(
        None,
        "relative finite-difference step, times max(|x_i|, width_i/10); None: the method's own",
        check=optional(and_(gt(0), lt(1))),
    )
    trials: int = option(
        1,
        "step lengths tried per line-search batch (halving); more feed parallel workers",
        check=ge(1),
    )
    armijo: float = option(
        1e-4,
        "sufficient decrease, as a fraction of the slope's promise",
        check=and_(gt(0), lt(0.5)),
    )
    xtol: float = option(
        1e-10,
        "converged when a step moves less than this fraction of every box width",
        check=and_(gt(0), lt(1)),
    )
    initial_step: float = option(
        0.1,
        "length of a steepest-descent step, as a fraction of the box diagonal",
        check=and_(gt(0), le(1)),
    )


class LineSearchDescent(steep.Optimizer):
    """Base of Newton and BFGS: subclasses say which points the model needs and the direction."""

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.gradient = task.gradient if options.use_gradient else None
        self.x = np.array(task.x0, dtype=np.float64)
        self.f = math.nan  # unknown until evaluated
        self.g = np.zeros(self.dim)
        self.last_step: np.ndarray | None = None
        self.last_slope = self.g
        self.nit = 0
        self._request_model()

    # -- what subclasses provide -------------------------------------------------------

    def model_points(self) -> np.ndarray:
        """Points (besides x) whose costs the model at ``self.x`` needs; may be empty."""
        raise NotImplementedError

    def build_model(self, costs: np.ndarray) -> None:
        """Set ``self.g`` (and any curvature) from the costs of :meth:`model_points`."""
        raise NotImplementedError

    def direction(self, free: np.ndarray) -> np.ndarray:
        """The step ``p`` (``x - p`` is the full step), zero outside the ``free`` coordinates."""
        raise NotImplementedError

    def learn(self, step: np.ndarray, change: np.ndarray) -> None:
        """Hear the last step and the change of slope it brought (for quasi-Newton updates)."""

    def fall_back(self) -> bool:
        """The direction failed: switch to a safer one and return True, or False to give up."""
        return False

    # -- shared machinery --------------------------------------------------------------

    def steepest(self, free: np.ndarray) -> np.ndarray:
        """The slope on the free coordinates, scaled to ``initial_step`` of the box diagonal."""
        p = np.where(free, self.g, 0.0)
        return p * (
            self.options.initial_step * np.linalg.norm(self.bounds.width) / np.linalg.norm(p)
        )

    def analytic_slope(self, points: np.ndarray) -> np.ndarray:
        slopes = np.asarray(self.gradient(points), dtype=np.float64)  # type: ignore[misc]
        return np.where(np.isfinite(slopes), slopes, 0.0)

    def ask(self) -> np.ndarray:
        return self.pending

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if self.phase == "model":
            self._model_told(costs)
        else:
            self._line_told(points, costs)

    def _negligible(self, step: np.ndarray) -> bool:
        tolerance = self.options.xtol * self.bounds.width + 4 * EPS * np.abs(self.x)
        return bool((np.abs(step) <= tolerance).all())

    def _request_model(self) -> None:
        points = self.model_points()
        if math.isnan(self.f):
            points = np.vstack([self.x, points])
        if len(points):
            self.phase, self.pending = "model", self.bounds.clip(points)
        else:
            self._model_ready(np.empty(0))

    def _model_told(self, costs: np.ndarray) -> None:
        if math.isnan(self.f):
            self.f, costs = float(costs[0]), costs[1:]
            if not math.isfinite(self.f):  # a start with no finite cost: try another
                self.x, self.f = self.bounds.sample(self.rng, 1)[0], math.nan
                self._request_model()
                return
        self._model_ready(costs)

    def _model_ready(self, costs: np.ndarray) -> None:
        self.build_model(costs)
        if self.last_step is not None:
            self.learn(self.last_step, self.g - self.last_slope)
        self._begin_search()

    def _begin_search(self) -> None:
        x, g, lower, upper = self.x, self.g, self.bounds.lower, self.bounds.upper
        free = ~(((x <= lower) & (g > 0)) | ((x >= upper) & (g < 0)))
        if not np.linalg.norm(g[free]) > 0:  # zero, or too small to square in floats
            self.converged = "the projected slope is zero (flat, or pressing only on walls)"
            return
        self.p = self.direction(free)
        self._ask_trials(1.0)

    def _ask_trials(self, longest: float) -> None:
        self.alphas = longest * 0.5 ** np.arange(self.options.trials)
        points = self.bounds.clip(self.x - self.alphas[:, None] * self.p)
        if not np.isfinite(points).all():  # a slope too small or too large for floats
            self.converged = "the step is not a number: the slope under- or overflows"
            return
        if self._negligible(points[0] - self.x):
            if longest == 1.0:
                self.converged = (
                    f"the full step is less than {self.options.xtol:g} of every box width"
                )
            elif self.fall_back():
                self._begin_search()
            else:
                self.converged = (
                    f"no step longer than {self.options.xtol:g} of the box lowers the cost"
                )
            return
        self.phase, self.pending = "line", points

    def _line_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        steps = points - self.x
        promise = steps @ self.g  # first-order change of cost, negative downhill
        sufficient = self.f + self.options.armijo * np.minimum(promise, 0.0)
        accepted = (costs < self.f) & (costs <= sufficient)
        if accepted.any():
            best = int(np.where(accepted, costs, np.inf).argmin())
            self.last_step, self.last_slope = steps[best], self.g
            self.x, self.f = points[best].copy(), float(costs[best])
            self.nit += 1
            if self._negligible(steps[best]):
                self.converged = (
                    f"the last step moved less than {self.options.xtol:g} of every box width"
                )
            else:
                self._request_model()
            return
        shortest, cost, change = self.alphas[-1], costs[-1], promise[-1]
        curvature = (cost - self.f - change) / shortest**2
        guess = -change / shortest / (2 * curvature) if 0 < curvature < math.inf else 0.0
        self._ask_trials(min(max(guess, 0.1 * shortest), 0.5 * shortest))
