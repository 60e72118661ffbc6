"""The journal: nothing lost, nothing evaluated twice, and resuming gives the same run."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import steep
from journal_objectives import tea, tea_batch
from steep import UsageError

TESTS = Path(__file__).parent


def same_run(a, b):
    np.testing.assert_array_equal(a.history.x, b.history.x)
    np.testing.assert_array_equal(a.history.fun, b.history.fun)
    assert (a.x.tolist(), a.fun, a.nfev, a.nit, a.stop) == (
        b.x.tolist(),
        b.fun,
        b.nfev,
        b.nit,
        b.stop,
    )


def evaluations(path):
    """The journal's records without their timings."""
    lines = path.read_text().splitlines()[1:]
    return [{k: v for k, v in json.loads(line).items() if k != "seconds"} for line in lines]


def test_the_journal_is_readable_json_lines_with_a_header(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    result = steep.minimize(
        tea_batch,
        (0, 1),
        dim=2,
        vectorized=True,
        budget=12,
        seed=3,
        journal=path,
        options={"batch": 5},
    )
    header, *records = [json.loads(line) for line in path.read_text().splitlines()]
    assert header["format"] == "steep-journal" and header["seed"] == 3
    assert header["problem"]["function"] == "journal_objectives:tea_batch"
    assert header["optimizer"] == {"name": "random-steps", "reference": None}
    assert header["options"] == {"batch": 5, "converge_after": None}
    assert header["versions"]["steep"] == steep.__version__
    assert [(r["batch"], r["offset"], len(r["x"])) for r in records] == [
        (0, 0, 5),
        (1, 0, 5),
        (2, 0, 2),
    ]
    np.testing.assert_array_equal(np.concatenate([r["x"] for r in records]), result.history.x)


def test_a_pointwise_objective_is_journaled_point_by_point(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    steep.minimize(tea, (0, 1), budget=6, seed=0, journal=path, options={"batch": 3})
    records = [json.loads(line) for line in path.read_text().splitlines()[1:]]
    assert [(r["batch"], r["offset"]) for r in records] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
    ]


def test_resuming_a_finished_run_evaluates_nothing_and_gives_the_same_result(
    registry, tmp_path, monkeypatch
):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(
        tea, (0, 1), dim=2, budget=40, seed=9, journal=path, options={"batch": 4}
    )
    log = tmp_path / "calls.log"
    monkeypatch.setenv("STEEP_TEST_LOG", str(log))
    again = steep.resume(path)
    same_run(first, again)
    assert not log.exists()


def test_failures_are_journaled_and_replayed(registry, tmp_path):
    path = tmp_path / "run.jsonl"

    def picky(X):
        costs = (X**2).sum(axis=1)
        costs[X[:, 0] > 0.5] = np.nan
        return costs

    first = steep.minimize(picky, (0, 1), vectorized=True, budget=20, seed=1, journal=path)
    again = steep.resume(path, objective=picky)
    assert first.history.failures == again.history.failures and first.history.failures
    same_run(first, again)


def test_an_interrupted_run_resumes_to_the_uninterrupted_result(registry, tmp_path):
    reference = steep.minimize(tea, (0, 1), dim=2, budget=50, seed=4, options={"batch": 6})
    calls = []

    def interrupted_tea(x):
        calls.append(1)
        if len(calls) == 20:
            raise KeyboardInterrupt
        return tea(x)

    path = tmp_path / "run.jsonl"
    stopped = steep.minimize(
        interrupted_tea, (0, 1), dim=2, budget=50, seed=4, journal=path, options={"batch": 6}
    )
    assert stopped.stop == "interrupted" and stopped.message.endswith(
        f"resume with: steep resume {path}"
    )
    assert stopped.nfev == 18  # the batch cut short is not in the history ...
    assert len(path.read_text().splitlines()) == 1 + 19  # ... but its finished points are journaled
    same_run(reference, steep.resume(path, objective=tea))


def test_a_torn_last_line_is_dropped_with_a_warning(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(
        tea_batch, (0, 1), vectorized=True, budget=30, seed=2, journal=path, options={"batch": 4}
    )
    complete = evaluations(path)
    text = path.read_text()
    path.write_text(text[: len(text) - 25])
    with pytest.warns(UserWarning, match="dropped a torn last line"):
        again = steep.resume(path)
    same_run(first, again)
    assert evaluations(path) == complete


def test_running_again_into_the_same_journal_continues_it(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), vectorized=True, budget=20, seed=5, journal=path)
    again = steep.minimize(tea_batch, (0, 1), vectorized=True, budget=20, journal=path)
    same_run(first, again)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"budget": 21}, "budget.evaluations: journal 20, now 21"),
        ({"options": {"batch": 5}}, "options.batch: journal 4, now 5"),
        ({"seed": 6}, "seed: journal 5, now 6"),
        ({"dim": 2}, "problem.bounds: journal [[0.0, 1.0]], now [[0.0, 1.0], [0.0, 1.0]]"),
    ],
)
def test_a_journal_of_another_run_is_refused_saying_what_differs(
    registry, tmp_path, change, message
):
    path = tmp_path / "run.jsonl"
    setup = {"budget": 20, "seed": 5, "options": {"batch": 4}, "dim": 1}
    steep.minimize(tea_batch, (0, 1), vectorized=True, journal=path, **setup)
    with pytest.raises(
        UsageError, match="is of another run: .*" + message.replace("[", r"\[").replace("]", r"\]")
    ):
        steep.minimize(tea_batch, (0, 1), vectorized=True, journal=path, **{**setup, **change})


