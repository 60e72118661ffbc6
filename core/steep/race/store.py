"""A race's folder: ``race.json``, ``runs.csv`` and ``curves.npz``, written and read back,
finished or not (an unfinished race's runs are in ``runs.jsonl``, see :mod:`.runlog`)."""

from __future__ import annotations

import contextlib
import csv
import json
import os
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from steep import UsageError
from steep.guard import describe

from .model import (
    FILES,
    FORMAT_VERSION,
    FinishedRun,
    RaceProblem,
    RaceResults,
    RaceSettings,
    RunRecord,
)
from .plan import first_hit
from .runlog import RUNS_LOG, read_runs
from .schema import Invalid, fields_of

CSV_FIELDS = [f.name for f in attrs.fields(RunRecord)]
#: What race.json holds: key -> type (a key ending in ``?`` may be missing).
DOCUMENT = {
    "format": int,
    "created?": str,
    "complete?": bool,
    "planned?": int,
    "versions": dict[str, str | None],
    "settings": dict[str, Any],
    "options": dict[str, dict[str, Any]],
    "problems": tuple[RaceProblem, ...],
    "runs": tuple[RunRecord, ...],
}


def _settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The race settings in a saved ``settings`` object, each of its type."""
    types = {f.name: f.type for f in attrs.fields(attrs.resolve_types(RaceSettings))}
    return fields_of(settings, types, "settings.")


def save(results: RaceResults, folder: Path) -> list[Path]:
    """Write ``race.json``, ``runs.csv`` and ``curves.npz`` into ``folder``; ``race.json``
    last, and whole or not at all, so that it never says more than the others hold."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "format": FORMAT_VERSION,
        "created": results.created,
        "complete": results.complete,
        "planned": len(results.records) if results.planned is None else results.planned,
        "versions": results.versions,
        "settings": results.settings,
        "options": results.options,
        "problems": [attrs.asdict(p) for p in results.problems],
        "runs": [attrs.asdict(r) for r in results.records],
    }
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
    partial = folder / "race.json.partial"
    partial.write_text(json.dumps(document, indent=1) + "\n")
    os.replace(partial, folder / "race.json")
    return [folder / name for name in FILES]


def begin(results: RaceResults, folder: Path) -> bool:
    """Create ``folder`` and write the race's settings and problems into it, marked
    unfinished, before any run; whether the folder was created. :class:`UsageError` (one
    line) when it cannot be written."""
    created = not folder.exists()
    try:
        save(results, folder)
    except OSError as error:
        raise UsageError(f"--out: cannot write the race into {folder}: {describe(error)}") from None
    return created


def discard(folder: Path, created: bool) -> None:
    """Remove what :func:`begin` wrote (a race stopped before any run finished), and the
    folder too if it made it."""
    for name in (*FILES, RUNS_LOG):
        (folder / name).unlink(missing_ok=True)
    if created:
        with contextlib.suppress(OSError):  # something else is in it now: leave it
            folder.rmdir()


def finish(results: RaceResults, folder: Path) -> list[Path]:
    """Save the finished race, then drop its ``runs.jsonl``, which it no longer needs."""
    saved = save(results, folder)
    (folder / RUNS_LOG).unlink(missing_ok=True)
    return saved


def holds_race(folder: Path) -> str | None:
    """``"complete"`` or ``"unfinished"`` if ``folder`` holds a race, else ``None``."""
    if not (folder / "race.json").is_file():
        return None
    try:
        document = json.loads((folder / "race.json").read_text())
    except (OSError, ValueError):  # there, but damaged: a race all the same
        return "complete"
    unfinished = isinstance(document, dict) and document.get("complete") is False
    return "unfinished" if unfinished else "complete"


def saved_settings(results: RaceResults) -> RaceSettings:
    """The :class:`RaceSettings` of a loaded race, to run the rest of it."""
    return RaceSettings(**_settings(results.settings))


def _check_runs(records: Any, problems: Any, optimizers: Any, where: str) -> None:
    keys = {p.key for p in problems}
    for number, record in enumerate(records):
        if record.key not in keys:
            raise Invalid(f"{where}[{number}] is on {record.key}, which is not a problem")
        if record.optimizer not in optimizers:
            raise Invalid(f"{where}[{number}] is by {record.optimizer!r}, not a raced optimizer")


