"""Fixtures for the core's tests: registries built from in-test plugins only."""

from __future__ import annotations

import pytest
import steep
from fakes import basic_plugin
from steep import plugins


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> steep.registry.Registry:
    """The process registry replaced by one holding only the core and ``basic_plugin``."""
    loaded = plugins.load_registry(plugins=[("basic", basic_plugin())], use_entry_points=False)
    monkeypatch.setattr(plugins, "_registry", loaded)
    return loaded
