"""Generalized simulated annealing with a local search after each Markov chain, as ask/tell."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import steep
from steep import option
from steep.quasinewton import LocalSearch

from .tsallis import LONGEST_STEP, acceptance, cooling, visiting_scale, visits


def spread(costs: np.ndarray) -> float:
    """The standard deviation of ``costs``, computed without overflow; 1 if it is zero."""
    largest = float(np.abs(costs).max()) if costs.size else 0.0
    deviation = largest * float((costs / largest).std()) if largest > 0 else 0.0
    return deviation if deviation > 0 else 1.0


#: Points of the first sample (at least 2 dim): the start and uniform random points.
FIRST_SAMPLE = 20
#: Random numbers drawn at once for the visits of the next Markov chains (at least one chain).
DRAWN = 4096


@attrs.frozen
class AnnealingOptions:
    visiting: float = option(
        2.62,
        "q_v of the visiting distribution, in (1, 3): larger gives heavier tails, faster cooling",
        check=[attrs.validators.gt(1), attrs.validators.lt(3)],
    )
    acceptance: float = option(
        -5.0,
        "q_a of the acceptance law, below 1: more negative takes fewer steps uphill",
        check=[attrs.validators.ge(-1e4), attrs.validators.lt(1)],
    )
    initial_temp: float = option(
        300.0,
        "T0; a visit at T has scale ~T^(1/(3-q_v)) box widths; T/t accepts in cost spreads",
        check=attrs.validators.gt(0),
    )
    restart_temp: float = option(
        2e-4,
        "reanneal (T back to T0, from a random point) once T/T0 falls below this",
        check=[attrs.validators.gt(0), attrs.validators.lt(1)],
    )
    local_iterations: int | None = option(
        None,
        "BFGS iterations at most per local search; None: until it converges; 0: none",
        check=attrs.validators.optional(attrs.validators.ge(0)),
    )
    max_restarts: int | None = option(
        None,
        "reanneals before the run stops as converged; None: until the budget",
        check=attrs.validators.optional(attrs.validators.ge(0)),
    )


class Annealing(steep.Optimizer):
    """Generalized simulated annealing: Tsallis visits, q_a acceptance, BFGS after each chain."""

    name = "annealing"
    Options = AnnealingOptions
    parallelism = (
        "asks each Markov chain (2 dim proposals) in one batch, and the local search's "
        "finite-difference stencil (dim points) in one batch"
    )

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0  # Markov chains, over all cycles
        self._step(1)  # temperature step t within the cycle
        self.cycles = 0  # reanneals so far
        self.width = self.bounds.width
        self._move(np.array(task.x0, dtype=np.float64), math.nan)  # cost unknown until asked
        self.best_x, self.best_f = self.x.copy(), math.inf
        self.unit: float | None = None  # the first sample's spread of costs, once told
        self.iterations = math.inf if options.local_iterations is None else options.local_iterations
        self.local: LocalSearch | None = None
        self.draws = np.empty((0, 2 * self.dim, self.dim))  # see _draw
        self.drawn = 0
        self.local_searches = 0

    def _move(self, x: np.ndarray, f: float) -> None:
        """The chain moves to ``x`` of cost ``f`` (NaN: not evaluated yet)."""
        self.x, self.f = x.copy(), f
        self.u = (x - self.bounds.lower) / self.width  # the same point in the unit cube

    def _step(self, t: int) -> None:
        """Go to temperature step ``t`` of the cycle: visiting temperature ``T0 c(t)``, where
        ``c`` is the cooling law of ``tsallis.cooling``; acceptance temperature ``T / t``."""
        self.t = t
        self.ratio = cooling(t, self.options.visiting)
        self.temperature = self.options.initial_temp * self.ratio
        self.scale = visiting_scale(self.temperature, self.options.visiting)

    def ask(self) -> np.ndarray:
        if self.local is not None:
            return self.local.ask()
        if self.unit is None:  # the first sample: the start and uniform random points
            points = self.bounds.sample(self.rng, max(FIRST_SAMPLE, 2 * self.dim))
            points[0] = self.x
            return points
        if self.drawn >= len(self.draws):
            self._draw()
        unit = self.u + self.draws[self.drawn] * self.scale  # in box widths from the walls
        outside = (unit < 0.0) | (unit > 1.0)
        if outside.any():  # mirrored at the walls, as often as needed
            folded = np.mod(unit, 2.0)
            unit = np.where(outside, np.minimum(folded, 2.0 - folded), unit)
        bounds = self.bounds
        points = np.minimum(bounds.lower + unit * self.width, bounds.upper)
        if math.isnan(self.f):
            return np.vstack([self.x, points])
        return points

    def _draw(self) -> None:
        """Visits of unit temperature for the next Markov chains, drawn together (cheaper
        than chain by chain): per chain, ``dim`` moves of all coordinates from the
        ``dim``-dimensional visiting law, then ``dim`` moves of one coordinate each."""
        dim, qv = self.dim, self.options.visiting
        chains = max(1, DRAWN // (2 * dim * dim))
        full = visits(self.rng, chains * dim, dim, 1.0, qv).reshape(chains, dim, dim)
        one = visits(self.rng, chains * dim, 1, 1.0, qv).reshape(chains, dim, 1) * np.eye(dim)
        draws = np.concatenate([full, one], axis=1) / visiting_scale(1.0, qv)
        self.draws = np.clip(draws, -LONGEST_STEP, LONGEST_STEP)
        self.odds = self.rng.random((chains, 2 * dim))
        self.drawn = 0

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        lowest = int(costs.argmin())
        improved = costs[lowest] < self.best_f
        if improved:
            self.best_x, self.best_f = points[lowest].copy(), float(costs[lowest])
        if self.local is not None:
            self._local_told(points, costs)
            return
        if self.unit is None:
            self._sampled(points, costs)
        else:
            self._chain_told(points, costs)
        if self.ratio < self.options.restart_temp:
            self._reanneal()
        elif improved and self.iterations > 0 and math.isfinite(self.best_f):
            self.local = LocalSearch(self.bounds, self.best_x, self.best_f, self.rng)
            self.local_searches += 1

    def _sampled(self, points: np.ndarray, costs: np.ndarray) -> None:
        """The unit of costs is the spread of the first sample's finite costs (White 1984:
        the standard deviation of costs at random); the chain starts at its lowest point."""
        self.unit = spread(costs[np.isfinite(costs)])
        lowest = int(costs.argmin())
        self._move(points[lowest], float(costs[lowest]))

    def _chain_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        if math.isnan(self.f):  # reannealed: the chain's start came first
            self.f, points, costs = float(costs[0]), points[1:], costs[1:]
        self._chain(points, costs)
        self.nit += 1
        self.drawn += 1
        self._step(self.t + 1)

    def _chain(self, points: np.ndarray, costs: np.ndarray) -> None:
        """The Markov chain's moves, taken in order: downhill always, uphill by ``rise``
        with the odds of the generalized acceptance law (see ``tsallis.acceptance``)."""
        qa = self.options.acceptance
        temperature = self.unit * self.temperature / self.t
        odds = self.odds[self.drawn].tolist()
        f, held = self.f, -1
        for i, cost in enumerate(costs.tolist()):
            if cost == math.inf:
                continue
            if cost <= f or odds[i] < acceptance(cost - f, temperature, qa):
                f, held = cost, i
        if held >= 0:
            self._move(points[held], f)

    def _local_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        local = self.local
        local.tell(points, costs)
        if local.converged or local.nit >= self.iterations:
            if local.f <= self.f or not math.isfinite(self.f):
                self._move(local.x, float(local.f))
            self.local = None

    def _reanneal(self) -> None:
        """Back to ``T0`` from a uniformly random point, whose cost is evaluated first."""
        limit = self.options.max_restarts
        if limit is not None and self.cycles >= limit:
            self.converged = (
                f"temperature fell below {self.options.restart_temp:g} T0 in all "
                f"{self.cycles + 1} cycles ({self.nit} Markov chains, "
                f"{self.local_searches} local searches)"
            )
            return
        self.cycles += 1
        self._step(1)
        self._move(self.bounds.sample(self.rng, 1)[0], math.nan)
