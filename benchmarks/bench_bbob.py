"""steep's optimizers beside scipy's (and pycma's) on COCO's BBOB noiseless suite, in one process.

Run from the repository root after installing steep, the plugins and the references
(``pip install -e ".[bench]" ./plugins/*``)::

    python benchmarks/bench_bbob.py                                  # the full comparison
    python benchmarks/bench_bbob.py --dims 2,5 --instances 1-2       # a quick look
    python benchmarks/bench_bbob.py --methods cma-es,pycma-ipop --jobs 2

Every method minimizes the same 24 functions of COCO's ``bbob`` suite through steep's
``steep-landscapes-bbob`` landscapes (``bbob-f1`` ... ``bbob-f24``, costs computed by COCO's
own code), in the dimensions ``--dims`` and COCO instances ``--instances``, one run per
(function, dimension, instance), budget ``--budget-per-dim`` · d evaluations. The run of
instance i has seed i (``--first-seed`` shifts it).

- steep's methods (any registered optimizer name, e.g. ``annealing``, ``genetic``,
  ``cma-es``) run through ``steep.minimize("bbob-fN", dim=d, instance=i - 1, ...)`` with
  their defaults; their best-so-far curve is ``result.history.best_so_far()``.
- The references evaluate the same landscape object one point at a time through a
  recorder, which keeps every cost and raises after the budget, so that no reference gets
  one evaluation more than steep's methods (their own counters are not exact: local
  searches and polishing can overshoot them):
  ``dual_annealing`` is ``scipy.optimize.dual_annealing(maxfun=budget)``;
  ``differential_evolution`` is ``scipy.optimize.differential_evolution`` with its
  defaults (population 15 · d, its tolerance test, its final L-BFGS-B polish) and
  ``maxiter`` cut so that its generations fit into the budget; ``pycma-ipop`` is
  ``cma.fmin2`` with IPOP restarts (up to 9, population doubling), ``maxfevals=budget``,
  bounds [-5, 5], started like steep's ``cma-es`` at a uniform random point with step
  0.3 of the box width.

The figure is COCO's: the fraction of (problem, target) pairs reached, for the 51 targets
f* + 10^(2 - k/5), k = 0 ... 50 (10^2 down to 10^-8), read off each run's best-so-far curve.
Tables: overall, per COCO group (f1-5 separable, f6-9 moderate conditioning, f10-14 high
conditioning, f15-19 multimodal with adequate structure, f20-24 weak structure), per
dimension, and the same runs read at 100 · d evaluations (an anytime view: methods that
plan their schedule from the budget are not at their best there; run again with
``--budget-per-dim 100`` for that budget). ``--functions`` adds one row per function.

``auto`` (and its variants) get one more table, from ``result.decisions``:
how often each choice ended their runs, per group (per function with ``--functions``).

A method may carry options, ``"annealing[initial_temp=100.0,local_iterations=50]"``, and
may be an optimizer class not registered as a plugin, ``module:Class`` (imported from the
path), e.g. to set an older version beside the current one. ``--overhead`` measures instead
each method's time per evaluation outside the cost function on the 2-D sphere (20,000
evaluations, best of 5 runs).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small linear algebra, many processes
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import ast
import collections
import importlib
import platform
import time
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import steep
from bbob_references import REFERENCES, BudgetSpent, run_reference, seeded
from steep.race.ecdf import TARGETS  # COCO's 51 targets above f*: 10^2 ... 10^-8
from steep.race.variants import parse_variant

#: COCO's five function groups.
GROUPS = {
    "f1-5": range(1, 6),
    "f6-9": range(6, 10),
    "f10-14": range(10, 15),
    "f15-19": range(15, 20),
    "f20-24": range(20, 25),
}
#: The bars of issue 12 for auto at 1000·d, per group: the best reference's figure there.
GOALS = {"f1-5": 0.82, "f6-9": 0.94, "f10-14": 0.97, "f15-19": 0.49, "f20-24": 0.45}
#: Restarts that outlast any budget here: the run restarts until its evaluations are spent.
UNTIL_SPENT = 100_000
#: steep's method -> the reference it is measured against.
PAIRS = {
    "annealing": "dual_annealing",
    "genetic": "differential_evolution",
    "cma-es": "pycma-ipop",
    f"bfgs/restarts={UNTIL_SPENT}": "l-bfgs-b-restarts",
    f"newton/restarts={UNTIL_SPENT}": "nelder-mead-restarts",
    f"gradient-descent/restarts={UNTIL_SPENT}": "nelder-mead-restarts",
}
DEFAULT_METHODS = "annealing,genetic,dual_annealing,differential_evolution"
#: Evaluations of each run that measures the overhead per evaluation (``--overhead``).
OVERHEAD_EVALUATIONS = 20_000


def run_one(method: str, number: int, dim: int, instance: int, budget: int, seed: int) -> dict:
    """One run: evaluations to reach each target (inf: not reached), and seconds taken."""
    registry = steep.plugins.get_registry()
    landscape = registry.landscape(f"bbob-f{number}")(dim=dim, seed=instance - 1)
    fstar = landscape.minimum.fun
    began = time.perf_counter()
    decisions: list[str] = []
    if method in REFERENCES:
        curve = run_reference(method, landscape, budget, seed)
    else:
        name, options, restarts = parse_method(method)
        try:
            result = steep.minimize(
                f"bbob-f{number}",
                dim=dim,
                instance=instance - 1,
                optimizer=name,
                options=options,
                budget=budget,
                seed=seed,
                restarts=restarts,
            )
        except steep.SteepError as error:  # a plugin's error carries a result, unpicklable
            raise RuntimeError(f"{method} on bbob-f{number} {dim}-D #{instance}: {error}") from None
        curve, decisions = result.history.best_so_far(), result.decisions
    seconds = time.perf_counter() - began
    curve = curve[:budget]
    reached = (curve[:, None] - fstar) <= TARGETS[None, :]  # (evaluations, targets)
    hit = reached.any(axis=0)
    runtimes = np.where(hit, reached.argmax(axis=0) + 1.0, np.inf)
    return {
        "method": method,
        "number": number,
        "dim": dim,
        "instance": instance,
        "runtimes": runtimes,
        "nfev": len(curve),
        "seconds": seconds,
        # auto's choice: the decision that hands the budget on, else its last one
        "chose": next(
            (d for d in decisions if "for the remaining" in d), decisions[-1] if decisions else ""
        ),
    }


def parse_method(method: str) -> tuple[str | type, dict[str, object], int]:
    """``"annealing[visiting=2.5,local_iterations=None]"`` as an optimizer, its options and
    its restarts; a race's variant, ``"bfgs/restarts=9"`` or ``"cma-es/popsize=20"``, too.

    The optimizer is a registered name, or ``module:Class`` for a class not registered as
    a plugin (imported here)."""
    if "/" in method:
        variant = parse_variant(method, steep.plugins.get_registry())
        return variant.name, variant.options, variant.restarts
    name, _, rest = method.partition("[")
    pairs = (item.partition("=") for item in rest.rstrip("]").split(",") if item)
    options = {key: ast.literal_eval(value) for key, _, value in pairs}
    if ":" in name:
        module, _, attribute = name.partition(":")
        return getattr(importlib.import_module(module), attribute), options, 0
    return name, options, 0


def split_methods(text: str) -> list[str]:
    """Methods separated by commas outside brackets."""
    methods, depth, current = [], 0, ""
    for char in text:
        depth += (char == "[") - (char == "]")
        if char == "," and depth == 0:
            methods.append(current)
            current = ""
        else:
            current += char
    return [*methods, current] if current else methods


class Timed:
    """A vectorized cost function (2-D sphere) that adds up the seconds spent inside it."""

    def __init__(self, budget: int | None = None) -> None:
        self.seconds, self.count, self.budget = 0.0, 0, budget

    def batch(self, X: np.ndarray) -> np.ndarray:
        began = time.perf_counter()
        costs = np.einsum("ij,ij->i", X, X)
        self.seconds += time.perf_counter() - began
        self.count += len(X)
        return costs

    def point(self, x) -> float:
        if self.budget is not None and self.count >= self.budget:
            raise BudgetSpent
        return float(self.batch(np.asarray(x, dtype=np.float64).reshape(1, -1))[0])


def overhead(method: str, evaluations: int = OVERHEAD_EVALUATIONS) -> float:
    """Microseconds per evaluation spent outside the cost function, best of 5 runs, on the
    2-D sphere in [-5, 5]^2: steep's methods and scipy's differential evolution evaluate
    whole batches, dual_annealing one point at a time, pycma asks and tells generations."""
    from scipy.optimize import differential_evolution, dual_annealing

    best = np.inf
    for repeat in range(5):
        timed = Timed(evaluations)
        began = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if method == "dual_annealing":
                    dual_annealing(
                        timed.point, [(-5, 5)] * 2, maxfun=evaluations,
                        **seeded(dual_annealing, repeat),
                    )  # fmt: skip
                elif method == "differential_evolution":
                    differential_evolution(
                        lambda X, timed=timed: timed.batch(X.T), [(-5, 5)] * 2, vectorized=True,
                        updating="deferred", maxiter=evaluations // 30 - 1, tol=0,
                        polish=False, **seeded(differential_evolution, repeat),
                    )  # fmt: skip
                elif method == "pycma-ipop":
                    import cma

                    es = cma.CMAEvolutionStrategy(
                        [1.0, 1.0], 3.0, {"verbose": -9, "seed": repeat + 1, "tolfun": 0,
                                          "tolx": 0},
                    )  # fmt: skip
                    while timed.count < evaluations:
                        points = es.ask()
                        es.tell(points, timed.batch(np.asarray(points)).tolist())
                else:
                    name, options, _ = parse_method(method)
                    steep.minimize(
                        timed.batch, (-5, 5), dim=2, vectorized=True, optimizer=name,
                        options=options, budget=evaluations, seed=repeat,
                    )  # fmt: skip
            except BudgetSpent:
                pass
        wall = time.perf_counter() - began
        best = min(best, 1e6 * (wall - timed.seconds) / timed.count)
    return best


def choices(runs: list[dict], per_function: bool) -> None:
    """What auto chose last, counted per group or function: the verdict of a decision
    "evidence: verdict: what runs next"."""
    rows = {f"f{n}": [n] for n in range(1, 25)} if per_function else GROUPS
    for method in sorted({r["method"] for r in runs if r["method"].startswith("auto")}):
        print(f"\nwhat {method} chose, runs per {'function' if per_function else 'group'}")
        for label, numbers in rows.items():
            counted = collections.Counter(
                _gist(r["chose"]) for r in runs if r["method"] == method and r["number"] in numbers
            )
            if counted:
                print(f"  {label:<8}" + "; ".join(f"{n}× {c}" for c, n in counted.most_common()))


def _gist(decision: str) -> str:
    parts = decision.split(": ")
    return parts[-2] if len(parts) >= 3 else parts[0][:50]


def _range(text: str) -> list[int]:
    """``"1-5"`` or ``"1,3,4"`` as a list of integers."""
    values: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        values.extend(range(int(low), int(high or low) + 1))
    return values


def fraction(runs: list[dict], budget_per_dim: float) -> float:
    """Fraction of (run, target) pairs reached within ``budget_per_dim`` · d evaluations."""
    if not runs:
        return float("nan")
    reached = [(r["runtimes"] <= budget_per_dim * r["dim"]).mean() for r in runs]
    return float(np.mean(reached))


def table(title: str, methods: list[str], columns: dict, runs: list[dict], per_dim: float) -> None:
    """Rows of methods, columns of subsets of the runs (``columns``: label -> predicate)."""
    width = max(9, *(len(label) + 2 for label in columns))
    print(f"\n{title}")
    name = max(24, *(len(m) + 2 for m in methods))
    print(f"{'method':<{name}}" + "".join(f"{label:>{width}}" for label in columns))
    for method in methods:
        mine = [r for r in runs if r["method"] == method]
        cells = [fraction([r for r in mine if keep(r)], per_dim) for keep in columns.values()]
        print(f"{method:<{name}}" + "".join(f"{cell:>{width}.3f}" for cell in cells))


def verdicts(methods: list[str], runs: list[dict], per_dim: float) -> None:
    """Each steep method against its reference: overall, and in how many groups it holds."""

    def score(method: str, numbers: range) -> float:
        mine = [r for r in runs if r["method"] == method and r["number"] in numbers]
        return fraction(mine, per_dim)

    lines = []
    for ours, theirs in PAIRS.items():
        if ours in methods and theirs in methods:
            a, b = score(ours, range(1, 25)), score(theirs, range(1, 25))
            present = [g for g in GROUPS.values() if any(r["number"] in g for r in runs)]
            held = sum(score(ours, group) >= score(theirs, group) for group in present)
            lines.append(
                f"  {ours} {a:.3f} vs {theirs} {b:.3f} overall ({'>=' if a >= b else '<'}); "
                f">= in {held} of {len(present)} groups"
            )
    if lines:
        print(f"\nsteep against its reference at {per_dim:g}·d")
        print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", default="2,5,10", help="dimensions, e.g. 2,5,10")
    parser.add_argument("--instances", default="1-5", help="COCO instances, e.g. 1-5 or 1,3")
    parser.add_argument("--functions-only", default="1-24", help="BBOB functions, e.g. 15-19")
    parser.add_argument("--methods", default=DEFAULT_METHODS, help="comma-separated")
    parser.add_argument("--budget-per-dim", type=int, default=1000, help="evaluations / d")
    parser.add_argument("--first-seed", type=int, default=1, help="seed of instance 1's run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--functions", action="store_true", help="one row per function too")
    parser.add_argument(
        "--overhead",
        action="store_true",
        help="measure µs/evaluation outside the cost function on the 2-D sphere instead",
    )
    arguments = parser.parse_args()
    if arguments.overhead:
        print(
            f"overhead per evaluation outside the cost function, 2-D sphere, "
            f"{OVERHEAD_EVALUATIONS} evaluations, best of 5 runs"
        )
        for method in split_methods(arguments.methods):
            print(f"  {method:<28}{overhead(method):8.2f} µs")
        return
    dims = _range(arguments.dims)
    instances = _range(arguments.instances)
    numbers = _range(arguments.functions_only)
    methods = split_methods(arguments.methods)
    per_dim = arguments.budget_per_dim
    import cocoex
    import scipy

    print(
        f"steep {steep.__version__}, scipy {scipy.__version__}, cocoex {cocoex.__version__}, "
        f"numpy {np.__version__}, Python {platform.python_version()}"
    )
    print(
        f"bbob f{numbers[0]}-f{numbers[-1]}, dims {dims}, instances {instances}, budget "
        f"{per_dim}·d, one run per problem (seed = instance + {arguments.first_seed - 1}); "
        "fraction of (problem, target) pairs reached, 51 targets 1e2 ... 1e-8"
    )
    tasks = [
        (method, number, dim, instance, per_dim * dim, instance + arguments.first_seed - 1)
        for dim in sorted(dims, reverse=True)  # the long runs first, to balance the processes
        for method in methods
        for number in numbers
        for instance in instances
    ]
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=arguments.jobs) as pool:
        runs = list(pool.map(run_one, *zip(*tasks), chunksize=1))
    wall = time.perf_counter() - began

    table(f"overall at {per_dim}·d", methods, {"all": lambda r: True}, runs, per_dim)
    groups = {label: (lambda r, n=n: r["number"] in n) for label, n in GROUPS.items()}
    table(f"per COCO group at {per_dim}·d", methods, groups, runs, per_dim)
    if per_dim == 1000 and set(numbers) == set(range(1, 25)):
        name = max(24, *(len(m) + 2 for m in methods))
        goals = "".join(f"{g:>9.2f}" for g in GOALS.values())
        print(f"{'goal for auto (issue 12)':<{name}}" + goals)
    by_dim = {f"{d}-D": (lambda r, d=d: r["dim"] == d) for d in dims}
    table(f"per dimension at {per_dim}·d", methods, by_dim, runs, per_dim)
    if per_dim > 100:
        anytime = {"all": lambda r: True, **groups}
        table("the same runs read at 100·d (anytime)", methods, anytime, runs, 100)
    if arguments.functions:
        per_function = {f"f{n}": (lambda r, n=n: r["number"] == n) for n in numbers}
        print(f"\nper function at {per_dim}·d (methods as columns)")
        print(f"{'function':<10}" + "".join(f"{m[:22]:>24}" for m in methods))
        for label, keep in per_function.items():
            cells = [
                fraction([r for r in runs if r["method"] == m and keep(r)], per_dim)
                for m in methods
            ]
            print(f"{label:<10}" + "".join(f"{c:>24.3f}" for c in cells))
    verdicts(methods, runs, per_dim)
    choices(runs, arguments.functions)
    print(f"\nseconds per method (summed over processes), {wall:.0f} s wall on {arguments.jobs}")
    for method in methods:
        mine = [r for r in runs if r["method"] == method]
        seconds = sum(r["seconds"] for r in mine)
        evaluations = sum(r["nfev"] for r in mine)
        print(f"  {method:<34}{seconds:8.1f} s  {1e6 * seconds / evaluations:8.1f} µs/evaluation")


if __name__ == "__main__":
    main()
