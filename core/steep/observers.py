"""The observers of one run: the plugins' observer hooks, each switched off for the rest of the
run when it raises, with a warning naming its plugin (observers are not part of the answer)."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from .errors import PluginWarning
from .guard import call_hook

LOG = logging.getLogger("steep.run")


class Observers:
    """Calls ``hook``'s observer implementations (``hook`` may be ``None``: nobody listens)."""

    def __init__(self, hook: Any) -> None:
        self.hook = hook
        self.warnings: list[str] = []
        self.silenced: set[str] = set()
        #: Whether anyone implements ``batch_evaluated``, called on every batch.
        self.watch_batches = hook is not None and bool(hook.batch_evaluated.get_hookimpls())

    def notify(self, hook_name: str, **arguments: Any) -> None:
        if self.hook is not None:
            call_hook(getattr(self.hook, hook_name), arguments, self._failed, self.silenced)

    def _failed(self, plugin: str, message: str) -> None:
        self.silenced.add(plugin)
        warning = f"plugin {plugin}: {message}; its observers are off for the rest of this run"
        self.warnings.append(warning)
        LOG.info(warning)
        warnings.warn(warning, PluginWarning, stacklevel=4)
