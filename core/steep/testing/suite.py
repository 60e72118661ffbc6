"""Choosing the checks for what a plugin ships, and ``parametrize_with_checks`` for pytest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..evaluator import Evaluator
from ..landscape import Landscape
from ..optimizer import Optimizer
from .evaluators import evaluator_checks
from .installed import plugin_checks
from .kit import Check
from .landscapes import landscape_checks
from .optimizers import optimizer_checks


def checks_for(item: Any) -> list[Check]:
    """The checks of ``item``: an optimizer, landscape or evaluator class, an
    ``(evaluator class, options)`` pair, or the name of an installed plugin distribution."""
    if isinstance(item, str):
        return plugin_checks(item)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], type):
        cls, options = item
        if issubclass(cls, Evaluator):
            return evaluator_checks(cls, options)
    elif isinstance(item, type):
        if issubclass(item, Optimizer):
            return optimizer_checks(item)
        if issubclass(item, Landscape):
            return landscape_checks(item)
        if issubclass(item, Evaluator):
            return evaluator_checks(item)
    raise UsageError(
        f"cannot check {item!r}: give steep.Optimizer, steep.Landscape or steep.Evaluator "
        "subclasses, (evaluator class, options) pairs, or plugin distribution names"
    )


def all_checks(items: Iterable[Any]) -> list[Check]:
    """The checks of every item (see :func:`checks_for`), in order."""
    return [check for item in items for check in checks_for(item)]


def parametrize_with_checks(items: Iterable[Any], *, argname: str = "check") -> Any:
    """A pytest decorator running every check of ``items``, one test per check, as
    scikit-learn's ``parametrize_with_checks``::

        import steep.testing
        from steep_my_plugin import MyOptimizer


        @steep.testing.parametrize_with_checks([MyOptimizer, "steep-my-plugin"])
        def test_conformance(check):
            check()

    ``items`` holds optimizer, landscape and evaluator classes, ``(evaluator class,
    options)`` pairs (options as ``steep.minimize``'s ``evaluator_options``), and names of
    installed plugin distributions, checked as users get them (:func:`plugin_checks`).
    Each test's id is its check's name (``MyOptimizer.same_seed_same_run``); a failure
    says which rule was broken and how to fix it.
    """
    import pytest

    return pytest.mark.parametrize(argname, all_checks(items), ids=str)
