"""Carrying out a race: each run through ``steep.minimize``, spread over worker processes
or an evaluator's cluster, runs lost with a worker recorded as failed."""

from __future__ import annotations

import concurrent.futures
import datetime
import math
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np

import steep
from steep import Evaluator, PluginError, SteepError, UsageError
from steep.options import as_dict
from steep.pool import ignore_interrupts
from steep.progress import ProgressBar
from steep.registry import Registry

from .model import PATH_MAX_DIM, RaceResults, RaceSettings, RunRecord, RunSpec
from .plan import build_problems, first_hit, plan


@attrs.frozen(eq=False)
class FinishedRun:
    """Run ``index`` of the plan, done: its record, best-so-far curve and, in low
    dimensions, every point it evaluated."""

    index: int
    record: RunRecord
    curve: np.ndarray
    path: np.ndarray | None = None

    @classmethod
    def failed(cls, spec: RunSpec, error: SteepError) -> FinishedRun:
        return cls(spec.index, _failed_record(spec, error), np.empty(0))


def _failed_record(spec: RunSpec, error: SteepError) -> RunRecord:
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
        message=f"error: {error}",
        x=(),
    )


def run_one(spec: RunSpec, registry: Registry) -> FinishedRun:
    """Carry out one run. A run whose plugin fails keeps what it did, with the error.

    A run stopped by Ctrl-C stops the race (``KeyboardInterrupt``).
    """
    try:
        result = steep.minimize(
            spec.landscape,
            dim=spec.dim,
            optimizer=spec.optimizer,
            budget=spec.budget,
            seed=spec.seed,
            registry=registry,
        )
        message = result.message
    except PluginError as error:
        if error.result is None:
            return FinishedRun.failed(spec, error)
        result, message = error.result, f"error: {error}"
    except SteepError as error:
        return FinishedRun.failed(spec, error)
    if result.stop == "interrupted":
        raise KeyboardInterrupt
    best = result.history.best_so_far()
    evals_to_target = None
    success = None
    gap = None
    if spec.fstar is not None and spec.target_gap is not None:
        evals_to_target = first_hit(best, spec.fstar, spec.target_gap)
        success = evals_to_target is not None
        gap = float(result.fun - spec.fstar)
    record = RunRecord(
        optimizer=spec.optimizer,
        landscape=spec.landscape,
        dim=spec.dim,
        trial=spec.trial,
        seed=spec.seed,
        success=success,
        evals_to_target=evals_to_target,
        nfev=result.nfev,
        nit=result.nit,
        fun=float(result.fun),
        gap=gap,
        elapsed=result.elapsed,
        stop=result.stop,
        message=message,
        x=tuple(result.x.tolist()),
    )
    path = np.array(result.history.x) if spec.dim <= PATH_MAX_DIM else None
    return FinishedRun(spec.index, record, best, path)


def _run_chunk(specs: Sequence[RunSpec], registry: Registry) -> list[FinishedRun]:
    return [run_one(spec, registry) for spec in specs]


def _chunks(specs: Sequence[RunSpec], jobs: int) -> list[Sequence[RunSpec]]:
    size = max(1, min(8, len(specs) // (jobs * 8)))
    return [specs[i : i + size] for i in range(0, len(specs), size)]


def carry_out(
    specs: Sequence[RunSpec],
    jobs: int,
    progress: ProgressBar,
    registry: Registry,
    executor: concurrent.futures.Executor | None = None,
) -> Iterator[FinishedRun]:
    """The runs of ``specs``, as they finish: over ``executor`` (an evaluator's workers,
    e.g. a Dask cluster) when given, else over ``jobs`` worker processes.

    Workers rebuild ``registry`` from its recipe. Runs lost with a worker are recorded as
    failed runs, with the reason.
    """
    if executor is None and (jobs == 1 or len(specs) == 1):
        for spec in specs:
            yield run_one(spec, registry)
            progress.advance()
        return
    if executor is not None:
        yield from _spread(specs, executor, jobs, progress, registry)
        return
    workers = min(jobs, len(specs))
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=ignore_interrupts
    ) as pool:
        yield from _spread(specs, pool, workers, progress, registry)


def _spread(
    specs: Sequence[RunSpec],
    executor: concurrent.futures.Executor,
    workers: int,
    progress: ProgressBar,
    registry: Registry,
) -> Iterator[FinishedRun]:
    chunks = {executor.submit(_run_chunk, c, registry): c for c in _chunks(specs, workers)}
    try:
        for future in concurrent.futures.as_completed(chunks):
            try:
                outcomes = future.result()
            except (KeyboardInterrupt, SteepError):
                raise
            except Exception as error:  # the worker was lost: the runs fail, the race goes on
                lost = SteepError(f"run lost with its worker: {type(error).__name__}: {error}")
                outcomes = [FinishedRun.failed(spec, lost) for spec in chunks[future]]
            yield from outcomes
            progress.advance(len(outcomes))
    except BaseException:
        for future in chunks:
            future.cancel()
        raise


def run_race(
    settings: RaceSettings,
    registry: Registry,
    *,
    jobs: int = 1,
    show_progress: bool = True,
    evaluator: Evaluator | None = None,
) -> RaceResults:
    """Carry out the race ``settings`` describes, over ``jobs`` worker processes, or over
    the workers of ``evaluator`` (one that offers an executor, such as ``dask``)."""
    if evaluator is not None:
        with evaluator:
            executor = evaluator.executor()
            if executor is None:
                raise UsageError(
                    f"evaluator {evaluator.name!r} cannot spread whole runs; steep race "
                    "spreads them over --jobs worker processes itself"
                )
            return _run_race(settings, registry, jobs, show_progress, executor)
    return _run_race(settings, registry, jobs, show_progress, None)


def _run_race(
    settings: RaceSettings,
    registry: Registry,
    jobs: int,
    show_progress: bool,
    executor: concurrent.futures.Executor | None,
) -> RaceResults:
    problems, terrains, notes = build_problems(settings, registry)
    for note in notes:
        print(f"steep race: note: {note}", file=sys.stderr)
    specs = plan(settings, problems)
    records: list[RunRecord | None] = [None] * len(specs)
    curves, paths = {}, {}
    progress = ProgressBar(len(specs), "race")
    progress.enabled = progress.enabled and show_progress
    if progress.enabled:
        print(
            f"Racing {len(settings.optimizers)} optimizers on {len(problems)} landscape "
            f"problems, {settings.trial_count} seeds each: {len(specs)} runs "
            f"over {min(jobs, len(specs))} worker process(es)",
            file=progress.stream,
        )
    with progress:
        for done in carry_out(specs, jobs, progress, registry, executor):
            records[done.index] = done.record
            curves[done.index] = done.curve
            if done.path is not None:
                paths[done.index] = done.path
    options = {
        name: {k: _plain(v) for k, v in as_dict(registry.optimizer(name).Options()).items()}
        for name in settings.optimizers
    }
    return RaceResults(
        settings=_settings_dict(settings, jobs),
        versions=registry.versions(),
        options=options,
        problems=problems,
        records=[r for r in records if r is not None],
        curves=curves,
        paths=paths,
        terrains=terrains,
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _settings_dict(settings: RaceSettings, jobs: int) -> dict[str, Any]:
    data = {**attrs.asdict(settings), "jobs": jobs}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
