"""What one run minimizes: a landscape or a user's function, over a box."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from .errors import UsageError
from .landscape import Landscape, Minimum
from .space import Bounds


def _pointwise(function: Callable[[np.ndarray], Any]) -> Callable[[np.ndarray], np.ndarray]:
    """A batch function calling the pointwise ``function`` once per row."""

    def evaluate(points: np.ndarray) -> np.ndarray:
        costs = np.empty(len(points))
        for i, point in enumerate(points):
            costs[i] = function(point)
        return costs

    return evaluate


@attrs.frozen(eq=False)
class Problem:
    """A cost function over ``bounds``, evaluated a batch at a time.

    ``evaluate`` maps points of shape ``(n, d)`` to costs of shape ``(n,)``.
    """

    name: str
    bounds: Bounds
    evaluate: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray] | None = None
    minimum: Minimum | None = None
    landscape: Landscape | None = None

    @property
    def dim(self) -> int:
        return self.bounds.dim

    @classmethod
    def from_landscape(cls, landscape: Landscape, bounds: Any = None) -> Problem:
        """The problem of minimizing ``landscape`` over its own box, or over ``bounds``."""
        box = landscape.bounds if bounds is None else Bounds.parse(bounds, landscape.dim)
        minimum = landscape.minimum
        if minimum is not None and not box.contains(minimum.x.reshape(1, -1)):
            minimum = None
        return cls(
            name=landscape.name,
            bounds=box,
            evaluate=landscape.evaluate,
            gradient=landscape.gradient,
            minimum=minimum,
            landscape=landscape,
        )

    @classmethod
    def from_function(
        cls,
        function: Callable[..., Any],
        bounds: Any,
        *,
        dim: int | None = None,
        vectorized: bool = False,
    ) -> Problem:
        """The problem of minimizing a user's pointwise (or ``vectorized``) ``function``."""
        if not callable(function):
            raise UsageError(f"objective {function!r} is neither a landscape name nor callable")
        if bounds is None:
            raise UsageError("bounds are required when the objective is a function")
        name = getattr(function, "__qualname__", None) or type(function).__name__
        return cls(
            name=name,
            bounds=Bounds.parse(bounds, dim),
            evaluate=function if vectorized else _pointwise(function),
        )
