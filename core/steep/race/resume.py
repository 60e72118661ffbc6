"""Resuming a race: what makes an unfinished race's folder one this installation can finish,
so that the finished race is the one an uninterrupted run would have given."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from steep import UsageError
from steep.registry import Registry

from .model import FinishedRun, RaceResults, RunSpec


def _problem_changes(saved: RaceResults, now: RaceResults) -> list[str]:
    before = {p.key: p for p in saved.problems}
    after = {p.key: p for p in now.problems}
    if list(before) != list(after):
        return [f"problems {', '.join(before)} then, {', '.join(after)} now"]
    changes = []
    for key, problem in after.items():
        for field in attrs.fields(type(problem)):
            then, nowv = getattr(before[key], field.name), getattr(problem, field.name)
            if then != nowv:
                changes.append(f"{key} {field.name} {then!r} then, {nowv!r} now")
                break
    return changes


def _version_changes(saved: RaceResults, registry: Registry) -> list[str]:
    settings = saved.settings
    used = [("optimizer", name) for name in settings["optimizers"]]
    used += [("landscape", name) for name in settings["landscapes"]]
    return [
        f"{name} {saved.versions.get(name)} then, {version} now"
        for name, version in registry.versions(*used).items()
        if saved.versions.get(name) != version
    ]


def _identity(spec: RunSpec | FinishedRun) -> tuple[object, ...]:
    r = spec.record if isinstance(spec, FinishedRun) else spec
    return (r.optimizer, r.landscape, r.dim, r.trial, r.seed)


def check_resumable(
    saved: RaceResults,
    now: RaceResults,
    specs: Sequence[RunSpec],
    done: dict[int, FinishedRun],
    registry: Registry,
    folder: Path,
) -> None:
    """:class:`UsageError` unless finishing the unfinished race ``saved`` (from ``folder``,
    its finished runs ``done`` by index in the plan) here gives the same race: not if the
    landscapes measure differently now (``now`` is the race as planned here), the plugins'
    versions changed, or the runs saved are not those of the plan ``specs``."""
    for what, changes in (
        ("the landscapes measure differently now", _problem_changes(saved, now)),
        ("other versions are installed", _version_changes(saved, registry)),
    ):
        if changes:
            raise UsageError(
                f"--resume: {folder} cannot be finished here, {what} ({'; '.join(changes)}); "
                "race again into another folder"
            )
    for index, run in done.items():
        if index >= len(specs) or _identity(run) != _identity(specs[index]):
            raise UsageError(
                f"--resume: {folder}'s run {index} ({', '.join(map(str, _identity(run)))}) is "
                "not that run of the race's plan; race again into another folder"
            )
