"""steep's annealing and genetic algorithm next to scipy's global optimizers, in one process.

Run from the repository root after installing steep, the plugins and the reference
(``pip install -e . -e plugins/steep-random-search -e plugins/steep-annealing
-e plugins/steep-genetic scipy``)::

    python benchmarks/bench_robust.py
    python benchmarks/bench_robust.py --seeds 300 --first-seed 1000   # a wider sample

On 2-D Rastrigin in [-5.12, 5.12]^2 and 2-D Ackley in [-32.768, 32.768]^2 (both with their
global minimum 0 at the origin, ``benchmarks/functions.py``), each method gets the same
budget per run (BUDGET = 2000 evaluations, ``--budget``), over SEEDS (30 seeds, 0-29,
``--seeds``, ``--first-seed``). A run succeeds when the lowest cost among its first BUDGET
evaluations is <= SUCCESS (1e-4).

- steep ``annealing`` against ``scipy.optimize.dual_annealing`` (``maxfun=BUDGET``),
- steep ``genetic`` against ``scipy.optimize.differential_evolution`` (default population
  15 per dimension, ``maxiter`` cut so that its generations fit into the budget; its final
  L-BFGS-B polish runs when it converges early),
- steep ``random-search`` as the baseline.

Each method runs with its defaults. scipy's runs see the function through a counting
wrapper that stops them after BUDGET evaluations and keeps only those, so no method gets
more than the budget (scipy's ``maxfun``/``maxiter`` are not exact: local searches and the
polish can overshoot). steep runs spend exactly the budget and report the best cost found.
The goal: steep's success rate at least scipy's, for both pairs on both functions.

"overhead" is each library's own time per evaluation in microseconds: wall time minus the
time spent inside the cost function, over the evaluations (steep evaluates each batch in
one vectorized call, scipy one point at a time).
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import sys
import time

import numpy as np
import scipy
import steep
from scipy.optimize import differential_evolution, dual_annealing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import BOUNDS, ackley, rastrigin

BUDGET = 2000
SEEDS = range(30)
SUCCESS = 1e-4
DIM = 2
FUNCTIONS = (rastrigin, ackley)
PAIRS = (("annealing", "dual_annealing"), ("genetic", "differential_evolution"))


class BudgetSpent(Exception):
    """Raised by the counting wrapper when a scipy run asks for more than the budget."""


class Timed:
    """A cost function that records its costs and the seconds spent inside it."""

    def __init__(self, function, budget: int | None = None) -> None:
        self.function = function
        self.budget = budget
        self.costs: list[float] = []
        self.seconds = 0.0

    def batch(self, X: np.ndarray) -> np.ndarray:
        begin = time.perf_counter()
        costs = self.function(X)
        self.seconds += time.perf_counter() - begin
        return costs

    def point(self, x: np.ndarray) -> float:
        if self.budget is not None and len(self.costs) >= self.budget:
            raise BudgetSpent
        begin = time.perf_counter()
        cost = self.function(np.asarray(x, dtype=float).reshape(1, -1))[0]
        self.seconds += time.perf_counter() - begin
        self.costs.append(float(cost))
        return float(cost)


def run_steep(name: str, function, seed: int, budget: int) -> tuple[float, int, float]:
    """(best cost, evaluations, overhead seconds) of one steep run."""
    timed = Timed(function)
    begin = time.perf_counter()
    result = steep.minimize(
        timed.batch,
        [BOUNDS[function]] * DIM,
        optimizer=name,
        budget=budget,
        seed=seed,
        vectorized=True,
    )
    wall = time.perf_counter() - begin
    return result.fun, result.nfev, wall - timed.seconds


def _seeded(method, seed: int) -> dict:
    """The keyword seeding a scipy optimizer: ``rng`` (scipy >= 1.15) or ``seed``."""
    return {"rng" if "rng" in inspect.signature(method).parameters else "seed": seed}


def run_scipy(name: str, function, seed: int, budget: int) -> tuple[float, int, float]:
    """(best cost among the first ``budget`` evaluations, evaluations, overhead seconds)."""
    timed = Timed(function, budget)
    bounds = [BOUNDS[function]] * DIM
    begin = time.perf_counter()
    try:
        if name == "dual_annealing":
            dual_annealing(timed.point, bounds, maxfun=budget, **_seeded(dual_annealing, seed))
        else:
            generations = budget // (15 * DIM) - 1  # the first population is generation 0
            differential_evolution(
                timed.point,
                bounds,
                maxiter=generations,
                **_seeded(differential_evolution, seed),
            )
    except BudgetSpent:
        pass
    wall = time.perf_counter() - begin
    return min(timed.costs), len(timed.costs), wall - timed.seconds


def measure(method: str, function, budget: int, seeds: range) -> dict:
    runner = run_scipy if method in ("dual_annealing", "differential_evolution") else run_steep
    found, evaluations, overhead = zip(*(runner(method, function, seed, budget) for seed in seeds))
    found = np.array(found)
    return {
        "successes": int((found <= SUCCESS).sum()),
        "median": float(np.median(found)),
        "worst": float(found.max()),
        "evaluations": int(np.max(evaluations)),
        "overhead": 1e6 * sum(overhead) / sum(evaluations),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=int, default=BUDGET, help="evaluations per run")
    parser.add_argument("--seeds", type=int, default=len(SEEDS), help="runs per method")
    parser.add_argument("--first-seed", type=int, default=SEEDS.start, help="lowest seed")
    arguments = parser.parse_args()
    budget = arguments.budget
    seeds = range(arguments.first_seed, arguments.first_seed + arguments.seeds)
    begin = time.perf_counter()
    print(
        f"steep {steep.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"{DIM}-D, budget {budget} evaluations per run, {len(seeds)} seeds "
        f"({seeds.start}-{seeds.stop - 1}), success = best cost <= {SUCCESS:g}"
    )
    methods = ["annealing", "dual_annealing", "genetic", "differential_evolution", "random-search"]
    figures = {(m, f.__name__): measure(m, f, budget, seeds) for f in FUNCTIONS for m in methods}
    print()
    print(
        f"{'function':<11}{'method':<24}{'success':>9}{'median f':>11}{'worst f':>10}"
        f"{'max nfev':>10}{'overhead µs/eval':>18}"
    )
    for function in FUNCTIONS:
        for method in methods:
            row = figures[method, function.__name__]
            rate = f"{row['successes']}/{len(seeds)}"
            print(
                f"{function.__name__:<11}{method:<24}{rate:>9}{row['median']:>11.1e}"
                f"{row['worst']:>10.1e}{row['evaluations']:>10}{row['overhead']:>18.1f}"
            )
    print()
    print("steep against scipy (goal: steep's success rate >= scipy's)")
    verdicts = []
    for function in FUNCTIONS:
        for ours, theirs in PAIRS:
            a, b = figures[ours, function.__name__], figures[theirs, function.__name__]
            difference = (a["successes"] - b["successes"]) / len(seeds)
            holds = a["successes"] >= b["successes"]
            verdicts.append(holds)
            print(
                f"  {function.__name__:<10}{ours:<10} vs {theirs:<23}"
                f"success {a['successes']:>2} vs {b['successes']:>2} "
                f"(difference {difference:+.0%}), "
                f"overhead ratio steep/scipy {a['overhead'] / b['overhead']:.2f}  "
                f"{'holds' if holds else 'FAILS'}"
            )
    print(
        f"goal {'met' if all(verdicts) else 'NOT met'}: held in {sum(verdicts)} of "
        f"{len(verdicts)} comparisons; {time.perf_counter() - begin:.0f} s"
    )


if __name__ == "__main__":
    main()
