"""steep.quasinewton: the BFGS model's widening, and the local search run inside a method."""

from __future__ import annotations

import numpy as np
import steep
from steep.linesearch import DescentOptions
from steep.quasinewton import LocalSearch, QuasiNewtonDescent


class Model(QuasiNewtonDescent):
    """The BFGS model alone: an inverse Hessian set by hand, a step and a change of slope."""

    name = "test-bfgs-model"
    Options = DescentOptions

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=False)


def model(inverse_hessian: np.ndarray) -> Model:
    bounds = steep.Bounds.broadcast(-5.0, 5.0, 2)
    opt = Model(steep.Task(bounds, np.zeros(2), 100), DescentOptions(), np.random.default_rng(0))
    opt.inverse_hessian, opt.fresh = np.array(inverse_hessian, dtype=float), False
    return opt


def test_an_inverse_hessian_that_supposes_too_much_curvature_is_widened_everywhere():
    opt = model(0.01 * np.eye(2))  # supposes a curvature of 100 in every direction
    opt.learn(np.array([1.0, 0.0]), np.array([1.0, 0.0]))  # the step meets a curvature of 1
    # along the step the secant holds; across it, never stepped along, H is widened too
    np.testing.assert_allclose(opt.inverse_hessian, np.eye(2))


def test_one_that_supposes_too_little_is_left_to_the_update():
    opt = model(100.0 * np.eye(2))  # supposes a curvature of 0.01: the line search cuts it
    opt.learn(np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    np.testing.assert_allclose(opt.inverse_hessian, np.diag([1.0, 100.0]))


def test_a_local_search_from_a_known_cost_asks_only_the_stencil_first():
    bounds = steep.Bounds.broadcast(-5.0, 5.0, 3)
    start = np.array([1.0, 2.0, -1.0])
    search = LocalSearch(bounds, start, cost=6.0, rng=np.random.default_rng(0))
    first = search.ask()
    assert len(first) == 3 and not (first == start).all(axis=1).any()
    told = 0
    while search.converged is None and told < 500:
        points = search.ask()
        search.tell(points, (points**2).sum(axis=1))
        told += len(points)
    assert search.converged and np.abs(search.x).max() < 1e-6
