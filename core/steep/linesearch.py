"""Projected line-search descent as ask/tell, the core's base for gradient-based optimizers.

A subclass of :class:`LineSearchDescent` says which points the local model at ``x`` needs
(:meth:`~LineSearchDescent.model_points`, e.g. a finite-difference stencil from
:mod:`steep.differences`), builds the slope ``g`` from their costs
(:meth:`~LineSearchDescent.build_model`) and picks the direction ``p``
(:meth:`~LineSearchDescent.direction`); the base does the rest. Each iteration asks the model's
points in one batch (with ``x`` itself first when its cost is unknown; a start with no finite
cost is replaced by a random point), then trial steps ``x(a) = clip(x - a p)`` along the
direction with ``a = A, A/2, ...`` (``trials`` per batch, ``A`` from
:meth:`~LineSearchDescent.first_step`, 1 by default), backtracking
(:meth:`~LineSearchDescent.backtrack`, by default quadratic interpolation) until the Armijo
condition ``f(x(a)) <= f(x) + armijo * g.(x(a) - x)`` holds. Coordinates at a wall whose slope
presses outward are held fixed (projected gradient / active set). After a restart, a descent
that at its pace over the last :data:`PACE_STEPS` steps would not get below the earlier
starts' best cost (``task.incumbent``) in the budget left is given up, so that the run
restarts instead of crawling towards a bottom it already knows to be worse.
"""

from __future__ import annotations

import collections
import math
from typing import Any

import attrs
import numpy as np
from attrs.validators import and_, ge, gt, le, lt, optional

from . import differences
from .optimizer import Optimizer, Task
from .options import option

#: Accepted steps over which a descent's pace is measured against the earlier starts' best.
PACE_STEPS = 20


@attrs.frozen
class DescentOptions:
    """The options every :class:`LineSearchDescent` reads; subclass it to add a method's own."""

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


