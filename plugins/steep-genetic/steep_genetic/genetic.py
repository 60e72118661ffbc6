"""A real-coded genetic algorithm with differential crossover, adaptive rates and restarts.

Each generation every individual (the mother) breeds one child with a father chosen by
tournament. The child's genes come from the mother, except those drawn by a uniform
crossover of rate ``CR``, which are taken from the donor ``mother + F (father - mother) +
F (a - b)``, where ``a - b`` is the difference of two random individuals: a differential
crossover (Storn & Price 1997, "Differential evolution"; the donor is JADE's
current-to-pbest, Zhang & Sanderson 2009, "JADE: adaptive differential evolution with
optional external archive", IEEE TEC 13(5), with the p-best parent picked by tournament).
Steps along differences of the population follow its shape: a population stretched along a
rotated valley breeds along that valley. ``F`` and ``CR`` are drawn per child around centres
that move towards the rates of the children that beat their mothers (JADE's adaptation). A
child replaces its mother when it is no worse (elitism: the best is never lost). A run that
converges or stalls restarts from a new random population, ``popsize_factor`` times larger
(as IPOP for CMA-ES, Auger & Hansen 2005). When ``polish`` of the budget is left, BFGS
descends from the best point (a memetic finish, as scipy's differential evolution polishes).
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import steep
from steep import option
from steep.quasinewton import LocalSearch

_probability = [attrs.validators.ge(0), attrs.validators.le(1)]
#: Spread of the per-child rates around their adapted centres (JADE's 0.1).
RATE_SPREAD = 0.1


@attrs.frozen
class GeneticOptions:
    popsize: int | None = option(
        None,
        "individuals of the first run; None: 10 + 2 dim",
        check=attrs.validators.optional(attrs.validators.ge(4)),
    )
    tournament: int = option(
        20,
        "contenders in the tournament that picks each child's father",
        check=attrs.validators.ge(1),
    )
    learning_rate: float = option(
        0.1,
        "weight of a generation's successful children in the adapted rates F and CR",
        check=[attrs.validators.gt(0), attrs.validators.le(1)],
    )
    tolerance: float = option(
        1e-12,
        "a run has converged when its spread is below this share of the box width",
        check=[attrs.validators.gt(0), attrs.validators.lt(1)],
    )
    popsize_factor: float = option(
        2.0,
        "factor by which each restart multiplies the population",
        check=attrs.validators.ge(1),
    )
    max_restarts: int | None = option(
        None,
        "restarts after a run converges or stalls; None: until the budget; 0: none",
        check=attrs.validators.optional(attrs.validators.ge(0)),
    )
    polish: float = option(
        0.1,
        "when this share of the budget is left, a local search (BFGS on forward differences) "
        "polishes the best point, as scipy's differential evolution does; 0: none",
        check=[attrs.validators.ge(0), attrs.validators.lt(1)],
    )


class Genetic(steep.Optimizer):
    """Real-coded genetic algorithm: tournaments, differential crossover with adaptive rates,
    elitist parents, restarts with growing populations, a BFGS polish at the end."""

    name = "genetic"
    Options = GeneticOptions
    parallelism = "asks a whole generation (one child per individual) at once, all independent"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0
        self.size = options.popsize or 10 + 2 * self.dim
        self.restarts = 0
        self.width = self.bounds.width
        self.X: np.ndarray | None = None
        self.F: np.ndarray | None = None
        self.spent = 0
        self.best_x, self.best_f = self.task.x0, math.inf
        self.local: LocalSearch | None = None
        self.polished = not options.polish  # with no polish, as if done
        self.finished: str | None = None  # the last run's stop, told once the polish ends

    # -- ask ---------------------------------------------------------------------------

    def ask(self) -> np.ndarray:
        if self.local is not None:
            return self.local.ask()
        if self.X is None:
            points = self.bounds.sample(self.rng, self.size)
            if self.restarts == 0:
                points[0] = self.task.x0
            return points
        rng, X = self.rng, self.X
        n, dim = X.shape
        # One draw of uniforms per generation: cheaper than many small ones.
        u = rng.random((n, dim + 5))
        fathers = X[self._tournament_winners(u[:, 0], n)]
        self.f_rate = self._scale_factors(u[:, 1])
        self.cr_rate = np.minimum(
            np.maximum(self.mu_cr + RATE_SPREAD * rng.standard_normal(n), 0.0), 1.0
        )
        picks = (u[:, 2:4] * n).astype(np.intp)
        others = X[picks[:, 0]] - X[picks[:, 1]]
        donors = X + self.f_rate[:, None] * (fathers - X + others)
        genes = u[:, 5:] < self.cr_rate[:, None]
        genes[np.arange(n), (u[:, 4] * dim).astype(np.intp)] = True  # at least one gene
        return self._into_box(np.where(genes, donors, X))

    def _tournament_winners(self, u: np.ndarray, n: int) -> np.ndarray:
        """Indices of tournament winners among ``n`` individuals, from one uniform each.

        The population is sorted by cost, so a tournament of ``k`` contenders drawn with
        replacement from ``n`` is won by the lowest index drawn, ``m``, with
        ``P(m >= i) = (1 - i / n) ** k``: ``m = floor(n (1 - u ** (1 / k)))`` draws it exactly.
        """
        winners = (n * (1.0 - u ** (1.0 / self.options.tournament))).astype(np.intp)
        return np.minimum(winners, n - 1)

    def _scale_factors(self, u: np.ndarray) -> np.ndarray:
        """Differential weights from a Cauchy law around ``mu_f`` (``tan(pi (u - 1/2))``),
        redrawn where not positive, cut at 1."""
        f = self.mu_f + RATE_SPREAD * np.tan(np.pi * (u - 0.5))
        while not (f > 0).all():
            bad = ~(f > 0)
            f[bad] = self.mu_f + RATE_SPREAD * self.rng.standard_cauchy(int(bad.sum()))
        return np.minimum(f, 1.0)

    def _into_box(self, children: np.ndarray) -> np.ndarray:
        """A coordinate that crossed a wall goes halfway from the mother to that wall."""
        lower, upper = self.bounds.lower, self.bounds.upper
        low, high = children < lower, children > upper
        if low.any() or high.any():
            children = np.where(low, (self.X + lower) / 2, children)
            children = np.where(high, (self.X + upper) / 2, children)
            children = np.minimum(np.maximum(children, lower), upper)
        return children

    # -- tell --------------------------------------------------------------------------

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.spent += len(costs)
        lowest = int(costs.argmin())
        if costs[lowest] < self.best_f:
            self.best_x, self.best_f = points[lowest].copy(), float(costs[lowest])
        if self.local is not None:
            self._polish_told(points, costs)
        elif self.X is None:
            self._start(points, costs)
        else:
            self._generation_told(points, costs)
        left = self.task.budget - self.spent
        if not self.polished and (self.finished or left <= self.options.polish * self.task.budget):
            self._polish(left)

    def _polish(self, left: int) -> None:
        """Start the local search from the best point (whose cost is known), once."""
        self.polished = True
        if math.isfinite(self.best_f):
            self.local = LocalSearch(self.bounds, self.best_x, self.best_f, self.rng)
            self.decisions.append(
                f"{left} evaluations left: BFGS polishes the best point (cost {self.best_f:.6g})"
            )
        elif self.finished:
            self.converged = self.finished

    def _polish_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.local.tell(points, costs)
        if not self.local.converged:
            return
        self.local = None
        if self.finished:
            self.converged = self.finished
        elif self.X is not None:  # the polished point takes the worst place in the population
            self.X[-1], self.F[-1] = self.best_x, self.best_f
            order = np.argsort(self.F, kind="stable")
            self.X, self.F = self.X[order], self.F[order]

    def _generation_told(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.nit += 1
        self.generation += 1
        self._adapt(costs < self.F)
        keep = costs <= self.F  # a child as good as its mother replaces her (drift on plateaus)
        X = np.where(keep[:, None], points, self.X)
        F = np.where(keep, costs, self.F)
        order = np.argsort(F, kind="stable")
        self.X, self.F = X[order], F[order]
        reason = self._stop_reason()
        if reason is None:
            return
        limit = self.options.max_restarts
        if limit is not None and self.restarts >= limit:
            runs = f"run {self.restarts + 1} of {limit + 1}" if limit else "run"
            self.finished = f"{runs} (popsize {self.size}) stopped: {reason}"
            if self.polished:
                self.converged = self.finished
            return
        self.restarts += 1
        factor = self.options.popsize_factor
        self.size = max(round(self.size * factor), self.size + (factor > 1))
        self.X = self.F = None

    def _start(self, points: np.ndarray, costs: np.ndarray) -> None:
        """A run's first population, sorted by cost; the rates start at 1/2."""
        order = np.argsort(costs, kind="stable")
        self.X, self.F = points[order], costs[order]
        self.mu_f, self.mu_cr = 0.5, 0.5
        self.generation = 0
        self.run_best, self.stall = float(self.F[0]), 0

    def _adapt(self, better: np.ndarray) -> None:
        """Move the rates towards those of the children that beat their mothers, at
        ``learning_rate`` (JADE: the Lehmer mean for the weight, the mean for the rate)."""
        if not better.any():
            return
        c = self.options.learning_rate
        f = self.f_rate[better]
        self.mu_f = (1 - c) * self.mu_f + c * float((f**2).sum() / f.sum())
        self.mu_cr = (1 - c) * self.mu_cr + c * float(self.cr_rate[better].mean())

    def _stop_reason(self) -> str | None:
        """Why the run has converged or stalled (a restart is due), else ``None``."""
        best = float(self.F[0])
        if best < self.run_best - 1e-12 * abs(best):
            self.run_best, self.stall = best, 0
        else:
            self.stall += 1
        spread = float(((self.X.max(axis=0) - self.X.min(axis=0)) / self.width).max())
        if spread < self.options.tolerance:
            return (
                f"population collapsed to {spread:.2g} of the box width "
                f"(tolerance {self.options.tolerance:g}) after {self.generation} generations"
            )
        if math.isfinite(self.F[-1]) and self.F[-1] - best <= 1e-12 * abs(best):
            return f"every cost of the population is the same after {self.generation} generations"
        patience = 10 + 30 * self.dim // self.size
        if self.stall > patience:
            return f"no progress of the best cost in {self.stall} generations"
        return None
