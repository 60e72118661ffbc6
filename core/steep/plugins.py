"""Finding and loading plugins, tolerant of broken ones.

Plugins are found through the ``steep`` entry-point group. ``STEEP_PLUGINS`` restricts
which load (``""``: none; ``"a,b"``: only those, by entry-point or distribution name);
``STEEP_STRICT_PLUGINS=1`` turns a plugin failure into an error. The core's own defaults
(the ``serial`` and ``processes`` evaluators) are plugins too, registered first and always
loaded.
"""

from __future__ import annotations

import difflib
import importlib
import os
from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from typing import Any

import pluggy

from . import hookspecs
from .errors import PluginError
from .registry import KINDS, PluginInfo, Registry

ENTRY_POINT_GROUP = "steep"
INTERNAL_PLUGINS = ("steep.evaluator", "steep.pool")
REGISTRATION_HOOKS = {kind: f"register_{kind}s" for kind in KINDS}


def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("steep")
    manager.add_hookspecs(hookspecs)
    return manager


def _allowed(environ: Mapping[str, str]) -> set[str] | None:
    value = environ.get("STEEP_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _unknown_hooks(plugin: Any) -> list[str]:
    known = hookspecs.all_hooks()
    problems = []
    for attribute in dir(plugin):
        value = getattr(plugin, attribute, None)
        if attribute.startswith("_") or not hasattr(value, "steep_impl"):
            continue
        if attribute not in known:
            close = difflib.get_close_matches(attribute, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"implements unknown hook {attribute!r}{hint}")
    return problems


class _Loader:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.manager = plugin_manager()
        self.registry = Registry(hook=self.manager.hook)

    def fail(self, info: PluginInfo, message: str) -> None:
        if info.distribution:
            how = f"exclude it with STEEP_PLUGINS or `pip uninstall {info.distribution}`"
        else:
            how = "remove it from the plugins passed in"
        info.errors.append(f"{message} ({how})")
        if self.strict:
            raise PluginError(info.name, message)

    def add(self, info: PluginInfo, plugin: Any) -> None:
        self.registry.plugins[info.name] = info
        problems = _unknown_hooks(plugin)
        if problems:
            for problem in problems:
                self.fail(info, problem)
            return
        try:
            self.manager.register(plugin, name=info.name)
        except Exception as error:
            if self.manager.is_registered(plugin):
                self.manager.unregister(plugin)
            self.fail(info, f"rejected by the plugin manager: {error}")
            return
        info.hooks = sorted(caller.name for caller in self.manager.get_hookcallers(plugin) or [])

    def load_entry_point(self, entry_point: Any) -> None:
        dist = entry_point.dist
        info = PluginInfo(
            name=entry_point.name,
            version=dist.version if dist else None,
            distribution=dist.metadata["Name"] if dist else None,
        )
        if info.name in self.registry.plugins:
            self.fail(info, "another installed distribution uses the same plugin name")
            return
        try:
            plugin = entry_point.load()
        except Exception as error:
            self.registry.plugins[info.name] = info
            self.fail(info, f"import failed: {type(error).__name__}: {error}")
            return
        self.add(info, plugin)

    def call_registration_hooks(self) -> None:
        for kind, hook_name in REGISTRATION_HOOKS.items():
            for impl in getattr(self.manager.hook, hook_name).get_hookimpls():
                info = self.registry.plugins[impl.plugin_name]
                register = self.registry.register_callback(kind, impl.plugin_name)
                try:
                    impl.function(**dict.fromkeys(impl.argnames, register))
                except Exception as error:
                    self.fail(info, f"{hook_name} failed: {type(error).__name__}: {error}")


def load_registry(
    *,
    plugins: Iterable[tuple[str, Any]] = (),
    environ: Mapping[str, str] | None = None,
    use_entry_points: bool = True,
) -> Registry:
    """Load the core's defaults, the installed plugins and ``plugins`` (name, object) pairs."""
    environ = os.environ if environ is None else environ
    strict = environ.get("STEEP_STRICT_PLUGINS", "").strip().lower() in {"1", "true", "yes"}
    allowed = _allowed(environ)
    loader = _Loader(strict)
    from . import __version__

    for module_name in INTERNAL_PLUGINS:
        info = PluginInfo(name=module_name, version=__version__, distribution="steep")
        loader.add(info, importlib.import_module(module_name))
    if use_entry_points:
        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        for entry_point in found:
            dist_name = entry_point.dist.metadata["Name"] if entry_point.dist else None
            if allowed is None or entry_point.name in allowed or dist_name in allowed:
                loader.load_entry_point(entry_point)
    for name, plugin in plugins:
        loader.add(PluginInfo(name=name), plugin)
    loader.call_registration_hooks()
    return loader.registry


_registry: Registry | None = None


def get_registry() -> Registry:
    """The registry of this process, loaded on first use."""
    global _registry
    if _registry is None:
        _registry = load_registry()
    return _registry


def reset_registry() -> None:
    """Forget the loaded registry, so the next :func:`get_registry` loads plugins anew."""
    global _registry
    _registry = None
