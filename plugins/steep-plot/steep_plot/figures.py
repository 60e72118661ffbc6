"""The pictures of a race, drawn with matplotlib's Agg canvas (no pyplot, no display).

- ``scoreboard.png``: success rate and ERT of every optimizer on every landscape.
- ``ecdf.png``: COCO's runtime ECDF over many targets, all landscapes with a known minimum.
- ``convergence-<landscape>-<d>d.png``: best cost so far above the minimum, per optimizer.
- ``paths-<landscape>-<d>d.png`` (1-D and 2-D): where each optimizer tasted and stopped.

Every optimizer keeps one colour, line style and marker across all pictures.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from steep.pool import available_cores, ignore_interrupts
from steep.race import RaceProblem, RaceResults

#: ECDF targets: gap within 10^k x scale, k from 1 down to -8, five per decade (as COCO).
TARGET_EXPONENTS = np.round(np.arange(1.0, -8.0001, -0.2), 1)
#: Gaps below this fraction of the scale are drawn at it (log axes cannot show 0).
FLOOR = 1e-10
DPI = 110
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">", "p", "*")


class Style:
    """One colour, line style and marker per optimizer, the same in every picture."""

    def __init__(self, optimizers: Sequence[str]) -> None:
        from matplotlib import colormaps

        palette = colormaps["tab10" if len(optimizers) <= 10 else "tab20"].colors
        self.colour = {n: palette[i % len(palette)] for i, n in enumerate(optimizers)}
        self.line = {n: LINE_STYLES[i % len(LINE_STYLES)] for i, n in enumerate(optimizers)}
        self.marker = {n: MARKERS[i % len(MARKERS)] for i, n in enumerate(optimizers)}


def _file_name(kind: str, problem: RaceProblem) -> str:
    return f"{kind}-{problem.landscape}-{problem.dim}d.png"


def _save(figure: Figure, path: Path) -> Path:
    for axes in figure.axes:
        # Data lie inside the axes: leave them out of the layout (it is much faster).
        for artist in (*axes.collections, *axes.lines, *axes.images, *axes.patches, *axes.texts):
            artist.set_in_layout(False)
    figure.savefig(path, dpi=DPI)
    return path


def _gap_matrix(curves: list[np.ndarray], budget: int, fstar: float | None) -> np.ndarray:
    """Runs' best-so-far curves (minus ``f*``), each held at its last value up to ``budget``."""
    rows = np.empty((len(curves), budget))
    for row, curve in zip(rows, curves):
        row[: curve.size] = curve
        row[curve.size :] = curve[-1]
    return rows if fstar is None else rows - fstar


def _runs_by_optimizer(race: RaceResults, key: str) -> dict[str, list[int]]:
    runs: dict[str, list[int]] = {name: [] for name in race.optimizers}
    for index, record in race.records_of(key):
        runs[record.optimizer].append(index)
    return runs


def _success_label(race: RaceResults, key: str, optimizer: str) -> str:
    records = [r for _, r in race.records_of(key) if r.optimizer == optimizer]
    if any(r.success is None for r in records):
        return optimizer
    return f"{optimizer} ({sum(bool(r.success) for r in records)}/{len(records)} reached)"


def _ranked(race: RaceResults, key: str) -> list[str]:
    return [s.optimizer for s in race.tables()[key]]


# --- scoreboard -------------------------------------------------------------------------


