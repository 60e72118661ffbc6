"""What bfgs descents from spread starts tell auto about the valleys: where each began and
ended, and whether two ended at the same point."""

from __future__ import annotations

import math

import attrs
import numpy as np

#: Descents end at the same point when their costs agree to this share of the costs'
#: magnitude (and of the drop a descent made) and their ends lie within this share of the
#: box's diagonal.
SAME_COST, SAME_PLACE = 1e-9, 1e-4
#: Descents end at the same depth when their costs differ by less than this share of the
#: deepest drop a descent made.
SAME_DEPTH = 1e-3
#: Valleys are wide when descents travel this share of the box's diagonal (the median).
WIDE = 0.125


@attrs.frozen
class Descent:
    """Where a bfgs descent started and ended, its costs there, and why it stopped."""

    start: np.ndarray
    end: np.ndarray
    start_cost: float
    cost: float
    stopped: str | None  # None: cut short by its share of the budget
    flat: bool  # the slope was exactly zero at a sampled start
    spent: int

    def travel(self, scale: np.ndarray) -> float:
        """How far it went, as a share of the diagonal of a box of widths ``scale``."""
        return float(np.linalg.norm((self.end - self.start) / scale) / math.sqrt(scale.size))


def same_end(a: Descent, b: Descent, scale: np.ndarray) -> bool:
    """Whether two descents ended at the same point of a box of widths ``scale``."""
    relief = max(a.start_cost - a.cost, b.start_cost - b.cost, 0.0)
    magnitude = abs(a.cost) + abs(b.cost) + (relief if math.isfinite(relief) else 0.0)
    if not abs(a.cost - b.cost) <= SAME_COST * magnitude + 1e-300:
        return False
    distance = np.linalg.norm((a.end - b.end) / scale)
    return bool(distance <= SAME_PLACE * math.sqrt(scale.size))


def count_valleys(descents: list[Descent], scale: np.ndarray) -> int:
    """How many different ends the descents found."""
    ends: list[Descent] = []
    for descent in descents:
        if not any(same_end(descent, other, scale) for other in ends):
            ends.append(descent)
    return len(ends)
