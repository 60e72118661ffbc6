"""The run loop: ask, evaluate, tell — owning the budget, seeding, stopping and history."""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .budget import Budget, draw_seed, errors_in_a_row, non_negative_int
from .cache import ConfigurationCache
from .errors import PluginError, SteepWarning, UsageError
from .evaluator import Evaluator, Outcome, SerialEvaluator
from .guard import guarded
from .journal import Chunk, JournalError
from .journal_writer import JournalWriter
from .messages import below_minimum, stop_message
from .observers import Observers
from .optimizer import Optimizer, Task
from .options import as_dict
from .problem import ObjectiveExit, Problem
from .result import Result, Tape

LOG = logging.getLogger("steep.run")

if TYPE_CHECKING:
    from .registry import Registry

#: Evaluations per dimension when no budget is given.
DEFAULT_BUDGET_PER_DIM = 1000


def require_box(
    problem: Problem, cls: type[Optimizer], name: str, registry: Registry | None
) -> None:
    """Refuse, in one line, an optimizer that needs a box on a problem that has none; the
    line names the optimizers of ``registry`` that need none."""
    if problem.bounds.finite or not cls.needs_box:
        return
    names = registry.names("optimizer") if registry is not None else []
    free = [n for n in names if not registry.optimizer(n).needs_box]
    others = f"; these need none: {', '.join(free)}" if free else ""
    raise UsageError(f"optimizer {name!r} needs a box: give bounds (or a space){others}")


