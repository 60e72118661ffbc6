"""A cup of tea that takes 0.2 s to brew, tasted on two processes at once: the same result
as in one, in about half the time.

    python examples/slow_on_two_processes.py
"""

from __future__ import annotations

import time

import steep

BREW = 0.2


def slow_tea(x) -> float:
    time.sleep(BREW)
    return float((x[0] - 0.65) ** 2)


def run(evaluator: str | None, budget: int = 20) -> tuple[steep.Result, float]:
    began = time.perf_counter()
    result = steep.minimize(
        slow_tea, [(0.0, 1.0)], optimizer="genetic", options={"popsize": 4}, budget=budget,
        seed=0, evaluator=evaluator,
        evaluator_options={"workers": 2} if evaluator == "processes" else None,
    )  # fmt: skip
    return result, time.perf_counter() - began


def main(budget: int = 20) -> dict[str, float]:
    serial, serial_time = run(None, budget)
    parallel, parallel_time = run("processes", budget)
    assert (serial.history.x == parallel.history.x).all(), "the same run on two processes"
    print(f"serial:      best {serial.fun:.3g} in {serial_time:.2f} s")
    print(f"2 processes: best {parallel.fun:.3g} in {parallel_time:.2f} s (the same points)")
    return {"serial": serial_time, "processes": parallel_time}


if __name__ == "__main__":
    main()
