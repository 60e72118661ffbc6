"""What a race is made of: its settings, problems, planned runs, run records, finished runs
and results."""

from __future__ import annotations

import math
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
#: Version 2 added ``complete``, ``planned`` and each problem's ``error``; 1 is still read.
FORMAT_VERSION = 2
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
    #: Why the landscape could not be measured (its plugin raised); its runs then fail.
    error: str | None = None

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
    error: str | None = None  # the problem is broken: the run fails without running


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


def failed_record(spec: RunSpec, reason: str) -> RunRecord:
    """The record of run ``spec`` that failed before it could run, for ``reason``."""
    return RunRecord(
        optimizer=spec.optimizer,
        landscape=spec.landscape,
        dim=spec.dim,
        trial=spec.trial,
        seed=spec.seed,
        success=None if spec.fstar is None else False,
        evals_to_target=None,
        nfev=0,
        nit=0,
        fun=math.inf,
        gap=None if spec.fstar is None else math.inf,
        elapsed=0.0,
        stop="error",
        message=f"error: {reason}",
        x=(),
    )


@attrs.frozen(eq=False)
class FinishedRun:
    """Run ``index`` of the plan, done: its record, best-so-far curve and, in low
    dimensions, every point it evaluated."""

    index: int
    record: RunRecord
    curve: np.ndarray
    path: np.ndarray | None = None

    @classmethod
    def failed(cls, spec: RunSpec, error: Exception | str) -> FinishedRun:
        return cls(spec.index, failed_record(spec, str(error)), np.empty(0))


@attrs.define
class RaceResults:
    """A finished (or reloaded) race: settings, problems, run records and curves.

    ``curves[i]`` is run ``i``'s best cost so far after each evaluation; ``paths[i]`` every
    point it evaluated (problems of dimension <= 2 only); ``terrains[key]`` the landscape
    sampled on a grid for pictures (1-D: ``(x, f)``; 2-D: ``(x, y, f)``). ``planned`` is
    the number of runs the race planned; an unfinished race (interrupted, reloaded from its
    folder) holds fewer ``records``, those of the runs that finished.
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
    planned: int | None = None  # None: as many as there are records

    @property
    def complete(self) -> bool:
        """Whether every planned run is here."""
        return self.planned is None or len(self.records) >= self.planned

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
