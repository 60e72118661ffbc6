"""Projected gradient descent with a backtracking line search, plain, with momentum or Adam."""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs
import numpy as np
import steep
from attrs.validators import and_, ge, gt, le, lt, optional
from steep import differences, option


@attrs.frozen
class GradientDescentOptions:
    method: Literal["plain", "momentum", "adam"] = option(
        "plain", "direction: the slope, heavy-ball momentum, or Adam's scaled moments"
    )
    differences: Literal["forward", "central"] = option(
        "forward", "finite differences for the slope: forward (d points) or central (2d)"
    )
    use_gradient: bool = option(True, "use the landscape's analytic slope when it has one")
    fd_step: float | None = option(
        None,
        "relative finite-difference step, times max(|x_i|, width_i/10); "
        "None: sqrt(eps) forward, eps**(1/3) central",
        check=optional(and_(gt(0), lt(1))),
    )
    momentum: float = option(
        0.9, "weight of the past direction (Adam's beta1)", check=and_(ge(0), lt(1))
    )
    beta2: float = option(0.999, "Adam's decay of the squared slopes", check=and_(ge(0), lt(1)))
    trials: int = option(
        1,
        "step lengths per line-search batch: 2a, a, a/2, ...; more feed parallel workers",
        check=ge(1),
    )
    interpolate: bool = option(
        False,
        "next step length from the parabola through the last trial (exact on a round bowl); "
        "off: the textbook race car, doubling the step after a success, halving after a miss",
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
        0.1, "length of the first step, as a fraction of the box diagonal", check=and_(gt(0), le(1))
    )


