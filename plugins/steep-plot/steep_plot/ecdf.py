"""COCO's runtime ECDF: the fraction of (problem, target) pairs reached against evaluations
÷ dimension, over 51 targets from 10² to 10⁻⁸ above f*, one line per optimizer (the same
numbers as ``steep report``'s ECDF table, drawn in full)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from steep.race import RaceResults

from .style import Style, save

#: The targets, as gaps above f*: 10^(2 - k/5) for k = 0 … 50 (COCO's bbob targets).
TARGETS = 10.0 ** (2 - np.arange(51) / 5)


def first_hits(gaps: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Evaluation (1-based) at which a best-so-far gap curve first reaches each target
    (``gap <= target``); ``inf`` where it never does."""
    hits = np.full(targets.size, np.inf)
    if gaps.size == 0:
        return hits
    gaps = np.where(np.isnan(gaps), np.inf, gaps)
    falling = -np.minimum.accumulate(gaps)  # the best so far never rises: sorted
    first = np.searchsorted(falling, -np.asarray(targets, dtype=float), side="left")
    found = first < gaps.size
    hits[found] = first[found] + 1
    return hits


def runtimes(race: RaceResults, targets: np.ndarray = TARGETS) -> dict[str, np.ndarray]:
    """Per optimizer, the runtime (evaluations ÷ dimension, ``inf`` if never) of each of
    its (run, target) pairs on the problems with a known minimum, sorted.

    The pairs of every run are pooled, as COCO and ``steep report``'s ECDF table pool
    them: in a race where each optimizer has as many seeds on every problem, that is the
    fraction of (problem, target) pairs reached, averaged over the seeds. Runs without a
    saved curve, broken problems and optimizers with no run on a known minimum are left
    out.
    """
    known = {
        p.key: p for p in race.problems if p.fstar is not None and getattr(p, "error", None) is None
    }
    found: dict[str, list[np.ndarray]] = {}
    for index, record in enumerate(race.records):
        problem = known.get(record.key)
        if problem is None or index not in race.curves:
            continue
        hits = first_hits(race.curves[index] - problem.fstar, targets) / problem.dim
        found.setdefault(record.optimizer, []).append(hits)
    return {name: np.sort(np.concatenate(runs)) for name, runs in found.items()}


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
