"""Typed search spaces: named real, log-scale, integer and categorical parameters over a box.

Optimizers keep one contract, a continuous box. A :class:`Space` maps each box point to the
user's typed values (``{"C": 3.2, "degree": 2, "kernel": "rbf"}``) and back: a real
parameter is one coordinate (its logarithm when ``log``), an integer one coordinate rounded
to the nearest integer, a choice one coordinate whose rounded value indexes the options.
Points that decode to the same values are one configuration, so a deterministic objective
need not be brewed twice for them (see :attr:`Space.key`).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from .errors import UsageError
from .space import Bounds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli, else JSON only
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None


def _finite(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(
            f"{type(instance).__name__}: {attribute.name} must be a finite number, got {value!r}"
        )


def _ordered(instance: Any) -> None:
    if not instance.low < instance.high:
        raise UsageError(
            f"{type(instance).__name__}: low {instance.low!r} must be below high {instance.high!r}"
        )
    if instance.log and instance.low <= 0:
        raise UsageError(f"{type(instance).__name__}: log=True needs low > 0, got {instance.low!r}")


@attrs.frozen
class Real:
    """A real parameter in ``[low, high]``; searched on a log scale when ``log``."""

    low: float = attrs.field(validator=_finite)
    high: float = attrs.field(validator=_finite)
    log: bool = False

    def __attrs_post_init__(self) -> None:
        _ordered(self)

    @property
    def interval(self) -> tuple[float, float]:
        return (math.log(self.low), math.log(self.high)) if self.log else (self.low, self.high)

    def decode(self, coordinate: float) -> float:
        value = math.exp(coordinate) if self.log else float(coordinate)
        return min(max(value, self.low), self.high)

    def cell(self, coordinate: float) -> tuple[float, float]:
        """Every coordinate is a value of its own: no cell to stay in."""
        return -math.inf, math.inf

    def encode(self, value: Any) -> float:
        return math.log(value) if self.log else float(value)


@attrs.frozen
class Integer:
    """An integer parameter in ``[low, high]`` (both included); log scale when ``log``."""

    low: int = attrs.field(validator=_finite)
    high: int = attrs.field(validator=_finite)
    log: bool = False

    def __attrs_post_init__(self) -> None:
        for name in ("low", "high"):
            if int(getattr(self, name)) != getattr(self, name):
                raise UsageError(f"Integer: {name} must be an integer, got {getattr(self, name)!r}")
        _ordered(self)

    @property
    def interval(self) -> tuple[float, float]:
        """Each integer owns a cell of width one around it (in log space when ``log``)."""
        low, high = self.low - 0.5, self.high + 0.5
        return (math.log(max(low, self.low / 2)), math.log(high)) if self.log else (low, high)

    def decode(self, coordinate: float) -> int:
        value = math.exp(coordinate) if self.log else coordinate
        return int(min(max(round(value), self.low), self.high))

    def cell(self, coordinate: float) -> tuple[float, float]:
        """The coordinates that decode to the same integer as ``coordinate``."""
        value = self.decode(coordinate)
        low, high = value - 0.5, value + 0.5
        if self.log:
            low, high = (math.log(low) if low > 0 else -math.inf), math.log(high)
        first, last = self.interval
        return max(low, first), min(high, last)

    def encode(self, value: Any) -> float:
        return math.log(value) if self.log else float(value)


@attrs.frozen
class Choice:
    """One of ``options`` (any values: strings, numbers, None), unordered."""

    options: tuple[Any, ...] = attrs.field(converter=tuple)
    log = False

    def __attrs_post_init__(self) -> None:
        if len(self.options) < 2:
            raise UsageError(f"Choice: needs at least two options, got {list(self.options)!r}")
        if len(set(map(repr, self.options))) != len(self.options):
            raise UsageError(f"Choice: options repeat: {list(self.options)!r}")

    @property
    def interval(self) -> tuple[float, float]:
        return -0.5, len(self.options) - 0.5

    def decode(self, coordinate: float) -> Any:
        return self.options[self._index(coordinate)]

    def cell(self, coordinate: float) -> tuple[float, float]:
        """The coordinates that decode to the same option as ``coordinate``."""
        index = self._index(coordinate)
        return index - 0.5, index + 0.5

    def _index(self, coordinate: float) -> int:
        return int(min(max(round(coordinate), 0), len(self.options) - 1))

    def encode(self, value: Any) -> float:
        for index, option in enumerate(self.options):
            if option == value:
                return float(index)
        raise UsageError(f"Choice: {value!r} is not one of {list(self.options)!r}")


Parameter = Real | Integer | Choice


@attrs.frozen(eq=False)
class Space:
    """Named parameters, in order; the box optimizers search is :attr:`bounds`."""

    parameters: Mapping[str, Parameter] = attrs.field(converter=dict)

    def __attrs_post_init__(self) -> None:
        if not self.parameters:
            raise UsageError("space: needs at least one parameter")
        for name, parameter in self.parameters.items():
            if not isinstance(name, str) or not name:
                raise UsageError(f"space: parameter names must be strings, got {name!r}")
            if not isinstance(parameter, (Real, Integer, Choice)):
                raise UsageError(
                    f"space: parameter {name!r} is {parameter!r}; expected steep.Real, "
                    "steep.Integer or steep.Choice"
                )

    @classmethod
    def parse(cls, spec: Any) -> Space:
        """A space from a ``Space`` or a mapping of names to parameters."""
        if isinstance(spec, Space):
            return spec
        if not isinstance(spec, Mapping):
            raise UsageError(f"space: expected a mapping of names to parameters, got {spec!r}")
        return cls(spec)

    @property
    def names(self) -> list[str]:
        return list(self.parameters)

    @property
    def bounds(self) -> Bounds:
        lower, upper = zip(*(p.interval for p in self.parameters.values()))
        return Bounds(lower, upper)

    @property
    def discrete(self) -> np.ndarray:
        """Which coordinates are integers or choices (for optimizers that care)."""
        return np.array([not isinstance(p, Real) for p in self.parameters.values()])

    @property
    def all_discrete(self) -> bool:
        return bool(self.discrete.all())

    def cells(self, point: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        """Per coordinate, the interval of box coordinates that decode to the same value as
        ``point``'s (infinite for reals): how far a method must step to change a value."""
        low, high = zip(*(p.cell(float(c)) for p, c in zip(self.parameters.values(), point)))
        return np.array(low), np.array(high)

    def decode(self, point: Sequence[float]) -> dict[str, Any]:
        """The typed values of the box point ``point``."""
        return {
            name: parameter.decode(float(value))
            for (name, parameter), value in zip(self.parameters.items(), point)
        }

    def encode(self, values: Mapping[str, Any]) -> np.ndarray:
        """The box point of ``values`` (the centre of its cell, for integers and choices)."""
        missing = [name for name in self.parameters if name not in values]
        if missing:
            raise UsageError(f"space: values lack {', '.join(map(repr, missing))}")
        return np.array([p.encode(values[name]) for name, p in self.parameters.items()])

    def key(self, point: Sequence[float]) -> tuple[Any, ...]:
        """What identifies the configuration of ``point``: equal keys, equal values."""
        return tuple(repr(value) for value in self.decode(point).values())

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The space as plain data (the form of a ``--space`` file and of journal headers)."""
        data = {}
        for name, parameter in self.parameters.items():
            kind = _KINDS[type(parameter)]
            fields = attrs.asdict(parameter)
            if "options" in fields:
                fields["options"] = list(fields["options"])
            data[name] = {"type": kind, **fields}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "space") -> Space:
        """The space ``data`` describes: ``{name: {"type": "real", "low": .., "high": ..,
        "log": false}, ...}`` (types ``real``, ``integer``, ``choice`` with ``options``)."""
        parameters = {}
        for name, fields in data.items():
            if not isinstance(fields, Mapping) or fields.get("type") not in _BY_KIND:
                raise UsageError(
                    f"{where}: parameter {name!r} needs a type of {', '.join(_BY_KIND)}, "
                    f"got {fields!r}"
                )
            fields = dict(fields)
            kind = _BY_KIND[fields.pop("type")]
            try:
                parameters[name] = kind(**fields)
            except TypeError as error:
                raise UsageError(f"{where}: parameter {name!r}: {error}") from None
        return cls(parameters)

    @classmethod
    def read(cls, path: str) -> Space:
        """The space in the TOML or JSON file ``path`` (one table per parameter)."""
        try:
            text = open(path, "rb").read()  # noqa: SIM115
        except OSError as error:
            raise UsageError(f"cannot read the space file {path!r}: {error.strerror}") from None
        try:
            if path.endswith(".json"):
                data = json.loads(text)
            elif tomllib is None:
                raise UsageError(f"space file {path!r}: reading TOML needs Python 3.11+ or tomli")
            else:
                data = tomllib.loads(text.decode())
        except (ValueError, UnicodeDecodeError) as error:
            raise UsageError(f"space file {path!r} is not valid: {error}") from None
        return cls.from_dict(data, where=f"space file {path!r}")

    def describe(self) -> list[str]:
        """One line per parameter, for people."""
        return [f"{name}: {parameter!r}" for name, parameter in self.parameters.items()]


_KINDS = {Real: "real", Integer: "integer", Choice: "choice"}
_BY_KIND = {kind: cls for cls, kind in _KINDS.items()}
