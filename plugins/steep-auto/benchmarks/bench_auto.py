"""auto beside steep's single methods on COCO's BBOB noiseless suite, and auto's overhead.

Run from the repository root, with steep, its plugins and steep-landscapes-bbob installed::

    python plugins/steep-auto/benchmarks/bench_auto.py                      # 1000·d
    python plugins/steep-auto/benchmarks/bench_auto.py --budget-per-dim 100
    python plugins/steep-auto/benchmarks/bench_auto.py --methods auto,cma-es --dims 2,5
    python plugins/steep-auto/benchmarks/bench_auto.py --methods "auto{probe_share=0.2}"
    python plugins/steep-auto/benchmarks/bench_auto.py --overhead           # µs/evaluation

Every method minimizes COCO's 24 ``bbob`` functions through ``steep-landscapes-bbob``
(``bbob-f1`` ... ``bbob-f24``) in the dimensions ``--dims`` and COCO instances
``--instances``, one run per (function, dimension, instance), budget
``--budget-per-dim`` · d, seed = the instance. A method is a registered optimizer name with
its defaults, ``name{key=value;...}`` for options, and ``name+restarts`` for the run's own
restarts (a fresh copy from a new start each time it converges, until the budget ends).

The figure is COCO's: the fraction of (problem, target) pairs reached, for the 51 targets
f* + 10^(2 - k/5), k = 0 ... 50, read off each run's best-so-far curve
(``result.history.best_so_far()``). Tables: overall, per COCO group, per dimension, per
function, and what auto chose (the first words of its last decision), per group. Runs are
spread over ``--jobs`` processes.

``--overhead`` measures instead the loop's cost per evaluation as benchmarks/bench_loop.py
does (wall time minus the function's own, best of 3): the 2-D sphere, vectorized, 20,000
evaluations, for auto and the method auto runs on it, and on a 2-D Rastrigin, where auto
runs cma-es.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small linear algebra, many processes
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import collections
import platform
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import steep
from steep.race.ecdf import TARGETS  # COCO's 51 targets above f*: 10^2 ... 10^-8

#: COCO's five function groups, and the goals of issue 12 for auto in each (at 1000·d).
GROUPS = {
    "f1-5": range(1, 6),
    "f6-9": range(6, 10),
    "f10-14": range(10, 15),
    "f15-19": range(15, 20),
    "f20-24": range(20, 25),
}
GOALS = {"f1-5": 0.82, "f6-9": 0.94, "f10-14": 0.97, "f15-19": 0.49, "f20-24": 0.45}


def parse_method(spec: str) -> tuple[str, dict, int]:
    """``name{key=value;...}+restarts`` as (name, options, run restarts)."""
    restarts = 0
    if spec.endswith("+restarts"):
        spec, restarts = spec.removesuffix("+restarts"), 10**9
    name, _, rest = spec.partition("{")
    options = {}
    for item in filter(None, rest.rstrip("}").split(";")):
        key, _, value = item.partition("=")
        options[key.strip()] = value.strip()
    return name, options, restarts


def _typed(name: str, options: dict) -> dict:
    """Options given as text (``key=value``), as the optimizer's typed values."""
    cls = steep.plugins.get_registry().optimizer(name)
    built = steep.options.build(cls.Options, options, from_text=True, owner=name)
    return {key: getattr(built, key) for key in options}


def _minimize(spec: str, number: int, dim: int, instance: int, budget: int, seed: int):
    name, options, restarts = parse_method(spec)
    try:
        return steep.minimize(
            f"bbob-f{number}",
            dim=dim,
            instance=instance - 1,
            optimizer=name,
            options=_typed(name, options),
            budget=budget,
            seed=seed,
            restarts=restarts,
        )
    except Exception as error:  # plugin errors carry results, which do not pickle
        raise RuntimeError(f"{spec} on bbob-f{number} {dim}-D #{instance}: {error}") from None


