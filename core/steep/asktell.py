"""Driving the loop yourself: ask for points, measure them where you like (your own cluster, a
lab instrument), tell their costs, with the budget, seeding, journal and result of a run.

The run loop is the one :func:`steep.minimize` uses, carried out in a helper thread whose
evaluator hands each batch to :meth:`AskTell.ask` and waits for :meth:`AskTell.tell`; so
restarts, failure limits, callbacks and journals behave exactly as in any run.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .api import minimize
from .errors import UsageError
from .evaluator import BatchTask, Evaluator, Outcome
from .problem import NON_FINITE
from .result import Result
from .spaces import Space

_STOP = object()


def _unmeasured(points: Any) -> float:
    raise RuntimeError("an ask/tell run is measured by its caller")  # never called


class _Handover(Evaluator):
    """The evaluator of an ask/tell run: each batch goes out to the caller and back."""

    name = "ask-tell"

    def __init__(self) -> None:
        super().__init__()
        self.asked: queue.Queue[Any] = queue.Queue()
        self.told: queue.Queue[Any] = queue.Queue()

    def evaluate(self, task: BatchTask, points: np.ndarray) -> Outcome:
        self.asked.put(points)
        costs = self.told.get()
        if costs is _STOP:
            raise KeyboardInterrupt  # the caller closed the session: the run stops cleanly
        failures = {int(i): f"{NON_FINITE}{costs[i]}" for i in np.flatnonzero(~np.isfinite(costs))}
        return Outcome(costs, failures)


class AskTell:
    """An optimizer you drive: ``ask()`` a batch, ``tell(costs)`` for it, until ``done``.

    Takes the keywords of :func:`steep.minimize` (``bounds`` or ``space``, ``optimizer``,
    ``options``, ``budget``, ``seed``, ``restarts``, ``journal``, ...), except the objective
    and the evaluator, which are yours::

        with steep.AskTell(bounds=[(0, 1)] * 2, optimizer="cma-es", budget=200, seed=0) as run:
            while not run.done:
                points = run.ask()
                run.tell([measure(x) for x in points])
        run.result.x, run.result.fun

    With a ``space``, :meth:`ask` returns dicts of typed values.
    """

    def __init__(self, bounds: Any = None, **keywords: Any) -> None:
        for taken in ("objective", "evaluator", "evaluator_options", "vectorized"):
            if taken in keywords:
                raise UsageError(f"AskTell takes no {taken}=: you evaluate what it asks")
        space = keywords.get("space")
        self.space = None if space is None else Space.parse(space)
        self._handover = _Handover()
        self._result: Result | None = None
        self._error: BaseException | None = None
        self._pending: np.ndarray | None = None
        self._next: np.ndarray | None = None
        keywords["space"] = self.space
        self._thread = threading.Thread(
            target=self._carry_out,
            args=(bounds, keywords),
            name="steep-ask-tell",
            daemon=True,
        )
        self._thread.start()
        self._wait()

    def _carry_out(self, bounds: Any, keywords: Mapping[str, Any]) -> None:
        try:
            self._result = minimize(
                _unmeasured,
                bounds,
                vectorized=self.space is None,
                evaluator=self._handover,
                **keywords,
            )
        except BaseException as error:  # handed to the caller's thread
            self._error = error
        finally:
            self._handover.asked.put(_STOP)

    def _wait(self) -> None:
        """Until the run asks for the next batch or ends."""
        asked = self._handover.asked.get()
        if asked is _STOP:
            self._thread.join()
            if self._error is not None:
                raise self._error
            self._next = None
        else:
            self._next = asked

    @property
    def done(self) -> bool:
        """Whether the run has stopped (budget, target, convergence, ...)."""
        return self._next is None

    @property
    def result(self) -> Result:
        """The :class:`steep.Result` of the finished run."""
        if self._result is None:
            raise UsageError("the ask/tell run has not finished; tell it what it asked first")
        return self._result

    def ask(self) -> np.ndarray | list[dict[str, Any]]:
        """The next batch: an ``(k, d)`` array, or ``k`` dicts of values with a space."""
        if self._next is None:
            raise UsageError("the ask/tell run is done; read its result")
        if self._pending is not None:
            raise UsageError("tell the costs of the last batch before asking again")
        self._pending = self._next
        if self.space is not None:
            return [self.space.decode(point) for point in self._pending]
        return self._pending.copy()

    def tell(self, costs: Sequence[float] | np.ndarray) -> None:
        """The costs of the batch last asked, in its order (NaN or inf: failed)."""
        if self._pending is None:
            raise UsageError("ask for a batch before telling its costs")
        values = np.asarray(costs, dtype=np.float64).reshape(-1)
        if values.shape != (len(self._pending),):
            raise UsageError(
                f"tell got {values.size} costs for a batch of {len(self._pending)} points"
            )
        self._pending = None
        self._handover.told.put(values)
        self._wait()

    def close(self) -> None:
        """Stop the run where it is (as Ctrl-C would): its result holds what it was told."""
        if self._next is not None:
            self._pending = None
            self._handover.told.put(_STOP)
            self._wait()

    def __enter__(self) -> AskTell:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "done" if self.done else "asking" if self._pending is None else "waiting"
        return f"<steep.AskTell {state}>"
