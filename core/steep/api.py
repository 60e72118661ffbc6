"""The Python API's two verbs: ``minimize`` a function, ``resume`` a journaled run."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import options as options_module
from .errors import UsageError
from .evaluator import Evaluator
from .journal import Chunk, JournalWriter, read_journal, refuse_changes, run_header
from .landscape import Landscape
from .optimizer import Optimizer
from .plugins import get_registry
from .problem import Problem
from .registry import Registry
from .resolve import import_object, make_evaluator, make_problem, optimizer_class
from .result import Result
from .run import DEFAULT_BUDGET_PER_DIM, Budget, Run, draw_seed


def minimize(
    objective: str | Callable[..., Any] | Landscape | type[Landscape] | None = None,
    bounds: Any = None,
    *,
    optimizer: str | type[Optimizer] | None = None,
    options: Mapping[str, Any] | None = None,
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
    evaluator_options: Mapping[str, Any] | None = None,
    journal: str | os.PathLike[str] | None = None,
    registry: Registry | None = None,
) -> Result:
    """Minimize ``objective`` and return a :class:`Result`.

    ``objective`` is a landscape name (default: the installed default landscape), a
    :class:`Landscape`, or a function ``f(x) -> float`` (``f(X) -> (n,)`` with
    ``vectorized=True``) searched over ``bounds``: ``[(low, high), ...]``, or one pair
    repeated over ``dim`` coordinates. ``optimizer`` is a name or an :class:`Optimizer`
    subclass, configured by ``options`` (a mapping, as scipy's ``options=``; see
    ``steep show NAME``). ``evaluator`` (a name such as ``"processes"``, a class or an
    instance; default ``serial``) decides where evaluations run, configured by
    ``evaluator_options`` (e.g. ``{"workers": 4}``). The run stops after ``budget``
    evaluations (default ``1000 * dim``), ``max_time`` seconds, when the cost reaches
    ``target``, or after ``max_failures`` failed evaluations in a row (``None``: never).
    Without ``x0`` the start is drawn from ``seed``; ``instance`` seeds a landscape's own
    random placement. With ``journal``, every evaluation is appended to that file before
    the optimizer hears of it; if the file exists and holds the same setup, the run
    continues where it stopped. Names are looked up in ``registry`` (default: the
    process's own, :func:`steep.plugins.get_registry`).
    """
    registry = registry or get_registry()
    if objective is None:
        objective = registry.default("landscape").item
    problem = make_problem(
        objective, bounds, dim=dim, vectorized=vectorized, instance=instance, registry=registry
    )
    cls, name = optimizer_class(optimizer, registry)
    built = options_module.build(cls.Options, dict(options or {}), owner=name)
    chosen = make_evaluator(evaluator, dict(evaluator_options or {}), registry)
    limits = Budget(
        DEFAULT_BUDGET_PER_DIM * problem.dim if budget is None else budget,
        max_time,
        target,
        max_failures,
    )
    writer, replay = None, ()
    if journal is not None:
        contents = read_journal(journal) if Path(journal).exists() else None
        if contents is not None and seed is None:
            seed = contents.header["seed"]
        seed = draw_seed() if seed is None else seed
        header = run_header(
            problem,
            optimizer_class=cls,
            optimizer_name=name,
            options=built,
            budget=attrs.asdict(limits),
            seed=seed,
            x0=x0,
            registry=registry,
        )
        if contents is None:
            writer = JournalWriter(journal, header)
        else:
            refuse_changes(journal, contents.header, header, force=False)
            writer, replay = JournalWriter(journal, None), contents.chunks
    return _run(
        problem,
        cls,
        name,
        built,
        limits,
        seed=seed,
        x0=x0,
        evaluator=chosen,
        registry=registry,
        journal=writer,
        replay=replay,
    )


def resume(
    journal: str | os.PathLike[str],
    *,
    force: bool = False,
    objective: Callable[..., Any] | None = None,
    evaluator: str | type[Evaluator] | Evaluator | None = None,
    evaluator_options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
) -> Result:
    """Continue the run journaled in ``journal``: its evaluations are fed back, not made
    again, and the finished run is the one that was never interrupted.

    A run on a function needs it importable (``module:function``), or given as
    ``objective``. ``evaluator`` and ``evaluator_options`` choose how the rest is
    evaluated (as in :func:`minimize`). A journal written by other versions of steep or of
    the plugins, or for a function whose source changed, is refused unless ``force``.
    """
    contents = read_journal(journal)
    header, registry = contents.header, registry or get_registry()
    spec = header["problem"]
    if "landscape" in spec:
        problem = make_problem(
            spec["landscape"],
            spec["bounds"],
            dim=spec["dim"],
            instance=spec["instance"],
            registry=registry,
        )
    else:
        if objective is None and spec["function"] is None:
            raise UsageError(
                f"journal {str(journal)!r} is of a function that cannot be imported "
                "again; pass it as objective="
            )
        function = objective or import_object(spec["function"], "objective")
        problem = make_problem(function, spec["bounds"], vectorized=spec["vectorized"])
    written = header["optimizer"]
    reference = written["reference"]
    optimizer = written["name"] if reference is None else import_object(reference, "optimizer")
    cls, name = optimizer_class(optimizer, registry)
    built = options_module.build(cls.Options, header["options"], owner=name)
    limits = Budget(**header["budget"])
    now = run_header(
        problem,
        optimizer_class=cls,
        optimizer_name=name,
        options=built,
        budget=attrs.asdict(limits),
        seed=header["seed"],
        x0=header["x0"],
        registry=registry,
    )
    if objective is not None:  # the caller vouches for the function
        now["problem"].update(function=spec["function"], source_sha256=spec["source_sha256"])
    refuse_changes(journal, header, now, force)
    chosen = make_evaluator(evaluator, dict(evaluator_options or {}), registry)
    return _run(
        problem,
        cls,
        name,
        built,
        limits,
        seed=header["seed"],
        x0=header["x0"],
        evaluator=chosen,
        registry=registry,
        journal=JournalWriter(journal, None),
        replay=contents.chunks,
    )


def _run(
    problem: Problem,
    cls: type[Optimizer],
    name: str,
    options: Any,
    limits: Budget,
    *,
    seed: int | None,
    x0: Any,
    evaluator: Evaluator | None,
    registry: Registry,
    journal: JournalWriter | None,
    replay: Sequence[Chunk],
) -> Result:
    """Start the run and carry it out; the journal is closed if it cannot start."""
    try:
        run = Run(
            problem,
            cls,
            options,
            budget=limits,
            seed=seed,
            x0=x0,
            evaluator=evaluator,
            registry=registry,
            optimizer_name=name,
            journal=journal,
            replay=replay,
        )
    except BaseException:
        if journal is not None:
            journal.close()
        raise
    return run.execute()
