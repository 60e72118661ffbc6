"""Curvature: damped Newton and BFGS, few steps each dearer than the race car's."""

from __future__ import annotations

import steep

from .bfgs import BFGS
from .newton import Newton

__all__ = ["BFGS", "Newton"]


@steep.hookimpl
def register_optimizers(register):
    register(Newton)
    register(BFGS)
