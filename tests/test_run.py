"""The run loop owns budget, stopping, seeding and history, and checks every plugin output."""

import numpy as np
import pytest
import steep
from fakes import RandomSteps, Shifted, StepOptions, make_plugin
from steep import Budget, PluginError, Problem, Run, UsageError, plugins


def run(optimizer=RandomSteps, options=None, budget=100, problem=None, **kwargs):
    problem = problem or Problem.from_landscape(Shifted(dim=2))
    return Run(
        problem, optimizer, options or optimizer.Options(), budget=Budget(budget), **kwargs
    ).execute()


@pytest.mark.parametrize(("batch", "budget"), [(1, 7), (4, 7), (10, 3), (64, 1000), (7, 7)])
def test_budget_is_exact_even_when_the_last_batch_is_cut(batch, budget):
    result = run(options=StepOptions(batch=batch), budget=budget, seed=1)
    assert result.nfev == budget == len(result.history)
    assert result.stop == "budget" and not result.success
    assert result.message == f"spent the budget of {budget} evaluations"


def test_the_truncated_batch_is_evaluated_but_not_told():
    class Counting(RandomSteps):
        def tell(self, points, costs):
            self.told_points = getattr(self, "told_points", 0) + len(points)

    problem = Problem.from_landscape(Shifted(dim=2))
    loop = Run(problem, Counting, StepOptions(batch=4), budget=Budget(10), seed=0)
    result = loop.execute()
    assert result.nfev == 10 and loop.optimizer.told_points == 8


def test_history_holds_every_point_and_cost_in_order():
    result = run(options=StepOptions(batch=3), budget=9, seed=2)
    landscape = Shifted(dim=2)
    np.testing.assert_array_equal(result.history.fun, landscape.evaluate(result.history.x))
    assert result.history.batch.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    best = int(np.argmin(result.history.fun))
    assert result.fun == result.history.fun[best]
    np.testing.assert_array_equal(result.x, result.history.x[best])
    assert result.history.best_so_far()[-1] == result.fun


def test_same_seed_same_run_and_other_seed_other_run():
    first, second, other = run(seed=5), run(seed=5), run(seed=6)
    np.testing.assert_array_equal(first.history.x, second.history.x)
    assert not np.array_equal(first.history.x, other.history.x)


def test_without_a_seed_the_drawn_seed_is_reported_and_replays_the_run():
    first = run()
    again = run(seed=first.seed)
    np.testing.assert_array_equal(first.history.x, again.history.x)


def test_target_stops_the_run_with_success():
    result = Run(
        Problem.from_landscape(Shifted(dim=1)),
        RandomSteps,
        StepOptions(batch=2),
        budget=Budget(10_000, target=0.01),
        seed=3,
    ).execute()
    assert result.stop == "target" and result.success and result.fun <= 0.01
    assert result.nfev < 10_000
    assert (result.history.fun[:-2] > 0.01).all()


def test_converged_optimizer_stops_with_its_reason():
    result = run(options=StepOptions(batch=2, converge_after=3), budget=100, seed=0)
    assert result.stop == "converged" and result.success
    assert result.message == "converged: told 3 batches" and result.nfev == 6


def test_time_limit_stops_the_run():
    def slow(points):
        import time

        time.sleep(0.01)
        return (points**2).sum(axis=1)

    problem = Problem("slow", steep.Bounds([0.0], [1.0]), slow)
    result = Run(
        problem, RandomSteps, StepOptions(), budget=Budget(10**6, seconds=0.05), seed=0
    ).execute()
    assert result.stop == "time" and 1 <= result.nbatch < 100


def test_non_finite_costs_are_recorded_raw_and_told_as_inf():
    told = []

    class Recording(RandomSteps):
        def tell(self, points, costs):
            told.append(costs.copy())

    def holes(points):
        costs = points[:, 0].copy()
        costs[::3] = np.nan
        costs[1::3] = -np.inf
        return costs

    problem = Problem("holes", steep.Bounds([0.0], [1.0]), holes)
    result = run(Recording, StepOptions(batch=6), budget=12, problem=problem, seed=0)
    assert np.isnan(result.history.fun[::3]).all()
    assert np.isneginf(result.history.fun[1::3]).all()
    assert all(np.isposinf(c[::3]).all() and np.isposinf(c[1::3]).all() for c in told)
    assert np.isfinite(result.fun) and result.fun == np.nanmin(result.history.fun[2::3])


