"""auto: the choice that needs no expertise; it probes the terrain, then drives what fits."""

from __future__ import annotations

import steep

from .auto import Auto
from .options import AutoOptions

__all__ = ["Auto", "AutoOptions"]


@steep.hookimpl
def register_optimizers(register):
    register(Auto, default=True)
