"""Exhaustive grid search: the walker who tastes every temperature."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import steep
from steep import option


@attrs.frozen
class ExhaustiveOptions:
    points_per_axis: int | None = option(
        None,
        "grid points per coordinate, endpoints included; None: as many as the budget allows",
        check=attrs.validators.optional(attrs.validators.ge(1)),
    )
    chunk_size: int = option(4096, "grid points asked per batch", check=attrs.validators.ge(1))


def points_per_axis(budget: int, dim: int) -> int:
    """The largest ``m`` with ``m ** dim <= budget`` (at least 1)."""
    m = max(1, int(budget ** (1.0 / dim)))
    while (m + 1) ** dim <= budget:
        m += 1
    while m > 1 and m**dim > budget:
        m -= 1
    return m


class Exhaustive(steep.Optimizer):
    """Grid search over the whole box; the resolution follows the budget."""

    name = "exhaustive"
    Options = ExhaustiveOptions
    parallelism = "asks the grid in chunks of chunk_size points, all independent"

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        per_axis = options.points_per_axis or points_per_axis(task.budget, self.dim)
        self.per_axis = per_axis
        self.size = per_axis**self.dim
        self.next_index = 0
        if per_axis == 1:
            self.axes = [np.array([c]) for c in self.bounds.center]
        else:
            self.axes = [np.linspace(lo, hi, per_axis) for lo, hi in self.bounds.as_pairs()]

    def ask(self) -> np.ndarray:
        stop = min(self.next_index + self.options.chunk_size, self.size)
        indices = np.unravel_index(np.arange(self.next_index, stop), (self.per_axis,) * self.dim)
        self.next_index = stop
        return np.column_stack([axis[i] for axis, i in zip(self.axes, indices)])

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if self.next_index >= self.size:
            self.converged = (
                f"evaluated all {self.size} grid points ({self.per_axis} per coordinate)"
            )


@steep.hookimpl
def register_optimizers(register):
    register(Exhaustive)
