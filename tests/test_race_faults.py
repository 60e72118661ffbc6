"""Races keep every finished run: Ctrl-C, resuming, unwritable and damaged folders, broken
landscapes. Real races with the test plugin; real SIGINT to a real `steep race` process."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import attrs
import numpy as np
import pytest
import race_plugin
import steep
import steep_plot
from steep.cli import main
from steep.race import RaceSettings, load, run_race

PLUGINS = "steep-race-testplugin"
TESTS = Path(__file__).parent
posix = pytest.mark.skipif(not hasattr(os, "killpg"), reason="sends POSIX signals")

#: `steep` with only the test plugin and steep-plot, as the `plugins` fixture has it.
DRIVER = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
import race_plugin, steep, steep_plot
from steep.cli import main
registry = steep.plugins.load_registry(
    plugins=[({PLUGINS!r}, race_plugin), ("steep-plot", steep_plot)], use_entry_points=False
)
with steep.plugins.using(registry):
    sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def plugins():
    loaded = steep.plugins.load_registry(
        plugins=[(PLUGINS, race_plugin), ("steep-plot", steep_plot)], use_entry_points=False
    )
    with steep.plugins.using(loaded):
        yield loaded


def steep_cli(capsys, *arguments: str) -> tuple[int, str, str]:
    status = main([str(a) for a in arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def leaderboard(text: str) -> list[str]:
    """The tables of `steep race` / `steep report` output, without wall times and headers."""
    lines = []
    for line in text.splitlines():
        if line.startswith(("Saved", "reload", "Race of", "Unfinished")) or not line.strip():
            continue
        lines.append(re.sub(r"\s+[\d.]+ (µs|ms|s)$", "", line))
    return lines


def same_runs(a, b) -> None:
    """Two races hold the same runs: records (but wall times), curves and paths."""
    assert [attrs.evolve(r, elapsed=0.0) for r in a.records] == [
        attrs.evolve(r, elapsed=0.0) for r in b.records
    ]
    assert a.curves.keys() == b.curves.keys() and a.paths.keys() == b.paths.keys()
    for i in a.curves:
        np.testing.assert_array_equal(a.curves[i], b.curves[i])
    for i in a.paths:
        np.testing.assert_array_equal(a.paths[i], b.paths[i])


def lines_in(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def interrupted_race(
    folder: Path, arguments: list[str], *, lines: int, after: float, to_group: bool, times: int
):
    """Start `steep race` in its own session, wait until ``runs.jsonl`` has ``lines`` lines
    and ``after`` seconds passed, send SIGINT ``times`` (to its process group, as a terminal
    does, or to the main process only); return (status, seconds to exit, stderr)."""
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "race", *arguments, "--out", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    started = time.monotonic()
    try:
        while lines_in(folder / "runs.jsonl") < lines or time.monotonic() - started < after:
            assert process.poll() is None, f"the race ended first: {process.communicate()}"
            assert time.monotonic() - started < 60, "no run finished in 60 s"
            time.sleep(0.02)
        for _ in range(times):
            if to_group:
                os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGINT)
            time.sleep(0.05)
        signalled = time.monotonic()
        _, err = process.communicate(timeout=30)
        return process.returncode, time.monotonic() - signalled, err
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def group_gone(pgid: int, within: float = 5.0) -> bool:
    """Whether no process of the group ``pgid`` (the race and its workers) is left."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# --- 1. Ctrl-C keeps every finished run; --resume finishes the race --------------------------

RESUMABLE = ["--optimizers", "test-walker,test-jumper", "--landscapes", "test-sphere,test-tilt"]
RESUMABLE += ["--seeds", "6", "--budget", "12000", "-j", "2"]


