"""Spectral (Barzilai-Borwein) step lengths, and the stagnation test of a descent.

A step ``s`` and the change of slope ``y`` it brought measure the curvature along ``s``:
``s.y / s.s`` is a Rayleigh quotient of the Hessian (exactly so on a quadratic). Its
inverse, the *long* step ``s.s / s.y``, is the step length of Barzilai and Borwein (1988);
``s.y / y.y``, the *short* one, is never longer. Plain steepest descent on a steep
narrow valley keeps its step short enough for the steep walls and crawls along the floor;
the spectral step is sometimes long, so the walls are crossed and recrossed (the cost
may rise for a step or two, hence the nonmonotone line search) while the floor is covered
in a few strides. On a quadratic of condition 1e6 in 5-D it reaches 1e-8 in ~50-300
steps where the plain race car needs many thousands.
"""

from __future__ import annotations

import collections
import math

import numpy as np

#: Short steps remembered by ABBmin, and the ratio below which they are used.
SHORT_MEMORY = 5
AGREEMENT = 0.8


class SpectralSteps:
    """ABBmin (Frassoldati, Zanni and Zanghirati 2008): the long step while the long and
    short steps agree, else the shortest of the last few short steps.

    Alternating this way damps the steep directions with short steps and then sweeps the
    flat ones with long steps, which is markedly faster than the long step alone on
    ill-conditioned valleys. ``next`` returns NaN when the step met no positive curvature
    (the caller then starts afresh, as on the first step).
    """

    def __init__(self) -> None:
        self.shorts: collections.deque[float] = collections.deque(maxlen=SHORT_MEMORY)
        self.long = math.nan

    def next(self, step: np.ndarray, change: np.ndarray) -> float:
        curvature = float(step @ change)
        if not curvature > 0:
            self.long = math.nan
            return math.nan
        self.long = float(step @ step) / curvature
        short = curvature / float(change @ change)
        self.shorts.append(short)
        return min(self.shorts) if short < AGREEMENT * self.long else self.long


def stagnant(bests: collections.deque[float], ftol: float) -> bool:
    """Whether the best costs of a full window of steps improved by at most ``ftol`` of the last.

    Relative to the cost, as rounding is: near that level a finite-difference slope is noise,
    and a descent that keeps stepping only polishes rounding errors in a local minimum.
    """
    if len(bests) < (bests.maxlen or 0) or len(bests) < 2:
        return False
    return bests[0] - bests[-1] <= ftol * abs(bests[-1])
