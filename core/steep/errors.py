"""The exceptions steep raises, each meant to be read by a person."""

from __future__ import annotations

from typing import Any


class SteepError(Exception):
    """Base class of every error steep raises on purpose."""


class UsageError(SteepError, ValueError):
    """Bad input from the user: an unknown name, bad bounds, an ill-typed option.

    The CLI prints the message on one line and exits with status 2.
    """


class PluginError(SteepError):
    """A plugin broke its contract (failed to load, or misbehaved during a run).

    Raised during a run, ``result`` holds the :class:`steep.Result` of the run so far.
    """

    def __init__(self, plugin: str | None, message: str, result: Any = None) -> None:
        self.plugin = plugin
        self.reason = message
        self.result = result
        who = f"plugin {plugin!r}" if plugin else "an unregistered plugin"
        super().__init__(f"{who}: {message}")


class SteepWarning(UserWarning):
    """Something a person should know that does not stop the work (a torn journal line)."""


class PluginWarning(SteepWarning):
    """A plugin was found broken and left out, or one of its hooks was switched off."""
