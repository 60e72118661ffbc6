"""The run loop: ask, evaluate, tell — owning the budget, seeding, stopping and history."""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

import attrs
import numpy as np

from .errors import PluginError, UsageError
from .evaluator import Evaluator, SerialEvaluator
from .optimizer import Optimizer, Task
from .options import as_dict
from .problem import Problem
from .result import History, Result


def _positive_int(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise UsageError(f"budget: {attribute.name} must be a positive integer, got {value!r}")


def _positive_or_none(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise UsageError(f"budget: {attribute.name} must be a positive number, got {value!r}")


def _finite_or_none(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"budget: {attribute.name} must be a finite number, got {value!r}")


@attrs.frozen
class Budget:
    """When a run must stop: after ``evaluations`` (exact), ``seconds``, or at ``target`` cost."""

    evaluations: int = attrs.field(validator=_positive_int)
    seconds: float | None = attrs.field(default=None, validator=_positive_or_none)
    target: float | None = attrs.field(default=None, validator=_finite_or_none)


class Run:
    """One run of an optimizer on a problem; :meth:`execute` carries it out.

    Observers receive this object; they may read ``problem``, ``optimizer``,
    ``optimizer_name``, ``budget``, ``seed``, ``nfev``, ``nbatch``, ``best_fun``,
    ``best_x`` and ``elapsed`` (seconds since the start).
    """

    def __init__(
        self,
        problem: Problem,
        optimizer: type[Optimizer],
        options: Any,
        *,
        budget: Budget,
        seed: int | None = None,
        x0: Any = None,
        evaluator: Evaluator | None = None,
        hook: Any = None,
        optimizer_name: str | None = None,
    ) -> None:
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
        ):
            raise UsageError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = secrets.randbelow(2**32) if seed is None else int(seed)
        sequence = np.random.SeedSequence(self.seed)
        start_rng, optimizer_rng = (np.random.default_rng(s) for s in sequence.spawn(2))
        self.problem = problem
        self.budget = budget
        self.evaluator = evaluator or SerialEvaluator()
        self.hook = hook
        self.optimizer_name = optimizer_name or getattr(optimizer, "name", optimizer.__name__)
        self.x0 = self._start(x0, start_rng)
        self.njev = 0
        gradient = self._counted_gradient if problem.gradient is not None else None
        task = Task(problem.bounds, self.x0, budget.evaluations, gradient)
        self.options = options
        try:
            self.optimizer = optimizer(task, options, optimizer_rng)
        except UsageError:
            raise
        except Exception as error:
            raise PluginError(
                self.optimizer_name, f"failed to start: {type(error).__name__}: {error}"
            ) from error
        self.nfev = 0
        self.nbatch = 0
        self.best_fun = math.inf
        self.best_x = self.x0
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _start(self, x0: Any, rng: np.random.Generator) -> np.ndarray:
        bounds = self.problem.bounds
        if x0 is None:
            return bounds.sample(rng, 1)[0]
        try:
            start = np.array(x0, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise UsageError(f"x0 {x0!r} is not a vector of numbers") from None
        if start.size != bounds.dim:
            raise UsageError(f"x0 has {start.size} coordinates but the dimension is {bounds.dim}")
        if not bounds.contains(start.reshape(1, -1)):
            raise UsageError(f"x0 {start.tolist()} is outside the bounds {bounds.as_pairs()}")
        return start

    def _counted_gradient(self, points: np.ndarray) -> np.ndarray:
        self.njev += len(points)
        return np.asarray(self.problem.gradient(points), dtype=np.float64)  # type: ignore[misc]

    def _check_points(self, points: Any) -> np.ndarray:
        try:
            points = np.array(points, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise PluginError(self.optimizer_name, f"ask() returned non-numbers: {error}") from None
        dim = self.problem.dim
        if points.ndim != 2 or points.shape[1] != dim or len(points) == 0:
            raise PluginError(
                self.optimizer_name,
                f"ask() returned shape {points.shape}; expected (k, {dim}) with k >= 1",
            )
        if not self.problem.bounds.contains(points):
            bounds = self.problem.bounds
            outside = ~((points >= bounds.lower) & (points <= bounds.upper)).all(axis=1)
            raise PluginError(
                self.optimizer_name,
                f"ask() returned {int(outside.sum())} point(s) outside the bounds, first "
                f"{points[outside][0].tolist()} (bounds {bounds.as_pairs()})",
            )
        return points

    def _check_costs(self, costs: Any, count: int) -> np.ndarray:
        try:
            costs = np.asarray(costs, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise UsageError(
                f"objective {self.problem.name!r} returned non-numbers: {error}"
            ) from None
        if costs.shape != (count,):
            raise UsageError(
                f"objective {self.problem.name!r} returned shape {costs.shape} for {count} "
                f"points; expected ({count},)"
            )
        return costs

    def execute(self) -> Result:
        """Run until a stop condition holds; return the :class:`Result`."""
        hook = self.hook
        observed = hook is not None and bool(hook.batch_evaluated.get_hookimpls())
        if hook is not None:
            hook.run_started(run=self)
        optimizer, problem, budget = self.optimizer, self.problem, self.budget
        evaluate = self.evaluator.evaluate
        deadline = None if budget.seconds is None else self.started + budget.seconds
        target = -math.inf if budget.target is None else budget.target
        all_points: list[np.ndarray] = []
        all_costs: list[np.ndarray] = []
        stop = ""
        with self.evaluator:
            while not stop:
                points = self._check_points(optimizer.ask())
                left = budget.evaluations - self.nfev
                truncated = len(points) > left
                if truncated:
                    points = points[:left]
                costs = self._check_costs(evaluate(problem.evaluate, points), len(points))
                points.flags.writeable = costs.flags.writeable = False
                all_points.append(points)
                all_costs.append(costs)
                self.nfev += len(points)
                self.nbatch += 1
                finite = np.isfinite(costs)
                told = costs if finite.all() else np.where(finite, costs, np.inf)
                best = int(told.argmin())
                if told[best] < self.best_fun:
                    self.best_fun = float(told[best])
                    self.best_x = points[best]
                if observed:
                    hook.batch_evaluated(run=self, points=points, costs=costs)
                if truncated:
                    stop = "budget"
                    break
                optimizer.tell(points, told)
                if self.best_fun <= target:
                    stop = "target"
                elif optimizer.converged:
                    stop = "converged"
                elif self.nfev >= budget.evaluations:
                    stop = "budget"
                elif deadline is not None and time.perf_counter() >= deadline:
                    stop = "time"
        result = self._result(stop, all_points, all_costs)
        if hook is not None:
            hook.run_finished(run=self, result=result)
        return result

    def _message(self, stop: str) -> str:
        if stop == "target":
            return f"reached the target cost {self.budget.target:g} in {self.nfev} evaluations"
        if stop == "converged":
            return f"converged: {self.optimizer.converged}"
        if stop == "time":
            return f"stopped at the time limit of {self.budget.seconds:g} s"
        return f"spent the budget of {self.budget.evaluations} evaluations"

    def _result(self, stop: str, points: list[np.ndarray], costs: list[np.ndarray]) -> Result:
        sizes = [len(c) for c in costs]
        history = History(
            x=np.concatenate(points),
            fun=np.concatenate(costs),
            batch=np.repeat(np.arange(len(sizes)), sizes),
        )
        found = math.isfinite(self.best_fun)
        message = self._message(stop)
        if not found:
            message += f"; no finite cost in {self.nfev} evaluations"
        nit = self.optimizer.nit
        return Result(
            x=np.array(self.best_x),
            fun=self.best_fun,
            nfev=self.nfev,
            nit=self.nbatch if nit is None else int(nit),
            success=found and stop in ("target", "converged"),
            message=message,
            stop=stop,
            history=history,
            njev=self.njev,
            nbatch=self.nbatch,
            elapsed=self.elapsed,
            problem=self.problem.name,
            optimizer=self.optimizer_name,
            options=as_dict(self.options),
            seed=self.seed,
            minimum=self.problem.minimum,
        )
