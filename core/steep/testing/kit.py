"""The conformance kit's common parts: rules, named checks, and the sphere optimizers run on."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from ..errors import PluginError
from ..guard import describe
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
        """The bottom: cost 0 at 1 in every coordinate."""
        return Minimum(np.full(self.dim, 1.0), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        """The squared distance of each row of ``X`` from the point of ones."""
        return ((X - 1.0) ** 2).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        """The analytic slope, ``2 (X - 1)``, for optimizers that use one."""
        return 2.0 * (X - 1.0)


@attrs.frozen
class Rule:
    """A rule of the contract: the function that checks it on a plugin, what it asks (``asks``)
    and how to fix a plugin that breaks it (``fix``), both said in a failure."""

    function: Callable[[Any], None]
    asks: str
    fix: str


class CheckFailure(AssertionError):
    """A plugin broke a rule: the check's name and what went wrong, then the rule and its fix.

    steep's pytest plugin reports one as this message alone, without the kit's traceback.
    """

    def __init__(self, check: Check, problem: BaseException) -> None:
        self.check = check
        said = str(problem) or f"{type(problem).__name__} (run with --tb=long to see where)"
        lines = [f"{check.name}: {said}"]
        if check.asks:
            lines.append(f"  rule: {check.asks}")
        if check.fix:
            lines.append(f"  fix:  {check.fix}")
        super().__init__("\n".join(lines))


@attrs.frozen
class Check:
    """One rule of the contract, checked on one plugin; call it to check.

    ``name`` (``"MyOptimizer.same_seed_same_run"``, also its ``str``, a test id) says which
    plugin and which rule; a broken rule raises :class:`CheckFailure`, whose message says
    what went wrong, what the rule asks (``asks``) and how to fix it (``fix``).
    """

    name: str
    function: Callable[[], None] = attrs.field(repr=False)
    asks: str = attrs.field(default="", repr=False)
    fix: str = attrs.field(default="", repr=False)

    def __call__(self) -> None:
        __tracebackhide__ = True
        try:
            self.function()
        except (AssertionError, PluginError) as error:
            raise CheckFailure(self, error) from error
        except Exception as error:  # the plugin's code raised where the rule expects none
            raise CheckFailure(self, Exception(f"raised {describe(error)}")) from error

    def __str__(self) -> str:
        return self.name


def checks_of(label: str, rules: dict[str, Rule], subject: Any) -> list[Check]:
    """One :class:`Check` of ``subject`` per rule, named ``label.rule``."""
    return [
        Check(f"{label}.{name}", functools.partial(rule.function, subject), rule.asks, rule.fix)
        for name, rule in rules.items()
    ]


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
