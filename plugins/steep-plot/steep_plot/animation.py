"""Animations (opt-in): each optimizer's tastings over a 1-D or 2-D landscape, chunk of
evaluations by chunk, as a small GIF."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceProblem, RaceResults

from . import terrain
from .paths import STAR, axis_label, grid_shape
from .style import Style, file_name, ranked, runs_by_optimizer

#: Frames that add evaluations, at most; the last picture is then held for a second.
MAX_FRAMES = 80
FPS = 10
ANIMATION_DPI = 72
#: Colours in the GIF's one palette (shared by every frame: no flicker, small files).
COLOURS = 128


def schedule(evaluations: int, frames: int = MAX_FRAMES) -> np.ndarray:
    """How many evaluations each frame shows: one at a time at first, then chunks that
    grow geometrically, up to ``evaluations``. (A race folder keeps the points, not the
    batches an optimizer asked them in, so the chunks are of evaluations.)"""
    if evaluations <= frames:
        return np.arange(1, evaluations + 1)
    steps = np.maximum(np.arange(1, frames + 1), np.geomspace(1, evaluations, frames))
    return np.unique(np.round(steps).astype(int))


def _line(axes: Any, colour: str, **style: Any) -> Any:
    (line,) = axes.plot([], [], color=colour, animated=True, **style)
    line.set_in_layout(False)
    return line


class _Panel:
    """One optimizer's panel: its first seed's points, drawn up to a given evaluation."""

    def __init__(self, points: np.ndarray, curve: np.ndarray, heights: Any) -> None:
        self.points, self.curve, self.heights = points, curve, heights

    def animate(self, axes: Any, colour: str, marker: str) -> None:
        """Add this panel's moving parts to ``axes`` (animated: left out of full draws)."""
        self.old = _line(axes, colour, marker=".", linestyle="", alpha=0.4, markersize=4, zorder=2)
        self.track = _line(axes, colour, linewidth=1.4, zorder=3)
        edge = {"markeredgecolor": "black", "linestyle": "", "clip_on": False}
        self.new = _line(axes, colour, marker="o", markersize=6, zorder=5, **edge)
        self.best = _line(axes, colour, marker=marker, markersize=11, zorder=6, **edge)
        self.stopped = axes.text(
            0.02,
            0.97,
            f"stopped after {len(self.points)}",
            transform=axes.transAxes,
            ha="left",
            va="top",
            fontsize=7.5,
            animated=True,
            zorder=7,
            bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0, "pad": 1.5},
        )
        self.stopped.set_in_layout(False)
        self.artists = [self.old, self.track, self.new, self.best]

    def xy(self, rows: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        points = self.points[rows]
        if self.heights is not None:
            return points[:, 0], self.heights[rows]
        return points[:, 0], points[:, 1]

    def show(self, before: int, upto: int) -> None:
        count = len(self.points)
        before, upto = min(before, count), min(upto, count)
        self.old.set_data(*self.xy(slice(0, before)))
        self.new.set_data(*self.xy(slice(before, upto)))
        curve = self.curve[:upto]
        improved = np.flatnonzero(np.r_[True, curve[1:] < curve[:-1]]) if upto else []
        if self.heights is None:  # in 1-D a track would cut through the curve
            self.track.set_data(*self.xy(improved))
        self.best.set_data(*self.xy(improved[-1:]))
        self.artists = [self.old, self.track, self.new, self.best]
        if upto >= count:  # drawn only once the run has stopped: text is slow to draw
            self.artists.append(self.stopped)


def _set_up(race: RaceResults, problem: RaceProblem, names: list[str], runs: dict) -> tuple:
    style = Style(race.optimizers)
    rows, columns = grid_shape(len(names))
    figure = Figure(figsize=(2.9 * columns, 2.5 * rows + 0.6), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharex=True, sharey=True)
    land = race.terrains[problem.key]
    panels = []
    for axes, name in zip(grid.flat, names):
        index = runs[name][0]
        points = race.paths[index]
        curve = race.curves.get(index, np.empty(0))
        if curve.size < len(points):
            curve = np.r_[curve, np.full(len(points) - curve.size, np.inf)]
        if problem.dim == 1:
            terrain.curve(axes, land)
            heights = terrain.height_at(land, points[:, 0])
            axes.set_xlabel(axis_label(problem, "x"), fontsize=8)
        else:
            terrain.shade(axes, land, contours=False)
            heights = None
            axes.set_xlabel(axis_label(problem, "x₁"), fontsize=8)
            axes.set_ylabel(axis_label(problem, "x₂"), fontsize=8)
        if problem.minimum_x is not None:
            y = problem.fstar if problem.dim == 1 else problem.minimum_x[1]
            axes.scatter(problem.minimum_x[0], y, s=130, zorder=4, **STAR)
        if problem.dim == 1:  # room for every point: fixed limits, as the frames fill in
            axes.set_xlim(problem.lower[0], problem.upper[0])
            axes.set_ylim(*_span(np.r_[land[1], heights]))
        record = race.records[index]
        mark = "" if record.success is None else (" ✓" if record.success else " ✗")
        axes.set_title(name + mark, fontsize=9, color=style.colour[name], fontweight="bold")
        axes.tick_params(labelsize=7)
        axes.label_outer()
        panel = _Panel(points, curve, heights)
        panel.animate(axes, style.colour[name], style.marker[name])
        panels.append(panel)
    for axes in list(grid.flat)[len(names) :]:
        axes.set_visible(False)
    lower = "; darker is lower" if problem.dim == 2 else ""
    about = (
        f"{problem.key}, first seed: the newest points large, the best so far with the "
        f"optimizer's marker{lower}; ✓/✗: target reached or not"
    )
    title = figure.suptitle(textwrap.fill(about, int(2.9 * columns * 14)) + "\n ", fontsize=8.5)
    counter = figure.text(0.5, 0.5, "", ha="center", va="bottom", fontsize=8.5, animated=True)
    counter.set_in_layout(False)
    return figure, panels, title, counter


def _span(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    low, high = finite.min(), finite.max()
    pad = 0.05 * (high - low or 1.0)
    return low - pad, high + pad


def draw_animation(race: RaceResults, problem: RaceProblem, folder: Path, fps: int = FPS) -> Path:
    """Animate the first seed of every optimizer on ``problem`` (1-D or 2-D), side by side,
    into ``folder/animation-<landscape>-<d>d.gif``; returns its path.

    Each frame adds a chunk of evaluations (drawn large, with a black edge); the track
    joins the improvements and the big marker is the best point so far. At most
    :data:`MAX_FRAMES` frames, then the last held for a second. The landscape is drawn
    once and each frame only adds the points on it (blitting), written with Pillow.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if problem.dim > 2 or problem.key not in race.terrains:
        raise ValueError(f"{problem.key}: only 1-D and 2-D landscapes with a terrain animate")
    runs = runs_by_optimizer(race, problem.key)
    names = [n for n in ranked(race, problem.key) if runs[n] and runs[n][0] in race.paths]
    if not names:
        raise ValueError(f"{problem.key}: no run has its evaluated points saved")
    figure, panels, title, counter = _set_up(race, problem, names, runs)
    figure.set_dpi(ANIMATION_DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # lays the figure out once; animated artists are left out
    figure.set_layout_engine("none")
    background = canvas.copy_from_bbox(figure.bbox)
    below = title.get_window_extent(canvas.get_renderer())  # the title's empty second line
    counter.set_y((below.y0 + 2) / figure.bbox.height)
    longest = max(len(p.points) for p in panels)
    counts = schedule(longest)
    frames = []
    # The last frame shows no chunk as new: every point tasted, the best marked.
    for before, upto in zip([0, *counts], [*counts, counts[-1]]):
        canvas.restore_region(background)
        counter.set_text(f"after {upto} of {longest} evaluations")
        figure.draw_artist(counter)
        for panel in panels:
            panel.show(int(before), int(upto))
            for artist in panel.artists:
                figure.draw_artist(artist)
        frame = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        frames.append(frame.convert("RGB"))
    palette = frames[-1].quantize(COLOURS, method=Image.Quantize.MEDIANCUT)
    frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    frames += [frames[-1]] * fps  # hold the end for a second
    path = folder / file_name("animation", problem, "gif")
    frames[0].save(
        path,
        save_all=True,
        append_images=frames[1:],
        duration=round(1000 / fps),
        loop=0,
        optimize=True,  # frames after the first keep only what changed
    )
    return path
