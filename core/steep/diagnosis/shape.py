"""Measures of the terrain's shape: bumps along walks and the trend beneath them
(wiggles), the valleys local descents end in, and the curvature at the best point.

Each is a pure function of the probe's evidence, returning a finding; thresholds follow
from what breaks an optimizer (docs/diagnose.md gives the reasoning for each).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .measures import finite
from .model import Finding

#: Wiggles: at least this many bumps per box width along walks of large or small steps ...
BUMPS_PER_WIDTH = 2.5
#: ... on a trend: costs rank-correlated at least this much with the distance to where the
#: best samples are.
TREND = 0.5
#: The share of the sample whose centre marks where the terrain leads.
BEST_SHARE = 0.2
#: A hill between two valleys rises above both ends by at least this share of the relief
#: (the median sampled cost above the best found).
HILL_RISE = 0.01
#: Ill-conditioned: curvatures (Hessian eigenvalues, box units) differ thirtyfold, the
#: valley over five times longer than wide, so slopes point mostly across it.
ILL_CONDITIONED = 30.0
#: Curvatures below this many times the rounding of the Hessian's differences are zero.
CURVATURE_MARGIN = 100.0


def count_bumps(profile: np.ndarray, tolerance: float) -> int:
    """Local maxima of a cost profile, ignoring changes of at most ``tolerance``: none for
    a single smooth valley, whose every line is a single dip."""
    changes = np.diff(finite(profile))
    signs = np.sign(changes[np.abs(changes) > tolerance])
    return int(np.sum((signs[:-1] > 0) & (signs[1:] < 0)))


def bump_density(
    profiles: Sequence[np.ndarray], widths: Sequence[float], tolerance: float
) -> float:
    """Local maxima per box width crossed along cost profiles (NaN: no profile with three
    finite costs)."""
    telling = [(p, w) for p, w in zip(profiles, widths) if len(finite(p)) >= 3]
    crossed = sum(w for _, w in telling)
    if crossed <= 0:
        return np.nan
    return sum(count_bumps(p, tolerance) for p, _ in telling) / crossed


def _ranks(values: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(values, kind="stable")).astype(float)


def _rank_correlation(costs: np.ndarray, distances: np.ndarray) -> float:
    ranks = _ranks(costs), _ranks(distances)
    if min(np.std(r) for r in ranks) == 0:
        return np.nan
    return float(np.corrcoef(*ranks)[0, 1])


def trend(points: np.ndarray, costs: np.ndarray, best: np.ndarray | None) -> float:
    """How much the terrain as a whole leads down to one place: the rank correlation of the
    sampled costs with the distance to it (fitness-distance correlation, Jones & Forrest
    1995), near 1 for a funnel, near 0 or below where good valleys lie far apart. The
    place is unknown, so this is the mean of two estimates: the best point found, and the
    centre of the best fifth of the samples (which one lucky dip cannot move far)."""
    keep = np.isfinite(costs)
    if keep.sum() < 3 or best is None:
        return np.nan
    points, costs = points[keep], costs[keep]
    fifth = np.argsort(costs, kind="stable")[: max(3, int(BEST_SHARE * len(costs)))]
    centre = points[fifth].mean(axis=0)
    return float(
        np.mean(
            [
                _rank_correlation(costs, np.linalg.norm(points - place, axis=1))
                for place in (best, centre)
            ]
        )
    )


def wiggles_finding(large: float, small: float, funnel: float) -> Finding:
    """Bumps per box width along walks of large and of small steps, and whether they sit on
    a trend (``funnel``, from :func:`trend`)."""
    if np.isnan(large):
        return Finding("wiggles", None, np.nan, "not measured: the budget affords no walk")
    density = max(large, small)
    on = f"{large:.2g} bumps per box width at large steps, {small:.2g} at small"
    details = {"large_scale": large, "small_scale": small, "trend": funnel}
    if density < BUMPS_PER_WIDTH:
        return Finding("wiggles", False, density, f"{on}: smooth at small scale", details)
    if np.isnan(funnel) or funnel < TREND:
        return Finding(
            "wiggles",
            False,
            density,
            f"{on}, on no trend (rank correlation {funnel:.2f} with the distance to the best "
            "samples): the bumps are valleys of their own",
            details,
        )
    return Finding(
        "wiggles",
        True,
        density,
        f"{on}, on a trend (rank correlation {funnel:.2f} with the distance to the best "
        "samples): small wiggles on a big valley trap small steps",
        details,
    )


def _roots(count: int, links: np.ndarray) -> np.ndarray:
    """The group of each of ``count`` items once the linked pairs are joined."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links.tolist():
        parent[root(a)] = root(b)
    return np.array([root(i) for i in range(count)])


