"""The Python API: ``minimize``, and what is installed."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import inspect
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import __version__
from . import options as options_module
from .errors import UsageError
from .evaluator import Evaluator
from .journal import Chunk, JournalWriter, read_journal
from .landscape import Landscape, Minimum
from .optimizer import Optimizer
from .options import OptionInfo
from .plugins import get_registry
from .problem import Problem, function_reference
from .registry import Registry
from .result import Result
from .run import Budget, Run, draw_seed
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


def _split_options(
    options: Mapping[str, Any],
    optimizer: type[Optimizer],
    name: str,
    evaluator: Any,
    registry: Registry,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``options`` as (the evaluator's, the optimizer's): a key goes to the evaluator when it
    is a field of the chosen evaluator's ``Options``."""
    cls = _evaluator_class(evaluator, registry)
    if cls is None:
        return {}, dict(options)
    taken, own = _option_names(cls.Options), _option_names(optimizer.Options)
    anywhere = set().union(
        *(_option_names(registry.evaluator(n).Options) for n in registry.names("evaluator"))
    )
    for key in options:
        if key in taken and key in own:
            raise UsageError(
                f"option {key!r} is an option of both optimizer {name!r} and evaluator "
                f"{cls.name!r}; pass the evaluator built with its options, "
                f"evaluator={cls.__name__}({cls.__name__}.Options(...))"
            )
        if key not in taken and key not in own and key in anywhere:
            raise _not_taken(cls.name, key, registry, cli=False)
    return (
        {k: v for k, v in options.items() if k in taken},
        {k: v for k, v in options.items() if k not in taken},
    )


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
    max_failures: int | None = 50,
    instance: int = 0,
    evaluator: str | type[Evaluator] | Evaluator | None = None,
    journal: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Result:
    """Minimize ``objective`` and return a :class:`Result`.

    ``objective`` is a landscape name (default: the installed default landscape), a
    :class:`Landscape`, or a function ``f(x) -> float`` (``f(X) -> (n,)`` with
    ``vectorized=True``) searched over ``bounds``: ``[(low, high), ...]``, or one pair
    repeated over ``dim`` coordinates. ``optimizer`` is a name or an :class:`Optimizer`
    subclass; ``**options`` are its options, and those of the ``evaluator`` (a name such as
    ``"processes"``, a class or an instance; default ``serial``), e.g. ``workers=4``. The run
    stops after ``budget`` evaluations (default ``1000 * dim``), ``max_time`` seconds, when
    the cost reaches ``target``, or after ``max_failures`` failed evaluations in a row
    (``None``: never). Without ``x0`` the start is drawn from ``seed``; ``instance`` seeds a
    landscape's own random placement.
    With ``journal``, every evaluation is appended to that file before the optimizer hears
    of it; if the file exists and holds the same setup, the run continues where it stopped.
    """
    registry = get_registry()
    if objective is None:
        objective = registry.default("landscape").item
    problem = make_problem(
        objective, bounds, dim=dim, vectorized=vectorized, instance=instance, registry=registry
    )
    optimizer_class, name = _optimizer_class(optimizer, registry)
    evaluator_options, options = _split_options(options, optimizer_class, name, evaluator, registry)
    built_options = options_module.build(optimizer_class.Options, options, owner=name)
    evaluator = make_evaluator(evaluator, evaluator_options, registry)
    if budget is None:
        budget = DEFAULT_BUDGET_PER_DIM * problem.dim
    limits = Budget(budget, max_time, target, max_failures)
    if journal is not None and Path(journal).exists():
        contents = read_journal(journal)
        seed = contents.header["seed"] if seed is None else seed
        setup = _setup(problem, optimizer_class, name, built_options, limits, seed, x0, registry)
        _refuse_changes(journal, contents.header, setup, force=False)
        return _execute(
            problem, optimizer_class, name, built_options, limits, seed, x0, evaluator,
            registry, JournalWriter(journal, None), contents.chunks,
        )  # fmt: skip
    writer = None
    if journal is not None:
        seed = draw_seed() if seed is None else seed
        setup = _setup(problem, optimizer_class, name, built_options, limits, seed, x0, registry)
        writer = JournalWriter(journal, setup)
    return _execute(
        problem, optimizer_class, name, built_options, limits, seed, x0, evaluator, registry,
        writer, (),
    )  # fmt: skip


