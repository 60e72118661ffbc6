"""The one way into plugin code: every call names its plugin, and a fault stays that plugin's.

Plugin code is anything a plugin wrote: registration hooks, observers, commands, an
optimizer's ``ask``/``tell``, an evaluator, a landscape's properties. :func:`guarded` turns
an exception raised there into a :class:`PluginError` that names the plugin and what it was
doing; :func:`call_hook` calls each implementation of a hook apart, so that one plugin's
fault is reported against it while the others still run. steep's own errors and Ctrl-C
pass through unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Container, Iterator, Mapping
from typing import Any

from .errors import PluginError, SteepError

#: Called with (plugin name, message) when a hook implementation raises.
OnFault = Callable[[str, str], None]


def describe(error: BaseException) -> str:
    """``error`` on one line: its type, and its message with whitespace collapsed."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextlib.contextmanager
def guarded(
    plugin: str | None, action: str, *, result: Callable[[], Any] | None = None
) -> Iterator[None]:
    """Run plugin code: an exception other than steep's own becomes a :class:`PluginError`
    saying ``"{action} raised {error}"``, carrying ``result()`` (the run so far) if given."""
    try:
        yield
    except (SteepError, BrokenPipeError):  # a reader that left early is nobody's fault
        raise
    except Exception as error:
        so_far = None if result is None else result()
        raise PluginError(plugin, f"{action} raised {describe(error)}", result=so_far) from error


def call_hook(
    caller: Any,
    arguments: Mapping[str, Any] | Callable[[str], Mapping[str, Any]],
    on_fault: OnFault,
    skip: Container[str] = (),
) -> list[Any]:
    """Call every implementation of the hook ``caller``, each apart, in the order the plugins
    were loaded (the core's first); a raising one is reported to ``on_fault`` and skipped.

    ``arguments`` may be a function of the plugin's name, for arguments of its own (the
    ``register`` callback that knows who registers). Plugins named in ``skip`` are not
    called. Implementations may take fewer arguments than the specification, as with pluggy.
    """
    results = []
    for impl in caller.get_hookimpls():
        if impl.plugin_name in skip:
            continue
        given = arguments(impl.plugin_name) if callable(arguments) else arguments
        try:
            results.append(impl.function(**{name: given[name] for name in impl.argnames}))
        except Exception as error:
            on_fault(impl.plugin_name, f"{caller.name} raised {describe(error)}")
    return results
