"""`steep race` and `steep report`: ERT, reproducibility, saving, option errors, tags."""

from __future__ import annotations

import concurrent.futures
import io
import json
import math
import re
from types import SimpleNamespace

import numpy as np
import pytest
import race_plugin
import steep
from steep.cli import main
from steep.progress import ProgressBar
from steep.race import RaceSettings, derive_seed, load, run_race
from steep.race.leaderboard import expected_running_time, standings, tag_winners

PLUGINS = "steep-race-testplugin"


@pytest.fixture
def plugins():
    """Only the test plugin (and the core's own) is loaded, here and in worker processes."""
    loaded = steep.plugins.load_registry(plugins=[(PLUGINS, race_plugin)], use_entry_points=False)
    with steep.plugins.using(loaded):
        yield loaded


def race(capsys, *arguments: str) -> tuple[int, str, str]:
    status = main(["race", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


SMALL = ("--optimizers", "test-jumper,test-walker", "--budget", "300", "--seeds", "3")


def leaderboard(text: str) -> list[str]:
    """The leaderboard lines of `steep race` or `steep report` output, without wall times."""
    lines = []
    for line in text.splitlines():
        if line.startswith(("Saved", "reload", "Race of")) or not line.strip():
            continue
        lines.append(re.sub(r"\s+[\d.]+ (µs|ms|s)$", "", line))
    return lines


# --- ERT and standings --------------------------------------------------------------------


def test_ert_counts_successes_until_target_and_failures_their_whole_budget():
    assert expected_running_time([10, None, 30], budget=100) == (10 + 100 + 30) / 2
    assert expected_running_time([7, 7, 7], budget=100) == 7
    assert expected_running_time([None, None], budget=100) == math.inf


def record(optimizer, evals, *, gap=0.0, elapsed=0.01, nfev=100, fun=0.0):
    return SimpleNamespace(
        optimizer=optimizer,
        success=evals is not None,
        evals_to_target=evals,
        gap=gap,
        fun=fun,
        elapsed=elapsed,
        nfev=nfev,
    )


def test_standings_rank_by_ert_then_success_and_give_the_rates():
    records = [
        record("slow", 80),
        record("slow", 90),
        record("fast", 10),
        record("fast", None, gap=1.0),
        record("never", None, gap=2.0),
        record("never", None, gap=3.0),
    ]
    table = standings(records, budget=100)
    assert [s.optimizer for s in table] == ["slow", "fast", "never"]  # ERT 85 < 110 < inf
    fast = table[1]
    assert (fast.successes, fast.runs, fast.ert) == (1, 2, 110.0)
    assert fast.median_gap == 0.5
    assert table[2].ert == math.inf and table[2].success_rate == 0.0


def test_standings_without_known_minimum_rank_by_median_cost():
    records = [
        SimpleNamespace(
            optimizer=name, success=None, evals_to_target=None, gap=None, fun=f, elapsed=0.0, nfev=5
        )
        for name, f in [("a", 3.0), ("b", 1.0), ("a", 5.0), ("b", 2.0)]
    ]
    table = standings(records, budget=10)
    assert [s.optimizer for s in table] == ["b", "a"]
    assert table[0].successes is None and table[0].ert is None


def test_tag_winner_is_the_fastest_method_reliable_on_every_landscape_with_the_tag():
    good = standings([record("good", 50)] * 5, 100) + standings([record("quick", 5)] * 5, 100)
    mixed = standings([record("good", 60)] * 5, 100) + standings(
        [record("quick", 5)] * 2 + [record("quick", None)] * 3, 100
    )
    winners = tag_winners({"p": good, "q": mixed}, {"p": ("smooth",), "q": ("smooth", "rugged")})
    by_tag = {w.tag: w for w in winners}
    assert by_tag["smooth"].optimizer == "good"  # quick fails on q (40 %)
    assert by_tag["all"].optimizer == "good"
    assert by_tag["rugged"].optimizer == "good"


# --- races ----------------------------------------------------------------------------------


def test_same_table_and_records_whatever_the_number_of_jobs(plugins, capsys, tmp_path):
    args = (*SMALL, "--landscapes", "test-sphere,test-tilt,test-mystery", "--dims", "1,2")
    status_one, out_one, _ = race(capsys, *args, "--jobs", "1", "--out", str(tmp_path / "one"))
    status_two, out_two, _ = race(capsys, *args, "--jobs", "2", "--out", str(tmp_path / "two"))
    assert status_one == status_two == 0
    assert leaderboard(out_one) == leaderboard(out_two)
    one, two = load(tmp_path / "one"), load(tmp_path / "two")
    assert len(one.records) == 2 * 3 * (2 + 1 + 2)  # optimizers x seeds x problems
    for a, b in zip(one.records, two.records):
        assert (a.optimizer, a.landscape, a.dim, a.seed, a.nfev, a.fun) == (
            b.optimizer,
            b.landscape,
            b.dim,
            b.seed,
            b.nfev,
            b.fun,
        )
    for index, curve in one.curves.items():
        np.testing.assert_array_equal(curve, two.curves[index])


def test_every_optimizer_starts_from_the_same_point_on_a_trial(plugins, tmp_path):
    settings = RaceSettings(
        optimizers=("test-jumper", "test-walker"),
        landscapes=("test-sphere",),
        dims=(2,),
        trials=3,
        budget=50,
    )
    results = run_race(settings, plugins, show_progress=False)
    seeds = {(r.trial, r.optimizer): r.seed for r in results.records}
    for trial in range(3):
        assert seeds[(trial, "test-jumper")] == seeds[(trial, "test-walker")]
        assert seeds[(trial, "test-jumper")] == derive_seed(0, "test-sphere", 2, trial)
    assert len({seeds[(t, "test-walker")] for t in range(3)}) == 3
    walker_starts = [
        results.paths[i][0] for i, r in enumerate(results.records) if r.optimizer == "test-walker"
    ]
    assert len({tuple(s) for s in walker_starts}) == 3


def test_success_and_evaluations_to_target_come_from_the_history(plugins):
    settings = RaceSettings(
        optimizers=("test-walker",),
        landscapes=("test-sphere",),
        dims=(1,),
        trials=4,
        budget=400,
        target=1e-3,
    )
    results = run_race(settings, plugins, show_progress=False)
    (problem,) = results.problems
    assert problem.fstar == 0.0 and problem.target_gap == pytest.approx(1e-3 * problem.scale)
    successes = 0
    for index, r in enumerate(results.records):
        minimized = steep.minimize(
            steep.testing.Sphere(dim=1),
            optimizer=plugins.optimizer("test-walker"),
            budget=400,
            seed=r.seed,
        )
        assert minimized.fun == r.fun and minimized.nfev == r.nfev
        gaps = minimized.history.best_so_far() - problem.fstar
        below = np.flatnonzero(gaps <= problem.target_gap)
        expected = int(below[0]) + 1 if below.size else None
        assert r.evals_to_target == expected
        assert r.success == (r.gap <= problem.target_gap)
        np.testing.assert_array_equal(results.curves[index], minimized.history.best_so_far())
        successes += bool(r.success)
    assert successes >= 1


def test_report_reloads_and_prints_the_same_leaderboard(plugins, capsys, tmp_path):
    folder = tmp_path / "race"
    status, out, _ = race(
        capsys, *SMALL, "--landscapes", "test-sphere,test-mystery", "--out", str(folder)
    )
    assert status == 0
    assert {p.name for p in folder.iterdir()} >= {"race.json", "runs.csv", "curves.npz"}
    assert main(["report", str(folder)]) == 0
    reported = capsys.readouterr().out
    assert leaderboard(reported) == leaderboard(out)
    assert "success is not defined" in reported  # test-mystery's minimum is unknown


def test_report_judges_again_at_another_target_from_the_curves(plugins, capsys, tmp_path):
    folder = tmp_path / "race"
    race(capsys, *SMALL, "--landscapes", "test-sphere", "--target", "1e-2", "--out", str(folder))
    assert main(["report", str(folder), "--target", "1e-6", "--json"]) == 0
    strict = json.loads(capsys.readouterr().out)["standings"]["test-sphere 1-D"]
    assert main(["report", str(folder), "--json"]) == 0
    loose = json.loads(capsys.readouterr().out)["standings"]["test-sphere 1-D"]
    results = load(folder)
    (problem,) = results.problems
    for line in strict:
        runs = [i for i, r in enumerate(results.records) if r.optimizer == line["optimizer"]]
        gaps = [results.curves[i] - problem.fstar for i in runs]
        hits = [
            int(np.flatnonzero(g <= 1e-6 * problem.scale)[0]) + 1
            if (g <= 1e-6 * problem.scale).any()
            else None
            for g in gaps
        ]
        assert line["successes"] == sum(h is not None for h in hits)
        assert line["ert"] == expected_running_time(hits, problem.budget)
    by_name = {line["optimizer"]: line for line in loose}
    for line in strict:
        assert line["successes"] <= by_name[line["optimizer"]]["successes"]
    assert sum(line["successes"] for line in strict) < sum(line["successes"] for line in loose)


def test_saved_files_hold_runs_versions_seeds_and_options(plugins, capsys, tmp_path):
    folder = tmp_path / "race"
    race(capsys, *SMALL, "--landscapes", "test-sphere", "--race-seed", "7", "--out", str(folder))
    document = json.loads((folder / "race.json").read_text())
    assert document["versions"]["steep"] == steep.__version__
    assert document["versions"]["steep-race-testplugin"] == "0.1.0"
    assert document["settings"]["race_seed"] == 7 and document["settings"]["budget"] == 300
    assert document["options"] == {"test-jumper": {"batch": 10}, "test-walker": {}}
    rows = (folder / "runs.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 * 3 and rows[0].startswith("optimizer,landscape,dim,trial,seed")
    assert {r["seed"] for r in document["runs"]} == {
        derive_seed(7, "test-sphere", 1, t) for t in range(3)
    }
    with np.load(folder / "curves.npz") as arrays:
        assert sum(k.startswith("curve_") for k in arrays.files) == 6


def test_explicit_seeds_are_used_as_given(plugins, capsys, tmp_path):
    race(
        capsys,
        "--optimizers",
        "test-walker",
        "--landscapes",
        "test-sphere",
        "--seeds",
        "11,5",
        "--budget",
        "20",
        "--out",
        str(tmp_path / "r"),
    )
    assert [r.seed for r in load(tmp_path / "r").records] == [11, 5]


def test_landscapes_selected_by_name_or_tag(plugins, capsys, tmp_path):
    status, out, _ = race(
        capsys,
        "--optimizers",
        "test-jumper",
        "--landscapes",
        "plateau,test-tilt,test-mystery",
        "--budget",
        "20",
        "--seeds",
        "1",
        "--out",
        str(tmp_path / "r"),
    )
    assert status == 0
    assert [p.landscape for p in load(tmp_path / "r").problems] == ["test-mystery", "test-tilt"]
    assert "test-sphere" not in out
    assert steep.race.select_landscapes("smooth", plugins) == ("test-sphere", "test-tilt")
    assert steep.race.select_landscapes("rugged,smooth", plugins) == (
        "test-mystery",
        "test-sphere",
        "test-tilt",
    )


def test_each_landscape_is_raced_at_each_dimension_it_takes(plugins, capsys, tmp_path):
    status, _, err = race(
        capsys, "--optimizers", "test-walker", "--dims", "1,3", "--budget", "30", "--seeds", "1",
        "--landscapes", "test-sphere,test-tilt", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert status == 0
    assert err == "steep race: note: test-tilt does not exist in dimension 1, 3; skipped there\n"
    assert [p.key for p in load(tmp_path / "r").problems] == ["test-sphere 1-D", "test-sphere 3-D"]
    status, _, err = race(capsys, "--landscapes", "test-tilt", "--dims", "3")
    assert status == 2 and "none of the chosen landscapes takes dimension(s) 3" in err


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--optimizers", "test-jumpr"], "did you mean 'test-jumper'"),
        (["--landscapes", "nowhere"], "nor is 'nowhere' a tag"),
        (["--landscapes", "noisy"], "no installed landscape has the tag 'noisy'"),
        (["--dims", "0"], "--dims: 0 must be at least 1"),
        (["--dims", "two"], "--dims: 'two' is not an integer"),
        (["--seeds", "0"], "--seeds: 0 must be at least 1"),
        (["--seeds", "3,3"], "repeats a seed"),
        (["--budget", "-5"], "--budget: -5 must be at least 1"),
        (["--target", "0"], "--target: '0' must be a positive finite number"),
        (["--target", "nan"], "must be a positive finite number"),
        (["--jobs", "0"], "--jobs: 0 must be at least 1"),
        (["--race-seed", "-1"], "--race-seed: -1 must be at least 0"),
        (["--plots"], "no plot plugin is installed"),
    ],
)
def test_bad_options_exit_2_with_one_line(plugins, capsys, tmp_path, arguments, message):
    status, _, err = race(capsys, *arguments, "--out", str(tmp_path / "never"))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("steep race: error:")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "never").exists()


def test_report_of_a_folder_without_a_race_exits_2(plugins, capsys, tmp_path):
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no saved race" in err


def test_out_folder_holding_a_race_is_refused(plugins, capsys, tmp_path):
    args = ("--optimizers", "test-walker", "--landscapes", "test-sphere", "--budget", "10")
    assert race(capsys, *args, "--out", str(tmp_path))[0] == 0
    status, _, err = race(capsys, *args, "--out", str(tmp_path))
    assert status == 2 and "already holds a race" in err


def test_a_run_whose_plugin_fails_is_recorded_and_the_race_goes_on(plugins, capsys, tmp_path):
    status, out, _ = race(
        capsys, "--optimizers", "test-breaker,test-walker", "--landscapes", "test-sphere",
        "--seeds", "2", "--budget", "50", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert status == 0
    assert "2 run(s) failed with an error" in out
    results = load(tmp_path / "r")
    broken = [(i, r) for i, r in enumerate(results.records) if r.optimizer == "test-breaker"]
    for index, r in broken:
        assert r.stop == "error" and "outside the bounds" in r.message
        assert r.success is False and r.nfev == 4  # the four points before the bad batch
        assert results.curves[index].size == 4
    assert all(r.stop != "error" for r in results.records if r.optimizer == "test-walker")


def test_ctrl_c_stops_the_whole_race(plugins, capsys, tmp_path):
    status, _, err = race(
        capsys, "--optimizers", "test-quitter,test-walker", "--landscapes", "test-sphere",
        "--budget", "50", "--jobs", "1", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert status == 130 and "interrupted" in err
    assert not (tmp_path / "r").exists()


# --- progress -------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_done_and_time_left_on_a_terminal_and_clears_itself():
    stream = Terminal()
    with ProgressBar(10, "race", stream, delay=0) as bar:
        for _ in range(3):
            bar.advance()
        bar.draw()
        assert "3/10 runs done, ~" in stream.getvalue().split("\r")[-1]
    assert stream.getvalue().split("\r")[-1].strip() == ""  # nothing left behind


def test_progress_bar_stays_silent_for_quick_work_on_a_terminal():
    stream = Terminal()
    with ProgressBar(10, "race", stream) as bar:
        bar.advance(10)
    assert "runs done" not in stream.getvalue()


def test_progress_bar_is_quiet_when_not_a_terminal():
    stream = io.StringIO()
    with ProgressBar(4, "race", stream) as bar:
        bar.advance(4)
    assert stream.getvalue() == ""


def test_race_output_is_plain_text_when_piped(plugins, capsys, tmp_path):
    _, out, err = race(
        capsys,
        "--optimizers",
        "test-walker",
        "--landscapes",
        "test-sphere",
        "--budget",
        "10",
        "--seeds",
        "1",
        "--out",
        str(tmp_path / "r"),
    )
    assert "\r" not in out + err
    assert out.startswith("test-sphere 1-D [separable, smooth, unimodal]: 1 seeds")


class ThreadCluster(steep.Evaluator):
    """An evaluator whose 'cluster' is a thread pool; ``lose`` chunks raise as a lost worker."""

    name = "thread-cluster"

    def __init__(self, lose: int = 0):
        super().__init__()
        self.lose = lose

    def __enter__(self):
        self.pool = concurrent.futures.ThreadPoolExecutor(2)
        return self

    def __exit__(self, *exc_info):
        self.pool.shutdown()

    def evaluate(self, task, points):
        return task(points)

    def executor(self):
        cluster = self

        class Flaky(concurrent.futures.Executor):
            def submit(self, function, *args, **kwargs):
                if cluster.lose:
                    cluster.lose -= 1
                    return cluster.pool.submit(lost)
                return cluster.pool.submit(function, *args, **kwargs)

        return Flaky()


def lost():
    raise ConnectionError("worker tcp://127.0.0.1:4242 vanished")


def test_a_race_spread_over_an_evaluators_cluster_is_the_same_race(plugins):
    settings = RaceSettings(
        optimizers=("test-jumper", "test-walker"), landscapes=("test-sphere",), trials=3, budget=60
    )
    alone = run_race(settings, plugins, show_progress=False)
    spread = run_race(settings, plugins, show_progress=False, evaluator=ThreadCluster())
    assert [(r.optimizer, r.seed, r.nfev, r.fun) for r in alone.records] == [
        (r.optimizer, r.seed, r.nfev, r.fun) for r in spread.records
    ]


def test_runs_lost_with_a_worker_are_recorded_as_failed_and_the_race_goes_on(plugins):
    settings = RaceSettings(
        optimizers=("test-jumper",), landscapes=("test-sphere",), trials=4, budget=30
    )
    results = run_race(settings, plugins, jobs=4, show_progress=False, evaluator=ThreadCluster(1))
    lost_runs = [r for r in results.records if r.stop == "error"]
    assert len(results.records) == 4 and 1 <= len(lost_runs) < 4
    assert all("run lost with its worker: ConnectionError" in r.message for r in lost_runs)


def test_an_evaluator_without_a_cluster_cannot_spread_a_race(plugins):
    settings = RaceSettings(optimizers=("test-jumper",), landscapes=("test-sphere",), budget=10)
    with pytest.raises(steep.UsageError, match="evaluator 'serial' cannot spread whole runs"):
        run_race(
            settings, plugins, show_progress=False, evaluator=steep.evaluator.SerialEvaluator()
        )


def test_configured_variants_race_beside_their_plain_optimizer_under_their_own_label(
    plugins, capsys, tmp_path
):
    labels = "test-jumper,test-jumper/batch=3,test-jumper/batch=3/restarts=2"
    status, out, _ = race(
        capsys, "--optimizers", labels, "--landscapes", "test-sphere", "--budget", "30",
        "--seeds", "2", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert status == 0
    saved = load(tmp_path / "r")
    assert saved.optimizers == labels.split(",")
    assert saved.options["test-jumper/batch=3/restarts=2"] == {"batch": 3, "restarts": 2}
    assert saved.options["test-jumper"] == {"batch": 10}
    assert all(f"  {label} " in out for label in labels.split(","))
    for bad, message in [
        ("test-jumper/batch", "is not KEY=VALUE"),
        ("test-jumper/colour=3", "unknown option 'colour'"),
        ("test-jumper/restarts=-1", "restarts must be >= 0"),
        ("test-jumper/restarts=x", "restarts='x' is no integer"),
    ]:
        status, _, err = race(capsys, "--optimizers", bad, "--out", str(tmp_path / "x"))
        assert status == 2 and message in err


def test_the_runtime_ecdf_counts_each_target_at_the_evaluation_that_first_reached_it():
    from steep.race.ecdf import TARGETS, runtimes, share_reached

    curve = np.array([150.0, 50.0, 0.5, 0.5, 1e-9])  # best so far, f* = 0
    found = runtimes(curve, 0.0)
    assert found[0] == 2  # 1e2 first reached by the second evaluation (50)
    assert found[TARGETS.tolist().index(1.0)] == 3  # 1e0 by the third (0.5)
    assert found[-1] == 5 and np.isinf(runtimes(curve[:4], 0.0)[-1])  # 1e-8 only at the fifth
    assert share_reached(np.sort(found), 2) == 2 / 51  # 1e2 and 10^1.8 above f*
    assert share_reached(np.sort(found), 5) == 1.0
