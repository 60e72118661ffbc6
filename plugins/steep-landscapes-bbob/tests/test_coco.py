"""What the plugin promises about COCO: its costs, x* and f* for instance seed + 1, the
dimensions it computes, pickling to worker processes, and cocoex imported only when used."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import cocoex
import numpy as np
import pytest
import steep
from steep.testing import FollowTheBest
from steep_landscapes_bbob import BBOB
from steep_landscapes_bbob.coco import MAX_ROTATED_DIM, MAX_SEED

by_name = pytest.mark.parametrize("cls", BBOB, ids=lambda cls: cls.name)


def points(dim, n=40, seed=0):
    return np.random.default_rng(seed).uniform(-5.0, 5.0, (n, dim))


@by_name
def test_costs_are_cocos_own_for_instance_seed_plus_1(cls):
    for dim, seed in [(2, 0), (3, 4), (10, 1), (40, 14)]:
        coco = cocoex.BareProblem("bbob", cls.number, dim, seed + 1)
        X = points(dim)
        np.testing.assert_array_equal(cls(dim=dim, seed=seed).evaluate(X), [coco(x) for x in X])


@by_name
def test_the_cost_at_cocos_x_star_is_exactly_cocos_f_star(cls):
    for dim in (2, 3, 10, 20, 40):
        for seed in (0, 1, 9):
            landscape = cls(dim=dim, seed=seed)
            coco = cocoex.BareProblem("bbob", cls.number, dim, seed + 1)
            minimum = landscape.minimum
            assert minimum.fun == coco.best_value()
            np.testing.assert_array_equal(minimum.x, coco.best_parameter())
            assert landscape(minimum.x) == minimum.fun
            assert landscape.bounds.contains(minimum.x[None])


@by_name
def test_each_seed_is_another_coco_instance_and_none_is_the_first(cls):
    first, second, default = cls(dim=5, seed=0), cls(dim=5, seed=1), cls(dim=5, seed=None)
    assert (first.instance, second.instance, default.instance) == (1, 2, 1)
    assert first.minimum.fun != second.minimum.fun or not np.array_equal(
        first.minimum.x, second.minimum.x
    )
    X = points(5)
    assert not np.array_equal(first.evaluate(X), second.evaluate(X))
    np.testing.assert_array_equal(default.evaluate(X), first.evaluate(X))


@pytest.mark.parametrize("seed", [-1, 2.5, True, "1", MAX_SEED + 1])
def test_a_seed_that_is_no_coco_instance_is_refused(seed):
    with pytest.raises(steep.UsageError, match=r"'bbob-f3': seed \(COCO instance - 1\) must be"):
        BBOB[2](seed=seed)
    assert BBOB[2](seed=MAX_SEED).instance == 2**31 - 2


@by_name
def test_refuses_1_d_and_rotations_past_44_dimensions_in_one_line(cls):
    rotated = cls.number not in {1, 2, 3, 4, 5, 8, 20}
    assert cls.max_dim == (MAX_ROTATED_DIM if rotated else None)
    allowed = f"2 to {MAX_ROTATED_DIM}" if rotated else "from 2 on"
    refused = [1, MAX_ROTATED_DIM + 1, 100] if rotated else [1]
    for dim in refused:
        with pytest.raises(steep.UsageError) as error:
            cls(dim=dim)
        assert str(error.value) == (
            f"landscape {cls.name!r} takes dimensions {allowed} (what COCO computes), "
            f"cannot take dim={dim}"
        )
    largest = cls.max_dim or 300
    coco = cocoex.BareProblem("bbob", cls.number, largest, 1)
    X = points(largest, n=5)
    np.testing.assert_array_equal(cls(dim=largest).evaluate(X), [coco(x) for x in X])


def test_cocoex_crashes_on_a_rotation_in_60_dimensions_which_is_why_it_is_refused():
    crash = "import cocoex; cocoex.BareProblem('bbob', 15, 60, 1); print('survived')"
    finished = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True)
    assert finished.returncode < 0 and "survived" not in finished.stdout


def test_points_of_the_wrong_width_are_refused_not_read_past_their_row():
    with pytest.raises(steep.UsageError, match=r"'bbob-f1' in 3-D: .* \(n, 3\), got \(4, 2\)"):
        BBOB[0](dim=3).evaluate(np.zeros((4, 2)))


def test_any_layout_and_number_type_costs_the_same():
    landscape, X = BBOB[9](dim=4), points(4, n=12)
    costs = landscape.evaluate(X)
    assert costs.dtype == np.float64 and costs.shape == (12,)
    np.testing.assert_array_equal(landscape.evaluate(np.asfortranarray(X)), costs)
    np.testing.assert_array_equal(landscape.evaluate(np.repeat(X, 2, axis=0)[::2]), costs)
    lattice = np.arange(-4, 4).reshape(2, 4)
    np.testing.assert_array_equal(landscape.evaluate(lattice), landscape.evaluate(lattice * 1.0))


def test_pickles_without_its_coco_problem_and_costs_the_same():
    landscape, X = BBOB[14](dim=10, seed=3), points(10)
    costs = landscape.evaluate(X)  # builds the C problem, which cannot be pickled
    copy = pickle.loads(pickle.dumps(landscape))
    assert type(copy) is type(landscape) and (copy.dim, copy.instance) == (10, 4)
    np.testing.assert_array_equal(copy.evaluate(X), costs)
    np.testing.assert_array_equal(copy.minimum.x, landscape.minimum.x)


def test_worker_processes_compute_the_same_run_as_one_process():
    def run(**evaluator):
        landscape = BBOB[20](dim=3, seed=2)
        return steep.minimize(
            landscape, optimizer=FollowTheBest, budget=60, seed=5, options={"batch": 6}, **evaluator
        )

    serial = run()
    parallel = run(evaluator="processes", evaluator_options={"workers": 2})
    np.testing.assert_array_equal(parallel.history.x, serial.history.x)
    np.testing.assert_array_equal(parallel.history.fun, serial.history.fun)
    assert not parallel.history.failures


def test_cocoex_is_imported_at_the_first_evaluation_not_when_steep_loads_the_plugin():
    probe = (
        "import sys, numpy, steep\n"
        "landscape = steep.plugins.get_registry().landscape('bbob-f15')\n"
        "built = landscape(dim=3)\n"
        "print('cocoex' in sys.modules)\n"
        "built.evaluate(numpy.zeros((1, 3)))\n"
        "print('cocoex' in sys.modules)\n"
    )
    env = {**os.environ, "STEEP_PLUGINS": "steep-landscapes-bbob"}
    finished = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert finished.stdout.split() == ["False", "True"]
