"""Evaluators: how a batch of points gets its costs (in-process, process pool, cluster)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np

from .hookspecs import hookimpl

BatchFunction = Callable[[np.ndarray], np.ndarray]


class Evaluator:
    """Base class of evaluators; used as a context manager around a run.

    Subclasses implement :meth:`evaluate` and may acquire resources (workers, a cluster
    connection) in ``__enter__`` and release them in ``__exit__``.
    """

    name: ClassVar[str]
    summary: ClassVar[str] = ""

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def evaluate(self, function: BatchFunction, points: np.ndarray) -> np.ndarray:
        """Costs of ``points`` (shape ``(n, d)``) under the vectorized ``function``."""
        raise NotImplementedError


class SerialEvaluator(Evaluator):
    """Evaluate the whole batch in this process, in one vectorized call."""

    name = "serial"
    summary = "the whole batch in this process, in one vectorized call"

    def evaluate(self, function: BatchFunction, points: np.ndarray) -> np.ndarray:
        return function(points)


@hookimpl
def register_evaluators(register: Callable[..., None]) -> None:
    register(SerialEvaluator, default=True)
