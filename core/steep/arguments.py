"""The command line's shared vocabulary: argument types and the flags of runs and evaluators."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from .errors import UsageError
from .evaluator import Evaluator
from .options import build, parse_assignments
from .registry import Registry
from .resolve import import_object, make_evaluator


def optimizer_options_from_args(args: argparse.Namespace, registry: Registry) -> dict[str, Any]:
    """The ``--option KEY=VALUE`` flags, as typed values of the chosen optimizer's options."""
    values = parse_assignments(args.option)
    if not values:
        return {}
    name = args.optimizer or registry.default("optimizer").name
    options_class = registry.optimizer(name).Options
    return {
        key: getattr(build(options_class, values, from_text=True, owner=name), key)
        for key in values
    }


def evaluator_from_args(args: argparse.Namespace, registry: Registry) -> Evaluator | None:
    """The evaluator the flags name (``--evaluator``), with the options given as flags
    (``--workers``, ``--timeout``, ...); ``None`` for the default."""
    flags = ("workers", "timeout", "retries", "scheduler")
    given = {flag: getattr(args, flag) for flag in flags if getattr(args, flag) is not None}
    return make_evaluator(args.evaluator, given, registry, cli=True)


def _integer(text: str, least: int, kind: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text!r} must be a {kind} integer")
    return value


def positive_int(text: str) -> int:
    return _integer(text, 1, "positive")


def non_negative_int(text: str) -> int:
    return _integer(text, 0, "non-negative")


def number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} must be finite")
    return value


def point(text: str) -> list[float]:
    """``X1,X2,...``: a start point, every coordinate a finite number."""
    return [number(part) for part in text.split(",")]


def run_target(text: str) -> float | str | None:
    """A number, ``None`` for 'none', or 'auto' (the landscape's known minimum + 1e-8)."""
    word = text.strip().lower()
    if word in ("none", "auto"):
        return None if word == "none" else word
    return number(text)


def add_evaluator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--evaluator",
        help="where evaluations run: serial (default), processes, dask, ... "
        "(steep race: an evaluator with its own cluster, such as dask, runs whole runs)",
    )
    parser.add_argument(
        "--workers", type=positive_int, metavar="N", help="worker processes (evaluator option)"
    )
    parser.add_argument(
        "--timeout",
        type=number,
        metavar="SECONDS",
        help="an evaluation running longer fails and its worker is replaced (evaluator option)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="times a chunk lost with its worker is tried again (evaluator option; default 1)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="address of a running Dask scheduler (option of --evaluator dask)",
    )


def add_problem_arguments(parser: argparse.ArgumentParser, verb: str, needs: str) -> None:
    """The flags naming the cost function, a landscape or the user's own, for a command that
    will ``verb`` it; an ``--objective`` ``needs`` a box (say how it can be given)."""
    parser.add_argument("--landscape", "-L", help="landscape name (default: the installed default)")
    parser.add_argument(
        "--objective",
        metavar="MODULE:FUNCTION",
        help=f"{verb} your own importable function f(x) -> float instead of a landscape "
        f"(needs {needs})",
    )
    parser.add_argument(
        "--vectorized", action="store_true", help="the --objective takes a batch f(X) -> (n,)"
    )
    parser.add_argument(
        "--bounds",
        metavar="LOW:HIGH",
        help="box to search, LOW:HIGH for every coordinate or L1:H1,L2:H2,... "
        "(write --bounds=-5:5 when LOW is negative)",
    )
    parser.add_argument(
        "--dim", "-d", type=positive_int, help="dimension (default: the landscape's own)"
    )
    parser.add_argument(
        "--instance",
        type=non_negative_int,
        default=0,
        help="seed of the landscape's random placement (default 0)",
    )


def objective_from_args(args: argparse.Namespace, registry: Registry) -> Any:
    """The cost function the flags of :func:`add_problem_arguments` name: the user's imported
    function, or a landscape's name."""
    if args.objective and args.landscape:
        raise UsageError("give either --landscape or --objective, not both")
    if args.vectorized and not args.objective:
        raise UsageError("--vectorized describes an --objective; a landscape is always vectorized")
    if args.objective:
        return import_object(args.objective, "objective")
    return args.landscape or registry.default("landscape").name


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimizer", "-O", help="optimizer name (default: the installed default)")
    add_problem_arguments(parser, "minimize", "--bounds, a --space, or --x0")
    parser.add_argument(
        "--budget",
        "-n",
        type=positive_int,
        help="most evaluations, never exceeded (default: 1000 per dimension)",
    )
    parser.add_argument(
        "--seed", "-s", type=int, help="seed of the run (default: random, then printed)"
    )
    parser.add_argument(
        "--target",
        type=run_target,
        default="auto",
        help="stop once the cost is at or below this; 'none': never (default: 1e-8 above the "
        "landscape's known minimum, COCO's final target, or none where it is unknown)",
    )
    parser.add_argument("--max-time", type=number, metavar="SECONDS", help="stop after this long")
    parser.add_argument(
        "--x0",
        type=point,
        metavar="X1,X2,...",
        help="start point (default: drawn from the seed); with an --objective and no "
        "--bounds, methods that need no box (steep show NAME says) search without walls "
        "(write --x0=-1,2 when X1 is negative)",
    )
    add_evaluator_arguments(parser)
    parser.add_argument(
        "--option",
        "-o",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an optimizer option; repeat for more (see `steep show OPTIMIZER`)",
    )
    parser.add_argument(
        "--space",
        metavar="FILE",
        help="a TOML or JSON file of typed parameters (real, log-scale, integer, choice) that "
        "the --objective takes as a dict, instead of --bounds (see docs/for-scipy-and-optuna-"
        "users.md)",
    )
    parser.add_argument(
        "--restarts",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="start the optimizer afresh from a new point, up to N times, whenever it converges "
        "with budget left (default 0)",
    )
    parser.add_argument(
        "--save",
        metavar="FILE",
        help="save the result and its whole history to FILE.npz (read back with steep show)",
    )
    parser.add_argument(
        "--journal",
        metavar="FILE",
        help="append every evaluation to FILE (JSON lines) so that `steep resume FILE` can "
        "continue the run if it is killed; an existing FILE of the same run is continued",
    )
    parser.add_argument(
        "--max-failures",
        type=int,
        default=50,
        metavar="N",
        help="stop after N failed evaluations in a row (0: never; default 50)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
