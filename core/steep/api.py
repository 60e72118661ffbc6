"""The Python API's verbs: ``minimize`` (or ``maximize``) a function, ``resume`` a journaled run."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from . import options as options_module
from .errors import UsageError
from .evaluator import Evaluator
from .journal import Chunk
from .journal_header import open_journal, refuse_changes, run_header
from .journal_writer import JournalWriter
from .landscape import Landscape
from .optimizer import Optimizer
from .plugins import get_registry
from .problem import Problem
from .registry import Registry
from .resolve import import_object, make_evaluator, make_problem, optimizer_class
from .result import Result
from .run import DEFAULT_BUDGET_PER_DIM, Budget, Run
from .spaces import Space


def minimize(
    objective: str | Callable[..., Any] | Landscape | type[Landscape] | None = None,
    bounds: Any = None,
    *,
    optimizer: str | type[Optimizer] | None = None,
    options: Mapping[str, Any] | None = None,
    budget: int | None = None,
    seed: int | None = None,
    x0: Any = None,
    jac: Callable[..., Any] | None = None,
    space: Space | Mapping[str, Any] | None = None,
    target: float | None = None,
    dim: int | None = None,
    vectorized: bool = False,
    max_time: float | None = None,
    max_failures: int | None = 50,
    restarts: int = 0,
    callback: Callable[[Result], Any] | None = None,
    cache: bool | None = None,
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
    repeated over ``dim`` coordinates. Instead of bounds, a ``space`` of named, typed
    parameters (``{"C": steep.Real(1e-3, 1e3, log=True), "kernel": steep.Choice([...])}``)
    hands the function a dict of values; ``result.params`` holds the best, and repeated
    configurations are not brewed twice when ``cache`` (default: for all-discrete spaces).
    ``jac`` is the function's gradient (as in scipy), used by every method that can.
    ``optimizer`` is a name or an :class:`Optimizer` subclass, configured by ``options`` (a
    mapping, as scipy's ``options=``; see ``steep show NAME``). ``evaluator`` (a name such as
    ``"processes"``, a class or an instance; default ``serial``) decides where evaluations
    run, configured by ``evaluator_options`` (e.g. ``{"workers": 4}``). The run stops after
    ``budget`` evaluations (default ``1000 * dim``, exact across ``restarts``: fresh starts
    when the optimizer converges early), ``max_time`` seconds, when the cost reaches
    ``target``, after ``max_failures`` failed evaluations in a row (``None``: never), or when
    ``callback(result_so_far)``, called after each batch, raises ``StopIteration``. Without
    ``x0`` the start is drawn from ``seed``; a function given ``x0`` and no ``bounds`` is
    searched without walls by the methods that need none (``steep show NAME`` says).
    ``instance`` seeds a landscape's own random placement. With ``journal``, every
    evaluation is appended to that file before the optimizer hears of it; if the file exists
    and holds the same setup, the run continues where it stopped; it is locked while the run
    writes it. Names are looked up in ``registry`` (default: the process's own,
    :func:`steep.plugins.get_registry`).
    """
    registry = registry or get_registry()
    if objective is None:
        objective = registry.default("landscape").item
    problem = make_problem(
        objective,
        bounds,
        dim=dim,
        vectorized=vectorized,
        instance=instance,
        registry=registry,
        jac=jac,
        space=None if space is None else Space.parse(space),
        x0=x0,
    )
    cls, name = optimizer_class(optimizer, registry)
    built = options_module.build(cls.Options, dict(options or {}), owner=name)
    chosen = make_evaluator(evaluator, dict(evaluator_options or {}), registry)
    evaluations = DEFAULT_BUDGET_PER_DIM * problem.dim if budget is None else budget
    limits = Budget(evaluations, max_time, target, max_failures, restarts)
    writer, replay = None, ()
    if journal is not None:

        def header_of(seed: int) -> dict[str, Any]:
            return run_header(
                problem,
                optimizer_class=cls,
                optimizer_name=name,
                options=built,
                budget=attrs.asdict(limits),
                seed=seed,
                x0=x0,
                registry=registry,
            )

        writer, replay, seed = open_journal(journal, seed, header_of)
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
        callback=callback,
        cache=cache,
    )


