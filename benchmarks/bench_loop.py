"""The core loop's overhead per evaluation, beside scipy's, pycma's and nevergrad's.

Run: python benchmarks/bench_loop.py   (needs: pip install ".[bench]")

Every library minimizes the same cheap vectorized function (10-D sphere) with batches of
the same size, so what is measured is the machinery around the evaluations. steep drives
a minimal random-search optimizer (defined here, so the figure is the core's alone) and the
installed ``cma-es`` when present. Printed: microseconds per evaluation, and each library's
figure over steep's.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import steep
from functions import sphere

DIM, BATCH, EVALUATIONS, REPEATS = 10, 100, 200_000, 3


class BatchRandom(steep.Optimizer):
    """Uniform random points in batches: the least an optimizer can do."""

    name = "batch-random"

    def ask(self):
        return self.bounds.sample(self.rng, BATCH)

    def tell(self, points, costs):
        pass


def best_of(function) -> float:
    """Microseconds per evaluation, best of REPEATS."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        evaluations = function()
        times.append((time.perf_counter() - start) / evaluations * 1e6)
    return min(times)


def function_alone() -> int:
    rng = np.random.default_rng(0)
    for _ in range(EVALUATIONS // BATCH):
        sphere(rng.uniform(-5, 5, (BATCH, DIM)))
    return EVALUATIONS


def steep_loop() -> int:
    result = steep.minimize(
        sphere, (-5, 5), dim=DIM, vectorized=True, optimizer=BatchRandom, budget=EVALUATIONS
    )
    return result.nfev


def steep_cma() -> int:
    result = steep.minimize(
        sphere,
        (-5, 5),
        dim=DIM,
        vectorized=True,
        optimizer="cma-es",
        budget=20_000,
        seed=0,
        options={"popsize": BATCH},
    )
    return result.nfev


def scipy_de() -> int:
    from scipy.optimize import differential_evolution

    evaluated = []

    def costs(points):  # scipy passes (d, n) and counts a vectorized call as one evaluation
        evaluated.append(points.shape[1])
        return sphere(points.T)

    differential_evolution(
        costs, [(-5, 5)] * DIM, vectorized=True, maxiter=200, popsize=BATCH // DIM,
        tol=0, polish=False, seed=0, updating="deferred",
    )  # fmt: skip
    return sum(evaluated)


def pycma() -> int:
    import cma

    es = cma.CMAEvolutionStrategy(
        np.zeros(DIM), 2.0, {"popsize": BATCH, "verbose": -9, "seed": 1, "tolfun": 0, "tolx": 0}
    )
    evaluations = 0
    while evaluations < 20_000:
        points = es.ask()
        es.tell(points, sphere(np.asarray(points)).tolist())
        evaluations += len(points)
    return evaluations


def nevergrad() -> int:
    import nevergrad as ng

    optimizer = ng.optimizers.RandomSearch(
        parametrization=ng.p.Array(shape=(DIM,)).set_bounds(-5, 5), budget=20_000, num_workers=BATCH
    )
    evaluations = 0
    while evaluations < 20_000:
        candidates = [optimizer.ask() for _ in range(BATCH)]
        costs = sphere(np.array([c.value for c in candidates]))
        for candidate, cost in zip(candidates, costs):
            optimizer.tell(candidate, float(cost))
        evaluations += BATCH
    return evaluations


def main() -> None:
    alone = best_of(function_alone)
    rows = [("steep core loop (random batches)", best_of(steep_loop) - alone)]
    with contextlib.suppress(steep.UsageError):  # cma-es not installed
        rows.append(("steep cma-es", best_of(steep_cma) - alone))
    for label, function in [
        ("scipy differential_evolution (vectorized)", scipy_de),
        ("pycma ask/tell", pycma),
        ("nevergrad RandomSearch ask/tell", nevergrad),
    ]:
        try:
            rows.append((label, best_of(function) - alone))
        except ImportError as error:
            print(f"skipped {label}: {error}")
    core = rows[0][1]
    print(f"{DIM}-D sphere, batches of {BATCH}; the function costs {alone:.2f} µs/evaluation")
    print(f"{'overhead per evaluation':45} {'µs':>8} {'× steep core':>13}")
    for label, micros in rows:
        print(f"{label:45} {micros:8.2f} {micros / core:13.1f}")


if __name__ == "__main__":
    main()