def valleys_finding(
    end_costs: np.ndarray, links: np.ndarray, straight: np.ndarray, tolerance: float, relief: float
) -> Finding:
    """Valleys the local descents ended in: an end joins its nearest better end unless the
    straight way between them rises above both (hill-valley test, Maree et al. 2018), and
    the share of descents that reached the lowest valley."""
    count = len(end_costs)
    if count < 2:
        return Finding("valleys", None, np.nan, "not measured: fewer than two local descents")
    rise = max(tolerance, HILL_RISE * relief)
    highest_end = end_costs[links].max(axis=1) if len(links) else np.empty(0)
    parted = np.max(straight, axis=1, initial=-np.inf) > highest_end + rise
    roots = _roots(count, links[~parted])
    basins = len(set(roots.tolist()))
    best = int(np.argmin(end_costs))
    reached = (roots == roots[best]) | (end_costs <= end_costs[best] + rise)
    ended = f"local descents from {count} spread-out starts ended in {basins} valley"
    ended += "s parted by hills" if basins > 1 else ""
    return Finding(
        "valleys",
        basins > 1,
        float(basins),
        f"{ended}; {int(reached.sum())} of {count} reached the lowest",
        {"reached_best": float(np.mean(reached)), "descents": count},
    )


def hessian_matrix(
    centre: float, single: np.ndarray, double: np.ndarray, pairs: np.ndarray, steps: np.ndarray
) -> np.ndarray:
    """The forward-difference Hessian from the costs at ``x``, ``x + s_i e_i``,
    ``x + 2 s_i e_i`` and ``x + s_i e_i + s_j e_j`` (i < j, in ``np.triu_indices`` order)."""
    dim = len(steps)
    hessian = np.diag((double - 2 * single + centre) / steps**2)
    rows, columns = np.triu_indices(dim, 1)
    mixed = (pairs - single[rows] - single[columns] + centre) / (steps[rows] * steps[columns])
    hessian[rows, columns] = hessian[columns, rows] = mixed
    return hessian


def curvature_rounding(costs: np.ndarray, steps: np.ndarray) -> float:
    """How large a curvature the rounding of the stencil's costs alone can fake."""
    return 4 * np.finfo(float).eps * float(np.max(np.abs(costs))) / float(np.min(steps**2))


def conditioning_finding(hessian: np.ndarray | None, rounding: float, noisy: bool) -> Finding:
    """The ratio of the largest to the smallest curvature (absolute Hessian eigenvalues,
    box units) at the best point found; curvatures lost in rounding count as that floor.

    A point on a bump (the cost curves down somewhere as strongly as it curves up
    elsewhere, beyond the ratio that counts as ill-conditioned) says nothing of a valley's
    shape; a slight downward curvature is a narrow valley's floor running on.
    """
    if noisy:
        return Finding("conditioning", None, np.nan, "not measured: noise hides the curvature")
    if hessian is None:
        return Finding(
            "conditioning", None, np.nan, "not measured: the budget does not afford the curvature"
        )
    if not np.isfinite(hessian).all():
        return Finding(
            "conditioning", None, np.nan, "not measured: a cost near the best was not finite"
        )
    curvatures = np.linalg.eigvalsh(hessian)
    floor = CURVATURE_MARGIN * rounding
    sizes = np.abs(curvatures)
    if sizes.max() <= floor:
        return Finding("conditioning", None, np.nan, "no curvature at the best point: it is flat")
    ratio = float(sizes.max() / max(sizes.min(), floor))
    if -curvatures.min() > curvatures.max() / ILL_CONDITIONED:
        return Finding(
            "conditioning",
            None,
            ratio,
            f"the best point found sits on a bump (curvatures from {curvatures.min():.3g} to "
            f"{curvatures.max():.3g}): no valley bottom to measure",
        )
    said = f"curvatures at the best point differ {ratio:.3g}-fold"
    if ratio >= ILL_CONDITIONED:
        return Finding(
            "conditioning",
            True,
            ratio,
            f"{said}: a narrow valley, much steeper across than along (ill-conditioned)",
        )
    return Finding("conditioning", False, ratio, f"{said}: a round valley")
