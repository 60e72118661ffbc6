"""The Python API: ``minimize``, and what is installed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from . import options as options_module
from .errors import UsageError
from .evaluator import Evaluator
from .landscape import Landscape, Minimum
from .optimizer import Optimizer
from .options import OptionInfo
from .plugins import get_registry
from .problem import Problem
from .registry import Registry
from .result import Result
from .run import Budget, Run
from .space import Bounds

#: Evaluations per dimension when no budget is given.
DEFAULT_BUDGET_PER_DIM = 1000


def _optimizer_class(optimizer: Any, registry: Registry) -> tuple[type[Optimizer], str]:
    if optimizer is None:
        entry = registry.default("optimizer")
        return entry.item, entry.name
    if isinstance(optimizer, str):
        return registry.optimizer(optimizer), optimizer
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        return optimizer, getattr(optimizer, "name", optimizer.__name__)
    raise UsageError(f"optimizer {optimizer!r} is neither a name nor a steep.Optimizer subclass")


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
    if isinstance(objective, type) and issubclass(objective, Landscape):
        objective = objective(dim=dim, seed=instance)
    if isinstance(objective, Landscape):
        if dim is not None and dim != objective.dim:
            raise UsageError(f"dim={dim} but the landscape instance has dim={objective.dim}")
        return Problem.from_landscape(objective, bounds)
    return Problem.from_function(objective, bounds, dim=dim, vectorized=vectorized)


def minimize(
    objective: str | Callable[..., Any] | Landscape | type[Landscape] | None = None,
    bounds: Any = None,
    *,
    optimizer: str | type[Optimizer] | None = None,
    budget: int | None = None,
    seed: int | None = None,
    x0: Any = None,
    target: float | None = None,
    dim: int | None = None,
    vectorized: bool = False,
    max_time: float | None = None,
    instance: int = 0,
    evaluator: str | Evaluator | None = None,
    **options: Any,
) -> Result:
    """Minimize ``objective`` and return a :class:`Result`.

    ``objective`` is a landscape name (default: the installed default landscape), a
    :class:`Landscape`, or a function ``f(x) -> float`` (``f(X) -> (n,)`` with
    ``vectorized=True``) searched over ``bounds``: ``[(low, high), ...]``, or one pair
    repeated over ``dim`` coordinates. ``optimizer`` is a name or an :class:`Optimizer`
    subclass; ``**options`` are its options. The run stops after ``budget`` evaluations
    (default ``1000 * dim``), ``max_time`` seconds, or when the cost reaches ``target``.
    Without ``x0`` the start is drawn from ``seed``; ``instance`` seeds a landscape's own
    random placement.
    """
    registry = get_registry()
    if objective is None:
        objective = registry.default("landscape").item
    problem = make_problem(
        objective, bounds, dim=dim, vectorized=vectorized, instance=instance, registry=registry
    )
    optimizer_class, name = _optimizer_class(optimizer, registry)
    built_options = options_module.build(optimizer_class.Options, options, owner=name)
    if budget is None:
        budget = DEFAULT_BUDGET_PER_DIM * problem.dim
    if isinstance(evaluator, str):
        evaluator = registry.evaluator(evaluator)()
    run = Run(
        problem,
        optimizer_class,
        built_options,
        budget=Budget(budget, max_time, target),
        seed=seed,
        x0=x0,
        evaluator=evaluator,
        hook=registry.hook,
        optimizer_name=name,
    )
    return run.execute()


@attrs.frozen
class OptimizerInfo:
    """An installed optimizer: its name, summary, plugin and options."""

    name: str
    summary: str
    plugin: str
    parallelism: str
    options: list[OptionInfo]
    is_default: bool


@attrs.frozen(eq=False)
class LandscapeInfo:
    """An installed landscape, described in its default dimension."""

    name: str
    story: str
    tags: frozenset[str]
    plugin: str
    fixed_dim: int | None
    default_dim: int
    bounds: Bounds
    minimum: Minimum | None
    unit: str
    is_default: bool


def optimizers(registry: Registry | None = None) -> list[OptimizerInfo]:
    """The installed optimizers, by name, with descriptions and option defaults."""
    registry = registry or get_registry()
    return [
        OptimizerInfo(
            name=entry.name,
            summary=entry.item.summary(),
            plugin=entry.plugin,
            parallelism=entry.item.parallelism,
            options=options_module.describe(entry.item.Options),
            is_default=entry.default,
        )
        for entry in (registry.get("optimizer", n) for n in registry.names("optimizer"))
    ]


def landscapes(registry: Registry | None = None) -> list[LandscapeInfo]:
    """The installed landscapes, by name, with stories, tags, bounds and minima."""
    registry = registry or get_registry()
    infos = []
    for name in registry.names("landscape"):
        entry = registry.get("landscape", name)
        landscape = entry.item()
        infos.append(
            LandscapeInfo(
                name=name,
                story=" ".join(entry.item.story.split()),
                tags=frozenset(entry.item.tags),
                plugin=entry.plugin,
                fixed_dim=entry.item.fixed_dim,
                default_dim=landscape.dim,
                bounds=landscape.bounds,
                minimum=landscape.minimum,
                unit=entry.item.unit,
                is_default=entry.default,
            )
        )
    return infos
