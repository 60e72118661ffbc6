"""The hook the diagnose application adds for plugins: drawing what a probe found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..markers import hookspec

if TYPE_CHECKING:
    from pathlib import Path

    from .model import Diagnosis


@hookspec
def draw_diagnosis(diagnosis: Diagnosis, path: Path) -> Path | None:
    """Draw the probes of ``steep diagnose --plot PATH`` into the picture ``path``; return it.

    ``diagnosis`` is a :class:`steep.Diagnosis`: its ``points`` and ``costs`` (every
    evaluation the probe made, in the problem's coordinates), ``findings`` and
    ``recommendation``. Draw 1-D probes along their axis, 2-D ones as a map, and more
    dimensions by distance from the best point. Every implementation is called, each apart;
    ``--plot`` is refused when there is none.
    """
