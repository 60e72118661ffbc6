"""The bowl: the well-behaved tea curve, where every method finds the bottom."""

from __future__ import annotations

import numpy as np
import steep

BEST_TEMPERATURE = 65.0  # °C
TOLERANCE = 15.0  # °C away from the best that doubles the cost from 0 to 1


class Bowl(steep.Landscape):
    name = "bowl"
    story = (
        "The well-behaved tea curve. Tea is best at 65 °C; hotter scalds, colder is "
        "lukewarm, and the displeasure grows smoothly with the square of the distance from "
        "the best temperature (one unit at 15 °C away). One valley, no traps: the slope "
        "always points to the bottom, so the race car wins here."
    )
    tags = frozenset({"smooth", "unimodal", "separable"})
    lower, upper = 0.0, 100.0
    unit = "°C"

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.full(self.dim, BEST_TEMPERATURE), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        scaled = (X - BEST_TEMPERATURE) / TOLERANCE
        return np.einsum("ij,ij->i", scaled, scaled)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * (X - BEST_TEMPERATURE) / TOLERANCE**2


@steep.hookimpl
def register_landscapes(register):
    register(Bowl, default=True)
