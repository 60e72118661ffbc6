"""The processes evaluator: same results as serial, exact budget, faults recorded, not lost."""

import json
import os
import subprocess
import sys

import attrs
import numpy as np
import pytest
import steep
from parallel_objectives import (
    bowl,
    bowl_batch,
    dies_in_trap,
    dies_once,
    exits_in_trap,
    hangs_in_trap,
    raises_in_trap,
)
from steep import UsageError
from steep.cli import main
from steep.pool import ProcessEvaluator, ProcessOptions, available_cores, chunk_slices
from steep.testing import FollowTheBest, assert_same_run
from steep.testing.instruments import FollowTheBestOptions

BOX = [(0.0, 1.0)] * 2


def run(objective, **kwargs):
    kwargs = {"budget": 23, "seed": 4, "optimizer": FollowTheBest, **kwargs}
    return steep.minimize(objective, kwargs.pop("bounds", BOX), options={"batch": 5}, **kwargs)


def outcome_of(objective, points, **options):
    problem = steep.make_problem(objective, [(0.0, 1.0)])
    with ProcessEvaluator(ProcessOptions(**options)) as evaluator:
        return evaluator.evaluate(problem.evaluate_safely, np.array(points, dtype=float))


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_same_seed_same_run_as_serial_whatever_the_workers(registry, workers):
    serial = run(bowl)
    parallel = run(bowl, evaluator="processes", evaluator_options={"workers": workers})
    assert_same_run(serial, parallel)
    assert parallel.nfev == len(parallel.history.fun) == 23  # budget exact


def test_a_vectorized_objective_is_cut_in_chunks_and_joined_in_order(registry):
    assert chunk_slices(7, pointwise=False, workers=3) == [slice(0, 2), slice(2, 5), slice(5, 7)]
    assert chunk_slices(2, pointwise=True, workers=3) == [slice(0, 1), slice(1, 2)]
    serial = run(bowl_batch, vectorized=True)
    assert_same_run(
        serial,
        run(bowl_batch, vectorized=True, evaluator="processes", evaluator_options={"workers": 3}),
    )


def test_a_landscape_is_evaluated_by_workers_too(registry):
    shifted = {"bounds": None, "dim": 2}
    assert_same_run(
        run("shifted", **shifted),
        run("shifted", **shifted, evaluator="processes", evaluator_options={"workers": 2}),
    )


def test_each_evaluation_is_made_once_and_counted_once(registry, tmp_path, monkeypatch):
    from journal_objectives import tea

    log = tmp_path / "calls.log"
    monkeypatch.setenv("STEEP_TEST_LOG", str(log))  # workers see the environment of the run
    result = run(tea, evaluator="processes", evaluator_options={"workers": 3})
    made = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(made) == result.nfev == 23
    assert sorted(made) == sorted(result.history.x.tolist())


def test_a_hung_evaluation_times_out_and_its_worker_is_replaced():
    outcome = outcome_of(hangs_in_trap, [[0.1], [0.5], [0.2], [0.9]], workers=2, timeout=0.3)
    assert outcome.failures == {1: "timed out after 0.3 s"}
    np.testing.assert_allclose(outcome.costs[[0, 2, 3]], [0.04, 0.01, 0.36])
    assert np.isnan(outcome.costs[1])


def test_a_run_goes_on_after_timeouts(registry):
    result = run(
        hangs_in_trap,
        bounds=[(0.4, 0.6)] * 2,
        evaluator="processes",
        evaluator_options={"timeout": 0.3},
    )
    assert result.nfev == 23 and result.stop == "budget"
    trapped = (result.history.x[:, 0] >= 0.45) & (result.history.x[:, 0] <= 0.55)
    assert 0 < trapped.sum() < 23
    assert set(result.history.failures) == set(np.flatnonzero(trapped))
    assert set(result.history.failures.values()) == {"timed out after 0.3 s"}
    assert np.isnan(result.history.fun[trapped]).all() and not np.isnan(result.fun)


@pytest.mark.parametrize(
    ("objective", "reason"),
    [(dies_in_trap, "killed by signal SIGKILL"), (exits_in_trap, "exit code 3")],
)
def test_a_dead_worker_is_retried_then_recorded(objective, reason):
    outcome = outcome_of(objective, [[0.1], [0.5], [0.2]], workers=2)
    assert outcome.failures == {1: f"worker died: {reason}"}
    np.testing.assert_allclose(outcome.costs[[0, 2]], [0.04, 0.01])


def test_a_retry_on_a_fresh_worker_saves_the_evaluation(tmp_path, monkeypatch):
    mark = tmp_path / "died"
    monkeypatch.setenv("STEEP_TEST_MARK", str(mark))
    outcome = outcome_of(dies_once, [[0.1], [0.5]], workers=1)
    assert mark.exists() and outcome.failures == {}
    np.testing.assert_allclose(outcome.costs, [0.04, 0.04])
    mark.unlink()
    outcome = outcome_of(dies_once, [[0.1], [0.5]], workers=1, retries=0)
    assert outcome.failures == {1: "worker died: killed by signal SIGKILL"}


def test_dead_workers_lose_and_double_count_nothing_in_a_run(registry):
    result = run(
        dies_in_trap,
        bounds=[(0.4, 0.6)] * 2,
        evaluator="processes",
        evaluator_options={"workers": 2},
    )
    assert result.nfev == len(result.history.fun) == 23
    trapped = (result.history.x[:, 0] >= 0.45) & (result.history.x[:, 0] <= 0.55)
    assert set(result.history.failures) == set(np.flatnonzero(trapped))
    assert set(result.history.failures.values()) == {"worker died: killed by signal SIGKILL"}