class GradientDescent(steep.Optimizer):
    """Gradient descent, the race car: follow the slope downhill with a backtracking line search.

    The slope comes from finite differences asked in one batch (forward: ``d`` points, step
    ``sqrt(eps)`` relative; central: ``2 d`` points, ``eps**(1/3)``; one-sided near a wall),
    or from the landscape's analytic slope. The step is ``a p`` with ``p`` the slope (so the
    step grows with it), the heavy-ball velocity, or Adam's bias-corrected ``m / sqrt(v)``;
    the step length ``a`` adapts by a line search: each batch tries ``2a`` (``trials`` > 1:
    also ``a, a/2, ...``) and keeps the lowest cost that meets the Armijo condition,
    halving when none does, so the step doubles while it keeps succeeding. With
    ``interpolate``, the next ``a`` is the bottom of the parabola through the last trial
    (exact on a round bowl). Projected gradient: trial points are clipped
    onto the box and coordinates at a wall whose slope presses outward are held fixed.
    Converged when the projected slope is zero or no step longer than ``xtol`` of the box
    lowers the cost.
    """

    name = "gradient-descent"
    Options = GradientDescentOptions
    parallelism = "asks the d (or 2d) slope stencil in one batch, then `trials` step lengths"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.gradient = task.gradient if options.use_gradient else None
        self.x = np.array(task.x0, dtype=np.float64)
        self.f = math.nan  # unknown until evaluated
        self.g = np.zeros(self.dim)
        self.alpha = math.nan  # the next trial is 2 * alpha, in units of the direction
        self.first_moment = np.zeros(self.dim)
        self.second_moment = np.zeros(self.dim)
        self.moment_count = 0
        self.nit = 0
        self._request_slope()

    def ask(self) -> np.ndarray:
        return self.pending

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if self.phase == "slope":
            self._slope_told(costs)
        else:
            self._line_told(points, costs)

    # -- the slope ---------------------------------------------------------------------

    def _request_slope(self) -> None:
        if self.gradient is not None:
            points = np.empty((0, self.dim))
        else:
            central = self.options.differences == "central"
            default = differences.EPS ** (1 / 3 if central else 1 / 2)
            h = differences.steps(self.x, self.bounds, self.options.fd_step or default)
            points, self.signed = differences.slope_stencil(self.x, self.bounds, h, central)
        if math.isnan(self.f):
            points = np.vstack([self.x, points])
        if len(points):
            self.phase, self.pending = "slope", self.bounds.clip(points)
        else:
            self._slope_ready(np.empty(0))

    def _slope_told(self, costs: np.ndarray) -> None:
        if math.isnan(self.f):
            self.f, costs = float(costs[0]), costs[1:]
            if not math.isfinite(self.f):  # a start with no finite cost: try another
                self.x, self.f = self.bounds.sample(self.rng, 1)[0], math.nan
                self._request_slope()
                return
        self._slope_ready(costs)

    def _slope_ready(self, costs: np.ndarray) -> None:
        if self.gradient is not None:
            g = np.asarray(self.gradient(self.x.reshape(1, -1)), dtype=np.float64)[0]
            self.g = np.where(np.isfinite(g), g, 0.0)
        else:
            self.g = differences.slope(self.f, costs, self.x, self.bounds, self.signed)
        self._begin_search(plain=False)

    # -- the direction and the line search ---------------------------------------------

    def _direction(self, free: np.ndarray, plain: bool) -> np.ndarray:
        g = np.where(free, self.g, 0.0)
        method, beta1 = self.options.method, self.options.momentum
        if plain or method == "plain":
            return g
        self.first_moment = beta1 * self.first_moment + (1 - beta1 if method == "adam" else 1) * g
        if method == "momentum":
            p = np.where(free, self.first_moment, 0.0)
            return p if p @ g > 0 else g
        beta2 = self.options.beta2
        self.second_moment = beta2 * self.second_moment + (1 - beta2) * g**2
        self.moment_count += 1
        mean = self.first_moment / (1 - beta1**self.moment_count)
        spread = np.sqrt(self.second_moment / (1 - beta2**self.moment_count))
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(free & (spread > 0), mean / spread, 0.0)
            scaled = np.where(spread > 0, g / spread, 0.0)
        return p if p @ g > 0 else scaled

    def _begin_search(self, plain: bool) -> None:
        x, g, lower, upper = self.x, self.g, self.bounds.lower, self.bounds.upper
        free = ~(((x <= lower) & (g > 0)) | ((x >= upper) & (g < 0)))
        if not np.linalg.norm(g[free]) > 0:  # zero, or too small to square in floats
            self.converged = "the projected slope is zero (flat, or pressing only on walls)"
            return
        self.p = self._direction(free, plain)
        self.plain = plain or self.options.method == "plain"
        if plain or math.isnan(self.alpha):
            diagonal = np.linalg.norm(self.bounds.width)
            self.alpha = self.options.initial_step * diagonal / np.linalg.norm(self.p)
        self._ask_trials(2 * self.alpha, first=True)

    def _negligible(self, step: np.ndarray) -> bool:
        tolerance = self.options.xtol * self.bounds.width + 4 * differences.EPS * np.abs(self.x)
        return bool((np.abs(step) <= tolerance).all())

    def _ask_trials(self, longest: float, first: bool = False) -> None:
        self.alphas = longest * 0.5 ** np.arange(self.options.trials)
        points = self.bounds.clip(self.x - self.alphas[:, None] * self.p)
        if not np.isfinite(points).all():  # a slope too small or too large for floats
            self.converged = "the step is not a number: the slope under- or overflows"
            return
        if self._negligible(points[0] - self.x):
            xtol = self.options.xtol
            if first:
                self.converged = f"the slope's step is less than {xtol:g} of every box width"
            elif not self.plain:  # momentum or Adam led nowhere: forget them, follow the slope
                self.first_moment[:] = self.second_moment[:] = 0.0
                self.moment_count = 0
                self._begin_search(plain=True)
            else:
                self.converged = f"no step longer than {xtol:g} of the box lowers the cost"
            return
        self.phase, self.pending = "line", points

    def _line_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        steps = points - self.x
        promise = steps @ self.g  # first-order change of cost, negative downhill
        sufficient = self.f + self.options.armijo * np.minimum(promise, 0.0)
        accepted = (costs < self.f) & (costs <= sufficient)
        if accepted.any():
            best = int(np.where(accepted, costs, np.inf).argmin())
            alpha = float(self.alphas[best])
            self.alpha = alpha
            if self.options.interpolate:
                guess = self._parabola(alpha, costs[best], promise[best])
                self.alpha = min(max(guess, alpha / 2), 2 * alpha) if guess > 0 else alpha
            self.x, self.f = points[best].copy(), float(costs[best])
            self.nit += 1
            if self._negligible(steps[best]):
                self.converged = (
                    f"the last step moved less than {self.options.xtol:g} of every box width"
                )
            else:
                self._request_slope()
            return
        shortest = self.alphas[-1]
        if not self.options.interpolate:
            self._ask_trials(0.5 * shortest)
            return
        guess = self._parabola(shortest, costs[-1], promise[-1])
        self._ask_trials(min(max(guess, 0.1 * shortest), 0.5 * shortest))

    def _parabola(self, alpha: float, cost: float, change: float) -> float:
        """The step length at the bottom of the parabola through f(x), its slope and a trial.

        ``change`` is the first-order change of cost promised by the trial step ``alpha``;
        0 when the parabola has no bottom.
        """
        curvature = (cost - self.f - change) / alpha**2
        return -change / alpha / (2 * curvature) if 0 < curvature < math.inf else 0.0
