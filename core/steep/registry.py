"""What the loaded plugins registered, and which plugin registered what.

A :class:`Registry` is handed explicitly to whatever uses plugins. It pickles as the recipe
it was loaded from, so a worker process rebuilds exactly the registry it was given.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from .errors import UsageError
from .evaluator import Evaluator
from .landscape import Landscape
from .optimizer import Optimizer
from .tags import TAG_PATTERN
from .version import __version__

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
KINDS = ("optimizer", "landscape", "evaluator", "command")


class Register(Protocol):
    def __call__(self, item: Any, *args: Any, **kwargs: Any) -> None: ...


@attrs.frozen
class Entry:
    """One registered item: its ``kind``, ``name``, the object, and the plugin it came from."""

    kind: str
    name: str
    item: Any
    plugin: str
    default: bool = False
    extra: dict[str, Any] = attrs.field(factory=dict)


@attrs.define
class PluginInfo:
    """A plugin as ``steep plugins`` shows it."""

    name: str
    version: str | None = None
    distribution: str | None = None
    registers: dict[str, list[str]] = attrs.field(factory=dict)
    hooks: list[str] = attrs.field(factory=list)
    errors: list[str] = attrs.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _check_name(kind: str, name: Any) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            f"{kind} name {name!r} must be lowercase letters and digits, words joined by '-'"
        )
    return name


def _check_class(kind: str, item: Any, base: type) -> str:
    if not (isinstance(item, type) and issubclass(item, base)):
        raise ValueError(f"{kind} {item!r} must be a subclass of steep.{base.__name__}")
    return _check_name(kind, getattr(item, "name", None))


def _validate_optimizer(item: Any) -> str:
    name = _check_class("optimizer", item, Optimizer)
    if not attrs.has(item.Options):
        raise ValueError(f"optimizer {name!r}: Options must be an attrs class")
    try:
        item.Options()
    except Exception as error:
        raise ValueError(f"optimizer {name!r}: Options() with defaults fails: {error}") from None
    for method in ("ask", "tell"):
        if getattr(item, method) is getattr(Optimizer, method):
            raise ValueError(f"optimizer {name!r} does not implement {method}()")
    if not item.summary():
        raise ValueError(f"optimizer {name!r} needs a docstring (its first line is its summary)")
    return name


def _validate_landscape(item: Any) -> str:
    name = _check_class("landscape", item, Landscape)
    story = getattr(item, "story", "")
    if not isinstance(story, str) or not story.strip():
        raise ValueError(f"landscape {name!r} needs a story")
    for tag in item.tags:
        if not isinstance(tag, str) or not TAG_PATTERN.match(tag):
            raise ValueError(f"landscape {name!r}: tag {tag!r} must be a lowercase word")
    if item.evaluate is Landscape.evaluate:
        raise ValueError(f"landscape {name!r} does not implement evaluate()")
    return name


def _validate_evaluator(item: Any) -> str:
    name = _check_class("evaluator", item, Evaluator)
    if item.evaluate is Evaluator.evaluate:
        raise ValueError(f"evaluator {name!r} does not implement evaluate()")
    return name


@attrs.define
class Registry:
    """Everything the loaded plugins registered, by kind and name, with their plugins."""

    entries: dict[str, dict[str, Entry]] = attrs.field(factory=lambda: {k: {} for k in KINDS})
    plugins: dict[str, PluginInfo] = attrs.field(factory=dict)
    hook: Any = None
    #: Names registered by two plugins, and problems of no single plugin (``STEEP_PLUGINS``).
    conflicts: list[str] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)
    #: How to load this registry again (``rebuild(source)``), for other processes.
    source: Any = None
    rebuild: Callable[[Any], Registry] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        if self.rebuild is None:
            raise TypeError("this registry was not loaded from a recipe and cannot be sent")
        return self.rebuild, (self.source,)

    def register_callback(self, kind: str, plugin: str) -> Callable[..., None]:
        """The ``register`` callback handed to ``plugin``'s registration hook for ``kind``."""

        def register(item: Any, *args: Any, default: bool = False, **extra: Any) -> None:
            if kind == "command":
                name = _check_name("command", item)
                extra = {"run": args[0] if args else extra.pop("run", None), **extra}
                if not callable(extra["run"]):
                    raise ValueError(f"command {name!r} needs a callable run(args)")
            else:
                name = VALIDATORS[kind](item)
            taken = self.entries[kind].get(name)
            if taken is not None:  # the fault of neither plugin alone: say so once, go on
                self.conflicts.append(
                    f"{kind} name {name!r} is registered by both plugin {taken.plugin!r} and "
                    f"plugin {plugin!r}; {taken.plugin!r}'s, loaded first, is used; to use "
                    f"{plugin!r}'s, exclude {taken.plugin!r} with STEEP_PLUGINS or uninstall it"
                )
                return
            self.entries[kind][name] = Entry(kind, name, item, plugin, default, extra)
            self.plugins[plugin].registers.setdefault(kind, []).append(name)

        return register

    def names(self, kind: str) -> list[str]:
        return sorted(self.entries[kind])

    def get(self, kind: str, name: str) -> Entry:
        """The entry ``name`` of ``kind``, or :class:`UsageError` suggesting close names."""
        try:
            return self.entries[kind][name]
        except KeyError:
            pass
        known = self.names(kind)
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        listing = f" (installed: {', '.join(known)})" if known else f" (no {kind}s are installed)"
        broken = [p.name for p in self.plugins.values() if p.errors]
        failed = (
            f"; plugin(s) {', '.join(map(repr, broken))} failed to load, see `steep plugins`"
            if broken and not close
            else ""
        )
        raise UsageError(f"unknown {kind} {name!r}{hint}{listing if not close else ''}{failed}")

    def default(self, kind: str) -> Entry:
        """The entry of ``kind`` offered as default (the first by name if several are)."""
        offered = [e for e in self.entries[kind].values() if e.default]
        if not offered:
            raise UsageError(f"no default {kind} is installed; name one explicitly")
        return min(offered, key=lambda e: e.name)

    def optimizer(self, name: str) -> type[Optimizer]:
        return self.get("optimizer", name).item

    def landscape(self, name: str) -> type[Landscape]:
        return self.get("landscape", name).item

    def evaluator(self, name: str) -> type[Evaluator]:
        return self.get("evaluator", name).item

    def versions(self, *entries: tuple[str, str]) -> dict[str, str | None]:
        """The versions of steep and of the plugin distributions that registered
        ``entries`` ((kind, name) pairs; every loaded distribution when none are given)."""
        if entries:
            named = (self.entries[kind].get(name) for kind, name in entries)
            infos = [self.plugins[entry.plugin] for entry in named if entry is not None]
        else:
            infos = [i for i in self.plugins.values() if i.distribution or i.version]
        found: dict[str, str | None] = {"steep": __version__}
        for info in infos:
            if info.distribution != "steep":
                found[info.distribution or info.name] = info.version
        return found

    @property
    def errors(self) -> list[str]:
        """Every plugin problem, one line each: what broke and how to get rid of it."""
        return [
            *(f"plugin {p.name}: {e}" for p in self.plugins.values() for e in p.errors),
            *self.conflicts,
        ]


VALIDATORS: dict[str, Callable[[Any], str]] = {
    "optimizer": _validate_optimizer,
    "landscape": _validate_landscape,
    "evaluator": _validate_evaluator,
}
