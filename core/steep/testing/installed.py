"""The plugin checked as users get it: found through its entry point, its hooks marked and known.

PYTEST_DONT_REWRITE: its asserts' messages are the kit's own, said in full.
"""

from __future__ import annotations

import re
from importlib.metadata import EntryPoint, entry_points

from .. import plugins
from ..registry import PluginInfo, Registry
from .kit import Check, Rule, checks_of


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _entry_points_of(distribution: str) -> list[EntryPoint]:
    wanted = _normal(distribution)
    return [
        ep
        for ep in entry_points(group=plugins.ENTRY_POINT_GROUP)
        if _normal(ep.name) == wanted
        or (ep.dist is not None and _normal(ep.dist.metadata["Name"]) == wanted)
    ]


def _has_entry_point(distribution: str) -> None:
    if _entry_points_of(distribution):
        return
    others = sorted(ep.name for ep in entry_points(group=plugins.ENTRY_POINT_GROUP))
    package = distribution.replace("-", "_")
    raise AssertionError(
        f"no entry point in the {plugins.ENTRY_POINT_GROUP!r} group belongs to "
        f"{distribution!r} (entry points found: {', '.join(others) or 'none'}); add "
        f'[project.entry-points.steep] {distribution} = "{package}" to its pyproject.toml '
        "and install it again (pip install DIR)"
    )


def _loaded(distribution: str) -> tuple[Registry, list[PluginInfo]]:
    """The registry of ``distribution`` alone (and the core), and its plugins' records."""
    names = {ep.name for ep in _entry_points_of(distribution)}
    assert names, f"{distribution!r} has no entry point in the 'steep' group: steep never loads it"
    registry = plugins.load_registry(environ={"STEEP_PLUGINS": ",".join(sorted(names))})
    infos = [registry.plugins[name] for name in sorted(names) if name in registry.plugins]
    assert infos, f"{distribution!r} was not loaded: {'; '.join(registry.warnings)}"
    return registry, infos


def _loads_cleanly(distribution: str) -> None:
    registry, infos = _loaded(distribution)
    problems = [*(e for info in infos for e in info.errors), *registry.conflicts]
    assert not problems, "; ".join(problems)


def _registers_something(distribution: str) -> None:
    _, infos = _loaded(distribution)
    registering = {*plugins.REGISTRATION_HOOKS.values(), "register_hooks"}
    assert any(info.registers or set(info.hooks) - registering for info in infos), (
        f"{distribution!r} loads but registers nothing and observes no run: its entry-point "
        "module has no function both named after a hook and marked @steep.hookimpl, or its "
        "registration hooks never call register(...)"
    )


PLUGIN_RULES: dict[str, Rule] = {
    "has_a_steep_entry_point": Rule(
        _has_entry_point,
        "the installed distribution has an entry point in the 'steep' group",
        'declare [project.entry-points.steep] NAME = "your_package" in pyproject.toml, '
        "naming the entry point after the distribution, and pip install it again",
    ),
    "loads_and_registers_cleanly": Rule(
        _loads_cleanly,
        "its module imports, its hooks are marked and known, its registrations are valid",
        "mark every hook function with @steep.hookimpl, name it exactly after a hook "
        "(docs/plugin-hooks.md), and register only classes that pass their own checks",
    ),
    "implements_a_hook": Rule(
        _registers_something,
        "loaded alone, it registers something or observes runs",
        "define register_optimizers / register_landscapes / ... in the entry point's module, "
        "decorated with @steep.hookimpl, and call register(cls) in it",
    ),
}


def plugin_checks(distribution: str) -> list[Check]:
    """The checks of an installed plugin distribution (``"steep-my-plugin"``), one
    :class:`Check` per rule: found through its entry point in the ``steep`` group, loaded
    alone (``STEEP_PLUGINS``), its hooks marked with ``@steep.hookimpl`` and known, with no
    plugin errors, and registering something."""
    return checks_of(distribution, PLUGIN_RULES, distribution)


def check_installed_plugin(distribution: str) -> None:
    """Run every check of the installed plugin ``distribution``; raise
    :class:`CheckFailure` at the first broken rule."""
    for check in plugin_checks(distribution):
        check()
