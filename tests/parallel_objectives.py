"""Importable objectives for the parallel tests: worker processes find them again by name.

Coordinates in [0, 1]; a point whose first coordinate lies in a trap interval triggers the
fault (hang, crash), so that a test decides which evaluations fail by choosing the box.
"""

import os
import signal
import time

import numpy as np

#: First coordinates in this interval make the faulty objectives misbehave.
TRAP = (0.45, 0.55)


def _trapped(x: np.ndarray) -> bool:
    return TRAP[0] <= x[0] <= TRAP[1]


def bowl(x):
    """A smooth pointwise bowl with its bottom at 0.3 in every coordinate."""
    return float(((x - 0.3) ** 2).sum())


def bowl_batch(X):
    return ((X - 0.3) ** 2).sum(axis=1)


def slow_bowl(x):
    """The bowl, taking ``$STEEP_TEST_SLEEP`` seconds (default 0.05) per point."""
    time.sleep(float(os.environ.get("STEEP_TEST_SLEEP", "0.05")))
    return bowl(x)


def hangs_in_trap(x):
    """The bowl, but hangs (sleeps for a minute) inside the trap."""
    if _trapped(x):
        time.sleep(60)
    return bowl(x)


def dies_in_trap(x):
    """The bowl, but kills its own process with SIGKILL inside the trap."""
    if _trapped(x):
        os.kill(os.getpid(), signal.SIGKILL)
    return bowl(x)


def exits_in_trap(x):
    """The bowl, but leaves its process with ``os._exit(3)`` inside the trap."""
    if _trapped(x):
        os._exit(3)
    return bowl(x)


def raises_in_trap(x):
    """The bowl, but raises inside the trap."""
    if _trapped(x):
        raise ValueError("no tea here")
    return bowl(x)


def dies_once(x):
    """The bowl, but the first evaluation inside the trap kills its process; the marker file
    ``$STEEP_TEST_MARK`` remembers that it happened, so a retry succeeds."""
    mark = os.environ["STEEP_TEST_MARK"]
    if _trapped(x) and not os.path.exists(mark):
        with open(mark, "w") as file:
            file.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return bowl(x)
