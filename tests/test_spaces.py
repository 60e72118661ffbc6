"""Typed search spaces, the configuration cache, callbacks and results kept in files."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from fakes import RandomSteps, StepOptions
from steep import Budget, Choice, Integer, Problem, Real, Run, Space, UsageError
from steep.result_file import load_result, save_result

SPACE = Space(
    {"C": Real(1e-3, 1e3, log=True), "degree": Integer(1, 5), "kernel": Choice(["rbf", "poly"])}
)


def test_a_space_maps_the_box_to_typed_values_and_back():
    bounds = SPACE.bounds
    assert bounds.dim == 3
    rng = np.random.default_rng(0)
    for point in bounds.sample(rng, 200):
        values = SPACE.decode(point)
        assert 1e-3 <= values["C"] <= 1e3 and isinstance(values["C"], float)
        assert values["degree"] in range(1, 6) and isinstance(values["degree"], int)
        assert values["kernel"] in ("rbf", "poly")
        assert SPACE.decode(SPACE.encode(values)) == values
    edges = [SPACE.decode(bounds.lower), SPACE.decode(bounds.upper)]
    assert [e["degree"] for e in edges] == [1, 5] and [e["kernel"] for e in edges] == [
        "rbf",
        "poly",
    ]
    np.testing.assert_array_equal(SPACE.discrete, [False, True, True])


def test_every_integer_and_choice_gets_an_equal_share_of_the_box():
    space = Space({"n": Integer(1, 4), "k": Choice(["a", "b", "c"])})
    points = space.bounds.sample(np.random.default_rng(1), 12_000)
    values = [space.decode(p) for p in points]
    for name, options in (("n", [1, 2, 3, 4]), ("k", ["a", "b", "c"])):
        shares = np.array([sum(v[name] == o for v in values) for o in options]) / len(values)
        np.testing.assert_allclose(shares, 1 / len(options), atol=0.02)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Real(1, 1), "low 1 must be below high 1"),
        (lambda: Real(0, 1, log=True), "log=True needs low > 0"),
        (lambda: Integer(0.5, 3), "low must be an integer"),
        (lambda: Choice(["only"]), "at least two options"),
        (lambda: Space({"x": (0, 1)}), "expected steep.Real, steep.Integer or steep.Choice"),
        (lambda: Space.from_dict({"x": {"type": "float"}}), "needs a type of real, integer"),
    ],
)
def test_bad_spaces_are_one_line_naming_the_value(make, message):
    with pytest.raises(UsageError, match=message):
        make()


def test_a_space_round_trips_through_plain_data_and_files(tmp_path):
    assert Space.from_dict(SPACE.to_dict()).to_dict() == SPACE.to_dict()
    toml = tmp_path / "space.toml"
    toml.write_text(
        '[C]\ntype = "real"\nlow = 0.001\nhigh = 1000.0\nlog = true\n'
        '[degree]\ntype = "integer"\nlow = 1\nhigh = 5\n'
        '[kernel]\ntype = "choice"\noptions = ["rbf", "poly"]\n'
    )
    assert Space.read(str(toml)).to_dict() == SPACE.to_dict()


def run_on(space, objective, budget, cache=None, batch=4):
    problem = Problem.from_function(objective, None, space=space)
    return Run(
        problem, RandomSteps, StepOptions(batch=batch), budget=Budget(budget), seed=0, cache=cache
    ).execute()


def test_a_discrete_space_brews_each_configuration_once_and_says_so():
    brewed = []

    def cost(values):
        brewed.append(tuple(values.values()))
        return values["n"] + (values["k"] == "b")

    space = Space({"n": Integer(1, 3), "k": Choice(["a", "b"])})
    result = run_on(space, cost, budget=60)
    assert result.nfev == 60 and len(brewed) == len(set(brewed)) <= 6
    assert result.ncached == 60 - len(brewed) > 0
    assert result.params == {"n": 1, "k": "a"} and result.fun == 1.0
    repeated = run_on(space, cost, budget=60, cache=False)
    assert repeated.ncached == 0 and len(brewed) == len(set(brewed)) + 60


def test_a_space_with_a_real_parameter_is_not_cached_unless_asked():
    result = run_on(Space({"x": Real(0, 1)}), lambda v: v["x"], budget=20)
    assert result.ncached == 0 and set(result.params) == {"x"}


def test_a_callback_sees_each_batch_and_stops_the_run_with_stop_iteration(registry):
    seen = []

    def callback(intermediate):
        seen.append(intermediate.nfev)
        if intermediate.nfev >= 12:
            raise StopIteration

    problem = Problem.from_function(lambda x: float(x[0] ** 2), [(-1, 1)])
    run = Run(problem, RandomSteps, StepOptions(), budget=Budget(100), seed=0, callback=callback)
    result = run.execute()
    assert seen == [4, 8, 12] and result.stop == "callback" and result.nfev == 12
    assert result.message == "stopped by the callback after 12 evaluations"


def test_a_result_and_its_history_survive_a_file_without_pickles(registry, tmp_path):
    result = run_on(SPACE, lambda v: v["C"] + v["degree"], budget=24)
    path = save_result(result, tmp_path / "svc")
    assert path.name == "svc.npz"
    again = load_result(path)
    np.testing.assert_array_equal(again.history.x, result.history.x)
    np.testing.assert_array_equal(again.history.fun, result.history.fun)
    assert again.to_dict() == result.to_dict()
    with np.load(path, allow_pickle=False) as arrays:
        assert set(arrays.files) == {"x", "fun", "batch", "document"}


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_a_damaged_result_file_is_one_line(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(UsageError, match="is not a saved steep result"):
        load_result(path)


def test_minimize_over_a_space_hands_the_function_typed_values(registry):
    seen = []

    def cv_error(values):
        seen.append(values)
        return abs(np.log10(values["C"]) - 1) + values["degree"] / 10 + (values["kernel"] != "rbf")

    result = steep.minimize(cv_error, space=SPACE, budget=40, seed=0)
    assert all(set(v) == {"C", "degree", "kernel"} for v in seen)
    tasted = list(seen)
    assert result.params == SPACE.decode(result.x) and result.fun == min(map(cv_error, tasted))


def test_a_gradient_given_as_jac_is_counted_apart(registry):
    def cost(x):
        return float(((x - 0.3) ** 2).sum())

    result = steep.minimize(cost, [(0, 1)] * 3, jac=lambda x: 2 * (x - 0.3), budget=12, seed=0)
    assert result.njev == 0  # the fake optimizer asks for no slopes: none were counted
    problem = steep.make_problem(cost, [(0, 1)] * 3, jac=lambda x: 2 * (x - 0.3))
    np.testing.assert_allclose(problem.gradient(np.full((2, 3), 0.5)), np.full((2, 3), 0.4))
    with pytest.raises(UsageError, match="jac and space are for a function of your own"):
        steep.minimize("shifted", jac=lambda x: x)


def test_maximize_reports_the_maximum_in_the_objectives_terms(registry):
    def tea(x):
        return float(10 - (x[0] - 0.65) ** 2)

    best = steep.maximize(tea, [(0, 1)], budget=40, seed=0)
    assert best.fun == max(best.history.fun) == tea(best.x)
    early = steep.maximize(tea, [(0, 1)], budget=400, seed=0, target=9.99)
    assert early.stop == "target" and early.fun >= 9.99


def test_restarts_through_minimize_resume_from_a_journal_across_a_restart(registry, tmp_path):
    path = tmp_path / "restarts.jsonl"
    options = {"batch": 4, "converge_after": 2}
    whole = steep.minimize(
        lambda x: float(x[0] ** 2), [(-1, 1)], budget=60, seed=2, restarts=3, options=options
    )
    assert whole.restarts == 3
    from journal_objectives import tea

    first = steep.minimize(
        tea, [(0, 1)], budget=60, seed=2, restarts=3, options=options, journal=path
    )
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 1 + 13]))  # killed after the first restart began
    again = steep.resume(path)
    np.testing.assert_array_equal(again.history.x, first.history.x)
    assert (again.restarts, again.nfev) == (first.restarts, first.nfev) == (3, 32)


def test_cells_say_how_far_a_method_must_step_to_change_a_value():
    space = steep.Space.parse(
        {
            "C": steep.Real(1e-3, 1e3, log=True),
            "degree": steep.Integer(1, 5),
            "kernel": steep.Choice(["rbf", "poly", "linear"]),
            "trees": steep.Integer(1, 100, log=True),
        }
    )
    point = space.encode({"C": 1.0, "degree": 3, "kernel": "linear", "trees": 7})
    low, high = space.cells(point)
    assert (low[0], high[0]) == (-np.inf, np.inf)
    assert (low[1], high[1]) == (2.5, 3.5) and (low[2], high[2]) == (1.5, 2.5)
    assert np.allclose([low[3], high[3]], np.log([6.5, 7.5]))
    for name, inside in zip(space.names, np.column_stack([low, high])):
        if np.isfinite(inside).all():  # both ends of a cell decode to the point's value
            ends = [
                np.where(np.array(space.names) == name, end, point)
                for end in inside + np.array([1e-9, -1e-9])
            ]
            assert all(space.decode(e)[name] == space.decode(point)[name] for e in ends)