class LineSearchDescent(Optimizer):
    """Base of line-search optimizers: subclasses give the model's points and the direction.

    Options must carry the fields of :class:`DescentOptions` (``use_gradient``, ``fd_step``,
    ``trials``, ``armijo``, ``xtol``, ``initial_step``).
    """

    #: How the convergence message names the first trial step of a search when it is too short.
    first_step_name = "the full step"
    #: Steps are measured against ``bounds.reference()``: an open space will do.
    needs_box = False

    def __init__(self, task: Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        #: The box widths (an open space's reference widths) steps and tolerances scale by.
        self.scale = self.bounds.reference().width
        self.gradient = task.gradient if options.use_gradient else None
        self.x = np.array(task.x0, dtype=np.float64)
        self.f = math.nan  # unknown until evaluated
        self.g = np.zeros(self.dim)
        self.last_step: np.ndarray | None = None
        self.last_slope = self.g
        self.nit = 0
        self.told = 0  # evaluations told, for the pace of the descent
        self.pace: collections.deque[tuple[int, float]] = collections.deque(maxlen=PACE_STEPS + 1)
        self.request_model()

    # -- what subclasses provide -------------------------------------------------------

    def model_points(self) -> np.ndarray:
        """Points (besides x) whose costs the model at ``self.x`` needs; may be empty."""
        raise NotImplementedError

    def build_model(self, costs: np.ndarray) -> None:
        """Set ``self.g`` (and any curvature) from the costs of :meth:`model_points`."""
        raise NotImplementedError

    def direction(self, free: np.ndarray) -> np.ndarray:
        """The step ``p`` (``x - a p`` are the trials), zero outside the ``free`` coordinates."""
        raise NotImplementedError

    def learn(self, step: np.ndarray, change: np.ndarray) -> None:
        """Hear the last step and the change of slope it brought (for quasi-Newton updates)."""

    def fall_back(self) -> bool:
        """The direction failed: switch to a safer one and return True, or False to give up."""
        return False

    def first_step(self) -> float:
        """The longest step length ``a`` of a new search along ``self.p``."""
        return 1.0

    def accepted(self, alpha: float, cost: float, change: float) -> None:
        """Hear the step length a search kept, its cost and the first-order change it promised.

        Called before ``self.x`` and ``self.f`` move to the accepted point.
        """

    def reconsider(self) -> bool:
        """The descent is about to stop, ``self.converged`` saying why: return True to go on,
        having changed how the model is built (the base then asks for it again at ``x``),
        e.g. finer slopes where coarse ones may have stalled it. By default, False."""
        return False

    def reference_cost(self) -> float:
        """The cost a trial must beat, less the Armijo share of its promise: ``f(x)`` (a
        monotone search); a nonmonotone search returns a higher recent cost, so that it may
        climb for a while (Grippo, Lampariello and Lucidi 1986)."""
        return self.f

    def backtrack(self, shortest: float, cost: float, change: float) -> float:
        """The longest step length of the next batch after no trial was accepted.

        ``shortest`` is the last batch's shortest step length, ``cost`` its cost and
        ``change`` the first-order change of cost it promised. By default the bottom of
        :meth:`parabola`, kept between a tenth and a half of ``shortest``.
        """
        guess = self.parabola(shortest, cost, change)
        return min(max(guess, 0.1 * shortest), 0.5 * shortest)

    # -- helpers for subclasses --------------------------------------------------------

    def slope_stencil(self, central: bool) -> np.ndarray:
        """The finite-difference points the slope at ``self.x`` needs (none with an analytic one).

        Forward: ``d`` points, step ``sqrt(eps)`` relative; central: ``2 d``, ``eps**(1/3)``;
        ``fd_step`` replaces the default. Hand their costs to :meth:`slope_from`.
        """
        if self.gradient is not None:
            return np.empty((0, self.dim))
        default = differences.EPS ** (1 / 3 if central else 1 / 2)
        h = differences.steps(self.x, self.bounds, self.options.fd_step or default)
        points, self.signed = differences.slope_stencil(self.x, self.bounds, h, central)
        return points

    def slope_from(self, costs: np.ndarray) -> np.ndarray:
        """The slope at ``self.x``: analytic, or from the costs of :meth:`slope_stencil`."""
        if self.gradient is not None:
            return self.analytic_slope(self.x.reshape(1, -1))[0]
        return differences.slope(self.f, costs, self.x, self.bounds, self.signed)

    def analytic_slope(self, points: np.ndarray) -> np.ndarray:
        """The analytic slope at ``points``, non-finite components set to 0."""
        slopes = np.asarray(self.gradient(points), dtype=np.float64)  # type: ignore[misc]
        return np.where(np.isfinite(slopes), slopes, 0.0)

    def steepest(self, free: np.ndarray) -> np.ndarray:
        """The slope on the free coordinates, scaled to ``initial_step`` of the box diagonal."""
        p = np.where(free, self.g, 0.0)
        return p * (self.options.initial_step * np.linalg.norm(self.scale) / np.linalg.norm(p))

    def parabola(self, alpha: float, cost: float, change: float) -> float:
        """The step length at the bottom of the parabola through f(x), its slope and a trial.

        ``change`` is the first-order change of cost promised by the trial step ``alpha``;
        0 when the parabola has no bottom.
        """
        curvature = (cost - self.f - change) / alpha**2
        return -change / alpha / (2 * curvature) if 0 < curvature < math.inf else 0.0

    # -- ask and tell ------------------------------------------------------------------

    def ask(self) -> np.ndarray:
        return self.pending

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.told += len(costs)
        if self.phase == "model":
            self._model_told(costs)
        else:
            self._line_told(points, costs)
        if self.converged and self.reconsider():
            self.converged = None
            self.request_model()

    def negligible(self, step: np.ndarray) -> bool:
        """Whether ``step`` is below ``xtol`` of every box width (or rounding at ``x``)."""
        tolerance = self.options.xtol * self.scale + 4 * differences.EPS * np.abs(self.x)
        return bool((np.abs(step) <= tolerance).all())

    def request_model(self) -> None:
        """Ask for the model's points at ``self.x`` (again, after a subclass changed them)."""
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
                self.request_model()
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
        self._ask_trials(self.first_step(), first=True)

    def _ask_trials(self, longest: float, first: bool = False) -> None:
        self.alphas = longest * 0.5 ** np.arange(self.options.trials)
        points = self.bounds.clip(self.x - self.alphas[:, None] * self.p)
        if not np.isfinite(points).all():  # a slope too small or too large for floats
            self.converged = "the step is not a number: the slope under- or overflows"
            return
        if self.negligible(points[0] - self.x):
            xtol = self.options.xtol
            if first:
                self.converged = f"{self.first_step_name} is less than {xtol:g} of every box width"
            elif self.fall_back():
                self._begin_search()
            else:
                self.converged = f"no step longer than {xtol:g} of the box lowers the cost"
            return
        self.phase, self.pending = "line", points

    def _line_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        steps = points - self.x
        promise = steps @ self.g  # first-order change of cost, negative downhill
        reference = self.reference_cost()
        sufficient = reference + self.options.armijo * np.minimum(promise, 0.0)
        # a trial lowers the cost, or (nonmonotone) promised a descent and beats the reference
        passed = (costs <= sufficient) & (costs < reference) & ((costs < self.f) | (promise < 0))
        if passed.any():
            best = int(np.where(passed, costs, np.inf).argmin())
            self.accepted(float(self.alphas[best]), costs[best], promise[best])
            self.last_step, self.last_slope = steps[best], self.g
            self.x, self.f = points[best].copy(), float(costs[best])
            self.nit += 1
            if self.negligible(steps[best]):
                self.converged = (
                    f"the last step moved less than {self.options.xtol:g} of every box width"
                )
            elif self._outpaced():
                self.converged = (
                    f"at its pace over the last {PACE_STEPS} steps this descent would not get "
                    f"below an earlier start's best cost in the {self.task.budget - self.told} "
                    "evaluations left"
                )
            else:
                self.request_model()
            return
        self._ask_trials(self.backtrack(self.alphas[-1], costs[-1], promise[-1]))

    def _outpaced(self) -> bool:
        """Whether the best cost of this descent, falling at its pace over the last
        ``PACE_STEPS`` steps, would stay above ``task.incumbent`` to the end of the budget:
        an optimistic reckoning, since a descent's pace slows as it nears its bottom."""
        best = min(self.f, self.pace[-1][1]) if self.pace else self.f
        self.pace.append((self.told, best))
        gap = best - self.task.incumbent
        if not gap > 0 or len(self.pace) <= PACE_STEPS:
            return False
        then_told, then_best = self.pace[0]
        pace = (then_best - best) / (self.told - then_told)
        return pace * (self.task.budget - self.told) < gap
