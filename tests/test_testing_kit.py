"""The conformance kit passes good plugins, and names the rule a bad one breaks and its fix."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
import steep
from fakes import RandomSteps, Shifted
from steep.evaluator import SerialEvaluator
from steep.pool import ProcessEvaluator
from steep.testing import (
    CheckFailure,
    Sphere,
    UniformProbe,
    check_evaluator,
    check_installed_plugin,
    check_landscape,
    check_optimizer,
    checks_for,
    descend,
    evaluator_checks,
    landscape_checks,
    only_plugins,
    parametrize_with_checks,
    plugin_checks,
)


def test_good_plugins_pass():
    check_optimizer(RandomSteps)
    check_landscape(Shifted)
    check_landscape(Sphere)


class Escaping(RandomSteps):
    """Steps one unit past the upper wall."""

    name = "escaping"

    def ask(self):
        return self.bounds.upper + np.ones((1, self.dim))


class Forgetful(RandomSteps):
    """Ignores its generator."""

    name = "forgetful"

    def ask(self):
        return self.bounds.sample(np.random.default_rng(), 2)


class Normalizing(RandomSteps):
    """Divides by the spread of the costs it is told: 0/0 on a flat function."""

    name = "normalizing"

    def tell(self, points, costs):
        self.scaled = (costs - costs.mean()) / costs.std()


class Wrong(Shifted):
    name = "wrong"

    @property
    def minimum(self):
        from steep import Minimum

        return Minimum(np.full(self.dim, 1.0), 0.5)


class Loopy(Shifted):
    name = "loopy"

    def evaluate(self, X):
        return np.array([float(((x - 1.0) ** 2).sum()) + 1e-3 * len(X) for x in X])


@pytest.mark.parametrize(
    ("check", "rule"),
    [
        (lambda: check_optimizer(Escaping), "asks_right_shapes_inside_bounds"),
        (lambda: check_optimizer(Forgetful), "same_seed_same_run"),
        (lambda: check_optimizer(Normalizing), "survives_tiny_huge_and_flat_costs"),
        (lambda: check_landscape(Wrong), "minimum_is_real"),
        (lambda: check_landscape(Loopy), "vectorized_matches_pointwise"),
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the broken plugins' own arithmetic
def test_broken_plugins_fail_the_rule_they_break(check, rule):
    with pytest.raises(AssertionError, match=rule):
        check()


def test_checks_have_names_for_pytest_ids():
    names = [str(c) for c in landscape_checks(Sphere)]
    assert "Sphere.minimum_is_real" in names and len(names) == len(set(names))


def test_the_kits_uniform_probe_is_itself_a_conforming_optimizer():
    check_optimizer(UniformProbe)


def test_only_plugins_restricts_loading_and_restores_the_environment(monkeypatch):
    monkeypatch.setenv("STEEP_PLUGINS", "before")
    with only_plugins("steep-nothing-of-that-name"):
        assert os.environ["STEEP_PLUGINS"] == "steep-nothing-of-that-name"
        assert steep.plugins.get_registry().names("optimizer") == []
    assert os.environ["STEEP_PLUGINS"] == "before"
    monkeypatch.delenv("STEEP_PLUGINS")
    with only_plugins():
        assert os.environ["STEEP_PLUGINS"] == ""
    assert "STEEP_PLUGINS" not in os.environ


def test_descend_ends_in_the_basin_it_starts_in():
    starts = np.array([[-4.0, 3.0], [2.0, -1.0]])
    ends, costs = descend(Sphere(dim=2), starts)
    np.testing.assert_allclose(ends, 1.0, atol=1e-3)
    assert (costs < 1e-6).all()


class Fitted(Shifted):
    """A least-squares line fit whose stated minimum is the line the data came from."""

    name = "fitted"
    fixed_dim = 2

    def __init__(self, dim=None, seed=0):
        super().__init__(dim, seed)
        self.t = np.linspace(0.0, 1.0, 20)
        self.y = 2.0 * self.t + 1.0 + 0.05 * self.rng.standard_normal(20)

    @property
    def minimum(self):
        x = np.array([2.0, 1.0])  # the true coefficients, not the fit: optimizers go lower
        return steep.Minimum(x, self.evaluate(x[np.newaxis])[0])

    def evaluate(self, X):
        return ((X[:, :1] * self.t + X[:, 1:] - self.y) ** 2).mean(axis=1)

    gradient = None


def test_a_stated_minimum_that_is_not_the_lowest_fails_with_the_point_found():
    (check,) = [c for c in landscape_checks(Fitted) if "nothing_lies_below" in c.name]
    with pytest.raises(CheckFailure) as failed:
        check()
    message = str(failed.value)
    assert message.startswith("Fitted.nothing_lies_below_the_minimum: in dimension 2, the point [")
    assert "below the stated minimum" in message and "least-squares" in message
    others = [c for c in landscape_checks(Fitted) if "nothing_lies_below" not in c.name]
    for other in others:  # the mistake passed every check before
        other()


def test_a_failure_says_the_rule_and_how_to_fix_it():
    with pytest.raises(CheckFailure) as failed:
        check_optimizer(Forgetful)
    first, rule, fix = str(failed.value).splitlines()[:1] + str(failed.value).splitlines()[-2:]
    assert first.startswith("Forgetful.same_seed_same_run: ")
    assert rule.startswith("  rule: the same seed gives the same points")
    assert fix.startswith("  fix:  draw every random number from self.rng")
    assert failed.value.check.name == "Forgetful.same_seed_same_run"


class Reversed(SerialEvaluator):
    name = "reversed"

    def evaluate(self, task, points):
        outcome = task(points[::-1])
        return steep.Outcome(outcome.costs[::-1].copy(), outcome.failures)


class Unshifted(SerialEvaluator):
    """Joins chunks of three without shifting their failures' indices."""

    name = "unshifted"

    def evaluate(self, task, points):
        parts = [task(points[i : i + 3]) for i in range(0, len(points), 3)]
        failures = {i: r for part in parts for i, r in part.failures.items()}
        return steep.Outcome(np.concatenate([p.costs for p in parts]), failures)


