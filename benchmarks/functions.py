"""Test functions shared by the benchmarks, written once so steep and the reference
libraries evaluate exactly the same thing. Each takes points of shape (n, d) and returns
costs of shape (n,); ``pointwise(f)`` adapts one to ``f(x) -> float`` for scipy and pycma.
Global minimum 0 for all of them."""

from __future__ import annotations

import numpy as np
from steep.testing import rastrigin, rosenbrock

__all__ = ["BOUNDS", "ackley", "ellipsoid", "pointwise", "rastrigin", "rosenbrock", "sphere"]


def sphere(X: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", X, X)


def ellipsoid(X: np.ndarray) -> np.ndarray:
    """Axis-parallel ellipsoid, condition number 1e6 (as in COCO's f2)."""
    d = X.shape[1]
    weights = 10.0 ** (6.0 * np.arange(d) / max(d - 1, 1))
    return (weights * X**2).sum(axis=1)


def ackley(X: np.ndarray) -> np.ndarray:
    d = X.shape[1]
    first = -20.0 * np.exp(-0.2 * np.sqrt((X**2).sum(axis=1) / d))
    second = -np.exp(np.cos(2 * np.pi * X).sum(axis=1) / d)
    return np.maximum(first + second + 20.0 + np.e, 0.0)


#: Bounds used in the literature, per coordinate.
BOUNDS = {
    sphere: (-5.0, 5.0),
    ellipsoid: (-5.0, 5.0),
    rosenbrock: (-5.0, 10.0),
    rastrigin: (-5.12, 5.12),
    ackley: (-32.768, 32.768),
}


def pointwise(function):
    """``function`` as ``f(x) -> float`` for libraries that evaluate one point at a time."""

    def single(x):
        return float(function(np.asarray(x, dtype=float).reshape(1, -1))[0])

    return single
