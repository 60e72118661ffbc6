"""What is installed: the optimizers and landscapes of a registry, described for people.

Both are mappings from name to description, in name order, as nevergrad's registry::

    "bfgs" in steep.optimizers()          # is it installed?
    steep.optimizers()["bfgs"].options     # its options, defaults and docs
    for name, info in steep.landscapes().items(): ...
"""

from __future__ import annotations

import attrs

from . import options as options_module
from .errors import SteepError
from .guard import guarded
from .landscape import Minimum
from .options import OptionInfo
from .plugins import get_registry
from .registry import Registry
from .space import Bounds


@attrs.frozen
class OptimizerInfo:
    """An installed optimizer, as ``steep show`` describes it.

    ``summary`` is the first line of its docstring, ``plugin`` the plugin that registered
    it, ``parallelism`` how it uses parallel workers, ``options`` one
    :class:`steep.options.OptionInfo` per option (name, type, default, doc),
    ``is_default`` whether it is offered as the optimizer used when none is named, and
    ``needs_box`` whether it needs bounds (else it searches from ``x0`` alone).
    """

    name: str
    summary: str
    plugin: str
    parallelism: str
    options: list[OptionInfo]
    is_default: bool
    needs_box: bool


@attrs.frozen(eq=False)
class LandscapeInfo:
    """An installed landscape, described in its default dimension ``default_dim``.

    ``story`` says what it models, ``tags`` describe its terrain, ``fixed_dim`` is the
    only dimension it takes (``None``: any), ``bounds`` its box, ``minimum`` its known
    global minimum (:class:`steep.Minimum`, or ``None``), ``unit`` the unit of a
    coordinate, ``plugin`` the plugin that registered it, and ``is_default`` whether it is
    the landscape used when none is named.
    """

    name: str
    story: str
    tags: frozenset[str]
    plugin: str
    fixed_dim: int | None
    default_dim: int
    bounds: Bounds
    minimum: Minimum | None
    unit: str
    is_default: bool


def optimizers(registry: Registry | None = None) -> dict[str, OptimizerInfo]:
    """The installed optimizers: a mapping from name to :class:`OptimizerInfo`, by name.

    Iterating it yields the names, in order; ``"bfgs" in steep.optimizers()`` asks whether
    one is installed. ``registry`` defaults to the process's own
    (:func:`steep.plugins.get_registry`).
    """
    registry = registry or get_registry()
    return {
        entry.name: OptimizerInfo(
            name=entry.name,
            summary=entry.item.summary(),
            plugin=entry.plugin,
            parallelism=entry.item.parallelism,
            options=options_module.describe(entry.item.Options),
            is_default=entry.default,
            needs_box=entry.item.needs_box,
        )
        for entry in (registry.get("optimizer", n) for n in registry.names("optimizer"))
    }


def landscapes(registry: Registry | None = None) -> dict[str, LandscapeInfo]:
    """The installed landscapes: a mapping from name to :class:`LandscapeInfo`, by name.

    Iterating it yields the names, in order; ``"bowl" in steep.landscapes()`` asks whether
    one is installed. A landscape that fails to describe itself is left out, and its fault
    added to its plugin's errors in ``registry`` (so ``steep plugins`` shows it).
    """
    registry = registry or get_registry()
    infos: dict[str, LandscapeInfo] = {}
    for name in registry.names("landscape"):
        entry = registry.get("landscape", name)
        try:
            with guarded(entry.plugin, f"landscape {name!r}"):
                landscape = entry.item()
                bounds, minimum = landscape.bounds, landscape.minimum
        except SteepError as error:
            registry.plugins[entry.plugin].errors.append(getattr(error, "reason", str(error)))
            continue
        infos[name] = LandscapeInfo(
            name=name,
            story=" ".join(entry.item.story.split()),
            tags=frozenset(entry.item.tags),
            plugin=entry.plugin,
            fixed_dim=entry.item.fixed_dim,
            default_dim=landscape.dim,
            bounds=bounds,
            minimum=minimum,
            unit=entry.item.unit,
            is_default=entry.default,
        )
    return infos
