"""The conformance kit passes good plugins and names the rule a bad one breaks."""

import os

import numpy as np
import pytest
import steep
from fakes import RandomSteps, Shifted
from steep.testing import (
    Sphere,
    UniformProbe,
    check_landscape,
    check_optimizer,
    descend,
    landscape_checks,
    only_plugins,
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
