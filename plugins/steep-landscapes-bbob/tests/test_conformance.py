"""The conformance kit for every BBOB function in 2 and 5 dimensions, and the registration."""

from __future__ import annotations

import pytest
import steep
from steep.testing import UniformProbe, landscape_checks, only_plugins
from steep_landscapes_bbob import BBOB, GROUPS

DISTRIBUTION = "steep-landscapes-bbob"


def pinned(cls, dim):
    """``cls`` in ``dim`` dimensions only: the kit tries 1, 2 and 10 dimensions on a
    landscape of any dimension, and COCO has no 1-D functions."""
    return type(f"{cls.__name__}In{dim}D", (cls,), {"fixed_dim": dim})


@pytest.mark.parametrize(
    "check",
    [c for cls in BBOB for dim in (2, 5) for c in landscape_checks(pinned(cls, dim))],
    ids=str,
)
def test_conformance(check):
    check()


@pytest.fixture
def only_bbob():
    with only_plugins(DISTRIBUTION):
        yield


def test_registers_the_24_functions_with_the_bbob_tag_and_one_group_each(only_bbob):
    infos = steep.landscapes()
    assert set(infos) == {f"bbob-f{n}" for n in range(1, 25)}
    groups = {}
    for name, info in infos.items():
        assert info.plugin == DISTRIBUTION and info.default_dim == 2
        assert info.bounds.as_pairs() == [(-5.0, 5.0), (-5.0, 5.0)]
        assert "bbob" in info.tags and "Hansen" in info.story and "instance s + 1" in info.story
        (group,) = info.tags & set(GROUPS)
        groups.setdefault(group, set()).add(int(name.removeprefix("bbob-f")))
    assert groups == {
        "bbob-separable": set(range(1, 6)),
        "bbob-moderate-conditioning": set(range(6, 10)),
        "bbob-high-conditioning": set(range(10, 15)),
        "bbob-adequate-structure": set(range(15, 20)),
        "bbob-weak-structure": set(range(20, 25)),
    }


@pytest.mark.parametrize("name", ["bbob-f1", "bbob-f15", "bbob-f24"])
def test_runs_by_name_in_2_and_10_dimensions(only_bbob, name):
    for dim in (2, 10):
        result = steep.minimize(name, optimizer=UniformProbe, dim=dim, budget=55, seed=1)
        best = steep.plugins.get_registry().landscape(name)(dim=dim).minimum.fun
        assert result.nfev == 55 and result.x.shape == (dim,)
        assert best < result.fun < float("inf")
