"""Uniform random search: the honest baseline every chart needs."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import steep
from steep import option


@attrs.frozen
class RandomSearchOptions:
    batch_size: int = option(64, "points drawn and asked per batch", check=attrs.validators.ge(1))


class RandomSearch(steep.Optimizer):
    """Uniform random points in the box; keeps the lowest. The baseline to beat."""

    name = "random-search"
    Options = RandomSearchOptions
    parallelism = "asks batch_size independent points at once; all can run in parallel"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0

    def ask(self) -> np.ndarray:
        points = self.bounds.sample(self.rng, self.options.batch_size)
        if self.nit == 0:
            points[0] = self.task.x0
        return points

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.nit += 1


@steep.hookimpl
def register_optimizers(register):
    register(RandomSearch)