def _document(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path} cannot be read: {describe(error)}") from None
    except ValueError as error:
        raise UsageError(f"{path} is not a saved race: it is not JSON ({error})") from None
    try:
        document = fields_of(data, DOCUMENT, "")
        if not 1 <= document["format"] <= FORMAT_VERSION:
            raise Invalid(
                f"format {document['format']} is not one this steep reads (1 to "
                f"{FORMAT_VERSION}); was it written by a newer steep?"
            )
        settings = _settings(document["settings"])
        _check_runs(document["runs"], document["problems"], settings["optimizers"], "runs")
    except Invalid as error:
        raise UsageError(f"{path} is not a saved race: {error}") from None
    return document


def _arrays(path: Path, results: RaceResults, runs: bool) -> None:
    """Read ``curves.npz`` into ``results``: the terrains, and with ``runs`` the curves
    and paths. Pickles are never loaded."""
    count = len(results.records)
    try:
        with open(path, "rb") as file:
            if file.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
                raise Invalid("it is not an .npz archive (not a zip file)")
        with np.load(path, allow_pickle=False) as arrays:
            for key in arrays.files:
                kind, _, rest = key.partition("_")
                if kind not in ("curve", "path") or not runs:
                    continue
                if not rest.isdigit() or int(rest) >= count:
                    raise Invalid(f"{key!r} names no run (the race has {count})")
                array = arrays[key]
                if array.dtype.kind not in "fiu" or array.ndim != (1 if kind == "curve" else 2):
                    raise Invalid(f"{key!r} is an array of {array.dtype} in {array.ndim}-D")
                (results.curves if kind == "curve" else results.paths)[int(rest)] = array
            for number, problem in enumerate(results.problems):
                axes = []
                while f"terrain_{number}_{len(axes)}" in arrays.files:
                    axes.append(arrays[f"terrain_{number}_{len(axes)}"])
                if axes:
                    results.terrains[problem.key] = tuple(axes)
    except Exception as error:  # damaged: a zip, zlib, format or our own complaint
        reason = str(error) if isinstance(error, Invalid) else describe(error)
        raise UsageError(f"{path} is damaged or not a race's curves: {reason}") from None


def load(folder: Path | str) -> RaceResults:
    """Read back a race saved by :func:`save`, or an unfinished one: then ``planned`` says
    how many runs it planned, and ``records``, ``curves`` and ``paths`` hold those that
    finished, in the order of the plan. A damaged file is a one-line :class:`UsageError`."""
    return load_unfinished(Path(folder), repair=False)[0]


def load_unfinished(
    folder: Path, *, repair: bool = True
) -> tuple[RaceResults, dict[int, FinishedRun]]:
    """The race in ``folder`` and, if unfinished, its finished runs by index in the plan
    (a last line of ``runs.jsonl`` cut short is cut off it with ``repair``)."""
    if not (folder / "race.json").is_file():
        raise UsageError(f"{folder} holds no saved race (no race.json)")
    document = _document(folder / "race.json")
    complete = document.get("complete", True)
    results = RaceResults(
        settings=document["settings"],
        versions=document["versions"],
        options=document["options"],
        problems=list(document["problems"]),
        records=list(document["runs"]),
        created=document.get("created", ""),
        planned=document.get("planned"),
    )
    finished = {} if complete else read_runs(folder, repair=repair)
    if not complete:
        order = sorted(finished)
        try:
            records = [finished[i].record for i in order]
            _check_runs(records, results.problems, results.optimizers, "run")
            if order and order[-1] >= (results.planned or 0):
                raise Invalid(f"run {order[-1]} is not one of the {results.planned} planned")
        except Invalid as error:
            raise UsageError(f"{folder / RUNS_LOG} does not fit race.json: {error}") from None
        results.records = records
        results.curves = {n: finished[i].curve for n, i in enumerate(order)}
        paths = {n: finished[i].path for n, i in enumerate(order)}
        results.paths = {n: path for n, path in paths.items() if path is not None}
    if (folder / "curves.npz").is_file():
        _arrays(folder / "curves.npz", results, runs=complete)
    return results, finished


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
