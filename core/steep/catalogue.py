"""What is installed: the optimizers and landscapes of a registry, described for people."""

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
    """An installed optimizer: its name, summary, plugin and options."""

    name: str
    summary: str
    plugin: str
    parallelism: str
    options: list[OptionInfo]
    is_default: bool


@attrs.frozen(eq=False)
class LandscapeInfo:
    """An installed landscape, described in its default dimension."""

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


def optimizers(registry: Registry | None = None) -> list[OptimizerInfo]:
    """The installed optimizers, by name, with descriptions and option defaults."""
    registry = registry or get_registry()
    return [
        OptimizerInfo(
            name=entry.name,
            summary=entry.item.summary(),
            plugin=entry.plugin,
            parallelism=entry.item.parallelism,
            options=options_module.describe(entry.item.Options),
            is_default=entry.default,
        )
        for entry in (registry.get("optimizer", n) for n in registry.names("optimizer"))
    ]


def landscapes(registry: Registry | None = None) -> list[LandscapeInfo]:
    """The installed landscapes, by name, with stories, tags, bounds and minima.

    A landscape that fails to describe itself is left out, and its fault added to its
    plugin's errors in ``registry`` (so ``steep plugins`` shows it).
    """
    registry = registry or get_registry()
    infos = []
    for name in registry.names("landscape"):
        entry = registry.get("landscape", name)
        try:
            with guarded(entry.plugin, f"landscape {name!r}"):
                landscape = entry.item()
                bounds, minimum = landscape.bounds, landscape.minimum
        except SteepError as error:
            registry.plugins[entry.plugin].errors.append(getattr(error, "reason", str(error)))
            continue
        infos.append(
            LandscapeInfo(
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
        )
    return infos
