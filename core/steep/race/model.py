"""What a race is made of: its settings, problems, planned runs, run records and results."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from .leaderboard import Standing, standings

#: Seeds (trials) per optimizer and landscape when none are given.
DEFAULT_TRIALS = 5
#: Default success threshold, relative to the landscape's scale (see :func:`landscape_scale`).
DEFAULT_TARGET = 1e-4
#: Points drawn to measure a landscape's scale.
SCALE_SAMPLES = 1000
#: Landscapes up to this dimension keep every evaluated point, for pictures of the path.
PATH_MAX_DIM = 2
FORMAT_VERSION = 1
FILES = ("race.json", "runs.csv", "curves.npz")


@attrs.frozen
class RaceSettings:
    """What a race runs: its optimizers, landscapes, dimensions, seeds, budget and target.

    ``dims`` ``None`` means each landscape's default dimension. ``seeds`` given are used
    as they are, for every optimizer and landscape; otherwise ``trials`` seeds are derived
    from ``race_seed``. ``budget`` ``None`` means :data:`DEFAULT_BUDGET_PER_DIM` per
    dimension. ``target`` is relative to each landscape's scale.
    """

    optimizers: tuple[str, ...]
    landscapes: tuple[str, ...]
    dims: tuple[int, ...] | None = None
    trials: int = DEFAULT_TRIALS
    seeds: tuple[int, ...] | None = None
    race_seed: int = 0
    budget: int | None = None
    target: float = DEFAULT_TARGET

    @property
    def trial_count(self) -> int:
        return self.trials if self.seeds is None else len(self.seeds)


@attrs.frozen
class RaceProblem:
    """One landscape in one dimension, as raced: its minimum, scale, target and budget."""

    landscape: str
    dim: int
    tags: tuple[str, ...]
    fstar: float | None
    minimum_x: tuple[float, ...] | None
    scale: float
    target_gap: float | None  # None when the minimum is unknown: success is undefined
    budget: int
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    unit: str

    @property
    def key(self) -> str:
        return f"{self.landscape} {self.dim}-D"


@attrs.frozen
class RunSpec:
    """One run to carry out: which optimizer on which problem, trial and seed."""

    index: int
    optimizer: str
    landscape: str
    dim: int
    trial: int
    seed: int
    budget: int
    fstar: float | None
    target_gap: float | None


@attrs.frozen
class RunRecord:
    """The summary of one finished run, as saved in ``runs.csv`` and ``race.json``.

    ``success`` and ``evals_to_target`` (the evaluation at which the best cost first came
    within the target of the minimum) are ``None`` where the minimum is unknown.
    """

    optimizer: str
    landscape: str
    dim: int
    trial: int
    seed: int
    success: bool | None
    evals_to_target: int | None
    nfev: int
    nit: int
    fun: float
    gap: float | None
    elapsed: float
    stop: str
    message: str
    x: tuple[float, ...]

    @property
    def key(self) -> str:
        return f"{self.landscape} {self.dim}-D"


@attrs.define
class RaceResults:
    """A finished (or reloaded) race: settings, problems, run records and curves.

    ``curves[i]`` is run ``i``'s best cost so far after each evaluation; ``paths[i]`` every
    point it evaluated (problems of dimension <= 2 only); ``terrains[key]`` the landscape
    sampled on a grid for pictures (1-D: ``(x, f)``; 2-D: ``(x, y, f)``).
    """

    settings: dict[str, Any]
    versions: dict[str, str | None]
    options: dict[str, dict[str, Any]]
    problems: list[RaceProblem]
    records: list[RunRecord]
    curves: dict[int, np.ndarray] = attrs.field(factory=dict)
    paths: dict[int, np.ndarray] = attrs.field(factory=dict)
    terrains: dict[str, tuple[np.ndarray, ...]] = attrs.field(factory=dict)
    created: str = ""

    @property
    def optimizers(self) -> list[str]:
        return list(self.settings["optimizers"])

    def records_of(self, key: str) -> list[tuple[int, RunRecord]]:
        """The (index, record) pairs of the runs on problem ``key``."""
        return [(i, r) for i, r in enumerate(self.records) if r.key == key]

    def tables(self) -> dict[str, list[Standing]]:
        """The standings of every problem, best first, by problem key."""
        return {
            p.key: standings([r for _, r in self.records_of(p.key)], p.budget)
            for p in self.problems
        }
