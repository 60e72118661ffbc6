"""The conformance kit for every classic, and registration through the plugin's names."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from steep import plugins
from steep.cli import main
from steep.testing import UniformProbe, landscape_checks, only_plugins
from steep_landscapes_classic import CLASSICS

DISTRIBUTION = "steep-landscapes-classic"
NAMES = {
    "sphere",
    "ellipsoid",
    "rosenbrock",
    "rastrigin",
    "ackley",
    "griewank",
    "schwefel",
    "styblinski-tang",
    "levy",
    "himmelblau",
    "easom",
}


@pytest.mark.parametrize("check", [c for cls in CLASSICS for c in landscape_checks(cls)], ids=str)
def test_conformance(check):
    check()


@pytest.fixture
def only_classics():
    with only_plugins(DISTRIBUTION):
        yield


def test_registers_every_classic_by_name(only_classics):
    infos = steep.landscapes()
    assert set(infos) == NAMES
    assert {info.plugin for info in infos.values()} == {DISTRIBUTION}
    for info in infos.values():
        assert info.default_dim == 2
        assert info.minimum.x.shape == (2,)
        assert f"Reference: {plugins.get_registry().landscape(info.name).reference}" in info.story


@pytest.mark.parametrize("name", sorted(NAMES))
def test_show_tells_story_bounds_and_minimum(only_classics, capsys, name):
    assert main(["show", name]) == 0
    shown = capsys.readouterr().out
    for part in ("Reference:", "Tags:", "Bounds:", "Minimum (dim 2)"):
        assert part in shown


@pytest.mark.parametrize("name", sorted(NAMES))
def test_runs_by_name_in_1_and_10_dimensions(only_classics, name):
    landscape = plugins.get_registry().landscape(name)
    for dim in [landscape.fixed_dim] if landscape.fixed_dim else [1, 10]:
        result = steep.minimize(name, optimizer=UniformProbe, dim=dim, budget=55, seed=1)
        best = landscape(dim=dim).minimum.fun
        assert result.nfev == 55 and result.x.shape == (dim,)
        assert np.isfinite(result.fun) and result.fun >= best - 1e-9 * max(1.0, abs(best))