class OneShot(SerialEvaluator):
    """Cannot be entered twice."""

    name = "one-shot"

    def __exit__(self, *exc_info):
        self.evaluate = None


def test_the_core_evaluators_pass_the_evaluator_kit():
    check_evaluator(SerialEvaluator)
    check_evaluator(ProcessEvaluator, {"workers": 2})


@pytest.mark.parametrize(
    ("evaluator", "rule"),
    [
        (Reversed, "reports_failures_at_their_index"),
        (Unshifted, "reports_failures_at_their_index"),
        (OneShot, "works_as_a_context_manager"),
    ],
)
def test_broken_evaluators_fail_the_rule_they_break(evaluator, rule):
    failed = []
    for check in evaluator_checks(evaluator):
        try:
            check()
        except CheckFailure:
            failed.append(check.name.split(".", 1)[1])
    assert rule in failed


def test_parametrize_with_checks_takes_classes_pairs_and_distributions():
    mark = parametrize_with_checks([RandomSteps, Shifted, (ProcessEvaluator, {"workers": 1})])
    assert mark.args[0] == "check"
    names = [str(c) for c in mark.args[1]]
    assert names[0] == "RandomSteps.is_registrable"
    assert "Shifted.nothing_lies_below_the_minimum" in names
    assert "ProcessEvaluator.same_run_as_serial" in names
    assert [str(c) for c in checks_for("steep-x")] == [
        "steep-x.has_a_steep_entry_point",
        "steep-x.loads_and_registers_cleanly",
        "steep-x.implements_a_hook",
    ]
    with pytest.raises(steep.UsageError, match="cannot check 3"):
        checks_for(3)


def installed_plugin(folder, monkeypatch, name, source, entry_point=True):
    """A distribution ``name`` "installed" in ``folder``: its module and its dist-info."""
    package = name.replace("-", "_")
    monkeypatch.delitem(sys.modules, package, raising=False)
    (folder / f"{package}.py").write_text(source)
    info = folder / f"{package}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
    if entry_point:
        (info / "entry_points.txt").write_text(f"[steep]\n{name} = {package}\n")
    monkeypatch.syspath_prepend(str(folder))
    return name


GOOD = """
import steep
from steep.testing import Sphere

@steep.hookimpl
def register_landscapes(register):
    register(Sphere)
"""


@pytest.mark.parametrize(
    ("source", "entry_point", "rule", "message"),
    [
        (GOOD, True, None, None),
        (GOOD, False, "has_a_steep_entry_point", "no entry point in the 'steep' group"),
        (
            GOOD.replace("@steep.hookimpl\n", ""),
            True,
            "loads_and_registers_cleanly",
            "'register_landscapes' is named like a hook but not marked @steep.hookimpl",
        ),
        (
            GOOD.replace("register_landscapes", "register_landscape"),
            True,
            "loads_and_registers_cleanly",
            "unknown hook 'register_landscape' (did you mean 'register_landscapes'?)",
        ),
        (
            "import steep_no_such_module\n",
            True,
            "loads_and_registers_cleanly",
            "import failed: ModuleNotFoundError",
        ),
        (
            GOOD.replace("register_landscapes", "register_landscapez").replace("@", "# @"),
            True,
            "implements_a_hook",
            "registers nothing and observes no run",
        ),
    ],
    ids=["good", "no-entry-point", "unmarked", "misspelled", "broken-import", "silent"],
)
def test_the_installed_plugin_is_checked_as_users_get_it(
    tmp_path, monkeypatch, source, entry_point, rule, message
):
    name = installed_plugin(tmp_path, monkeypatch, "steep-kit-probe", source, entry_point)
    if rule is None:
        check_installed_plugin(name)
        return
    (check,) = [c for c in plugin_checks(name) if c.name == f"{name}.{rule}"]
    with pytest.raises(CheckFailure, match=re.escape(message)):
        check()


TWO_LINE_TESTS = """
import numpy as np
import steep
import steep.testing


class Forgetful(steep.Optimizer):
    '''Ignores its generator.'''

    name = "forgetful"

    def ask(self):
        return self.bounds.sample(np.random.default_rng(), 2)

    def tell(self, points, costs):
        pass


@steep.testing.parametrize_with_checks([Forgetful])
def test_conformance(check):
    check()
"""


def test_the_pytest_plugin_reports_a_broken_rule_as_its_message(tmp_path):
    (tmp_path / "test_forgetful.py").write_text(TWO_LINE_TESTS)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rN", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environ,
    )
    assert ran.returncode == 1, ran.stdout + ran.stderr
    out = ran.stdout
    assert "1 failed, 8 passed" in out, out
    assert "test_conformance[Forgetful.same_seed_same_run]" in out
    assert "Forgetful.same_seed_same_run: same seed, different points" in out
    assert "  fix:  draw every random number from self.rng" in out
    assert "kit.py" not in out and "optimizers.py" not in out, out  # no traceback of the kit
