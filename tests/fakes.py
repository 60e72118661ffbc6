"""Plugins, optimizers and landscapes made up for the core's tests."""

from __future__ import annotations

import types

import attrs
import numpy as np
import steep
from steep.testing import Sphere


@attrs.frozen
class StepOptions:
    batch: int = steep.option(4, "points per batch", check=attrs.validators.ge(1))
    converge_after: int | None = steep.option(None, "batches before saying converged")


class RandomSteps(steep.Optimizer):
    """Uniform random points in batches; a minimal optimizer for the core's tests."""

    name = "random-steps"
    Options = StepOptions

    def ask(self) -> np.ndarray:
        return self.bounds.sample(self.rng, self.options.batch)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.told = getattr(self, "told", 0) + 1
        if self.options.converge_after and self.told >= self.options.converge_after:
            self.converged = f"told {self.told} batches"


class Shifted(Sphere):
    name = "shifted"
    story = "A sphere around 1, for the core's tests. It has no surprises."


def make_plugin(**hooks) -> types.SimpleNamespace:
    """A plugin object whose hook implementations are the given functions."""
    return types.SimpleNamespace(**{name: steep.hookimpl(f) for name, f in hooks.items()})


def basic_plugin() -> types.SimpleNamespace:
    return make_plugin(
        register_optimizers=lambda register: register(RandomSteps, default=True),
        register_landscapes=lambda register: register(Shifted, default=True),
    )
