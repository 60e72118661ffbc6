"""The conformance kit's common parts: named checks, and the sphere optimizers are run on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from ..errors import PluginError
from ..landscape import Landscape, Minimum
from ..optimizer import Optimizer
from ..problem import Problem
from ..run import Budget, Run


class Sphere(Landscape):
    """A shifted sphere, the simplest smooth bowl, for testing optimizers."""

    name = "test-sphere"
    story = "Sum of squares around a point off the box's centre; for tests of optimizers."
    tags = frozenset({"smooth", "unimodal", "separable"})
    lower, upper = -5.0, 5.0

    @property
    def minimum(self) -> Minimum:
        return Minimum(np.full(self.dim, 1.0), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return ((X - 1.0) ** 2).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * (X - 1.0)


@attrs.frozen
class Check:
    """One rule of the contract, callable; its ``name`` says which."""

    name: str
    function: Callable[[], None] = attrs.field(repr=False)

    def __call__(self) -> None:
        try:
            self.function()
        except (AssertionError, PluginError) as error:
            raise AssertionError(f"{self.name}: {error}") from error

    def __str__(self) -> str:
        return self.name


def run_optimizer(
    optimizer: type[Optimizer],
    problem: Problem,
    budget: int,
    seed: int = 0,
    x0: Any = None,
    **options: Any,
):
    return Run(
        problem,
        optimizer,
        optimizer.Options(**options),
        budget=Budget(budget),
        seed=seed,
        x0=x0,
    ).execute()


def sphere_problem(dim: int, bounds: Any = None) -> Problem:
    return Problem.from_landscape(Sphere(dim=dim), bounds)
