"""What users type for a race, parsed: lists of names, tags, dimensions, seeds, targets."""

from __future__ import annotations

import math

from steep import UsageError
from steep.registry import Registry
from steep.tags import KNOWN_TAGS

from .variants import parse_variant


def _split(text: str, label: str) -> list[str]:
    items = [part.strip() for part in text.split(",")]
    if not any(items):
        raise UsageError(f"--{label}: expected a comma-separated list, got {text!r}")
    return [item for item in items if item]


def parse_integer(text: str, label: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--{label}: {text!r} is not an integer") from None
    if value < minimum:
        raise UsageError(f"--{label}: {value} must be at least {minimum}")
    return value


def parse_positive_int(text: str, label: str) -> int:
    return parse_integer(text, label, 1)


def parse_dims(text: str) -> tuple[int, ...]:
    return tuple(sorted({parse_integer(part, "dims", 1) for part in _split(text, "dims")}))


def parse_seeds(text: str) -> tuple[int, tuple[int, ...] | None]:
    """``"5"``: five derived seeds; ``"3,7,11"`` (or ``"7,"``): exactly those seeds."""
    if "," not in text:
        return parse_integer(text.strip(), "seeds", 1), None
    seeds = tuple(parse_integer(part, "seeds", 0) for part in _split(text, "seeds"))
    if len(set(seeds)) != len(seeds):
        raise UsageError(f"--seeds: {text!r} repeats a seed")
    return len(seeds), seeds


def parse_target(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--target: {text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise UsageError(f"--target: {text!r} must be a positive finite number")
    return value


def select_optimizers(text: str | None, registry: Registry) -> tuple[str, ...]:
    """The optimizers named in ``text`` (all installed when ``None``), or configured variants
    of them (``bfgs/restarts=9``, see :mod:`steep.race.variants`)."""
    if text is None:
        names = registry.names("optimizer")
        if not names:
            raise UsageError("no optimizers are installed: pip install a steep optimizer plugin")
        return tuple(names)
    names = _split(text, "optimizers")
    for name in names:
        parse_variant(name, registry)  # a name, or a configured variant of one
    return tuple(dict.fromkeys(names))


def select_landscapes(text: str | None, registry: Registry) -> tuple[str, ...]:
    """The landscapes named in ``text``, or having a tag named there (all when ``None``)."""
    installed = registry.names("landscape")
    if text is None:
        if not installed:
            raise UsageError("no landscapes are installed: pip install a steep landscape plugin")
        return tuple(installed)
    chosen: list[str] = []
    for word in _split(text, "landscapes"):
        if word in installed:
            chosen.append(word)
            continue
        tagged = [n for n in installed if word in registry.landscape(n).tags]
        if tagged:
            chosen.extend(tagged)
            continue
        if word in KNOWN_TAGS:
            raise UsageError(f"--landscapes: no installed landscape has the tag {word!r}")
        all_tags = sorted({t for n in installed for t in registry.landscape(n).tags})
        try:
            registry.get("landscape", word)
        except UsageError as error:
            raise UsageError(
                f"--landscapes: {error}; nor is {word!r} a tag of an installed landscape "
                f"(tags: {', '.join(all_tags) or 'none'})"
            ) from None
    return tuple(dict.fromkeys(chosen))
