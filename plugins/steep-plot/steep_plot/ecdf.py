"""COCO's runtime ECDF: the fraction of (problem, target) pairs reached against evaluations
÷ dimension, over 51 targets from 10² to 10⁻⁸ above f*, one line per optimizer (the same
numbers as ``steep report``'s ECDF table, drawn in full)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceResults
from steep.race.ecdf import TARGETS, runtime_ecdf
from steep.race.ecdf import runtimes as target_runtimes

from .style import Style, save

__all__ = ["TARGETS", "draw_ecdf", "ecdf", "first_hits", "fraction_reached", "runtimes"]


def first_hits(gaps: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Evaluation (1-based) at which a gap curve first reaches each target (``gap <=
    target``); ``inf`` where it never does: :func:`steep.race.ecdf.runtimes` above 0."""
    return target_runtimes(gaps, 0.0, targets)


def runtimes(race: RaceResults) -> dict[str, np.ndarray]:
    """Per optimizer, the sorted runtimes (evaluations ÷ dimension, ``inf`` if never) of its
    (run, target) pairs on the problems with a known minimum, pooled as ``steep report``'s
    ECDF table pools them (:func:`steep.race.ecdf.runtime_ecdf`)."""
    return {name: times for name, (times, _) in runtime_ecdf(race).items()}


def ecdf(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The step function of sorted runtimes: ``(x, y)``, ``y[i]`` the fraction of the
    pairs reached by ``x[i]`` evaluations ÷ dimension (``x`` increasing, finite)."""
    x = np.unique(times[np.isfinite(times)])
    return x, np.searchsorted(times, x, side="right") / max(times.size, 1)


def fraction_reached(race: RaceResults, optimizer: str, evaluations_per_dim: float) -> float:
    """The ECDF of ``optimizer`` at ``evaluations_per_dim``: the fraction of its (run,
    target) pairs reached by then."""
    times = runtimes(race)[optimizer]
    return float(np.searchsorted(times, evaluations_per_dim, side="right")) / times.size


def draw_ecdf(race: RaceResults, style: Style, path: Path) -> Path | None:
    from matplotlib.lines import Line2D

    problems = [p for p in race.problems if p.fstar is not None]
    data = runtimes(race)
    if not problems or not data:
        return None
    right = max(p.budget / p.dim for p in problems)
    left = min(1.0 / p.dim for p in problems)
    figure = Figure(figsize=(9.2, 5.0), layout="constrained")
    axes = figure.add_subplot()
    handles = []
    final = {name: float(np.isfinite(times).mean()) for name, times in data.items()}
    for rank, name in enumerate(sorted(final, key=lambda n: (-final[n], n))):
        x, y = ecdf(data[name])
        x = np.concatenate([[left], x, [right]])
        y = np.concatenate([[0.0], y, [final[name]]])
        axes.step(
            x,
            y,
            where="post",
            color=style.colour[name],
            linestyle=style.line[name],
            linewidth=2,
            zorder=3 + len(final) - rank,
        )
        axes.plot(
            right,
            final[name],
            marker=style.marker[name],
            color=style.colour[name],
            markeredgecolor="white",
            markersize=8,
            clip_on=False,
            zorder=20,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=style.colour[name],
                linestyle=style.line[name],
                linewidth=2,
                marker=style.marker[name],
                markeredgecolor="white",
                label=f"{name} ({final[name]:.0%})",
            )
        )
    axes.set_xscale("log")
    axes.set_xlim(left, right)
    axes.set_ylim(0, 1)
    axes.set_xlabel("evaluations ÷ dimension, log scale (right edge: the budget)")
    axes.set_ylabel("fraction of (problem, target) pairs reached")
    axes.grid(True, which="major", alpha=0.3)
    dims = sorted({p.dim for p in problems})
    axes.set_title(
        f"Runtime ECDF (as COCO): {TARGETS.size} targets f* + $10^{{k}}$, k = 2, 1.8, … −8, "
        f"on {len(problems)} problem(s) in {', '.join(f'{d}-D' for d in dims)}\n"
        "every seed's pairs pooled (as in steep report's ECDF table)",
        fontsize=10,
    )
    figure.legend(
        handles=handles,
        loc="outside right upper",
        fontsize=8,
        frameon=False,
        title="reached by the budget",
        title_fontsize=8,
    )
    return save(figure, path)
