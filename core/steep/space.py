"""The box a run searches: lower and upper bounds per coordinate, or none at all."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import numpy as np

from .errors import UsageError


def _as_vector(value: Any, label: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"bounds: {label} bound {value!r} is not a number") from None
    if array.ndim != 1:
        raise UsageError(f"bounds: {label} bound must be a vector, got shape {array.shape}")
    return array


@attrs.frozen(eq=False)
class Bounds:
    """A box ``lower <= x <= upper``, one finite interval per coordinate."""

    lower: np.ndarray = attrs.field(converter=lambda v: _as_vector(v, "lower"))
    upper: np.ndarray = attrs.field(converter=lambda v: _as_vector(v, "upper"))
    #: Whether every coordinate has walls (False for :class:`OpenBounds`).
    finite: ClassVar[bool] = True

    def __attrs_post_init__(self) -> None:
        if self.lower.shape != self.upper.shape:
            raise UsageError(
                f"bounds: lower has {self.lower.size} coordinates but upper has {self.upper.size}"
            )
        if self.lower.size == 0:
            raise UsageError("bounds: need at least one coordinate, got none")
        for i, (low, high) in enumerate(zip(self.lower, self.upper)):
            if not (math.isfinite(low) and math.isfinite(high)):
                raise UsageError(f"bounds: coordinate {i} is ({low}, {high}); both must be finite")
            if not low < high:
                raise UsageError(f"bounds: coordinate {i} has low {low} >= high {high}")
            if not math.isfinite(float(high) - float(low)):
                raise UsageError(
                    f"bounds: coordinate {i} is ({low}, {high}), wider than a float can hold; "
                    "choose a narrower box (rescale the variable if it spans such a range)"
                )
        self.lower.flags.writeable = False
        self.upper.flags.writeable = False

    @property
    def dim(self) -> int:
        return self.lower.size

    @property
    def width(self) -> np.ndarray:
        return self.upper - self.lower

    @property
    def center(self) -> np.ndarray:
        return (self.lower + self.upper) / 2

    def reference(self) -> Bounds:
        """The finite box a method scales its steps by: this one (an open space's is around
        its start), so that a method written against it needs no walls."""
        return self

    def contains(self, points: np.ndarray) -> bool:
        """True when every row of ``points`` lies inside the box (NaN never does)."""
        return bool(((points >= self.lower) & (points <= self.upper)).all())

    def clip(self, points: np.ndarray) -> np.ndarray:
        return np.clip(points, self.lower, self.upper)

    def reflect(self, points: np.ndarray) -> np.ndarray:
        """``points`` folded back into the box by mirroring at the walls, from any distance;
        coordinates already inside are returned exactly as they are."""
        width = self.width
        offset = np.mod(points - self.lower, 2 * width)
        folded = self.clip(self.lower + np.minimum(offset, 2 * width - offset))
        return np.where((points >= self.lower) & (points <= self.upper), points, folded)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` points drawn uniformly from the box."""
        return self.lower + rng.random((n, self.dim)) * self.width

    def as_pairs(self) -> list[tuple[float, float]]:
        return [(float(lo), float(hi)) for lo, hi in zip(self.lower, self.upper)]

    @classmethod
    def around(cls, x0: Any, dim: int | None = None) -> OpenBounds:
        """No walls: the whole space, scaled to ``x0 ± max(|x0_i|, 1)`` per coordinate."""
        start = _as_vector(x0, "x0") if np.ndim(x0) else np.full(dim or 1, float(x0))
        if dim is not None and start.size != dim:
            raise UsageError(f"x0 has {start.size} coordinates but the dimension is {dim}")
        if start.size == 0 or not np.isfinite(start).all():
            raise UsageError(f"x0 {start.tolist()} must hold at least one finite number each")
        infinite = np.full(start.size, np.inf)
        return OpenBounds(-infinite, infinite, start, np.maximum(np.abs(start), 1.0))

    @classmethod
    def broadcast(cls, lower: Any, upper: Any, dim: int) -> Bounds:
        """Bounds of dimension ``dim`` from scalar (repeated) or per-coordinate limits."""
        return cls(np.broadcast_to(lower, (dim,)), np.broadcast_to(upper, (dim,)))

    @classmethod
    def parse(cls, spec: Any, dim: int | None = None) -> Bounds:
        """Bounds from what users write.

        Accepted: a ``Bounds``; a sequence of ``(low, high)`` pairs, one per coordinate;
        one ``(low, high)`` pair repeated over ``dim`` coordinates; or a string
        ``"low:high"`` (repeated) or ``"l1:h1,l2:h2"`` (per coordinate).
        """
        if isinstance(spec, Bounds):
            bounds = spec
        elif isinstance(spec, str):
            bounds = cls._parse_text(spec, dim)
        else:
            bounds = cls._parse_pairs(spec, dim)
        if dim is not None and bounds.dim != dim:
            raise UsageError(f"bounds: have {bounds.dim} coordinates but dimension is {dim}")
        return bounds

    @classmethod
    def _parse_pairs(cls, spec: Any, dim: int | None) -> Bounds:
        try:
            array = np.array(spec, dtype=np.float64)
        except (TypeError, ValueError):
            raise UsageError(
                f"bounds: {spec!r} is not a (low, high) pair or a list of pairs"
            ) from None
        if array.shape == (2,):
            return cls.broadcast(array[0], array[1], dim or 1)
        if array.ndim == 2 and array.shape[1] == 2:
            return cls(array[:, 0], array[:, 1])
        raise UsageError(
            f"bounds: expected a (low, high) pair or a list of pairs, got shape {array.shape}"
        )

    @classmethod
    def _parse_text(cls, text: str, dim: int | None) -> Bounds:
        pairs: list[Sequence[float]] = []
        for part in text.split(","):
            low, sep, high = part.partition(":")
            if not sep:
                raise UsageError(f"bounds: {part!r} is not of the form LOW:HIGH")
            try:
                pairs.append((float(low), float(high)))
            except ValueError:
                raise UsageError(f"bounds: {part!r} is not of the form LOW:HIGH") from None
        if len(pairs) == 1:
            return cls.broadcast(pairs[0][0], pairs[0][1], dim or 1)
        return cls._parse_pairs(pairs, dim)


@attrs.frozen(eq=False)
class OpenBounds(Bounds):
    """No walls, for methods that need none (``Optimizer.needs_box = False``): every
    coordinate ranges over the reals. The reference box ``around ± spread`` sets the scale
    of their steps; fresh starts are drawn around ``around`` (normal, deviation ``spread``)."""

    around: np.ndarray = attrs.field(converter=lambda v: _as_vector(v, "x0"))
    spread: np.ndarray = attrs.field(converter=lambda v: _as_vector(v, "spread"))
    finite: ClassVar[bool] = False

    def __attrs_post_init__(self) -> None:
        self.around.flags.writeable = False
        self.spread.flags.writeable = False

    @property
    def center(self) -> np.ndarray:
        """The start the space was opened around (the infinite walls have no middle)."""
        return self.around

    def reference(self) -> Bounds:
        """The box ``around ± spread``: the scale of steps, never a wall."""
        return Bounds(self.around - self.spread, self.around + self.spread)

    def reflect(self, points: np.ndarray) -> np.ndarray:
        """``points`` as they are: there are no walls to fold them back from."""
        return points

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` points drawn around the start, normal with deviation ``spread``."""
        return self.around + self.spread * rng.standard_normal((n, self.dim))
