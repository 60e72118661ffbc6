"""Measures of the costs themselves: their spread, noise, flat levels, steps and the
coupling of coordinates. Each is a pure function of the probe's evidence, returning a
finding that states the figure measured and what it means in plain words.

Thresholds follow from what breaks an optimizer, not from the landscapes shipped with
steep (docs/diagnose.md gives the reasoning for each); :mod:`.shape` holds the measures of
the terrain's shape.
"""

from __future__ import annotations

import numpy as np

from .model import Finding

#: Two costs closer than this share of the cost's magnitude are the same (rounding).
HAIR = 1e-9
#: Noise above this share of the cost spread spoils finite-difference slopes, whose steps
#: change a smooth cost by about the square root of double precision (1e-8) of its range.
NOISE_FLOOR = 1e-8
#: Differences smaller than this many standard deviations of a difference of two noisy
#: tastings are taken for noise, not for slope.
NOISE_MARGIN = 3.0
#: A plateau: more than half of the box is one flat level.
PLATEAU_SHARE = 0.5
#: Stairs: most slopes a finite-difference step long are exactly zero.
FLAT_SLOPES = 0.5
#: Separable: no test found a coupling above this share of the coordinates' own effects.
SEPARABLE = 1e-6


def finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[np.isfinite(values)]


def cost_spread(costs: np.ndarray) -> float:
    """How much the cost varies: the interquartile range of the finite costs, or their full
    range where more than half are equal, or 0 when all are."""
    values = finite(costs)
    if len(values) == 0:
        return 0.0
    low, high = np.percentile(values, [25, 75])
    return float(high - low) if high > low else float(values.max() - values.min())


def hair(costs: np.ndarray) -> float:
    """The tolerance below which two costs of this landscape count as equal."""
    values = finite(costs)
    if len(values) == 0:
        return 0.0
    magnitude = max(abs(float(np.median(values))), float(values.max() - values.min()))
    return HAIR * magnitude + np.finfo(float).tiny


def noise_deviation(repeats: np.ndarray) -> float:
    """Standard deviation of a cost tasted again at the same point (0: deterministic)."""
    pairs = repeats[np.isfinite(repeats).all(axis=1)]
    if len(pairs) == 0:
        return np.nan
    return float(np.sqrt(np.mean((pairs[:, 0] - pairs[:, 1]) ** 2) / 2))


def change_tolerance(repeats: np.ndarray, costs: np.ndarray) -> float:
    """Changes of the cost at most this large may be noise or rounding, not terrain."""
    deviation = noise_deviation(repeats)
    noise = 0.0 if np.isnan(deviation) else NOISE_MARGIN * np.sqrt(2) * deviation
    return max(noise, hair(costs))


def noise_finding(repeats: np.ndarray, costs: np.ndarray) -> Finding:
    deviation = noise_deviation(repeats)
    if np.isnan(deviation):
        return Finding("noise", None, np.nan, "not measured: no point was tasted twice")
    if deviation <= hair(costs):
        return Finding(
            "noise", False, 0.0, f"{len(repeats)} points tasted twice cost the same each time"
        )
    spread = cost_spread(costs)
    relative = deviation / spread if spread > 0 else np.inf
    return Finding(
        "noise",
        bool(relative > NOISE_FLOOR),
        relative,
        f"the same point tasted twice differs by {relative:.2g} of the cost spread "
        f"(standard deviation {deviation:.3g}): slopes measured from nearby cups mislead",
        {"deviation": deviation},
    )


def plateau_finding(costs: np.ndarray, best: float) -> Finding:
    """The share of spread-out samples within a hair of the median cost, and whether
    anything the probe tasted lies below that level."""
    values = finite(costs)
    if len(values) < 3:
        return Finding("plateau", None, np.nan, "not measured: too few samples")
    median, tolerance = float(np.median(values)), hair(values)
    share = float(np.mean(np.abs(values - median) <= tolerance))
    if share < PLATEAU_SHARE:
        return Finding(
            "plateau",
            False,
            share,
            f"{share:.0%} of spread-out samples share the median cost: no wide flat level",
        )
    below = float(np.mean(values < median - tolerance))
    if best < median - tolerance:
        bottom = (
            f"{below:.0%} of samples lie below it, the lowest found at {best:.4g}: a narrow "
            "bottom in a flat plain"
        )
    else:
        bottom = "nothing tasted lies below it: any bottom is narrower than the probe's reach"
    return Finding(
        "plateau",
        True,
        share,
        f"{share:.0%} of spread-out samples cost exactly {median:.4g}; {bottom}",
        {"below": below},
    )


def stairs_finding(slopes: np.ndarray, costs: np.ndarray) -> Finding:
    """The share of tiny finite-difference steps that change nothing at all, and of sampled
    costs repeated exactly."""
    pairs = slopes[np.isfinite(slopes).all(axis=1)]
    if len(pairs) == 0:
        return Finding("stairs", None, np.nan, "not measured: no tiny step was taken")
    flat = float(np.mean(pairs[:, 0] == pairs[:, 1]))
    values = finite(costs)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    repeated = float(np.mean(counts[inverse] > 1)) if len(values) else 0.0
    summary = (
        f"{flat:.0%} of {len(pairs)} slopes a millionth of the box long are exactly zero; "
        f"{repeated:.0%} of sampled costs repeat exactly"
    )
    if flat >= FLAT_SLOPES:
        return Finding(
            "stairs", True, flat, f"{summary}: the cost moves in steps", {"repeated": repeated}
        )
    return Finding("stairs", False, flat, summary, {"repeated": repeated})


def separability_finding(interactions: np.ndarray, dim: int, noisy: bool) -> Finding:
    """The coupling f(x + a e_i + b e_j) - f(x + a e_i) - f(x + b e_j) + f(x), which is 0
    for a sum of one-dimensional costs, relative to the coordinates' own effects."""
    if dim == 1:
        return Finding("separability", None, np.nan, "one coordinate: nothing to separate")
    if noisy:
        return Finding("separability", None, np.nan, "not measured: noise hides the coupling")
    rows = interactions[np.isfinite(interactions).all(axis=1)]
    base, along, across, both = rows.T
    effects = np.abs(along - base) + np.abs(across - base)
    telling = effects > (hair(rows.ravel()) if len(rows) else 0.0)
    if not telling.any():
        return Finding("separability", None, np.nan, "not measured: no test moved the cost")
    coupling = np.abs(both - along - across + base)[telling] / effects[telling]
    worst = float(coupling.max())
    tests = f"{int(telling.sum())} tests of two coordinates moved together"
    if worst <= SEPARABLE:
        return Finding(
            "separability",
            True,
            worst,
            f"{tests} found no coupling: a sum of one-dimensional costs, one coordinate at a "
            "time works",
        )
    return Finding(
        "separability",
        False,
        worst,
        f"{tests} found couplings up to {worst:.2g} of their own effects: not separable",
    )
