"""What every picture shares: one colour, line style and marker per optimizer, file names,
saving, and the runs of each optimizer on a problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from steep.race import RaceProblem, RaceResults

DPI = 110
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "p", "h", "<", ">", "d", "8")  # no x: it means "missed"
#: Okabe and Ito's colour-blind-safe palette (its yellow left out: it vanishes on white),
#: then Paul Tol's dark colours, all dark enough to stand out on the light grey terrain;
#: no grey, so that no optimizer's points melt into the terrain.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#882255",  # wine
    "#332288",  # indigo
    "#999933",  # olive
    "#44AA99",  # teal
    "#AA4499",  # purple
)


class Style:
    """One colour, line style and marker per optimizer, the same in every picture."""

    def __init__(self, optimizers: Sequence[str]) -> None:
        self.colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(optimizers)}
        self.line = {n: LINE_STYLES[i % len(LINE_STYLES)] for i, n in enumerate(optimizers)}
        self.marker = {n: MARKERS[i % len(MARKERS)] for i, n in enumerate(optimizers)}


def file_name(kind: str, problem: RaceProblem, suffix: str = "png") -> str:
    return f"{kind}-{problem.landscape}-{problem.dim}d.{suffix}"


def save(figure: Any, path: Path) -> Path:
    """Write ``figure`` as a PNG at :data:`DPI`, laid out around its axes only."""
    for axes in figure.axes:
        # Data lie inside the axes: leave them out of the layout (it is much faster).
        for artist in (*axes.collections, *axes.lines, *axes.images, *axes.patches, *axes.texts):
            artist.set_in_layout(False)
    figure.savefig(path, dpi=DPI)
    return path


def runs_by_optimizer(race: RaceResults, key: str) -> dict[str, list[int]]:
    """The indices of the runs on problem ``key``, by optimizer (every optimizer listed)."""
    runs: dict[str, list[int]] = {name: [] for name in race.optimizers}
    for index, record in race.records_of(key):
        runs[record.optimizer].append(index)
    return runs


def success_label(race: RaceResults, key: str, optimizer: str) -> str:
    """``"name (k/n reached)"``, or the bare name where success is undefined."""
    records = [r for _, r in race.records_of(key) if r.optimizer == optimizer]
    if not records or any(r.success is None for r in records):
        return optimizer
    return f"{optimizer} ({sum(bool(r.success) for r in records)}/{len(records)} reached)"


def ranked(race: RaceResults, key: str) -> list[str]:
    """The optimizers on problem ``key``, best first (the leaderboard's order)."""
    return [s.optimizer for s in race.tables()[key]]


def trial_count(race: RaceResults, key: str) -> int:
    return len({r.trial for _, r in race.records_of(key)})
