"""Generalized simulated annealing's three laws: visiting, acceptance and cooling.

After C. Tsallis and D. A. Stariolo 1996, "Generalized simulated annealing" (Physica A 233,
395-406), and Y. Xiang, D. Y. Sun, W. Fan and X. G. Gong 1997, "Generalized simulated
annealing algorithm and its application to the Thomson model" (Physics Letters A 233,
216-220). Temperatures here are dimensionless: a visiting temperature ``T`` stands for a
step of scale ``T ** (1 / (3 - qv)) / sqrt(3 - qv)`` box widths, and the acceptance
temperature is measured in units of the costs' spread (see ``annealing``).
"""

from __future__ import annotations

import math

import numpy as np

#: Visits are cut at this many times their scale (the tails reach past floats); the scale
#: itself is capped as many box widths.
LONGEST_STEP = 1e6


def cooling(t: float, qv: float) -> float:
    """``T(t) / T0 = (2^(qv-1) - 1) / ((1 + t)^(qv-1) - 1)``, 1 at step ``t = 1``.

    Tsallis and Stariolo's schedule: fast (``~ t^(1-qv)``) for ``qv`` near 3, the classical
    ``ln 2 / ln(1 + t)`` of Boltzmann annealing as ``qv`` tends to 1.
    """
    return math.expm1((qv - 1) * math.log(2)) / math.expm1((qv - 1) * math.log1p(t))


def degrees_of_freedom(qv: float) -> float:
    """The visiting distribution is Student's t with ``(3 - qv) / (qv - 1)`` degrees of freedom.

    Tsallis and Stariolo's ``D``-dimensional visiting law,
    ``g(dx) ~ [1 + (qv - 1) |dx|^2 / T^(2/(3-qv))] ^ -(1/(qv-1) + (D-1)/2)``, is the
    multivariate Student t with ``nu = (3 - qv) / (qv - 1)`` degrees of freedom (the exponent
    is ``(nu + D) / 2``) and scale ``T^(1/(3-qv)) / sqrt(3 - qv)`` per coordinate: a Gaussian
    as ``qv`` tends to 1, a Cauchy at ``qv = 2``, heavier tails beyond.
    """
    return (3 - qv) / (qv - 1)


def visiting_scale(temperature: float, qv: float) -> float:
    """The scale of a visit at ``temperature``, in box widths (at most ``LONGEST_STEP``)."""
    log_scale = math.log(temperature) / (3 - qv) - 0.5 * math.log(3 - qv)
    return math.exp(min(log_scale, math.log(LONGEST_STEP)))


def visits(
    rng: np.random.Generator, count: int, dim: int, temperature: float, qv: float
) -> np.ndarray:
    """``count`` steps in ``dim`` coordinates (box widths) from the ``dim``-D visiting law.

    A multivariate t: one Gaussian direction and length per step, divided by the square root
    of one chi-square with ``nu`` degrees of freedom over ``nu``, so all coordinates of a
    step jump together (far, or near).
    """
    nu = degrees_of_freedom(qv)
    gauss = rng.standard_normal((count, dim))
    mixing = np.sqrt(np.maximum(rng.chisquare(nu, (count, 1)) / nu, 1e-300))
    return visiting_scale(temperature, qv) * gauss / mixing


def acceptance(rise: float, temperature: float, qa: float) -> float:
    """Odds of taking a step uphill by ``rise`` (> 0) at acceptance ``temperature``.

    ``[1 - (1 - qa) rise / T] ^ (1 / (1 - qa))``, 0 once the bracket is not positive: for
    ``qa < 1`` rises beyond ``T / (1 - qa)`` are never taken (Metropolis' ``exp(-rise / T)``
    as ``qa`` tends to 1).
    """
    if temperature <= 0:
        return 0.0
    base = 1.0 - (1.0 - qa) * rise / temperature
    return math.exp(math.log(base) / (1.0 - qa)) if base > 0 else 0.0
