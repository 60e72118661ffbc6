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
from .execute import resume_race, run_race
from .model import DEFAULT_TARGET, DEFAULT_TRIALS, FILES, RaceResults, RaceSettings
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
from .store import holds_race, load, retarget


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
        help=f"a count of seeds derived from --race-seed, or a list of seeds "
        f"(a single one as '7,'); default {DEFAULT_TRIALS}",
    )
    parser.add_argument(
        "--race-seed", metavar="S", help="seed the run seeds derive from (default 0)"
    )
    parser.add_argument(
        "--budget",
        metavar="N",
        help=f"evaluations per run (default: {DEFAULT_BUDGET_PER_DIM} per dimension)",
    )
    parser.add_argument(
        "--target",
        metavar="T",
        help="success: best cost within T x scale of the known minimum, scale being the "
        f"landscape's median height above it (default {DEFAULT_TARGET:g})",
    )
    parser.add_argument("--jobs", "-j", metavar="N", help="worker processes (default: all cores)")
    parser.add_argument(
        "--out", metavar="FOLDER", help="results folder (default: results/race-<UTC time>)"
    )
    parser.add_argument(
        "--resume",
        metavar="FOLDER",
        help="finish the unfinished race saved in FOLDER (stopped by Ctrl-C, or killed): "
        "only its missing runs are carried out, with its settings",
    )
    parser.add_argument(
        "--plots", action="store_true", help="draw pictures into the folder (needs a plot plugin)"
    )
    add_evaluator_arguments(parser)


def settings_from_args(args: argparse.Namespace, registry: Registry) -> RaceSettings:
    """The race the command-line arguments describe; :class:`UsageError` when invalid."""
    trials, seeds = parse_seeds(args.seeds or str(DEFAULT_TRIALS))
    return RaceSettings(
        optimizers=select_optimizers(args.optimizers, registry),
        landscapes=select_landscapes(args.landscapes, registry),
        dims=None if args.dims is None else parse_dims(args.dims),
        trials=trials,
        seeds=seeds,
        race_seed=parse_integer(args.race_seed or "0", "race-seed", 0),
        budget=None if args.budget is None else parse_positive_int(args.budget, "budget"),
        target=parse_target(args.target or str(DEFAULT_TARGET)),
    )


#: The flags that say what a race runs; a resumed race reads them from its folder.
RACE_FLAGS = ("optimizers", "landscapes", "dims", "seeds", "race_seed", "budget", "target", "out")


def _resumable(args: argparse.Namespace) -> Path:
    given = [f"--{name.replace('_', '-')}" for name in RACE_FLAGS if getattr(args, name)]
    if given:
        raise UsageError(
            f"--resume: the race's settings and folder are read from {args.resume}; "
            f"drop {', '.join(given)}"
        )
    folder = Path(args.resume)
    if holds_race(folder) is None:
        raise UsageError(f"--resume: {folder} holds no saved race (no race.json)")
    return folder


def _out_folder(text: str | None) -> Path:
    if text is None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
        return Path("results") / f"race-{stamp}"
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    held = holds_race(folder)
    if held == "unfinished":
        raise UsageError(
            f"--out: {folder} already holds an unfinished race; finish it with "
            f"`steep race --resume {folder}`, or choose another folder"
        )
    if held is not None:
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
    resume = args.resume is not None
    settings = None if resume else settings_from_args(args, registry)
    evaluator = evaluator_from_args(args, registry)
    jobs = available_cores() if args.jobs is None else parse_positive_int(args.jobs, "jobs")
    folder = _resumable(args) if resume else _out_folder(args.out)
    if args.plots and not _plotting_available(registry):
        raise UsageError(
            "--plots: no plot plugin is installed (none implements the draw_race hook); "
            "install one, or race without --plots"
        )
    if settings is None:
        finished = holds_race(folder) == "complete"
        results = resume_race(
            folder, registry, jobs=jobs, evaluator=evaluator, show_progress=not args.quiet
        )
        if finished:
            print(f"steep race: {folder} holds a finished race; nothing to run", file=sys.stderr)
    else:
        results = run_race(
            settings,
            registry,
            jobs=jobs,
            evaluator=evaluator,
            folder=folder,
            show_progress=not args.quiet,
        )
    print("\n".join(report_lines(results)))
    names = ", ".join(FILES)
    print(f"\nSaved {len(results.records)} runs to {folder}/ ({names});")
    print(f"reload with: steep report {folder}")
    if args.plots:
        if not args.quiet and sys.stderr.isatty():  # drawing takes a while: say so
            print(f"Drawing the pictures of {len(results.problems)} problems...", file=sys.stderr)
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
    runs = {"complete": results.complete, "runs": len(results.records)}
    runs["planned"] = len(results.records) if results.planned is None else results.planned
    if args.json:
        tables = {key: [attrs.asdict(s) for s in lines] for key, lines in results.tables().items()}
        print(json.dumps({"settings": results.settings, **runs, "standings": tables}, indent=2))
        return 0
    print(f"Race of {results.created or 'unknown date'} (steep {results.versions.get('steep')})")
    if not results.complete:
        print(
            f"Unfinished: {runs['runs']} of {runs['planned']} runs are here; finish the race "
            f"with: steep race --resume {args.folder}"
        )
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
