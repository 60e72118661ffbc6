"""Projected gradient descent, line search: spectral (diagonally scaled), plain, momentum, Adam."""

from __future__ import annotations

import collections
import math
from typing import Literal

import attrs
import numpy as np
import steep
from attrs.validators import and_, ge, gt, le, lt, optional
from steep import option
from steep.linesearch import LineSearchDescent

from . import spectral


@attrs.frozen
class GradientDescentOptions:
    method: Literal["spectral", "plain", "momentum", "adam"] = option(
        "spectral",
        "spectral: the slope with Barzilai-Borwein step lengths and a nonmonotone line search; "
        "plain: the slope, step doubled after a success; heavy-ball momentum; Adam",
    )
    scaling: Literal["diagonal", "scalar"] = option(
        "diagonal",
        "spectral: diagonal: the slope divided by a per-coordinate curvature learnt from the "
        "steps (diagonal Barzilai-Borwein); scalar: one step length for every coordinate",
    )
    differences: Literal["adaptive", "forward", "central"] = option(
        "adaptive",
        "finite differences for the slope: forward (d points), central (2d), or adaptive: "
        "forward until the descent stalls, then central to the end",
    )
    use_gradient: bool = option(True, "use the landscape's analytic slope when it has one")
    fd_step: float | None = option(
        None,
        "relative finite-difference step, times max(|x_i|, width_i/10); "
        "None: sqrt(eps) forward, eps**(1/3) central",
        check=optional(and_(gt(0), lt(1))),
    )
    memory: int = option(
        10,
        "spectral: a trial passes below the highest cost of the last `memory` steps",
        check=ge(1),
    )
    patience: int = option(
        10,
        "stop when `patience` steps lower the best cost by less than ftol of it; 0: never",
        check=ge(0),
    )
    ftol: float = option(
        1e-12, "stagnation: the relative improvement that counts", check=and_(ge(0), lt(1))
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
        "plain, momentum, Adam: next step length from the parabola through the last trial "
        "(exact on a round bowl); off: the textbook race car, doubling the step after a "
        "success, halving after a miss",
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
    ``sqrt(eps)`` relative; central: ``2 d`` points, ``eps**(1/3)``; one-sided near a wall;
    adaptive: forward until the descent stalls, then central, whose error does not grow with
    the curvature), or from the landscape's analytic slope. The step is ``a p``, ``p`` the
    slope (so the step grows with it), the heavy-ball velocity, or Adam's ``m / sqrt(v)``.

    ``spectral`` (the default) takes ``a`` from the last step ``s`` and the change of slope
    ``y`` it brought (Barzilai and Borwein 1988; the long ``s.s / s.y`` or, while the two
    disagree, the shortest recent ``s.y / y.y``: ABBmin, Frassoldati, Zanni and Zanghirati
    2008) and accepts a trial below the highest of the last ``memory`` costs (Grippo,
    Lampariello and Lucidi 1986; Raydan 1997): it may climb for a while, which is what
    makes these steps fast on elongated valleys. With ``scaling=diagonal`` (the default) the
    spectral step divides the slope by a per-coordinate curvature learnt from the same
    ``s`` and ``y`` (a diagonal Barzilai-Borwein step, Park, Dhar, Boyd and Shah 2020), the
    step lengths then measured in the scaled coordinates (Luengo, Raydan, Glunt and Hayden
    2002), while that curvature predicts the change of slope far better than a scalar one:
    Newton's step on a separable valley, the scalar spectral step on a rotated one (see
    :class:`spectral.DiagonalCurvature`). ``plain`` tries ``2a`` after a success and
    halves after a miss (``interpolate``: the bottom of the parabola through the last trial).
    Every trial must meet the Armijo condition. Projected gradient: trial points are clipped
    onto the box and coordinates at a wall whose slope presses outward are held fixed.

    Converged when the projected slope is zero, no step longer than ``xtol`` of the box
    lowers the cost, or ``patience`` steps lower the best cost by less than ``ftol`` of it
    (stagnant: a restart spends the budget better than polishing rounding errors).
    """

    name = "gradient-descent"
    Options = GradientDescentOptions
    parallelism = "asks the d (or 2d) slope stencil in one batch, then `trials` step lengths"
    first_step_name = "the slope's step"

    def __init__(
        self, task: steep.Task, options: GradientDescentOptions, rng: np.random.Generator
    ) -> None:
        self.alpha = math.nan  # plain: the next trial is 2 * alpha; spectral: alpha
        self.first_moment = np.zeros(task.dim)
        self.second_moment = np.zeros(task.dim)
        self.moment_count = 0
        self.slope_only = False  # momentum or Adam failed this iteration: follow the slope
        self.central = options.differences == "central"
        self.steps = spectral.SpectralSteps()
        self.diagonal = spectral.DiagonalCurvature()
        self.recent: collections.deque[float] = collections.deque(maxlen=options.memory)
        self.bests: collections.deque[float] = collections.deque(maxlen=options.patience + 1)
        super().__init__(task, options, rng)

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=self.central)

    def build_model(self, costs: np.ndarray) -> None:
        self.g = self.slope_from(costs)
        self.slope_only = False

    def reconsider(self) -> bool:
        """Forward slopes stalled: switch to central ones, once, before giving up.

        A forward slope is off by about ``h f''/2``, so on a steep valley it points a little
        across the valley and the descent stalls short of the bottom; central differences are
        exact on quadratics (Gill, Murray, Saunders and Wright 1983 switch the same way).
        """
        if self.options.differences != "adaptive" or self.central or self.gradient is not None:
            return False
        self.central = True
        self.bests.clear()
        self.decisions.append("forward differences stalled: central differences from there")
        return True

    def direction(self, free: np.ndarray) -> np.ndarray:
        g = np.where(free, self.g, 0.0)
        method, beta1 = self.options.method, self.options.momentum
        metric = self.metric()
        if metric is not None:
            return g / metric
        if self.slope_only or method in ("plain", "spectral"):
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

    def metric(self) -> np.ndarray | None:
        """The diagonal curvature the spectral step divides the slope by, while trusted."""
        diagonal = self.options.method == "spectral" and self.options.scaling == "diagonal"
        if diagonal and self.diagonal.trusted:
            return self.diagonal.values
        return None

    def learn(self, step: np.ndarray, change: np.ndarray) -> None:
        if self.options.method != "spectral":
            return
        self.diagonal.update(step, change)
        metric = self.metric()
        self.alpha = self.steps.next(step, change, metric)
        if metric is not None and self.negligible(self.alpha * self.g / metric):
            # a diagonal step that would stop us dead: the scalar long step may not
            self.diagonal.trusted = False
            self.alpha = float(step @ step) / float(step @ change)
        elif self.negligible(self.alpha * self.g):  # a short step that would stop us dead
            self.alpha = self.steps.long

    def first_step(self) -> float:
        diagonal = np.linalg.norm(self.scale)
        if self.options.method == "spectral":  # at most across the (reference) box
            longest = diagonal / np.linalg.norm(self.p)
            fresh = math.isnan(self.alpha)
            return self.options.initial_step * longest if fresh else min(self.alpha, longest)
        if self.slope_only or math.isnan(self.alpha):
            self.alpha = self.options.initial_step * diagonal / np.linalg.norm(self.p)
        return 2 * self.alpha

    def fall_back(self) -> bool:
        if self.slope_only or self.options.method in ("plain", "spectral"):
            return False
        # momentum or Adam led nowhere: forget them, follow the slope
        self.first_moment[:] = self.second_moment[:] = 0.0
        self.moment_count = 0
        self.slope_only = True
        return True

    def accepted(self, alpha: float, cost: float, change: float) -> None:
        if not self.recent:
            self.recent.append(self.f)
        self.recent.append(cost)
        if self.options.patience:
            self.bests.append(min(cost, self.bests[-1] if self.bests else self.f))
            if spectral.stagnant(self.bests, self.options.ftol):
                self.converged = (
                    f"{self.options.patience} steps lowered the best cost by less than "
                    f"{self.options.ftol:g} of it"
                )
        if self.options.method == "spectral":
            return
        self.alpha = alpha
        if self.options.interpolate:
            guess = self.parabola(alpha, cost, change)
            self.alpha = min(max(guess, alpha / 2), 2 * alpha) if guess > 0 else alpha

    def backtrack(self, shortest: float, cost: float, change: float) -> float:
        if not self.options.interpolate and self.options.method != "spectral":
            return 0.5 * shortest
        return super().backtrack(shortest, cost, change)

    def reference_cost(self) -> float:
        if self.options.method != "spectral":
            return self.f
        return max(self.recent, default=self.f)
