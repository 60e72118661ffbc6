"""The hooks a steep plugin can implement.

A plugin is a module (or object) with functions decorated by ``steep.hookimpl`` and named
after the specifications below, exposed through the ``steep`` entry-point group::

    [project.entry-points.steep]
    steep-my-plugin = "steep_my_plugin"

Registration hooks receive a ``register`` callback. It validates what it is given at once
and remembers which plugin registered it; a bad registration is reported against that
plugin while every other plugin keeps working. Observer hooks are called by the run loop;
one that raises is switched off for that run, with a warning naming its plugin. Every
implementation is called apart, in the order plugins were loaded (the core's own first),
and may declare fewer parameters than the specification.

This module is the plugin contract: it imports nothing of steep's applications (race,
diagnose), which declare hooks of their own through :func:`register_hooks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .markers import hookimpl, hookspec

if TYPE_CHECKING:
    import numpy as np

    from .registry import Register
    from .result import Result
    from .run import Run

__all__ = ["hookimpl", "hookspec"]


@hookspec
def register_hooks(register: Register) -> None:
    """Declare hook specifications of your own, for other plugins to implement.

    Call ``register(specs)`` with a module or class whose functions are marked with
    ``steep.hookspec``, as pytest's ``pytest_addhooks``. Called once per plugin as soon as
    it is loaded, before any hook implementation is checked, so the order in which plugins
    load does not matter. steep's race application declares ``draw_race`` this way.
    """


@hookspec
def register_optimizers(register: Register) -> None:
    """Register optimizer classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Optimizer`, has a unique ``name`` (lowercase words
    joined by ``-``), a docstring whose first line summarizes it, an ``Options`` attrs class
    whose defaults construct, and implements ``ask`` and ``tell``.
    ``register(cls, default=True)`` offers it as the optimizer used when none is named (if
    several are offered, the first by name is used). Example::

        @steep.hookimpl
        def register_optimizers(register):
            register(MyOptimizer)
    """


@hookspec
def register_landscapes(register: Register) -> None:
    """Register landscape classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Landscape`, has a unique ``name``, a non-empty
    ``story``, tags that are lowercase words, and implements ``evaluate``.
    ``register(cls, default=True)`` offers it as the landscape used when none is named.
    """


@hookspec
def register_evaluators(register: Register) -> None:
    """Register evaluator classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Evaluator` with a unique ``name`` and implements
    ``evaluate(task, points) -> steep.Outcome``: ``task`` evaluates a batch (or any
    consecutive chunk of it) and never raises; chunks' outcomes are joined in order with
    ``steep.Outcome.join``, and a chunk lost to the engine is reported as failed evaluations
    (``steep.Outcome.failed(n, reason)``), never dropped. An evaluator decides how a batch
    gets its costs (in this process, over a process pool, on a cluster) and is used as a
    context manager around a run, so it can start and stop its workers. Its options are an
    attrs class ``Options`` (fields made with ``steep.option``; default none), built from
    ``steep.minimize(..., evaluator_options={...})`` or CLI flags and handed to
    ``__init__(self, options)``. One with a cluster of its own may return a
    ``concurrent.futures`` executor from ``executor()``, over which
    ``steep race --evaluator NAME`` spreads whole runs. The core registers ``serial`` (the
    default) and ``processes`` itself.
    """


@hookspec
def register_commands(register: Register) -> None:
    """Register subcommands of the ``steep`` CLI.

    Call ``register(name, run, help=..., add_arguments=...)``: ``add_arguments(parser)``
    adds the command's arguments to its ``argparse`` parser, ``run(args, registry)`` carries
    it out with the registry the ``steep`` command loaded and returns the exit status
    (``None`` for 0). The core's own commands (``list``, ``plugins``, ``show``, ``run``,
    ``resume``, ``race``, ``report``) are registered the same way, first; a name already
    taken is reported and refused. An exception other than steep's own errors is reported
    as an error of the plugin, in one line.
    """


@hookspec
def run_started(run: Run) -> None:
    """Called once before the first evaluation of a run.

    ``run`` is the live :class:`steep.Run`: ``run.problem``, ``run.optimizer`` (the
    instance), ``run.optimizer_name``, ``run.budget``, ``run.seed``, and the counters
    ``run.nfev``, ``run.nbatch``, ``run.best_fun``, ``run.best_x``, ``run.elapsed``.
    """


@hookspec
def batch_evaluated(run: Run, points: np.ndarray, costs: np.ndarray) -> None:
    """Called after each batch is evaluated and recorded, before the optimizer is told.

    ``points`` has shape ``(k, d)`` and ``costs`` shape ``(k,)`` (raw, NaN and inf included).
    Both are read-only views of the run's history. Skipped at no cost when no plugin
    implements it.
    """


@hookspec
def run_finished(run: Run, result: Result) -> None:
    """Called once when a run stops, with its :class:`steep.Result`."""


def specifications(namespace: Any) -> dict[str, Any]:
    """Name and function of every hook specification in ``namespace`` (a module or class)."""
    return {
        name: value
        for name in dir(namespace)
        if callable(value := getattr(namespace, name)) and hasattr(value, "steep_spec")
    }
