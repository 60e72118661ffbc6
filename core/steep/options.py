"""Options of optimizers: attrs classes whose fields carry a one-line doc.

A plugin declares its options as an attrs class, each field made with :func:`option`::

    @attrs.frozen
    class Options:
        popsize: int = option(20, "points asked per generation", check=attrs.validators.gt(0))

The core builds it from Python values or from ``key=value`` text, checking each value's
type against the annotation first, so plugins only check ranges.
"""

from __future__ import annotations

import difflib
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np

from .errors import UsageError


def option(default: Any, doc: str, *, check: Any = None, allow_infinite: bool = False) -> Any:
    """An options field with a default, a one-line doc and an optional attrs validator.

    A number given to it must be finite unless ``allow_infinite`` (an ``inf`` or ``nan`` slips
    past checks such as ``gt(0)`` and then poisons the arithmetic)."""
    metadata = {"doc": doc, "allow_infinite": allow_infinite}
    return attrs.field(default=default, validator=check, metadata=metadata)


@attrs.frozen
class NoOptions:
    """Options of an optimizer that has none."""


@attrs.frozen
class OptionInfo:
    """One option as ``steep show`` describes it."""

    name: str
    type: str
    default: Any
    doc: str


def _annotation(cls: type, name: str) -> Any:
    return typing.get_type_hints(cls).get(name, Any)


def _type_label(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return " | ".join(repr(c) for c in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_label(a) for a in typing.get_args(annotation))
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def describe(cls: type) -> list[OptionInfo]:
    """The options of ``cls`` with their types, defaults and docs."""
    return [
        OptionInfo(
            name=field.name,
            type=_type_label(_annotation(cls, field.name)),
            default=field.default,
            doc=field.metadata.get("doc", ""),
        )
        for field in attrs.fields(cls)
    ]


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _coerce(value: Any, annotation: Any, from_text: bool) -> Any:
    """``value`` as ``annotation`` says, or raise ``ValueError`` saying what was expected."""
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return value
    if origin is Literal:
        choices = typing.get_args(annotation)
        if value in choices:
            return value
        raise ValueError(f"expected one of {', '.join(repr(c) for c in choices)}")
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        if type(None) in members and (value is None or (from_text and value.lower() == "none")):
            return None
        for member in members:
            if member is type(None):
                continue
            try:
                return _coerce(value, member, from_text)
            except ValueError:
                pass
        raise ValueError(f"expected {_type_label(annotation)}")
    if annotation is bool:
        if isinstance(value, bool):
            return value
        if from_text and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise ValueError("expected true or false")
    if annotation is int:
        if from_text:
            try:
                return int(value)
            except ValueError:
                raise ValueError("expected an integer") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("expected an integer")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("expected an integer")
        return int(value)
    if annotation is float:
        if from_text:
            try:
                number = float(value)
            except ValueError:
                raise ValueError("expected a number") from None
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("expected a number")
        else:
            number = float(value)
        if math.isnan(number):
            raise ValueError("expected a number, not NaN")
        return number
    if annotation is str:
        if isinstance(value, str):
            return value
        raise ValueError("expected a string")
    if from_text:
        raise ValueError(f"cannot be given as text (type {_type_label(annotation)})")
    return value


def build(cls: type, values: Mapping[str, Any], *, from_text: bool = False, owner: str = "") -> Any:
    """An instance of the options class ``cls`` from ``values``.

    With ``from_text`` the values are strings from the command line, parsed by the
    field's type. Raises :class:`UsageError` naming the option, the value and what is allowed.
    """
    where = f"{owner}: " if owner else ""
    fields = {field.name: field for field in attrs.fields(cls)}
    coerced = {}
    for name, value in values.items():
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join(fields) or "none"
            raise UsageError(f"{where}unknown option {name!r}{hint} (options: {known})")
        try:
            coerced[name] = _coerce(value, _annotation(cls, name), from_text)
        except ValueError as error:
            raise UsageError(f"{where}option {name}={value!r}: {error}") from None
        number = coerced[name]
        finite_only = not fields[name].metadata.get("allow_infinite", False)
        if finite_only and isinstance(number, (float, np.floating)) and not math.isfinite(number):
            raise UsageError(f"{where}option {name}={value!r}: must be a finite number")
    try:
        return cls(**coerced)
    except (TypeError, ValueError) as error:
        raise UsageError(f"{where}invalid option: {error}") from None


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` as ``{"a": "1", "b": "x"}``; raises :class:`UsageError` otherwise."""
    values = {}
    for text in assignments:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"option {text!r} is not of the form key=value")
        values[name.strip().replace("-", "_")] = value.strip()
    return values


def as_dict(options: Any) -> dict[str, Any]:
    return attrs.asdict(options, recurse=False)
