"""steep diagnose: the probe keeps its budget exactly, repeats from its seed, finds each
property of a terrain where it is plain and nowhere on a bowl, and recommends only what is
installed. It runs on the installed landscapes (as test_properties.py does) and on plain
functions written here."""

import argparse
import json

import attrs
import numpy as np
import pytest
import steep
from steep.diagnosis import Finding, diagnose, measures, shape
from steep.diagnosis.command import add_arguments, run
from steep.diagnosis.plan import minimum_budget, plan_probe
from steep.diagnosis.verdict import recommend
from steep.plugins import load_registry

REGISTRY = load_registry()


def quadratic(X):
    return ((X - 0.3) ** 2).sum(axis=1)


def staircase(X):
    return np.floor(4 * np.abs(X)).sum(axis=1)


def needle(X):
    return np.minimum(((X - 0.37) / 0.02) ** 2, 1.0).sum(axis=1)


MOODS = np.random.default_rng(0)


def moody(X):
    return quadratic(X) * MOODS.gamma(10.0, 0.1, len(X))


def wells(X):
    return ((X**2 - 1) ** 2 + 0.3 * X).sum(axis=1)


def egg_crate(X):
    return (X**2 + 3 * (1 - np.cos(2 * np.pi * X))).sum(axis=1)


def narrow(X):
    return X[:, 0] ** 2 + 1e4 * X[:, 1] ** 2


def coupled(X):
    return (X[:, 0] + X[:, 1]) ** 2 + 0.1 * (X[:, 0] - X[:, 1]) ** 2


def probe(function, bounds, dim, **given):
    given.setdefault("seed", 0)
    return diagnose(function, bounds, dim=dim, vectorized=True, registry=REGISTRY, **given)


@pytest.mark.parametrize("dim", [1, 2, 5])
@pytest.mark.parametrize("per_dim", [None, 20, 37, 100])
def test_the_budget_is_never_exceeded_and_every_cup_is_counted(dim, per_dim):
    budget = None if per_dim is None else max(per_dim * dim, minimum_budget(dim))
    tasted = []

    def counted(X):
        tasted.append(len(X))
        return quadratic(X)

    found = probe(counted, (-1, 1), dim, budget=budget)
    assert found.budget == (100 * dim if budget is None else budget)
    assert found.nfev == sum(tasted) == len(found.points) == len(found.costs) <= found.budget
    assert plan_probe(found.budget, dim).evaluations <= found.budget
    assert found.stop in ("converged", "budget")


def test_too_small_a_budget_is_refused_naming_it():
    with pytest.raises(steep.UsageError, match="budget 15 is too small to probe a 2-D"):
        probe(quadratic, (-1, 1), 2, budget=15)


def test_the_same_seed_gives_the_same_diagnosis():
    first, second = (diagnose("rastrigin", dim=3, seed=7, registry=REGISTRY) for _ in range(2))
    assert first.to_dict() == second.to_dict()
    assert diagnose("rastrigin", dim=3, seed=8, registry=REGISTRY).to_dict() != first.to_dict()


@pytest.mark.parametrize(
    ("function", "bounds", "dim", "key"),
    [
        (staircase, (-1, 1), 2, "stairs"),
        (needle, (0, 1), 1, "plateau"),
        (needle, (0, 1), 3, "plateau"),
        (moody, (-1, 1), 2, "noise"),
        (wells, (-2, 2), 1, "valleys"),
        (wells, (-2, 2), 3, "valleys"),
        (egg_crate, (-5, 5), 2, "wiggles"),
        (egg_crate, (-5, 5), 5, "wiggles"),
        (narrow, (-1, 1), 2, "conditioning"),
        (quadratic, (-1, 1), 4, "separability"),
    ],
)
def test_each_finding_shows_where_it_is_plain(function, bounds, dim, key):
    finding = probe(function, bounds, dim).finding(key)
    assert finding.present is True, finding.text


def test_a_coupled_bowl_is_not_separable():
    assert probe(coupled, (-1, 1), 2).finding("separability").present is False


@pytest.mark.parametrize(
    "found",
    [
        pytest.param(lambda: probe(quadratic, (-1, 1), 3), id="quadratic"),
        pytest.param(lambda: diagnose("bowl", registry=REGISTRY, seed=0), id="bowl"),
        pytest.param(lambda: diagnose("sphere", dim=5, registry=REGISTRY, seed=0), id="sphere"),
    ],
)
def test_a_bowl_shows_none_of_the_traps_and_gets_the_race_car(found):
    diagnosis = found()
    for key in ("noise", "plateau", "stairs", "wiggles", "valleys", "conditioning"):
        assert diagnosis.finding(key).present is False, diagnosis.finding(key).text
    assert diagnosis.recommendation.vehicle == "race car"
    assert diagnosis.recommendation.optimizer == "bfgs"


@pytest.mark.parametrize(
    ("name", "dim", "terrain"),
    [
        ("valleys", None, "valleys"),
        ("himmelblau", None, "valleys"),
        ("schwefel", 5, "valleys"),
        ("wiggles", None, "wiggles"),
        ("rastrigin", 5, "wiggles"),
        ("griewank", None, "wiggles"),
        ("stairs", 5, "stairs"),
        ("easom", None, "plateau"),
        ("noisy", 5, "noise"),
    ],
)
def test_the_mission_landscapes_get_their_terrain(name, dim, terrain):
    diagnosis = diagnose(name, dim=dim, seed=0, registry=REGISTRY)
    assert diagnosis.finding(terrain).present is True, "\n".join(diagnosis.lines())
    assert diagnosis.recommendation.vehicle == "pickup truck"


