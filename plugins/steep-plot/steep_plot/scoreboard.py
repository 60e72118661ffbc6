"""The scoreboard: the success rate and ERT of every optimizer on every landscape with a
known minimum, one row per landscape, wrapped into side-by-side blocks to stay readable."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceProblem, RaceResults

from .style import DPI, Style, save

#: The widest scoreboard, in pixels: past it, landscapes wrap into more rows per block.
MAX_WIDTH_PX = 2000
#: Fewer landscapes than this stay in one block.
MIN_ROWS_PER_BLOCK = 16
#: The narrowest scoreboard, in inches: room for its title and note.
MIN_WIDTH = 7.6
CELL_WIDTH = 0.8  # inches
MIN_CELL_WIDTH = 0.68
#: The colour bar and the padding around the blocks, in inches.
MARGIN = 1.3
CELL_HEIGHT = 0.3
#: Colour-blind safe (deuteranopia, protanopia), and light where the success rate is high.
COLOUR_MAP = "cividis"
ABOVE_BUDGET = "*"


def budget_phrase(problems: list[RaceProblem]) -> str:
    """The budget of ``problems`` in words: one number, per dimension, or "each row's"."""
    budgets = {p.budget for p in problems}
    if len(budgets) == 1:
        return f"the budget ({budgets.pop()} evaluations)"
    per_dim = {p.budget / p.dim for p in problems}
    if len(per_dim) == 1:
        return f"the budget ({per_dim.pop():g} evaluations × dimension)"
    return "the landscape's budget"


def cell_text(successes: int, runs: int, ert: float, budget: int) -> str:
    """``"k/n · ERT"``: ERT ``∞`` with no success, marked when above the budget."""
    if math.isinf(ert):
        return f"{successes}/{runs} · ∞"
    mark = ABOVE_BUDGET if ert > budget else ""
    return f"{successes}/{runs} · {ert:.0f}{mark}"


def layout(rows: int, columns: int, label_width: float) -> tuple[int, float, float]:
    """How many side-by-side blocks ``rows`` landscapes take, the width of a cell and the
    figure's width (inches): as many blocks as needed for :data:`MIN_ROWS_PER_BLOCK` rows
    each, as fit under :data:`MAX_WIDTH_PX` with cells at least :data:`MIN_CELL_WIDTH`."""
    room = MAX_WIDTH_PX / DPI - MARGIN
    blocks = max(1, math.ceil(rows / MIN_ROWS_PER_BLOCK))
    while blocks > 1 and (room / blocks - label_width) / columns < MIN_CELL_WIDTH:
        blocks -= 1
    cell = max(MIN_CELL_WIDTH, min(CELL_WIDTH, (room / blocks - label_width) / columns))
    width = blocks * (label_width + columns * cell) + MARGIN
    return blocks, cell, min(max(width, MIN_WIDTH), MAX_WIDTH_PX / DPI)


def _framed(axes: Any, column: int, row: int) -> None:
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    frame = Rectangle(
        (column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2, zorder=3
    )
    frame.set_path_effects(
        [patheffects.Stroke(linewidth=4, foreground="white"), patheffects.Normal()]
    )
    axes.add_patch(frame)


def draw_scoreboard(race: RaceResults, style: Style, path: Path) -> Path:
    tables = race.tables()
    problems = [p for p in race.problems if p.fstar is not None]
    names = race.optimizers
    rate = np.full((len(problems), len(names)), np.nan)
    text = [["not raced" for _ in names] for _ in problems]
    above = False
    for i, problem in enumerate(problems):
        for line in tables[problem.key]:
            j = names.index(line.optimizer)
            rate[i, j] = line.success_rate
            text[i][j] = cell_text(line.successes, line.runs, line.ert, problem.budget)
            above |= text[i][j].endswith(ABOVE_BUDGET)
    mean = [
        np.nanmean(rate[:, j]) if np.isfinite(rate[:, j]).any() else -1.0 for j in range(len(names))
    ]
    order = sorted(range(len(names)), key=lambda j: (-mean[j], names[j]))
    label_width = 0.3 + 0.075 * max(len(p.key) for p in problems)
    blocks, cell, width = layout(len(problems), len(names), label_width)
    fontsize = 8 if cell >= 0.78 else 7.5
    per_block = math.ceil(len(problems) / blocks)
    height = 2.6 + CELL_HEIGHT * per_block
    figure = Figure(figsize=(width, height), layout="constrained")
    panels = figure.subplots(1, blocks, squeeze=False)[0]
    from matplotlib import colormaps

    cmap = colormaps[COLOUR_MAP].with_extremes(bad="#e8e8e8")
    for number, axes in enumerate(panels):
        rows = range(number * per_block, min((number + 1) * per_block, len(problems)))
        image = axes.imshow(
            rate[rows.start : rows.stop][:, order], cmap=cmap, vmin=0, vmax=1, aspect="auto"
        )
        for row, i in enumerate(rows):
            winner = tables[problems[i].key][0]
            for column, j in enumerate(order):
                value = rate[i, j]
                best = bool(winner.successes) and winner.optimizer == names[j]
                colour = "black" if np.isnan(value) or value >= 0.5 else "white"
                axes.text(
                    column,
                    row,
                    text[i][j],
                    ha="center",
                    va="center",
                    fontsize=fontsize - (0.75 if len(text[i][j]) >= 12 else 0),
                    color=colour,
                    fontweight="bold" if best else "normal",
                )
                if best:
                    _framed(axes, column, row)
        axes.set_ylim(per_block - 0.5, -0.5)
        axes.set_yticks(range(len(rows)), [problems[i].key for i in rows], fontsize=9)
        axes.set_xticks(range(len(names)), [names[j] for j in order], fontsize=9)
        axes.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False, length=0)
        for label in axes.get_xticklabels():
            label.set(rotation=35, ha="left", rotation_mode="anchor", fontweight="bold")
        for spine in axes.spines.values():
            spine.set_visible(False)
    figure.colorbar(image, ax=list(panels), label="success rate", shrink=0.6)
    figure.suptitle(
        "Who reaches the bottom: successes/runs · ERT (expected evaluations to the target)\n"
        "colour = success rate; framed = fastest (lowest ERT); columns by mean success",
        fontsize=11,
    )
    note = (
        "ERT (as COCO): the evaluations of all runs, each failed run counting "
        f"{budget_phrase(problems)}, divided by the successes; ∞: no run reached the target."
    )
    if above:
        note += (
            f"\n{ABOVE_BUDGET} ERT above the budget: some runs failed, so this is the expected "
            "cost of restarting until one succeeds, more than any single run was allowed."
        )
    lines = (textwrap.fill(line, int(width * 15)) for line in note.split("\n"))
    figure.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=8.5, color="0.15")
    return save(figure, path)
