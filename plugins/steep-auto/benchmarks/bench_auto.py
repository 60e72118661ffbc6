"""auto's overhead: the loop's cost per evaluation beside the method auto runs, alone.

Run from the repository root, with steep and its plugins installed::

    python plugins/steep-auto/benchmarks/bench_auto.py

As benchmarks/bench_loop.py does (wall time minus the function's own, best of 3): the 2-D
sphere, vectorized, 20,000 evaluations, for auto and the method auto runs on it, and on a
2-D Rastrigin, where auto runs cma-es. auto's figures on COCO's BBOB suite beside steep's
single methods and the references come from ``benchmarks/bench_bbob.py`` (e.g.
``--methods auto,cma-es,bfgs,bfgs/restarts=100000``), which also counts what auto chose.
"""

from __future__ import annotations

import time

import numpy as np
import steep
from steep.race.variants import parse_variant

EVALUATIONS, REPEATS = 20_000, 3


def sphere(X: np.ndarray) -> np.ndarray:
    return (X**2).sum(axis=1)


def rastrigin(X: np.ndarray) -> np.ndarray:
    return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(2 * np.pi * X)).sum(axis=1)


def _micros(function, optimizer: str) -> tuple[float, steep.Result]:
    """Wall µs per evaluation of the run, best of REPEATS, and its last result."""
    variant = parse_variant(optimizer, steep.plugins.get_registry())
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        result = steep.minimize(
            function,
            [(-5.12, 5.12)] * 2,
            vectorized=True,
            optimizer=variant.name,
            options=variant.options,
            budget=EVALUATIONS,
            seed=0,
            restarts=variant.restarts,
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
        ("sphere", sphere, "auto/confirm=0", f"bfgs/restarts={10**9}"),
        # auto finds it rugged and runs cma-es, IPOP from a larger population
        ("rastrigin", rastrigin, "auto", f"cma-es/popsize={rugged}"),
        # auto as it comes: it runs bfgs and stops once its bottom is confirmed
        ("sphere", sphere, "auto", "cma-es"),
    ]
    for label, function, ours, theirs in pairs:
        print(f"\n2-D {label}")
        rows = []
        for spec in (ours, theirs):
            micros, result = _micros(function, spec)
            alone = _function_alone(function, max(1, round(result.nfev / result.nbatch)))
            rows.append((spec, micros - alone, result))
        for spec, micros, result in rows:
            print(
                f"  {spec:<24}{micros:8.2f} µs  ({result.nfev} evaluations, {result.stop}, "
                f"{result.elapsed * 1e3:.1f} ms in all)"
            )
        (_, first, mine), (_, second, _) = rows
        print(f"  ratio {first / second:.2f}×; auto's last choice: {mine.decisions[-1]}")


if __name__ == "__main__":
    overhead()
