"""The local search after a Markov chain: BFGS on finite differences, in the box.

Built on the core's projected line-search descent (:mod:`steep.linesearch`): the slope
comes from forward differences (``d`` points, asked in one batch), the inverse Hessian from
the BFGS update, the step from Armijo backtracking; coordinates pressing on a wall are held
fixed. Annealing runs one of these from each new best point a chain (or the first sample)
finds, until it converges or for at most ``local_iterations`` iterations, and goes on from
where it ended.
"""

from __future__ import annotations

import math

import numpy as np
import steep
from steep.linesearch import DescentOptions
from steep.quasinewton import QuasiNewtonDescent

#: The options the local search runs with: derivative-free (annealing never reads an
#: analytic slope), forward differences, one trial step per line-search batch.
LOCAL_OPTIONS = DescentOptions(use_gradient=False)


class QuasiNewton(QuasiNewtonDescent):
    """The core's BFGS descent (:class:`steep.quasinewton.QuasiNewtonDescent`) from a point
    whose cost is known, on forward differences."""

    name = "annealing-local-search"
    Options = DescentOptions

    def __init__(
        self, bounds: steep.Bounds, x0: np.ndarray, cost: float, rng: np.random.Generator
    ) -> None:
        task = steep.Task(bounds, np.array(x0, dtype=np.float64), budget=1)  # annealing's count
        super().__init__(task, LOCAL_OPTIONS, rng)
        if math.isfinite(cost):
            # The start's cost is known: the first batch (the start, then its stencil, as
            # steep.linesearch asks while the cost is unknown) is cut to the stencil.
            self.f = float(cost)
            self.pending = self.pending[1:]

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=False)
