"""What a stopped run says: the message of each stop reason, from the run's own counters."""

from __future__ import annotations

from typing import Any


def stop_message(run: Any, stop: str) -> str:
    """The message of ``run`` (a :class:`steep.Run`) stopped for ``stop``."""
    if stop == "callback":
        return f"stopped by the callback after {run.nfev} evaluations"
    if stop == "running":
        return f"running: {run.nfev} evaluations so far"
    if stop == "target":
        return f"reached the target cost {run.budget.target:g} in {run.nfev} evaluations"
    if stop == "converged":
        again = f" (after {run.restarts} restart{'s' * (run.restarts > 1)})" if run.restarts else ""
        return f"converged: {run.optimizer.converged}{again}"
    if stop == "time":
        return f"stopped at the time limit of {run.budget.seconds:g} s"
    if stop == "failures":
        last = run.failures[max(run.failures)]
        return f"stopped after {run.failure_streak} failed evaluations in a row; last: {last}"
    if stop == "interrupted":
        resume = f"; resume with: steep resume {run.journal.path}" if run.journal else ""
        return f"interrupted after {run.nfev} evaluations{resume}"
    if stop == "exited":
        return (
            f"stopped: the objective called exit({run.exit_code}) at evaluation "
            f"{run.nfev + 1}; the best of the {run.nfev} before is kept"
        )
    if stop == "error":
        return f"stopped by an error of plugin {run.optimizer_name!r}"
    return f"spent the budget of {run.budget.evaluations} evaluations"
