"""From what a user names to what a run needs: optimizer, evaluator and problem, looked up
in a registry."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from . import options as options_module
from .errors import UsageError
from .evaluator import Evaluator
from .guard import guarded
from .landscape import Landscape
from .optimizer import Optimizer
from .plugins import get_registry
from .problem import Problem
from .registry import Registry


def optimizer_class(optimizer: Any, registry: Registry) -> tuple[type[Optimizer], str]:
    """The class and name of ``optimizer``: a registered name, a class, or ``None`` for the
    registry's default."""
    if optimizer is None:
        entry = registry.default("optimizer")
        return entry.item, entry.name
    if isinstance(optimizer, str):
        return registry.optimizer(optimizer), optimizer
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        return optimizer, getattr(optimizer, "name", optimizer.__name__)
    raise UsageError(f"optimizer {optimizer!r} is neither a name nor a steep.Optimizer subclass")


def _option_names(cls: type) -> set[str]:
    return {field.name for field in attrs.fields(cls)}


def _evaluator_class(evaluator: Any, registry: Registry) -> type[Evaluator] | None:
    """The class of ``evaluator`` (a name, class or ``None`` for the default); ``None`` for an
    instance, which brings its options with it."""
    if evaluator is None:
        return registry.default("evaluator").item
    if isinstance(evaluator, str):
        return registry.evaluator(evaluator)
    if isinstance(evaluator, type) and issubclass(evaluator, Evaluator):
        return evaluator
    if isinstance(evaluator, Evaluator):
        return None
    raise UsageError(f"evaluator {evaluator!r} is neither a name nor a steep.Evaluator")


def _not_taken(evaluator: str, key: str, registry: Registry, cli: bool) -> UsageError:
    takers = [
        name
        for name in registry.names("evaluator")
        if key in _option_names(registry.evaluator(name).Options)
    ]
    use = (
        " or ".join(f"--evaluator {n}" if cli else f"evaluator={n!r}" for n in takers)
        if takers
        else "no installed evaluator takes it"
    )
    hint = f"; use {use}" if takers else f"; {use}"
    return UsageError(f"evaluator {evaluator!r} takes no option {key!r}{hint}")


def make_evaluator(
    evaluator: str | type[Evaluator] | Evaluator | None,
    values: Mapping[str, Any],
    registry: Registry,
    *,
    cli: bool = False,
) -> Evaluator | None:
    """The evaluator named (or given) with the options ``values``.

    A key the evaluator does not take is a :class:`UsageError` naming the evaluators that
    take it (as ``--evaluator NAME`` flags when ``cli``).
    """
    if isinstance(evaluator, Evaluator):
        if values:
            raise UsageError(
                f"options {', '.join(map(repr, values))} need an evaluator name, not an instance"
            )
        return evaluator
    if evaluator is None and not values:
        return None
    cls = _evaluator_class(evaluator, registry)
    assert cls is not None
    for key in values:
        if key not in _option_names(cls.Options):
            raise _not_taken(cls.name, key, registry, cli)
    return cls(options_module.build(cls.Options, values, owner=f"evaluator {cls.name!r}"))


def import_object(reference: str, what: str) -> Any:
    """The object named by ``"module:qualified.name"``."""
    module_name, _, qualname = reference.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        raise UsageError(f"cannot import the {what} {reference!r}: {error}") from None
    return found


def make_problem(
    objective: Any,
    bounds: Any = None,
    *,
    dim: int | None = None,
    vectorized: bool = False,
    instance: int = 0,
    registry: Registry | None = None,
) -> Problem:
    """The :class:`Problem` for a landscape (name, class or instance) or a function."""
    if isinstance(objective, str):
        objective = (registry or get_registry()).landscape(objective)
    if isinstance(instance, bool) or not isinstance(instance, (int, np.integer)) or instance < 0:
        raise UsageError(f"instance must be a non-negative integer, got {instance!r}")
    if isinstance(objective, type) and issubclass(objective, Landscape):
        with guarded(objective.name, "building the landscape"):
            objective = objective(dim=dim, seed=instance)
    if isinstance(objective, Landscape):
        if dim is not None and dim != objective.dim:
            raise UsageError(f"dim={dim} but the landscape instance has dim={objective.dim}")
        with guarded(getattr(objective, "name", None), "describing the landscape"):
            return Problem.from_landscape(objective, bounds)
    return Problem.from_function(objective, bounds, dim=dim, vectorized=vectorized)
