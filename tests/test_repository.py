"""The repository keeps its promises: docs match the hooks, plugins move in lockstep, CI
runs exactly the README's test command, and the core names no plugin."""

import re
from pathlib import Path

import pytest
from steep import hookspecs

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).parents[1]
PLUGINS = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())


def project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text())["project"]


def test_every_hook_is_documented():
    documented = set(re.findall(r"^### (\w+)$", (ROOT / "docs/plugin-hooks.md").read_text(), re.M))
    missing = set(hookspecs.all_hooks()) - documented
    assert not missing, f"hooks missing from docs/plugin-hooks.md: {sorted(missing)}"
    assert documented <= set(hookspecs.all_hooks()), "docs/plugin-hooks.md names unknown hooks"


def test_the_core_depends_only_on_its_allowed_libraries():
    names = {re.split(r"[<>=!~ ;\[]", d)[0] for d in project(ROOT)["dependencies"]}
    assert names <= {"pluggy", "numpy", "attrs", "importlib-metadata"}


def test_the_core_names_no_plugin():
    names = {p.name for p in PLUGINS} | {p.name.replace("-", "_") for p in PLUGINS}
    for module in (ROOT / "core/steep").rglob("*.py"):
        text = module.read_text()
        named = {name for name in names if re.search(rf"\b{name}\b", text)}
        assert not named, f"{module.name} names plugins {sorted(named)}"


@pytest.mark.parametrize("folder", PLUGINS, ids=lambda p: p.name)
def test_plugins_are_complete_and_move_in_lockstep_with_the_core(folder):
    core_version = project(ROOT)["version"]
    meta = project(folder)
    assert meta["name"] == folder.name
    assert meta["version"] == core_version
    assert f"steep=={core_version}" in meta["dependencies"]
    assert list(meta["entry-points"]["steep"]) == [folder.name]
    package = meta["entry-points"]["steep"][folder.name].split(":")[0]
    assert (folder / package / "__init__.py").exists()
    assert (folder / "README.md").exists()
    assert list((folder / "tests").glob("test_*.py")), f"{folder.name} has no tests"


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```bash\n(.+?)\n```$", section, re.M)


def test_readme_quick_start_has_two_commands_and_ci_runs_the_second():
    install_and_run, install_and_test = quick_start_commands()
    assert "pip install" in install_and_run and "pytest" in install_and_test
    ci = (ROOT / ".ci/run").read_text()
    expected = install_and_test.replace(".venv/", '"$VENV"/').replace(
        "venv .venv ", 'venv "$VENV" '
    )
    assert expected in ci, "the test command in .ci/run differs from README.md's"
