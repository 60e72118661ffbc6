"""steep's CMA-ES next to pycma and scipy, in one process, on the same functions.

Run from the repository root after installing steep, steep-evolution and the references
(``pip install -e . -e plugins/steep-evolution scipy cma``)::

    python benchmarks/bench_cma.py
    python benchmarks/bench_cma.py --first-seed 100   # another set of seeds: 100-109, 100-139

Prints three tables:

(a) evaluations to first reach f <= 1e-8 on 10-D sphere, ellipsoid and Rosenbrock, median
    over 10 seeds from ``--first-seed`` (default 0) (steep's over all runs, a miss counting
    as infinitely many; pycma's over its successful runs, which can only favour pycma),
    steep ``cma-es`` vs ``cma.fmin2`` with its defaults, from the same start point and the
    same initial step size (0.3 of the box width); goal: ratio <= 1.5.
(b) success rate (f <= 1e-8) on 10-D Rastrigin in [-5.12, 5.12] at the same budget, steep
    ``cma-es`` (IPOP restarts) vs ``scipy.optimize.differential_evolution``, ``--seeds``
    seeds (default 40) from ``--first-seed``; goal: higher.
(c) time per evaluation spent outside the cost function, steep's whole run loop vs pycma's
    ask/tell loop, on a cheap function.
"""

from __future__ import annotations

import argparse
import os

# One BLAS thread for both sides: the eigendecompositions of steep and pycma are small, and
# multithreaded BLAS on a busy machine makes them several times slower (see the docs).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import steep

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import BOUNDS, ellipsoid, pointwise, rastrigin, rosenbrock, sphere

DIM = 10
TARGET = 1e-8
SIGMA0 = 0.3  # fraction of the box width, steep's default
SEEDS = range(10)
SUCCESS_SEEDS = range(40)
RASTRIGIN_BUDGET = 100_000
BUDGET = 100_000


class Counted:
    """A pointwise function that counts evaluations and remembers when it first hit TARGET."""

    def __init__(self, function, budget: int = BUDGET) -> None:
        self.function = pointwise(function)
        self.budget = budget
        self.count = 0
        self.first_hit = np.inf

    def __call__(self, x) -> float:
        self.count += 1
        value = self.function(x)
        if value <= TARGET and self.count < self.first_hit and self.count <= self.budget:
            self.first_hit = self.count
        return value


def start(function, seed: int) -> tuple[np.ndarray, list[tuple[float, float]], float]:
    low, high = BOUNDS[function]
    x0 = np.random.default_rng(1000 + seed).uniform(low, high, DIM)
    return x0, [(low, high)] * DIM, SIGMA0 * (high - low)


def steep_evaluations(function, seed: int) -> float:
    x0, bounds, _ = start(function, seed)
    result = steep.minimize(
        function,
        bounds,
        optimizer="cma-es",
        vectorized=True,
        budget=BUDGET,
        target=TARGET,
        seed=seed,
        x0=x0,
    )
    hits = np.flatnonzero(result.history.fun <= TARGET)
    return float(hits[0] + 1) if len(hits) else np.inf


def pycma_evaluations(function, seed: int) -> float:
    import cma

    x0, _, sigma0 = start(function, seed)
    counted = Counted(function)
    options = {"ftarget": TARGET, "maxfevals": BUDGET, "seed": seed + 1, "verbose": -9}
    cma.fmin2(counted, x0, sigma0, options)
    return counted.first_hit


def steep_rastrigin(seed: int) -> bool:
    low, high = BOUNDS[rastrigin]
    result = steep.minimize(
        rastrigin,
        [(low, high)] * DIM,
        optimizer="cma-es",
        vectorized=True,
        budget=RASTRIGIN_BUDGET,
        target=TARGET,
        seed=seed,
    )
    return result.fun <= TARGET


def scipy_rastrigin(seed: int) -> bool:
    from scipy.optimize import differential_evolution

    low, high = BOUNDS[rastrigin]
    counted = Counted(rastrigin, RASTRIGIN_BUDGET)
    popsize = 15  # scipy's default: popsize * DIM points per generation
    generations = RASTRIGIN_BUDGET // (popsize * DIM) - 1
    # Defaults otherwise, polishing included; evaluations past the budget are not credited.
    differential_evolution(
        counted, [(low, high)] * DIM, maxiter=generations, popsize=popsize, seed=seed
    )
    return counted.first_hit <= RASTRIGIN_BUDGET


