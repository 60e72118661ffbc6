"""``steep new``: plugin distributions written from templates, installed and tested as written.

What it writes installs with ``pip install ./steep-NAME``, passes its own tests and shows in
``steep list`` as generated.

:func:`write_plugin` writes it; :mod:`steep.scaffold.command` registers the command.
"""

from __future__ import annotations

from .generate import KINDS, plan_plugin, write_plugin

__all__ = ["KINDS", "plan_plugin", "write_plugin"]
