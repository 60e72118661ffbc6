"""Landscapes: vectorized cost functions over a box, with what is known about them."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np

from .errors import UsageError
from .space import Bounds


@attrs.frozen(eq=False)
class Minimum:
    """A known global minimum: the point ``x`` and its cost ``fun``."""

    x: np.ndarray = attrs.field(converter=lambda v: np.array(v, dtype=np.float64).reshape(-1))
    fun: float = attrs.field(converter=float)


class Landscape:
    """Base class of landscapes.

    Subclass it, set the class attributes and implement :meth:`evaluate`::

        class Bowl(Landscape):
            name = "bowl"
            story = "A smooth single valley ..."
            tags = frozenset({"smooth", "unimodal"})
            lower, upper = 0.0, 100.0

            def evaluate(self, X):
                return ((X - 65.0) ** 2).sum(axis=1)

    Instances are built as ``Bowl(dim=3, seed=0)``; ``seed`` (default 0, the instance
    ``steep run --instance`` selects) places whatever the landscape draws at random (use
    :attr:`rng`), so every instance is reproducible.
    """

    name: ClassVar[str]
    #: One paragraph: what the terrain models and why optimizers find it easy or hard.
    story: ClassVar[str]
    #: Words from :data:`steep.tags.KNOWN_TAGS` (others allowed) describing the terrain.
    tags: ClassVar[frozenset[str]] = frozenset()
    #: The only dimension this landscape takes, or ``None`` for any.
    fixed_dim: ClassVar[int | None] = None
    #: Dimension used when none is asked for.
    default_dim: ClassVar[int] = 1
    #: The box, as scalars (same for every coordinate) or per-coordinate sequences.
    lower: ClassVar[Any] = -5.0
    upper: ClassVar[Any] = 5.0
    #: Unit of a coordinate, for axis labels (e.g. "°C").
    unit: ClassVar[str] = ""

    def __init__(self, dim: int | None = None, seed: int | None = 0) -> None:
        self.dim = self.check_dim(dim)
        self.seed = seed
        self.rng = np.random.default_rng(seed)

    @classmethod
    def check_dim(cls, dim: int | None) -> int:
        """``dim`` if this landscape takes it (default when ``None``), else :class:`UsageError`.

        Override it (calling this first) for a landscape that exists only in some
        dimensions; races, the kit and ``steep show`` ask it."""
        if dim is None:
            return cls.fixed_dim or cls.default_dim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
            raise UsageError(
                f"landscape {cls.name!r}: dimension must be a positive integer, got {dim!r}"
            )
        if cls.fixed_dim is not None and dim != cls.fixed_dim:
            raise UsageError(
                f"landscape {cls.name!r} is {cls.fixed_dim}-dimensional only, cannot take dim={dim}"
            )
        return int(dim)

    @classmethod
    def takes(cls, dim: int) -> bool:
        """Whether this landscape exists in dimension ``dim`` (as :meth:`check_dim` decides)."""
        try:
            cls.check_dim(dim)
        except UsageError:
            return False
        return True

    @property
    def bounds(self) -> Bounds:
        return Bounds.broadcast(self.lower, self.upper, self.dim)

    @property
    def minimum(self) -> Minimum | None:
        """The exact global minimum in this dimension, or ``None`` where it is unknown."""
        return None

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        """Costs of the rows of ``X``, shape ``(n, dim)``, as an array of shape ``(n,)``."""
        raise NotImplementedError

    #: Optional analytic slope: a method ``gradient(X) -> (n, dim)``, or ``None``.
    gradient: Any = None

    def __call__(self, x: Any) -> float:
        """The cost of a single point, for people and pointwise code."""
        return float(self.evaluate(np.asarray(x, dtype=np.float64).reshape(1, self.dim))[0])

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim}, seed={self.seed})"