def test_an_objective_that_raises_fails_as_it_does_in_serial(registry):
    assert_same_run(
        run(raises_in_trap, bounds=[(0.4, 0.6)] * 2),
        run(
            raises_in_trap,
            bounds=[(0.4, 0.6)] * 2,
            evaluator="processes",
            evaluator_options={"workers": 2},
        ),
    )


def test_an_unpicklable_objective_is_refused_before_any_work(registry):
    calls = []
    with pytest.raises(UsageError, match=r"cannot be pickled.*top level of an importable module"):
        run(
            lambda x: calls.append(x) or 0.0,
            evaluator="processes",
            evaluator_options={"workers": 2},
        )
    assert calls == []


def test_evaluator_options_are_checked_and_routed(registry):
    with pytest.raises(UsageError, match=r"evaluator 'processes'.*'workers' must be >= 1: 0"):
        run(bowl, evaluator="processes", evaluator_options={"workers": 0})
    with pytest.raises(
        UsageError, match=r"'serial' takes no option 'workers'; use evaluator='processes'"
    ):
        run(bowl, evaluator_options={"workers": 2})
    with pytest.raises(UsageError, match="takes no option 'wrokers'"):
        run(bowl, evaluator="processes", evaluator_options={"wrokers": 2})

    @attrs.frozen
    class Clash(FollowTheBestOptions):
        workers: int = steep.option(1, "a name the evaluator uses too")

    clashing = type("Clashing", (FollowTheBest,), {"name": "clashing", "Options": Clash})
    result = steep.minimize(
        bowl,
        BOX,
        budget=6,
        optimizer=clashing,
        options={"workers": 3},
        evaluator="processes",
        evaluator_options={"workers": 2},
    )
    assert result.options["workers"] == 3  # one name, two owners, no ambiguity


def cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


RUN = ("run", "--objective", "parallel_objectives:bowl", "--bounds", "0:1", "-d", "2")


def test_cli_runs_on_processes_with_the_serial_result(registry, capsys):
    common = (*RUN, "-n", "20", "-s", "3", "--json")
    status, serial, _ = cli(capsys, *common)
    status_p, parallel, _ = cli(capsys, *common, "--evaluator", "processes", "--workers", "2")
    assert status == status_p == 0
    first, second = json.loads(serial), json.loads(parallel)
    assert (first["x"], first["fun"], first["nfev"]) == (second["x"], second["fun"], 20)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ("--timeout", "2"),
            "evaluator 'serial' takes no option 'timeout'; use --evaluator processes",
        ),
        (
            ("--evaluator", "processes", "--scheduler", "tcp://127.0.0.1:8786"),
            "evaluator 'processes' takes no option 'scheduler'",
        ),
        (
            ("--evaluator", "processes", "--retries", "-1"),
            "evaluator 'processes': invalid option: 'retries' must be >= 0: -1",
        ),
        (("--evaluator", "procs"), "unknown evaluator 'procs'; did you mean 'processes'"),
    ],
)
def test_cli_evaluator_options_that_do_not_fit_exit_2_in_one_line(registry, capsys, flags, message):
    status, _, err = cli(capsys, *RUN, "-n", "5", *flags)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_cli_evaluator_flags_are_typed(registry, capsys):
    with pytest.raises(SystemExit) as raised:
        cli(capsys, *RUN, "--evaluator", "processes", "--workers", "0")
    assert raised.value.code == 2 and "--workers: '0' must be a positive" in capsys.readouterr().err


def test_a_journaled_run_on_processes_resumes_to_the_same_result(registry, tmp_path, monkeypatch):
    from journal_objectives import tea

    path = tmp_path / "run.jsonl"
    whole = run(tea, journal=path, evaluator="processes", evaluator_options={"workers": 2})
    header, *records = path.read_text().splitlines(keepends=True)
    assert len(records) == 5  # one line per batch of 5 (the last one 3)
    cut = tmp_path / "cut.jsonl"
    cut.write_text(header + "".join(records[:2]) + records[2][:17])  # killed mid-write
    log = tmp_path / "calls.log"
    monkeypatch.setenv("STEEP_TEST_LOG", str(log))
    with pytest.warns(UserWarning, match="torn last line"):
        again = steep.resume(cut, evaluator="processes", evaluator_options={"workers": 2})
    assert_same_run(whole, again)
    assert len(log.read_text().splitlines()) == 23 - 10  # only what the journal lacked
    assert os.path.getsize(cut) > 0


def test_workers_start_only_as_many_as_a_batch_has_chunks(registry):
    evaluator = ProcessEvaluator(ProcessOptions(workers=6))
    with evaluator:
        problem = steep.make_problem(bowl, BOX)
        outcome = evaluator.evaluate(problem.evaluate_safely, np.full((2, 2), 0.5))
        assert len(evaluator.workers) == 2 and not outcome.failures


def test_an_absurd_worker_count_is_capped_with_a_warning(registry):
    evaluator = ProcessEvaluator(ProcessOptions(workers=100_000))
    with pytest.warns(steep.SteepWarning, match="workers=100000 is far above"):
        assert evaluator.size == 8 * available_cores()


def test_workers_that_cannot_start_are_one_line_saying_what_to_do(tmp_path):
    script = (
        "import steep\n"
        "def cost(x):\n"
        "    return 0.0\n"
        "steep.minimize(cost, [(0, 1)], budget=4, evaluator='processes')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert ran.returncode == 1
    assert (
        ran.stderr.strip()
        .splitlines()[-1]
        .endswith("put the code in a file, or use the serial evaluator")
    )
