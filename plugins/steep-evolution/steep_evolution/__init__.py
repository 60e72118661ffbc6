"""CMA-ES with IPOP restarts: the pickup truck that learns the shape of the valley."""

from __future__ import annotations

import steep

from .cmaes import CMAES, CMAESOptions

__all__ = ["CMAES", "CMAESOptions"]


@steep.hookimpl
def register_optimizers(register):
    register(CMAES, default=True)
