"""The markers that make a function a steep hook: ``hookspec`` declares one, ``hookimpl``
implements one."""

from __future__ import annotations

import pluggy

PROJECT = "steep"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