def maximize(objective: Callable[..., Any], bounds: Any = None, **keywords: Any) -> Result:
    """Maximize the function ``objective``: :func:`minimize` its negative, the result told
    in the objective's own terms (``fun`` is the maximum, ``history.fun`` its values, a
    ``target`` is a value to reach or exceed). Takes every keyword of :func:`minimize`."""
    if not callable(objective) or isinstance(objective, (type, Landscape)):
        raise UsageError("maximize takes a function; a landscape is a cost to minimize")
    vectorized = keywords.get("vectorized", False)
    if keywords.get("target") is not None:
        keywords["target"] = -keywords["target"]
    if keywords.get("jac") is not None:
        keywords["jac"] = functools.partial(_negated, keywords["jac"])
    result = minimize(
        functools.partial(_negated_batch if vectorized else _negated, objective),
        bounds,
        **keywords,
    )
    history = attrs.evolve(result.history, fun=-result.history.fun)
    return attrs.evolve(result, fun=-result.fun, history=history)


def _negated(function: Callable[..., Any], *arguments: Any) -> Any:
    return -np.asarray(function(*arguments), dtype=np.float64)


def _negated_batch(function: Callable[..., Any], points: np.ndarray) -> np.ndarray:
    return -np.asarray(function(points), dtype=np.float64)


def resume(
    journal: str | os.PathLike[str],
    *,
    force: bool = False,
    objective: Callable[..., Any] | None = None,
    evaluator: str | type[Evaluator] | Evaluator | None = None,
    evaluator_options: Mapping[str, Any] | None = None,
    registry: Registry | None = None,
    callback: Callable[[Result], Any] | None = None,
) -> Result:
    """Continue the run journaled in ``journal``: its evaluations are fed back, not made
    again, and the finished run is the one that was never interrupted (``callback`` as in
    :func:`minimize`).

    A run on a function needs it importable (``module:function``), or given as
    ``objective``. ``evaluator`` and ``evaluator_options`` choose how the rest is
    evaluated (as in :func:`minimize`). A journal written by other versions of steep or of
    the plugins, for a function whose source changed, or whose header was edited, is
    refused unless ``force``; one another run is writing, or with a line changed after it
    was written, is refused.
    """
    writer = JournalWriter(journal, None)  # locked before it is read: no other run appends
    with _closed_on_error(writer):
        return _resume(
            journal, writer, force, objective, evaluator, evaluator_options, registry, callback
        )


def _resume(
    journal: str | os.PathLike[str],
    writer: JournalWriter,
    force: bool,
    objective: Callable[..., Any] | None,
    evaluator: str | type[Evaluator] | Evaluator | None,
    evaluator_options: Mapping[str, Any] | None,
    registry: Registry | None,
    callback: Callable[[Result], Any] | None,
) -> Result:
    contents = writer.contents
    assert contents is not None
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
        jac = spec.get("jac") and import_object(spec["jac"], "gradient")
        space = spec.get("space") and Space.from_dict(spec["space"])
        problem = make_problem(
            function,
            spec["bounds"],
            vectorized=spec["vectorized"],
            jac=jac,
            space=space or None,
            x0=header["x0"],
        )
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
    refuse_changes(journal, header, now, force, header_changed=contents.header_changed)
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
        journal=writer,
        replay=contents.chunks,
        callback=callback,
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
    callback: Callable[[Result], Any] | None = None,
    cache: bool | None = None,
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
            callback=callback,
            cache=cache,
        )
    except BaseException:
        if journal is not None:
            journal.close()
        raise
    return run.execute()


@contextlib.contextmanager
def _closed_on_error(writer: JournalWriter | None) -> Iterator[None]:
    """Close ``writer`` (releasing its journal's lock) if the block raises."""
    try:
        yield
    except BaseException:
        if writer is not None:
            writer.close()
        raise