def run_one(spec: str, number: int, dim: int, instance: int, budget: int, seed: int) -> dict:
    """One run: evaluations to reach each target (inf: not reached), what auto chose."""
    problem = steep.make_problem(f"bbob-f{number}", dim=dim, instance=instance - 1)
    began = time.perf_counter()
    result = _minimize(spec, number, dim, instance, budget, seed)
    seconds = time.perf_counter() - began
    curve = result.history.best_so_far()[:budget]
    reached = (curve[:, None] - problem.minimum.fun) <= TARGETS[None, :]
    hit = reached.any(axis=0)
    return {
        "method": spec,
        "number": number,
        "dim": dim,
        "instance": instance,
        "runtimes": np.where(hit, reached.argmax(axis=0) + 1.0, np.inf),
        "nfev": len(curve),
        "seconds": seconds,
        "chose": next(
            (d for d in result.decisions if "for the remaining" in d),
            result.decisions[-1] if result.decisions else "",
        ),
    }


def _range(text: str) -> list[int]:
    """``"1-5"`` or ``"1,3,4"`` as a list of integers."""
    values: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        values.extend(range(int(low), int(high or low) + 1))
    return values


def fraction(runs: list[dict], per_dim: float) -> float:
    """Fraction of (run, target) pairs reached within ``per_dim`` · d evaluations."""
    if not runs:
        return float("nan")
    return float(np.mean([(r["runtimes"] <= per_dim * r["dim"]).mean() for r in runs]))


def table(title: str, methods: list[str], columns: dict, runs: list[dict], per_dim: float) -> None:
    """Rows of methods, columns of subsets of the runs (``columns``: label -> predicate)."""
    width = max(9, *(len(label) + 2 for label in columns))
    print(f"\n{title}")
    print(f"{'method':<28}" + "".join(f"{label:>{width}}" for label in columns))
    for method in methods:
        mine = [r for r in runs if r["method"] == method]
        cells = [fraction([r for r in mine if keep(r)], per_dim) for keep in columns.values()]
        print(f"{method:<28}" + "".join(f"{cell:>{width}.3f}" for cell in cells))


def choices(runs: list[dict], per_function: bool) -> None:
    """How often auto ended on each choice, per group (the words before the first colon)."""
    autos = sorted({r["method"] for r in runs if r["method"].startswith("auto")})
    rows = {f"f{n}": [n] for n in range(1, 25)} if per_function else GROUPS
    for method in autos:
        print(f"\nwhat {method} chose last, runs per {'function' if per_function else 'group'}")
        for label, numbers in rows.items():
            counts = collections.Counter(
                _gist(r["chose"]) for r in runs if r["method"] == method and r["number"] in numbers
            )
            print(f"  {label:<8}" + "; ".join(f"{n}× {c}" for c, n in counts.most_common()))


def _gist(decision: str) -> str:
    """The verdict of a decision "evidence: verdict: what runs next" (the whole if shorter)."""
    parts = decision.split(": ")
    return parts[-2] if len(parts) >= 3 else parts[0][:50]


