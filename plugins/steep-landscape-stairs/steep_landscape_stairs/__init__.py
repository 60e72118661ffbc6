"""Stairs: the tea curve on a 10-point rating scale, flat between the jumps."""

from __future__ import annotations

import numpy as np
import steep

BEST_TEMPERATURE = 65.0  # °C
STEP = 4.0  # °C off the best that cost one point of the rating
WORST = 9.0  # points lost by the worst cup: a rating of 1 out of 10


class Stairs(steep.Landscape):
    name = "stairs"
    story = (
        "The tea curve on a 10-point rating scale. The drinker does not say how much they "
        "like the cup, only a whole-number rating: 10 within 4 °C of the best 65 °C, one "
        "point lost for every further 4 °C, never below 1. The cost is the points lost "
        "(0 to 9 per cup). Between the jumps the rating does not move at all, so a slope "
        "measured by tasting two nearby temperatures is exactly zero almost everywhere and "
        "the race car thinks it has arrived wherever it starts; a method that compares "
        "cups far apart walks down the stairs."
    )
    tags = frozenset({"stepped", "plateau", "separable"})
    lower, upper = 0.0, 100.0
    unit = "°C"

    @property
    def minimum(self) -> steep.Minimum:
        """The centre of the bottom step (any point within 4 °C of 65 °C costs 0)."""
        return steep.Minimum(np.full(self.dim, BEST_TEMPERATURE), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        points_lost = np.minimum(np.floor(np.abs(X - BEST_TEMPERATURE) / STEP), WORST)
        return points_lost.sum(axis=1)


@steep.hookimpl
def register_landscapes(register):
    register(Stairs)
