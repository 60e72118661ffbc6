"""Finite differences for gradient-based optimizers: stencils inside the box, slopes, Hessians.

The core's toolkit for optimizers that need a slope (or a curvature) but have no analytic
one. Each function works on one point ``x`` of the box ``bounds``; an optimizer asks the
stencil's points in one batch and hands their costs back::

    from steep import differences

    h = differences.steps(x, bounds, differences.EPS ** 0.5)
    points, signed = differences.slope_stencil(x, bounds, h, central=False)
    ...  # ask `points`, get `costs`
    g = differences.slope(f0, costs, x, bounds, signed)

Every stencil stays inside the box: one-sided where a wall is near, or centred on a point
nudged inward from the wall (:func:`curvature_centre`). Good relative steps are
``EPS ** (1/2)`` for forward slopes, ``EPS ** (1/3)`` for central ones and ``EPS ** (1/4)``
for curvature.
"""

from __future__ import annotations

import numpy as np

from .space import Bounds

#: Machine epsilon of float64, the unit of the relative steps.
EPS = np.finfo(np.float64).eps


def steps(x: np.ndarray, bounds: Bounds, relative: float) -> np.ndarray:
    """Step per coordinate: ``relative * max(|x_i|, width_i / 10)``, at most a quarter width
    (the width of ``bounds.reference()``: an open space's is around its start)."""
    width = bounds.reference().width
    return np.minimum(relative * np.maximum(np.abs(x), width / 10), width / 4)


def slope_stencil(
    x: np.ndarray, bounds: Bounds, h: np.ndarray, central: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Points around ``x`` (``d`` forward, ``2d`` central) and the signed step of each coordinate.

    A step goes backward where ``x + h`` would cross the upper wall; central differences
    that meet a wall use ``x + s`` and ``x + 2s`` on the side with room instead of ``x ± h``.
    """
    signed = np.where(x + h <= bounds.upper, h, -h)
    first = x + np.diag(signed)
    if not central:
        return first, signed
    room = (x + h <= bounds.upper) & (x - h >= bounds.lower)
    second = x + np.diag(np.where(room, -h, 2 * signed))
    return np.vstack([first, second]), signed


def slope(
    f0: float, costs: np.ndarray, x: np.ndarray, bounds: Bounds, signed: np.ndarray
) -> np.ndarray:
    """The slope at ``x`` (cost ``f0``) from the costs of :func:`slope_stencil`'s points.

    ``d`` costs are forward differences, ``2 d`` central (second-order accurate, also
    one-sided at a wall). Components whose stencil met a non-finite cost are set to 0
    (that coordinate stays put).
    """
    d = len(x)
    with np.errstate(invalid="ignore", over="ignore"):
        if len(costs) == d:
            g = (costs - f0) / signed
        else:
            h = np.abs(signed)
            room = (x + h <= bounds.upper) & (x - h >= bounds.lower)
            ahead, behind = costs[:d], costs[d:]
            g = np.where(
                room, (ahead - behind) / (2 * h), (4 * ahead - behind - 3 * f0) / (2 * signed)
            )
    return np.where(np.isfinite(g), g, 0.0)


def curvature_centre(x: np.ndarray, bounds: Bounds, h: np.ndarray) -> np.ndarray:
    """``x`` nudged inward so that every curvature stencil point stays in the box.

    ``(lower + h) - h`` may round to just below ``lower``: clip the stencil before asking it.
    """
    return np.clip(x, bounds.lower + h, bounds.upper - h)


def curvature_stencil(c: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``d (d + 1)`` points around ``c``: ``c ± h_i e_i``, then ``c ± (h_i e_i + h_j e_j)``."""
    axes = np.diag(h)
    i, j = np.triu_indices(len(c), 1)
    pairs = axes[i] + axes[j]
    return np.vstack([c + axes, c - axes, c + pairs, c - pairs])


def slope_and_curvature(
    fc: float, costs: np.ndarray, h: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Central slope and Hessian at ``c`` (cost ``fc``) from :func:`curvature_stencil`'s costs.

    ``H_ij = (f(c+h_i+h_j) + f(c-h_i-h_j) - f(c±h_i) - f(c±h_j) + 2 f(c)) / (2 h_i h_j)``, all
    second-order accurate; non-finite entries are set to 0.
    """
    d = len(h)
    plus, minus = costs[:d], costs[d : 2 * d]
    i, j = np.triu_indices(d, 1)
    pair_plus, pair_minus = costs[2 * d : 2 * d + len(i)], costs[2 * d + len(i) :]
    with np.errstate(invalid="ignore", over="ignore"):
        g = (plus - minus) / (2 * h)
        axis = plus + minus - 2 * fc
        hessian = np.diag(axis / h**2)
        hessian[i, j] = (pair_plus + pair_minus - axis[i] - axis[j] - 2 * fc) / (2 * h[i] * h[j])
    hessian[j, i] = hessian[i, j]
    return np.where(np.isfinite(g), g, 0.0), np.where(np.isfinite(hessian), hessian, 0.0)
