"""Finding and loading plugins into a registry, tolerant of broken ones.

Plugins are found through the ``steep`` entry-point group. ``STEEP_PLUGINS`` restricts
which load (``""``: none; ``"a,b"``: only those, by entry-point or distribution name);
``STEEP_STRICT_PLUGINS=1`` turns a plugin failure into an error. The core's own features
(the ``serial`` and ``processes`` evaluators, the CLI commands, race and diagnose) are
plugins too, loaded first and always.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import os
import types
import warnings
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import entry_points
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .errors import PluginError, PluginWarning
from .guard import call_hook, describe, guarded
from .markers import PROJECT
from .registry import KINDS, PluginInfo, Registry
from .version import __version__

ENTRY_POINT_GROUP = "steep"
INTERNAL_PLUGINS = (
    "steep.evaluator",
    "steep.pool",
    "steep.commands",
    "steep.race.command",
    "steep.diagnosis.command",
    "steep.scaffold.command",
)
REGISTRATION_HOOKS = {kind: f"register_{kind}s" for kind in KINDS}
ENVIRONMENT = ("STEEP_PLUGINS", "STEEP_STRICT_PLUGINS")


@attrs.frozen
class Source:
    """What a registry was loaded from: enough to load the same one in another process.

    ``plugins`` are (name, plugin) pairs given in-process; a module is kept by its name.
    """

    plugins: tuple[tuple[str, Any], ...]
    environ: tuple[tuple[str, str], ...]
    use_entry_points: bool


def _allowed(environ: Mapping[str, str]) -> set[str] | None:
    value = environ.get("STEEP_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


class _Loader:
    def __init__(self, strict: bool, source: Source) -> None:
        self.strict = strict
        self.manager = pluggy.PluginManager(PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.registry = Registry(hook=self.manager.hook, source=source, rebuild=rebuild)
        self.loaded: list[tuple[PluginInfo, Any]] = []

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
        try:
            self.manager.register(plugin, name=info.name)
        except Exception as error:
            if self.manager.get_plugin(info.name) is plugin:  # half-registered by this call
                self.manager.unregister(plugin)
            self.fail(info, f"rejected by the plugin manager: {describe(error)}")
            return
        self.loaded.append((info, plugin))
        function = getattr(plugin, "register_hooks", None)
        if hasattr(function, "steep_impl"):
            try:
                with guarded(info.name, "register_hooks"):
                    function(register=self.manager.add_hookspecs)
            except PluginError as error:
                self.fail(info, error.reason)

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
            self.fail(info, f"import failed: {describe(error)}")
            return
        self.add(info, plugin)

    def check_hooks(self) -> None:
        """Refuse plugins implementing hooks nobody declared; warn of unmarked hook names."""
        hooks = self.manager.hook
        known = {n for n in dir(hooks) if not n.startswith("_") and getattr(hooks, n).spec}
        for info, plugin in self.loaded:
            problems = []
            for attribute in dir(plugin):
                value = getattr(plugin, attribute, None)
                if attribute.startswith("_") or not callable(value):
                    continue
                marked = hasattr(value, "steep_impl")
                if marked and attribute not in known:
                    close = difflib.get_close_matches(attribute, sorted(known), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(f"implements unknown hook {attribute!r}{hint}")
                elif not marked and attribute in known and not isinstance(value, type):
                    info.errors.append(
                        f"function {attribute!r} is named like a hook but not marked "
                        "@steep.hookimpl, so steep never calls it"
                    )
            if problems:
                self.manager.unregister(plugin)
                for problem in problems:
                    self.fail(info, problem)
                continue
            info.hooks = sorted(c.name for c in self.manager.get_hookcallers(plugin) or [])

    def call_registration_hooks(self) -> None:
        for kind, hook_name in REGISTRATION_HOOKS.items():
            call_hook(
                getattr(self.manager.hook, hook_name),
                lambda plugin, kind=kind: {
                    "register": self.registry.register_callback(kind, plugin)
                },
                lambda plugin, message: self.fail(self.registry.plugins[plugin], message),
            )
        if self.strict and self.registry.errors:  # names registered twice
            raise PluginError(None, self.registry.errors[0])


def _plugin_reference(name: str, plugin: Any) -> tuple[str, Any]:
    return (name, plugin.__name__) if isinstance(plugin, types.ModuleType) else (name, plugin)


def _load(source: Source) -> Registry:
    environ = dict(source.environ)
    strict = environ.get("STEEP_STRICT_PLUGINS", "").strip().lower() in {"1", "true", "yes"}
    allowed = _allowed(environ)
    loader = _Loader(strict, source)
    for module_name in INTERNAL_PLUGINS:
        info = PluginInfo(name=module_name, version=__version__, distribution="steep")
        loader.add(info, importlib.import_module(module_name))
    if source.use_entry_points:
        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        matched: set[str] = set()
        for entry_point in found:
            dist_name = entry_point.dist.metadata["Name"] if entry_point.dist else None
            if allowed is None or entry_point.name in allowed or dist_name in allowed:
                matched.update({entry_point.name, dist_name or ""})
                loader.load_entry_point(entry_point)
        for name in sorted((allowed or set()) - matched):
            loader.registry.warnings.append(
                f"STEEP_PLUGINS names {name!r}, which matches no installed plugin"
            )
    for name, plugin in source.plugins:
        if isinstance(plugin, str):
            plugin = importlib.import_module(plugin)
        loader.add(PluginInfo(name=name, version=getattr(plugin, "__version__", None)), plugin)
    loader.check_hooks()
    loader.call_registration_hooks()
    return loader.registry


def load_registry(
    *,
    plugins: Iterable[tuple[str, Any]] = (),
    environ: Mapping[str, str] | None = None,
    use_entry_points: bool = True,
) -> Registry:
    """Load the core's own plugins, the installed ones and ``plugins`` (name, object) pairs.

    ``environ`` (default ``os.environ``) is read for ``STEEP_PLUGINS`` and
    ``STEEP_STRICT_PLUGINS``.
    """
    environ = os.environ if environ is None else environ
    source = Source(
        plugins=tuple(_plugin_reference(name, plugin) for name, plugin in plugins),
        environ=tuple((key, environ[key]) for key in ENVIRONMENT if key in environ),
        use_entry_points=use_entry_points,
    )
    return _load(source)


@functools.lru_cache(maxsize=8)
def _rebuild_cached(source: Source) -> Registry:
    return _load(source)


def rebuild(source: Source) -> Registry:
    """The registry ``source`` describes, loaded once per process (how registries unpickle)."""
    try:
        hash(source)
    except TypeError:  # an in-process plugin object that cannot be hashed
        return _load(source)
    return _rebuild_cached(source)


_default: Registry | None = None


def get_registry(*, warn: bool = True) -> Registry:
    """The registry of this process, what ``registry=None`` means everywhere: loaded on
    first use, its plugin problems then warned of once (:class:`steep.PluginWarning`)
    unless ``warn`` is false (the CLI prints them itself)."""
    global _default
    if _default is None:
        _default = load_registry()
        for problem in _default.errors + _default.warnings if warn else ():
            warnings.warn(problem, PluginWarning, stacklevel=2)
    return _default


def reset_registry() -> None:
    """Forget the process's registry, so the next :func:`get_registry` loads plugins anew."""
    global _default
    _default = None


@contextlib.contextmanager
def using(registry: Registry) -> Iterator[Registry]:
    """Inside the block, ``registry`` is the process's registry; afterwards the one before.

    For tests and embedding programs that call code taking ``registry=None``.
    """
    global _default
    before, _default = _default, registry
    try:
        yield registry
    finally:
        _default = before
