"""Damped Newton on a finite-difference Hessian along its own axes, kept while it predicts well."""

from __future__ import annotations

import attrs
import numpy as np
import steep
from attrs.validators import and_, ge, gt, lt
from steep import differences, option
from steep.linesearch import DescentOptions, LineSearchDescent

#: Relative difference step of a run's first Hessian: a quadratic fitted to the start's whole
#: neighbourhood (at most a quarter of the box), whose step follows the terrain's broad shape
#: rather than the nearest ripple (implicit filtering's coarse first scale).
FIRST_STEP = 0.5
#: The longest relative difference step of the Hessians after the first.
LONGEST_STEP = 1e-2


@attrs.frozen
class NewtonOptions(DescentOptions):
    reuse: float = option(
        0.25,
        "keep the Hessian for the next step while its model predicted the last step's change "
        "of cost within this fraction (0: a new Hessian every step)",
        check=and_(ge(0), lt(1)),
    )
    ftol: float = option(
        1e-13,
        "converged when the model promises less than this fraction of |cost|",
        check=and_(gt(0), lt(1)),
    )


class Newton(LineSearchDescent):
    """Damped Newton: curvature from second differences, a line search on each step.

    A new Hessian tastes ``d (d + 1)`` points around x in one batch: second differences along
    the axes ``b_i`` of the last Hessian (its eigenvectors; the coordinate axes at first) and
    along their pairwise sums. Measured in its own eigenbasis each curvature stands apart, so
    the differencing error of a steep direction does not swamp a shallow one (in coordinates
    it does, on an ill-conditioned rotated problem). The difference step along ``b_i`` is the
    last step's length along it (``h = O(|s|)`` keeps Newton's quadratic convergence: Dennis
    & Schnabel, *Numerical Methods for Unconstrained Optimization*, section 5.4), between
    ``eps**(1/4)`` relative (roundoff) and ``LONGEST_STEP``, so that curvature is measured on
    the scale of the steps it serves. A run's first Hessian takes ``FIRST_STEP``, half the
    scale ``max(|x_i|, width_i / 10)`` (at most a quarter width): a coarse first model, as in
    Kelley's implicit filtering (*Implicit Filtering*, SIAM 2011), sees the broad shape of a
    rough terrain. ``fd_step`` fixes the step. With an
    analytic slope it differences slopes instead (``2 d + 1`` slope calls). Where the Hessian
    is not positive definite its eigenvalues are replaced by their absolute values, floored
    at 1e-8 of the largest, so the step always points downhill; the step is projected onto
    the box, coordinates pressing on a wall held fixed; Armijo backtracking from the full
    Newton step, then once along the slope before giving up.

    After a step the model's predicted change of cost ``g.s + s'Hs/2`` is compared with the
    real one; while they agree within ``reuse`` the Hessian is kept and the next iteration
    asks only for a central slope (``2 d`` points; none with an analytic slope): Shamanskii's
    modified Newton (1967), linear at about that disagreement per step, for ``2 d``
    evaluations instead of ``d (d + 1)``. A stop decided on the slope read off the Hessian's
    stencil (a failed search, a small promise) waits for the slope taken again at the fine
    step: the stencil may have straddled a kink. The run converges when the model promises
    less than ``ftol`` of ``|f|`` (half the Newton decrement ``g'H^-1 g``, an estimate of
    ``f - f*``: Boyd & Vandenberghe, *Convex Optimization*, section 9.5), so that restarts
    come without a tail of steps that rounding cannot tell apart.
    """

    name = "newton"
    Options = NewtonOptions
    parallelism = (
        "asks the d(d+1) Hessian stencil (or the 2d slope stencil) in one batch, then "
        "`trials` step lengths per batch"
    )

    def __init__(self, task: steep.Task, options: NewtonOptions, rng: np.random.Generator):
        self.hessian = np.zeros((task.bounds.dim, task.bounds.dim))
        self.basis = np.eye(task.bounds.dim)  # the eigenvectors of the last Hessian
        self.refresh = True  # the next model differences a new Hessian
        self.coarse = False  # the slope came from the Hessian's stencil, not the fine one
        self.fallen_back = False
        super().__init__(task, options, rng)

    def model_points(self) -> np.ndarray:
        if not self.refresh:
            return self.slope_stencil(central=True)
        self.h = self._difference_steps()
        moves = differences.curvature_stencil(np.zeros(self.dim), self.h) @ self.basis.T
        self.centre = differences.curvature_centre(self.x, self.bounds, np.abs(moves).max(axis=0))
        if self.gradient is not None:
            return np.empty((0, self.dim))
        stencil = self.centre + moves
        if np.array_equal(self.centre, self.x):
            return stencil
        return np.vstack([self.centre, stencil])

    def _difference_steps(self) -> np.ndarray:
        """The difference step along each axis ``b_i`` of the basis (see the class)."""
        finest = self.options.fd_step or differences.EPS ** (1 / 3 if self.gradient else 1 / 4)
        if self.options.fd_step:
            return self._seen(finest)
        if self.last_step is None:
            return self._seen(FIRST_STEP)
        shortest, longest = self._seen(finest), self._seen(max(finest, LONGEST_STEP))
        return np.clip(np.abs(self.basis.T @ self.last_step), shortest, longest)

    def _seen(self, relative: float) -> np.ndarray:
        """The coordinates' difference steps for ``relative``, as seen along each axis."""
        along = differences.steps(self.x, self.bounds, relative)
        return np.linalg.norm(self.basis * along[:, None], axis=0)

    def build_model(self, costs: np.ndarray) -> None:
        self.coarse = self.refresh and self.gradient is None  # the slope from the Hessian's steps
        if not self.refresh:
            self.g = self.slope_from(costs)
            return
        c, h, axes, d = self.centre, self.h, self.basis, self.dim
        if self.gradient is not None:
            moves = h * axes  # column i: h_i b_i
            slopes = self.analytic_slope(np.vstack([self.x, c + moves.T, c - moves.T]))
            along = (slopes[1 : d + 1] - slopes[d + 1 :]) / (2 * h[:, None])  # row i: H b_i
            hessian = axes @ along
            self.g, self.hessian = slopes[0], (hessian + hessian.T) / 2
        else:
            fc = self.f
            if len(costs) > d * (d + 1):
                fc, costs = costs[0], costs[1:]
            slope, curvature = differences.slope_and_curvature(fc, costs, h)
            self.hessian = axes @ curvature @ axes.T
            self.g = axes @ slope + self.hessian @ (self.x - c)
        self.eigen = np.linalg.eigh(self.hessian)
        self.basis = self.eigen[1]

    def direction(self, free: np.ndarray) -> np.ndarray:
        values, vectors = (
            self.eigen if free.all() else np.linalg.eigh(self.hessian[np.ix_(free, free)])
        )
        largest = np.abs(values).max()
        if self.fallen_back or not largest > 0:
            return self.steepest(free)
        values = np.maximum(np.abs(values), 1e-8 * largest)
        p = np.zeros(self.dim)
        p[free] = vectors @ ((vectors.T @ self.g[free]) / values)
        if self.g @ p / 2 <= self.options.ftol * abs(self.f):
            self.converged = (
                f"the model promises less than {self.options.ftol:g} of the cost "
                "(half the Newton decrement)"
            )
        return p

    def accepted(self, alpha: float, cost: float, change: float) -> None:
        step = self.bounds.clip(self.x - alpha * self.p) - self.x
        predicted = float(self.g @ step + step @ self.hessian @ step / 2)
        rho = (cost - self.f) / predicted if predicted < 0 else 0.0
        self.refresh = not abs(rho - 1) <= self.options.reuse
        self.fallen_back = False

    def fall_back(self) -> bool:
        if self.fallen_back:
            return False
        self.fallen_back = True
        return True

    def reconsider(self) -> bool:
        """A stop decided on the slope from the Hessian's stencil, whose steps may straddle a
        kink near x: take the slope again at the fine step before giving up."""
        if not self.coarse:
            return False
        self.fallen_back, self.refresh = False, False
        return True