def test_other_versions_are_refused_unless_forced(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    first = steep.minimize(tea_batch, (0, 1), vectorized=True, budget=20, seed=5, journal=path)
    header, rest = path.read_text().split("\n", 1)
    written = json.loads(header)
    written["versions"]["steep"] = "0.0.1"
    path.write_text(json.dumps(written) + "\n" + rest)
    with pytest.raises(
        UsageError, match=r"versions.steep: journal '0.0.1', now .*; resume anyway with force=True"
    ):
        steep.resume(path)
    same_run(first, steep.resume(path, force=True))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("hello\n", "is not a steep journal"),
        ("", "has no complete header line"),
        ('{"format": "steep-journal", "format_version": 99}\n', "has format version 99"),
    ],
)
def test_foreign_files_are_refused(tmp_path, content, message):
    path = tmp_path / "foreign.jsonl"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        steep.resume(path)


def test_missing_journal_and_unwritable_folder_are_named(registry, tmp_path):
    with pytest.raises(UsageError, match=r"cannot read journal .*No such file"):
        steep.resume(tmp_path / "nothing.jsonl")
    with pytest.raises(UsageError, match=r"cannot write journal .*No such file"):
        steep.minimize(tea_batch, (0, 1), vectorized=True, journal=tmp_path / "no" / "dir.jsonl")


def test_a_local_function_needs_to_be_given_again(registry, tmp_path):
    path = tmp_path / "run.jsonl"
    steep.minimize(lambda x: float(x[0] ** 2), (0, 1), budget=5, seed=0, journal=path)
    with pytest.raises(UsageError, match="cannot be imported again; pass it as objective="):
        steep.resume(path)


# -- SIGKILL at random moments, many times, across optimizers ------------------------------

RUN = """
import sys, steep
from journal_objectives import tea
optimizer = sys.argv[2]
if ":" in optimizer:
    import importlib
    module, name = optimizer.split(":")
    optimizer = getattr(importlib.import_module(module), name)
steep.minimize(tea, (0, 1), dim=2, budget=int(sys.argv[3]), seed=11, optimizer=optimizer,
               journal=sys.argv[1])
"""
RESUME = "import sys, steep; steep.resume(sys.argv[1])"


def installed(name):
    return name in steep.plugins.load_registry().entries["optimizer"]


def journaled(path):
    """Complete evaluation lines in the journal at ``path`` so far."""
    try:
        return max(path.read_bytes().count(b"\n") - 1, 0)
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("optimizer", ["fakes:RandomSteps", "exhaustive", "cma-es", "genetic"])
def test_killed_runs_resume_to_the_same_result_without_repeating_evaluations(tmp_path, optimizer):
    if ":" not in optimizer and not installed(optimizer):
        pytest.skip(f"optimizer {optimizer!r} is not installed")
    budget = 120
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(TESTS), environ.get("PYTHONPATH", "")])
    reference_path = tmp_path / "reference.jsonl"
    run = [sys.executable, "-c", RUN, "JOURNAL", optimizer, str(budget)]
    subprocess.run([reference_path if a == "JOURNAL" else a for a in run], env=environ, check=True)

    path, log = tmp_path / "killed.jsonl", tmp_path / "calls.log"
    environ["STEEP_TEST_LOG"] = str(log)
    chance = random.Random(optimizer)
    # kill at random moments: before the journal exists, then after random numbers of lines
    targets = [0, *sorted(chance.sample(range(1, budget), 4))]
    for target in targets:
        command = [path if a == "JOURNAL" else a for a in run]
        if path.exists():
            command = [sys.executable, "-c", RESUME, path]
        process = subprocess.Popen(command, env=environ)
        while journaled(path) < target and process.poll() is None:
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
    command = [sys.executable, "-c", RESUME, path] if path.exists() else run
    subprocess.run([path if a == "JOURNAL" else a for a in command], env=environ, check=True)

    assert evaluations(path) == evaluations(reference_path) or same_points(path, reference_path)
    paid = sum(len(r["x"]) for r in evaluations(reference_path))
    finished = log.read_text().splitlines()
    assert paid <= len(finished) <= paid + len(targets)  # at most the one in flight per kill


def same_points(path, reference_path):
    """Points and costs agree (a batch may be split into other lines after a kill)."""

    def flat(p, key):
        return [v for r in evaluations(p) for v in r[key]]

    return flat(path, "x") == flat(reference_path, "x") and flat(path, "y") == flat(
        reference_path, "y"
    )
