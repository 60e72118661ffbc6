"""``runs.jsonl``: every finished run of a race, appended the moment it finishes; what an
unfinished race is reported and resumed from.

One JSON line per run: its index in the plan, its record, and its best-so-far curve and
path as little-endian float64, zlib-compressed and base64-encoded (exact, and smaller than
decimal text). Each line goes to the file in one unbuffered write as the run finishes, so
a killed race keeps every run it finished; the file is synced to disk at least every
:data:`SYNC_EVERY` seconds. A last line cut short (a kill mid-write) is dropped with a
warning.
"""

from __future__ import annotations

import base64
import json
import os
import time
import warnings
import zlib
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from steep import UsageError
from steep.errors import SteepWarning
from steep.guard import describe

from .model import FinishedRun, RunRecord
from .schema import Invalid, conform

RUNS_LOG = "runs.jsonl"
#: Seconds between syncs of the log to disk (each line is flushed at once).
SYNC_EVERY = 1.0


def pack(array: np.ndarray) -> dict[str, Any]:
    """``array`` as JSON: its shape and its float64 values, compressed."""
    data = np.ascontiguousarray(array, dtype="<f8").tobytes()
    return {"shape": list(array.shape), "f8": base64.b64encode(zlib.compress(data, 1)).decode()}


def unpack(value: Any, where: str) -> np.ndarray:
    """The array :func:`pack` gave ``value`` for; :class:`Invalid` if it is not one."""
    shape = conform(value.get("shape") if isinstance(value, dict) else None, tuple[int, ...], where)
    try:
        data = zlib.decompress(base64.b64decode(value["f8"], validate=True))
    except (KeyError, TypeError, ValueError, zlib.error) as error:
        raise Invalid(f"{where}: not packed float64 values ({describe(error)})") from None
    if len(data) != 8 * int(np.prod(shape)):
        raise Invalid(f"{where}: {len(data)} bytes do not make an array of shape {shape}")
    return np.frombuffer(data, dtype="<f8").reshape(shape).astype(np.float64)


class RunLog:
    """Appends finished runs to ``folder/runs.jsonl``: each line in one write, unbuffered, so
    that Ctrl-C lands before or after it, never inside; ``count`` says how many it wrote."""

    def __init__(self, folder: Path, *, fresh: bool) -> None:
        """``fresh``: a new race, whose log starts empty; else the log is continued."""
        self.path = folder / RUNS_LOG
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_TRUNC if fresh else 0)
        self.fd = os.open(self.path, flags, 0o666)
        self.count = 0
        self.synced = time.monotonic()

    def append(self, run: FinishedRun) -> None:
        line = {
            "index": run.index,
            "record": attrs.asdict(run.record),
            "curve": pack(run.curve),
            "path": None if run.path is None else pack(run.path),
        }
        data = (json.dumps(line) + "\n").encode()
        written = os.write(self.fd, data)
        while written < len(data):  # a short write (a full disk?): the rest, or OSError
            written += os.write(self.fd, data[written:])
        self.count += 1
        if time.monotonic() - self.synced >= SYNC_EVERY:
            os.fsync(self.fd)
            self.synced = time.monotonic()

    def close(self) -> None:
        if self.fd < 0:
            return
        fd, self.fd = self.fd, -1
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _run(line: str, number: int) -> FinishedRun:
    try:
        data = json.loads(line)
    except ValueError as error:
        raise Invalid(f"line {number} is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise Invalid(f"line {number}: expected an object")
    where = f"line {number}"
    index = conform(data.get("index"), int, f"{where}: index")
    if index < 0:
        raise Invalid(f"{where}: index {index} is negative")
    record = conform(data.get("record"), RunRecord, f"{where}: record")
    path = data.get("path")
    return FinishedRun(
        index,
        record,
        unpack(data.get("curve"), f"{where}: curve"),
        None if path is None else unpack(path, f"{where}: path"),
    )


def read_runs(folder: Path, *, repair: bool = False) -> dict[int, FinishedRun]:
    """The runs ``folder/runs.jsonl`` holds, by their index in the plan (none if no file).

    A last line cut short (no newline: the race was killed writing it) is dropped with a
    warning, and with ``repair`` cut off the file, so that appending may go on. Any other
    damage is a :class:`UsageError` naming the line.
    """
    path = folder / RUNS_LOG
    if not path.is_file():
        return {}
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path} cannot be read: {describe(error)}") from None
    whole = data.rfind(b"\n") + 1
    if whole < len(data):
        warnings.warn(
            f"{path}: the last line was cut short (the race was stopped writing it); "
            "that run is dropped and will be carried out again",
            SteepWarning,
            stacklevel=2,
        )
        if repair:
            with open(path, "r+b") as file:
                file.truncate(whole)
    runs: dict[int, FinishedRun] = {}
    try:
        text = data[:whole].decode("utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            run = _run(line, number)
            if run.index in runs:
                raise Invalid(f"line {number}: run {run.index} is there twice")
            runs[run.index] = run
    except (Invalid, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is damaged: {error}") from None
    return runs