class Run:
    """One run of an optimizer on a problem; :meth:`execute` carries it out.

    The observer hooks of ``registry``'s plugins receive this object; they may read
    ``problem``, ``optimizer``, ``optimizer_name``, ``budget``, ``seed``, ``nfev``,
    ``nbatch``, ``best_fun``, ``best_x`` and ``elapsed`` (seconds since the start). An
    observer that raises is switched off for the rest of the run, with a warning. With a
    ``journal``, every evaluation is journaled before the optimizer is told; ``replay``
    holds chunks of a journal to feed back instead of evaluating again.
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
        registry: Registry | None = None,
        optimizer_name: str | None = None,
        journal: JournalWriter | None = None,
        replay: Sequence[Chunk] = (),
        callback: Callable[[Result], Any] | None = None,
        cache: bool | None = None,
    ) -> None:
        self.seed = draw_seed() if seed is None else non_negative_int("seed", seed)
        sequence = np.random.SeedSequence(self.seed)
        # the third child seeds the restarts, so that runs without any stay as they were
        start_rng, optimizer_rng, restart_seeds = map(np.random.default_rng, sequence.spawn(3))
        self.restarts, self._restart_rng = 0, restart_seeds
        self._nit_before = 0
        self.problem = problem
        self.callback = callback
        space = problem.space
        if cache is None:  # on by default where configurations repeat: discrete spaces
            cache = space is not None and space.all_discrete
        self.cache = ConfigurationCache(space) if cache and space is not None else None
        self.budget = budget
        self.evaluator = evaluator or SerialEvaluator()
        self.observers = Observers(None if registry is None else registry.hook)
        self.optimizer_name = optimizer_name or getattr(optimizer, "name", optimizer.__name__)
        require_box(problem, optimizer, self.optimizer_name, registry)
        self.journal = journal
        self.replay: dict[int, list[Chunk]] = {}
        for chunk in replay:
            self.replay.setdefault(chunk.batch, []).append(chunk)
        self.x0 = problem.start(x0, start_rng)
        self.njev = 0
        self.optimizer_class, self.options = optimizer, options
        self.optimizer = self._start_optimizer(self.x0, optimizer_rng, budget.evaluations)
        self.nfev = 0
        self.nbatch = 0
        self.best_fun = math.inf
        self.best_x = self.x0
        self.failures: dict[int, str] = {}
        self.failure_streak = 0
        self.started = time.perf_counter()
        self.tape = Tape(problem.dim)

    def _start_optimizer(
        self, x0: np.ndarray, rng: np.random.Generator, budget: int, incumbent: float = math.inf
    ) -> Optimizer:
        gradient = self._counted_gradient if self.problem.gradient is not None else None
        task = Task(self.problem.bounds, x0, budget, gradient, self.problem.space, incumbent)
        with guarded(self.optimizer_name, "starting the optimizer"):
            return self.optimizer_class(task, self.options, rng)

    def _restart(self) -> bool:
        """After convergence with budget left: a fresh optimizer from a new start drawn from
        the run's seed, while restarts remain. Whether it restarted."""
        left = self.budget.evaluations - self.nfev
        if self.restarts >= self.budget.restarts or left <= 0:
            return False
        self._nit_before += self.optimizer.nit or 0
        seeds = self._restart_rng.integers(2**63, size=2)
        x0 = self.problem.bounds.sample(np.random.default_rng(seeds[0]), 1)[0]
        rng = np.random.default_rng(seeds[1])
        self.optimizer = self._start_optimizer(x0, rng, left, incumbent=self.best_fun)
        self.restarts += 1
        LOG.info(
            "%s: restart %d after %d evaluations", self.optimizer_name, self.restarts, self.nfev
        )
        return True

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _counted_gradient(self, points: np.ndarray) -> np.ndarray:
        self.njev += len(points)
        return np.asarray(self.problem.gradient(points), dtype=np.float64)  # type: ignore[misc]

    def _fault(self, message: str) -> PluginError:
        """A :class:`PluginError` naming the optimizer, carrying the result so far."""
        return PluginError(self.optimizer_name, message, result=self._result("error"))

    def _ask(self) -> np.ndarray:
        with guarded(self.optimizer_name, "ask()", result=lambda: self._result("error")):
            asked = self.optimizer.ask()
        try:
            points = np.array(asked, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise self._fault(f"ask() returned non-numbers: {error}") from None
        dim = self.problem.dim
        if points.ndim != 2 or points.shape[1] != dim or len(points) == 0:
            raise self._fault(f"ask() returned shape {points.shape}; expected (k, {dim}), k >= 1")
        bounds = self.problem.bounds
        if not bounds.contains(points):
            outside = ~((points >= bounds.lower) & (points <= bounds.upper)).all(axis=1)
            raise self._fault(
                f"ask() returned {int(outside.sum())} point(s) outside the bounds, first "
                f"{points[outside][0].tolist()} (bounds {bounds.as_pairs()})"
            )
        return points

    def _tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        with guarded(self.optimizer_name, "tell()", result=lambda: self._result("error")):
            self.optimizer.tell(points, costs)

    def _evaluate_fresh(self, points: np.ndarray) -> Outcome:
        if self.cache is not None:
            return self.cache.evaluate(points, self._evaluate_uncached)
        return self._evaluate_uncached(points)

    def _evaluate_uncached(self, points: np.ndarray) -> Outcome:
        name = getattr(self.evaluator, "name", type(self.evaluator).__name__)
        with guarded(name, "evaluate()", result=lambda: self._result("error")):
            outcome = self.evaluator.evaluate(self.problem.evaluate_safely, points)
        if not isinstance(outcome, Outcome) or np.shape(outcome.costs) != (len(points),):
            raise PluginError(
                name,
                f"evaluator returned {outcome!r}, expected an Outcome of {len(points)} costs",
                result=self._result("error"),
            )
        return outcome

    def _evaluate(self, points: np.ndarray) -> Outcome:
        """The outcome of batch ``self.nbatch``: from the journal where it holds it, else
        evaluated (and journaled). A pointwise objective in this process is evaluated point
        by point, so that the batch stops as soon as ``Budget.failures`` errors in a row are
        reached: the outcome then covers only the points evaluated."""
        batch, parts, done = self.nbatch, [], 0
        limit = self.budget.failures or math.inf
        streak = self.failure_streak
        for chunk in self.replay.pop(batch, []):
            end = done + len(chunk.x)
            if chunk.offset != done or not np.array_equal(chunk.x, points[done:end]):
                raise UsageError(
                    f"journal {str(self.journal.path) if self.journal else ''!r}: at batch "
                    f"{batch} the optimizer asked for other points than the journal holds; "
                    "the optimizer, its options or its version changed"
                )
            parts.append(chunk.outcome)
            done = end
            streak = errors_in_a_row(chunk.outcome, streak)
        if done < len(points) and streak < limit:
            one_by_one = self.problem.pointwise is not None and isinstance(
                self.evaluator, SerialEvaluator
            )
            step = 1 if one_by_one else len(points) - done
            for offset in range(done, len(points), step):
                piece = points[offset : offset + step]
                began = time.perf_counter()
                outcome = self._evaluate_fresh(piece)
                if self.journal is not None:
                    self.journal.append(batch, offset, piece, outcome, time.perf_counter() - began)
                parts.append(outcome)
                streak = errors_in_a_row(outcome, streak)
                if streak >= limit:
                    break
        return parts[0] if len(parts) == 1 else Outcome.join(parts)

    def _record(self, points: np.ndarray, outcome: Outcome) -> np.ndarray:
        """Add a batch to the history and the best so far; return the costs to tell."""
        costs = outcome.costs
        points.flags.writeable = costs.flags.writeable = False
        self.tape.append(points, costs)
        if outcome.failures:
            self.failures.update({self.nfev + i: r for i, r in outcome.failures.items()})
            self.failure_streak = errors_in_a_row(outcome, self.failure_streak)
            told = np.where(np.isfinite(costs), costs, np.inf)
            told.flags.writeable = False
        else:
            self.failure_streak = 0
            told = costs
        self.nfev += len(points)
        self.nbatch += 1
        best = int(told.argmin())
        if told[best] < self.best_fun:
            self.best_fun = float(told[best])
            self.best_x = points[best]
        return told

    def execute(self) -> Result:
        """Run until a stop condition holds; return the :class:`Result`."""
        self.observers.notify("run_started", run=self)
        budget = self.budget
        deadline = None if budget.seconds is None else self.started + budget.seconds
        target = -math.inf if budget.target is None else budget.target
        failure_limit = budget.failures or math.inf
        stop = ""
        try:
            with self.evaluator:
                while not stop:
                    points = self._ask()
                    left = budget.evaluations - self.nfev
                    truncated = len(points) > left
                    if truncated:
                        points = points[:left]
                    outcome = self._evaluate(points)
                    if len(outcome.costs) < len(points):  # stopped at the failure limit
                        points, truncated = points[: len(outcome.costs)], True
                    told = self._record(points, outcome)
                    if self.observers.watch_batches:
                        self.observers.notify(
                            "batch_evaluated", run=self, points=points, costs=outcome.costs
                        )
                    if truncated:  # a cut batch is not told: the optimizer asked for all of it
                        stop = "failures" if self.failure_streak >= failure_limit else "budget"
                        break
                    self._tell(points, told)
                    if self.callback is not None and self._call_back():
                        stop = "callback"
                    elif self.best_fun <= target:
                        stop = "target"
                    elif self.optimizer.converged and not self._restart():
                        stop = "converged"
                    elif self.nfev >= budget.evaluations:
                        stop = "budget"
                    elif self.failure_streak >= failure_limit:
                        stop = "failures"
                    elif deadline is not None and time.perf_counter() >= deadline:
                        stop = "time"
        except KeyboardInterrupt:
            stop = "interrupted"
        except ObjectiveExit as exited:
            stop, self.exit_code = "exited", exited.code
        except JournalError as error:  # the disk is full: stop with the run so far
            error.result = attrs.evolve(self._result("error"), message=str(error))
            raise
        finally:
            if self.journal is not None:
                self.journal.close()
        LOG.info(
            "%s on %s stopped (%s) after %d evaluations",
            self.optimizer_name,
            self.problem.name,
            stop,
            self.nfev,
        )
        below = below_minimum(self)
        if below is not None:
            self.observers.warnings.append(below)
            warnings.warn(below, SteepWarning, stacklevel=2)
        result = self._result(stop)
        self.observers.notify("run_finished", run=self, result=result)
        warned = tuple(self.observers.warnings)
        return attrs.evolve(result, warnings=warned) if warned != result.warnings else result

    def _call_back(self) -> bool:
        """Hand the callback the result so far; whether it asked to stop (StopIteration)."""
        try:
            self.callback(self._result("running"))  # type: ignore[misc]
        except StopIteration:
            return True
        return False

    def _result(self, stop: str) -> Result:
        history = self.tape.history(self.failures)
        found = math.isfinite(self.best_fun)
        message = stop_message(self, stop)
        if not found:
            message += f"; no finite cost in {self.nfev} evaluations"
        nit = self.optimizer.nit
        return Result(
            x=np.array(self.best_x),
            fun=self.best_fun,
            nfev=self.nfev,
            nit=self.nbatch if nit is None else self._nit_before + int(nit),
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
            warnings=tuple(self.observers.warnings),
            params=None if self.problem.space is None else self.problem.space.decode(self.best_x),
            ncached=0 if self.cache is None else self.cache.hits,
            restarts=self.restarts,
            decisions=tuple(getattr(self.optimizer, "decisions", ())),
        )
