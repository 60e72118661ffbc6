"""A real-coded genetic algorithm: a population that breeds, mutates and keeps its best."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import steep
from steep import option

_probability = [attrs.validators.ge(0), attrs.validators.le(1)]


@attrs.frozen
class GeneticOptions:
    popsize: int | None = option(
        None,
        "individuals per generation; None: 5 per dimension, kept within 20..100",
        check=attrs.validators.optional(attrs.validators.ge(4)),
    )
    tournament: int = option(
        2, "contenders per tournament that picks each parent", check=attrs.validators.ge(1)
    )
    crossover: float = option(
        0.9, "probability that a pair of parents is recombined", check=_probability
    )
    eta_crossover: float = option(
        2.0,
        "SBX distribution index: larger keeps children closer to their parents",
        check=attrs.validators.ge(0),
    )
    mutation: float | None = option(
        None,
        "probability that a child's coordinate mutates; None: 1/dimension",
        check=attrs.validators.optional(_probability),
    )
    mutation_scale: float = option(
        1.5,
        "Gaussian mutation step, in units of the population's spread (mean std / box width)",
        check=attrs.validators.gt(0),
    )
    box_mutation: float = option(
        0.3,
        "share of mutations that are polynomial steps scaled to the box (long jumps)",
        check=_probability,
    )
    eta_mutation: float = option(
        20.0,
        "polynomial mutation distribution index: larger makes box-scaled jumps shorter",
        check=attrs.validators.ge(0),
    )
    tolerance: float = option(
        1e-10,
        "converged when every coordinate's spread is below this share of the box width",
        check=[attrs.validators.gt(0), attrs.validators.lt(1)],
    )


class Genetic(steep.Optimizer):
    """Real-coded genetic algorithm: tournaments, SBX crossover, two-scale mutation, elitism."""

    name = "genetic"
    Options = GeneticOptions
    parallelism = "asks a whole generation (popsize children) at once, all independent"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0
        self.size = options.popsize or int(np.clip(5 * self.dim, 20, 100))
        self.mutation = 1.0 / self.dim if options.mutation is None else options.mutation
        self.X: np.ndarray | None = None
        self.F: np.ndarray | None = None

    def ask(self) -> np.ndarray:
        if self.X is None:
            points = self.bounds.sample(self.rng, self.size)
            points[0] = self.task.x0
            return points
        parents = self._tournaments(self.size + self.size % 2)
        children = self._crossover(parents[0::2], parents[1::2])[: self.size]
        return self._mutate(children)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if self.X is None:
            X, F = points, costs
        else:
            self.nit += 1
            X, F = np.vstack([self.X, points]), np.concatenate([self.F, costs])
        survivors = np.argsort(F, kind="stable")[: self.size]
        self.X, self.F = X[survivors], F[survivors]
        spread = float((np.ptp(self.X, axis=0) / self.bounds.width).max())
        if spread < self.options.tolerance:
            self.converged = (
                f"population collapsed: its spread is {spread:.2g} of the box width "
                f"(tolerance {self.options.tolerance:g}) after {self.nit} generations"
            )

    def _tournaments(self, count: int) -> np.ndarray:
        """``count`` parents, each the lowest-cost of ``tournament`` random individuals."""
        contenders = self.rng.integers(len(self.X), size=(count, self.options.tournament))
        winners = contenders[np.arange(count), self.F[contenders].argmin(axis=1)]
        return self.X[winners]

    def _crossover(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Simulated binary crossover (Deb & Agrawal 1995), each coordinate with odds 1/2."""
        eta = self.options.eta_crossover
        u = self.rng.random(a.shape)
        beta = np.where(u <= 0.5, 2 * u, 1 / (2 * (1 - u))) ** (1 / (eta + 1))
        paired = self.rng.random((len(a), 1)) < self.options.crossover
        beta = np.where(paired & (self.rng.random(a.shape) < 0.5), beta, 1.0)
        children = np.vstack([(1 + beta) * a + (1 - beta) * b, (1 - beta) * a + (1 + beta) * b])
        return self.bounds.reflect(children / 2)

    def _mutate(self, children: np.ndarray) -> np.ndarray:
        """Mutate each coordinate with odds ``mutation``: a polynomial jump scaled to the box
        (Deb & Goyal 1996; share ``box_mutation``) or a Gaussian step scaled to the box and
        to the population's spread, which shrinks as the population closes in."""
        shape = children.shape
        spread = float((self.X.std(axis=0) / self.bounds.width).mean())
        near = self.options.mutation_scale * spread * self.rng.standard_normal(shape)
        eta = self.options.eta_mutation
        u = self.rng.random(shape)
        far = np.where(
            u < 0.5, (2 * u) ** (1 / (eta + 1)) - 1, 1 - (2 * (1 - u)) ** (1 / (eta + 1))
        )
        jump = self.rng.random(shape) < self.options.box_mutation
        hit = self.rng.random(shape) < self.mutation
        steps = np.where(hit, np.where(jump, far, near), 0.0) * self.bounds.width
        return self.bounds.reflect(children + steps)


@steep.hookimpl
def register_optimizers(register):
    register(Genetic)
