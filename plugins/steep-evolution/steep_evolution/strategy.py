"""One CMA-ES run: sampling, and the update of mean, step size and covariance.

Follows Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772), with the
default parameters of its Table 1, including the negative weights of active CMA. The
search runs in coordinates where the box is the unit cube (see ``cmaes``), so the step
size ``sigma`` and the tolerances are fractions of the box width.
"""

from __future__ import annotations

import math
from collections import deque

import attrs
import numpy as np

#: Largest condition number of the covariance matrix before a run counts as converged.
MAX_CONDITION = 1e14
#: A run stops when its largest standard deviation exceeds this many box widths.
MAX_SPREAD = 1e3


def default_popsize(dim: int) -> int:
    """The default population size, ``4 + floor(3 ln n)``."""
    return 4 + int(3 * math.log(dim))


@attrs.frozen
class Parameters:
    """The strategy parameters of CMA-ES for a dimension and a population size."""

    dim: int
    popsize: int
    mu: int
    weights: np.ndarray  # (popsize,), positive then negative, for costs sorted ascending
    mueff: float
    c_sigma: float
    d_sigma: float
    c_c: float
    c_1: float
    c_mu: float
    chi_n: float  # expected length of a standard normal vector
    eigen_interval: int  # generations between eigendecompositions

    @classmethod
    def default(cls, dim: int, popsize: int) -> Parameters:
        n = dim
        mu = popsize // 2
        raw = math.log((popsize + 1) / 2) - np.log(np.arange(1, popsize + 1))
        positive, negative = raw[:mu], raw[mu:]
        mueff = positive.sum() ** 2 / (positive**2).sum()
        c_1 = 2 / ((n + 1.3) ** 2 + mueff)
        c_mu = min(1 - c_1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) ** 2 + mueff))
        weights = np.zeros(popsize)
        weights[:mu] = positive / positive.sum()
        if c_mu > 0 and negative.sum() < 0:
            mueff_minus = negative.sum() ** 2 / (negative**2).sum()
            scale = min(
                1 + c_1 / c_mu,
                1 + 2 * mueff_minus / (mueff + 2),
                (1 - c_1 - c_mu) / (n * c_mu),
            )
            weights[mu:] = scale * negative / -negative.sum()
        c_sigma = (mueff + 2) / (n + mueff + 5)
        return cls(
            dim=n,
            popsize=popsize,
            mu=mu,
            weights=weights,
            mueff=mueff,
            c_sigma=c_sigma,
            d_sigma=1 + 2 * max(0.0, math.sqrt((mueff - 1) / (n + 1)) - 1) + c_sigma,
            c_c=(4 + mueff / n) / (n + 4 + 2 * mueff / n),
            c_1=c_1,
            c_mu=c_mu,
            chi_n=math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n**2)),
            eigen_interval=max(1, int(1 / ((c_1 + c_mu) * n * 10))),
        )


