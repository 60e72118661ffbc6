"""Pictures of races: `steep plot FOLDER`, and `steep race --plots`.

matplotlib is imported only when a picture is drawn, never when the plugin registers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import steep
from steep.errors import UsageError

PLOTS_FOLDER = "plots"


@steep.hookimpl
def draw_race(race, folder):
    from .figures import draw_all

    return draw_all(race, Path(folder) / PLOTS_FOLDER)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="a folder saved by `steep race`")
    parser.add_argument(
        "--out", metavar="FOLDER", help=f"where to draw (default: FOLDER/{PLOTS_FOLDER})"
    )


def _plot(args: argparse.Namespace, registry: steep.Registry) -> int:
    from steep.race import load

    from .figures import draw_all

    race = load(args.folder)
    if not race.curves:
        raise UsageError(f"{args.folder} has no curves.npz: nothing to draw")
    out = Path(args.out) if args.out else Path(args.folder) / PLOTS_FOLDER
    for path in draw_all(race, out):
        print(path)
    return 0


@steep.hookimpl
def register_commands(register):
    register(
        "plot",
        _plot,
        help="draw the pictures of a saved race (paths, convergence, ECDF) as PNG",
        add_arguments=_add_arguments,
    )
