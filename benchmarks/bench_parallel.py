"""Parallel evaluation: speed-up and overhead of the processes and dask evaluators.

Run: python benchmarks/bench_parallel.py   (needs: pip install plugins/steep-genetic
plugins/steep-dask; add --quick for one worker count)

A genetic algorithm (popsize 16) minimizes a 4-D bowl whose every evaluation sleeps 50 ms,
as an expensive simulation would, on the serial evaluator, then on the process pool and on
a Dask LocalCluster with 2, 4 and 8 workers. Sleeping objectives parallelize beyond the
number of cores, so the figures are the evaluators' own. Each run is timed apart from the
start of its workers (paid once per run, printed separately). Printed per run: wall time,
speed-up over serial, efficiency (speed-up / workers), and the overhead per evaluation:
(wall time - ideal time) / evaluations, where the ideal is the sleeping alone, packed
perfectly (each generation of 16 in ceil(16 / workers) rounds of 50 ms).
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numpy as np
import steep

SLEEP = 0.05
DIM, POPSIZE, GENERATIONS = 4, 16, 6
BUDGET = POPSIZE * GENERATIONS


def slow_cup(x: np.ndarray) -> float:
    """A bowl that takes 50 ms per point."""
    time.sleep(SLEEP)
    return float(((x - 0.3) ** 2).sum())


class Started(steep.Evaluator):
    """Hands batches to an evaluator entered beforehand, so start-up is timed apart."""

    name = "started"

    def __init__(self, inner: steep.Evaluator) -> None:
        super().__init__()
        self.inner = inner

    def evaluate(self, task: Any, points: np.ndarray) -> steep.Outcome:
        return self.inner.evaluate(task, points)


def timed_run(evaluator: steep.Evaluator | None) -> tuple[float, float, steep.Result]:
    """Seconds to start ``evaluator``, seconds of the run, and its result."""
    began = time.perf_counter()
    started = 0.0
    if evaluator is not None:
        evaluator.__enter__()
        started = time.perf_counter() - began
    try:
        began = time.perf_counter()
        result = steep.minimize(
            slow_cup,
            [(0.0, 1.0)] * DIM,
            optimizer="genetic",
            budget=BUDGET,
            seed=1,
            evaluator=None if evaluator is None else Started(evaluator),
            options={"popsize": POPSIZE},
        )
        return started, time.perf_counter() - began, result
    finally:
        if evaluator is not None:
            evaluator.__exit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 workers only")
    parser.add_argument(
        "--evaluators", default="processes,dask", help="evaluators to measure (default: both)"
    )
    args = parser.parse_args()
    counts = (2,) if args.quick else (2, 4, 8)
    registry = steep.plugins.get_registry()
    _, serial, reference = timed_run(None)
    ideal_serial = BUDGET * SLEEP
    print(f"genetic (popsize {POPSIZE}) on a {DIM}-D bowl, {BUDGET} evaluations of 50 ms each")
    print(
        f"{'evaluator':<10} {'workers':>7} {'start s':>8} {'wall s':>7} {'speed-up':>9} "
        f"{'efficiency':>10} {'overhead ms/eval':>17}"
    )
    overhead = (serial - ideal_serial) / BUDGET * 1000
    print(f"{'serial':<10} {1:>7} {0:>8.2f} {serial:>7.2f} {1:>9.2f} {1:>10.2f} {overhead:>17.2f}")
    for name in args.evaluators.split(","):
        for workers in counts:
            evaluator = steep.api.make_evaluator(name, {"workers": workers}, registry)
            start, wall, result = timed_run(evaluator)
            assert np.array_equal(result.history.fun, reference.history.fun), "not the same run"
            ideal = GENERATIONS * math.ceil(POPSIZE / workers) * SLEEP
            speedup = serial / wall
            overhead = (wall - ideal) / BUDGET * 1000
            print(
                f"{name:<10} {workers:>7} {start:>8.2f} {wall:>7.2f} {speedup:>9.2f} "
                f"{speedup / workers:>10.2f} {overhead:>17.2f}"
            )
    print(f"(the objective itself: {SLEEP * 1000:.0f} ms per evaluation; every run above gave")
    print(" the serial run's points and costs exactly)")


if __name__ == "__main__":
    main()
