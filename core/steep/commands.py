"""The core's own commands, registered as a plugin: list, plugins, show, run, resume."""

from __future__ import annotations

import argparse
import json
import os
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np

from .api import minimize, resume
from .arguments import (
    add_evaluator_arguments,
    add_run_arguments,
    evaluator_from_args,
    objective_from_args,
    optimizer_options_from_args,
)
from .catalogue import LandscapeInfo, OptimizerInfo, landscapes, optimizers
from .errors import PluginError, UsageError
from .markers import hookimpl
from .progress import ProgressBar
from .registry import Registry
from .result import Result
from .result_file import load_result, save_result
from .spaces import Space

#: How far above a landscape's known minimum `steep run` stops by default (COCO's final target).
KNOWN_MINIMUM_TOLERANCE = 1e-8


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def format_vector(x: np.ndarray, limit: int = 6) -> str:
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
    found_optimizers = list(optimizers(registry).values())
    found_landscapes = list(landscapes(registry).values())
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
    box = "needs bounds" if info.needs_box else "none needed: searches from --x0 alone"
    print(f"  Box: {box}")
    if not info.options:
        print("  Options: none")
        return
    print("  Options (set with --option NAME=VALUE, or options={NAME: VALUE} in steep.minimize):")
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
        x = format_vector(info.minimum.x)
        print(f"  Minimum (dim {info.default_dim}): f({x}) = {info.minimum.fun:.10g}")


def command_show(args: argparse.Namespace, registry: Registry) -> int:
    if args.name.endswith(".npz") and os.path.isfile(args.name):  # a result saved by --save
        result = load_result(args.name)
        _print_result(result)
        print(f"  history: {len(result.history.fun)} evaluations in {result.nbatch} batches")
        return 0
    shown = False
    if args.name in registry.entries["optimizer"]:
        _show_optimizer(optimizers(registry)[args.name])
        shown = True
    if args.name in registry.entries["landscape"]:
        found = landscapes(registry)
        if args.name not in found:  # it failed to describe itself: an error of its plugin
            plugin = registry.entries["landscape"][args.name].plugin
            errors = registry.plugins[plugin].errors or ["the landscape cannot describe itself"]
            raise PluginError(plugin, errors[-1])
        _show_landscape(found[args.name])
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
    print(f"  x:       {format_vector(result.x)}")
    if result.params is not None:
        shown = ", ".join(
            f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v!r}"
            for k, v in result.params.items()
        )
        print(f"  params:  {shown}")
    print(f"  fun:     {result.fun:.10g}")
    if result.minimum is not None:
        print(f"  gap:     {result.gap:.3g} above the known minimum {result.minimum.fun:.10g}")
    print(f"  nfev:    {result.nfev}   nit: {result.nit}   njev: {result.njev}")
    print(f"  success: {result.success}   stop: {result.stop}   time: {result.elapsed:.3g} s")
    if result.restarts or result.ncached:
        print(f"  restarts: {result.restarts}   answered from the cache: {result.ncached}")
    for decision in result.decisions:
        print(f"  decided: {decision}")


def _report(result: Result, as_json: bool) -> int:
    """Print ``result``; the exit status: 130 when interrupted, 1 when the objective called
    exit, else 0."""
    if as_json:
        _print_json(result.to_dict())
    else:
        _print_result(result)
    return {"interrupted": 130, "exited": 1}.get(result.stop, 0)


def command_run(args: argparse.Namespace, registry: Registry) -> int:
    objective = objective_from_args(args, registry)
    if args.space and not args.objective:
        raise UsageError("--space describes the parameters of an --objective of your own")
    target = args.target
    if target == "auto":
        minimum = None
        if not args.objective and args.bounds is None:
            minimum = registry.landscape(objective)(dim=args.dim, seed=args.instance).minimum
        target = None if minimum is None else minimum.fun + KNOWN_MINIMUM_TOLERANCE
    progress = ProgressBar(args.budget or 0, "run", unit="evaluations")
    progress.enabled = progress.enabled and not args.quiet
    with progress:
        result = _minimize(args, registry, objective, target, progress)
    status = _report(result, args.json)
    if args.save:
        print(f"Saved to {save_result(result, args.save)}; read it with: steep show FILE")
    return status


def _minimize(
    args: argparse.Namespace, registry: Registry, objective: Any, target: Any, progress: ProgressBar
) -> Result:
    return minimize(
        objective,
        args.bounds,
        optimizer=args.optimizer,
        budget=args.budget,
        seed=args.seed,
        x0=args.x0,
        target=target,
        dim=args.dim,
        vectorized=args.vectorized,
        max_time=args.max_time,
        max_failures=args.max_failures or None,
        instance=args.instance,
        evaluator=evaluator_from_args(args, registry),
        journal=args.journal,
        options=optimizer_options_from_args(args, registry),
        registry=registry,
        space=None if args.space is None else Space.read(args.space),
        restarts=args.restarts,
        callback=(lambda so_far: progress.move_to(so_far.nfev)) if progress.enabled else None,
    )


def command_resume(args: argparse.Namespace, registry: Registry) -> int:
    evaluator = evaluator_from_args(args, registry)
    progress = ProgressBar(0, "resume", unit="evaluations")
    progress.enabled = progress.enabled and not args.quiet
    with progress:
        result = resume(
            args.journal,
            force=args.force,
            evaluator=evaluator,
            registry=registry,
            callback=(lambda so_far: progress.move_to(so_far.nfev)) if progress.enabled else None,
        )
    return _report(result, args.json)


def _add_resume_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("journal", metavar="FILE", help="the journal of the run to continue")
    parser.add_argument(
        "--force",
        action="store_true",
        help="resume although steep, a plugin or the objective's source changed since",
    )
    add_evaluator_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


@hookimpl
def register_commands(register: Callable[..., None]) -> None:
    register(
        "list",
        command_list,
        help="list installed optimizers and landscapes",
        add_arguments=_add_json_flag,
    )
    register(
        "plugins",
        command_plugins,
        help="list plugins: version, what each registers, errors",
        add_arguments=_add_json_flag,
    )
    register(
        "show",
        command_show,
        help="explain an optimizer's options or a landscape's story",
        add_arguments=lambda p: p.add_argument("name", help="optimizer or landscape name"),
    )
    register(
        "run",
        command_run,
        help="minimize a landscape or your own function with an optimizer",
        add_arguments=add_run_arguments,
    )
    register(
        "resume",
        command_resume,
        help="continue a run from its journal, without evaluating again what it holds",
        add_arguments=_add_resume_arguments,
    )
