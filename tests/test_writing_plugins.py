"""docs/writing-plugins.md and docs/writing-landscapes.md build real plugins: extract them,
pip install them, run their tests and the commands the pages show."""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
FILE_BLOCK = re.compile(r"^```\w+ file=(?P<path>\S+)\n(?P<code>.*?)^```$", re.M | re.S)
TUTORIALS = {
    "steep-hill-climber": (
        "writing-plugins.md",
        ["pyproject.toml", "steep_hill_climber/__init__.py", "tests/test_hill_climber.py"],
    ),
    "steep-steeping": (
        "writing-landscapes.md",
        ["pyproject.toml", "steep_steeping/__init__.py", "tests/test_steeping.py"],
    ),
}


def extract(page: Path, folder: Path) -> list[str]:
    paths = []
    for match in FILE_BLOCK.finditer(page.read_text()):
        target = folder / match["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(match["code"])
        paths.append(match["path"])
    return paths


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Both tutorials' plugins, pip-installed into a fresh folder on PYTHONPATH."""
    root = tmp_path_factory.mktemp("tutorial")
    site, sources = root / "site", {}
    for distribution, (page, files) in TUTORIALS.items():
        sources[distribution] = root / distribution
        assert extract(DOCS / page, sources[distribution]) == files
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site,
         *sources.values()],
        check=True,
    )  # fmt: skip
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    environ["PYTHONPATH"] = str(site)
    return sources, environ


def run(environ, *args, **extra_env):
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**environ, **extra_env},
        cwd=Path(environ["PYTHONPATH"]).parent,  # away from this repository's pytest settings
    )


def needs(distribution: str) -> None:
    try:
        version(distribution)
    except PackageNotFoundError:
        pytest.skip(f"the tutorial runs with {distribution}: install plugins/{distribution}")


def test_the_pages_install_what_they_use():
    optimizer = (DOCS / "writing-plugins.md").read_text()
    landscape = (DOCS / "writing-landscapes.md").read_text()
    assert "pip install ./steep ./steep/plugins/steep-landscape-bowl pytest" in optimizer
    assert "pip install ./steep ./steep/plugins/steep-evolution pytest" in landscape


def test_the_tutorial_plugins_are_listed_and_shown(installed):
    _, environ = installed
    both = "steep-hill-climber,steep-steeping"
    listed = run(environ, "-m", "steep", "list", "--json", STEEP_PLUGINS=both)
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    (optimizer,) = found["optimizers"]
    assert optimizer["name"] == "hill-climber" and optimizer["plugin"] == "steep-hill-climber"
    (landscape,) = found["landscapes"]
    assert landscape["name"] == "steeping" and landscape["plugin"] == "steep-steeping"
    assert landscape["bounds"] == [[60.0, 100.0], [1.0, 8.0]]
    shown = run(environ, "-m", "steep", "show", "hill-climber")
    assert "step (float, default 0.1)" in shown.stdout
    shown = run(environ, "-m", "steep", "show", "steeping")
    assert "Dimension: 2 only" in shown.stdout, shown.stdout


@pytest.mark.parametrize(
    ("distribution", "count"), [("steep-hill-climber", 14), ("steep-steeping", 15)]
)
def test_the_tutorial_plugins_pass_their_own_tests(installed, distribution, count):
    sources, environ = installed
    tests = str(sources[distribution] / "tests")
    tested = run(environ, "-m", "pytest", "-q", "-p", "no:cacheprovider", tests)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert re.search(rf"^{count} passed\b", tested.stdout, re.M), tested.stdout


def test_the_optimizer_tutorial_runs_from_the_cli(installed):
    needs("steep-landscape-bowl")
    _, environ = installed
    ran = run(
        environ, "-m", "steep", "run", "--optimizer", "hill-climber", "--landscape", "bowl",
        "--dim", "2", "--seed", "1", "--json",
        STEEP_PLUGINS="steep-hill-climber,steep-landscape-bowl",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["success"] and result["stop"] == "target" and result["gap"] <= 1e-8


def test_the_tutorial_plugins_race(installed, tmp_path):
    needs("steep-landscape-bowl")
    needs("steep-evolution")
    _, environ = installed
    raced = run(
        environ, "-m", "steep", "race", "--optimizers", "hill-climber", "--landscapes", "bowl",
        "--dims", "1,2", "--seeds", "3", "--out", str(tmp_path / "optimizer"),
        STEEP_PLUGINS="steep-hill-climber,steep-landscape-bowl",
    )  # fmt: skip
    assert raced.returncode == 0, raced.stderr
    assert re.search(r"^  hill-climber +3/3 100%", raced.stdout, re.M), raced.stdout
    raced = run(
        environ, "-m", "steep", "race", "--landscapes", "steeping", "--seeds", "3",
        "--out", str(tmp_path / "landscape"), STEEP_PLUGINS="steep-steeping,steep-evolution",
    )  # fmt: skip
    assert raced.returncode == 0, raced.stderr
    assert re.search(r"^steeping 2-D \[ill-conditioned, smooth, unimodal\]", raced.stdout, re.M)
    assert re.search(r"^  cma-es +3/3 100%", raced.stdout, re.M), raced.stdout


def test_the_landscape_tutorial_runs_from_the_cli(installed):
    needs("steep-evolution")
    _, environ = installed
    ran = run(
        environ, "-m", "steep", "run", "--landscape", "steeping", "--instance", "3",
        "--seed", "1", "--json", STEEP_PLUGINS="steep-steeping,steep-evolution",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["optimizer"] == "cma-es" and result["stop"] == "target", result
    assert 80 <= result["minimum"]["x"][0] <= 90 and 3 <= result["minimum"]["x"][1] <= 5
