"""The picture of `steep diagnose --plot`: every cup the probe tasted, with the verdict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .style import PALETTE


def draw_diagnosis(diagnosis: Any, path: Path) -> Path:
    """1-D: the costs along the axis; 2-D: a map of the probes coloured by cost; more: the
    costs against the distance from the best point. The title gives the verdict and each
    finding that is present, with its figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points, costs = np.asarray(diagnosis.points), np.asarray(diagnosis.costs, dtype=float)
    finite = np.isfinite(costs)
    figure, axes = plt.subplots(figsize=(8, 4.8), layout="constrained")
    if diagnosis.dim == 1:
        order = np.argsort(points[:, 0])
        axes.plot(points[order, 0], costs[order], color="0.75", lw=0.8, zorder=1)
        axes.scatter(points[:, 0], costs, s=12, color=PALETTE[0], zorder=2)
        axes.set(xlabel="x", ylabel="cost")
    elif diagnosis.dim == 2:
        shown = axes.scatter(
            points[finite, 0], points[finite, 1], c=costs[finite], s=14, cmap="cividis"
        )
        figure.colorbar(shown, ax=axes, label="cost (dark: low)")
        axes.set(xlabel="x₁", ylabel="x₂")
    else:
        best = points[np.nanargmin(np.where(finite, costs, np.nan))]
        distance = np.linalg.norm(points - best, axis=1)
        axes.scatter(distance, costs, s=12, color=PALETTE[0])
        axes.set(xlabel="distance from the best point tasted", ylabel="cost")
    verdict = diagnosis.recommendation
    present = ", ".join(f"{f.key} {f.figure:.3g}" for f in diagnosis.findings if f.present)
    axes.set_title(
        f"{diagnosis.problem} ({diagnosis.dim}-D), {diagnosis.nfev} probes: {verdict.vehicle}, "
        f"{verdict.optimizer or 'none installed'}\nfound: {present or 'no failure mode'}",
        fontsize=10,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
