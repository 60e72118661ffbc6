"""Pictures of races: `steep plot FOLDER`, and `steep race --plots`.

matplotlib is imported only when a picture is drawn, never when the plugin registers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import attrs
import steep
from steep.errors import UsageError

PLOTS_FOLDER = "plots"


def _drawable(race):
    """``race`` without its broken problems (a landscape that raised: nothing to draw), and
    those problems."""
    broken = [p for p in race.problems if getattr(p, "error", None) is not None]
    if not broken:
        return race, broken
    return attrs.evolve(race, problems=[p for p in race.problems if p not in broken]), broken


@steep.hookimpl
def draw_diagnosis(diagnosis, path):
    from .diagnosis import draw_diagnosis as draw

    return draw(diagnosis, Path(path))


@steep.hookimpl
def draw_race(race, folder):
    from .figures import draw_all

    return draw_all(_drawable(race)[0], Path(folder) / PLOTS_FOLDER)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="a folder saved by `steep race`")
    parser.add_argument(
        "--out", metavar="FOLDER", help=f"where to draw (default: FOLDER/{PLOTS_FOLDER})"
    )
    parser.add_argument(
        "--animate",
        action="store_true",
        help="also draw a GIF of each 1-D and 2-D landscape: every optimizer's tastings, "
        "chunk by chunk (a few seconds each)",
    )


def _plot(args: argparse.Namespace, registry: steep.Registry) -> int:
    from steep.race import load

    from .figures import draw_all

    race = load(args.folder)
    if not race.complete:
        print(
            f"steep plot: note: {args.folder} holds an unfinished race, {len(race.records)} of "
            f"{race.planned} runs; drawing those (finish it with: steep race --resume "
            f"{args.folder})",
            file=sys.stderr,
        )
    if not race.records:
        raise UsageError(f"{args.folder} holds no finished run: nothing to draw")
    if not race.curves:
        raise UsageError(f"{args.folder} has no curves.npz: nothing to draw")
    race, broken = _drawable(race)
    for problem in broken:
        print(f"steep plot: note: nothing to draw of {problem.key}, broken", file=sys.stderr)
    out = Path(args.out) if args.out else Path(args.folder) / PLOTS_FOLDER
    if sys.stderr.isatty() and not getattr(args, "quiet", False):  # it takes a while: say so
        print(f"Drawing the pictures of {len(race.problems)} problems...", file=sys.stderr)
    for path in draw_all(race, out, animate=getattr(args, "animate", False)):
        print(path)
    return 0


@steep.hookimpl
def register_commands(register):
    register(
        "plot",
        _plot,
        help="draw the pictures of a saved race (paths, convergence, ECDF) as PNG, and a page "
        "showing them with every table (index.html)",
        add_arguments=_add_arguments,
    )
