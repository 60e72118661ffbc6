"""A real-coded genetic algorithm: a population that breeds, mutates and keeps its best."""

from __future__ import annotations

import steep

from .genetic import Genetic, GeneticOptions

__all__ = ["Genetic", "GeneticOptions"]


@steep.hookimpl
def register_optimizers(register):
    register(Genetic)
