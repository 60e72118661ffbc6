"""CMA-ES with IPOP restarts, asking whole populations, reflecting samples into the box."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import steep
from steep import option

from .strategy import Parameters, Strategy, default_popsize


@attrs.frozen
class CMAESOptions:
    popsize: int | None = option(
        None,
        "points per generation of the first run; None: 4 + floor(3 ln dim)",
        check=attrs.validators.optional(attrs.validators.ge(2)),
    )
    sigma0: float = option(
        0.3,
        "initial step size as a fraction of the box width (per coordinate)",
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


def reflect(u: np.ndarray) -> np.ndarray:
    """Fold unit-box coordinates into ``[0, 1]`` by mirroring at the walls (period 2)."""
    folded = np.mod(u, 2.0)
    return np.where(folded > 1.0, 2.0 - folded, folded)


class CMAES(steep.Optimizer):
    """CMA-ES: covariance matrix adaptation evolution strategy, with IPOP restarts."""

    name = "cma-es"
    Options = CMAESOptions
    parallelism = (
        "asks a whole population (popsize points, doubling at each restart) at once, "
        "all independent"
    )

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.popsize = options.popsize or default_popsize(self.dim)
        self.restarts = 0
        self.nit = 0
        self.strategy = self._start(self._to_unit(task.x0))
        self.samples: tuple[np.ndarray, np.ndarray] | None = None

    def _to_unit(self, x: np.ndarray) -> np.ndarray:
        return (x - self.bounds.lower) / self.bounds.width

    def _start(self, mean: np.ndarray) -> Strategy:
        params = Parameters.default(self.dim, self.popsize)
        return Strategy(mean, self.options.sigma0, params)

    def ask(self) -> np.ndarray:
        self.samples = self.strategy.sample(self.rng)
        y = self.samples[1]
        unit = reflect(self.strategy.mean + self.strategy.sigma * y)
        return self.bounds.clip(self.bounds.lower + unit * self.bounds.width)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        z, y = self.samples
        strategy = self.strategy
        strategy.update(z, y, costs)
        # The folded landscape repeats with period 2: keep the mean near the box.
        strategy.mean = np.mod(strategy.mean + 0.5, 2.0) - 0.5
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
        self.popsize = round(self.popsize * self.options.popsize_factor)
        self.strategy = self._start(self.rng.random(self.dim))
