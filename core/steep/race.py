"""Races: every chosen optimizer on every chosen landscape, several seeds each.

One run is one optimizer on one landscape in one dimension with one seed, carried out by
:func:`steep.minimize`. The seed of a run comes from the race seed and the run's landscape,
dimension and trial number, not from the optimizer, so on each trial every optimizer starts
from the same point, and the results do not depend on how many worker processes share the
work. A race is saved to a folder (``race.json``, ``runs.csv``, ``curves.npz``) that
:func:`load` reads back for ``steep report`` and for plot plugins.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime
import hashlib
import json
import math
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from . import __version__
from .api import minimize
from .errors import PluginError, SteepError, UsageError
from .evaluator import Evaluator
from .leaderboard import Standing, format_table, format_winners, standings, tag_winners
from .options import as_dict
from .plugins import get_registry
from .progress import ProgressBar
from .registry import Registry
from .tags import KNOWN_TAGS

#: Evaluations per dimension in each run when no budget is given.
DEFAULT_BUDGET_PER_DIM = 1000
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


# --- what to race -----------------------------------------------------------------------


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


# --- parsing what users type ----------------------------------------------------------


def _split(text: str, label: str) -> list[str]:
    items = [part.strip() for part in text.split(",")]
    if not any(items):
        raise UsageError(f"--{label}: expected a comma-separated list, got {text!r}")
    return [item for item in items if item]


def _integer(text: str, label: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--{label}: {text!r} is not an integer") from None
    if value < minimum:
        raise UsageError(f"--{label}: {value} must be at least {minimum}")
    return value


def parse_positive_int(text: str, label: str) -> int:
    return _integer(text, label, 1)


def parse_dims(text: str) -> tuple[int, ...]:
    return tuple(sorted({_integer(part, "dims", 1) for part in _split(text, "dims")}))


def parse_seeds(text: str) -> tuple[int, tuple[int, ...] | None]:
    """``"5"``: five derived seeds; ``"3,7,11"`` (or ``"7,"``): exactly those seeds."""
    if "," not in text:
        return _integer(text.strip(), "seeds", 1), None
    seeds = tuple(_integer(part, "seeds", 0) for part in _split(text, "seeds"))
    if len(set(seeds)) != len(seeds):
        raise UsageError(f"--seeds: {text!r} repeats a seed")
    return len(seeds), seeds


def parse_target(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--target: {text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise UsageError(f"--target: {text!r} must be a positive finite number")
    return value


def select_optimizers(text: str | None, registry: Registry) -> tuple[str, ...]:
    """The optimizers named in ``text`` (all installed when ``None``)."""
    if text is None:
        names = registry.names("optimizer")
        if not names:
            raise UsageError("no optimizers are installed: pip install a steep optimizer plugin")
        return tuple(names)
    names = _split(text, "optimizers")
    for name in names:
        registry.get("optimizer", name)
    return tuple(dict.fromkeys(names))


def select_landscapes(text: str | None, registry: Registry) -> tuple[str, ...]:
    """The landscapes named in ``text``, or having a tag named there (all when ``None``)."""
    installed = registry.names("landscape")
    if text is None:
        if not installed:
            raise UsageError("no landscapes are installed: pip install a steep landscape plugin")
        return tuple(installed)
    chosen: list[str] = []
    for word in _split(text, "landscapes"):
        if word in installed:
            chosen.append(word)
            continue
        tagged = [n for n in installed if word in registry.landscape(n).tags]
        if tagged:
            chosen.extend(tagged)
            continue
        if word in KNOWN_TAGS:
            raise UsageError(f"--landscapes: no installed landscape has the tag {word!r}")
        all_tags = sorted({t for n in installed for t in registry.landscape(n).tags})
        try:
            registry.get("landscape", word)
        except UsageError as error:
            raise UsageError(
                f"--landscapes: {error}; nor is {word!r} a tag of an installed landscape "
                f"(tags: {', '.join(all_tags) or 'none'})"
            ) from None
    return tuple(dict.fromkeys(chosen))


# --- seeds, scale, problems -----------------------------------------------------------


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
    costs = costs[np.isfinite(costs)]
    if costs.size == 0:
        return 1.0
    floor = float(costs.min()) if fstar is None else fstar
    scale = float(np.median(costs - floor))
    return scale if math.isfinite(scale) and scale > 0 else 1.0


def _terrain(evaluate: Any, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, ...]:
    if lower.size == 1:
        x = np.linspace(lower[0], upper[0], 1001)
        return x, np.asarray(evaluate(x.reshape(-1, 1)), dtype=np.float64)
    x = np.linspace(lower[0], upper[0], 201)
    y = np.linspace(lower[1], upper[1], 201)
    grid_x, grid_y = np.meshgrid(x, y)
    costs = evaluate(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    return x, y, np.asarray(costs, dtype=np.float64).reshape(grid_x.shape)


def build_problems(
    settings: RaceSettings, registry: Registry
) -> tuple[list[RaceProblem], dict[str, tuple[np.ndarray, ...]], list[str]]:
    """The problems of a race, their terrains (dims <= 2) and notes on skipped dimensions."""
    problems, terrains, notes = [], {}, []
    for name in settings.landscapes:
        cls = registry.landscape(name)
        wanted = settings.dims or (cls.fixed_dim or cls.default_dim,)
        usable = [d for d in wanted if cls.fixed_dim is None or cls.fixed_dim == d]
        if len(usable) < len(wanted):
            notes.append(f"{name} is {cls.fixed_dim}-D only; skipped at other dimensions")
        for dim in usable:
            landscape = cls(dim=dim, seed=0)
            bounds = landscape.bounds
            minimum = landscape.minimum
            if minimum is not None and not bounds.contains(minimum.x.reshape(1, -1)):
                minimum = None
            fstar = None if minimum is None else float(minimum.fun)
            scale = landscape_scale(landscape.evaluate, bounds.lower, bounds.upper, fstar)
            budget = settings.budget or DEFAULT_BUDGET_PER_DIM * dim
            problem = RaceProblem(
                landscape=name,
                dim=dim,
                tags=tuple(sorted(cls.tags)),
                fstar=fstar,
                minimum_x=None if minimum is None else tuple(minimum.x.tolist()),
                scale=scale,
                target_gap=None if fstar is None else settings.target * scale,
                budget=budget,
                lower=tuple(bounds.lower.tolist()),
                upper=tuple(bounds.upper.tolist()),
                unit=cls.unit,
            )
            problems.append(problem)
            if dim <= PATH_MAX_DIM:
                terrains[problem.key] = _terrain(landscape.evaluate, bounds.lower, bounds.upper)
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
                    )
                )
    return specs


# --- carrying out runs ----------------------------------------------------------------

Outcome = tuple[int, RunRecord, np.ndarray, np.ndarray | None]


def first_hit(best_so_far: np.ndarray, fstar: float, target_gap: float) -> int | None:
    """The evaluation (from 1) at which the best cost first came within ``target_gap``
    of ``fstar``, or ``None`` if it never did."""
    reached = np.flatnonzero(best_so_far - fstar <= target_gap)
    return int(reached[0]) + 1 if reached.size else None


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


def execute(spec: RunSpec, registry: Registry | None = None) -> Outcome:
    """Carry out one run. A run whose plugin fails keeps what it did, with the error.

    Names are looked up in ``registry`` (default: this process's). A run stopped by Ctrl-C
    stops the race (``KeyboardInterrupt``).
    """
    registry = registry or get_registry()
    try:
        result = minimize(
            registry.landscape(spec.landscape)(dim=spec.dim, seed=0),
            optimizer=registry.optimizer(spec.optimizer),
            budget=spec.budget,
            seed=spec.seed,
        )
        message = result.message
    except PluginError as error:
        if error.result is None:
            return spec.index, _failed_record(spec, error), np.empty(0), None
        result, message = error.result, f"error: {error}"
    except SteepError as error:
        return spec.index, _failed_record(spec, error), np.empty(0), None
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
    return spec.index, record, best, path


def _execute_chunk(specs: Sequence[RunSpec]) -> list[Outcome]:
    return [execute(spec) for spec in specs]


def _ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to the main process, which stops the race."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(specs: Sequence[RunSpec], jobs: int) -> list[Sequence[RunSpec]]:
    size = max(1, min(8, len(specs) // (jobs * 8)))
    return [specs[i : i + size] for i in range(0, len(specs), size)]


def carry_out(
    specs: Sequence[RunSpec],
    jobs: int,
    progress: ProgressBar,
    registry: Registry,
    executor: concurrent.futures.Executor | None = None,
) -> Iterator[Outcome]:
    """The outcomes of ``specs``, as they finish: over ``executor`` (an evaluator's
    workers, e.g. a Dask cluster) when given, else over ``jobs`` worker processes.

    With one job the runs use ``registry``; workers load their own. Runs lost with a
    worker are recorded as failed runs, with the reason.
    """
    if executor is None and (jobs == 1 or len(specs) == 1):
        for spec in specs:
            yield execute(spec, registry)
            progress.advance()
        return
    if executor is not None:
        yield from _spread(specs, executor, jobs, progress)
        return
    workers = min(jobs, len(specs))
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, initializer=_ignore_interrupts
    ) as pool:
        yield from _spread(specs, pool, workers, progress)


def _spread(
    specs: Sequence[RunSpec],
    executor: concurrent.futures.Executor,
    workers: int,
    progress: ProgressBar,
) -> Iterator[Outcome]:
    chunks = {executor.submit(_execute_chunk, c): c for c in _chunks(specs, workers)}
    try:
        for future in concurrent.futures.as_completed(chunks):
            try:
                outcomes = future.result()
            except (KeyboardInterrupt, SteepError):
                raise
            except Exception as error:  # the worker was lost: the runs fail, the race goes on
                lost = SteepError(f"run lost with its worker: {type(error).__name__}: {error}")
                outcomes = [
                    (s.index, _failed_record(s, lost), np.empty(0), None) for s in chunks[future]
                ]
            yield from outcomes
            progress.advance(len(outcomes))
    except BaseException:
        for future in chunks:
            future.cancel()
        raise


def all_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def versions(registry: Registry) -> dict[str, str | None]:
    """The version of steep and of every loaded plugin distribution."""
    found: dict[str, str | None] = {"steep": __version__}
    for info in registry.plugins.values():
        if info.distribution and info.distribution != "steep":
            found[info.distribution] = info.version
    return found


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
        for index, record, best, path in carry_out(specs, jobs, progress, registry, executor):
            records[index] = record
            curves[index] = best
            if path is not None:
                paths[index] = path
    options = {
        name: {k: _plain(v) for k, v in as_dict(registry.optimizer(name).Options()).items()}
        for name in settings.optimizers
    }
    return RaceResults(
        settings=_settings_dict(settings, jobs),
        versions=versions(registry),
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


# --- saving and loading ---------------------------------------------------------------

CSV_FIELDS = [f.name for f in attrs.fields(RunRecord)]


def save(results: RaceResults, folder: Path) -> list[Path]:
    """Write ``race.json``, ``runs.csv`` and ``curves.npz`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "format": FORMAT_VERSION,
        "created": results.created,
        "versions": results.versions,
        "settings": results.settings,
        "options": results.options,
        "problems": [attrs.asdict(p) for p in results.problems],
        "runs": [attrs.asdict(r) for r in results.records],
    }
    (folder / "race.json").write_text(json.dumps(document, indent=1) + "\n")
    with open(folder / "runs.csv", "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for record in results.records:
            row = attrs.asdict(record)
            row["x"] = " ".join(repr(v) for v in record.x)
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    arrays = {f"curve_{i}": curve for i, curve in results.curves.items()}
    arrays.update({f"path_{i}": path for i, path in results.paths.items()})
    for number, problem in enumerate(results.problems):
        for axis, values in enumerate(results.terrains.get(problem.key, ())):
            arrays[f"terrain_{number}_{axis}"] = values
    np.savez_compressed(folder / "curves.npz", **arrays)
    return [folder / name for name in FILES]


def _tuple_or_none(value: Any) -> tuple[Any, ...] | None:
    return None if value is None else tuple(value)


def load(folder: Path | str) -> RaceResults:
    """Read back a race saved by :func:`save`."""
    folder = Path(folder)
    if not (folder / "race.json").is_file():
        raise UsageError(f"{folder} holds no saved race (no race.json)")
    try:
        document = json.loads((folder / "race.json").read_text())
        problems = [
            RaceProblem(
                **{
                    **p,
                    "tags": tuple(p["tags"]),
                    "minimum_x": _tuple_or_none(p["minimum_x"]),
                    "lower": tuple(p["lower"]),
                    "upper": tuple(p["upper"]),
                }
            )
            for p in document["problems"]
        ]
        records = [RunRecord(**{**r, "x": tuple(r["x"])}) for r in document["runs"]]
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{folder / 'race.json'} is not a saved race: {error}") from None
    results = RaceResults(
        settings=document["settings"],
        versions=document["versions"],
        options=document["options"],
        problems=problems,
        records=records,
        created=document.get("created", ""),
    )
    if (folder / "curves.npz").is_file():
        with np.load(folder / "curves.npz") as arrays:
            for key in arrays.files:
                kind, _, rest = key.partition("_")
                if kind == "curve":
                    results.curves[int(rest)] = arrays[key]
                elif kind == "path":
                    results.paths[int(rest)] = arrays[key]
            for number, problem in enumerate(problems):
                axes = []
                while f"terrain_{number}_{len(axes)}" in arrays.files:
                    axes.append(arrays[f"terrain_{number}_{len(axes)}"])
                if axes:
                    results.terrains[problem.key] = tuple(axes)
    return results


def retarget(results: RaceResults, target: float) -> RaceResults:
    """``results`` judged at another ``target`` (relative to scale), from the saved curves."""
    if len(results.curves) < len(results.records):
        raise UsageError("--target: this race has no saved curves (curves.npz) to judge again")
    problems = {
        p.key: attrs.evolve(p, target_gap=None if p.fstar is None else target * p.scale)
        for p in results.problems
    }
    records = []
    for index, record in enumerate(results.records):
        problem = problems[record.key]
        if problem.fstar is None or problem.target_gap is None:
            records.append(record)
            continue
        first = first_hit(results.curves[index], problem.fstar, problem.target_gap)
        records.append(attrs.evolve(record, evals_to_target=first, success=first is not None))
    return attrs.evolve(
        results,
        settings={**results.settings, "target": target},
        problems=list(problems.values()),
        records=records,
    )


# --- the leaderboard as text ----------------------------------------------------------


def _problem_header(problem: RaceProblem, trials: int) -> str:
    tags = f" [{', '.join(problem.tags)}]" if problem.tags else ""
    head = f"{problem.key}{tags}: {trials} seeds, budget {problem.budget} evaluations"
    if problem.target_gap is None:
        return f"{head}\n  minimum unknown, so success is not defined: ranked by median best cost"
    return (
        f"{head}\n  success: best cost within {problem.target_gap:.3g} of f* = "
        f"{problem.fstar:.6g} (target {problem.target_gap / problem.scale:g} x scale "
        f"{problem.scale:.3g})"
    )


def report_lines(results: RaceResults) -> list[str]:
    """The leaderboard of every problem, then the fastest reliable method per tag."""
    tables = results.tables()
    lines = []
    for problem in results.problems:
        trials = len({r.trial for _, r in results.records_of(problem.key)})
        lines.append(_problem_header(problem, trials))
        lines.extend(f"  {row}" for row in format_table(tables[problem.key]))
        lines.append("")
    tags = {p.key: p.tags for p in results.problems}
    lines.extend(format_winners(tag_winners(tables, tags)))
    errors = [r for r in results.records if r.stop == "error"]
    if errors:
        lines.append(
            f"{len(errors)} run(s) failed with an error; see the message column of runs.csv"
        )
    return lines


# --- the commands ---------------------------------------------------------------------


def add_race_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--optimizers", metavar="NAMES", help="comma-separated optimizers (default: all installed)"
    )
    parser.add_argument(
        "--landscapes",
        metavar="NAMES-OR-TAGS",
        help="comma-separated landscape names or tags, e.g. multimodal,bowl (default: all)",
    )
    parser.add_argument(
        "--dims", metavar="D1,D2", help="dimensions (default: each landscape's own)"
    )
    parser.add_argument(
        "--seeds",
        metavar="N|S1,S2",
        default=str(DEFAULT_TRIALS),
        help=f"a count of seeds derived from --race-seed, or a list of seeds "
        f"(a single one as '7,'); default {DEFAULT_TRIALS}",
    )
    parser.add_argument(
        "--race-seed", metavar="S", default="0", help="seed the run seeds derive from (default 0)"
    )
    parser.add_argument(
        "--budget",
        metavar="N",
        help=f"evaluations per run (default: {DEFAULT_BUDGET_PER_DIM} per dimension)",
    )
    parser.add_argument(
        "--target",
        metavar="T",
        default=str(DEFAULT_TARGET),
        help="success: best cost within T x scale of the known minimum, scale being the "
        f"landscape's median height above it (default {DEFAULT_TARGET:g})",
    )
    parser.add_argument("--jobs", "-j", metavar="N", help="worker processes (default: all cores)")
    parser.add_argument(
        "--out", metavar="FOLDER", help="results folder (default: results/race-<UTC time>)"
    )
    parser.add_argument(
        "--plots", action="store_true", help="draw pictures into the folder (needs a plot plugin)"
    )


def settings_from_args(args: argparse.Namespace, registry: Registry) -> RaceSettings:
    """The race the command-line arguments describe; :class:`UsageError` when invalid."""
    trials, seeds = parse_seeds(args.seeds)
    return RaceSettings(
        optimizers=select_optimizers(args.optimizers, registry),
        landscapes=select_landscapes(args.landscapes, registry),
        dims=None if args.dims is None else parse_dims(args.dims),
        trials=trials,
        seeds=seeds,
        race_seed=_integer(args.race_seed, "race-seed", 0),
        budget=None if args.budget is None else parse_positive_int(args.budget, "budget"),
        target=parse_target(args.target),
    )


def _out_folder(text: str | None) -> Path:
    if text is None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M%S")
        return Path("results") / f"race-{stamp}"
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out: {folder} exists and is not a folder")
    if (folder / "race.json").exists():
        raise UsageError(f"--out: {folder} already holds a race; choose another folder")
    return folder


def draw(results: RaceResults, folder: Path, registry: Registry) -> list[Path]:
    """Have the installed plot plugins draw ``results`` into ``folder``."""
    drawn = registry.hook.draw_race(race=results, folder=folder)
    return [Path(p) for files in drawn for p in files or ()]


def _plotting_available(registry: Registry) -> bool:
    return registry.hook is not None and bool(registry.hook.draw_race.get_hookimpls())


def command_race(
    args: argparse.Namespace, registry: Registry, evaluator: Evaluator | None = None
) -> int:
    settings = settings_from_args(args, registry)
    jobs = all_cores() if args.jobs is None else parse_positive_int(args.jobs, "jobs")
    folder = _out_folder(args.out)
    if args.plots and not _plotting_available(registry):
        raise UsageError(
            "--plots: no plot plugin is installed (none implements the draw_race hook); "
            "install one, or race without --plots"
        )
    results = run_race(settings, registry, jobs=jobs, evaluator=evaluator)
    print("\n".join(report_lines(results)))
    saved = save(results, folder)
    print(f"\nSaved {len(results.records)} runs to {folder}/ ({', '.join(p.name for p in saved)});")
    print(f"reload with: steep report {folder}")
    if args.plots:
        pictures = draw(results, folder, registry)
        where = sorted({str(p.parent) for p in pictures})
        print(f"Pictures: {len(pictures)} files in {', '.join(where) or folder}")
    return 0


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="a folder saved by `steep race`")
    parser.add_argument(
        "--target",
        metavar="T",
        help="judge success at this target instead (relative to each landscape's scale), "
        "from the saved best-so-far curves",
    )
    parser.add_argument("--json", action="store_true", help="print the standings as JSON")


def command_report(args: argparse.Namespace, registry: Registry) -> int:
    results = load(args.folder)
    if args.target is not None:
        results = retarget(results, parse_target(args.target))
    if args.json:
        tables = {key: [attrs.asdict(s) for s in lines] for key, lines in results.tables().items()}
        print(json.dumps({"settings": results.settings, "standings": tables}, indent=2))
        return 0
    print(f"Race of {results.created or 'unknown date'} (steep {results.versions.get('steep')})")
    print("\n".join(report_lines(results)))
    return 0
