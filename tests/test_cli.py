"""The CLI, driven in-process on a registry holding only the core and test plugins."""

import json

import pytest
import steep
from steep.cli import main


def cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_shows_optimizers_and_landscapes_with_defaults(registry, capsys):
    status, out, _ = cli(capsys, "list")
    assert status == 0
    assert "random-steps" in out and "(default)" in out
    assert "shifted" in out and "[separable, smooth, unimodal]" in out
    data = json.loads(cli(capsys, "list", "--json")[1])
    assert [o["name"] for o in data["optimizers"]] == ["random-steps"]
    assert data["landscapes"][0]["minimum"] == {"x": [1.0], "fun": 0.0}


def test_show_explains_options_and_stories(registry, capsys):
    _, out, _ = cli(capsys, "show", "random-steps")
    assert "batch (int, default 4)" in out and "points per batch" in out
    _, out, _ = cli(capsys, "show", "shifted")
    assert "A sphere around 1" in out and "Bounds: [-5, 5] per coordinate" in out
    assert "Minimum (dim 1): f([1]) = 0" in out


def test_run_prints_the_result_and_json(registry, capsys):
    status, out, _ = cli(capsys, "run", "--budget", "40", "--seed", "3", "--dim", "2")
    assert status == 0 and "random-steps on shifted (2-D), seed 3" in out
    assert "nfev:    40" in out
    data = json.loads(cli(capsys, "run", "-n", "12", "-s", "1", "-o", "batch=5", "--json")[1])
    assert data["nfev"] == 12 and data["nbatch"] == 3 and data["options"]["batch"] == 5
    assert data["seed"] == 1 and data["stop"] == "budget" and len(data["x"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--optimizer", "random-step"], "did you mean 'random-steps'?"),
        (["run", "--landscape", "shiftd"], "unknown landscape 'shiftd'; did you mean 'shifted'?"),
        (["run", "--bounds=3:1"], "bounds: coordinate 0 has low 3.0 >= high 1.0"),
        (["run", "--bounds=0:nan"], "both must be finite"),
        (["run", "--bounds=0:inf"], "both must be finite"),
        (["run", "-o", "batch=many"], "option batch='many': expected an integer"),
        (["run", "-o", "bacth=3"], "unknown option 'bacth'"),
        (["run", "-o", "batch=0"], "'batch' must be >= 1: 0"),
        (["run", "-o", "batch"], "not of the form key=value"),
        (["run", "--dim", "2", "--bounds=0:1,0:1,0:1"], "have 3 coordinates but dimension is 2"),
        (["show", "nothing"], "unknown optimizer 'nothing'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(registry, capsys, args, message):
    status, _, err = cli(capsys, *args)
    assert status == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["run", "--budget", "0"], "steep run"),
        (["run", "--dim", "-1"], "steep run"),
        (["nope"], "steep"),
    ],
)
def test_argument_errors_are_one_line_and_point_to_help(registry, capsys, args, command):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    first, second = capsys.readouterr().err.splitlines()
    assert first.startswith(f"{command}: error: ") and second == f"  see `{command} --help`"


def test_vectorized_without_an_objective_is_refused(registry, capsys):
    status, _, err = cli(capsys, "run", "--vectorized")
    assert status == 2 and "--vectorized describes an --objective" in err


def test_version_lists_the_core(registry, capsys):
    status, out, _ = cli(capsys, "--version")
    assert status == 0 and out.startswith("steep ")


def test_plugins_lists_what_each_registers(registry, capsys):
    _, out, _ = cli(capsys, "plugins")
    assert "basic" in out and "optimizers: random-steps" in out and "landscapes: shifted" in out
    data = json.loads(cli(capsys, "plugins", "--json")[1])
    assert {p["name"] for p in data} == {*steep.plugins.INTERNAL_PLUGINS, "basic"}


def test_run_with_a_journal_then_resume_it(registry, capsys, tmp_path):
    journal = tmp_path / "run.jsonl"
    status, out, _ = cli(capsys, "run", "-n", "30", "-s", "2", "--journal", str(journal), "--json")
    assert status == 0 and journal.exists()
    status, resumed, _ = cli(capsys, "resume", str(journal), "--json")
    first, again = json.loads(out), json.loads(resumed)
    assert status == 0 and (first["x"], first["fun"], first["nfev"]) == (
        again["x"],
        again["fun"],
        again["nfev"],
    )


def test_run_an_importable_objective(registry, capsys):
    status, out, _ = cli(
        capsys, "run", "--objective", "journal_objectives:tea_batch", "--vectorized",
        "--bounds=0:1", "-d", "2", "-n", "40", "-s", "1", "--json",
    )  # fmt: skip
    assert status == 0 and json.loads(out)["problem"] == "tea_batch"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["resume", "nowhere.jsonl"], "cannot read journal 'nowhere.jsonl'"),
        (["run", "--objective", "no_such_module:f", "--bounds=0:1"], "cannot import the objective"),
        (["run", "--objective", "journal_objectives:tea"], "needs bounds, a space, or x0"),
        (
            ["run", "--objective", "journal_objectives:tea", "--x0=0.5,0.5"],
            "optimizer 'random-steps' needs a box: give bounds",
        ),
        (["run", "-L", "shifted", "--objective", "journal_objectives:tea"], "not both"),
    ],
)
def test_journal_and_objective_errors_exit_2(registry, capsys, args, message):
    status, _, err = cli(capsys, *args)
    assert status == 2 and message in err and "Traceback" not in err


def test_verbose_logs_what_the_run_did_and_quiet_silences_warnings(registry, capsys):
    status, _, err = cli(capsys, "run", "-v", "-n", "12", "-s", "0")
    assert status == 0 and "steep: steep.run: random-steps on shifted stopped (budget)" in err
    status, _, err = cli(capsys, "run", "-q", "-n", "12", "-s", "0")
    assert status == 0 and err == ""


def test_run_over_a_space_file_saves_a_result_that_show_reads_back(
    registry, capsys, tmp_path, monkeypatch
):
    (tmp_path / "svcmodel.py").write_text(
        "def loss(values):\n    return abs(values['C'] - 10) + (values['kernel'] != 'rbf')\n"
    )
    (tmp_path / "space.toml").write_text(
        '[C]\ntype = "real"\nlow = 1\nhigh = 100\nlog = true\n'
        '[kernel]\ntype = "choice"\noptions = ["rbf", "poly"]\n'
    )
    monkeypatch.chdir(tmp_path)
    args = ("--objective", "svcmodel:loss", "--space", "space.toml", "-n", "30", "-s", "0")
    status, out, _ = cli(capsys, "run", *args, "--restarts", "1", "--save", "svc")
    assert status == 0 and "params:  C=" in out and "Saved to svc.npz" in out
    status, shown, _ = cli(capsys, "show", "svc.npz")
    assert status == 0 and shown.splitlines()[:5] == out.splitlines()[:5]
    status, _, err = cli(capsys, "run", "--space", "space.toml")
    assert status == 2 and "--space describes the parameters of an --objective" in err
