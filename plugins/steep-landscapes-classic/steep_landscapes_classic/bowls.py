"""Single valleys: the sphere, the ill-conditioned ellipsoid and Rosenbrock's curved valley."""

from __future__ import annotations

import numpy as np
import steep

VLSE = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano)"
BBOB = "Hansen, Finck, Ros & Auger 2009, BBOB noiseless function definitions, INRIA RR-6829"

#: Ratio of the steepest to the flattest curvature of the ellipsoid, as in BBOB's f2.
ELLIPSOID_CONDITION = 1e6


class Sphere(steep.Landscape):
    name = "sphere"
    reference = f"De Jong 1975, function F1; bounds from {VLSE}"
    story = (
        "The sum of squares, f(x) = Σ x_i², the bowl every optimizer should win on: one "
        "round valley, the slope always points straight at the bottom (0 at the origin), and "
        "every coordinate can be fixed on its own. It measures nothing but an optimizer's "
        "raw speed and overhead; failing here means the method is broken. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "unimodal", "separable"})
    lower, upper = -5.12, 5.12
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.zeros(self.dim), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return np.einsum("ij,ij->i", X, X)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * X


def ellipsoid_weights(dim: int) -> np.ndarray:
    """Curvature weights 10^(6 i/(d-1)), from 1 to 10⁶ (just 1 in one dimension)."""
    return ELLIPSOID_CONDITION ** (np.arange(dim) / max(dim - 1, 1))


class Ellipsoid(steep.Landscape):
    name = "ellipsoid"
    reference = f"BBOB f2 (separable ellipsoid) without its shift and oscillation; {BBOB}"
    story = (
        "An axis-parallel ellipsoid, f(x) = Σ 10^(6(i-1)/(d-1)) x_i²: still one smooth "
        "valley with its bottom at the origin, but a million times steeper along the last "
        "axis than along the first. A step small enough not to overshoot across the steep "
        "axis crawls along the flat one, so plain gradient descent zig-zags and stalls; "
        "methods that learn the scaling (quasi-Newton, CMA-ES) or move one coordinate at a "
        "time do well. In one dimension it is the sphere. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "unimodal", "ill-conditioned", "separable"})
    lower, upper = -5.0, 5.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.zeros(self.dim), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return (X**2) @ ellipsoid_weights(X.shape[1])

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * X * ellipsoid_weights(X.shape[1])


class Rosenbrock(steep.Landscape):
    name = "rosenbrock"
    reference = f"Rosenbrock 1960, The Computer Journal 3(3):175-184; bounds from {VLSE}"
    story = (
        "Rosenbrock's banana, f(x) = Σ 100(x_{i+1} - x_i²)² + (1 - x_i)²: a narrow, curved "
        "valley along the parabola x_{i+1} = x_i², easy to fall into and long to follow to "
        "the bottom at (1, ..., 1), where f = 0. Across the valley the walls are steep, "
        "along it the floor is nearly flat and bends, so the slope points at the wall "
        "rather than down the valley: gradient steps zig-zag, and only methods that adapt "
        "to the changing curvature run along it. From 4 dimensions on it also has a local "
        "minimum with x_1 near -1 and a cost near 4, so it is unimodal only in 2 and 3 "
        "dimensions. In one dimension only the (1 - x)² term remains. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "ill-conditioned"})
    lower, upper = -5.0, 10.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.ones(self.dim), 0.0)

    @staticmethod
    def _anchored(X: np.ndarray) -> np.ndarray:
        """The coordinates with a (1 - x_i)² term: all but the last (the only one in 1-D)."""
        return X[:, : max(X.shape[1] - 1, 1)]

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        valley = X[:, 1:] - X[:, :-1] ** 2
        return 100.0 * (valley**2).sum(axis=1) + ((1.0 - self._anchored(X)) ** 2).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        valley = X[:, 1:] - X[:, :-1] ** 2
        slope = np.zeros_like(X)
        slope[:, :-1] -= 400.0 * X[:, :-1] * valley
        slope[:, 1:] += 200.0 * valley
        anchored = self._anchored(X)
        slope[:, : anchored.shape[1]] -= 2.0 * (1.0 - anchored)
        return slope
