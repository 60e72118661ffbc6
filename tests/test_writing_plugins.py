"""docs/writing-plugins.md builds a real plugin: extract it, pip install it, run it."""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).parents[1] / "docs" / "writing-plugins.md"
FILE_BLOCK = re.compile(r"^```\w+ file=(?P<path>\S+)\n(?P<code>.*?)^```$", re.M | re.S)


def extract(folder: Path) -> list[str]:
    paths = []
    for match in FILE_BLOCK.finditer(TUTORIAL.read_text()):
        target = folder / match["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(match["code"])
        paths.append(match["path"])
    return paths


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The tutorial's plugin, pip-installed into a fresh folder on PYTHONPATH."""
    root = tmp_path_factory.mktemp("tutorial")
    source, site = root / "steep-hill-climber", root / "site"
    assert extract(source) == [
        "pyproject.toml",
        "steep_hill_climber/__init__.py",
        "tests/test_hill_climber.py",
    ]
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, source],
        check=True,
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    environ["PYTHONPATH"] = str(site)
    return source, environ


def run(environ, *args, **extra_env):
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**environ, **extra_env}
    )


def test_the_tutorial_plugin_is_listed_and_shown(installed):
    _, environ = installed
    listed = run(environ, "-m", "steep", "list", "--json", STEEP_PLUGINS="steep-hill-climber")
    assert listed.returncode == 0, listed.stderr
    (optimizer,) = json.loads(listed.stdout)["optimizers"]
    assert optimizer["name"] == "hill-climber" and optimizer["plugin"] == "steep-hill-climber"
    shown = run(environ, "-m", "steep", "show", "hill-climber")
    assert "step (float, default 0.1)" in shown.stdout


def test_the_tutorial_plugin_passes_its_own_tests(installed):
    source, environ = installed
    tested = run(environ, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(source / "tests"))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert re.search(r"\b1[0-9] passed\b", tested.stdout), tested.stdout


def test_the_tutorial_plugin_runs_from_the_cli(installed):
    try:
        version("steep-landscape-bowl")
    except PackageNotFoundError:
        pytest.skip("the tutorial runs on the bowl landscape: install plugins/steep-landscape-bowl")
    _, environ = installed
    ran = run(
        environ, "-m", "steep", "run", "--optimizer", "hill-climber", "--landscape", "bowl",
        "--dim", "2", "--seed", "1", "--json",
        STEEP_PLUGINS="steep-hill-climber,steep-landscape-bowl",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["success"] and result["stop"] == "target" and result["gap"] <= 1e-8