def resume(
    journal: str | os.PathLike[str],
    *,
    force: bool = False,
    objective: Callable[..., Any] | None = None,
    evaluator: str | type[Evaluator] | Evaluator | None = None,
    **evaluator_options: Any,
) -> Result:
    """Continue the run journaled in ``journal``: its evaluations are fed back, not made
    again, and the finished run is the one that was never interrupted.

    A run on a function needs it importable (``module:function``), or given as
    ``objective``. ``evaluator`` and ``**evaluator_options`` choose how the rest is
    evaluated (as in :func:`minimize`). A journal written by other versions of steep or of
    the plugins, or for a function whose source changed, is refused unless ``force``.
    """
    contents = read_journal(journal)
    header, registry, given = contents.header, get_registry(), False
    spec = header["problem"]
    if "landscape" in spec:
        problem = make_problem(
            spec["landscape"], spec["bounds"], dim=spec["dim"], instance=spec["instance"],
            registry=registry,
        )  # fmt: skip
    else:
        given = objective is not None
        if objective is None:
            if spec["function"] is None:
                raise UsageError(
                    f"journal {str(journal)!r} is of a function that cannot be imported "
                    "again; pass it as objective="
                )
            objective = import_object(spec["function"], "objective")
        problem = make_problem(objective, spec["bounds"], vectorized=spec["vectorized"])
    written = header["optimizer"]
    reference = written["reference"]
    optimizer = written["name"] if reference is None else import_object(reference, "optimizer")
    optimizer_class, name = _optimizer_class(optimizer, registry)
    built_options = options_module.build(optimizer_class.Options, header["options"], owner=name)
    limits = Budget(**header["budget"])
    setup = _setup(
        problem, optimizer_class, name, built_options, limits, header["seed"], header["x0"],
        registry,
    )  # fmt: skip
    if objective is not None and given:  # the caller vouches for the function
        setup["problem"].update(function=spec["function"], source_sha256=spec["source_sha256"])
    _refuse_changes(journal, header, setup, force)
    evaluator = make_evaluator(evaluator, evaluator_options, registry)
    return _execute(
        problem, optimizer_class, name, built_options, limits, header["seed"], header["x0"],
        evaluator, registry, JournalWriter(journal, None), contents.chunks,
    )  # fmt: skip


def _execute(
    problem: Problem,
    optimizer_class: type[Optimizer],
    name: str,
    options: Any,
    limits: Budget,
    seed: int | None,
    x0: Any,
    evaluator: Evaluator | None,
    registry: Registry,
    journal: JournalWriter | None,
    replay: Sequence[Chunk],
) -> Result:
    try:
        run = Run(
            problem, optimizer_class, options, budget=limits, seed=seed, x0=x0,
            evaluator=evaluator, hook=registry.hook, optimizer_name=name, journal=journal,
            replay=replay,
        )  # fmt: skip
    except BaseException:
        if journal is not None:
            journal.close()
        raise
    return run.execute()


def _source_digest(function: Any) -> str | None:
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        return None


def _versions(registry: Registry, *entries: tuple[str, str]) -> dict[str, str | None]:
    versions: dict[str, str | None] = {"steep": __version__}
    for kind, name in entries:
        entry = registry.entries[kind].get(name)
        if entry is not None:
            info = registry.plugins[entry.plugin]
            versions[info.distribution or info.name] = info.version
    return versions


def _setup(
    problem: Problem,
    optimizer_class: type[Optimizer],
    name: str,
    options: Any,
    limits: Budget,
    seed: int,
    x0: Any,
    registry: Registry,
) -> dict[str, Any]:
    """What a journal's header says of a run, as JSON data."""
    spec = dict(problem.spec, bounds_used=problem.bounds.as_pairs())
    if problem.landscape is None:
        source = problem.pointwise or problem.evaluate
        spec["source_sha256"] = _source_digest(source)
    registered = registry.entries["optimizer"].get(name)
    reference = (
        None
        if registered is not None and registered.item is optimizer_class
        else (function_reference(optimizer_class))
    )
    setup = {
        "problem": spec,
        "optimizer": {"name": name, "reference": reference},
        "options": options_module.as_dict(options),
        "seed": seed,
        "x0": None if x0 is None else [float(v) for v in x0],
        "budget": attrs.asdict(limits),
        "versions": _versions(registry, ("optimizer", name), ("landscape", problem.name)),
        "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    return json.loads(json.dumps(setup))


def _refuse_changes(
    journal: str | os.PathLike[str], written: dict[str, Any], now: dict[str, Any], force: bool
) -> None:
    """Raise :class:`UsageError` saying what differs between the journal's setup and now.

    Other versions, or a function whose source changed, are let through with ``force``.
    """
    differences, forceable = [], []
    for key in ("problem", "optimizer", "options", "seed", "x0", "budget", "versions"):
        before, after = written.get(key), now[key]
        if isinstance(before, dict) and isinstance(after, dict):
            changed = [
                (f"{key}.{f}", before.get(f), after.get(f)) for f in sorted({*before, *after})
            ]
        else:
            changed = [(key, before, after)]
        for label, old, new in changed:
            if old != new:
                lenient = key == "versions" or label == "problem.source_sha256"
                (forceable if lenient else differences).append(
                    f"{label}: journal {old!r}, now {new!r}"
                )
    if differences or (forceable and not force):
        hint = "" if differences else "; resume anyway with force=True (--force)"
        raise UsageError(
            f"journal {str(journal)!r} is of another run: "
            f"{'; '.join(differences + forceable)}{hint}"
        )


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
