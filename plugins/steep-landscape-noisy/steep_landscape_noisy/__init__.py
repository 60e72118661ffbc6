"""Noisy: the drinker's mood, the tea curve scored differently each time."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import steep

BEST_TEMPERATURE = 65.0  # °C
TOLERANCE = 15.0  # °C away from the best where the noise-free cost reaches 1


class Noisy(steep.Landscape):
    name = "noisy"
    story = (
        "The drinker's mood: the same cup scores differently each time. Underneath is the "
        "well-behaved tea curve (best at 65 °C, cost growing with the square of the "
        "distance, one unit at 15 °C away), but every tasting multiplies the displeasure by "
        "the drinker's mood of the moment, a random factor that is never negative and is 1 "
        "on average (its standard deviation is the noise level, 0.3 by default). A grumpy "
        "moment magnifies every flaw; a cheerful one forgives some; the perfect cup costs 0 in "
        "any mood, so no tasting ever scores below the true minimum. Two tastings a hair apart "
        "differ by the mood, not the tea: a slope measured from them points anywhere, while "
        "methods that compare many cups, or taste again, still find the bottom."
    )
    tags = frozenset({"noisy", "unimodal"})
    lower, upper = 0.0, 100.0
    unit = "°C"
    #: Standard deviation of the mood factor (mean 1, never negative); 0 turns the mood off.
    noise = 0.3

    def __init__(
        self, dim: int | None = None, seed: int | None = 0, noise: float | None = None
    ) -> None:
        """``seed`` (default 0, as ``steep run --instance``) starts the sequence of moods;
        ``noise`` replaces the class's noise level."""
        super().__init__(dim, seed)
        if noise is not None:
            if isinstance(noise, bool) or not (
                isinstance(noise, Real) and math.isfinite(noise) and noise >= 0
            ):
                raise steep.UsageError(
                    f"landscape 'noisy': noise must be a finite number >= 0, got {noise!r}"
                )
            self.noise = float(noise)

    @property
    def minimum(self) -> steep.Minimum:
        """The noise-free minimum: the truth every tasting scatters around."""
        return steep.Minimum(np.full(self.dim, BEST_TEMPERATURE), 0.0)

    def noise_free(self, X: np.ndarray) -> np.ndarray:
        """The cost without the mood: what the average of many tastings converges to."""
        scaled = (X - BEST_TEMPERATURE) / TOLERANCE
        return np.einsum("ij,ij->i", scaled, scaled)

    def mood(self, n: int) -> np.ndarray:
        """``n`` fresh mood factors from the seeded stream: Gamma-distributed, mean 1."""
        if self.noise == 0:
            return np.ones(n)
        shape = 1.0 / self.noise**2
        return self.rng.gamma(shape, 1.0 / shape, n)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return self.noise_free(X) * self.mood(len(X))


@steep.hookimpl
def register_landscapes(register):
    register(Noisy)
