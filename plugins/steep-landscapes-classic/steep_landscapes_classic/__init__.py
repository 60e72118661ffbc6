"""The classic test functions people compare optimizers on, each with its exact minimum,
the bounds used in the literature and the reference it comes from."""

from __future__ import annotations

import steep

from .bowls import Ellipsoid, Rosenbrock, Sphere
from .deceptive import Schwefel, StyblinskiTang
from .planar import Easom, Himmelblau
from .rugged import Ackley, Griewank, Levy, Rastrigin

CLASSICS = (
    Sphere,
    Ellipsoid,
    Rosenbrock,
    Rastrigin,
    Ackley,
    Griewank,
    Levy,
    Schwefel,
    StyblinskiTang,
    Himmelblau,
    Easom,
)

__all__ = ["CLASSICS", *(cls.__name__ for cls in CLASSICS)]


@steep.hookimpl
def register_landscapes(register):
    for landscape in CLASSICS:
        register(landscape)
