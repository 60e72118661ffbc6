"""Paths pictures of 1-D and 2-D landscapes: one panel per optimizer, with the points it
tasted, where each seed started and stopped (and whether it reached the target)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceProblem, RaceResults

from . import terrain
from .style import Style, ranked, runs_by_optimizer, save, success_label

START = {"s": 45, "facecolor": "white", "linewidth": 1.5, "clip_on": False}
REACHED = {"s": 75, "edgecolor": "black", "linewidth": 0.8, "clip_on": False}
MISSED = {"s": 70, "marker": "x", "color": "black", "linewidth": 2.0, "clip_on": False}
STAR = {"marker": "*", "color": "gold", "edgecolor": "black", "clip_on": False}


def grid_shape(count: int) -> tuple[int, int]:
    """Rows and columns for ``count`` panels: up to 4 columns, as few empty places as can
    be (then fewer rows)."""
    if count <= 4:
        columns = 2 if count == 4 else max(count, 1)
    else:
        columns = min((3, 4), key=lambda c: (math.ceil(count / c) * c - count, -c))
    return math.ceil(count / columns), columns


def axis_label(problem: RaceProblem, axis: str) -> str:
    return f"{axis} ({problem.unit})" if problem.unit else axis


def halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.Stroke(linewidth=3.5, foreground="white"), patheffects.Normal()]


def draw_stops(
    axes: Any, point: tuple[float, float], success: bool | None, colour: str, marker: str
) -> None:
    """Where a seed stopped: its own filled marker if it reached the target (or success is
    undefined), a black cross if it did not."""
    if success is False:
        axes.scatter(*point, zorder=6, path_effects=halo(), **MISSED)
    else:
        axes.scatter(*point, color=colour, marker=marker, zorder=7, **REACHED)  # over crosses


def _draw_panel_1d(
    axes: Any, race: RaceResults, problem: RaceProblem, runs: list[int], name: str, style: Style
) -> None:
    land = race.terrains[problem.key]
    terrain.curve(axes, land)
    colour = style.colour[name]
    if runs[0] in race.paths:
        points = race.paths[runs[0]][:, 0]
        axes.plot(
            points,
            terrain.height_at(land, points),
            ".",
            markersize=5,
            color=colour,
            alpha=0.35,
            zorder=2,
        )
    if problem.minimum_x is not None:
        axes.scatter(problem.minimum_x[0], problem.fstar, s=200, zorder=4, **STAR)
    for index in runs:
        record = race.records[index]
        if index in race.paths and race.paths[index].size:
            start = race.paths[index][0, 0]
            axes.scatter(start, terrain.height_at(land, start), edgecolor=colour, zorder=5, **START)
        if record.x:
            where = (record.x[0], float(terrain.height_at(land, record.x[0])))
            draw_stops(axes, where, record.success, colour, style.marker[name])
    axes.set_xlabel(axis_label(problem, "x"))
    axes.set_ylabel("cost")


def _draw_panel_2d(
    axes: Any, race: RaceResults, problem: RaceProblem, runs: list[int], name: str, style: Style
) -> None:
    terrain.shade(axes, race.terrains[problem.key])
    colour = style.colour[name]
    first = runs[0]
    if first in race.paths and race.paths[first].size:
        points = race.paths[first]
        axes.plot(points[:, 0], points[:, 1], ".", markersize=4, color=colour, alpha=0.45, zorder=2)
        curve = race.curves.get(first)
        if curve is not None and curve.size:
            improved = np.flatnonzero(np.r_[True, curve[1:] < curve[:-1]])
            track = points[improved[improved < len(points)]]
            axes.plot(track[:, 0], track[:, 1], color=colour, linewidth=1.6, zorder=3)
    if problem.minimum_x is not None:
        axes.scatter(*problem.minimum_x[:2], s=220, zorder=4, **STAR)
    for index in runs:
        record = race.records[index]
        if index in race.paths and race.paths[index].size:
            axes.scatter(*race.paths[index][0][:2], edgecolor=colour, zorder=5, **START)
        if record.x:
            draw_stops(axes, tuple(record.x[:2]), record.success, colour, style.marker[name])
    axes.set_xlabel(axis_label(problem, "x₁"))
    axes.set_ylabel(axis_label(problem, "x₂"))


def legend_handles(problem: RaceProblem, track: bool) -> list[Any]:
    from matplotlib.lines import Line2D

    def entry(label: str, **style: Any) -> Any:
        return Line2D([], [], linestyle="", label=label, **style)

    handles = [
        entry(
            "start (each seed)",
            marker="o",
            markerfacecolor="white",
            markeredgecolor="0.2",
            markersize=7,
        ),
        entry("points tasted (first seed)", marker="o", color="0.2", alpha=0.45, markersize=4),
    ]
    if track:
        handles.append(
            Line2D([], [], color="0.2", linewidth=1.6, label="best-so-far track (first seed)")
        )
    if problem.target_gap is None:
        handles.append(
            entry(
                "where it stopped (each seed)",
                marker="o",
                color="0.5",
                markeredgecolor="black",
                markersize=8,
            )
        )
    else:
        handles.append(
            entry(
                "stopped, target reached (its marker)",
                marker="o",
                color="0.5",
                markeredgecolor="black",
                markersize=8,
            )
        )
        handles.append(
            entry(
                "stopped short of the target",
                marker="x",
                color="black",
                markeredgewidth=2,
                markersize=8,
            )
        )
    if problem.minimum_x is not None:
        handles.append(
            entry(
                "global minimum", marker="*", color="gold", markeredgecolor="black", markersize=13
            )
        )
    return handles


def draw_paths(race: RaceResults, problem: RaceProblem, style: Style, path: Path) -> Path:
    runs = runs_by_optimizer(race, problem.key)
    names = [n for n in ranked(race, problem.key) if runs[n]]
    rows, columns = grid_shape(len(names))
    figure = Figure(
        figsize=(3.8 * columns + 1.0 * (problem.dim == 2), 3.2 * rows + 0.9), layout="constrained"
    )
    panels = figure.subplots(rows, columns, squeeze=False, sharex=True, sharey=True)
    draw = _draw_panel_1d if problem.dim == 1 else _draw_panel_2d
    for axes, name in zip(panels.flat, names):
        draw(axes, race, problem, runs[name], name, style)
        axes.set_title(
            success_label(race, problem.key, name),
            color=style.colour[name],
            fontsize=10,
            fontweight="bold",
        )
        axes.label_outer()
    for axes in list(panels.flat)[len(names) :]:
        axes.set_visible(False)
    if problem.dim == 2:
        terrain.colour_bar(
            figure, panels, terrain.shading(race.terrains[problem.key]), problem.unit
        )
    handles = legend_handles(problem, track=problem.dim == 2)
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 3),
        fontsize=8,
        frameon=False,
    )
    figure.suptitle(
        f"{problem.key}: where each optimizer tasted, and where it stopped (best first)",
        fontsize=12,
    )
    return save(figure, path)
