"""Valleys: hot tea in a broad valley, iced tea in a deeper, narrow one far away."""

from __future__ import annotations

import numpy as np
import steep

HOT = 65.0  # °C, the bottom of the broad valley
HOT_SCALE = 30.0  # °C away from hot tea where the broad valley's cost reaches 1
ICED, ICED_WIDTH, ICED_DEPTH = 8.0, 2.5, 6.0  # °C, °C, cost
MINOR_VALLEYS = 3  # random small valleys, one in each third of 25–100 °C
MINOR_REGION = (25.0, 100.0)
MINOR_WIDTH = (2.0, 4.0)  # °C
MINOR_DEPTH = (0.4, 1.0)
GRID_STEP = 1e-2  # °C, spacing of the search for the exact minimum before Newton polish


class Valleys(steep.Landscape):
    name = "valleys"
    story = (
        "Hot tea and iced tea. Hot tea is good around 65 °C, in a broad, gentle valley "
        "that a marble dropped almost anywhere rolls towards; a few smaller dips (a drinker's "
        "whims, placed by the landscape's seed between 25 °C and 100 °C) catch it on the "
        "way. But on a hot day iced tea, at 8 °C, is better than any hot tea: a narrow, "
        "deep valley far from the broad one, reached only from the coldest sixth of the "
        "range. Descent ends in whichever valley it starts in, so the race car mostly "
        "settles for hot tea; a method that looks across the whole range finds the ice. "
        "The cost is a sum of the same curve over the coordinates, shifted so that the "
        "best cup costs exactly 0."
    )
    tags = frozenset({"smooth", "multimodal", "separable"})
    lower, upper = 0.0, 100.0
    unit = "°C"

    def __init__(self, dim: int | None = None, seed: int | None = 0) -> None:
        """``seed`` (default 0, as ``steep run --instance``) places the small valleys."""
        super().__init__(dim, seed)
        start, end = MINOR_REGION
        third = (end - start) / MINOR_VALLEYS
        thirds = start + third * np.arange(MINOR_VALLEYS)
        minor = thirds + self.rng.uniform(0.2 * third, 0.8 * third, MINOR_VALLEYS)
        self.centres = np.concatenate([[ICED], minor])
        self.widths = np.concatenate([[ICED_WIDTH], self.rng.uniform(*MINOR_WIDTH, MINOR_VALLEYS)])
        self.depths = np.concatenate([[ICED_DEPTH], self.rng.uniform(*MINOR_DEPTH, MINOR_VALLEYS)])
        self.best_temperature, self.shift = self._bottom()

    def _wells(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Offsets from each valley's centre in widths, and each valley's depth there."""
        offsets = (t[..., None] - self.centres) / self.widths
        return offsets, self.depths * np.exp(-0.5 * offsets**2)

    def _curve(self, t: np.ndarray) -> np.ndarray:
        """The cost of one coordinate before the shift to a zero minimum."""
        return ((t - HOT) / HOT_SCALE) ** 2 - self._wells(t)[1].sum(axis=-1)

    def _slope(self, t: np.ndarray) -> np.ndarray:
        offsets, depths = self._wells(t)
        return 2.0 * (t - HOT) / HOT_SCALE**2 + (depths * offsets / self.widths).sum(axis=-1)

    def _bottom(self) -> tuple[float, float]:
        """Where the curve is lowest, and its cost there: a grid, then Newton on the slope."""
        grid = np.arange(self.lower, self.upper + GRID_STEP / 2, GRID_STEP)
        t = grid[np.argmin(self._curve(grid))]
        for _ in range(20):
            offsets, depths = self._wells(np.array(t))
            curvature = 2.0 / HOT_SCALE**2 + (depths * (1.0 - offsets**2) / self.widths**2).sum()
            t = float(np.clip(t - self._slope(np.array(t)) / curvature, self.lower, self.upper))
        return t, float(self._curve(np.array([t]))[0])

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.full(self.dim, self.best_temperature), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return (self._curve(X) - self.shift).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return self._slope(X)


@steep.hookimpl
def register_landscapes(register):
    register(Valleys)
