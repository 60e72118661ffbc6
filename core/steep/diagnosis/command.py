"""``steep diagnose``: the command, registered through the same ``register_commands`` hook
as any plugin's command."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..arguments import add_problem_arguments, objective_from_args, positive_int
from ..errors import UsageError
from ..guard import call_hook
from ..markers import hookimpl
from . import hookspecs
from .api import diagnose
from .plan import DEFAULT_BUDGET_PER_DIM, MINIMUM_BUDGET_BASE, MINIMUM_BUDGET_PER_DIM

if TYPE_CHECKING:
    from ..registry import Registry

HELP = "probe a cost function's terrain and recommend an optimizer for it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_problem_arguments(parser, "diagnose", "--bounds")
    parser.add_argument(
        "--budget",
        "-n",
        type=positive_int,
        help=f"most evaluations the probe spends, never exceeded (default: "
        f"{DEFAULT_BUDGET_PER_DIM} per dimension; at least {MINIMUM_BUDGET_PER_DIM} per "
        f"dimension + {MINIMUM_BUDGET_BASE})",
    )
    parser.add_argument("--seed", "-s", type=int, help="seed of the probe (default: random)")
    parser.add_argument(
        "--journal",
        metavar="FILE",
        help="append every evaluation to FILE (JSON lines); an existing FILE of the same "
        "probe is continued",
    )
    parser.add_argument("--json", action="store_true", help="print the diagnosis as JSON")
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        help="draw the probes with the verdict into FILE.png (needs a plot plugin)",
    )


def run(args: argparse.Namespace, registry: Registry) -> int:
    """Carry out ``steep diagnose``; the exit status (130 when interrupted, else 0)."""
    if args.plot and not registry.hook.draw_diagnosis.get_hookimpls():
        raise UsageError("--plot: no plot plugin is installed (none implements draw_diagnosis)")
    objective = objective_from_args(args, registry)
    diagnosis = diagnose(
        objective,
        args.bounds,
        dim=args.dim,
        budget=args.budget,
        seed=args.seed,
        journal=args.journal,
        registry=registry,
        instance=args.instance,
        vectorized=args.vectorized,
    )
    if args.json:
        print(json.dumps(diagnosis.to_dict(), indent=2))
    else:
        print("\n".join(diagnosis.lines()))
    if args.plot:
        drawn = call_hook(
            registry.hook.draw_diagnosis,
            {"diagnosis": diagnosis, "path": Path(args.plot)},
            lambda plugin, message: print(f"steep diagnose: warning: plugin {plugin}: {message}"),
        )
        for picture in filter(None, drawn):
            print(f"Picture: {picture}")
    return 130 if diagnosis.stop == "interrupted" else 0


@hookimpl
def register_hooks(register: Callable[[object], None]) -> None:
    register(hookspecs)


@hookimpl
def register_commands(register: Callable[..., None]) -> None:
    register("diagnose", run, help=HELP, add_arguments=add_arguments)