def bbob(arguments: argparse.Namespace) -> None:
    dims, instances = _range(arguments.dims), _range(arguments.instances)
    numbers = _range(arguments.functions)
    methods = arguments.methods.split(",")
    per_dim = arguments.budget_per_dim
    import cocoex

    print(
        f"steep {steep.__version__}, cocoex {cocoex.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"bbob f{numbers[0]}-f{numbers[-1]}, dims {dims}, instances {instances}, budget "
        f"{per_dim}·d, seed = instance; fraction of (problem, target) pairs reached, "
        "51 targets 1e2 ... 1e-8"
    )
    tasks = [
        (method, number, dim, instance, per_dim * dim, instance)
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
        print(f"{'goal (issue 12)':<28}" + "".join(f"{GOALS[g]:>9.2f}" for g in GROUPS))
    by_dim = {f"{d}-D": (lambda r, d=d: r["dim"] == d) for d in dims}
    table(f"per dimension at {per_dim}·d", methods, by_dim, runs, per_dim)
    if arguments.per_function:
        per_function = {f"f{n}": (lambda r, n=n: r["number"] == n) for n in numbers}
        print(f"\nper function at {per_dim}·d (methods as columns)")
        print(f"{'function':<10}" + "".join(f"{m[:22]:>24}" for m in methods))
        for label, keep in per_function.items():
            cells = [
                fraction([r for r in runs if r["method"] == m and keep(r)], per_dim)
                for m in methods
            ]
            print(f"{label:<10}" + "".join(f"{c:>24.3f}" for c in cells))
    choices(runs, arguments.per_function)
    print(f"\nseconds per method (summed over processes), {wall:.0f} s wall on {arguments.jobs}")
    for method in methods:
        mine = [r for r in runs if r["method"] == method]
        seconds = sum(r["seconds"] for r in mine)
        evaluations = sum(r["nfev"] for r in mine)
        print(f"  {method:<28}{seconds:8.1f} s  {1e6 * seconds / evaluations:8.1f} µs/evaluation")


# -- overhead ------------------------------------------------------------------------

EVALUATIONS, REPEATS = 20_000, 3


def sphere(X: np.ndarray) -> np.ndarray:
    return (X**2).sum(axis=1)


def rastrigin(X: np.ndarray) -> np.ndarray:
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


def _micros(function, optimizer: str, restarts: int = 0) -> tuple[float, steep.Result]:
    """Wall µs per evaluation of the run, best of REPEATS, and its last result."""
    name, options, _ = parse_method(optimizer)
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        result = steep.minimize(
            function,
            [(-5.12, 5.12)] * 2,
            vectorized=True,
            optimizer=name,
            options=_typed(name, options),
            budget=EVALUATIONS,
            seed=0,
            restarts=restarts,
        )
        times.append((time.perf_counter() - began) / result.nfev * 1e6)
    return min(times), result


def _function_alone(function, batch: int) -> float:
    rng = np.random.default_rng(0)
    began = time.perf_counter()
    for _ in range(EVALUATIONS // batch):
        function(rng.uniform(-5, 5, (batch, 2)))
    return (time.perf_counter() - began) / EVALUATIONS * 1e6


def overhead() -> None:
    from steep_auto.auto import RUGGED_POPSIZE
    from steep_evolution.strategy import default_popsize

    print("overhead per evaluation: µs of wall time minus the function's, 2-D, vectorized,")
    print(f"budget {EVALUATIONS} evaluations, best of {REPEATS}")
    rugged = RUGGED_POPSIZE * default_popsize(2)
    pairs = [
        # auto never stopping early runs bfgs from spread starts, one after another
        ("sphere", sphere, "auto{confirm=0}", "bfgs+restarts"),
        # auto finds it rugged and runs cma-es, IPOP from a larger population
        ("rastrigin", rastrigin, "auto", f"cma-es{{popsize={rugged}}}"),
        # auto as it comes: it runs bfgs and stops once its bottom is confirmed
        ("sphere", sphere, "auto", "cma-es"),
    ]
    for label, function, ours, theirs in pairs:
        print(f"\n2-D {label}")
        rows = []
        for spec in (ours, theirs):
            name, _, rest = spec.partition("+")
            micros, result = _micros(function, name, 10**9 if rest else 0)
            alone = _function_alone(function, max(1, round(result.nfev / result.nbatch)))
            rows.append((spec, micros - alone, result))
        for spec, micros, result in rows:
            print(
                f"  {spec:<24}{micros:8.2f} µs  ({result.nfev} evaluations, {result.stop}, "
                f"{result.elapsed * 1e3:.1f} ms in all)"
            )
        (_, first, mine), (_, second, _) = rows
        print(f"  ratio {first / second:.2f}×; auto's last choice: {mine.decisions[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", default="auto,cma-es,bfgs,bfgs+restarts")
    parser.add_argument("--dims", default="2,5,10", help="dimensions, e.g. 2,5,10")
    parser.add_argument("--instances", default="1-5", help="COCO instances, e.g. 1-5 or 1,3")
    parser.add_argument("--functions", default="1-24", help="BBOB functions, e.g. 15-19")
    parser.add_argument("--budget-per-dim", type=int, default=1000, help="evaluations / d")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    parser.add_argument("--per-function", action="store_true", help="one row per function")
    parser.add_argument("--overhead", action="store_true", help="µs per evaluation instead")
    arguments = parser.parse_args()
    if arguments.overhead:
        overhead()
    else:
        bbob(arguments)


if __name__ == "__main__":
    main()
