"""steep's gradient descent, Newton and BFGS next to scipy.optimize, in one process.

Run from the repository root after installing steep, the plugins and the reference
(``pip install -e . -e plugins/steep-gradient-descent -e plugins/steep-newton
-e plugins/steep-landscape-bowl scipy``)::

    python benchmarks/bench_gradient.py

Prints three tables:

(a) the bowls: on the tea bowl (1-D and 10-D), steep.testing.Sphere and ``functions.sphere``
    in 10-D, and the elongated ``functions.ellipsoid`` (condition 1e6) in 10-D, from the same
    seeded start: does each of gradient-descent, newton and bfgs get within 1e-8 of the
    minimum inside the default budget, in how many iterations (nit) and evaluations (nfev);
    slope from the landscape where it has one, else finite differences.
(b) evaluations to first reach f <= 1e-6 on 2-D and 10-D Rosenbrock in [-5, 10], median
    over 10 start points, steep ``bfgs`` with finite-difference slopes vs
    ``scipy.optimize.minimize(method="BFGS")`` with its defaults (also finite differences),
    from the same start; each counts its evaluations until the first that reaches 1e-6, and
    a run that never does counts as infinite. Goal: ratio steep / scipy <= 1.5.
(c) wall time per evaluation over the runs of (b) (the cost function is cheap, so this is
    mostly each library's own overhead): steep evaluates batches, scipy one point at a time.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np
import steep
from steep.testing import Sphere

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from functions import BOUNDS, ellipsoid, pointwise, rosenbrock, sphere

OPTIMIZERS = ("gradient-descent", "newton", "bfgs")
BOWL_TOLERANCE = 1e-8
TARGET = 1e-6
SEEDS = range(10)


def first_hit(costs, level: float) -> float:
    """The number of evaluations up to the first cost at or below ``level`` (inf if none)."""
    hits = np.flatnonzero(np.asarray(costs) <= level)
    return float(hits[0] + 1) if len(hits) else np.inf


def bowl_problems():
    """(label, objective, bounds, dim, minimum cost) of the bowl-like problems of table (a)."""
    problems = []
    try:
        steep.make_problem("bowl", dim=1)
        problems += [("bowl 1-D", "bowl", None, 1, 0.0), ("bowl 10-D", "bowl", None, 10, 0.0)]
    except steep.UsageError:
        print("(the bowl landscape is not installed: pip install -e plugins/steep-landscape-bowl)")
    problems += [
        ("testing.Sphere 10-D", Sphere(dim=10), None, None, 0.0),
        ("functions.sphere 10-D", sphere, [BOUNDS[sphere]] * 10, None, 0.0),
        ("functions.ellipsoid 10-D", ellipsoid, [BOUNDS[ellipsoid]] * 10, None, 0.0),
    ]
    return problems


def table_bowls() -> None:
    print(f"(a) within {BOWL_TOLERANCE:g} of the minimum inside the default budget, seed 0")
    print(
        f"{'problem':<26}{'optimizer':<18}{'slope':<12}{'reached':>8}{'fun':>10}"
        f"{'nit':>6}{'nfev':>7}{'njev':>6}"
    )
    for label, objective, bounds, dim, minimum in bowl_problems():
        iterations = {}
        for name in OPTIMIZERS:
            result = steep.minimize(
                objective, bounds, optimizer=name, dim=dim, vectorized=True, seed=0
            )
            iterations[name] = result.nit
            reached = "yes" if result.fun - minimum <= BOWL_TOLERANCE else "NO"
            slope = "analytic" if result.njev else "differences"
            print(
                f"{label:<26}{name:<18}{slope:<12}{reached:>8}{result.fun:>10.1e}"
                f"{result.nit:>6}{result.nfev:>7}{result.njev:>6}"
            )
        compared = ", ".join(
            f"{name} {_compare(iterations[name], iterations['gradient-descent'])}"
            for name in ("newton", "bfgs")
        )
        print(f"{'':<26}iterations against gradient-descent: {compared}")


def _compare(ours: int, theirs: int) -> str:
    return "fewer" if ours < theirs else "same" if ours == theirs else "MORE"


def rosenbrock_start(dim: int, seed: int) -> np.ndarray:
    low, high = BOUNDS[rosenbrock]
    return np.random.default_rng(seed).uniform(low, high, dim)


def steep_bfgs(dim: int, seed: int) -> tuple[float, int, float]:
    """(evaluations to reach TARGET, evaluations spent, seconds) of steep's bfgs."""
    begin = time.perf_counter()
    result = steep.minimize(
        rosenbrock,
        [BOUNDS[rosenbrock]] * dim,
        optimizer="bfgs",
        vectorized=True,
        x0=rosenbrock_start(dim, seed),
        seed=seed,
        target=TARGET,
        budget=10_000 * dim,
        options={"use_gradient": False},
    )
    return first_hit(result.history.fun, TARGET), result.nfev, time.perf_counter() - begin


def scipy_bfgs(dim: int, seed: int) -> tuple[float, int, float]:
    """(evaluations to reach TARGET, evaluations spent, seconds) of scipy's BFGS."""
    from scipy.optimize import minimize

    function = pointwise(rosenbrock)
    costs = []

    def counted(x):
        cost = function(x)
        costs.append(cost)
        return cost

    begin = time.perf_counter()
    minimize(counted, rosenbrock_start(dim, seed), options={"method": "BFGS"})
    return first_hit(costs, TARGET), len(costs), time.perf_counter() - begin


def table_rosenbrock() -> None:
    print()
    print(
        f"(b) evaluations to reach f <= {TARGET:g} on Rosenbrock, finite-difference slopes, "
        f"median over {len(SEEDS)} start points"
    )
    print(
        f"{'dim':<5}{'steep bfgs':>12}{'scipy BFGS':>12}{'ratio':>8}"
        f"{'reached (steep)':>17}{'reached (scipy)':>17}  goal: ratio <= 1.5"
    )
    timings = {}
    for dim in (2, 10):
        ours = [steep_bfgs(dim, seed) for seed in SEEDS]
        theirs = [scipy_bfgs(dim, seed) for seed in SEEDS]
        ours_median = np.median([run[0] for run in ours])
        theirs_median = np.median([run[0] for run in theirs])
        reached = [sum(np.isfinite(run[0]) for run in runs) for runs in (ours, theirs)]
        print(
            f"{dim:<5}{ours_median:>12.0f}{theirs_median:>12.0f}{ours_median / theirs_median:>8.2f}"
            f"{reached[0]:>14}/{len(SEEDS)}{reached[1]:>14}/{len(SEEDS)}"
        )
        timings[dim] = [
            sum(run[2] for run in runs) / sum(run[1] for run in runs) for runs in (ours, theirs)
        ]
    print()
    print("(c) wall time per evaluation over the runs of (b), cheap cost function")
    print(f"{'dim':<5}{'steep bfgs':>14}{'scipy BFGS':>14}{'ratio':>8}")
    for dim, (ours, theirs) in timings.items():
        print(f"{dim:<5}{ours * 1e6:>11.1f} µs{theirs * 1e6:>11.1f} µs{ours / theirs:>8.2f}")


def main() -> None:
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    steep_bfgs(2, 0)  # load the plugins before anything is timed
    table_bowls()
    table_rosenbrock()
    print(f"\ntotal time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
