"""Configured variants of an optimizer in a race: ``bfgs/restarts=9`` or ``cma-es/popsize=20``
races beside plain ``bfgs`` and ``cma-es`` under its own label, in tables and pictures."""

from __future__ import annotations

from typing import Any

import attrs

from steep import UsageError
from steep.options import as_dict, build
from steep.registry import Registry

#: Separates an optimizer's name from its settings, and one setting from the next.
SEPARATOR = "/"


@attrs.frozen
class Variant:
    """An optimizer as raced: its registered ``name``, typed ``options`` and ``restarts``."""

    label: str
    name: str
    options: dict[str, Any] = attrs.field(factory=dict)
    restarts: int = 0


def parse_variant(label: str, registry: Registry) -> Variant:
    """The variant ``label`` describes: ``NAME`` or ``NAME/KEY=VALUE/...``; ``restarts=N``
    is the run's, any other key an option of the optimizer (checked against its type)."""
    name, *settings = (part.strip() for part in label.split(SEPARATOR))
    cls = registry.optimizer(name)
    values, restarts = {}, 0
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key:
            raise UsageError(
                f"--optimizers: {setting!r} in {label!r} is not KEY=VALUE (write NAME/KEY=VALUE)"
            )
        if key == "restarts":
            try:
                restarts = int(value)
            except ValueError:
                raise UsageError(
                    f"--optimizers: {label!r}: restarts={value!r} is no integer"
                ) from None
            if restarts < 0:
                raise UsageError(f"--optimizers: {label!r}: restarts must be >= 0")
        else:
            values[key.replace("-", "_")] = value
    built = build(cls.Options, values, from_text=True, owner=f"--optimizers {label!r}")
    return Variant(label, name, {key: getattr(built, key) for key in values}, restarts)


def variant_options(variant: Variant, registry: Registry) -> dict[str, Any]:
    """Every option the variant races with, defaults included, and its restarts."""
    options = as_dict(build(registry.optimizer(variant.name).Options, variant.options))
    return {**options, **({"restarts": variant.restarts} if variant.restarts else {})}
