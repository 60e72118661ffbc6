"""COCO's headline view of a race: the runtime ECDF, the share of (problem, target) pairs each
optimizer reached within a number of evaluations per dimension, over 51 targets from 10^2 down
to 10^-8 above the known minimum (Hansen et al., COCO: performance assessment, 2021)."""

from __future__ import annotations

import math

import numpy as np

from .model import RaceResults

#: COCO's targets: f* + 10^(2 - k/5), k = 0..50.
TARGETS = 10.0 ** (2 - np.arange(51) / 5)
#: Evaluations per dimension at which the report reads the ECDF off.
CHECKPOINTS = (1, 10, 100, 1000, 10_000, 100_000)


def runtimes(curve: np.ndarray, fstar: float, targets: np.ndarray = TARGETS) -> np.ndarray:
    """The evaluation (from 1) at which ``curve`` first came within each of ``targets`` of
    ``fstar``: one per target, ``inf`` where it never did. ``curve`` is read as best so far
    (NaN as no cost), so any curve of costs will do."""
    gaps = np.asarray(curve, dtype=np.float64) - fstar
    if gaps.size == 0:
        return np.full(np.size(targets), math.inf)
    falling = -np.minimum.accumulate(np.where(np.isnan(gaps), np.inf, gaps))  # sorted
    first = np.searchsorted(falling, -np.asarray(targets, dtype=np.float64), side="left")
    return np.where(first < gaps.size, first + 1.0, math.inf)


def runtime_ecdf(results: RaceResults) -> dict[str, tuple[np.ndarray, int]]:
    """Per optimizer: every (run, target)'s runtime in evaluations per dimension, sorted
    (``inf``: not reached), and the count of pairs; only problems with a known minimum."""
    known = {p.key: p for p in results.problems if p.fstar is not None and p.error is None}
    found: dict[str, list[np.ndarray]] = {name: [] for name in results.optimizers}
    for index, record in enumerate(results.records):
        problem = known.get(record.key)
        curve = results.curves.get(index)
        if problem is None or curve is None:
            continue
        found.setdefault(record.optimizer, []).append(runtimes(curve, problem.fstar) / problem.dim)
    return {
        name: (np.sort(np.concatenate(parts)), sum(len(p) for p in parts))
        for name, parts in found.items()
        if parts
    }


def share_reached(sorted_runtimes: np.ndarray, within: float) -> float:
    """The share of pairs whose runtime is at most ``within`` evaluations per dimension."""
    return float(np.searchsorted(sorted_runtimes, within, side="right")) / sorted_runtimes.size


def ecdf_lines(results: RaceResults) -> list[str]:
    """The ECDF read off at :data:`CHECKPOINTS` up to the largest budget, per optimizer."""
    curves = runtime_ecdf(results)
    if not curves:
        return []
    most = max(p.budget / p.dim for p in results.problems)
    checkpoints = [c for c in CHECKPOINTS if c < most] + [most]
    width = max(len(name) for name in curves) + 2
    head = "".join(f"{f'{c:g}':>9}" for c in checkpoints)
    lines = [
        "Runtime ECDF (COCO): share of (problem, target) pairs reached, 51 targets 1e2..1e-8 "
        "above f*, by evaluations / dimension",
        f"  {'optimizer'.ljust(width)}{head}",
    ]
    ranked = sorted(curves.items(), key=lambda item: -share_reached(item[1][0], checkpoints[-1]))
    for name, (times, _) in ranked:
        shares = "".join(f"{share_reached(times, c):9.3f}" for c in checkpoints)
        lines.append(f"  {name.ljust(width)}{shares}")
    return lines
