"""The ``steep`` command line: list, plugins, show, run, and commands plugins add."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import __version__
from .api import (
    LandscapeInfo,
    OptimizerInfo,
    import_object,
    landscapes,
    make_evaluator,
    minimize,
    optimizers,
    resume,
)
from .errors import PluginError, SteepError, UsageError
from .options import parse_assignments
from .plugins import get_registry
from .race import add_race_arguments, add_report_arguments, command_race, command_report
from .registry import Registry
from .result import Result

EXIT_USAGE = 2
EXIT_FAILURE = 1
#: How far above a landscape's known minimum `steep run` stops by default (COCO's final target).
KNOWN_MINIMUM_TOLERANCE = 1e-8


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def _format_vector(x: np.ndarray, limit: int = 6) -> str:
    shown = ", ".join(f"{v:.6g}" for v in x[:limit])
    return f"[{shown}{', ...' if len(x) > limit else ''}]"


def _landscape_dict(info: LandscapeInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "plugin": info.plugin,
        "story": info.story,
        "tags": sorted(info.tags),
        "fixed_dim": info.fixed_dim,
        "default_dim": info.default_dim,
        "bounds": info.bounds.as_pairs(),
        "unit": info.unit,
        "minimum": None
        if info.minimum is None
        else {"x": info.minimum.x.tolist(), "fun": info.minimum.fun},
        "default": info.is_default,
    }


def _optimizer_dict(info: OptimizerInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "plugin": info.plugin,
        "summary": info.summary,
        "parallelism": info.parallelism,
        "options": [
            {"name": o.name, "type": o.type, "default": o.default, "doc": o.doc}
            for o in info.options
        ],
        "default": info.is_default,
    }


def _first_sentence(text: str, limit: int = 72) -> str:
    sentence = text.split(". ")[0].rstrip(".") + "."
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip(" ,;:") + "…"


def command_list(args: argparse.Namespace, registry: Registry) -> int:
    found_optimizers, found_landscapes = optimizers(registry), landscapes(registry)
    if args.json:
        _print_json(
            {
                "optimizers": [_optimizer_dict(o) for o in found_optimizers],
                "landscapes": [_landscape_dict(info) for info in found_landscapes],
            }
        )
        return 0
    width = max((len(i.name) for i in [*found_optimizers, *found_landscapes]), default=0) + 2
    print("Optimizers:")
    for o in found_optimizers:
        mark = " (default)" if o.is_default else ""
        print(f"  {o.name.ljust(width)}{o.summary}{mark}")
    if not found_optimizers:
        print("  none installed: pip install a steep optimizer plugin")
    print("Landscapes:")
    for info in found_landscapes:
        mark = " (default)" if info.is_default else ""
        tags = f" [{', '.join(sorted(info.tags))}]" if info.tags else ""
        print(f"  {info.name.ljust(width)}{_first_sentence(info.story)}{tags}{mark}")
    if not found_landscapes:
        print("  none installed: pip install a steep landscape plugin")
    return 0


def command_plugins(args: argparse.Namespace, registry: Registry) -> int:
    infos = [p.to_dict() for p in registry.plugins.values()]
    if args.json:
        _print_json(infos)
        return 0
    for info in infos:
        version = info["version"] or "?"
        print(f"{info['name']} {version}")
        for kind, names in sorted(info["registers"].items()):
            print(f"  {kind}s: {', '.join(names)}")
        if info["hooks"]:
            print(f"  hooks: {', '.join(info['hooks'])}")
        for error in info["errors"]:
            print(f"  ERROR: {error}")
    return 0


def _show_optimizer(info: OptimizerInfo) -> None:
    print(f"{info.name}: optimizer from plugin {info.plugin}")
    print(f"  {info.summary}")
    print(f"  Parallel workers: {info.parallelism}")
    if not info.options:
        print("  Options: none")
        return
    print("  Options (set with --option NAME=VALUE, or NAME=VALUE in steep.minimize):")
    for o in info.options:
        print(f"    {o.name} ({o.type}, default {o.default!r})")
        for line in textwrap.wrap(o.doc, 72):
            print(f"        {line}")


def _show_landscape(info: LandscapeInfo) -> None:
    print(f"{info.name}: landscape from plugin {info.plugin}")
    for line in textwrap.wrap(info.story, 76):
        print(f"  {line}")
    unit = f" {info.unit}" if info.unit else ""
    dims = f"{info.fixed_dim} only" if info.fixed_dim else f"any (default {info.default_dim})"
    print(f"  Tags: {', '.join(sorted(info.tags)) or 'none'}")
    print(f"  Dimension: {dims}")
    low, high = info.bounds.lower, info.bounds.upper
    if np.all(low == low[0]) and np.all(high == high[0]):
        print(f"  Bounds: [{low[0]:g}, {high[0]:g}]{unit} per coordinate")
    else:
        print(f"  Bounds: {info.bounds.as_pairs()}{unit}")
    if info.minimum is None:
        print("  Minimum: unknown")
    else:
        x = _format_vector(info.minimum.x)
        print(f"  Minimum (dim {info.default_dim}): f({x}) = {info.minimum.fun:.10g}")


def command_show(args: argparse.Namespace, registry: Registry) -> int:
    shown = False
    if args.name in registry.entries["optimizer"]:
        (info,) = [o for o in optimizers(registry) if o.name == args.name]
        _show_optimizer(info)
        shown = True
    if args.name in registry.entries["landscape"]:
        (land,) = [info for info in landscapes(registry) if info.name == args.name]
        _show_landscape(land)
        shown = True
    if not shown:
        try:
            registry.get("optimizer", args.name)
        except UsageError as optimizer_error:
            try:
                registry.get("landscape", args.name)
            except UsageError as landscape_error:
                raise UsageError(f"{optimizer_error}; {landscape_error}") from None
    return 0


def _print_result(result: Result) -> None:
    print(f"{result.optimizer} on {result.problem} ({result.x.size}-D), seed {result.seed}")
    print(f"  {result.message}")
    print(f"  x:       {_format_vector(result.x)}")
    print(f"  fun:     {result.fun:.10g}")
    if result.minimum is not None:
        print(f"  gap:     {result.gap:.3g} above the known minimum {result.minimum.fun:.10g}")
    print(f"  nfev:    {result.nfev}   nit: {result.nit}   njev: {result.njev}")
    print(f"  success: {result.success}   stop: {result.stop}   time: {result.elapsed:.3g} s")


def _report(result: Result, as_json: bool) -> int:
    """Print ``result``; the exit status: 130 when interrupted, else 0."""
    if as_json:
        _print_json(result.summary())
    else:
        _print_result(result)
    return 130 if result.stop == "interrupted" else 0


def command_run(args: argparse.Namespace, registry: Registry) -> int:
    if args.objective and args.landscape:
        raise UsageError("give either --landscape or --objective, not both")
    if args.objective:
        objective: Any = import_object(args.objective, "objective")
    else:
        objective = args.landscape or registry.default("landscape").name
    target = args.target
    if target == "auto":
        minimum = None
        if not args.objective and args.bounds is None:
            minimum = registry.landscape(objective)(dim=args.dim, seed=args.instance).minimum
        target = None if minimum is None else minimum.fun + KNOWN_MINIMUM_TOLERANCE
    result = minimize(
        objective,
        args.bounds,
        optimizer=args.optimizer,
        budget=args.budget,
        seed=args.seed,
        target=target,
        dim=args.dim,
        vectorized=args.vectorized,
        max_time=args.max_time,
        max_failures=args.max_failures or None,
        instance=args.instance,
        evaluator=make_evaluator(args.evaluator, _evaluator_options(args), registry, cli=True),
        journal=args.journal,
        **_options(args, registry),
    )
    return _report(result, args.json)


def command_resume(args: argparse.Namespace, registry: Registry) -> int:
    evaluator = make_evaluator(args.evaluator, _evaluator_options(args), registry, cli=True)
    return _report(resume(args.journal, force=args.force, evaluator=evaluator), args.json)


def _add_resume_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("journal", metavar="FILE", help="the journal of the run to continue")
    parser.add_argument(
        "--force",
        action="store_true",
        help="resume although steep, a plugin or the objective's source changed since",
    )
    _add_evaluator_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _options(args: argparse.Namespace, registry: Registry) -> dict[str, Any]:
    from .options import build

    values = parse_assignments(args.option)
    if not values:
        return {}
    name = args.optimizer or registry.default("optimizer").name
    options_class = registry.optimizer(name).Options
    return {
        key: getattr(build(options_class, values, from_text=True, owner=name), key)
        for key in values
    }


def _evaluator_options(args: argparse.Namespace) -> dict[str, Any]:
    """The evaluator flags given (``--workers``, ``--timeout``, ...), as options."""
    flags = ("workers", "timeout", "retries", "scheduler")
    return {flag: getattr(args, flag) for flag in flags if getattr(args, flag) is not None}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive integer")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} must be finite")
    return value


def _target(text: str) -> float | str | None:
    """A number, ``None`` for 'none', or 'auto' (the landscape's known minimum + 1e-8)."""
    word = text.strip().lower()
    if word in ("none", "auto"):
        return None if word == "none" else word
    return _number(text)


def _add_evaluator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--evaluator",
        help="where evaluations run: serial (default), processes, dask, ... "
        "(steep race: an evaluator with its own cluster, such as dask, runs whole runs)",
    )
    parser.add_argument(
        "--workers", type=_positive_int, metavar="N", help="worker processes (evaluator option)"
    )
    parser.add_argument(
        "--timeout",
        type=_number,
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


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--optimizer", "-O", help="optimizer name (default: the installed default)")
    parser.add_argument("--landscape", "-L", help="landscape name (default: the installed default)")
    parser.add_argument(
        "--dim", "-d", type=_positive_int, help="dimension (default: the landscape's own)"
    )
    parser.add_argument(
        "--budget",
        "-n",
        type=_positive_int,
        help="most evaluations, never exceeded (default: 1000 per dimension)",
    )
    parser.add_argument(
        "--seed", "-s", type=int, help="seed of the run (default: random, then printed)"
    )
    parser.add_argument(
        "--target",
        type=_target,
        default="auto",
        help="stop once the cost is at or below this; 'none': never (default: 1e-8 above the "
        "landscape's known minimum, COCO's final target, or none where it is unknown)",
    )
    parser.add_argument("--max-time", type=_number, metavar="SECONDS", help="stop after this long")
    parser.add_argument(
        "--bounds",
        metavar="LOW:HIGH",
        help="box to search, LOW:HIGH for every coordinate or L1:H1,L2:H2,... "
        "(write --bounds=-5:5 when LOW is negative)",
    )
    parser.add_argument(
        "--instance",
        type=int,
        default=0,
        help="seed of the landscape's random placement (default 0)",
    )
    _add_evaluator_arguments(parser)
    parser.add_argument(
        "--option",
        "-o",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an optimizer option; repeat for more (see `steep show OPTIMIZER`)",
    )
    parser.add_argument(
        "--objective",
        metavar="MODULE:FUNCTION",
        help="minimize your own importable function f(x) -> float instead of a landscape "
        "(needs --bounds)",
    )
    parser.add_argument(
        "--vectorized", action="store_true", help="the --objective takes a batch f(X) -> (n,)"
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


CORE_COMMANDS: dict[str, tuple[str, Callable[..., int], Callable[[Any], None] | None]] = {
    "list": (
        "list installed optimizers and landscapes",
        command_list,
        lambda p: p.add_argument("--json", action="store_true", help="print JSON"),
    ),
    "plugins": (
        "list plugins: version, what each registers, errors",
        command_plugins,
        lambda p: p.add_argument("--json", action="store_true", help="print JSON"),
    ),
    "show": (
        "explain an optimizer's options or a landscape's story",
        command_show,
        lambda p: p.add_argument("name", help="optimizer or landscape name"),
    ),
    "run": ("minimize a landscape with an optimizer", command_run, _add_run_arguments),
    "race": (
        "race optimizers on landscapes over several seeds; print and save a leaderboard",
        lambda args, registry: command_race(
            args,
            registry,
            make_evaluator(args.evaluator, _evaluator_options(args), registry, cli=True),
        ),
        lambda parser: (add_race_arguments(parser), _add_evaluator_arguments(parser)),
    ),
    "report": ("print the leaderboard of a saved race", command_report, add_report_arguments),
    "resume": (
        "continue a run from its journal, without evaluating again what it holds",
        command_resume,
        _add_resume_arguments,
    ),
}


def _version_text(registry: Registry) -> str:
    lines = [f"steep {__version__}"]
    for info in registry.plugins.values():
        if info.distribution and info.distribution != "steep":
            lines.append(f"  {info.name} {info.version}")
    return "\n".join(lines)


def build_parser(registry: Registry) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steep",
        description="Find the bottom of a cost function with pluggable optimizers.",
        epilog="Environment: STEEP_PLUGINS=a,b loads only those plugins (empty: none); "
        "STEEP_STRICT_PLUGINS=1 makes a broken plugin an error.",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="show the versions of steep and its plugins, and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, handler, add_arguments) in CORE_COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if add_arguments:
            add_arguments(sub)
        sub.set_defaults(handler=lambda args, registry, h=handler: h(args, registry))
    for name, entry in sorted(registry.entries["command"].items()):
        if name in CORE_COMMANDS:
            continue
        help_text = entry.extra.get("help", "")
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if entry.extra.get("add_arguments"):
            entry.extra["add_arguments"](sub)
        sub.set_defaults(handler=lambda args, registry, run=entry.extra["run"]: run(args) or 0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        registry = get_registry()
    except PluginError as error:
        print(f"steep: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    for name, entry in registry.entries["command"].items():
        if name in CORE_COMMANDS:
            registry.plugins[entry.plugin].errors.append(f"command {name!r} is a core command")
    parser = build_parser(registry)
    args = parser.parse_args(argv)
    if args.version:
        print(_version_text(registry))
        return 0
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command != "plugins":
        for problem in registry.errors:
            print(f"steep: warning: plugin {problem}", file=sys.stderr)
    try:
        return int(args.handler(args, registry))
    except UsageError as error:
        print(f"steep {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except SteepError as error:
        print(f"steep {args.command}: error: {error}", file=sys.stderr)
        so_far = getattr(error, "result", None)
        if so_far is not None:
            print(
                f"  the run so far: {so_far.nfev} evaluations, best cost {so_far.fun:.10g} at "
                f"{_format_vector(so_far.x)}",
                file=sys.stderr,
            )
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"steep {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped early (`| head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
