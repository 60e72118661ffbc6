"""Property-based tests over every installed optimizer and landscape (hypothesis).

They test what is installed on purpose: in CI that is every plugin of this repository.
"""

import numpy as np
import pytest
import steep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from steep import Bounds, Budget, Problem, Run
from steep.plugins import load_registry
from steep.testing import UniformProbe

REGISTRY = load_registry()
OPTIMIZERS = REGISTRY.names("optimizer")
LANDSCAPES = REGISTRY.names("landscape")
SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def holes(points):
    """A bowl with NaN, +inf and -inf patches, relative to the box it is searched in."""
    costs = (points**2).sum(axis=1)
    costs[np.sin(7 * points[:, 0]) > 0.8] = np.nan
    costs[np.sin(5 * points[:, 0]) < -0.9] = np.inf
    costs[np.cos(3 * points[:, 0]) > 0.97] = -np.inf
    return costs


boxes = st.tuples(
    st.integers(1, 6),
    st.floats(-1e4, 1e4, allow_nan=False),
    st.floats(1e-3, 1e4, allow_nan=False),
)


@pytest.mark.parametrize("name", OPTIMIZERS)
@SETTINGS
@given(box=boxes, budget=st.integers(1, 150), seed=st.integers(0, 2**32 - 1))
def test_optimizers_keep_bounds_budget_and_seed_whatever_the_box(name, box, budget, seed):
    dim, low, width = box
    optimizer = REGISTRY.optimizer(name)
    bounds = Bounds.broadcast(low, low + width, dim)
    runs = [
        Run(
            Problem("holes", bounds, holes),
            optimizer,
            optimizer.Options(),
            budget=Budget(budget, failures=None),
            seed=seed,
        ).execute()
        for _ in range(2)
    ]
    first, second = runs
    assert bounds.contains(first.history.x)
    assert first.nfev == len(first.history) <= budget
    assert first.nfev == budget or first.stop == "converged"
    np.testing.assert_array_equal(first.history.x, second.history.x)
    assert not first.success or np.isfinite(first.fun)


@pytest.mark.parametrize("name", LANDSCAPES)
@SETTINGS
@given(dim=st.integers(1, 12), instance=st.integers(0, 1000), seed=st.integers(0, 1000))
def test_landscapes_give_one_cost_per_point_never_below_their_minimum(name, dim, instance, seed):
    landscape_class = REGISTRY.landscape(name)
    dim = dim if landscape_class.takes(dim) else landscape_class.check_dim(None)
    landscape = landscape_class(dim=dim, seed=instance)
    points = landscape.bounds.sample(np.random.default_rng(seed), 64)
    costs = landscape.evaluate(points)
    assert costs.shape == (64,) and np.isfinite(costs).all()
    if landscape.minimum is not None:
        tolerance = 1e-9 * max(1.0, abs(landscape.minimum.fun))
        assert costs.min() >= landscape.minimum.fun - tolerance


@pytest.mark.parametrize("name", LANDSCAPES)
def test_every_landscape_runs_in_its_default_and_in_ten_dimensions(name):
    landscape_class = REGISTRY.landscape(name)
    default = landscape_class.check_dim(None)
    for dim in {d if landscape_class.takes(d) else default for d in (1, 10)}:
        result = steep.minimize(landscape_class(dim=dim), optimizer=UniformProbe, budget=50, seed=0)
        assert result.nfev == 50 and result.x.shape == (dim,)
