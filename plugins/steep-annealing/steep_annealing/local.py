"""The local search after a Markov chain: BFGS on finite differences, in the box.

Built on the core's projected line-search descent (:mod:`steep.linesearch`): the slope
comes from forward differences (``d`` points, asked in one batch), the inverse Hessian from
the BFGS update, the step from Armijo backtracking; coordinates pressing on a wall are held
fixed. Annealing runs one of these from each new best point a chain (or the first sample)
finds, until it converges or for at most ``local_iterations`` iterations, and goes on from
where it ended.
"""

from __future__ import annotations

import math

import numpy as np
import steep
from steep.linesearch import DescentOptions, LineSearchDescent

#: The options the local search runs with: derivative-free (annealing never reads an
#: analytic slope), forward differences, one trial step per line-search batch.
LOCAL_OPTIONS = DescentOptions(use_gradient=False)


class QuasiNewton(LineSearchDescent):
    """BFGS from a point whose cost is known; the inverse Hessian starts as a scaled identity.

    ``H <- (I - r s y') H (I - r y s') + r s s'`` with ``r = 1 / y.s``, skipped when the
    curvature ``y.s`` is not positive; rescaled by ``s.y / y.y`` after the first step; reset
    to a multiple of the identity when its direction fails to lower the cost.
    """

    name = "annealing-local-search"
    Options = DescentOptions

    def __init__(
        self, bounds: steep.Bounds, x0: np.ndarray, cost: float, rng: np.random.Generator
    ) -> None:
        self.inverse_hessian: np.ndarray | None = None
        self.fresh = True  # no curvature learnt yet
        task = steep.Task(bounds, np.array(x0, dtype=np.float64), budget=1)  # annealing's count
        super().__init__(task, LOCAL_OPTIONS, rng)
        if math.isfinite(cost):
            # The start's cost is known: the first batch (the start, then its stencil, as
            # steep.linesearch asks while the cost is unknown) is cut to the stencil.
            self.f = float(cost)
            self.pending = self.pending[1:]

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=False)

    def build_model(self, costs: np.ndarray) -> None:
        self.g = self.slope_from(costs)
        if self.inverse_hessian is None and np.linalg.norm(self.g) > 0:
            scale = self.options.initial_step * np.linalg.norm(self.bounds.width)
            self.inverse_hessian = np.eye(self.dim) * (scale / np.linalg.norm(self.g))

    def learn(self, step: np.ndarray, change: np.ndarray) -> None:
        s, y = step, change
        curvature = s @ y
        if not curvature > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            return
        if self.fresh:
            self.inverse_hessian = np.eye(self.dim) * (curvature / (y @ y))
            self.fresh = False
        rho = 1.0 / curvature
        hy = self.inverse_hessian @ y
        self.inverse_hessian += (rho * rho * (y @ hy) + rho) * np.outer(s, s) - rho * (
            np.outer(hy, s) + np.outer(s, hy)
        )

    def direction(self, free: np.ndarray) -> np.ndarray:
        if self.inverse_hessian is None:
            return self.steepest(free)
        p = np.zeros(self.dim)
        p[free] = self.inverse_hessian[np.ix_(free, free)] @ self.g[free]
        if self._negligible(p) and self.fall_back():
            return self.direction(free)
        return p

    def fall_back(self) -> bool:
        if self.fresh:
            return False
        self.inverse_hessian = np.eye(self.dim) * (np.trace(self.inverse_hessian) / self.dim)
        self.fresh = True
        return True
