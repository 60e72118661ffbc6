import numpy as np
import pytest
import steep
from steep.testing import landscape_checks, only_plugins
from steep_landscape_bowl import BEST_TEMPERATURE, Bowl


@pytest.mark.parametrize("check", landscape_checks(Bowl), ids=str)
def test_conformance(check):
    check()


def test_tea_is_best_at_65_degrees_and_worse_both_ways():
    bowl = Bowl()
    temperatures = np.linspace(0, 100, 1001).reshape(-1, 1)
    costs = bowl.evaluate(temperatures)
    assert temperatures[costs.argmin(), 0] == BEST_TEMPERATURE == bowl.minimum.x[0]
    best = costs.argmin()
    assert (np.diff(costs[:best]) < 0).all() and (np.diff(costs[best:]) > 0).all()
    assert bowl(50.0) == bowl(80.0) == pytest.approx(1.0)


def test_any_dimension_is_a_sum_over_coordinates():
    bowl = Bowl(dim=3)
    point = np.array([[50.0, 65.0, 95.0]])
    assert bowl.evaluate(point)[0] == pytest.approx(1.0 + 0.0 + 4.0)
    assert bowl.minimum.x.tolist() == [65.0] * 3


def test_registered_as_the_default_landscape():
    with only_plugins("steep-landscape-bowl"):
        assert steep.plugins.get_registry().default("landscape").item is Bowl
