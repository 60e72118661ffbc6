"""steep's pytest plugin (entry point ``pytest11``): a failed conformance check, told as the rule.

Installed with steep, so any plugin's tests have it. A test that fails because a
:class:`steep.testing.Check` failed is reported as the check's message alone (what went
wrong, the rule, how to fix it), without the kit's traceback; ``--tb=long`` (or any
``--tb`` but the default) shows the traceback too. Disable it with ``-p no:steep``.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``steep_check`` marker."""
    config.addinivalue_line(
        "markers", "steep_check: a conformance check of steep.testing (parametrize_with_checks)"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """A report whose failure is a broken check shows the check's message."""
    outcome = yield
    report = outcome.get_result()
    kit = sys.modules.get("steep.testing.kit")  # no check can have failed before it is imported
    if (
        kit is not None
        and report.failed
        and call.excinfo is not None
        and isinstance(call.excinfo.value, kit.CheckFailure)
        and item.config.getoption("tbstyle", "auto") == "auto"
    ):
        where = "(a steep conformance check; --tb=long shows where it failed)"
        report.longrepr = f"{call.excinfo.value}\n{where}"
