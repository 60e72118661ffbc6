"""Spectral (Barzilai-Borwein) step lengths, a diagonal curvature, and the stagnation test.

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
#: Diagonal curvature: the blend ``mu`` as a fraction of the step's mean squared coordinate,
#: the factor it may lie from the step's own curvature, and the fraction of the scalar
#: curvature's error its prediction of the change of slope must beat to be used (measured on
#: BBOB f1-f24, dims 3 and 7: 0.1 to 0.5 all help on f1-5, 0.3 loses least elsewhere).
BLEND = 1.0
SPREAD = 1e6
TRUST = 0.3


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

    def next(self, step: np.ndarray, change: np.ndarray, metric: np.ndarray | None = None) -> float:
        """The next step length; with ``metric`` (a diagonal curvature ``D``, the step then
        being ``D^-1 g``) the steps of the scaled variables ``D^(1/2) x``: ``s.Ds / s.y`` and
        ``s.y / y.D^-1 y`` (the preconditioned spectral gradient of Luengo, Raydan, Glunt and
        Hayden 2002), 1 where ``D`` is the Hessian."""
        curvature = float(step @ change)
        if not curvature > 0:
            self.long = math.nan
            return math.nan
        d = np.ones_like(step) if metric is None else metric
        self.long = float(step @ (d * step)) / curvature
        short = curvature / float(change @ (change / d))
        self.shorts.append(short)
        return min(self.shorts) if short < AGREEMENT * self.long else self.long


class DiagonalCurvature:
    """A diagonal Barzilai-Borwein curvature ``D``, trusted only while it predicts the slope.

    Per coordinate, the secant ``y_i / s_i`` blended with the last ``D``: ``D`` minimizes
    ``|D s - y|^2 + mu |D - D_last|^2``, so ``D_i = (s_i y_i + mu D_i) / (s_i^2 + mu)``
    (the diagonal BB step of Park, Dhar, Boyd and Shah 2020; a diagonal secant update in
    the spirit of Zhu, Nazareth and Wolkowicz 1999). On a separable quadratic ``y_i / s_i``
    is the Hessian's diagonal and the step ``D^-1 g`` is Newton's: a separable valley of
    any condition becomes a round bowl. On a rotated valley ``y_i / s_i`` means little and
    dividing by it bends the slope off course, so ``D`` is used (``trusted``) from a step
    whose change of slope ``y`` it predicted (``D s``) with at most ``TRUST`` of the error
    of the last scalar curvature, until it predicts worse than that curvature, or a step
    meets no positive curvature (a hysteresis: a separable but not quadratic valley keeps
    it); otherwise the descent takes the scalar spectral step. Safeguards: a coordinate
    whose secant is not positive keeps its last value, and ``D`` stays within ``SPREAD``
    of the step's Rayleigh quotient ``s.y / s.s``. Without the trust test, on BBOB in 3-D
    and 7-D, the rotated functions lost so much that the whole suite fell from 0.43 of its
    targets (scalar steps) to 0.31.
    """

    def __init__(self) -> None:
        self.values: np.ndarray | None = None  # until a step met positive curvature
        self.along = math.nan  # the last step's scalar curvature s.y / s.s
        self.trusted = False

    def update(self, step: np.ndarray, change: np.ndarray) -> None:
        curvature = float(step @ change)
        if not curvature > 0:
            self.trusted = False
            return
        if self.values is not None:
            diagonal = np.linalg.norm(change - self.values * step)
            bar = 1.0 if self.trusted else TRUST
            self.trusted = bool(diagonal < bar * np.linalg.norm(change - self.along * step))
        self.along = curvature / float(step @ step)
        last = np.full_like(step, self.along) if self.values is None else self.values
        mu = BLEND * float(step @ step) / len(step)
        blended = np.where(step * change > 0, (step * change + mu * last) / (step**2 + mu), last)
        self.values = np.clip(blended, self.along / SPREAD, self.along * SPREAD)


def stagnant(bests: collections.deque[float], ftol: float) -> bool:
    """Whether the best costs of a full window of steps improved by at most ``ftol`` of the last.

    Relative to the cost, as rounding is: near that level a finite-difference slope is noise,
    and a descent that keeps stepping only polishes rounding errors in a local minimum.
    """
    if len(bests) < (bests.maxlen or 0) or len(bests) < 2:
        return False
    return bests[0] - bests[-1] <= ftol * abs(bests[-1])