@posix
def test_an_interrupted_race_keeps_its_runs_and_resumes_to_the_same_race(plugins, capsys, tmp_path):
    folder = tmp_path / "r2"
    status, _, err = interrupted_race(folder, RESUMABLE, lines=3, after=0.0, to_group=True, times=1)
    assert status == 130, err
    assert err.endswith("steep race: interrupted\n"), err
    document = json.loads((folder / "race.json").read_text())
    assert document["complete"] is False and document["planned"] == 24 and document["runs"] == []
    saved = lines_in(folder / "runs.jsonl")
    assert 3 <= saved < 24
    assert f"{saved} of 24 runs are saved in {folder}" in err
    assert f"steep race --resume {folder}" in err

    status, out, _ = steep_cli(capsys, "report", folder)
    assert status == 0
    assert f"Unfinished: {saved} of 24 runs are here" in out
    assert len(load(folder).records) == saved

    # the race was killed writing a line: that run is dropped, and carried out again
    log = (folder / "runs.jsonl").read_bytes()
    cut = log.rindex(b"\n", 0, len(log) - 1) + 1
    (folder / "runs.jsonl").write_bytes(log[: cut + (len(log) - cut) // 2])
    status, resumed, err = steep_cli(capsys, "race", "--resume", folder, "-j", "2")
    assert "runs.jsonl: the last line was cut short" in err
    assert status == 0, err
    assert not (folder / "runs.jsonl").exists()
    assert json.loads((folder / "race.json").read_text())["complete"] is True

    status, whole, _ = steep_cli(capsys, "race", *RESUMABLE, "--out", tmp_path / "whole")
    assert status == 0
    assert leaderboard(resumed) == leaderboard(whole)
    same_runs(load(folder), load(tmp_path / "whole"))
    reports = [steep_cli(capsys, "report", f)[1] for f in (folder, tmp_path / "whole")]
    assert leaderboard(reports[0]) == leaderboard(reports[1])


@posix
def test_a_killed_race_resumes_to_the_same_race(plugins, capsys, tmp_path):
    folder = tmp_path / "r"
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "race", *RESUMABLE, "--out", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while lines_in(folder / "runs.jsonl") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # no goodbye: only what is on disk counts
    assert process.wait(timeout=10) == -signal.SIGKILL
    assert 2 <= len(load(folder).records) < 24
    status, resumed, err = steep_cli(capsys, "race", "--resume", folder, "-j", "2")
    assert status == 0, err
    status, whole, _ = steep_cli(capsys, "race", *RESUMABLE, "--out", tmp_path / "whole")
    assert leaderboard(resumed) == leaderboard(whole)
    same_runs(load(folder), load(tmp_path / "whole"))


def test_resume_takes_the_settings_from_the_folder(plugins, capsys, tmp_path):
    folder = tmp_path / "r"
    arguments = ["--optimizers", "test-walker", "--landscapes", "test-sphere", "--budget", "30"]
    assert steep_cli(capsys, "race", *arguments, "--seeds", "2", "--out", folder)[0] == 0
    status, _, err = steep_cli(capsys, "race", "--resume", folder, "--budget", "10")
    assert status == 2 and "read from" in err and "drop --budget" in err
    status, out, err = steep_cli(capsys, "race", "--resume", folder)
    assert status == 0 and "holds a finished race; nothing to run" in err
    assert "Saved 2 runs" in out
    status, _, err = steep_cli(capsys, "race", "--resume", tmp_path / "nothing")
    assert status == 2 and "holds no saved race" in err


def test_an_unfinished_race_is_not_raced_over(plugins, capsys, tmp_path):
    folder = tmp_path / "r"
    arguments = ["--optimizers", "test-walker", "--landscapes", "test-sphere", "--budget", "30"]
    assert steep_cli(capsys, "race", *arguments, "--out", folder)[0] == 0
    document = json.loads((folder / "race.json").read_text())
    (folder / "race.json").write_text(json.dumps({**document, "complete": False, "runs": []}))
    status, _, err = steep_cli(capsys, "race", *arguments, "--out", folder)
    assert status == 2 and f"finish it with `steep race --resume {folder}`" in err
    status, out, _ = steep_cli(capsys, "report", folder)  # no runs.jsonl: none finished
    assert status == 0 and "Unfinished: 0 of 5 runs are here" in out
    assert steep_cli(capsys, "race", "--resume", folder)[0] == 0
    assert len(load(folder).records) == 5 and load(folder).complete


# --- 2. Ctrl-C ends a race within seconds, its workers stopped --------------------------------

LONG = ["--optimizers", "test-walker,test-jumper", "--landscapes", "test-sphere"]
LONG += ["--seeds", "10", "--budget", "150000", "-j", "2"]  # 20 runs, over 10 s on 2 workers


@posix
@pytest.mark.parametrize(
    "to_group, times",
    [(True, 1), (False, 1), (True, 2)],
    ids=["ctrl-c", "sigint-to-the-main-process-only", "ctrl-c-twice"],
)
def test_ctrl_c_ends_a_long_race_at_once_keeping_its_runs(
    plugins, capsys, tmp_path, to_group, times
):
    folder = tmp_path / "r"
    started = time.monotonic()
    status, seconds, err = interrupted_race(
        folder, LONG, lines=1, after=2.0, to_group=to_group, times=times
    )
    # a second Ctrl-C that comes as Python exits kills it by SIGINT: a shell shows 130 too
    assert status == 130 or (times == 2 and status == -signal.SIGINT), (status, err)
    assert seconds < 10, f"took {seconds:.1f} s to stop"
    assert time.monotonic() - started < 30
    assert "Traceback" not in err
    saved = lines_in(folder / "runs.jsonl")
    assert 1 <= saved < 20
    results = load(folder)
    assert not results.complete and results.planned == 20 and len(results.records) == saved
    status, out, _ = steep_cli(capsys, "report", folder)
    assert status == 0 and f"Unfinished: {saved} of 20 runs" in out


@posix
def test_no_worker_outlives_an_interrupted_race(plugins, tmp_path):
    folder = tmp_path / "r"
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "race", *LONG, "--out", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while lines_in(folder / "runs.jsonl") < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)  # the main process only: workers hear nothing
        assert process.wait(timeout=10) == 130
        assert group_gone(process.pid), "a worker process is still running"
    finally:
        if process.poll() is None or not group_gone(process.pid, 0.1):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- 3. an output folder that cannot be written fails before any run ------------------------


def unwritable_folders(tmp_path: Path) -> list[Path]:
    (tmp_path / "a-file").write_text("")
    folders = [tmp_path / "a-file" / "nope"]
    if sys.platform.startswith("linux") and Path("/sys").is_dir():
        folders.append(Path("/sys/nope"))
    return folders


def test_an_unwritable_out_folder_fails_on_one_line_before_any_run(plugins, capsys, tmp_path):
    for folder in unwritable_folders(tmp_path):
        # test-quitter's first run would stop the race with Ctrl-C (130): no run may start
        started = time.monotonic()
        status, out, err = steep_cli(
            capsys, "race", "--optimizers", "test-quitter", "--landscapes", "test-sphere",
            "--budget", "50", "-j", "1", "--out", folder,
        )  # fmt: skip
        assert status == 2, err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith(f"steep race: error: --out: cannot write the race into {folder}")
        assert out == "" and time.monotonic() - started < 5


# --- 4. damaged folders: one line naming the file and what is wrong -------------------------


@pytest.fixture
def folder(plugins, capsys, tmp_path):
    folder = tmp_path / "race"
    status, _, err = steep_cli(
        capsys, "race", "--optimizers", "test-walker,test-jumper", "--landscapes",
        "test-sphere,test-tilt", "--seeds", "2", "--budget", "40", "-j", "1", "--out", folder,
    )  # fmt: skip
    assert status == 0, err
    return folder


def edit_json(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def truncate(path: Path, fraction: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])


DAMAGES = {
    "npz truncated": ("curves.npz", lambda p: truncate(p), "curves.npz is damaged"),
    "npz cut short": ("curves.npz", lambda p: truncate(p, 0.97), "curves.npz is damaged"),
    "npz garbage": ("curves.npz", lambda p: p.write_bytes(os.urandom(3000)), "not an .npz"),
    "npz pickled": (
        "curves.npz",
        lambda p: np.savez(p, curve_0=np.array([{"x": 1}], dtype=object)),
        "Object arrays cannot be loaded when allow_pickle=False",
    ),
    "npz no such run": (
        "curves.npz",
        lambda p: np.savez(p, curve_99=np.zeros(3)),
        "'curve_99' names no run (the race has 8)",
    ),
    "json not json": ("race.json", lambda p: p.write_text("{runs: ["), "it is not JSON"),
    "json garbage": ("race.json", lambda p: p.write_bytes(os.urandom(200)), "it is not JSON"),
    "json a list": ("race.json", lambda p: p.write_text("[]"), "expected an object, got []"),
    "json no problems": (
        "race.json",
        lambda p: edit_json(p, lambda d: d.pop("problems")),
        "missing 'problems'",
    ),
    "json run without fun": (
        "race.json",
        lambda p: edit_json(p, lambda d: d["runs"][2].pop("fun")),
        "runs[2]: missing 'fun'",
    ),
    "json dim of text": (
        "race.json",
        lambda p: edit_json(p, lambda d: d["problems"][1].update(dim="two")),
        'problems[1].dim: expected an integer, got "two"',
    ),
    "json settings a list": (
        "race.json",
        lambda p: edit_json(p, lambda d: d.update(settings=[1, 2])),
        "settings: expected an object",
    ),
    "json seed of text": (
        "race.json",
        lambda p: edit_json(p, lambda d: d["runs"][0].update(seed="7")),
        'runs[0].seed: expected an integer, got "7"',
    ),
    "json run on no problem": (
        "race.json",
        lambda p: edit_json(p, lambda d: d["runs"][0].update(dim=9)),
        "runs[0] is on test-sphere 9-D, which is not a problem",
    ),
    "json from the future": (
        "race.json",
        lambda p: edit_json(p, lambda d: d.update(format=99)),
        "format 99 is not one this steep reads",
    ),
}


@pytest.mark.parametrize("command", ["report", "plot"])
@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_folder_is_one_line_naming_the_file(folder, capsys, command, damage):
    name, spoil, message = DAMAGES[damage]
    spoil(folder / name)
    status, out, err = steep_cli(capsys, command, folder)
    assert status == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"steep {command}: error: {folder / name}"), err
    assert message in err, err


