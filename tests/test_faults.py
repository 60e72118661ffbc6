"""Faults from the objective and from plugins: recorded, survived, or named — never lost."""

import numpy as np
import pytest
import steep
from fakes import RandomSteps, Shifted, StepOptions
from steep import PluginError


def flaky(x):
    """Fails in three ways on parts of the box, a bowl elsewhere."""
    if x[0] > 3:
        raise ValueError("too hot")
    if x[0] < -3:
        return "scalding"
    if -1 < x[0] < -0.5:
        return float("nan")
    return float(((x - 1) ** 2).sum())


def test_pointwise_failures_are_recorded_with_reasons_and_the_run_goes_on(registry):
    result = steep.minimize(flaky, (-5, 5), dim=2, budget=400, seed=0, options={"batch": 10})
    assert result.nfev == 400 and result.stop == "budget"
    reasons = result.history.failures
    x = result.history.x[:, 0]
    assert {reasons[i] for i in np.flatnonzero(x > 3)} == {"ValueError: too hot"}
    assert {reasons[i] for i in np.flatnonzero(x < -3)} == {
        "TypeError: returned str, expected a number"
    }
    assert {reasons[i] for i in np.flatnonzero((x > -1) & (x < -0.5))} == {"non-finite cost: nan"}
    assert set(reasons) == set(np.flatnonzero(np.isnan(result.history.fun)))
    assert np.isfinite(result.fun) and -3 <= result.x[0] <= 3


def test_a_vectorized_objective_that_raises_fails_its_whole_batch(registry):
    calls = []

    def sometimes(X):
        calls.append(len(X))
        if len(calls) == 2:
            raise RuntimeError("cluster hiccup")
        return (X**2).sum(axis=1)

    result = steep.minimize(
        sometimes, (-1, 1), vectorized=True, budget=12, seed=0, options={"batch": 4}
    )
    assert sorted(result.history.failures) == [4, 5, 6, 7]
    assert set(result.history.failures.values()) == {"RuntimeError: cluster hiccup"}


def test_consecutive_failures_stop_the_run_with_the_best_so_far(registry):
    calls = []

    def breaks_down(x):
        calls.append(1)
        if len(calls) > 30:
            raise OSError("licence server unreachable")
        return float((x**2).sum())

    result = steep.minimize(
        breaks_down, (-1, 1), budget=1000, seed=0, max_failures=20, options={"batch": 4}
    )
    assert result.stop == "failures" and not result.success
    assert result.nfev == 50 and np.isfinite(result.fun)  # exactly at the limit, mid-batch
    assert result.message == (
        "stopped after 20 failed evaluations in a row; last: OSError: licence server unreachable"
    )
    assert result.fun == min(result.history.fun[:30])


def test_the_failure_limit_stops_within_a_large_batch(registry):
    def broken(x):
        raise OSError("down")

    result = steep.minimize(broken, (-1, 1), budget=1000, max_failures=3, options={"batch": 64})
    assert (result.stop, result.nfev, len(result.history.failures)) == ("failures", 3, 3)


def test_an_objective_that_calls_exit_stops_the_run_with_the_best_so_far(registry):
    def quits(x):
        if x[0] > 0.5:
            raise SystemExit(4)
        return float(x[0])

    result = steep.minimize(quits, (0, 1), budget=100, seed=1, options={"batch": 1})
    assert result.stop == "exited" and not result.success
    assert result.message.startswith("stopped: the objective called exit(4) at evaluation ")
    assert result.nfev == len(result.history.fun) and np.isfinite(result.fun)


def test_nan_regions_do_not_count_as_failures_in_a_row(registry):
    def half_undefined(x):
        with np.errstate(invalid="ignore"):
            return float(np.sqrt(x[0]))  # NaN for x < 0

    result = steep.minimize(half_undefined, (-100, 0.001), budget=500, seed=0, max_failures=5)
    assert result.stop == "budget" and result.nfev == 500
    never = steep.minimize(flaky, (3.5, 5), budget=300, seed=0, max_failures=None)
    assert never.stop == "budget" and len(never.history.failures) == 300


def test_success_is_never_claimed_without_a_finite_cost(registry):
    result = steep.minimize(
        lambda x: float("inf"),
        (0, 1),
        budget=100,
        seed=0,
        max_failures=None,
        options={"converge_after": 3},
    )
    assert result.stop == "converged" and not result.success
    assert "no finite cost in 12 evaluations" in result.message


def test_ctrl_c_stops_cleanly_with_the_best_point_so_far(registry):
    calls = []

    def impatient(x):
        calls.append(1)
        if len(calls) == 23:
            raise KeyboardInterrupt
        return float(((x - 0.5) ** 2).sum())

    result = steep.minimize(impatient, (0, 1), budget=100, seed=0, options={"batch": 5})
    assert result.stop == "interrupted" and not result.success
    assert result.nfev == 20 and result.message == "interrupted after 20 evaluations"
    assert result.fun == result.history.fun.min()


class AskBreaks(RandomSteps):
    name = "ask-breaks"

    def ask(self):
        if getattr(self, "told", 0) == 3:
            raise ZeroDivisionError("division by zero")
        return super().ask()


class TellBreaks(RandomSteps):
    name = "tell-breaks"

    def tell(self, points, costs):
        raise KeyError("mu")


@pytest.mark.parametrize(
    ("optimizer", "message", "nfev"),
    [
        (AskBreaks, "plugin 'ask-breaks': ask() raised ZeroDivisionError: division by zero", 12),
        (TellBreaks, "plugin 'tell-breaks': tell() raised KeyError: 'mu'", 4),
    ],
)
def test_a_raising_optimizer_is_named_and_the_result_so_far_kept(optimizer, message, nfev):
    with pytest.raises(PluginError) as error:
        steep.minimize(Shifted(dim=2), optimizer=optimizer, budget=100, seed=0)
    assert str(error.value) == message
    result = error.value.result
    assert result.stop == "error" and result.nfev == nfev == len(result.history)
    assert result.fun == result.history.fun.min()


def test_an_evaluator_returning_garbage_is_named(registry):
    class Lossy(steep.Evaluator):
        name = "lossy"

        def evaluate(self, task, points):
            return task(points).costs[:-1]

    with pytest.raises(PluginError, match="plugin 'lossy': evaluator returned"):
        steep.minimize(
            "shifted", budget=10, evaluator=Lossy(), seed=0, options={"batch": StepOptions().batch}
        )
