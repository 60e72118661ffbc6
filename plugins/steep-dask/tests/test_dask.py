"""The dask evaluator on real LocalClusters: same results as serial, faults recorded, not lost."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

import cloudpickle
import dask
import distributed
import numpy as np
import pytest
import steep
from steep import UsageError
from steep.testing import FollowTheBest, assert_same_run
from steep_dask import DaskEvaluator, DaskOptions

# Dask workers cannot import this test module by name: send its functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

BOX = [(0.0, 1.0)] * 2
TRAP = (0.45, 0.55)


def bowl(x):
    return float(((x - 0.3) ** 2).sum())


def bowl_batch(X):
    return ((X - 0.3) ** 2).sum(axis=1)


def raises_in_trap(x):
    if TRAP[0] <= x[0] <= TRAP[1]:
        raise ValueError("no tea here")
    return bowl(x)


def dies_in_trap(x):
    if TRAP[0] <= x[0] <= TRAP[1]:
        os.kill(os.getpid(), signal.SIGKILL)
    return bowl(x)


def hangs_in_trap(x):
    if TRAP[0] <= x[0] <= TRAP[1]:
        time.sleep(60)
    return bowl(x)


@pytest.fixture(autouse=True)
def only_this_plugin(monkeypatch):
    monkeypatch.setenv("STEEP_PLUGINS", "steep-dask")
    steep.plugins.reset_registry()
    yield
    steep.plugins.reset_registry()


@pytest.fixture(scope="module")
def scheduler():
    """The address of a running two-worker cluster, as a user's cluster would be."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},  # its web server: any free port
            silence_logs=logging.CRITICAL,
        ) as cluster,
    ):
        yield cluster.scheduler_address


def run(objective, **kwargs):
    kwargs = {"budget": 20, "seed": 5, "optimizer": FollowTheBest, **kwargs}
    return steep.minimize(objective, kwargs.pop("bounds", BOX), **kwargs)


def outcome_of(objective, points, **options):
    problem = steep.make_problem(objective, [(0.0, 1.0)])
    with DaskEvaluator(DaskOptions(**options)) as evaluator:
        return evaluator.evaluate(problem.evaluate_safely, np.array(points, dtype=float))


def test_registering_does_not_import_dask():
    code = "import sys, steep; steep.plugins.get_registry(); print('distributed' in sys.modules)"
    env = {**os.environ, "STEEP_PLUGINS": "steep-dask"}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert found.stdout.strip() == "False"
    assert "dask" in steep.plugins.get_registry().names("evaluator")


def test_same_seed_same_run_as_serial_on_a_running_cluster(scheduler):
    for objective, vectorized in [(bowl, False), (bowl_batch, True)]:
        serial = run(objective, vectorized=vectorized)
        on_dask = run(
            objective,
            vectorized=vectorized,
            evaluator="dask",
            evaluator_options={"scheduler": scheduler},
        )
        assert_same_run(serial, on_dask)
        assert on_dask.nfev == len(on_dask.history.fun) == 20  # budget exact


def test_a_failing_objective_fails_as_it_does_in_serial(scheduler):
    box = [(0.4, 0.6)] * 2
    serial = run(raises_in_trap, bounds=box)
    assert serial.history.failures
    assert_same_run(
        serial,
        run(
            raises_in_trap, bounds=box, evaluator="dask", evaluator_options={"scheduler": scheduler}
        ),
    )


def test_without_a_scheduler_a_local_cluster_is_started_and_closed():
    evaluator = DaskEvaluator(DaskOptions(workers=2))
    assert_same_run(run(bowl), run(bowl, evaluator=evaluator))
    assert evaluator.client is None and evaluator.cluster is None


def test_a_dead_worker_is_retried_then_recorded_and_nothing_is_lost():
    outcome = outcome_of(dies_in_trap, [[0.1], [0.5], [0.2], [0.9]], workers=2)
    (reason,) = outcome.failures.values()  # Dask may see the death as either, by timing
    assert set(outcome.failures) == {1} and reason in {
        "worker died (dask: KilledWorker)",
        "worker died (dask: lost)",
    }
    np.testing.assert_allclose(outcome.costs[[0, 2, 3]], [0.04, 0.01, 0.36])


def test_a_hung_evaluation_times_out(scheduler):
    outcome = outcome_of(hangs_in_trap, [[0.1], [0.5], [0.2]], scheduler=scheduler, timeout=1)
    assert outcome.failures == {1: "timed out after 1 s"}
    np.testing.assert_allclose(outcome.costs[[0, 2]], [0.04, 0.01])


def test_an_unpicklable_objective_is_refused_before_any_work(scheduler):
    lock, calls = threading.Lock(), []

    def locked(x):
        with lock:
            calls.append(x)
        return bowl(x)

    with pytest.raises(UsageError, match=r"evaluator 'dask'.*cannot be pickled"):
        run(locked, evaluator="dask", evaluator_options={"scheduler": scheduler})
    assert calls == []


def test_options_are_checked():
    with pytest.raises(UsageError, match="workers=2 sizes the LocalCluster"):
        run(
            bowl,
            evaluator="dask",
            evaluator_options={"scheduler": "tcp://127.0.0.1:8786", "workers": 2},
        )
    with pytest.raises(UsageError, match="'timeout' must be > 0"):
        run(bowl, evaluator="dask", evaluator_options={"timeout": 0})


def test_a_local_cluster_that_cannot_start_is_one_line_saying_what_to_do(tmp_path):
    script = (
        "import steep\n"
        "def cost(x):\n"
        "    return 0.0\n"
        "steep.minimize(cost, [(0, 1)], budget=4, evaluator='dask')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    ran = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert ran.returncode == 1
    assert (
        ran.stderr.strip()
        .splitlines()[-1]
        .endswith("put the code in a file, or give scheduler= of a running cluster")
    )