def test_a_damaged_runs_log_is_one_line_naming_the_line(folder, capsys):
    records = load(folder)
    line = json.dumps({"index": 0, "record": attrs.asdict(records.records[0]), "curve": 1})
    (folder / "runs.jsonl").write_text(line + "\n")
    edit_json(folder / "race.json", lambda d: d.update(complete=False, runs=[]))
    for command in ("report", "plot"):
        status, _, err = steep_cli(capsys, command, folder)
        assert status == 2 and err.count("\n") == 1
        assert f"{folder / 'runs.jsonl'} is damaged: line 1: curve: expected a list" in err
    status, _, err = steep_cli(capsys, "race", "--resume", folder)
    assert status == 2 and "runs.jsonl is damaged: line 1" in err


def test_curves_are_never_unpickled(folder, capsys, monkeypatch):
    with zipfile.ZipFile(folder / "curves.npz") as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    loads = []
    monkeypatch.setattr("pickle.loads", lambda *a, **k: loads.append(a))
    monkeypatch.setattr("pickle.load", lambda *a, **k: loads.append(a))
    assert steep_cli(capsys, "report", folder)[0] == 0
    assert loads == []


# --- 5. a landscape that raises: its problem is broken, its runs failed, the race goes on ----


class Kettle(steep.Landscape):
    """A bowl whose evaluate raises (what breaks is chosen by the class attribute)."""

    name = "test-kettle"
    story = "A kettle that breaks when you touch it."
    tags = frozenset({"smooth"})
    breaks = "evaluate"

    def __init__(self, dim=None, seed=0):
        if self.breaks == "constructor":
            raise RuntimeError("the kettle will not be built")
        super().__init__(dim=dim, seed=seed)

    @property
    def minimum(self):
        if self.breaks == "minimum":
            raise KeyError("nobody knows")
        return steep.Minimum(x=np.zeros(self.dim), fun=0.0)

    def evaluate(self, X):
        if self.breaks in ("evaluate", "minimum"):
            raise ValueError("the kettle is broken")
        return (X**2).sum(axis=1)


