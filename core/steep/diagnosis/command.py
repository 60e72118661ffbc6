"""``steep diagnose``: the command, registered through the same ``register_commands`` hook
as any plugin's command."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..arguments import non_negative_int, positive_int
from ..errors import UsageError
from ..guard import call_hook
from ..markers import hookimpl
from ..resolve import import_object
from . import hookspecs
from .api import diagnose
from .plan import DEFAULT_BUDGET_PER_DIM, MINIMUM_BUDGET_BASE, MINIMUM_BUDGET_PER_DIM

if TYPE_CHECKING:
    from ..registry import Registry

HELP = "probe a cost function's terrain and recommend an optimizer for it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--landscape", "-L", help="landscape name (default: the installed default)")
    parser.add_argument(
        "--objective",
        metavar="MODULE:FUNCTION",
        help="diagnose your own importable function f(x) -> float instead (needs --bounds)",
    )
    parser.add_argument(
        "--bounds",
        metavar="LOW:HIGH",
        help="box to probe, LOW:HIGH for every coordinate or L1:H1,L2:H2,... "
        "(write --bounds=-5:5 when LOW is negative)",
    )
    parser.add_argument(
        "--dim", "-d", type=positive_int, help="dimension (default: the landscape's own)"
    )
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
        "--instance",
        type=non_negative_int,
        default=0,
        help="seed of the landscape's random placement",
    )
    parser.add_argument(
        "--vectorized", action="store_true", help="the --objective takes a batch f(X) -> (n,)"
    )
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
    if args.objective and args.landscape:
        raise UsageError("give either --landscape or --objective, not both")
    if args.vectorized and not args.objective:
        raise UsageError("--vectorized describes an --objective; a landscape is always vectorized")
    if args.plot and not registry.hook.draw_diagnosis.get_hookimpls():
        raise UsageError("--plot: no plot plugin is installed (none implements draw_diagnosis)")
    if args.objective:
        objective: Any = import_object(args.objective, "objective")
    else:
        objective = args.landscape or registry.default("landscape").name
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