def test_a_function_with_no_finite_cost_never_succeeds():
    problem = Problem("nan", steep.Bounds([0.0], [1.0]), lambda p: np.full(len(p), np.nan))
    result = run(options=StepOptions(converge_after=2), budget=50, problem=problem, seed=0)
    assert not result.success and "no finite cost" in result.message


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (np.array([[10.0, 0.0]]), r"outside the bounds, first \[10.0, 0.0\]"),
        (np.array([[np.nan, 0.0]]), "outside the bounds"),
        (np.zeros((0, 2)), r"returned shape \(0, 2\)"),
        (np.zeros((3,)), r"returned shape \(3,\)"),
        (np.zeros((1, 3)), r"expected \(k, 2\)"),
        ([["a", "b"]], "non-numbers"),
    ],
)
def test_bad_asks_are_errors_naming_the_plugin(asked, message):
    class Broken(RandomSteps):
        name = "broken"

        def ask(self):
            return asked

    with pytest.raises(PluginError, match=rf"plugin 'broken': ask\(\) .*{message}"):
        run(Broken, seed=0)


def test_objective_returning_the_wrong_shape_fails_those_evaluations():
    problem = Problem("flat", steep.Bounds([0.0], [1.0]), lambda p: np.zeros((len(p), 2)))
    result = run(problem=problem, seed=0, budget=8)
    assert result.nfev == 8 and not result.success and np.isnan(result.history.fun).all()
    assert result.history.failures[0] == "returned shape (4, 2) for 4 points, expected (4,)"


def test_x0_is_validated_and_handed_to_the_optimizer():
    problem = Problem.from_landscape(Shifted(dim=2))
    loop = Run(problem, RandomSteps, StepOptions(), budget=Budget(4), x0=[0.5, -0.5], seed=0)
    np.testing.assert_array_equal(loop.optimizer.task.x0, [0.5, -0.5])
    with pytest.raises(UsageError, match="outside the bounds"):
        Run(problem, RandomSteps, StepOptions(), budget=Budget(4), x0=[9, 0])
    with pytest.raises(UsageError, match="x0 has 3 coordinates but the dimension is 2"):
        Run(problem, RandomSteps, StepOptions(), budget=Budget(4), x0=[0, 0, 0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"evaluations": 0}, "evaluations must be a positive integer, got 0"),
        ({"evaluations": 2.5}, "evaluations must be a positive integer"),
        ({"evaluations": 5, "seconds": -1}, "seconds must be a positive number"),
        ({"evaluations": 5, "target": float("nan")}, "target must be a finite number"),
    ],
)
def test_bad_budgets_are_named(kwargs, message):
    with pytest.raises(UsageError, match=message):
        Budget(**kwargs)


def test_bad_seed_is_refused():
    with pytest.raises(UsageError, match="seed must be a non-negative integer, got -1"):
        run(seed=-1)


def test_gradient_calls_are_counted_separately():
    class Sloped(RandomSteps):
        def ask(self):
            self.task.gradient(self.bounds.sample(self.rng, 3))
            return super().ask()

    result = run(Sloped, StepOptions(batch=2), budget=10, seed=0)
    assert result.njev == 15 and result.nfev == 10


def test_observers_see_start_every_batch_and_finish():
    seen = []
    observer = make_plugin(
        run_started=lambda run: seen.append(("start", run.nfev)),
        batch_evaluated=lambda run, points, costs: seen.append(("batch", run.nfev, len(costs))),
        run_finished=lambda run, result: seen.append(("finish", result.nfev)),
    )
    registry = plugins.load_registry(plugins=[("observer", observer)], use_entry_points=False)
    run(options=StepOptions(batch=4), budget=10, seed=0, registry=registry)
    assert seen == [
        ("start", 0),
        ("batch", 4, 4),
        ("batch", 8, 4),
        ("batch", 10, 2),
        ("finish", 10),
    ]


def test_optimizer_that_fails_to_start_is_named():
    class Fragile(RandomSteps):
        name = "fragile"

        def __init__(self, task, options, rng):
            raise RuntimeError("no memory")

    starting = "plugin 'fragile': starting the optimizer raised RuntimeError"
    with pytest.raises(PluginError, match=starting):
        run(Fragile)
