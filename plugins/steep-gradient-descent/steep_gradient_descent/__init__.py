"""The race car: gradient descent down the slope, with momentum or Adam when asked."""

from __future__ import annotations

import steep

from .gradient_descent import GradientDescent

__all__ = ["GradientDescent"]


@steep.hookimpl
def register_optimizers(register):
    register(GradientDescent)
