"""Convergence pictures: each optimizer's best cost so far above the minimum against
evaluations, median over seeds, with the success threshold and an honestly labelled floor."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceProblem, RaceResults

from .style import Style, ranked, runs_by_optimizer, save, success_label, trial_count

#: Markers along each line, this far apart (a fraction of the axes' diagonal); each
#: optimizer's start is shifted, so lines that coincide show every optimizer's markers.
MARK_EVERY = 0.1


def gap_floor(problem: RaceProblem) -> float:
    """The smallest gap drawn (a log axis cannot show 0): 1e-12 relative to ``|f*|`` (at
    least 1), rounded up to a power of ten; gaps at or below it are drawn on it."""
    relative = 1e-12 * max(1.0, abs(problem.fstar or 0.0))
    floor = 10.0 ** math.ceil(math.log10(relative))
    if problem.target_gap:
        floor = min(floor, 10.0 ** math.floor(math.log10(problem.target_gap)) / 100)
    return floor


def gap_matrix(curves: list[np.ndarray], budget: int, fstar: float | None) -> np.ndarray:
    """Runs' best-so-far curves (minus ``f*``), each held at its last value up to ``budget``."""
    rows = np.empty((len(curves), budget))
    for row, curve in zip(rows, curves):
        row[: curve.size] = curve[:budget]
        row[curve.size :] = curve[-1]
    return rows if fstar is None else rows - fstar


def draw_convergence(race: RaceResults, problem: RaceProblem, style: Style, path: Path) -> Path:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    runs = runs_by_optimizer(race, problem.key)
    known = problem.fstar is not None
    floor = gap_floor(problem)
    figure = Figure(figsize=(9.6, 5.0), layout="constrained")
    axes = figure.add_subplot()
    evaluations = np.arange(1, problem.budget + 1)
    names = ranked(race, problem.key)
    handles = []
    lowest = np.inf
    for rank, name in enumerate(names):
        curves = [race.curves[i] for i in runs[name] if i in race.curves]
        curves = [c for c in curves if c.size]
        if not curves:
            continue
        gaps = gap_matrix(curves, problem.budget, problem.fstar)
        if known:
            gaps = np.maximum(gaps, floor)
        low, median, high = np.percentile(gaps, [25, 50, 75], axis=0)
        lowest = min(lowest, low.min())
        colour = style.colour[name]
        axes.fill_between(evaluations, low, high, color=colour, alpha=0.12, linewidth=0, zorder=1)
        (line,) = axes.plot(
            evaluations,
            median,
            color=colour,
            linestyle=style.line[name],
            linewidth=2,
            marker=style.marker[name],
            markersize=6,
            markeredgecolor="white",
            markeredgewidth=0.6,
            markevery=(MARK_EVERY * rank / max(len(names), 1), MARK_EVERY),
            label=success_label(race, problem.key, name),
            zorder=3 + len(names) - rank,  # the winners on top
        )
        handles.append(line)
    axes.set_xscale("log")
    axes.set_xlim(1, problem.budget)
    axes.set_xlabel("evaluations (cups of tea tasted), log scale")
    if known:
        axes.set_yscale("log")
        target = axes.axhline(
            problem.target_gap, color="black", linestyle=(0, (1, 1.5)), linewidth=1.4, zorder=2
        )
        target.set_label(f"target: gap ≤ {problem.target_gap:.2g} (success)")
        handles.append(target)
        if lowest <= floor:
            axes.set_ylim(bottom=floor / 4)
            band = axes.axhspan(
                floor / 4, floor, facecolor="0.93", edgecolor="0.7", hatch="///", linewidth=0
            )
            band.set_zorder(0)
            axes.axhline(floor, color="0.55", linewidth=0.8, zorder=0)
            band.set_label(f"floor: gap ≤ {floor:.0e} (0 included) drawn at {floor:.0e}")
            handles.append(band)
        axes.set_ylabel("best cost so far − f*, log scale")
    else:
        axes.set_ylabel("best cost so far (minimum unknown)")
    axes.grid(True, which="major", alpha=0.3)
    handles.append(Patch(color="0.5", alpha=0.25, label="band: 25–75 % of seeds"))
    handles.append(Line2D([], [], color="none", label="(markers only tell the lines apart)"))
    axes.set_title(
        f"{problem.key}: best cost so far, median of {trial_count(race, problem.key)} seeds\n"
        "legend best first; the best are drawn on top",
        fontsize=11,
    )
    figure.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)
    return save(figure, path)