class KettleParts:
    @staticmethod
    @steep.hookimpl
    def register_landscapes(register):
        register(Kettle)


@pytest.mark.parametrize(
    "breaks, reason",
    [
        ("evaluate", "evaluate, measuring its scale raised ValueError: the kettle is broken"),
        ("constructor", "setting it up raised RuntimeError: the kettle will not be built"),
        ("minimum", "its minimum raised KeyError: 'nobody knows'"),
    ],
)
def test_a_landscape_that_raises_fails_its_runs_and_the_race_goes_on(
    capsys, tmp_path, monkeypatch, breaks, reason
):
    monkeypatch.setattr(Kettle, "breaks", breaks)
    registry = steep.plugins.load_registry(
        plugins=[(PLUGINS, race_plugin), ("kettle-parts", KettleParts)], use_entry_points=False
    )
    folder = tmp_path / "r"
    arguments = ["--optimizers", "test-walker,test-jumper", "--seeds", "3", "--budget", "60"]
    with steep.plugins.using(registry):
        status, out, err = steep_cli(
            capsys, "race", *arguments, "--landscapes", "test-sphere,test-kettle,test-tilt",
            "-j", "2", "--out", folder,
        )  # fmt: skip
    assert status == 0, err
    expected = f"plugin 'kettle-parts': landscape 'test-kettle' in 1-D: {reason}"
    warning = "steep race: warning: test-kettle 1-D is broken, its runs are recorded as failed"
    assert f"{warning}: {expected}\n" in err
    assert f"broken, so every run on it failed: {expected}" in out
    assert "6 run(s) failed with an error" in out
    results = load(folder)
    broken = [r for r in results.records if r.landscape == "test-kettle"]
    assert len(broken) == 6
    assert all(r.stop == "error" and r.message == f"error: {expected}" for r in broken)
    assert all(r.nfev == 0 for r in broken)
    (problem,) = [p for p in results.problems if p.landscape == "test-kettle"]
    assert problem.error == expected
    alone = run_race(
        RaceSettings(
            optimizers=("test-walker", "test-jumper"),
            landscapes=("test-sphere", "test-tilt"),
            trials=3,
            budget=60,
        ),
        registry,
        show_progress=False,
    )
    others = [attrs.evolve(r, elapsed=0.0) for r in results.records if r.landscape != "test-kettle"]
    assert others == [attrs.evolve(r, elapsed=0.0) for r in alone.records]
    with steep.plugins.using(registry):
        assert steep_cli(capsys, "report", folder)[0] == 0
