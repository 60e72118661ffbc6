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


def below_minimum(run: Any) -> str | None:
    """What to say when ``run`` found a cost below its landscape's stated minimum (the
    minimum is then wrong), or ``None``; a noisy landscape may dip below it by chance."""
    minimum, landscape = run.problem.minimum, run.problem.landscape
    if minimum is None or "noisy" in getattr(landscape, "tags", ()):
        return None
    if run.best_fun >= minimum.fun - 1e-9 * max(1.0, abs(minimum.fun)):
        return None
    return (
        f"{run.problem.name!r}: cost {run.best_fun!r} at {run.best_x.tolist()} is below its "
        f"stated minimum {minimum.fun!r}; the landscape's minimum is wrong"
    )
