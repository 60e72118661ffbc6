"""Damped Newton on a finite-difference Hessian, safeguarded where it is not positive definite."""

from __future__ import annotations

import attrs
import numpy as np
import steep
from steep import differences
from steep.linesearch import DescentOptions, LineSearchDescent


@attrs.frozen
class NewtonOptions(DescentOptions):
    pass


class Newton(LineSearchDescent):
    """Damped Newton: curvature from a finite-difference Hessian, a line search on each step.

    Each iteration tastes ``d (d + 1)`` points around x in one batch (central differences,
    step ``eps**(1/4)`` relative) and gets the slope and the Hessian from them; with an
    analytic slope it differences slopes instead (``2 d + 1`` slope calls, no evaluations).
    Where the Hessian is not positive definite its eigenvalues are replaced by their absolute
    values, floored at 1e-8 of the largest, so the step always points downhill. The step is
    projected onto the box, coordinates pressing on a wall held fixed; Armijo backtracking
    from the full Newton step. Few iterations, each dear: ``nfev`` grows with ``d**2``.
    """

    name = "newton"
    Options = NewtonOptions
    parallelism = (
        "asks the d(d+1) Hessian stencil in one batch, then `trials` step lengths per batch"
    )

    def __init__(self, task: steep.Task, options: NewtonOptions, rng: np.random.Generator):
        self.fallen_back = False
        super().__init__(task, options, rng)

    def model_points(self) -> np.ndarray:
        default = differences.EPS ** (1 / 3 if self.gradient else 1 / 4)
        self.h = differences.steps(self.x, self.bounds, self.options.fd_step or default)
        self.centre = differences.curvature_centre(self.x, self.bounds, self.h)
        if self.gradient is not None:
            return np.empty((0, self.dim))
        stencil = differences.curvature_stencil(self.centre, self.h)
        if np.array_equal(self.centre, self.x):
            return stencil
        return np.vstack([self.centre, stencil])

    def build_model(self, costs: np.ndarray) -> None:
        c, h = self.centre, self.h
        self.fallen_back = False
        if self.gradient is not None:
            slopes = self.analytic_slope(np.vstack([self.x, c + np.diag(h), c - np.diag(h)]))
            d = self.dim
            hessian = (slopes[1 : d + 1] - slopes[d + 1 :]) / (2 * h[:, None])
            self.g, self.hessian = slopes[0], (hessian + hessian.T) / 2
            return
        fc = self.f
        if len(costs) > self.dim * (self.dim + 1):
            fc, costs = costs[0], costs[1:]
        slope, self.hessian = differences.slope_and_curvature(fc, costs, h)
        self.g = slope + self.hessian @ (self.x - c)

    def direction(self, free: np.ndarray) -> np.ndarray:
        values, vectors = np.linalg.eigh(self.hessian[np.ix_(free, free)])
        largest = np.abs(values).max()
        if self.fallen_back or not largest > 0:
            return self.steepest(free)
        values = np.maximum(np.abs(values), 1e-8 * largest)
        p = np.zeros(self.dim)
        p[free] = vectors @ ((vectors.T @ self.g[free]) / values)
        return p

    def fall_back(self) -> bool:
        if self.fallen_back:
            return False
        self.fallen_back = True
        return True