class Strategy:
    """The state of one CMA-ES run: mean, step size, covariance and evolution paths."""

    def __init__(self, mean: np.ndarray, sigma: float, params: Parameters) -> None:
        n = params.dim
        self.params = params
        self.mean = np.array(mean, dtype=np.float64)
        self.sigma = float(sigma)
        self.C = np.eye(n)
        self.B = np.eye(n)
        self.D = np.ones(n)
        self.p_sigma = np.zeros(n)
        self.p_c = np.zeros(n)
        self.generation = 0
        self.eigen_generation = 0
        history = 10 + math.ceil(30 * n / params.popsize)
        self.recent_best: deque[float] = deque(maxlen=history)
        self.best_history: list[float] = []
        self.median_history: list[float] = []
        self.last_costs = np.zeros(0)

    def sample(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``z`` (standard normal) and ``y = B D z`` for one population, rows per point."""
        z = rng.standard_normal((self.params.popsize, self.params.dim))
        return z, (z * self.D) @ self.B.T

    def update(self, z: np.ndarray, y: np.ndarray, costs: np.ndarray, tiebreak: np.ndarray) -> None:
        """Move mean, step size and covariance after a population's ``costs`` (inf: worst).

        Equal costs are ranked by ``tiebreak``, lowest first.
        """
        p = self.params
        order = np.lexsort((tiebreak, costs))
        z, y, costs = z[order], y[order], costs[order]
        mu = p.mu
        positive = p.weights[:mu]
        y_w = positive @ y[:mu]
        z_w = positive @ z[:mu]
        self.mean = self.mean + self.sigma * y_w
        self.generation += 1

        c_s = p.c_sigma
        self.p_sigma = (1 - c_s) * self.p_sigma + math.sqrt(c_s * (2 - c_s) * p.mueff) * (
            self.B @ z_w
        )
        norm_ps = math.sqrt(self.p_sigma @ self.p_sigma)
        correction = math.sqrt(1 - (1 - c_s) ** (2 * self.generation))
        h_sigma = norm_ps / correction < (1.4 + 2 / (p.dim + 1)) * p.chi_n
        c_c = p.c_c
        self.p_c = (1 - c_c) * self.p_c
        if h_sigma:
            self.p_c += math.sqrt(c_c * (2 - c_c) * p.mueff) * y_w

        # Negative weights act on directions rescaled to the length of the positive ones.
        weights = p.weights.copy()
        weights[mu:] *= p.dim / np.maximum(np.einsum("ij,ij->i", z[mu:], z[mu:]), 1e-300)
        delta = 0.0 if h_sigma else c_c * (2 - c_c)
        decay = 1 + p.c_1 * delta - p.c_1 - p.c_mu * p.weights.sum()
        rank_mu = (y.T * weights) @ y
        self.C = decay * self.C + p.c_1 * np.outer(self.p_c, self.p_c) + p.c_mu * rank_mu

        # Cumulative step-size adaptation; growth capped at a factor e per generation.
        self.sigma *= math.exp(min(1.0, (c_s / p.d_sigma) * (norm_ps / p.chi_n - 1)))
        # A flat population (best equals the 70% quantile) gives no direction: widen.
        if costs[0] == costs[math.ceil(0.7 * p.popsize) - 1]:
            self.sigma *= math.exp(0.2 + c_s / p.d_sigma)
        if self.generation - self.eigen_generation >= p.eigen_interval:
            self._decompose()
        self._record(costs)

    def keep_margin(self, distance: np.ndarray, z: float) -> None:
        """Widen the distribution along each coordinate whose standard deviation is below its
        ``distance / z`` (``distance`` infinite: no margin), by scaling that row and column of
        the covariance: the margin of Hamano et al. (2022), applied to ``C`` itself."""
        deviations = self.sigma * np.sqrt(np.diag(self.C))
        least = distance / z
        short = np.isfinite(least) & (deviations < least)
        if short.any():
            factor = np.where(short, least / np.maximum(deviations, 1e-300), 1.0)
            self.C = self.C * np.outer(factor, factor)
            self._decompose()

    def _decompose(self) -> None:
        self.eigen_generation = self.generation
        self.C = (self.C + self.C.T) / 2
        values, self.B = np.linalg.eigh(self.C)
        self.D = np.sqrt(np.maximum(values, 1e-300))

    def _record(self, costs: np.ndarray) -> None:
        self.last_costs = costs
        self.recent_best.append(float(costs[0]))
        self.best_history.append(float(costs[0]))
        self.median_history.append(float(costs[len(costs) // 2]))

    def stop_reason(self, tolfun: float, tolx: float) -> str | None:
        """Why this run has converged or stalled (a restart is due), else ``None``."""
        p = self.params
        recent = self.recent_best
        if len(recent) == recent.maxlen and math.isfinite(self.last_costs[-1]):
            spread = max(max(recent) - min(recent), self.last_costs[-1] - self.last_costs[0])
            if spread < tolfun:
                return f"tolfun: costs of the last {len(recent)} generations within {tolfun:g}"
        deviations = self.sigma * np.sqrt(np.diag(self.C))
        if (deviations < tolx).all() and (self.sigma * np.abs(self.p_c) < tolx).all():
            return f"tolx: step below {tolx:g} of the box width in every coordinate"
        axis = self.generation % p.dim
        step = 0.1 * self.sigma * self.D[axis] * self.B[:, axis]
        if (self.mean + step == self.mean).all():
            return "no effect: a tenth of a standard deviation along an axis leaves the mean"
        if (self.mean + 0.2 * deviations == self.mean).any():
            return "no effect: a fifth of a standard deviation leaves a coordinate of the mean"
        if (self.D.max() / self.D.min()) ** 2 > MAX_CONDITION:
            return f"condition number of the covariance above {MAX_CONDITION:g}"
        if self.sigma * self.D.max() > MAX_SPREAD:
            return f"step size grew past {MAX_SPREAD:g} box widths: the costs give no direction"
        return self._stagnation()

    def _stagnation(self) -> str | None:
        """Median best and median cost of the latest 30% of generations no better than
        of the earliest 30%, over the last 20% (at least 120 + 30 n / popsize) generations."""
        p = self.params
        count = len(self.best_history)
        window = min(max(int(0.2 * count), 120 + 30 * p.dim // p.popsize), 20_000)
        if count < window or count % 10:
            return None
        span = max(1, int(0.3 * window))
        for history in (self.best_history, self.median_history):
            recent = np.median(history[-span:])
            early = np.median(history[-window : -window + span])
            if recent < early:
                return None
        return f"stagnation: no progress of best and median costs over {window} generations"