def overhead_steep(evaluations: int) -> float:
    spent = [0.0]

    def timed(X):
        begin = time.perf_counter()
        costs = ellipsoid(X)
        spent[0] += time.perf_counter() - begin
        return costs

    begin = time.perf_counter()
    result = steep.minimize(
        timed,
        [BOUNDS[ellipsoid]] * DIM,
        optimizer="cma-es",
        vectorized=True,
        budget=evaluations,
        seed=0,
        options={"max_restarts": 0},
    )
    return (time.perf_counter() - begin - spent[0]) / result.nfev


def overhead_pycma(evaluations: int) -> float:
    import cma

    x0, _, sigma0 = start(ellipsoid, 0)
    spent = 0.0
    count = 0
    begin = time.perf_counter()
    es = cma.CMAEvolutionStrategy(x0, sigma0, {"seed": 1, "verbose": -9})
    while count < evaluations and not es.stop():
        X = es.ask()
        tick = time.perf_counter()
        costs = ellipsoid(np.asarray(X)).tolist()
        spent += time.perf_counter() - tick
        es.tell(X, costs)
        count += len(X)
    return (time.perf_counter() - begin - spent) / count


def hits(evaluations: list[float]) -> str:
    return f"{sum(np.isfinite(evaluations))}/{len(evaluations)}"


def in_parallel(function, *argument_lists):
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(function, *argument_lists))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--first-seed", type=int, default=0, help="lowest seed of (a) and (b) (default 0)"
    )
    parser.add_argument(
        "--seeds", type=int, default=len(SUCCESS_SEEDS), help="runs per method in (b)"
    )
    arguments = parser.parse_args()
    first = arguments.first_seed
    median_seeds = range(first, first + len(SEEDS))
    success_seeds = range(first, first + arguments.seeds)
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    print(
        f"(a) evaluations to reach f <= {TARGET:g} in {DIM}-D, median over {len(median_seeds)} "
        f"seeds ({median_seeds.start}-{median_seeds.stop - 1}; pycma: over its runs that "
        "reached it)"
    )
    print(f"{'function':<12}{'steep cma-es':>14}{'pycma fmin2':>14}{'ratio':>8}  goal <= 1.5")
    for function in (sphere, ellipsoid, rosenbrock):
        seeds = list(median_seeds)
        ours = in_parallel(steep_evaluations, [function] * len(seeds), seeds)
        theirs = in_parallel(pycma_evaluations, [function] * len(seeds), seeds)
        # Conservative for steep: pycma's median over its successful runs only.
        theirs_median = np.median([e for e in theirs if np.isfinite(e)])
        ratio = np.median(ours) / theirs_median
        print(
            f"{function.__name__:<12}{np.median(ours):>14.0f}{theirs_median:>14.0f}"
            f"{ratio:>8.2f}  reached: steep {hits(ours)}, pycma {hits(theirs)}"
        )

    seeds = list(success_seeds)
    ours = sum(in_parallel(steep_rastrigin, seeds))
    theirs = sum(in_parallel(scipy_rastrigin, seeds))
    print()
    print(
        f"(b) success rate (f <= {TARGET:g}) on {DIM}-D Rastrigin in [-5.12, 5.12], "
        f"budget {RASTRIGIN_BUDGET} evaluations, {len(seeds)} seeds "
        f"({success_seeds.start}-{success_seeds.stop - 1})"
    )
    count = len(seeds)
    print(f"{'steep cma-es (IPOP)':<34}{ours:>4}/{count} = {ours / count:.0%}")
    print(f"{'scipy differential_evolution':<34}{theirs:>4}/{count} = {theirs / count:.0%}", end="")
    print("  goal: steep higher")

    evaluations = 5000
    overhead_steep(500)  # warm up
    ours = min(overhead_steep(evaluations) for _ in range(3))
    theirs = min(overhead_pycma(evaluations) for _ in range(3))
    print()
    print(f"(c) overhead per evaluation outside the cost function, {DIM}-D ellipsoid, popsize 10")
    print(f"{'steep cma-es (whole run loop)':<34}{ours * 1e6:>8.1f} µs")
    print(f"{'pycma ask/tell':<34}{theirs * 1e6:>8.1f} µs   ratio {ours / theirs:.2f}")
    print(f"\ntotal time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
