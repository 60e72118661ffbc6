"""A stage: one inner optimizer run through the ask/tell contract on a share of the budget."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import steep


class Stage:
    """An inner optimizer, built with its own :class:`steep.Task`, on ``budget`` evaluations.

    ``ask(left)`` forwards the inner optimizer's batch, cut to ``left`` (the evaluations
    :class:`~steep_auto.Auto` may still spend) and to the stage's own budget; a cut batch is
    not told to the inner optimizer (it asked for all of it), and ends the stage, as the
    run's loop does with a batch that exceeds the budget. The stage keeps its best point.
    """

    def __init__(
        self,
        label: str,
        optimizer: type[steep.Optimizer],
        task: steep.Task,
        options: Any,
        rng: np.random.Generator,
    ) -> None:
        self.label = label
        self.budget = task.budget
        self.inner = optimizer(task, options, rng)
        self.spent = 0
        self.cut = False
        self.best_f = math.inf
        self.best_x = np.array(task.x0, dtype=np.float64)
        self.batches = 0  # batches told, the iterations of methods that count none
        self.first_f = math.nan  # the cost of the first point asked (a descent's start)

    @property
    def left(self) -> int:
        return self.budget - self.spent

    @property
    def done(self) -> bool:
        """Converged, cut, or out of its budget."""
        return self.cut or self.left <= 0 or self.inner.converged is not None

    @property
    def converged(self) -> str | None:
        return self.inner.converged

    @property
    def nit(self) -> int:
        return self.batches if self.inner.nit is None else int(self.inner.nit)

    def ask(self, left: int) -> np.ndarray:
        points = np.asarray(self.inner.ask(), dtype=np.float64)
        room = min(left, self.left)
        if len(points) > room:
            self.cut = True
            points = points[:room]
        return points

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        if self.spent == 0:
            self.first_f = float(costs[0])
        self.spent += len(points)
        best = int(costs.argmin())
        if costs[best] < self.best_f:
            self.best_f, self.best_x = float(costs[best]), points[best].copy()
        if not self.cut:
            self.inner.tell(points, costs)
            self.batches += 1
