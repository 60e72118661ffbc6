"""What a saved race's files must hold, checked value by value against the types of the
race's classes, so that a damaged or hand-edited file is named with what is wrong in it."""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import attrs


class Invalid(ValueError):
    """A value read from a file is not what was expected; the message says where and why."""


_NAMES = {int: "an integer", float: "a number", str: "text", bool: "true or false"}


def _shown(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _wrong(value: Any, expected: str, where: str) -> Invalid:
    return Invalid(f"{where}: expected {expected}, got {_shown(value)}")


def conform(value: Any, kind: Any, where: str) -> Any:
    """``value`` (decoded JSON) as ``kind``: a plain type, ``X | None``, ``tuple[X, ...]``,
    ``dict[str, X]``, ``Any`` or an attrs class (from an object with its fields); lists
    become tuples and integers numbers where those are expected. :class:`Invalid` if not."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return value
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        if value is None:
            raise _wrong(value, _describe(inner), where)
        return conform(value, inner, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise _wrong(value, "a list", where)
        item = typing.get_args(kind)[0]
        return tuple(conform(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong(value, "an object", where)
        item = typing.get_args(kind)[1]
        return {k: conform(v, item, f"{where}.{k}") for k, v in value.items()}
    if attrs.has(kind):
        return _instance(value, kind, where)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind in (str, bool) and isinstance(value, kind):
        return value
    raise _wrong(value, _describe(kind), where)


def _describe(kind: Any) -> str:
    if typing.get_origin(kind) is tuple:
        return "a list"
    if typing.get_origin(kind) is dict or attrs.has(kind):
        return "an object"
    return _NAMES.get(kind, str(kind))


def _instance(value: Any, cls: type, where: str) -> Any:
    if not isinstance(value, dict):
        raise _wrong(value, "an object", where)
    fields = attrs.fields(attrs.resolve_types(cls))
    names = {f.name for f in fields}
    unknown = sorted(set(value) - names)
    if unknown:
        raise Invalid(f"{where}: unexpected key {unknown[0]!r}")
    given = {}
    for field in fields:
        if field.name in value:
            given[field.name] = conform(value[field.name], field.type, f"{where}.{field.name}")
        elif field.default is attrs.NOTHING:
            raise Invalid(f"{where}: missing {field.name!r}")
    return cls(**given)


def fields_of(document: Any, expected: dict[str, Any], where: str) -> dict[str, Any]:
    """The keys of ``document`` (an object) named in ``expected`` (name -> type; a name
    ending in ``?`` may be missing), each conformed to its type."""
    if not isinstance(document, dict):
        raise _wrong(document, "an object", where.removesuffix(".") or "the whole file")
    found = {}
    for name, kind in expected.items():
        key = name.rstrip("?")
        if key in document:
            found[key] = conform(document[key], kind, f"{where}{key}")
        elif not name.endswith("?"):
            raise Invalid(f"{where}missing {key!r}")
    return found
