"""Finite differences: the points to taste around ``x`` and the slope they give.

Every stencil stays inside the box: one-sided where a wall is near.
"""

from __future__ import annotations

import numpy as np
import steep

EPS = np.finfo(np.float64).eps


def steps(x: np.ndarray, bounds: steep.Bounds, relative: float) -> np.ndarray:
    """Step per coordinate: ``relative * max(|x_i|, width_i / 10)``, at most a quarter width."""
    return np.minimum(relative * np.maximum(np.abs(x), bounds.width / 10), bounds.width / 4)


def slope_stencil(
    x: np.ndarray, bounds: steep.Bounds, h: np.ndarray, central: bool
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
    f0: float, costs: np.ndarray, x: np.ndarray, bounds: steep.Bounds, signed: np.ndarray
) -> np.ndarray:
    """The slope at ``x`` (cost ``f0``) from the costs of :func:`slope_stencil`'s points.

    ``d`` costs are forward differences, ``2 d`` central. Components whose stencil met a
    non-finite cost are set to 0 (that coordinate stays put).
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
