"""The journal: a run's setup and every evaluation, appended durably as JSON lines.

The first line is the header (what was run: problem, optimizer, options, seed, budget,
versions). Each further line records evaluated points of one batch, written, flushed and
synced to disk before the optimizer hears of them::

    {"batch": 3, "offset": 0, "x": [[65.1]], "y": [0.0004], "failures": {}, "seconds": 0.01}

A batch may span several lines (``offset`` is the index of the first point in the batch),
so that a pointwise objective is journaled point by point and a killed run loses nothing
it paid for. A last line cut short by a kill is detected and dropped on reading.
"""

from __future__ import annotations

import datetime
import hashlib
import inspect
import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .errors import SteepWarning, UsageError
from .evaluator import Outcome
from .options import as_dict
from .problem import function_reference

if TYPE_CHECKING:
    from .optimizer import Optimizer
    from .problem import Problem
    from .registry import Registry

FORMAT = "steep-journal"
FORMAT_VERSION = 1
#: What a header says of a run; a journal is of the same run when all but the time agree.
HEADER_KEYS = ("problem", "optimizer", "options", "seed", "x0", "budget", "versions")


@attrs.frozen(eq=False)
class Chunk:
    """Evaluated points ``x`` of batch ``batch``, starting at index ``offset`` in it."""

    batch: int
    offset: int
    x: np.ndarray
    outcome: Outcome


@attrs.frozen(eq=False)
class JournalContents:
    """A journal as read: its header and the chunks of evaluations after it."""

    header: dict[str, Any]
    chunks: list[Chunk]


def _chunk(record: dict[str, Any], dim: int) -> Chunk:
    x = np.array(record["x"], dtype=np.float64).reshape(-1, dim)
    costs = np.array(record["y"], dtype=np.float64).reshape(-1)
    if len(costs) != len(x):
        raise ValueError(f"{len(x)} points but {len(costs)} costs")
    failures = {int(i): str(reason) for i, reason in record.get("failures", {}).items()}
    return Chunk(int(record["batch"]), int(record["offset"]), x, Outcome(costs, failures))


def read_journal(path: str | os.PathLike[str]) -> JournalContents:
    """The header and chunks of the journal at ``path``; :class:`UsageError` if it is none."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read journal {str(path)!r}: {error.strerror}") from None
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    lines = lines[:-1]
    if not lines:
        raise UsageError(f"{str(path)!r} is not a steep journal: it has no complete header line")
    try:
        header = json.loads(lines[0])
    except (json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UsageError(f"{str(path)!r} is not a steep journal (its first line is no header)")
    if header.get("format_version") != FORMAT_VERSION:
        raise UsageError(
            f"journal {str(path)!r} has format version {header.get('format_version')!r}; "
            f"this steep reads version {FORMAT_VERSION}"
        )
    for key in HEADER_KEYS:
        if key not in header:
            raise UsageError(f"journal {str(path)!r}: header lacks {key!r}")
    if not isinstance(header["problem"], dict) or "bounds_used" not in header["problem"]:
        raise UsageError(f"journal {str(path)!r}: header lacks 'problem.bounds_used'")
    dim = len(header["problem"]["bounds_used"])
    chunks = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            chunks.append(_chunk(json.loads(line), dim))
        except (ValueError, KeyError, TypeError) as error:
            raise UsageError(f"journal {str(path)!r} line {number} is damaged: {error}") from None
    if torn:
        warnings.warn(
            f"journal {str(path)!r}: dropped a torn last line (the run was killed while "
            "writing it); its evaluations will be made again",
            SteepWarning,
            stacklevel=2,
        )
    return JournalContents(header, chunks)


class JournalWriter:
    """Appends chunks to a journal, each flushed and synced before :meth:`append` returns."""

    def __init__(self, path: str | os.PathLike[str], header: dict[str, Any] | None) -> None:
        self.path = Path(path)
        try:
            if header is not None:
                self._create(header)
            else:
                self._truncate_torn_tail()
            self.file = self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write journal {str(self.path)!r}: {error.strerror}") from None

    def _create(self, header: dict[str, Any]) -> None:
        """Write the header to a temporary file and move it in place: a journal is never
        seen without its whole header, and an existing file is never overwritten."""
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        with partial.open("w", encoding="utf-8") as file:
            record = {"format": FORMAT, "format_version": FORMAT_VERSION, **header}
            file.write(json.dumps(record, separators=(", ", ": ")) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(partial, self.path)
        finally:
            partial.unlink()

    def _truncate_torn_tail(self) -> None:
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with self.path.open("r+b") as file:
                file.truncate(end)

    def _write(self, record: dict[str, Any]) -> None:
        self.file.write(json.dumps(record, separators=(", ", ": ")) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def append(self, batch: int, offset: int, points: np.ndarray, outcome: Outcome, seconds: float):
        self._write(
            {
                "batch": batch,
                "offset": offset,
                "x": points.tolist(),
                "y": outcome.costs.tolist(),
                "failures": {str(i): reason for i, reason in outcome.failures.items()},
                "seconds": round(seconds, 6),
            }
        )

    def close(self) -> None:
        self.file.close()


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
    journal: str | os.PathLike[str], written: dict[str, Any], now: dict[str, Any], force: bool
) -> None:
    """Raise :class:`UsageError` saying what differs between the journal's setup and now.

    Other versions, or a function whose source changed, are let through with ``force``.
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
    if differences or (forceable and not force):
        hint = "" if differences else "; resume anyway with force=True (--force)"
        raise UsageError(
            f"journal {str(journal)!r} is of another run: "
            f"{'; '.join(differences + forceable)}{hint}"
        )
