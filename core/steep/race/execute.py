"""Carrying out a race: each run through ``steep.minimize``, spread over worker processes
or an evaluator's cluster, runs lost with a worker recorded as failed; saved to its folder
run by run, and resumed from there."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

import steep
from steep import Evaluator, PluginError, SteepError, UsageError
from steep.progress import ProgressBar
from steep.registry import Registry

from .model import PATH_MAX_DIM, FinishedRun, RaceResults, RaceSettings, RunRecord, RunSpec
from .plan import build_problems, first_hit, plan
from .resume import check_resumable
from .runlog import RunLog
from .store import begin, discard, finish, load_unfinished, saved_settings
from .variants import parse_variant, variant_options
from .workers import in_processes


def run_one(spec: RunSpec, registry: Registry) -> FinishedRun:
    """Carry out one run. A run whose plugin fails keeps what it did, with the error.

    A run stopped by Ctrl-C stops the race (``KeyboardInterrupt``).
    """
    try:
        variant = parse_variant(spec.optimizer, registry)
        result = steep.minimize(
            spec.landscape,
            dim=spec.dim,
            optimizer=variant.name,
            options=variant.options,
            restarts=variant.restarts,
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

    Workers rebuild ``registry`` from its recipe. Runs on a broken problem, and runs lost
    with a worker, are recorded as failed runs, with the reason.
    """
    for spec in specs:
        if spec.error is not None:
            yield FinishedRun.failed(spec, spec.error)
            progress.advance()
    specs = [spec for spec in specs if spec.error is None]
    if not specs:
        return
    if executor is None and (jobs == 1 or len(specs) == 1):
        for spec in specs:
            yield run_one(spec, registry)
            progress.advance()
    elif executor is not None:
        yield from _spread(specs, executor, jobs, progress, registry)
    else:
        with contextlib.closing(in_processes(specs, run_one, registry, jobs)) as outcomes:
            for spec, outcome in outcomes:
                yield (
                    outcome
                    if isinstance(outcome, FinishedRun)
                    else FinishedRun.failed(spec, outcome)
                )
                progress.advance()


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
    folder: Path | None = None,
) -> RaceResults:
    """Carry out the race ``settings`` describes, over ``jobs`` worker processes, or over
    the workers of ``evaluator`` (one that offers an executor, such as ``dask``).

    With ``folder``, the race is saved there as it goes: its settings and problems before
    the first run, each run as it finishes (``runs.jsonl``), and the whole race at the end.
    Stopped before the end (Ctrl-C), the folder holds every finished run, and
    :func:`resume_race` carries out the rest.
    """
    return _over(evaluator, settings, registry, jobs, show_progress, folder, None)


def resume_race(
    folder: Path | str,
    registry: Registry,
    *,
    jobs: int = 1,
    show_progress: bool = True,
    evaluator: Evaluator | None = None,
) -> RaceResults:
    """Finish the unfinished race saved in ``folder``: only its missing runs are carried
    out, with the settings read from the folder; the result is the race an uninterrupted
    run would have given. A finished race is returned as it is."""
    saved, done = load_unfinished(Path(folder))
    if saved.complete:
        return saved
    arguments = (saved_settings(saved), registry, jobs, show_progress, Path(folder), (saved, done))
    return _over(evaluator, *arguments)


def _over(evaluator: Evaluator | None, *arguments: Any) -> RaceResults:
    if evaluator is None:
        return _run_race(*arguments, None)
    with evaluator:
        executor = evaluator.executor()
        if executor is None:
            raise UsageError(
                f"evaluator {evaluator.name!r} cannot spread whole runs; steep race "
                "spreads them over --jobs worker processes itself"
            )
        return _run_race(*arguments, executor)


def _run_race(
    settings: RaceSettings,
    registry: Registry,
    jobs: int,
    show_progress: bool,
    folder: Path | None,
    resuming: tuple[RaceResults, dict[int, FinishedRun]] | None,
    executor: concurrent.futures.Executor | None,
) -> RaceResults:
    problems, terrains, notes = build_problems(settings, registry)
    for note in notes:
        print(f"steep race: note: {note}", file=sys.stderr)
    for problem in problems:
        if problem.error is not None:
            print(
                f"steep race: warning: {problem.key} is broken, its runs are recorded as "
                f"failed: {problem.error}",
                file=sys.stderr,
            )
    specs = plan(settings, problems)
    results = RaceResults(
        settings=_settings_dict(settings, jobs),
        versions=registry.versions(),
        options={
            name: {
                k: _plain(v)
                for k, v in variant_options(parse_variant(name, registry), registry).items()
            }
            for name in settings.optimizers
        },
        problems=problems,
        records=[],
        terrains=terrains,
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        planned=len(specs),
    )
    done: dict[int, FinishedRun] = {}
    created = False
    if folder is not None and resuming is not None:
        saved, done = resuming
        check_resumable(saved, results, specs, done, registry, folder)
        results = attrs.evolve(
            results, settings=saved.settings, options=saved.options, created=saved.created
        )
    elif folder is not None:
        created = begin(results, folder)
    todo = [spec for spec in specs if spec.index not in done]
    progress = ProgressBar(len(todo), "race")
    progress.enabled = progress.enabled and show_progress
    if progress.enabled:
        print(
            f"Racing {len(settings.optimizers)} optimizers on {len(problems)} landscape "
            f"problems, {settings.trial_count} seeds each: {len(todo)} runs "
            f"{f'(of {len(specs)}) ' if done else ''}over {min(jobs, len(todo))} worker "
            "process(es)",
            file=progress.stream,
        )
    log = None if folder is None else RunLog(folder, fresh=resuming is None)
    try:
        with (
            progress,
            contextlib.closing(carry_out(todo, jobs, progress, registry, executor)) as runs,
        ):
            for run in runs:
                if log is not None:
                    log.append(run)
                done[run.index] = run
    except BaseException:
        if log is not None:
            log.close()
            saved = len(specs) - len(todo) + log.count  # what the folder holds, exactly
            if saved or resuming is not None:
                print(
                    f"steep race: {saved} of {len(specs)} runs are saved in {folder}; "
                    f"finish the race with: steep race --resume {folder}",
                    file=sys.stderr,
                )
            else:
                discard(folder, created)
        raise
    results.records = [done[spec.index].record for spec in specs]
    results.curves = {spec.index: done[spec.index].curve for spec in specs}
    results.paths = {i: run.path for i, run in sorted(done.items()) if run.path is not None}
    if log is not None:
        log.close()
        finish(results, folder)
    return results


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _settings_dict(settings: RaceSettings, jobs: int) -> dict[str, Any]:
    data = {**attrs.asdict(settings), "jobs": jobs}
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
