"""steep.minimize and the listings of what is installed."""

import numpy as np
import pytest
import steep
from fakes import RandomSteps
from steep import UsageError


def test_minimize_a_pointwise_function_over_bounds(registry):
    calls = []

    def cost(x):
        calls.append(x.copy())
        return float(((x - 0.25) ** 2).sum())

    result = steep.minimize(cost, [(0, 1), (0, 1)], budget=60, seed=0, options={"batch": 6})
    assert result.nfev == 60 == len(calls) and result.optimizer == "random-steps"
    np.testing.assert_allclose(result.history.fun, [cost(x) for x in result.history.x])
    assert (
        result["fun"] == result.fun
        and result.problem == "test_minimize_a_pointwise_function_over_bounds.<locals>.cost"
    )


def test_minimize_a_vectorized_function_evaluates_whole_batches(registry):
    sizes = []

    def cost(X):
        sizes.append(len(X))
        return (X**2).sum(axis=1)

    steep.minimize(cost, (-1, 1), dim=3, vectorized=True, budget=20, seed=0, options={"batch": 8})
    assert sizes == [8, 8, 4]


def test_minimize_a_landscape_by_name_class_or_default(registry):
    by_name = steep.minimize("shifted", dim=2, budget=16, seed=4)
    by_default = steep.minimize(budget=16, seed=4, dim=2)
    np.testing.assert_array_equal(by_name.history.x, by_default.history.x)
    assert by_name.minimum.fun == 0.0 and by_name.gap == by_name.fun


def test_minimize_accepts_an_optimizer_class_not_registered(registry):
    class Other(RandomSteps):
        name = "other"

    assert steep.minimize("shifted", optimizer=Other, budget=8, seed=0).optimizer == "other"


def test_default_budget_follows_the_dimension(registry):
    assert steep.minimize("shifted", dim=2, seed=0, options={"batch": 100}).nfev == 2000


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: steep.minimize(lambda x: 0.0), "needs bounds, a space, or x0"),
        (lambda: steep.minimize(42, (0, 1)), "neither a landscape name nor callable"),
        (lambda: steep.minimize("shifted", budget=-3), "evaluations must be a positive integer"),
        (lambda: steep.minimize("shifted", options={"colour": 3}), "unknown option 'colour'"),
        (lambda: steep.minimize("shifted", optimizer=3), "neither a name nor a steep.Optimizer"),
        (lambda: steep.minimize("shifted", dim=0), "dimension must be a positive integer"),
        (lambda: steep.minimize("shifted", evaluator="cluster"), "unknown evaluator 'cluster'"),
    ],
)
def test_bad_calls_raise_usage_errors_naming_the_value(registry, call, message):
    with pytest.raises(UsageError, match=message):
        call()


def test_installed_optimizers_and_landscapes_are_described(registry):
    (optimizer,) = steep.optimizers().values()
    assert optimizer.name == "random-steps" and optimizer.is_default
    assert [o.name for o in optimizer.options] == ["batch", "converge_after"]
    (landscape,) = steep.landscapes().values()
    assert landscape.name == "shifted" and "smooth" in landscape.tags
    assert landscape.bounds.as_pairs() == [(-5.0, 5.0)] and landscape.minimum.fun == 0.0


def test_custom_bounds_on_a_landscape_drop_a_minimum_outside_them(registry):
    inside = steep.minimize("shifted", bounds=[(0, 2)], budget=4, seed=0)
    outside = steep.minimize("shifted", bounds=[(2, 3)], budget=4, seed=0)
    assert inside.minimum is not None and outside.minimum is None
    assert (outside.history.x >= 2).all()
