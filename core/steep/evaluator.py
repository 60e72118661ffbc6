"""Evaluators: how a batch of points gets its costs (in-process, process pool, cluster)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import numpy as np

from .markers import hookimpl
from .options import NoOptions


@attrs.frozen(eq=False)
class Outcome:
    """The costs of a batch, and why each failed evaluation failed.

    ``costs[i]`` is NaN where evaluation ``i`` failed; ``failures`` maps such indices to a
    one-line reason ("ValueError: ...", "returned nan", "timed out after 5 s").
    """

    costs: np.ndarray
    failures: dict[int, str] = attrs.field(factory=dict)

    @classmethod
    def failed(cls, count: int, reason: str) -> Outcome:
        """Every one of ``count`` evaluations failed for ``reason``."""
        return cls(np.full(count, np.nan), dict.fromkeys(range(count), reason))

    @classmethod
    def join(cls, parts: list[Outcome]) -> Outcome:
        """The outcomes of consecutive chunks of one batch, as one."""
        failures, offset = {}, 0
        for part in parts:
            failures.update({offset + i: reason for i, reason in part.failures.items()})
            offset += len(part.costs)
        return cls(np.concatenate([p.costs for p in parts]), failures)


#: What an evaluator is handed: evaluates a batch, never raises for a failing objective.
BatchTask = Callable[[np.ndarray], Outcome]


class Evaluator:
    """Base class of evaluators; used as a context manager around a run.

    Subclasses implement :meth:`evaluate` and may acquire resources (workers, a cluster
    connection) in ``__enter__`` and release them in ``__exit__``. ``Options`` declares
    what a user may set (``steep.minimize(..., evaluator="processes", workers=4)``);
    ``self.options`` holds an instance of it.
    """

    name: ClassVar[str]
    #: attrs class of the evaluator's options (fields made with :func:`steep.option`).
    Options: ClassVar[type] = NoOptions

    def __init__(self, options: Any = None) -> None:
        self.options = self.Options() if options is None else options

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def executor(self) -> concurrent.futures.Executor | None:
        """Inside the ``with`` block: an executor over this evaluator's workers, on which
        ``steep race`` spreads whole runs; ``None`` (the default) when it has none."""
        return None

    def evaluate(self, task: BatchTask, points: np.ndarray) -> Outcome:
        """The :class:`Outcome` of ``points`` (shape ``(n, d)``) under ``task``.

        ``task`` may be called on the whole batch or on chunks of it (then joined in
        order). A chunk lost to the engine (a worker died, a timeout) is reported as
        failed evaluations with the reason, never dropped.
        """
        raise NotImplementedError


class SerialEvaluator(Evaluator):
    """Evaluate the whole batch in this process, in one vectorized call."""

    name = "serial"

    def evaluate(self, task: BatchTask, points: np.ndarray) -> Outcome:
        return task(points)


@hookimpl
def register_evaluators(register: Callable[..., None]) -> None:
    register(SerialEvaluator, default=True)
