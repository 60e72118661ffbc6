"""``steep race`` and ``steep report``: the race application's commands, registered through
the same ``register_commands`` hook as any plugin's."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable
from pathlib import Path

import attrs

import steep
from steep import UsageError
from steep.arguments import add_evaluator_arguments, evaluator_from_args
from steep.guard import call_hook
from steep.pool import available_cores
from steep.registry import Registry
from steep.run import DEFAULT_BUDGET_PER_DIM

from . import hookspecs
from .execute import run_race
from .model import DEFAULT_TARGET, DEFAULT_TRIALS, RaceResults, RaceSettings
from .parse import (
    parse_dims,
    parse_integer,
    parse_positive_int,
    parse_seeds,
    parse_target,
    select_landscapes,
    select_optimizers,
)
from .report import report_lines
from .store import load, retarget, save


def add_race_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--optimizers", metavar="NAMES", help="comma-separated optimizers (default: all installed)"
    )
    parser.add_argument(
        "--landscapes",
        metavar="NAMES-OR-TAGS",
        help="comma-separated landscape names or tags, e.g. multimodal,bowl (default: all)",
    )
    parser.add_argument(
        "--dims", metavar="D1,D2", help="dimensions (default: each landscape's own)"
    )
    parser.add_argument(
        "--seeds",
        metavar="N|S1,S2",
        default=str(DEFAULT_TRIALS),
        help=f"a count of seeds derived from --race-seed, or a list of seeds "
        f"(a single one as '7,'); default {DEFAULT_TRIALS}",
    )
    parser.add_argument(
        "--race-seed", metavar="S", default="0", help="seed the run seeds derive from (default 0)"
    )
    parser.add_argument(
        "--budget",
        metavar="N",
        help=f"evaluations per run (default: {DEFAULT_BUDGET_PER_DIM} per dimension)",
    )
    parser.add_argument(
        "--target",
        metavar="T",
        default=str(DEFAULT_TARGET),
        help="success: best cost within T x scale of the known minimum, scale being the "
        f"landscape's median height above it (default {DEFAULT_TARGET:g})",
    )
    parser.add_argument("--jobs", "-j", metavar="N", help="worker processes (default: all cores)")
    parser.add_argument(
        "--out", metavar="FOLDER", help="results folder (default: results/race-<UTC time>)"
    )
    parser.add_argument(
        "--plots", action="store_true", help="draw pictures into the folder (needs a plot plugin)"
    )
    add_evaluator_arguments(parser)


def settings_from_args(args: argparse.Namespace, registry: Registry) -> RaceSettings:
    """The race the command-line arguments describe; :class:`UsageError` when invalid."""
    trials, seeds = parse_seeds(args.seeds)
    return RaceSettings(
        optimizers=select_optimizers(args.optimizers, registry),
        landscapes=select_landscapes(args.landscapes, registry),
        dims=None if args.dims is None else parse_dims(args.dims),
        trials=trials,
        seeds=seeds,
        race_seed=parse_integer(args.race_seed, "race-seed", 0),
        budget=None if args.budget is None else parse_positive_int(args.budget, "budget"),
        target=parse_target(args.target),
    )


def _out_folder(text: str | None) -> Path:
    if text is None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
        return Path("results") / f"race-{stamp}"
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    if (folder / "race.json").exists():
        raise UsageError(f"--out: {folder} already holds a race; choose another folder")
    return folder


def draw(results: RaceResults, folder: Path, registry: Registry) -> list[Path]:
    """Have the installed plot plugins draw ``results`` into ``folder``; a plugin that
    fails is reported and the others still draw."""

    def failed(plugin: str, message: str) -> None:
        print(f"steep race: warning: plugin {plugin}: {message}", file=sys.stderr)

    drawn = call_hook(registry.hook.draw_race, {"race": results, "folder": folder}, failed)
    return [Path(p) for files in drawn for p in files or ()]


def _plotting_available(registry: Registry) -> bool:
    return registry.hook is not None and bool(registry.hook.draw_race.get_hookimpls())


def command_race(args: argparse.Namespace, registry: Registry) -> int:
    settings = settings_from_args(args, registry)
    evaluator = evaluator_from_args(args, registry)
    jobs = available_cores() if args.jobs is None else parse_positive_int(args.jobs, "jobs")
    folder = _out_folder(args.out)
    if args.plots and not _plotting_available(registry):
        raise UsageError(
            "--plots: no plot plugin is installed (none implements the draw_race hook); "
            "install one, or race without --plots"
        )
    results = run_race(settings, registry, jobs=jobs, evaluator=evaluator)
    print("\n".join(report_lines(results)))
    saved = save(results, folder)
    print(f"\nSaved {len(results.records)} runs to {folder}/ ({', '.join(p.name for p in saved)});")
    print(f"reload with: steep report {folder}")
    if args.plots:
        pictures = draw(results, folder, registry)
        where = sorted({str(p.parent) for p in pictures})
        print(f"Pictures: {len(pictures)} files in {', '.join(where) or folder}")
    return 0


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="a folder saved by `steep race`")
    parser.add_argument(
        "--target",
        metavar="T",
        help="judge success at this target instead (relative to each landscape's scale), "
        "from the saved best-so-far curves",
    )
    parser.add_argument("--json", action="store_true", help="print the standings as JSON")


def command_report(args: argparse.Namespace, registry: Registry) -> int:
    results = load(args.folder)
    if args.target is not None:
        results = retarget(results, parse_target(args.target))
    if args.json:
        tables = {key: [attrs.asdict(s) for s in lines] for key, lines in results.tables().items()}
        print(json.dumps({"settings": results.settings, "standings": tables}, indent=2))
        return 0
    print(f"Race of {results.created or 'unknown date'} (steep {results.versions.get('steep')})")
    print("\n".join(report_lines(results)))
    return 0


@steep.hookimpl
def register_hooks(register: Callable[[object], None]) -> None:
    register(hookspecs)


@steep.hookimpl
def register_commands(register: Callable[..., None]) -> None:
    register(
        "race",
        command_race,
        help="race optimizers on landscapes over several seeds; print and save a leaderboard",
        add_arguments=add_race_arguments,
    )
    register(
        "report",
        command_report,
        help="print the leaderboard of a saved race",
        add_arguments=add_report_arguments,
    )
