"""The outcome of a run: scipy's ``OptimizeResult`` fields, the history and the stop reason."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from .landscape import Minimum

#: Why a run stops, and what each reason means.
STOP_REASONS = {
    "target": "the best cost reached the target",
    "converged": "the optimizer says it has converged",
    "budget": "the evaluation budget is spent",
    "time": "the time limit passed",
    "failures": "too many evaluations in a row failed",
    "interrupted": "the run was interrupted (Ctrl-C)",
    "exited": "the objective called sys.exit (under the serial evaluator)",
    "callback": "the callback raised StopIteration",
    "running": "not stopped: the result so far, as a callback sees it",
    "error": "a plugin broke its contract, or the journal could not be written (the error says)",
}


@attrs.frozen(eq=False)
class History:
    """Every evaluation of a run, in order: ``x[i]`` cost ``fun[i]``, asked in ``batch[i]``.

    ``fun[i]`` is the raw cost (NaN where the objective gave none); where evaluation ``i``
    failed (raised, NaN, inf, wrong type), ``failures[i]`` says why.
    """

    x: np.ndarray
    fun: np.ndarray
    batch: np.ndarray
    failures: dict[int, str] = attrs.field(factory=dict)

    def __len__(self) -> int:
        return len(self.fun)

    def best_so_far(self) -> np.ndarray:
        """The lowest finite cost seen after each evaluation (``inf`` before any)."""
        finite = np.where(np.isfinite(self.fun), self.fun, np.inf)
        return np.minimum.accumulate(finite) if len(finite) else finite


@attrs.frozen(eq=False)
class Result:
    """The outcome of a run.

    ``x``, ``fun``, ``nfev``, ``nit``, ``success`` and ``message`` mean what they mean in
    ``scipy.optimize.OptimizeResult``; ``stop`` is a key of :data:`STOP_REASONS`.
    ``warnings`` says what went wrong on the side without changing the answer (an
    observer plugin that failed and was switched off).
    """

    x: np.ndarray
    fun: float
    nfev: int
    nit: int
    success: bool
    message: str
    stop: str = attrs.field(validator=attrs.validators.in_(STOP_REASONS))
    history: History
    njev: int = 0
    nbatch: int = 0
    elapsed: float = 0.0
    problem: str = ""
    optimizer: str = ""
    options: dict[str, Any] = attrs.field(factory=dict)
    seed: int | None = None
    minimum: Minimum | None = None
    warnings: tuple[str, ...] = ()
    #: The typed values of ``x``, for a run over a :class:`steep.Space`.
    params: dict[str, Any] | None = None
    #: Evaluations answered from the configuration cache rather than brewed again.
    ncached: int = 0
    #: Fresh starts of the optimizer after it converged with budget left.
    restarts: int = 0
    #: What the optimizer decided along the way (see ``steep.Optimizer.decisions``).
    decisions: tuple[str, ...] = ()

    @property
    def gap(self) -> float | None:
        """``fun`` minus the known global minimum's cost, or ``None`` where it is unknown."""
        return None if self.minimum is None else self.fun - self.minimum.fun

    def __getitem__(self, key: str) -> Any:
        """Dict-style access, as with scipy's ``OptimizeResult``."""
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data, without the history."""
        return {
            "x": self.x.tolist(),
            "fun": self.fun,
            "nfev": self.nfev,
            "nit": self.nit,
            "njev": self.njev,
            "nbatch": self.nbatch,
            "success": self.success,
            "message": self.message,
            "stop": self.stop,
            "elapsed": self.elapsed,
            "problem": self.problem,
            "optimizer": self.optimizer,
            "options": self.options,
            "seed": self.seed,
            "minimum": None
            if self.minimum is None
            else {"x": self.minimum.x.tolist(), "fun": self.minimum.fun},
            "gap": self.gap,
            "warnings": list(self.warnings),
            "params": self.params,
            "ncached": self.ncached,
            "restarts": self.restarts,
            "decisions": list(self.decisions),
        }

    def __repr__(self) -> str:
        fields = ("message", "success", "fun", "x", "nfev", "nit", "stop")
        width = max(map(len, fields))
        return "\n".join(f"{f.rjust(width)}: {getattr(self, f)!r}" for f in fields)


class Tape:
    """The history as it is recorded: batches appended into buffers that double as they fill,
    so that the history so far (for a callback after every batch) costs no copy of it all."""

    def __init__(self, dim: int) -> None:
        self.size = 0
        self.batches = 0
        self._x = np.empty((64, dim))
        self._fun = np.empty(64)
        self._batch = np.empty(64, dtype=np.int64)

    def append(self, points: np.ndarray, costs: np.ndarray) -> None:
        end = self.size + len(costs)
        if end > len(self._fun):
            capacity = max(end, 2 * len(self._fun))
            self._x = np.resize(self._x, (capacity, self._x.shape[1]))
            self._fun, self._batch = (
                np.resize(self._fun, capacity),
                np.resize(self._batch, capacity),
            )
        self._x[self.size : end], self._fun[self.size : end] = points, costs
        self._batch[self.size : end] = self.batches
        self.size, self.batches = end, self.batches + 1

    def history(self, failures: dict[int, str]) -> History:
        """The history so far: read-only views, which later batches never change."""
        views = [a[: self.size] for a in (self._x, self._fun, self._batch)]
        for view in views:
            view.flags.writeable = False
        return History(x=views[0], fun=views[1], batch=views[2], failures=dict(failures))
