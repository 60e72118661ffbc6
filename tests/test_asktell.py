"""AskTell: the caller measures what the run asks, with the budget, seed and result of a run."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from steep import AskTell, UsageError


def tea(points):
    return ((np.asarray(points) - 0.65) ** 2).sum(axis=1)


def test_the_caller_drives_the_same_run_minimize_would_make(registry):
    with AskTell(bounds=[(0, 1)] * 2, budget=30, seed=4, options={"batch": 4}) as run:
        while not run.done:
            run.tell(tea(run.ask()))
    driven = run.result
    made = steep.minimize(
        tea, [(0, 1)] * 2, vectorized=True, budget=30, seed=4, options={"batch": 4}
    )
    np.testing.assert_array_equal(driven.history.x, made.history.x)
    assert (driven.nfev, driven.fun, driven.stop) == (30, made.fun, "budget")


def test_a_space_is_asked_as_typed_values(registry):
    space = {"n": steep.Integer(1, 3), "k": steep.Choice(["a", "b"])}
    run = AskTell(space=space, budget=40, seed=0)
    asked = []
    while not run.done:
        batch = run.ask()
        asked += batch
        run.tell([v["n"] + (v["k"] == "b") for v in batch])
    assert all(set(v) == {"n", "k"} for v in asked)
    assert run.result.params == {"n": 1, "k": "a"} and run.result.ncached > 0


def test_closing_early_keeps_what_was_told_and_misuse_is_one_line(registry):
    run = AskTell(bounds=[(0, 1)], budget=100, seed=0, options={"batch": 5})
    with pytest.raises(UsageError, match="ask for a batch before telling"):
        run.tell([1.0])
    points = run.ask()
    with pytest.raises(UsageError, match="tell the costs of the last batch"):
        run.ask()
    with pytest.raises(UsageError, match="tell got 2 costs for a batch of 5 points"):
        run.tell([1.0, 2.0])
    run.tell(tea(points))
    run.close()
    assert run.done and run.result.nfev == 5 and run.result.stop == "interrupted"
    with pytest.raises(UsageError, match="AskTell takes no evaluator="):
        AskTell(bounds=[(0, 1)], evaluator="processes")
