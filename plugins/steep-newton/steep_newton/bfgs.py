"""BFGS: quasi-Newton curvature built from the change of slope along each step."""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np
from steep import option
from steep.linesearch import DescentOptions
from steep.quasinewton import QuasiNewtonDescent


@attrs.frozen
class BFGSOptions(DescentOptions):
    differences: Literal["forward", "central"] = option(
        "forward", "finite differences for the slope: forward (d points) or central (2d)"
    )


class BFGS(QuasiNewtonDescent):
    """BFGS quasi-Newton: an inverse Hessian learnt from slopes alone, a line search per step.

    The slope comes from finite differences (forward: ``d`` points, step ``sqrt(eps)``
    relative; central: ``2 d`` points, ``eps**(1/3)``) asked in one batch, or from the
    analytic slope. The inverse Hessian starts as a multiple of the identity that makes the
    first step ``initial_step`` of the box diagonal, is rescaled by ``s.y / y.y`` after the
    first step, and takes the BFGS update ``H <- (I - r s y') H (I - r y s') + r s s'``
    (``r = 1 / y.s``), skipped when the curvature ``y.s`` is not positive, after widening the
    inverse Hessian by ``y.s / y.H y`` when a step met less curvature than it supposed
    (self-scaling, upwards only: the search never tries past the full step). Steps are projected
    onto the box, coordinates pressing on a wall held fixed; Armijo backtracking from the full
    quasi-Newton step. When a direction fails to lower the cost the curvature is forgotten
    and the search retried along the slope. Cheap iterations, many of them: ``nfev`` near
    ``(d + 1) nit``.
    """

    name = "bfgs"
    Options = BFGSOptions
    parallelism = "asks the d (or 2d) slope stencil in one batch, then `trials` steps per batch"

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=self.options.differences == "central")
