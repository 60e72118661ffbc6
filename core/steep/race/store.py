"""A race's folder: ``race.json``, ``runs.csv`` and ``curves.npz``, written and read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from steep import UsageError

from .model import FILES, FORMAT_VERSION, RaceProblem, RaceResults, RunRecord
from .plan import first_hit

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
