"""The conformance kit: the contract of optimizers and landscapes, as code.

Run it from any plugin's tests, as scikit-learn's ``check_estimator``::

    from steep.testing import landscape_checks, optimizer_checks

    @pytest.mark.parametrize("check", optimizer_checks(MyOptimizer), ids=str)
    def test_conformance(check):
        check()

or all at once with ``check_optimizer(MyOptimizer)`` / ``check_landscape(MyLandscape)``.
Each check raises ``AssertionError`` naming the rule that was broken.

It also holds instruments for a plugin's own tests: :class:`Sphere` (a landscape to run
optimizers on), :class:`UniformProbe` (an optimizer to run landscapes with, by name too),
:func:`central_slopes` and :func:`descend` (to measure slopes and basins of a landscape),
:func:`only_plugins` (to load names from the plugins under test alone).
"""

from __future__ import annotations

from .instruments import (
    FollowTheBest,
    UniformProbe,
    assert_same_run,
    central_slopes,
    descend,
    only_plugins,
)
from .kit import Check, Sphere
from .landscapes import check_landscape, landscape_checks
from .optimizers import check_optimizer, optimizer_checks

__all__ = [
    "Check",
    "FollowTheBest",
    "Sphere",
    "UniformProbe",
    "assert_same_run",
    "central_slopes",
    "check_landscape",
    "check_optimizer",
    "descend",
    "landscape_checks",
    "only_plugins",
    "optimizer_checks",
]
