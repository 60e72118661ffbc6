"""Simulated annealing: the pickup truck that shakes itself out of small valleys."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import steep
from steep import option

#: Share of each chain's steps spent annealing (the rest goes to the zero-temperature polish).
ANNEAL_SHARE = 0.7
#: Proposal scale follows (T / T0) ** SCALE_POWER while annealing.
SCALE_POWER = 0.25
#: During the polish the scale shrinks by this factor after a failure, grows by its
#: inverse fourth power after a success (the one-fifth success rule).
POLISH_SHRINK = 0.7


_share = [attrs.validators.gt(0), attrs.validators.lt(1)]


@attrs.frozen
class AnnealingOptions:
    chains: int = option(
        2,
        "independent chains; each step asks one proposal per chain, as one batch",
        check=attrs.validators.ge(1),
    )
    cycles: int = option(
        3,
        "cooling cycles per chain the budget is planned for (anneal, polish, reheat)",
        check=attrs.validators.ge(1),
    )
    step: float = option(
        0.3,
        "Cauchy proposal scale at the initial temperature, as a share of the box width",
        check=[attrs.validators.gt(0), attrs.validators.le(1)],
    )
    frozen: float = option(
        0.003,
        "temperature ratio T/T0 at which annealing ends and the polish (T = 0) starts",
        check=_share,
    )
    one_coordinate: float = option(
        1.0,
        "probability that a proposal moves one random coordinate rather than all",
        check=[attrs.validators.ge(0), attrs.validators.le(1)],
    )
    rough: float = option(
        1e-4,
        "polish step (share of the width) at which chains not holding the best point reheat",
        check=_share,
    )
    tolerance: float = option(
        1e-10,
        "polish step (share of the width) at which the chain holding the best point reheats",
        check=_share,
    )
    warm: float = option(
        0.1,
        "temperature ratio T/T0 of a chain reheated at the best point (random restarts: 1)",
        check=_share,
    )
    max_restarts: int | None = option(
        None,
        "reheats per chain before the run stops as converged; None: until the budget",
        check=attrs.validators.optional(attrs.validators.ge(0)),
    )


def spread(costs: np.ndarray) -> float:
    """The standard deviation of ``costs``, computed without overflow; 1 if it is zero."""
    largest = float(np.abs(costs).max()) if costs.size else 0.0
    deviation = largest * float((costs / largest).std()) if largest > 0 else 0.0
    return deviation if deviation > 0 else 1.0


class Annealing(steep.Optimizer):
    """Simulated annealing: chains of Cauchy steps, exponential cooling, polish and reheats."""

    name = "annealing"
    Options = AnnealingOptions
    parallelism = "asks one proposal per chain (option chains) per step, all independent"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0
        self.first_size = max(10, 2 * options.chains)
        steps = max(1, (task.budget - self.first_size) // options.chains)
        self.anneal_steps = max(10, int(ANNEAL_SHARE * steps) // options.cycles)
        self.cooling = options.frozen ** (1.0 / self.anneal_steps)
        self.width = self.bounds.width
        self.coordinates = np.arange(self.dim)
        self.best_x = np.array(task.x0, dtype=float)
        self.best_f = np.inf
        self.x: np.ndarray | None = None

    def ask(self) -> np.ndarray:
        if self.x is None:
            points = self.bounds.sample(self.rng, self.first_size)
            points[0] = self.task.x0
            return points
        chains, dim = self.x.shape
        polishing = (self.temperature == 0)[:, None]
        shape = (chains, dim)
        steps = np.where(
            polishing, self.rng.standard_normal(shape), self.rng.standard_cauchy(shape)
        )
        steps *= self.scale[:, None] * self.width
        one = (self.rng.random(chains) < self.options.one_coordinate) & ~polishing[:, 0]
        others = self.coordinates != self.rng.integers(dim, size=chains)[:, None]
        steps[one[:, None] & others] = 0.0
        return self.bounds.reflect(self.x + steps)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        best = int(costs.argmin())
        if costs[best] < self.best_f:
            self.best_x, self.best_f = points[best].copy(), float(costs[best])
        if self.x is None:
            self._start(points, costs)
            return
        self.nit += 1
        polishing = self.temperature == 0
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            chance = np.exp(-(costs - self.f) / self.temperature)
        better = costs < self.f
        accept = (costs <= self.f) | (self.rng.random(len(costs)) < chance)
        self.x[accept], self.f[accept] = points[accept], costs[accept]
        record = self.f < self.lowest_f
        self.lowest_x[record], self.lowest_f[record] = self.x[record], self.f[record]
        self._cool(polishing, better)
        holds_best = self.f <= self.best_f
        polished = self.scale < np.where(holds_best, self.options.tolerance, self.options.rough)
        self._reheat(polished)

    def _start(self, points: np.ndarray, costs: np.ndarray) -> None:
        """Temperature from the spread of the first batch; chains start at its best points."""
        self.t0 = spread(costs[np.isfinite(costs)])
        chains = self.options.chains
        order = np.argsort(costs, kind="stable")[:chains]
        self.x, self.f = points[order].copy(), costs[order].copy()
        self.temperature = np.full(chains, self.t0)
        self.scale = np.full(chains, self.options.step)
        self.restarts = np.zeros(chains, dtype=int)
        self.lowest_x, self.lowest_f = self.x.copy(), self.f.copy()

    def _cool(self, polishing: np.ndarray, better: np.ndarray) -> None:
        """One step of the schedule: exponential cooling; a chain that freezes goes back to
        the lowest point of its cycle and polishes it (one-fifth success rule)."""
        hot = ~polishing
        self.temperature[hot] *= self.cooling
        ratio = self.temperature[hot] / self.t0
        self.scale[hot] = self.options.step * ratio**SCALE_POWER
        frozen = hot & (self.temperature < self.options.frozen * self.t0)
        self.temperature[frozen] = 0.0
        self.x[frozen], self.f[frozen] = self.lowest_x[frozen], self.lowest_f[frozen]
        self.scale[polishing & better] *= POLISH_SHRINK**-4
        self.scale[polishing & ~better] *= POLISH_SHRINK

    def _reheat(self, polished: np.ndarray) -> None:
        """Reheat polished chains: at the best point to ``warm`` * T0, or at a random point
        to T0 (even odds); the proposal scale follows the temperature.

        A chain restarted at a random point does not know its cost there, so it accepts
        its first move. With ``max_restarts`` set, chains out of reheats stay put, and the
        run converges once all of them are polished.
        """
        limit = self.options.max_restarts
        if limit is not None:
            if (polished & (self.restarts >= limit)).all():
                self.converged = (
                    f"temperature frozen and polish finished in all {len(polished)} chains "
                    f"after {limit} reheats each ({self.nit} steps)"
                )
                return
            polished = polished & (self.restarts < limit)
        count = int(polished.sum())
        if count == 0:
            return
        from_best = self.rng.random(count) < 0.5
        fresh = self.bounds.sample(self.rng, count)
        self.x[polished] = np.where(from_best[:, None], self.best_x, fresh)
        self.f[polished] = np.where(from_best, self.best_f, np.inf)
        self.temperature[polished] = np.where(from_best, self.options.warm, 1.0) * self.t0
        self.scale[polished] = (
            self.options.step * (self.temperature[polished] / self.t0) ** SCALE_POWER
        )
        self.restarts[polished] += 1
        self.lowest_x[polished], self.lowest_f[polished] = self.x[polished], self.f[polished]


@steep.hookimpl
def register_optimizers(register):
    register(Annealing)