def draw_scoreboard(race: RaceResults, style: Style, path: Path) -> Path:
    tables = race.tables()
    problems = [p for p in race.problems if p.fstar is not None]
    names = race.optimizers
    rate = np.full((len(names), len(problems)), np.nan)
    text = [["" for _ in problems] for _ in names]
    for j, problem in enumerate(problems):
        for line in tables[problem.key]:
            i = names.index(line.optimizer)
            rate[i, j] = line.success_rate
            ert = "-" if math.isinf(line.ert) else f"{line.ert:.0f}"
            text[i][j] = f"{line.successes}/{line.runs}\n{ert}"
    order = sorted(range(len(names)), key=lambda i: (-np.nanmean(rate[i]), names[i]))
    width = 2.4 + 0.95 * max(len(problems), 3)
    height = 1.9 + 0.55 * len(names)
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(rate[order], cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for row, i in enumerate(order):
        for j in range(len(problems)):
            value = rate[i, j]
            colour = "black" if np.isnan(value) or 0.25 < value < 0.85 else "white"
            axes.text(j, row, text[i][j], ha="center", va="center", fontsize=8, color=colour)
    for j, problem in enumerate(problems):
        winner = tables[problem.key][0]
        if winner.successes:
            row = order.index(names.index(winner.optimizer))
            axes.add_patch(_rectangle((j - 0.5, row - 0.5), 1, 1, edgecolor="black", linewidth=2.5))
    axes.set_xticks(range(len(problems)), [p.key for p in problems], rotation=40, ha="right")
    axes.set_yticks(range(len(names)), [names[i] for i in order])
    for label in axes.get_yticklabels():
        label.set_color(style.colour[label.get_text()])
        label.set_fontweight("bold")
    axes.set_title(
        "Who reaches the bottom: successes/runs and ERT (evaluations) per landscape;\n"
        "colour = success rate, black frame = fastest (lowest ERT); rows by mean success",
        fontsize=10,
    )
    figure.colorbar(image, ax=axes, label="success rate", shrink=0.8)
    return _save(figure, path)


def _rectangle(*args: Any, **kwargs: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(*args, fill=False, **kwargs)


# --- convergence ------------------------------------------------------------------------


def draw_convergence(race: RaceResults, problem: RaceProblem, style: Style, path: Path) -> Path:
    runs = _runs_by_optimizer(race, problem.key)
    known = problem.fstar is not None
    floor = FLOOR * problem.scale
    figure = Figure(figsize=(7.5, 4.8), layout="constrained")
    axes = figure.add_subplot()
    evaluations = np.arange(1, problem.budget + 1)
    for name in _ranked(race, problem.key):
        curves = [race.curves[i] for i in runs[name] if i in race.curves]
        curves = [c for c in curves if c.size]
        if not curves:
            continue
        gaps = _gap_matrix(curves, problem.budget, problem.fstar)
        if known:
            gaps = np.maximum(gaps, floor)
        low, median, high = np.percentile(gaps, [25, 50, 75], axis=0)
        colour = style.colour[name]
        axes.fill_between(evaluations, low, high, color=colour, alpha=0.15, linewidth=0)
        axes.plot(
            evaluations,
            median,
            color=colour,
            linestyle=style.line[name],
            linewidth=2,
            label=_success_label(race, problem.key, name),
        )
    axes.set_xscale("log")
    axes.set_xlim(1, problem.budget)
    axes.set_xlabel("evaluations (cups of tea tasted), log scale")
    if known:
        axes.set_yscale("log")
        axes.axhline(problem.target_gap, color="black", linestyle=":", linewidth=1.2)
        axes.annotate(
            "target",
            (1, problem.target_gap),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 3),
            textcoords="offset points",
            ha="right",
            fontsize=9,
        )
        axes.set_ylim(bottom=floor / 3)
        axes.annotate(
            f"exact (gap ≤ {floor:.0e})",
            (1, floor),
            xycoords=("axes fraction", "data"),
            xytext=(-4, -10),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color="0.3",
        )
        axes.set_ylabel("best cost so far − f*, log scale")
    else:
        axes.set_ylabel("best cost so far (minimum unknown)")
    axes.grid(True, which="major", alpha=0.3)
    trials = len({r.trial for _, r in race.records_of(problem.key)})
    axes.set_title(
        f"{problem.key}: convergence, median of {trials} seeds (band: 25–75 %)",
        fontsize=11,
    )
    axes.legend(fontsize=8, loc="lower left", framealpha=0.85)
    return _save(figure, path)


# --- ECDF -------------------------------------------------------------------------------


def first_hits(gaps: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Evaluation (1-based) at which a best-so-far gap curve first reaches each target.

    ``inf`` where it never does.
    """
    hits = np.full(targets.size, np.inf)
    if gaps.size == 0:
        return hits
    reached = gaps[None, :] <= targets[:, None]
    found = reached.any(axis=1)
    hits[found] = reached[found].argmax(axis=1) + 1
    return hits


def draw_ecdf(race: RaceResults, style: Style, path: Path) -> Path | None:
    problems = {p.key: p for p in race.problems if p.fstar is not None}
    if not problems:
        return None
    hits: dict[str, list[np.ndarray]] = {name: [] for name in race.optimizers}
    for index, record in enumerate(race.records):
        problem = problems.get(record.key)
        if problem is None or index not in race.curves:
            continue
        targets = problem.scale * 10.0**TARGET_EXPONENTS
        gaps = race.curves[index] - problem.fstar
        hits[record.optimizer].append(first_hits(gaps, targets) / problem.dim)
    longest = max(p.budget / p.dim for p in problems.values())
    figure = Figure(figsize=(7.5, 4.8), layout="constrained")
    axes = figure.add_subplot()
    final = {}
    for name, found in hits.items():
        if not found:
            continue
        times = np.sort(np.concatenate(found))
        final[name] = np.isfinite(times).mean()
    for name in sorted(final, key=lambda n: -final[n]):
        times = np.sort(np.concatenate(hits[name]))
        reached = times[np.isfinite(times)]
        x = np.concatenate([[1.0], reached, [longest]])
        y = np.concatenate([[0.0], np.arange(1, reached.size + 1), [reached.size]]) / times.size
        axes.step(
            x,
            y,
            where="post",
            color=style.colour[name],
            linestyle=style.line[name],
            linewidth=2,
            label=f"{name} ({final[name]:.0%})",
        )
    axes.set_xscale("log")
    axes.set_xlim(1, longest)
    axes.set_ylim(0, 1)
    axes.set_xlabel("evaluations ÷ dimension, log scale")
    axes.set_ylabel("fraction of (run, target) pairs reached")
    axes.grid(True, alpha=0.3)
    axes.set_title(
        f"Runtime ECDF: {len(TARGET_EXPONENTS)} targets (gap ≤ $10^k$ × scale, k = 1 … −8) "
        f"on {len(problems)} landscape(s)",
        fontsize=10,
    )
    axes.legend(fontsize=8, loc="upper left", title="reached at the end", title_fontsize=8)
    return _save(figure, path)


# --- paths ------------------------------------------------------------------------------


def _grid_shape(count: int) -> tuple[int, int]:
    columns = min(count, 3 if count <= 6 else 4)
    return math.ceil(count / columns), columns


def _axis_label(problem: RaceProblem, axis: str) -> str:
    return f"{axis} ({problem.unit})" if problem.unit else axis


def _terrain_bands(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The terrain rounded to 0.1 % of its range, and contour levels at its quantiles.

    Quantile levels show valleys and plains alike; the rounding keeps a flat plain (costs
    that differ only by rounding noise) one band instead of a checkerboard.
    """
    finite = values[np.isfinite(values)]
    low, high = finite.min(), finite.max()
    span = high - low if high > low else 1.0
    rounded = np.round((np.where(np.isfinite(values), values, high) - low) / span, 3)
    levels = np.unique(np.quantile(rounded, np.linspace(0, 1, 16)))
    return rounded, levels if levels.size > 1 else np.array([0.0, 1.0])


def _draw_panel_1d(
    axes: Any, race: RaceResults, problem: RaceProblem, runs: list[int], name: str, style: Style
) -> None:
    x, f = race.terrains[problem.key]
    axes.plot(x, f, color="0.35", linewidth=1.2, zorder=1)
    colour = style.colour[name]
    first = runs[0]
    if first in race.paths:
        points = race.paths[first][:, 0]
        axes.plot(
            points, np.interp(points, x, f), ".", markersize=5, color=colour, alpha=0.3, zorder=2
        )
    for index in runs:
        record = race.records[index]
        if index in race.paths and race.paths[index].size:
            start = race.paths[index][0, 0]
            axes.scatter(
                start,
                np.interp(start, x, f),
                s=45,
                facecolor="white",
                edgecolor=colour,
                linewidth=1.5,
                zorder=3,
            )
        if record.x:
            axes.scatter(
                record.x[0],
                np.interp(record.x[0], x, f),
                s=70,
                color=colour,
                marker=style.marker[name],
                edgecolor="black",
                linewidth=0.8,
                zorder=4,
            )
    if problem.minimum_x is not None:
        axes.scatter(
            problem.minimum_x[0],
            problem.fstar,
            s=160,
            marker="*",
            color="gold",
            edgecolor="black",
            zorder=5,
        )
    axes.set_xlabel(_axis_label(problem, "x"))
    axes.set_ylabel("cost")


def _draw_panel_2d(
    axes: Any, race: RaceResults, problem: RaceProblem, runs: list[int], name: str, style: Style
) -> None:
    x, y, f = race.terrains[problem.key]
    f, levels = _terrain_bands(f)
    bands = np.digitize(f, levels[1:-1])
    axes.imshow(
        bands,
        origin="lower",
        extent=(x[0], x[-1], y[0], y[-1]),
        cmap="Greys_r",
        alpha=0.5,
        aspect="auto",
        interpolation="nearest",
        zorder=0,
    )
    axes.contour(
        x[::2], y[::2], f[::2, ::2], levels=levels[::2], colors="0.35", linewidths=0.3, zorder=1
    )
    colour = style.colour[name]
    first = runs[0]
    if first in race.paths and race.paths[first].size:
        points = race.paths[first]
        axes.plot(points[:, 0], points[:, 1], ".", markersize=4, color=colour, alpha=0.3, zorder=2)
        curve = race.curves.get(first)
        if curve is not None and curve.size:
            improved = np.flatnonzero(np.r_[True, curve[1:] < curve[:-1]])
            track = points[improved]
            axes.plot(track[:, 0], track[:, 1], color=colour, linewidth=1.6, zorder=3)
    for index in runs:
        record = race.records[index]
        if index in race.paths and race.paths[index].size:
            start = race.paths[index][0]
            axes.scatter(
                start[0],
                start[1],
                s=45,
                facecolor="white",
                edgecolor=colour,
                linewidth=1.5,
                zorder=4,
            )
        if record.x:
            axes.scatter(
                record.x[0],
                record.x[1],
                s=70,
                color=colour,
                marker=style.marker[name],
                edgecolor="black",
                linewidth=0.8,
                zorder=5,
            )
    if problem.minimum_x is not None:
        axes.scatter(
            *problem.minimum_x[:2], s=180, marker="*", color="gold", edgecolor="black", zorder=6
        )
    axes.set_xlim(x[0], x[-1])
    axes.set_ylim(y[0], y[-1])
    axes.set_xlabel(_axis_label(problem, "x₁"))
    axes.set_ylabel(_axis_label(problem, "x₂"))


def draw_paths(race: RaceResults, problem: RaceProblem, style: Style, path: Path) -> Path:
    runs = _runs_by_optimizer(race, problem.key)
    names = [n for n in _ranked(race, problem.key) if runs[n]]
    rows, columns = _grid_shape(len(names))
    figure = Figure(figsize=(3.8 * columns, 3.2 * rows + 0.9), layout="constrained")
    panels = figure.subplots(rows, columns, squeeze=False, sharex=True, sharey=True)
    draw = _draw_panel_1d if problem.dim == 1 else _draw_panel_2d
    for axes, name in zip(panels.flat, names):
        draw(axes, race, problem, runs[name], name, style)
        axes.set_title(
            _success_label(race, problem.key, name),
            color=style.colour[name],
            fontsize=10,
            fontweight="bold",
        )
        axes.label_outer()
    for axes in list(panels.flat)[len(names) :]:
        axes.set_visible(False)
    legend = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markerfacecolor="white",
            markeredgecolor="0.2",
            markersize=7,
            label="start (each seed)",
        ),
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            color="0.2",
            alpha=0.4,
            markersize=4,
            label="points tasted (first seed)",
        ),
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            color="0.5",
            markeredgecolor="black",
            markersize=8,
            label="where it stopped: best point (each seed)",
        ),
        Line2D(
            [],
            [],
            linestyle="",
            marker="*",
            color="gold",
            markeredgecolor="black",
            markersize=13,
            label="global minimum",
        ),
    ]
    if problem.dim == 2:
        legend.insert(
            2, Line2D([], [], color="0.2", linewidth=1.6, label="best-so-far track (first seed)")
        )
    figure.legend(
        handles=legend,
        loc="outside lower center",
        ncol=min(len(legend), 3),
        fontsize=8,
        frameon=False,
    )
    figure.suptitle(
        f"{problem.key}: where each optimizer tasted, and where it stopped (best first)",
        fontsize=12,
    )
    return _save(figure, path)


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


def draw_problem(race: RaceResults, folder: Path) -> list[Path]:
    """The convergence and (1-D, 2-D) paths pictures of the single problem of ``race``."""
    (problem,) = race.problems
    style = Style(race.optimizers)
    written = [draw_convergence(race, problem, style, folder / _file_name("convergence", problem))]
    if problem.key in race.terrains:
        written.append(draw_paths(race, problem, style, folder / _file_name("paths", problem)))
    return written


def draw_all(race: RaceResults, folder: Path, jobs: int | None = None) -> list[Path]:
    """Every picture of ``race``, as PNG files in ``folder``; returns their paths.

    The pictures of each problem are drawn over ``jobs`` worker processes (default: all
    cores); the scoreboard and the ECDF in this one.
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
            pending = [pool.submit(draw_problem, piece, folder) for piece in pieces]
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
                written.extend(draw_problem(piece, folder))
    return written
