"""steep.testing: the conformance kit, the contract of every kind of plugin as code.

It holds the rules of optimizers, landscapes, evaluators and installed plugins.

Run it from any plugin's tests, as scikit-learn's ``parametrize_with_checks``: one test per
rule, named after the class (or distribution) and the rule::

    import steep.testing
    from steep_my_plugin import MyOptimizer


    @steep.testing.parametrize_with_checks([MyOptimizer, "steep-my-plugin"])
    def test_conformance(check):
        check()

The lists themselves are :func:`optimizer_checks`, :func:`landscape_checks`,
:func:`evaluator_checks` and :func:`plugin_checks` (the installed distribution, found
through its entry point as users get it); ``check_optimizer(MyOptimizer)``,
``check_landscape``, ``check_evaluator`` and ``check_installed_plugin`` run all of one at
once. A broken rule raises :class:`CheckFailure`, whose message says what went wrong, what
the rule asks and how to fix it; steep's pytest plugin (installed with steep) reports it as
that message alone.

It also holds instruments for a plugin's own tests: :class:`Sphere` (a landscape to run
optimizers on), :class:`UniformProbe` (an optimizer to run landscapes with, by name too),
:class:`FollowTheBest` and :func:`assert_same_run` (to compare an evaluator's runs with
serial ones), :func:`central_slopes` and :func:`descend` (to measure slopes and basins of a
landscape), :func:`only_plugins` (to load names from the plugins under test alone).
"""

from __future__ import annotations

from .evaluators import check_evaluator, evaluator_checks
from .installed import check_installed_plugin, plugin_checks
from .instruments import (
    FollowTheBest,
    UniformProbe,
    assert_same_run,
    central_slopes,
    descend,
    only_plugins,
    rastrigin,
    rosenbrock,
)
from .kit import Check, CheckFailure, Rule, Sphere
from .landscapes import check_landscape, landscape_checks
from .optimizers import check_optimizer, optimizer_checks
from .suite import all_checks, checks_for, parametrize_with_checks

__all__ = [
    "Check",
    "CheckFailure",
    "FollowTheBest",
    "Rule",
    "Sphere",
    "UniformProbe",
    "all_checks",
    "assert_same_run",
    "central_slopes",
    "check_evaluator",
    "check_installed_plugin",
    "check_landscape",
    "check_optimizer",
    "checks_for",
    "descend",
    "evaluator_checks",
    "landscape_checks",
    "only_plugins",
    "optimizer_checks",
    "parametrize_with_checks",
    "plugin_checks",
    "rastrigin",
    "rosenbrock",
]
