"""The evaluator contract, as named checks: costs in order, failures kept, same run as serial.

PYTEST_DONT_REWRITE: its asserts' messages are the kit's own, said in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import options as options_module
from ..budget import Budget
from ..evaluator import Evaluator, SerialEvaluator
from ..optimizer import Optimizer
from ..problem import Problem
from ..registry import VALIDATORS
from ..run import Run
from .instruments import FollowTheBest, assert_same_run
from .kit import Check, Rule, checks_of

BOX = [(0.0, 1.0), (0.0, 1.0)]


# The objectives live at module level, so that evaluators can send them to other processes.
def numbered(X: np.ndarray) -> np.ndarray:
    """A cost that tells points apart: ``1000 x0 + x1`` (vectorized)."""
    return 1000.0 * X[:, 0] + X[:, 1]


def numbered_point(x: np.ndarray) -> float:
    """:func:`numbered` of one point (pointwise)."""
    return 1000.0 * float(x[0]) + float(x[1])


def holed_point(x: np.ndarray) -> float:
    """:func:`numbered_point`, but raising where ``x0 > 0.7`` and NaN where ``x0 < 0.2``."""
    if x[0] > 0.7:
        raise ValueError(f"no cost at {x[0]:.3f}")
    return float("nan") if x[0] < 0.2 else numbered_point(x)


def holed(X: np.ndarray) -> np.ndarray:
    """:func:`numbered`, NaN where ``x0 < 0.2`` (vectorized)."""
    return np.where(X[:, 0] < 0.2, np.nan, numbered(X))


class _Subject:
    """The evaluator under test: its class and the options each check builds it with."""

    def __init__(self, cls: type[Evaluator], options: Mapping[str, Any]) -> None:
        self.cls, self.options = cls, dict(options)

    def __call__(self) -> Evaluator:
        built = options_module.build(self.cls.Options, self.options, owner=self.cls.__name__)
        return self.cls(built)


def _points(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, 2))


def _outcome(evaluator: Evaluator, objective: Any, points: np.ndarray, vectorized: bool):
    problem = Problem.from_function(objective, BOX, vectorized=vectorized)
    return evaluator.evaluate(problem.evaluate_safely, points), problem.evaluate_safely(points)


def _registrable(subject: _Subject) -> None:
    try:
        VALIDATORS["evaluator"](subject.cls)
    except ValueError as error:
        raise AssertionError(str(error)) from None
    subject()


def _costs_in_order(subject: _Subject) -> None:
    with subject() as evaluator:
        for n in (1, 2, 7, 23):
            for objective, vectorized in ((numbered, True), (numbered_point, False)):
                points = _points(n, seed=n)
                got, expected = _outcome(evaluator, objective, points, vectorized)
                costs = np.asarray(got.costs)
                assert costs.shape == (n,), f"{n} points got {costs.shape} costs"
                np.testing.assert_array_equal(
                    costs, expected.costs, err_msg=f"costs of {n} points out of order or wrong"
                )
                assert not got.failures, f"failures reported where none happened: {got.failures}"


def _failures_kept(subject: _Subject) -> None:
    points = np.vstack([_points(16, seed=3), [[0.1, 0.5], [0.8, 0.5], [0.5, 0.5]]])
    with subject() as evaluator:
        got, expected = _outcome(evaluator, holed_point, points, vectorized=False)
        assert len(got.costs) == len(points), f"{len(points)} points got {len(got.costs)} costs"
        assert sorted(got.failures) == sorted(expected.failures), (
            f"failed evaluations at {sorted(got.failures)}, expected at "
            f"{sorted(expected.failures)} (a failure dropped, or its index not shifted)"
        )
        for index, reason in expected.failures.items():
            assert got.failures[index] == reason, (
                f"evaluation {index} failed with {got.failures[index]!r}, expected {reason!r}"
            )
        np.testing.assert_array_equal(got.costs, expected.costs)


def _same_run(subject: _Subject) -> None:
    for objective, vectorized in ((holed_point, False), (holed, True), (numbered, True)):
        results = []
        for evaluator in (SerialEvaluator(), subject()):
            problem = Problem.from_function(objective, BOX, vectorized=vectorized)
            optimizer: type[Optimizer] = FollowTheBest
            run = Run(
                problem,
                optimizer,
                FollowTheBest.Options(batch=5),
                budget=Budget(41, failures=None),
                seed=4,
                evaluator=evaluator,
            )
            results.append(run.execute())
        try:
            assert_same_run(*results)
        except AssertionError as error:
            raise AssertionError(f"on {objective.__name__}: {error}") from None


def _context_manager(subject: _Subject) -> None:
    evaluator = subject()
    points = _points(5, seed=9)
    problem = Problem.from_function(numbered, BOX, vectorized=True)
    for _ in range(2):  # a run enters it; a second run may enter the same instance again
        with evaluator as entered:
            assert entered is not None, "__enter__ returned None; return self"
            executor = evaluator.executor()
            assert executor is None or hasattr(executor, "submit"), (
                f"executor() returned {executor!r}, neither None nor a concurrent.futures executor"
            )
            got = evaluator.evaluate(problem.evaluate_safely, points)
            np.testing.assert_array_equal(got.costs, numbered(points))
    try:
        with evaluator:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("__exit__ swallowed the exception raised inside the with block")


EVALUATOR_RULES: dict[str, Rule] = {
    "is_registrable": Rule(
        _registrable,
        "the class can be registered as an evaluator, and builds with the options given",
        "give it a `name` (lowercase words joined by '-'), evaluate(task, points), and an "
        "attrs `Options` class (fields made with steep.option) taken by __init__(options)",
    ),
    "returns_one_cost_per_point_in_order": Rule(
        _costs_in_order,
        "evaluate returns an Outcome with one cost per point, in the order of the points",
        "call task on the whole batch or on consecutive chunks, and join the chunks' "
        "outcomes in batch order with steep.Outcome.join",
    ),
    "reports_failures_at_their_index": Rule(
        _failures_kept,
        "failed evaluations are reported at their index in the batch, with their reason",
        "never drop a chunk or a failure: join chunks with steep.Outcome.join (it shifts "
        "indices), and report a chunk lost to the engine as steep.Outcome.failed(n, reason)",
    ),
    "same_run_as_serial": Rule(
        _same_run,
        "a run evaluated by it is the run evaluated in this process, point for point",
        "evaluate exactly the points given, each once, with the task given, and return "
        "the outcome for exactly those points",
    ),
    "works_as_a_context_manager": Rule(
        _context_manager,
        "it can be entered and left more than once, and lets exceptions through",
        "start workers in __enter__ (returning self) and stop them in __exit__ "
        "(returning None), leaving the instance ready to be entered again",
    ),
}


def evaluator_checks(
    evaluator: type[Evaluator], options: Mapping[str, Any] | None = None
) -> list[Check]:
    """The checks every evaluator must pass, one :class:`Check` per rule, named
    ``ClassName.rule`` (test ids).

    ``options`` (a mapping, as ``steep.minimize(evaluator_options=...)``) builds the
    evaluator each check uses, e.g. ``evaluator_checks(MyPool, {"workers": 2})``.
    """
    return checks_of(evaluator.__name__, EVALUATOR_RULES, _Subject(evaluator, options or {}))


def check_evaluator(evaluator: type[Evaluator], options: Mapping[str, Any] | None = None) -> None:
    """Run every evaluator check; raise :class:`CheckFailure` at the first broken rule."""
    for check in evaluator_checks(evaluator, options):
        check()
