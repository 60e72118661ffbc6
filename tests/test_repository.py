"""The repository keeps its promises: docs match the hooks, plugins move in lockstep, CI
runs exactly the README's test command, and the core names no plugin."""

import ast
import re
from pathlib import Path

import hook_docs
import pytest
from steep import hookspecs

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).parents[1]
PLUGINS = sorted(p for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").exists())


def project(folder: Path) -> dict:
    return tomllib.loads((folder / "pyproject.toml").read_text())["project"]


def test_the_hooks_page_is_the_hook_docstrings_word_for_word():
    assert hook_docs.written() == hook_docs.render(), (
        "docs/plugin-hooks.md differs from the hook docstrings: run python tests/hook_docs.py"
    )
    documented = set(re.findall(r"^### (\w+)$", hook_docs.written(), re.M))
    assert documented == set(hookspecs.specifications(hookspecs)) | {"draw_race", "draw_diagnosis"}


def _imports(path: Path) -> set[str]:
    """The steep modules ``path`` imports, at run time or for type checking alike."""
    package = ".".join(path.relative_to(ROOT / "core").with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level)[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names = [f"{module}.{alias.name}" for alias in node.names]
            # `from . import x` imports the module x, not its package's __init__
            found |= {n for n in [module] * bool(node.module) + names if n in CORE_MODULES}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in CORE_MODULES}
    return found - {package.removesuffix(".__init__")}


CORE_FILES = sorted((ROOT / "core").rglob("*.py"))
CORE_MODULES = {
    ".".join(p.relative_to(ROOT / "core").with_suffix("").parts).removesuffix(".__init__")
    for p in CORE_FILES
}


def test_no_core_modules_import_each_other_in_a_circle():
    graph = {
        ".".join(p.relative_to(ROOT / "core").with_suffix("").parts).removesuffix(".__init__"): (
            _imports(p)
        )
        for p in CORE_FILES
    }
    graph["steep"] = graph.get("steep", set())

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for module in sorted(graph.get(path[-1], ())):
            if module == start:
                return [*path, module]
            if module not in path:
                found = cycle_from(start, [*path, module])
                if found:
                    return found
        return None

    for module in sorted(graph):
        circle = cycle_from(module, [module])
        assert circle is None, f"import circle: {' -> '.join(circle)}"


def test_every_core_module_is_small_says_what_it_holds_and_is_in_contributing():
    layout = (ROOT / "CONTRIBUTING.md").read_text()
    for path in CORE_FILES:
        relative = path.relative_to(ROOT / "core" / "steep").as_posix()
        if path.name != "__main__.py":
            assert ast.get_docstring(ast.parse(path.read_text())), f"{relative} has no docstring"
        assert len(path.read_text().splitlines()) <= 350, f"{relative} is over 350 lines"
        folder, _, name = relative.rpartition("/")
        listed = (
            rf"^  {re.escape(folder)}/ .*\n(?:    .*\n)*?    {re.escape(name)} "
            if folder
            else rf"^  {re.escape(name)} "
        )
        assert re.search(listed, layout, re.M), f"CONTRIBUTING.md's layout does not list {relative}"


def test_the_core_depends_only_on_its_allowed_libraries():
    names = {re.split(r"[<>=!~ ;\[]", d)[0] for d in project(ROOT)["dependencies"]}
    assert names <= {"pluggy", "numpy", "attrs", "importlib-metadata", "tqdm"}


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


FAULT_TESTS = (
    "test_faults.py",
    "test_plugin_faults.py",
    "test_journal_faults.py",
    "test_race_faults.py",
)


def test_the_table_of_faults_and_the_fault_tests_agree():
    page = (ROOT / "docs" / "failures.md").read_text()
    named = set(re.findall(r"`(test_\w+\.py)::(test_\w+)`", page))
    defined = {
        (path.name, node.name)
        for path in (ROOT / "tests").glob("test_*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    assert named - defined == set(), "docs/failures.md names tests that do not exist"
    unnamed = {(f, t) for f, t in defined if f in FAULT_TESTS} - named
    assert not unnamed, f"fault tests missing from docs/failures.md's table: {sorted(unnamed)}"
