"""The walls of the box: samples are clipped onto them, and pay a penalty for crossing.

After Hansen et al. (2009), "A method for handling uncertainty in evolutionary optimization
with an application to feedback control of combustion", section on box constraints: a
sample outside the box is evaluated at its projection onto the box (the nearest point
inside), and CMA-ES ranks it by that cost plus a quadratic penalty on the distance it
crossed. The penalty is weighted by the spread of the population's costs: a sample one
standard deviation outside in every coordinate pays twice the interquartile range of the
population's costs. The landscape CMA-ES sees thus keeps rising beyond the walls, and the
mean is drawn back inside. (The paper also adapts the weight per coordinate; this keeps
its initial, common weight, recomputed every generation.)
"""

from __future__ import annotations

import numpy as np


def clip_to_unit_box(unit: np.ndarray) -> np.ndarray:
    return np.clip(unit, 0.0, 1.0)


def crossed_distance(unit: np.ndarray) -> np.ndarray:
    """Squared distance of each row of ``unit`` from the unit box over the dimension (0 inside)."""
    outside = unit - clip_to_unit_box(unit)
    return np.einsum("ij,ij->i", outside, outside) / unit.shape[1]


def penalized(costs: np.ndarray, distance: np.ndarray, variance: float) -> np.ndarray:
    """``costs`` plus the penalty for ``distance`` (from :func:`crossed_distance`).

    ``variance`` is the mean variance of the sampling distribution per coordinate. Infinite
    costs stay infinite; with fewer than two finite costs there is no spread to scale by.
    """
    finite = costs[np.isfinite(costs)]
    if not distance.any() or len(finite) < 2:
        return costs
    low, high = np.percentile(finite, [25, 75])
    with np.errstate(over="ignore"):  # costs near the float limit: an infinite weight
        weight = 2 * (high - low) / variance
    # samples inside pay nothing, even when the weight is infinite (inf * 0 would be NaN)
    penalty = np.multiply(weight, distance, out=np.zeros_like(distance), where=distance > 0)
    return costs + penalty
