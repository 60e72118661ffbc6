"""The hooks a steep plugin can implement.

A plugin is a module (or object) with functions decorated by ``steep.hookimpl`` and named
after the specifications below, exposed through the ``steep`` entry-point group::

    [project.entry-points.steep]
    steep-my-plugin = "steep_my_plugin"

Registration hooks receive a ``register`` callback. It validates what it is given at once
and remembers which plugin registered it; a bad registration is reported against that
plugin while every other plugin keeps working. Observer hooks are called by the run loop;
an implementation may declare fewer parameters than the specification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

    from .race import RaceResults
    from .registry import Register
    from .result import Result
    from .run import Run

hookspec = pluggy.HookspecMarker("steep")
hookimpl = pluggy.HookimplMarker("steep")


@hookspec
def register_optimizers(register: Register) -> None:
    """Register optimizer classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Optimizer` and has a unique ``name`` (lowercase words
    joined by ``-``), a docstring whose first line summarizes it, and an ``Options`` attrs
    class. ``register(cls, default=True)`` offers it as the optimizer used when none is named.
    """


@hookspec
def register_landscapes(register: Register) -> None:
    """Register landscape classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Landscape` with a unique ``name``, a ``story`` and
    ``tags``. ``register(cls, default=True)`` offers it as the landscape used when none is named.
    """


@hookspec
def register_evaluators(register: Register) -> None:
    """Register evaluator classes: call ``register(cls)`` for each.

    ``cls`` subclasses :class:`steep.Evaluator` with a unique ``name`` and an ``Options``
    attrs class (default: none); an evaluator decides how a batch of points gets its costs
    (in this process, over a process pool, on a cluster). The core registers ``serial`` (the
    default) and ``processes`` itself.
    """


@hookspec
def register_commands(register: Register) -> None:
    """Register subcommands of the ``steep`` CLI.

    Call ``register(name, run, help=..., add_arguments=...)``: ``add_arguments(parser)``
    adds the command's arguments to its ``argparse`` parser, ``run(args)`` carries it out
    and returns the exit status (``None`` for 0). Names the core already uses are refused.
    """


@hookspec
def run_started(run: Run) -> None:
    """Called once before the first evaluation of a run.

    ``run`` describes the run (``run.problem``, ``run.optimizer``, ``run.budget``,
    ``run.seed``) and carries its live counters (``run.nfev``, ``run.best_fun``).
    """


@hookspec
def batch_evaluated(run: Run, points: np.ndarray, costs: np.ndarray) -> None:
    """Called after each batch is evaluated and recorded, before the optimizer is told.

    ``points`` has shape ``(k, d)`` and ``costs`` shape ``(k,)`` (raw, NaN and inf included).
    Both are read-only views of the run's history.
    """


@hookspec
def run_finished(run: Run, result: Result) -> None:
    """Called once when a run stops, with its :class:`steep.Result`."""


@hookspec
def draw_race(race: RaceResults, folder: Path) -> list[Path]:
    """Draw pictures of a race into ``folder``; return the paths of the files written.

    Called by ``steep race --plots`` once the race is saved in ``folder`` (and by any
    command that redraws a saved race). ``race`` is a :class:`steep.race.RaceResults`:
    its ``problems``, run ``records``, best-so-far ``curves``, evaluated ``paths`` (1-D and
    2-D problems) and ``terrains`` (the landscape sampled on a grid). Every implementation
    is called; ``steep race --plots`` refuses to start when there is none.
    """


def all_hooks() -> dict[str, Any]:
    """Name and function of every hook specification in this module."""
    return {
        name: value
        for name, value in globals().items()
        if callable(value) and hasattr(value, "steep_spec")
    }
