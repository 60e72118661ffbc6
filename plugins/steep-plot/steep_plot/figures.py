"""Every picture of a race, drawn over worker processes, then the HTML page that shows them.

The pictures, each in its own module, on matplotlib's Agg canvas (no pyplot, no display):

- ``scoreboard.png`` (:mod:`.scoreboard`): success rate and ERT of every optimizer on
  every landscape with a known minimum.
- ``ecdf.png`` (:mod:`.ecdf`): COCO's runtime ECDF over 51 targets.
- ``convergence-<landscape>-<d>d.png`` (:mod:`.convergence`): best cost so far above f*.
- ``paths-<landscape>-<d>d.png`` (:mod:`.paths`, 1-D and 2-D): where each optimizer
  tasted and stopped.
- ``animation-<landscape>-<d>d.gif`` (:mod:`.animation`, 1-D and 2-D, on request): the
  tastings, chunk by chunk.
- ``index.html`` (:mod:`.html_report`): every table and picture on one page.

Every optimizer keeps one colour, line style and marker across all pictures (:mod:`.style`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from pathlib import Path

import attrs
from steep.pool import available_cores, ignore_interrupts
from steep.race import RaceProblem, RaceResults

from .animation import draw_animation
from .convergence import draw_convergence
from .ecdf import TARGETS, draw_ecdf, first_hits, fraction_reached, runtimes
from .html_report import write_html_report
from .paths import draw_paths
from .scoreboard import draw_scoreboard
from .style import Style, file_name

__all__ = [
    "TARGETS",
    "Style",
    "draw_all",
    "draw_animation",
    "draw_convergence",
    "draw_ecdf",
    "draw_paths",
    "draw_problem",
    "draw_scoreboard",
    "first_hits",
    "fraction_reached",
    "runtimes",
    "write_html_report",
]


def _one_problem(race: RaceResults, problem: RaceProblem) -> RaceResults:
    """``race`` cut down to what the pictures of ``problem`` need (cheap to send a worker)."""
    runs = {i for i, _ in race.records_of(problem.key)}
    return attrs.evolve(
        race,
        problems=[problem],
        curves={i: c for i, c in race.curves.items() if i in runs},
        paths={i: p for i, p in race.paths.items() if i in runs},
        terrains={k: t for k, t in race.terrains.items() if k == problem.key},
    )


def draw_problem(race: RaceResults, folder: Path, animate: bool = False) -> list[Path]:
    """The convergence and (1-D, 2-D) paths pictures of the single problem of ``race``,
    and with ``animate`` its animation."""
    (problem,) = race.problems
    style = Style(race.optimizers)
    written = [draw_convergence(race, problem, style, folder / file_name("convergence", problem))]
    if problem.key in race.terrains:
        written.append(draw_paths(race, problem, style, folder / file_name("paths", problem)))
        if animate and any(i in race.paths for i, _ in race.records_of(problem.key)):
            written.append(draw_animation(race, problem, folder))
    return written


def draw_all(
    race: RaceResults, folder: Path, jobs: int | None = None, animate: bool = False
) -> list[Path]:
    """Every picture of ``race`` into ``folder``, then ``index.html``; returns their paths.

    The pictures of each problem are drawn over ``jobs`` worker processes (default: all
    cores); the scoreboard and the ECDF in this one. ``animate`` adds a GIF per 1-D and
    2-D landscape (slower: a few seconds each).
    """
    folder.mkdir(parents=True, exist_ok=True)
    style = Style(race.optimizers)
    jobs = min(jobs or available_cores(), len(race.problems))
    pieces = [_one_problem(race, problem) for problem in race.problems]
    written = []
    with contextlib.ExitStack() as stack:
        if jobs > 1:
            pool = stack.enter_context(
                concurrent.futures.ProcessPoolExecutor(jobs, initializer=ignore_interrupts)
            )
            pending = [pool.submit(draw_problem, piece, folder, animate) for piece in pieces]
        if any(p.fstar is not None for p in race.problems):
            written.append(draw_scoreboard(race, style, folder / "scoreboard.png"))
            ecdf = draw_ecdf(race, style, folder / "ecdf.png")
            if ecdf is not None:
                written.append(ecdf)
        if jobs > 1:
            for future in pending:
                written.extend(future.result())
        else:
            for piece in pieces:
                written.extend(draw_problem(piece, folder, animate))
    written.append(write_html_report(race, folder))
    return written
