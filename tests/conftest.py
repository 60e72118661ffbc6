"""Fixtures for the core's tests: registries built from in-test plugins only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import steep
from fakes import basic_plugin
from steep import plugins


@pytest.fixture
def registry() -> Iterator[steep.Registry]:
    """A registry holding only the core and ``basic_plugin``, the process's during the test."""
    loaded = plugins.load_registry(plugins=[("basic", basic_plugin())], use_entry_points=False)
    with plugins.using(loaded):
        yield loaded
