"""What the probe gathered, phase by phase, in box units (every coordinate scaled to 0..1).

The probe fills an :class:`Evidence` as its batches come back; a probe stopped early (a
time limit, a run of failed evaluations) leaves the phases it did not reach empty, and the
measures say those were not measured.
"""

from __future__ import annotations

import attrs
import numpy as np


def _empty(*shape: int) -> np.ndarray:
    return np.empty(shape)


@attrs.define(eq=False)
class Evidence:
    """The raw material of the measures.

    ``sample_u``/``sample_f``: spread-out points and costs. ``repeats``: (r, 2) costs of
    the same point tasted twice. ``slopes``: (k, 2) costs of a point and of a point a tiny
    step away. ``walks``: cost profiles along coordinate axes, a large-step walk then a
    small-step one from the same point, with the share of the axis each crosses
    (``walk_widths``). ``ends_u``/``end_f``: where the local descents ended, and their
    costs. ``hill_links``: (end, nearest better end) pairs, ``hill_straight`` the costs a
    quarter, half and three quarters of the way between them (NaN where the ends are too
    close to need a test). ``hessian_*``: costs of the forward-difference stencil with
    signed ``hessian_steps`` around the best point found before it, whose cost is
    ``hessian_centre_f``. ``interactions``: (t, 4) costs f(x), f(x + a e_i), f(x + b e_j),
    f(x + a e_i + b e_j).
    """

    dim: int
    sample_u: np.ndarray = attrs.field(factory=lambda: _empty(0, 0))
    sample_f: np.ndarray = attrs.field(factory=lambda: _empty(0))
    repeats: np.ndarray = attrs.field(factory=lambda: _empty(0, 2))
    slopes: np.ndarray = attrs.field(factory=lambda: _empty(0, 2))
    walks: list[np.ndarray] = attrs.field(factory=list)
    walk_widths: list[float] = attrs.field(factory=list)
    ends_u: np.ndarray = attrs.field(factory=lambda: _empty(0, 0))
    end_f: np.ndarray = attrs.field(factory=lambda: _empty(0))
    hill_links: np.ndarray = attrs.field(factory=lambda: np.empty((0, 2), dtype=int))
    hill_straight: np.ndarray = attrs.field(factory=lambda: _empty(0, 3))
    best_u: np.ndarray | None = None
    best_f: float = np.inf
    hessian_steps: np.ndarray | None = None
    hessian_centre_f: float = np.nan
    hessian_single: np.ndarray | None = None
    hessian_double: np.ndarray | None = None
    hessian_pairs: np.ndarray | None = None
    interactions: np.ndarray = attrs.field(factory=lambda: _empty(0, 4))

    def note_best(self, points_u: np.ndarray, costs: np.ndarray) -> None:
        """Keep the lowest cost seen so far and where it was."""
        if len(costs) == 0:
            return
        index = int(np.argmin(costs))
        if costs[index] < self.best_f:
            self.best_f = float(costs[index])
            self.best_u = points_u[index].copy()
