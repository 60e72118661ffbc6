"""From what a user names to what a run needs: optimizer, evaluator and problem, looked up
in a registry."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
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
from .spaces import Space


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


def _import_module(name: str) -> Any:
    """The module ``name``; one not importable otherwise is looked for in the current folder."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        here = os.getcwd()
        missing = (error.name or "").partition(".")[0]
        if missing != name.partition(".")[0] or here in sys.path or "" in sys.path:
            raise  # found but broken inside, or the current folder was searched already
    sys.path.insert(0, here)
    try:
        return importlib.import_module(name)
    except BaseException:
        with contextlib.suppress(ValueError):
            sys.path.remove(here)
        raise


def import_object(reference: str, what: str) -> Any:
    """The object named by ``"module:qualified.name"`` (``what`` names it in errors).

    The module is imported as usual; one that is not importable so is looked for in the
    current working directory, which is put first on ``sys.path`` for that import alone, as
    ``python -m``, pytest and uvicorn do: ``steep run --objective mymodel:loss`` finds
    ``mymodel.py`` in the folder it is run from. The folder then stays on ``sys.path``, so
    worker processes started later (``--evaluator processes``) import the module too. A
    name that cannot be imported or found is a :class:`steep.UsageError`.
    """
    module_name, _, qualname = reference.partition(":")
    if not module_name or not qualname:
        raise UsageError(f"the {what} {reference!r} is not of the form module:name")
    try:
        found: Any = _import_module(module_name)
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
    jac: Any = None,
    space: Space | None = None,
    x0: Any = None,
) -> Problem:
    """The :class:`Problem` for a landscape (name, class or instance) or a function (with
    its gradient ``jac``, over ``bounds``, a typed ``space``, or no walls around ``x0``)."""
    if isinstance(objective, str):
        objective = (registry or get_registry()).landscape(objective)
    if isinstance(instance, bool) or not isinstance(instance, (int, np.integer)) or instance < 0:
        raise UsageError(f"instance must be a non-negative integer, got {instance!r}")
    if isinstance(objective, type) and issubclass(objective, Landscape):
        with guarded(objective.name, "building the landscape"):
            objective = objective(dim=dim, seed=instance)
    if isinstance(objective, Landscape):
        if jac is not None or space is not None:
            raise UsageError(
                "jac and space are for a function of your own; a landscape brings its own "
                "gradient and box"
            )
        if dim is not None and dim != objective.dim:
            raise UsageError(f"dim={dim} but the landscape instance has dim={objective.dim}")
        with guarded(getattr(objective, "name", None), "describing the landscape"):
            return Problem.from_landscape(objective, bounds)
    return Problem.from_function(
        objective, bounds, dim=dim, vectorized=vectorized, jac=jac, space=space, x0=x0
    )
