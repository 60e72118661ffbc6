"""`steep new` writes plugins that install, pass their own tests and run; `--objective` finds
modules in the current folder."""

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import steep
from fakes import basic_plugin
from steep import plugins
from steep.cli import main
from steep.scaffold import command

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).parents[1]
BOWL = ROOT / "plugins" / "steep-landscape-bowl"
NEEDED = ("pip", "numpy", "pluggy", "attrs", "tqdm", "pytest")


def with_scaffold(**kwargs):
    """A registry with the `new` command, whether or not the core lists it already."""
    loaded = plugins.load_registry(**kwargs)
    if "new" in loaded.entries["command"]:
        return loaded
    extra = [*kwargs.pop("plugins", ()), ("steep.scaffold", command)]
    return plugins.load_registry(plugins=extra, **kwargs)


@pytest.fixture
def basic():
    return with_scaffold(plugins=[("basic", basic_plugin())], use_entry_points=False)


def test_new_writes_a_complete_distribution(tmp_path, basic, capsys):
    assert main(["new", "optimizer", "hill-walker", "--dir", str(tmp_path)], registry=basic) == 0
    target = tmp_path / "steep-hill-walker"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "README.md",
        "pyproject.toml",
        "steep_hill_walker/__init__.py",
        "tests/test_hill_walker.py",
    ]
    meta = tomllib.loads((target / "pyproject.toml").read_text())
    project = meta["project"]
    assert meta["build-system"]["build-backend"] == "hatchling.build"
    assert (project["name"], project["version"]) == ("steep-hill-walker", "0.1.0")
    assert project["dependencies"] == [f"steep>={steep.__version__}"]
    assert project["entry-points"]["steep"] == {"steep-hill-walker": "steep_hill_walker"}
    code = (target / "steep_hill_walker" / "__init__.py").read_text()
    assert "class HillWalker(steep.Optimizer):" in code and 'name = "hill-walker"' in code
    assert "{{" not in code + (target / "README.md").read_text()
    printed = capsys.readouterr().out
    assert f'pip install "{target}[test]"' in printed


def test_new_landscape_writes_in_the_current_folder_by_default(tmp_path, basic, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "landscape", "tea-time"], registry=basic) == 0
    code = (tmp_path / "steep-tea-time" / "steep_tea_time" / "__init__.py").read_text()
    assert "class TeaTime(steep.Landscape):" in code and "def gradient(self, X):" in code


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["optimizer", "Hill"], "optimizer name 'Hill' must be lowercase letters and digits"),
        (["optimizer", "hill_walker"], "words joined by '-'"),
        (["landscape", "steep-bowl"], "without 'steep-'"),
        (["optimizer", "random-steps"], "already registered by plugin 'basic'"),
        (["landscape", "shifted"], "already registered by plugin 'basic'"),
        (["optimizer", "taken"], "already exists; choose another name or folder"),
        (["optimizer", "fine", "--dir", "missing"], "is not an existing folder"),
    ],
)
def test_new_refuses_in_one_line(tmp_path, basic, capsys, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "steep-taken").mkdir()
    assert main(["new", *arguments], registry=basic) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1, error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["steep-taken"]


def fresh_environment(folder: Path) -> Path:
    """A new virtual environment; numpy, pluggy, attrs and pytest come from the system's
    site-packages where it has them (fast), else from the package index."""
    venv.create(folder, with_pip=False, system_site_packages=True)
    python = folder / "bin" / "python"
    probe = [str(python), "-c", f"import {', '.join(NEEDED)}"]
    if subprocess.run(probe, capture_output=True).returncode != 0:
        venv.create(folder, with_pip=True, system_site_packages=True, clear=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", *NEEDED[1:]]
        subprocess.run(pip, check=True)
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """An optimizer and a landscape plugin from `steep new`, installed with steep from this
    repository and the bowl landscape into a fresh virtual environment."""
    root = tmp_path_factory.mktemp("scaffold")
    registry = with_scaffold(use_entry_points=False)
    for kind, name in (("optimizer", "hill-walker"), ("landscape", "tea-time")):
        assert main(["new", kind, name, "--dir", str(root)], registry=registry) == 0
    python = fresh_environment(root / "venv")
    sources = [ROOT, root / "steep-hill-walker", root / "steep-tea-time", BOWL]
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", *map(str, sources)],
        check=True,
    )
    drop = ("STEEP_", "PYTHON", "VIRTUAL_ENV")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    environ["PATH"] = f"{python.parent}{os.pathsep}{environ.get('PATH', '')}"
    return root, python, environ


def run(installed, *command):
    root, _, environ = installed
    return subprocess.run(command, capture_output=True, text=True, env=environ, cwd=root)


def test_generated_plugins_pass_their_own_tests(installed):
    root, python, _ = installed
    tests = [str(root / "steep-hill-walker" / "tests"), str(root / "steep-tea-time" / "tests")]
    tested = run(installed, str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert re.search(r"^29 passed\b", tested.stdout, re.M), tested.stdout


def test_generated_plugins_are_listed_and_run(installed):
    listed = run(installed, "steep", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    assert [o["name"] for o in found["optimizers"]] == ["hill-walker"]
    assert [lo["name"] for lo in found["landscapes"]] == ["bowl", "tea-time"]
    for landscape in ("bowl", "tea-time"):
        ran = run(installed, "steep", "run", "-O", "hill-walker", "-L", landscape, "--json",
                  "--dim", "2", "--seed", "1")  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        result = json.loads(ran.stdout)
        assert result["stop"] == "target" and result["gap"] <= 1e-8, result


MYMODEL = """
def loss(x):
    return (x[0] - 0.25) ** 2
"""


@pytest.mark.parametrize("evaluator", [[], ["--evaluator", "processes", "--workers", "2"]])
def test_an_objective_is_imported_from_the_current_folder(
    tmp_path, monkeypatch, registry, capsys, evaluator
):
    (tmp_path / "mymodel.py").write_text(MYMODEL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    monkeypatch.delitem(sys.modules, "mymodel", raising=False)
    arguments = ["run", "--objective", "mymodel:loss", "--bounds=0:1", "-n", "20", "--json"]
    assert main([*arguments, *evaluator], registry=registry) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["nfev"] == 20 and result["problem"] == "loss"


def test_an_objective_nowhere_to_be_found_is_one_usage_error(tmp_path, monkeypatch, registry):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    with pytest.raises(steep.UsageError, match="cannot import the objective 'nomodel:loss'"):
        steep.api.import_object("nomodel:loss", "objective")
    assert str(tmp_path) not in sys.path
