"""Two-dimensional classics: Himmelblau's four equal minima and Easom's needle."""

from __future__ import annotations

import numpy as np
import steep

from .bowls import VLSE

JAMIL_YANG = (
    "Jamil & Yang 2013, A literature survey of benchmark functions for global "
    "optimization problems, Int. J. Math. Model. Numer. Optim. 4(2):150-194"
)


class Himmelblau(steep.Landscape):
    name = "himmelblau"
    reference = f"Himmelblau 1972, Applied Nonlinear Programming; bounds from {JAMIL_YANG}"
    story = (
        "Himmelblau's function, f(x, y) = (x² + y - 11)² + (x + y² - 7)²: four valleys of "
        "exactly equal depth 0, at (3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186) and "
        "(3.584428, -1.848126), around a hump at (-0.270845, -0.923039). Every method finds "
        "a global minimum here, but which one depends on where it starts: it tests whether "
        "an optimizer can be judged by the cost it reaches rather than the point, and "
        "whether a population keeps several answers. (3, 2) is stated as the minimum. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal"})
    lower, upper = -5.0, 5.0
    fixed_dim = default_dim = 2
    #: The three other global minima (cost 0), to double precision.
    other_minima = (
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.2831859912861696),
        (3.5844283403304917, -1.8481265269644036),
    )

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum([3.0, 2.0], 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        first, second = self._residuals(X)
        return first**2 + second**2

    def gradient(self, X: np.ndarray) -> np.ndarray:
        first, second = self._residuals(X)
        x, y = X[:, 0], X[:, 1]
        return np.stack([4.0 * x * first + 2.0 * second, 2.0 * first + 4.0 * y * second], axis=1)

    @staticmethod
    def _residuals(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = X[:, 0], X[:, 1]
        return x**2 + y - 11.0, x + y**2 - 7.0


class Easom(steep.Landscape):
    name = "easom"
    reference = f"Easom 1990, A survey of global optimization techniques; {VLSE}"
    story = (
        "Easom's function, f(x, y) = -cos x cos y exp(-((x - π)² + (y - π)²)): a flat plain, "
        "0 to many decimals over almost all of [-100, 100]², with one narrow hole of depth -1 "
        "at (π, π), a few units wide. Away from the hole the slope is zero in floating "
        "point, so gradients and comparisons say nothing and only a lucky or systematic "
        "sample finds the hole; once inside, any descent reaches the bottom. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "plateau"})
    lower, upper = -100.0, 100.0
    fixed_dim = default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum([np.pi, np.pi], -1.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return -np.cos(X).prod(axis=1) * self._hole(X)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        cosines = np.cos(X)
        partner = cosines[:, ::-1]
        hole = self._hole(X)[:, None]
        return hole * partner * (np.sin(X) + 2.0 * (X - np.pi) * cosines)

    @staticmethod
    def _hole(X: np.ndarray) -> np.ndarray:
        return np.exp(-((X - np.pi) ** 2).sum(axis=1))
