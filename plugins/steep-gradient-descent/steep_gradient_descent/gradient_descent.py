"""Projected gradient descent with a backtracking line search, plain, with momentum or Adam."""

from __future__ import annotations

import math
from typing import Literal

import attrs
import numpy as np
import steep
from attrs.validators import and_, ge, gt, le, lt, optional
from steep import option
from steep.linesearch import LineSearchDescent


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


class GradientDescent(LineSearchDescent):
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
    first_step_name = "the slope's step"

    def __init__(
        self, task: steep.Task, options: GradientDescentOptions, rng: np.random.Generator
    ) -> None:
        self.alpha = math.nan  # the next trial is 2 * alpha, in units of the direction
        self.first_moment = np.zeros(task.dim)
        self.second_moment = np.zeros(task.dim)
        self.moment_count = 0
        self.slope_only = False  # momentum or Adam failed this iteration: follow the slope
        super().__init__(task, options, rng)

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=self.options.differences == "central")

    def build_model(self, costs: np.ndarray) -> None:
        self.g = self.slope_from(costs)
        self.slope_only = False

    def direction(self, free: np.ndarray) -> np.ndarray:
        g = np.where(free, self.g, 0.0)
        method, beta1 = self.options.method, self.options.momentum
        if self.slope_only or method == "plain":
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

    def first_step(self) -> float:
        if self.slope_only or math.isnan(self.alpha):
            diagonal = np.linalg.norm(self.bounds.width)
            self.alpha = self.options.initial_step * diagonal / np.linalg.norm(self.p)
        return 2 * self.alpha

    def fall_back(self) -> bool:
        if self.slope_only or self.options.method == "plain":
            return False
        # momentum or Adam led nowhere: forget them, follow the slope
        self.first_moment[:] = self.second_moment[:] = 0.0
        self.moment_count = 0
        self.slope_only = True
        return True

    def accepted(self, alpha: float, cost: float, change: float) -> None:
        self.alpha = alpha
        if self.options.interpolate:
            guess = self.parabola(alpha, cost, change)
            self.alpha = min(max(guess, alpha / 2), 2 * alpha) if guess > 0 else alpha

    def backtrack(self, shortest: float, cost: float, change: float) -> float:
        if not self.options.interpolate:
            return 0.5 * shortest
        return super().backtrack(shortest, cost, change)
