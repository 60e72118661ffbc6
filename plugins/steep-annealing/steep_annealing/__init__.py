"""Generalized simulated annealing: the pickup truck that shakes itself out of small valleys."""

from __future__ import annotations

import steep

from .annealing import Annealing, AnnealingOptions

__all__ = ["Annealing", "AnnealingOptions"]


@steep.hookimpl
def register_optimizers(register):
    register(Annealing)
