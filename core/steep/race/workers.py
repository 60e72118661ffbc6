"""A race's worker processes: each carries out one run at a time and sends it back the moment
it finishes; on Ctrl-C, or any error, they are killed at once, so a race always ends promptly.

Workers ignore Ctrl-C (the main process decides what stops) and take the registry once, when
they start. A worker that dies takes only the run it was carrying out; a fresh one replaces it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from steep.guard import describe
from steep.pool import PipedProcess, death_reason, ignore_interrupts
from steep.registry import Registry

from .model import FinishedRun, RunSpec

#: Seconds workers are given to leave when the race is over, before they are killed.
CLOSING_GRACE = 2.0

Work = Callable[[RunSpec, Registry], FinishedRun]


def _serve(connection: Connection, work: Work, registry: Registry) -> None:
    """A worker's loop: receive a run, carry it out, send back what became of it."""
    ignore_interrupts()
    while True:
        try:
            spec = connection.recv()
        except EOFError:
            return
        if spec is None:
            return
        try:
            connection.send(("done", work(spec, registry)))
        except KeyboardInterrupt:  # a plugin raised it, as if Ctrl-C: the race stops
            connection.send(("interrupted", None))
        except Exception as error:
            connection.send(("failed", describe(error)))


class _Worker(PipedProcess):
    """One worker process, its pipe, and the run it is carrying out."""

    def __init__(self, context: Any, work: Work, registry: Registry) -> None:
        super().__init__(context, _serve, (work, registry), "steep-race-worker")
        self.spec: RunSpec | None = None

    def give(self, spec: RunSpec) -> None:
        self.spec = spec
        with contextlib.suppress(OSError):  # dead already: its sentinel says so
            self.connection.send(spec)

    def receive(self) -> tuple[str, Any] | None:
        """What became of the run, if the answer has come."""
        try:
            if self.connection.poll():
                return self.connection.recv()
        except (EOFError, OSError):
            pass
        return None


def in_processes(
    specs: Sequence[RunSpec], work: Work, registry: Registry, workers: int
) -> Iterator[tuple[RunSpec, FinishedRun | str]]:
    """``work(spec, registry)`` for each of ``specs`` over ``workers`` processes, as each
    finishes: the finished run, or why it was lost (its worker died, or raised).

    A plugin's ``KeyboardInterrupt`` in a worker stops the race, as Ctrl-C does. However
    the iteration ends (done, Ctrl-C, closed early), no worker outlives it.
    """
    context = multiprocessing.get_context()
    waiting = deque(specs)
    pool: list[_Worker] = []
    finished = False
    try:
        pool = [_Worker(context, work, registry) for _ in range(min(workers, len(specs)))]
        for worker in pool:
            if waiting:
                worker.give(waiting.popleft())
        while any(w.spec is not None for w in pool):
            busy = [w for w in pool if w.spec is not None]
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
            for index, worker in enumerate(pool):
                spec = worker.spec
                if spec is None:
                    continue
                message = worker.receive()
                if message is None and worker.process.is_alive():
                    continue
                worker.spec = None
                if message is None:  # died with the run
                    worker.process.join()
                    reason = death_reason(worker.process.exitcode)
                    worker.kill()
                    pool[index] = worker = _Worker(context, work, registry)
                    yield spec, f"run lost with its worker: {reason}"
                else:
                    kind, value = message
                    if kind == "interrupted":
                        raise KeyboardInterrupt
                    yield spec, value if kind == "done" else f"run failed in its worker: {value}"
                if waiting:
                    worker.give(waiting.popleft())
        finished = True
    finally:
        _close(pool, gently=finished)


def _close(pool: list[_Worker], gently: bool) -> None:
    """Stop every worker: asked to leave when the race is done, else killed at once."""
    for worker in pool:
        if gently and worker.process.is_alive():
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        else:
            worker.process.kill()
    deadline = time.monotonic() + CLOSING_GRACE
    for worker in pool:
        worker.process.join(max(0.0, deadline - time.monotonic()) if gently else None)
        worker.kill()
