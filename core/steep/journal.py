"""The journal: a run's setup and every evaluation, appended durably as JSON lines.

The first line is the header (what was run: problem, optimizer, options, seed, budget,
versions). Each further line records evaluated points of one batch, written and synced to
disk before the optimizer hears of them::

    {"batch": 3, "offset": 0, "x": [[65.1]], "y": [0.0004], "failures": {}, "seconds": 0.01,
     "chain": "5d41…"}

A batch may span several lines (``offset`` is the index of the first point in the batch),
so that a pointwise objective is journaled point by point and a killed run loses nothing
it paid for. A last line cut short by a kill is detected and dropped on reading.

Each line's ``chain`` is the SHA-256 of the line before's chain and this line's content
(its canonical JSON, without the chain and the time it was written); the header's is of its
own content. Reading checks the chain, so a line changed after it was written is named, not
fed back to a resumed run. Version 1 journals, without chains, are read as they are.

A run locks its journal while it writes it (``fcntl.flock``, where the platform has it):
another run into the same journal is refused at once, naming the process that holds it,
whose id is in ``FILE.lock`` beside the journal while it runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .errors import SteepError, SteepWarning, UsageError
from .evaluator import Outcome

try:
    import fcntl
except ImportError:  # Windows: no flock, so two runs into one journal are not refused there
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    pass

FORMAT = "steep-journal"
FORMAT_VERSION = 2
#: The format versions this steep reads: 1 has no checksum chain, 2 has.
READABLE_VERSIONS = (1, 2)
#: What a header says of a run; a journal is of the same run when all but the time agree.
HEADER_KEYS = ("problem", "optimizer", "options", "seed", "x0", "budget", "versions")
#: Fields a line's checksum leaves out: the chain itself, and when or how fast the line was
#: written, which is no part of the run (so the same run gives the same chain).
UNCHAINED = frozenset({"chain", "written", "seconds"})
_LINE = json.JSONEncoder(separators=(", ", ": "))
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


class JournalError(SteepError):
    """The journal could not be written during a run (a full disk, say), so the run stopped.

    The journal holds every record up to the last one written whole; ``result`` holds the
    :class:`steep.Result` of the run so far, as :class:`steep.PluginError`'s does.
    """

    def __init__(self, path: str | os.PathLike[str], error: OSError, result: Any = None) -> None:
        self.path = Path(path)
        self.errno = error.errno
        self.result = result
        reason = error.strerror or str(error)
        super().__init__(
            f"journal {str(path)!r}: {reason[:1].lower()}{reason[1:]}; "
            "the run stopped with its best so far"
        )


@attrs.frozen(eq=False)
class Chunk:
    """Evaluated points ``x`` of batch ``batch``, starting at index ``offset`` in it."""

    batch: int
    offset: int
    x: np.ndarray
    outcome: Outcome


@attrs.frozen(eq=False)
class JournalContents:
    """A journal as read: its header and the chunks of evaluations after it.

    ``chain`` is the checksum of its last complete line (``None`` in a version 1 journal);
    ``header_changed`` says the header does not match its checksum: edited by hand.
    """

    header: dict[str, Any]
    chunks: list[Chunk]
    chain: str | None = None
    header_changed: bool = False


def chained(previous: str, record: Mapping[str, Any]) -> str:
    """The checksum of a line holding ``record`` after a line whose checksum is ``previous``."""
    content = {key: value for key, value in record.items() if key not in UNCHAINED}
    return hashlib.sha256((previous + _CANONICAL.encode(content)).encode()).hexdigest()


def encode_line(record: Mapping[str, Any]) -> bytes:
    return (_LINE.encode(record) + "\n").encode()


def _chunk(record: dict[str, Any], dim: int) -> Chunk:
    x = np.array(record["x"], dtype=np.float64).reshape(-1, dim)
    costs = np.array(record["y"], dtype=np.float64).reshape(-1)
    if len(costs) != len(x):
        raise ValueError(f"{len(x)} points but {len(costs)} costs")
    failures = {int(i): str(reason) for i, reason in record.get("failures", {}).items()}
    return Chunk(int(record["batch"]), int(record["offset"]), x, Outcome(costs, failures))


def read_journal(path: str | os.PathLike[str]) -> JournalContents:
    """The header and chunks of the journal at ``path``; :class:`UsageError` if it is none,
    or if a line was changed after it was written."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read journal {str(path)!r}: {error.strerror}") from None
    return parse(path, data)


def parse(path: Path, data: bytes) -> JournalContents:
    name = str(path)
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    lines = lines[:-1]
    if not lines:
        raise UsageError(f"{name!r} is not a steep journal: it has no complete header line")
    try:
        header = json.loads(lines[0])
    except (json.JSONDecodeError, UnicodeDecodeError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UsageError(f"{name!r} is not a steep journal (its first line is no header)")
    version = header.get("format_version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise UsageError(
            f"journal {name!r} has format version {version!r}; this steep reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}"
        )
    for key in HEADER_KEYS:
        if key not in header:
            raise UsageError(f"journal {name!r}: header lacks {key!r}")
    if not isinstance(header["problem"], dict) or "bounds_used" not in header["problem"]:
        raise UsageError(f"journal {name!r}: header lacks 'problem.bounds_used'")
    dim = len(header["problem"]["bounds_used"])
    chain, header_changed = None, False
    if version >= 2:
        own = chained("", header)
        written = header.get("chain")
        chain = written if isinstance(written, str) else own
        header_changed = written != own
    chunks = []
    for number, line in enumerate(lines[1:], start=2):
        damaged = f"journal {name!r} line {number} is damaged"
        try:
            record = json.loads(line)
        except ValueError as error:
            raise UsageError(f"{damaged}: {error}") from None
        if not isinstance(record, dict):
            raise UsageError(f"{damaged}: it is no JSON object")
        if chain is not None:
            written, chain = record.get("chain"), chained(chain, record)
            if written != chain:
                raise UsageError(
                    f"journal {name!r} line {number} was changed after it was written "
                    f"(its checksum does not match); lines 1 to {number - 1} are as written"
                )
        try:
            chunks.append(_chunk(record, dim))
        except (ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{damaged}: {error}") from None
    if torn:
        warnings.warn(
            f"journal {name!r}: dropped a torn last line (the run was killed while "
            "writing it); its evaluations will be made again",
            SteepWarning,
            stacklevel=3,
        )
    return JournalContents(header, chunks, chain, header_changed)
