"""The configuration cache: a deterministic objective over a discrete space is brewed once per
configuration; asking again returns the cup already tasted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .evaluator import Outcome
from .spaces import Space


class ConfigurationCache:
    """Costs of the configurations evaluated so far, by :meth:`Space.key`.

    Only clean costs are kept: a failed evaluation may be a passing fault, and is tried again.
    """

    def __init__(self, space: Space) -> None:
        self.space = space
        self.costs: dict[tuple[Any, ...], float] = {}
        #: Points answered from the cache instead of the objective.
        self.hits = 0

    def evaluate(self, points: np.ndarray, evaluate: Callable[[np.ndarray], Outcome]) -> Outcome:
        """The outcome of ``points``: known configurations from the cache, the others (each
        once, however often the batch repeats it) through ``evaluate``."""
        keys = [self.space.key(point) for point in points]
        fresh: dict[tuple[Any, ...], int] = {}
        for index, key in enumerate(keys):
            if key not in self.costs and key not in fresh:
                fresh[key] = index
        outcome = evaluate(points[list(fresh.values())]) if fresh else Outcome(np.empty(0))
        reasons: dict[tuple[Any, ...], str] = {}
        for position, (key, _) in enumerate(fresh.items()):
            if position in outcome.failures:
                reasons[key] = outcome.failures[position]
            else:
                self.costs[key] = float(outcome.costs[position])
        costs = np.array([self.costs.get(key, np.nan) for key in keys])
        failures = {i: reasons[key] for i, key in enumerate(keys) if key in reasons}
        self.hits += len(points) - len(fresh)
        return Outcome(costs, failures)
