"""Wiggles: the tea curve shaken by passing trains, a bowl whose ripples trap small steps."""

from __future__ import annotations

import numpy as np
import steep

BEST_TEMPERATURE = 65.0  # °C
TOLERANCE = 15.0  # °C away from the best where the bowl's cost reaches 1
PERIOD = 5.0  # °C the tea cools between two trains
SHAKE = 1.0  # half the height of a ripple


class Wiggles(steep.Landscape):
    name = "wiggles"
    story = (
        "The tea curve, shaken by passing trains. Tea is still best at 65 °C and the "
        "displeasure still grows with the square of the distance from it, but trains pass "
        "the window at a steady rhythm while the tea cools, and each one jolts the drinker: "
        "every 5 °C the cost rises and falls again by up to 2. The ripples are steeper than "
        "the bowl everywhere in the box, so each one is a small valley of its own; a method "
        "that takes small downhill steps stops in the first ripple it meets, while one that "
        "looks at the whole curve sees the bowl beneath and finds 65 °C."
    )
    tags = frozenset({"smooth", "multimodal", "rugged", "separable"})
    lower, upper = 0.0, 100.0
    unit = "°C"

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.full(self.dim, BEST_TEMPERATURE), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        offset = X - BEST_TEMPERATURE
        bowl = (offset / TOLERANCE) ** 2
        ripple = SHAKE * (1.0 - np.cos(2.0 * np.pi * offset / PERIOD))
        return (bowl + ripple).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        offset = X - BEST_TEMPERATURE
        bowl = 2.0 * offset / TOLERANCE**2
        ripple = SHAKE * 2.0 * np.pi / PERIOD * np.sin(2.0 * np.pi * offset / PERIOD)
        return bowl + ripple


@steep.hookimpl
def register_landscapes(register):
    register(Wiggles)
