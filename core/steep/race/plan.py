"""Planning a race: run seeds, each landscape's scale and target, and every run in order.

The seed of a run comes from the race seed and the run's landscape, dimension and trial
number, not from the optimizer, so on each trial every optimizer starts from the same
point, and the results do not depend on how many workers share the work."""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from steep import Landscape, PluginError, UsageError
from steep.guard import guarded
from steep.registry import Registry
from steep.run import DEFAULT_BUDGET_PER_DIM

from .model import (
    PATH_MAX_DIM,
    SCALE_SAMPLES,
    RaceProblem,
    RaceSettings,
    RunSpec,
)


def first_hit(best_so_far: np.ndarray, fstar: float, target_gap: float) -> int | None:
    """The evaluation (from 1) at which the best cost first came within ``target_gap``
    of ``fstar``, or ``None`` if it never did."""
    reached = np.flatnonzero(best_so_far - fstar <= target_gap)
    return int(reached[0]) + 1 if reached.size else None


def derive_seed(race_seed: int, landscape: str, dim: int, trial: int) -> int:
    """The seed of a run: from the race seed and the run's landscape, dimension and trial.

    The optimizer is left out on purpose: on each trial every optimizer starts from the
    same point (paired comparison).
    """
    text = f"steep-race:{race_seed}:{landscape}:{dim}:{trial}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "little")


def landscape_scale(
    evaluate: Any, lower: np.ndarray, upper: np.ndarray, fstar: float | None
) -> float:
    """The landscape's typical height: the median of ``f - f*`` over uniform random points.

    Measured on :data:`SCALE_SAMPLES` points drawn with a fixed seed; where the minimum is
    unknown, the lowest cost sampled stands in for ``f*``. Targets are relative to it.
    """
    rng = np.random.default_rng(0)
    points = lower + rng.random((SCALE_SAMPLES, lower.size)) * (upper - lower)
    costs = np.asarray(evaluate(points), dtype=np.float64)
    if costs.shape != (SCALE_SAMPLES,):
        raise ValueError(f"evaluate returned shape {costs.shape} for {SCALE_SAMPLES} points")
    costs = costs[np.isfinite(costs)]
    if costs.size == 0:
        return 1.0
    floor = float(costs.min()) if fstar is None else fstar
    scale = float(np.median(costs - floor))
    return scale if math.isfinite(scale) and scale > 0 else 1.0


def _terrain(evaluate: Any, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, ...]:
    if lower.size == 1:
        x = np.linspace(lower[0], upper[0], 1001)
        return x, np.asarray(evaluate(x.reshape(-1, 1)), dtype=np.float64).reshape(x.shape)
    x = np.linspace(lower[0], upper[0], 201)
    y = np.linspace(lower[1], upper[1], 201)
    grid_x, grid_y = np.meshgrid(x, y)
    costs = evaluate(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    return x, y, np.asarray(costs, dtype=np.float64).reshape(grid_x.shape)


def _measure(
    cls: type[Landscape], plugin: str, dim: int, settings: RaceSettings
) -> tuple[RaceProblem, tuple[np.ndarray, ...] | None, str | None]:
    """The problem of landscape ``cls`` in ``dim`` dimensions, its terrain (dims <= 2) and a
    note when the terrain could not be drawn. Plugin code runs guarded: a landscape that
    raises gives a problem with its ``error``, whose runs will be recorded as failed."""
    known: dict[str, Any] = {"fstar": None, "minimum_x": None, "lower": (), "upper": ()}
    problem = functools.partial(
        RaceProblem,
        landscape=cls.name,
        dim=dim,
        tags=tuple(sorted(cls.tags)),
        budget=settings.budget or DEFAULT_BUDGET_PER_DIM * dim,
        unit=cls.unit,
    )
    where = f"landscape {cls.name!r} in {dim}-D"
    try:
        with guarded(plugin, f"{where}: setting it up"):
            landscape = cls(dim=dim, seed=0)
            bounds = landscape.bounds
            known.update(lower=tuple(bounds.lower.tolist()), upper=tuple(bounds.upper.tolist()))
        with guarded(plugin, f"{where}: its minimum"):
            minimum = landscape.minimum
            if minimum is not None and bounds.contains(minimum.x.reshape(1, -1)):
                known.update(fstar=float(minimum.fun), minimum_x=tuple(minimum.x.tolist()))
        with guarded(plugin, f"{where}: evaluate, measuring its scale"):
            scale = landscape_scale(landscape.evaluate, bounds.lower, bounds.upper, known["fstar"])
    except PluginError as error:
        return problem(**known, scale=1.0, target_gap=None, error=str(error)), None, None
    fstar = known["fstar"]
    measured = problem(
        **known, scale=scale, target_gap=None if fstar is None else settings.target * scale
    )
    if dim > PATH_MAX_DIM:
        return measured, None, None
    try:
        with guarded(plugin, f"{where}: evaluate, drawing its terrain"):
            return measured, _terrain(landscape.evaluate, bounds.lower, bounds.upper), None
    except PluginError as error:
        return measured, None, f"no terrain pictures of {measured.key}: {error}"


def build_problems(
    settings: RaceSettings, registry: Registry
) -> tuple[list[RaceProblem], dict[str, tuple[np.ndarray, ...]], list[str]]:
    """The problems of a race, their terrains (dims <= 2) and notes on skipped dimensions.

    A landscape whose plugin raises while it is measured gives a problem with its ``error``
    (and no terrain); the race records its runs as failed and goes on.
    """
    problems, terrains, notes = [], {}, []
    for name in settings.landscapes:
        cls = registry.landscape(name)
        wanted = settings.dims or (cls.fixed_dim or cls.default_dim,)
        usable = [d for d in wanted if cls.takes(d)]
        if len(usable) < len(wanted):
            skipped = ", ".join(str(d) for d in wanted if d not in usable)
            notes.append(f"{name} does not exist in dimension {skipped}; skipped there")
        for dim in usable:
            problem, terrain, note = _measure(
                cls, registry.get("landscape", name).plugin, dim, settings
            )
            problems.append(problem)
            if terrain is not None:
                terrains[problem.key] = terrain
            if note is not None:
                notes.append(note)
    if not problems:
        raise UsageError(
            f"--dims: none of the chosen landscapes takes dimension(s) "
            f"{', '.join(map(str, settings.dims or ()))}"
        )
    return problems, terrains, notes


def plan(settings: RaceSettings, problems: Sequence[RaceProblem]) -> list[RunSpec]:
    """Every run of the race, in a fixed order."""
    specs = []
    for problem in problems:
        for trial in range(settings.trial_count):
            if settings.seeds is None:
                seed = derive_seed(settings.race_seed, problem.landscape, problem.dim, trial)
            else:
                seed = settings.seeds[trial]
            for optimizer in settings.optimizers:
                specs.append(
                    RunSpec(
                        index=len(specs),
                        optimizer=optimizer,
                        landscape=problem.landscape,
                        dim=problem.dim,
                        trial=trial,
                        seed=seed,
                        budget=problem.budget,
                        fstar=problem.fstar,
                        target_gap=problem.target_gap,
                        error=problem.error,
                    )
                )
    return specs
