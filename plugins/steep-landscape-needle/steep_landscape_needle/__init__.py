"""Needle: the finicky drinker, a flat plateau with one narrow, deep well."""

from __future__ import annotations

import numpy as np
import steep

HALF_WIDTH = 1.0  # °C either side of the perfect temperature where the drinker notices
MARGIN = 10.0  # °C between the box's walls and where the perfect temperature may lie


class Needle(steep.Landscape):
    name = "needle"
    story = (
        "The finicky drinker, who hates every cup but the perfect one. Each cup costs 1, "
        "whatever its temperature, except within 1 °C of the drinker's secret perfect "
        "temperature, where the cost drops smoothly to 0 at the perfect one. The secret "
        "temperature is drawn from the landscape's seed, anywhere from 10 °C to 90 °C (one "
        "per cup in more dimensions). Outside the narrow well the plateau is perfectly flat: "
        "every slope is zero, so the race car stops where it starts, and only a method "
        "that keeps tasting cups across the whole range stumbles on the needle."
    )
    tags = frozenset({"plateau", "separable"})
    lower, upper = 0.0, 100.0
    unit = "°C"

    def __init__(self, dim: int | None = None, seed: int | None = 0) -> None:
        """``seed`` (default 0, as ``steep run --instance``) places the needle."""
        super().__init__(dim, seed)
        self.perfect = self.rng.uniform(self.lower + MARGIN, self.upper - MARGIN, self.dim)

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(self.perfect, 0.0)

    def _closeness(self, X: np.ndarray) -> np.ndarray:
        """Squared distance to the perfect temperature in half-widths, capped at 1."""
        return np.minimum(((X - self.perfect) / HALF_WIDTH) ** 2, 1.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        closeness = self._closeness(X)
        return (closeness**2 * (2.0 - closeness**2)).sum(axis=1)  # 1 - (1 - closeness²)²

    def gradient(self, X: np.ndarray) -> np.ndarray:
        closeness = self._closeness(X)
        return 8.0 * closeness * (1.0 - closeness**2) * (X - self.perfect) / HALF_WIDTH**2


@steep.hookimpl
def register_landscapes(register):
    register(Needle)