def test_the_recommendation_names_only_installed_optimizers():
    findings = probe(egg_crate, (-5, 5), 2).findings
    assert recommend(findings, 2, ["annealing", "cma-es"]).optimizer == "annealing"
    standing_in = recommend(findings, 2, ["bfgs", "random-search"])
    assert standing_in.optimizer == "bfgs"
    assert "install a plugin that registers 'annealing'" in standing_in.reason
    assert standing_in.vehicle == "race car"
    nothing = recommend(findings, 2, [])
    assert nothing.optimizer is None and "no optimizer is installed" in nothing.reason


def test_only_the_given_registry_is_consulted(registry):
    found = diagnose(quadratic, [(-1, 1)] * 2, vectorized=True, seed=0, registry=registry)
    assert found.recommendation.optimizer in registry.names("optimizer")


def test_the_journal_is_written_and_a_second_probe_continues_it(tmp_path):
    tasted = []

    def counted(X):
        tasted.append(len(X))
        return quadratic(X)

    path = tmp_path / "probe.jsonl"
    first = probe(counted, (-1, 1), 2, journal=path, seed=None)
    spent = sum(tasted)
    again = probe(counted, (-1, 1), 2, journal=path, seed=None)
    assert spent == first.nfev and sum(tasted) == spent, "the second probe re-evaluated"
    assert again.to_dict() == first.to_dict()
    header = json.loads(path.read_text().splitlines()[0])
    assert header["optimizer"]["name"] == "diagnose-probe"


def cli(capsys, *argv):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    status = run(parser.parse_args(argv), REGISTRY)
    return status, capsys.readouterr().out


def test_the_command_prints_a_table_and_json(capsys):
    status, out = cli(capsys, "-L", "rastrigin", "-d", "2", "-n", "150", "-s", "1")
    assert status == 0
    assert "finding" in out and "wiggles" in out and "Verdict: pickup truck" in out
    status, out = cli(capsys, "--landscape", "bowl", "--seed", "0", "--json")
    data = json.loads(out)
    assert data["recommendation"]["optimizer"] == "bfgs" and data["nfev"] <= data["budget"]
    assert [f["key"] for f in data["findings"]][:2] == ["noise", "plateau"]


def test_the_command_takes_an_importable_objective(capsys):
    status, out = cli(capsys, "--objective", "numpy:sum", "--bounds=-1:1", "-d", "2", "-s", "0")
    assert status == 0 and out.startswith("sum (2-D)")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-L", "bowl", "--objective", "numpy:sum"], "either --landscape or --objective"),
        (["--vectorized"], "--vectorized describes an --objective"),
        (["--objective", "numpy:no_such"], "cannot import the objective 'numpy:no_such'"),
        (["-L", "bowl", "-n", "5"], "budget 5 is too small"),
    ],
)
def test_bad_command_input_is_one_clear_error(capsys, argv, message):
    with pytest.raises(steep.UsageError, match=message):
        cli(capsys, *argv)


def test_measures_read_plain_arrays():
    assert shape.count_bumps(np.array([3.0, 2, 1, 2, 3]), 0.0) == 0
    assert shape.count_bumps(np.array([0.0, 1, 0, 1, 0, 1]), 0.0) == 2
    assert shape.count_bumps(np.array([0.0, 1e-12, 0, 1]), 1e-9) == 0
    costs = np.arange(9.0)
    assert measures.noise_finding(np.array([[1.0, 1.0], [2.0, 2.0]]), costs).present is False
    assert measures.noise_finding(np.array([[1.0, 1.5], [2.0, 1.5]]), costs).present
    flat = measures.plateau_finding(np.r_[np.ones(8), 0.2], best=0.1)
    assert flat.present and flat.figure == pytest.approx(8 / 9)
    coupling = np.array([[0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 1.0, 3.0]])
    assert measures.separability_finding(coupling[:1], 2, noisy=False).present is True
    assert measures.separability_finding(coupling, 2, noisy=False).present is False


def test_the_hessian_of_a_quadratic_is_exact():
    curvature = np.array([[2.0, 0.5], [0.5, 8.0]])
    steps = np.array([1e-3, -1e-3])

    def cost(x):
        return 0.5 * x @ curvature @ x

    single = np.array([cost(np.diag(steps)[i]) for i in range(2)])
    double = np.array([cost(2 * np.diag(steps)[i]) for i in range(2)])
    pairs = np.array([cost(steps)])
    found = shape.hessian_matrix(0.0, single, double, pairs, steps)
    np.testing.assert_allclose(found, curvature, rtol=1e-6)


def test_values_are_checked_when_made():
    with pytest.raises(ValueError, match=r"Finding\.key must be one of"):
        Finding("bumps", True, 1.0, "text")
    with pytest.raises(ValueError, match=r"Finding\.text must be one non-empty line"):
        Finding("noise", True, 1.0, "two\nlines")
    found = probe(quadratic, (-1, 1), 1)
    with pytest.raises(ValueError, match=r"Diagnosis\.points has shape"):
        attrs.evolve(found, points=np.zeros((3, 1)))


def test_the_command_registers_through_the_plugin_hook():
    loaded = load_registry(use_entry_points=False)
    entry = loaded.entries["command"]["diagnose"]
    assert entry.plugin == "steep.diagnosis.command"
    assert entry.extra["run"] is run and entry.extra["add_arguments"] is add_arguments
