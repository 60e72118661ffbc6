"""Restarts belong to the run: a converged optimizer starts afresh from a new point while
budget and restarts remain, the same for every plugin."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import RandomSteps, StepOptions
from steep import Budget, Problem, Run, UsageError


def valleys(X):
    """Two valleys: a wide shallow one at 0.2 and a narrow deep one at 0.9."""
    return np.minimum((X[:, 0] - 0.2) ** 2, 2 * (X[:, 0] - 0.9) ** 2 - 0.05)


PROBLEM = Problem.from_function(valleys, [(0, 1)], vectorized=True)


def run(restarts, budget=100, seed=3, batch=4, converge_after=2):
    options = StepOptions(batch=batch, converge_after=converge_after)
    limits = Budget(budget, restarts=restarts)
    return Run(PROBLEM, RandomSteps, options, budget=limits, seed=seed).execute()


@pytest.mark.parametrize("budget", [7, 50, 101])
def test_the_budget_is_exact_across_restarts(budget):
    result = run(restarts=1000, budget=budget)
    assert result.nfev == budget == len(result.history.fun)
    assert result.stop == "budget" and result.restarts == -(-budget // 8) - 1


def test_restarts_stop_at_their_limit_with_the_best_over_all_of_them():
    result = run(restarts=3)
    assert (result.restarts, result.nfev, result.stop) == (3, 32, "converged")
    assert result.message == "converged: told 2 batches (after 3 restarts)"
    assert result.fun == np.nanmin(result.history.fun) <= run(restarts=0).fun


def test_without_restarts_a_run_is_what_it_was():
    single = run(restarts=0)
    assert (single.restarts, single.nfev) == (0, 8)
    with_restarts = run(restarts=2)
    np.testing.assert_array_equal(with_restarts.history.x[:8], single.history.x)


def test_same_seed_same_restarts_other_seed_other_starts():
    first, again, other = run(restarts=5), run(restarts=5), run(restarts=5, seed=4)
    np.testing.assert_array_equal(first.history.x, again.history.x)
    assert not np.array_equal(first.history.x, other.history.x)


def test_a_bad_restart_count_is_refused_by_name():
    with pytest.raises(UsageError, match="budget: restarts must be a non-negative integer, got -1"):
        run(restarts=-1)


def test_each_restart_is_told_the_best_cost_of_the_starts_before_it():
    told = []

    class Listening(RandomSteps):
        def __init__(self, task, options, rng):
            super().__init__(task, options, rng)
            told.append(task.incumbent)

    options = StepOptions(batch=4, converge_after=2)
    result = Run(PROBLEM, Listening, options, budget=Budget(100, restarts=3), seed=3).execute()
    costs = result.history.fun
    assert told == [np.inf] + [costs[: 8 * k].min() for k in (1, 2, 3)]
