"""steep.linesearch: the Armijo test, the walls, the restart and the give-up of the base."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from steep.linesearch import DescentOptions, LineSearchDescent
from steep.testing import optimizer_checks


class Steepest(LineSearchDescent):
    """Steepest descent on the base's defaults: the slope, a tenth of the box diagonal long."""

    name = "test-steepest"
    Options = DescentOptions

    def model_points(self) -> np.ndarray:
        return self.slope_stencil(central=False)

    def build_model(self, costs: np.ndarray) -> None:
        self.g = self.slope_from(costs)

    def direction(self, free: np.ndarray) -> np.ndarray:
        return self.steepest(free)


def bowl(X):
    return ((X - 1.0) ** 2).sum(axis=1)


def bowl_slope(X):
    return 2.0 * (X - 1.0)


def descent(lower, upper, x0, gradient=bowl_slope, **options) -> Steepest:
    bounds = steep.Bounds(np.asarray(lower, float), np.asarray(upper, float))
    task = steep.Task(bounds, np.asarray(x0, float), 1000, gradient)
    return Steepest(task, DescentOptions(**options), np.random.default_rng(0))


@pytest.mark.parametrize("check", optimizer_checks(Steepest), ids=str)
def test_conformance(check):
    check()


def test_a_trial_is_kept_only_when_it_meets_the_armijo_condition():
    opt = descent([-10.0], [10.0], [4.0], armijo=0.25)
    assert np.array_equal(opt.ask(), [[4.0]])  # the start's cost first
    opt.tell(opt.ask(), np.array([9.0]))
    trial = opt.ask()
    assert trial[0, 0] < 4.0  # downhill, against the slope 6
    sufficient = 9.0 + 0.25 * 6.0 * (trial[0, 0] - 4.0)
    opt.tell(trial, np.array([(9.0 + sufficient) / 2]))  # lower, but not by enough
    assert opt.nit == 0 and opt.x[0] == 4.0
    shorter = opt.ask()
    assert trial[0, 0] < shorter[0, 0] < 4.0
    sufficient = 9.0 + 0.25 * 6.0 * (shorter[0, 0] - 4.0)
    opt.tell(shorter, np.array([sufficient]))
    assert opt.nit == 1 and opt.x[0] == shorter[0, 0] and opt.f == sufficient


def test_a_coordinate_pressing_on_a_wall_is_held_fixed():
    opt = descent([2.0, -5.0], [5.0, 5.0], [2.0, 4.0])
    opt.tell(opt.ask(), bowl(opt.ask()))
    trials = opt.ask()
    assert (trials[:, 0] == 2.0).all()  # the slope 2 pushes it through the lower wall
    # the whole steepest step, a tenth of the box diagonal, goes to the free coordinate
    assert 4.0 - trials[0, 1] == pytest.approx(0.1 * np.hypot(3.0, 10.0))


def test_the_minimum_on_a_wall_is_reached_exactly():
    result = steep.minimize(bowl, [(2.0, 5.0)] * 3, optimizer=Steepest, vectorized=True, seed=1)
    assert np.array_equal(result.x, [2.0, 2.0, 2.0])
    assert result.success and "projected slope is zero" in result.message


def test_a_start_with_no_finite_cost_is_replaced_by_a_random_point():
    opt = descent([-5.0, -5.0], [5.0, 5.0], [3.0, 3.0], gradient=None)
    first = opt.ask()
    assert len(first) == 3  # x and the forward stencil
    opt.tell(first, np.array([np.inf, 1.0, 1.0]))
    again = opt.ask()
    assert len(again) == 3 and not np.array_equal(again[0], first[0])
    assert opt.f != opt.f  # its cost unknown again


def test_when_no_step_lowers_the_cost_it_gives_up_with_the_reason():
    opt = descent([-5.0], [5.0], [3.0], trials=3)
    opt.tell(opt.ask(), np.array([4.0]))
    batches = 0
    while opt.converged is None:
        points = opt.ask()
        assert len(points) == 3
        opt.tell(points, np.full(3, 5.0))
        batches += 1
    assert opt.nit == 0 and batches > 1
    assert opt.converged.startswith("no step longer than 1e-10 of the box")


def valley_above_one(X):
    """A narrow valley whose floor, at cost 1, steepest descent crawls along."""
    return 1.0 + (X[:, 0] - 1.0) ** 2 + 100.0 * (X[:, 1] - X[:, 0]) ** 2


def crawl(incumbent: float) -> tuple[Steepest, int]:
    bounds = steep.Bounds(np.full(2, -5.0), np.full(2, 5.0))
    task = steep.Task(bounds, np.array([-4.0, 4.0]), 3000, incumbent=incumbent)
    opt, told = Steepest(task, DescentOptions(), np.random.default_rng(0)), 0
    while opt.converged is None and told < task.budget:
        points = opt.ask()
        opt.tell(points, valley_above_one(points))
        told += len(points)
    return opt, told


def test_a_descent_that_cannot_reach_an_earlier_starts_best_in_time_is_given_up():
    given_up, told = crawl(incumbent=0.5)
    assert given_up.converged.startswith("at its pace over the last 20 steps this descent")
    assert given_up.f > 1.0
    first_start, told_alone = crawl(incumbent=np.inf)
    assert "pace" not in (first_start.converged or "")
    assert told < told_alone / 3 and first_start.f < given_up.f


def test_a_descent_heading_below_the_earlier_best_is_not_given_up():
    on_course, _ = crawl(incumbent=1.1)  # the crawl gets there, a little below 1.02
    assert "pace" not in (on_course.converged or "") and on_course.f < 1.1
    too_far, _ = crawl(incumbent=1.001)  # it would not, at its pace
    assert "pace" in too_far.converged
