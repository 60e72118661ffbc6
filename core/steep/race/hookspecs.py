"""The hooks the race application adds for plugins: drawing a finished race."""

from __future__ import annotations

from typing import TYPE_CHECKING

from steep.markers import hookspec

if TYPE_CHECKING:
    from pathlib import Path

    from .model import RaceResults


@hookspec
def draw_race(race: RaceResults, folder: Path) -> list[Path]:
    """Draw pictures of a race into ``folder``; return the paths of the files written.

    Called by ``steep race --plots`` once the race is saved in ``folder`` (a
    ``pathlib.Path``), and by any command that redraws a saved race. ``race`` is a
    :class:`steep.race.RaceResults`, the object ``steep.race.load(folder)`` returns:
    ``problems`` (landscape, dimension, tags, ``fstar``, ``scale``, ``target_gap``,
    ``budget``, bounds, unit), ``records`` (one ``RunRecord`` per run), ``curves[i]`` (run
    ``i``'s best cost so far after each evaluation), ``paths[i]`` (every point run ``i``
    evaluated, for 1-D and 2-D problems), ``terrains[key]`` (the landscape on a grid:
    ``(x, f)`` in 1-D, ``(x, y, f)`` in 2-D) and ``tables()`` for the leaderboard. Import
    matplotlib inside the implementation, never at registration. Every implementation is
    called, each apart: one that fails is reported and the others still draw.
    ``steep race --plots`` refuses to start (exit 2) when there is none.
    """
