"""A journal's header: what it records of a run, and the check that a journal is of the run
about to continue it."""

from __future__ import annotations

import datetime
import hashlib
import inspect
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .budget import draw_seed
from .errors import UsageError
from .journal import HEADER_KEYS, Chunk
from .journal_writer import JournalWriter
from .options import as_dict
from .problem import function_reference

if TYPE_CHECKING:
    from .optimizer import Optimizer
    from .problem import Problem
    from .registry import Registry


def _source_digest(function: Any) -> str | None:
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        return None


def run_header(
    problem: Problem,
    *,
    optimizer_class: type[Optimizer],
    optimizer_name: str,
    options: Any,
    budget: Mapping[str, Any],
    seed: int,
    x0: Any,
    registry: Registry,
) -> dict[str, Any]:
    """What a journal's header says of a run, as JSON data."""
    spec = dict(problem.spec, bounds_used=problem.bounds.as_pairs())
    if problem.landscape is None:
        source = problem.pointwise or problem.evaluate
        spec["source_sha256"] = _source_digest(source)
    registered = registry.entries["optimizer"].get(optimizer_name)
    reference = (
        None
        if registered is not None and registered.item is optimizer_class
        else (function_reference(optimizer_class))
    )
    setup = {
        "problem": spec,
        "optimizer": {"name": optimizer_name, "reference": reference},
        "options": as_dict(options),
        "seed": seed,
        "x0": None if x0 is None else [float(v) for v in x0],
        "budget": dict(budget),
        "versions": registry.versions(("optimizer", optimizer_name), ("landscape", problem.name)),
        "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    return json.loads(json.dumps(setup))


def refuse_changes(
    journal: str | os.PathLike[str],
    written: dict[str, Any],
    now: dict[str, Any],
    force: bool,
    *,
    header_changed: bool = False,
) -> None:
    """Raise :class:`UsageError` saying what differs between the journal's setup and now.

    Other versions, a function whose source changed, or a header changed after it was
    written (``header_changed``: edited by hand) are let through with ``force``.
    """
    differences, forceable = [], []
    for key in HEADER_KEYS:
        before, after = written.get(key), now[key]
        if isinstance(before, dict) and isinstance(after, dict):
            changed = [
                (f"{key}.{f}", before.get(f), after.get(f)) for f in sorted({*before, *after})
            ]
        else:
            changed = [(key, before, after)]
        for label, old, new in changed:
            if old != new:
                lenient = key == "versions" or label == "problem.source_sha256"
                (forceable if lenient else differences).append(
                    f"{label}: journal {old!r}, now {new!r}"
                )
    edited = "its header (line 1) was changed after it was written (its checksum does not match)"
    if differences or ((forceable or header_changed) and not force):
        hint = "" if differences else "; resume anyway with force=True (--force)"
        if not (differences or forceable):
            raise UsageError(f"journal {str(journal)!r}: {edited}{hint}")
        reasons = differences + forceable + ([edited] if header_changed else [])
        raise UsageError(f"journal {str(journal)!r} is of another run: {'; '.join(reasons)}{hint}")


def open_journal(
    path: str | os.PathLike[str], seed: int | None, header_of: Callable[[int], dict[str, Any]]
) -> tuple[JournalWriter, Sequence[Chunk], int]:
    """The writer of the journal at ``path``, the chunks to feed back, and the run's seed.

    A journal that exists is locked before it is read (so no other run appends to it) and
    continued when ``header_of(seed)`` describes the same run (its seed the journal's
    unless one is given); otherwise the journal is created with that header.
    """
    writer = JournalWriter(path, None) if Path(path).exists() else None
    try:
        contents = None if writer is None else writer.contents
        if seed is None:
            seed = draw_seed() if contents is None else contents.header["seed"]
        header = header_of(seed)
        if contents is None:
            return JournalWriter(path, header), (), seed
        refuse_changes(
            path, contents.header, header, force=False, header_changed=contents.header_changed
        )
        return writer, contents.chunks, seed  # type: ignore[return-value]
    except BaseException:
        if writer is not None:
            writer.close()
        raise
