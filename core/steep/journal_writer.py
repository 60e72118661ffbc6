"""Writing a journal: each record written and synced before the optimizer hears of it, the
journal locked to one run at a time, and a full disk stopping the run with the journal whole."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .errors import SteepWarning, UsageError
from .evaluator import Outcome
from .journal import (
    FORMAT,
    FORMAT_VERSION,
    JournalContents,
    JournalError,
    chained,
    encode_line,
    parse,
)

try:
    import fcntl
except ImportError:  # Windows: no flock, so two runs into one journal are not refused there
    fcntl = None  # type: ignore[assignment]


def _lock_file(path: Path) -> Path:
    """Where the process writing the journal at ``path`` leaves its id."""
    return path.with_name(f"{path.name}.lock")


def _host() -> str:
    return os.uname().nodename if hasattr(os, "uname") else ""


def _holder(path: Path) -> str:
    """Who holds the journal at ``path`` locked, as its lock file says."""
    try:
        pid, _, host = _lock_file(path).read_text().strip().partition(" ")
        int(pid)
    except (OSError, ValueError):
        return "another process"
    return f"process {pid}" if host in ("", _host()) else f"process {pid} on {host}"


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    parts = []
    while part := os.read(fd, 1 << 20):
        parts.append(part)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


class JournalWriter:
    """Appends chunks to a journal, each written and synced before :meth:`append` returns.

    With a ``header``, creates the journal at ``path`` (never overwriting a file); without,
    continues the journal there: read into :attr:`contents` and its torn last line cut. Until
    :meth:`close`, the journal is locked: another writer, in this process or any other, is
    refused with :class:`UsageError` naming the process that holds it. A record that cannot
    be written (a full disk) raises :class:`JournalError`, the journal kept whole up to the
    record before it.
    """

    def __init__(self, path: str | os.PathLike[str], header: dict[str, Any] | None) -> None:
        self.path = Path(path)
        self.contents: JournalContents | None = None
        self._fd = -1
        self._locked = False
        self._chain: str | None = None
        self._size = 0  # bytes of complete, synced lines
        if header is not None:
            self._create(header)
        else:
            self._continue()
        self._claim()

    def _create(self, header: dict[str, Any]) -> None:
        """Write the header to a locked temporary file and link it in place: a journal is
        never seen without its whole header or its lock, and an existing file is never
        overwritten."""
        record = {"format": FORMAT, "format_version": FORMAT_VERSION, **header}
        record["chain"] = self._chain = chained("", record)
        data = encode_line(record)
        partial = self.path.with_name(
            f".{self.path.name}.{os.getpid()}.{secrets.token_hex(3)}.partial"
        )
        with self._closed_on_failure():
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
                self._fd = os.open(partial, flags, 0o666)
                self._lock()
                _write_all(self._fd, data)
                os.fsync(self._fd)
                os.link(partial, self.path)
            finally:
                with contextlib.suppress(OSError):
                    partial.unlink()
        self._size = len(data)

    def _continue(self) -> None:
        """Open and lock the journal, then read it: what is read is what this writer
        continues, and no other run appends in between."""
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except OSError as error:
            verb = "read" if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR) else "write"
            message = f"cannot {verb} journal {str(self.path)!r}: {error.strerror}"
            raise UsageError(message) from None
        with self._closed_on_failure():
            self._lock()
            data = _read_all(self._fd)
            self.contents = parse(self.path, data)
            self._size = data.rfind(b"\n") + 1
            if self._size < len(data):  # the torn last line, dropped on reading
                os.ftruncate(self._fd, self._size)
        self._chain = self.contents.chain

    @contextlib.contextmanager
    def _closed_on_failure(self) -> Iterator[None]:
        """Close the journal (releasing its lock) if the block fails; a failing system call
        becomes the one-line refusal to write it."""
        try:
            yield
        except OSError as error:
            self.close()
            raise UsageError(f"cannot write journal {str(self.path)!r}: {error.strerror}") from None
        except BaseException:
            self.close()
            raise

    def _lock(self) -> None:
        """Lock the open journal for this writer, or refuse it naming who holds it."""
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"journal {str(self.path)!r} is being written by {_holder(self.path)}; a "
                "journal takes one run at a time: wait for that run to end, or stop it"
            ) from None
        except OSError as error:  # a file system without locks
            warnings.warn(
                f"journal {str(self.path)!r}: cannot lock it ({error.strerror}); a second run "
                "into it at the same time would not be refused",
                SteepWarning,
                stacklevel=4,
            )
            return
        self._locked = True

    def _claim(self) -> None:
        """Leave this process's id beside the locked journal, for a refused run to name."""
        if not self._locked:
            return
        lock_file = _lock_file(self.path)
        try:
            lock_file.write_text(f"{os.getpid()} {_host()}\n")
        except OSError:  # it only names the holder: a stale one must go, a missing one may
            with contextlib.suppress(OSError):
                lock_file.unlink()

    def append(self, batch: int, offset: int, points: np.ndarray, outcome: Outcome, seconds: float):
        record: dict[str, Any] = {
            "batch": batch,
            "offset": offset,
            "x": points.tolist(),
            "y": outcome.costs.tolist(),
            "failures": {str(i): reason for i, reason in outcome.failures.items()},
            "seconds": round(seconds, 6),
        }
        chain = None
        if self._chain is not None:
            record["chain"] = chain = chained(self._chain, record)
        data = encode_line(record)
        try:
            _write_all(self._fd, data)
            os.fsync(self._fd)
        except OSError as error:
            with contextlib.suppress(OSError):  # back to the last whole record
                os.ftruncate(self._fd, self._size)
            raise JournalError(self.path, error) from error
        self._size += len(data)
        self._chain = chain

    def close(self) -> None:
        """Unlock and close the journal; never raises, as it runs when a run ends however."""
        fd, self._fd = self._fd, -1
        if fd < 0:
            return
        if self._locked:
            self._locked = False
            with contextlib.suppress(OSError):
                _lock_file(self.path).unlink()
            with contextlib.suppress(OSError):  # for any forked child sharing the file too
                fcntl.flock(fd, fcntl.LOCK_UN)
        with contextlib.suppress(OSError):
            os.close(fd)
