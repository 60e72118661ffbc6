"""CMA-ES with IPOP restarts, asking whole populations, clipping samples onto the walls."""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import attrs
import numpy as np
import steep
from steep import option

from .strategy import Parameters, Strategy, default_popsize
from .walls import clip_to_unit_box, crossed_distance, penalized


@attrs.frozen
class CMAESOptions:
    popsize: int | None = option(
        None,
        "points per generation of the first run; None: 4 + floor(3 ln dim)",
        check=attrs.validators.optional(attrs.validators.ge(2)),
    )
    sigma0: float = option(
        0.3,
        "initial step size as a fraction of the box width (per coordinate; without bounds, "
        "of the reference box x0 ± max(|x0|, 1))",
        check=attrs.validators.gt(0),
    )
    max_restarts: int | None = option(
        None,
        "IPOP restarts after a run converges; None: restart until the budget ends, 0: none",
        check=attrs.validators.optional(attrs.validators.ge(0)),
    )
    popsize_factor: float = option(
        2.0,
        "factor by which each restart multiplies the population size",
        check=attrs.validators.ge(1),
    )
    tolfun: float = option(
        1e-12,
        "a run has converged when best costs over recent generations vary less than this",
        check=attrs.validators.ge(0),
    )
    tolx: float = option(
        1e-12,
        "a run has converged when every standard deviation is below this fraction of the width",
        check=attrs.validators.ge(0),
    )


class CMAES(steep.Optimizer):
    """CMA-ES: covariance matrix adaptation evolution strategy, with IPOP restarts."""

    name = "cma-es"
    Options = CMAESOptions
    parallelism = (
        "asks each generation's whole population at once (popsize points, multiplied by "
        "popsize_factor at each restart), all independent"
    )

    needs_box = False  # without walls it searches the reference box's units, unclipped

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        #: The box whose unit cube the strategy lives in (an open space's is around x0).
        self.box = self.bounds.reference()
        self.popsize = options.popsize or default_popsize(self.dim)
        self.restarts = 0
        self.nit = 0
        self.strategy = self._start(self._to_unit(task.x0))
        self.samples: tuple[np.ndarray, np.ndarray] | None = None
        self.unit: np.ndarray | None = None  # the last population, unclipped, unit-box units

    def _to_unit(self, x: np.ndarray) -> np.ndarray:
        return (x - self.box.lower) / self.box.width

    def _start(self, mean: np.ndarray) -> Strategy:
        params = Parameters.default(self.dim, self.popsize)
        return Strategy(mean, self.options.sigma0, params)

    def ask(self) -> np.ndarray:
        self.samples = self.strategy.sample(self.rng)
        self.unit = self.strategy.mean + self.strategy.sigma * self.samples[1]
        inside = clip_to_unit_box(self.unit) if self.bounds.finite else self.unit
        return self.bounds.clip(self.box.lower + inside * self.box.width)

    def _keep_margin(self) -> None:
        """CMA-ES with margin (Hamano et al. 2022, "CMA-ES with Margin: Lower-Bounding
        Marginal Probability for Mixed-Integer Black-Box Optimization"): along each integer
        or choice coordinate a sample leaves the mean's cell with probability at least
        1 / (d popsize). Without it a population that lands in one cell sees equal costs
        there, its step shrinks with the others, and the coordinate freezes on that value."""
        box, strategy = self.box, self.strategy
        mean = box.lower + np.clip(strategy.mean, 0.0, 1.0) * box.width
        low, high = self.task.space.cells(mean)
        nearest = np.minimum(mean - low, high - mean) / box.width
        strategy.keep_margin(nearest, NormalDist().inv_cdf(1 - 1 / (self.dim * self.popsize)))

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        z, y = self.samples
        strategy = self.strategy
        distance = crossed_distance(self.unit) if self.bounds.finite else np.zeros(len(costs))
        variance = strategy.sigma**2 * float(np.mean(strategy.D**2))
        strategy.update(z, y, penalized(costs, distance, variance), distance)
        if self.task.space is not None and self.task.space.discrete.any():
            self._keep_margin()
        self.nit += 1
        reason = strategy.stop_reason(self.options.tolfun, self.options.tolx)
        if reason is None:
            return
        limit = self.options.max_restarts
        if limit is not None and self.restarts >= limit:
            runs = f"run {self.restarts + 1} of {limit + 1}" if limit else "run"
            self.converged = f"{runs} (popsize {self.popsize}) stopped on {reason}"
            return
        self.restarts += 1
        factor = self.options.popsize_factor
        self.popsize = max(round(self.popsize * factor), self.popsize + (factor > 1))
        self.strategy = self._start(self.rng.random(self.dim))
