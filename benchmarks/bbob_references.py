"""The references of benchmarks/bench_bbob.py: scipy's and pycma's optimizers on one BBOB
landscape, seen through a recorder that keeps every cost and refuses past the budget."""

from __future__ import annotations

import inspect
import warnings

import numpy as np

REFERENCES = (
    "dual_annealing",
    "differential_evolution",
    "pycma-ipop",
    "l-bfgs-b-restarts",
    "nelder-mead-restarts",
)


class BudgetSpent(Exception):
    """Raised by the recorder when a reference asks for more evaluations than the budget."""


class Recorder:
    """A landscape seen one point at a time, keeping every cost, refusing past ``budget``."""

    def __init__(self, landscape, budget: int) -> None:
        self.landscape = landscape
        self.budget = budget
        self.costs: list[float] = []

    def __call__(self, x) -> float:
        if len(self.costs) >= self.budget:
            raise BudgetSpent
        point = np.asarray(x, dtype=np.float64).reshape(1, -1)
        cost = float(self.landscape.evaluate(point)[0])
        self.costs.append(cost)
        return cost

    def best_so_far(self) -> np.ndarray:
        return np.minimum.accumulate(np.array(self.costs)) if self.costs else np.full(1, np.inf)


def seeded(method, seed: int) -> dict:
    """The keyword seeding a scipy optimizer: ``rng`` (scipy >= 1.15) or ``seed``."""
    return {"rng" if "rng" in inspect.signature(method).parameters else "seed": seed}


def run_reference(method: str, landscape, budget: int, seed: int) -> np.ndarray:
    """The best-so-far curve of one run of a reference on ``landscape``."""
    from scipy.optimize import differential_evolution, dual_annealing

    recorder = Recorder(landscape, budget)
    dim = landscape.dim
    bounds = [(landscape.lower, landscape.upper)] * dim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if method == "dual_annealing":
                dual_annealing(recorder, bounds, maxfun=budget, **seeded(dual_annealing, seed))
            elif method == "differential_evolution":
                generations = max(1, budget // (15 * dim) - 1)  # the first is generation 0
                differential_evolution(
                    recorder, bounds, maxiter=generations, **seeded(differential_evolution, seed)
                )
            elif method == "pycma-ipop":
                import cma

                width = landscape.upper - landscape.lower
                x0 = np.random.default_rng(seed).uniform(landscape.lower, landscape.upper, dim)
                options = {
                    "bounds": [landscape.lower, landscape.upper],
                    "maxfevals": budget,
                    "seed": seed + 1,  # pycma draws a random seed for 0
                    "verbose": -9,
                    "verb_log": 0,
                    "verb_disp": 0,
                }
                cma.fmin2(recorder, x0, 0.3 * width, options, restarts=9, incpopsize=2)
            elif method in ("l-bfgs-b-restarts", "nelder-mead-restarts"):
                restart_until_spent(method, recorder, landscape, budget, seed)
            else:
                raise ValueError(f"unknown reference {method!r}")
        except BudgetSpent:
            pass
    return recorder.best_so_far()


def restart_until_spent(method: str, recorder: Recorder, landscape, budget: int, seed: int):
    """scipy's L-BFGS-B (finite differences) or Nelder–Mead, each start a uniform random
    point in the box, started again whenever it stops, until ``recorder`` refuses."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(seed)
    bounds = [(landscape.lower, landscape.upper)] * landscape.dim
    name = "L-BFGS-B" if method == "l-bfgs-b-restarts" else "Nelder-Mead"
    while (left := budget - len(recorder.costs)) > 0:  # or BudgetSpent
        x0 = rng.uniform(landscape.lower, landscape.upper, landscape.dim)
        limit = {"maxfun": left} if name == "L-BFGS-B" else {"maxfev": left}
        minimize(recorder, x0, method=name, bounds=bounds, options=limit)
