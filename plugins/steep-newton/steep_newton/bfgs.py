"""BFGS: quasi-Newton curvature built from the change of slope along each step."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
import steep
from steep import option
from steep.linesearch import DescentOptions, LineSearchDescent


@attrs.frozen
class BFGSOptions(DescentOptions):
    differences: Literal["forward", "central"] = option(
        "forward", "finite differences for the slope: forward (d points) or central (2d)"
    )


class BFGS(LineSearchDescent):
    """BFGS quasi-Newton: an inverse Hessian learnt from slopes alone, a line search per step.

    The slope comes from finite differences (forward: ``d`` points, step ``sqrt(eps)``
    relative; central: ``2 d`` points, ``eps**(1/3)``) asked in one batch, or from the
    analytic slope. The inverse Hessian starts as a multiple of the identity that makes the
    first step ``initial_step`` of the box diagonal, is rescaled by ``s.y / y.y`` after the
    first step, and takes the BFGS update ``H <- (I - r s y') H (I - r y s') + r s s'``
    (``r = 1 / y.s``), skipped when the curvature ``y.s`` is not positive. Steps are projected
    onto the box, coordinates pressing on a wall held fixed; Armijo backtracking from the full
    quasi-Newton step. When a direction fails to lower the cost the curvature is forgotten
    and the search retried along the slope. Cheap iterations, many of them: ``nfev`` near
    ``(d + 1) nit``.
    """

    name = "bfgs"
    Options = BFGSOptions
    parallelism = "asks the d (or 2d) slope stencil in one batch, then `trials` steps per batch"

    def __init__(self, task: steep.Task, options: BFGSOptions, rng: np.random.Generator):
        self.inverse_hessian: np.ndarray | None = None
        self.fresh = True  # the inverse Hessian holds no learnt curvature yet
        super().__init__(task, options, rng)

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=self.options.differences == "central")

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
        if self._negligible(p) and self.fall_back():  # distrust curvature that stops us dead
            return self.direction(free)
        return p

    def fall_back(self) -> bool:
        if self.fresh:
            return False
        scale = np.trace(self.inverse_hessian) / self.dim
        self.inverse_hessian = np.eye(self.dim) * scale
        self.fresh = True
        return True
