"""The ``processes`` evaluator: each batch spread over worker processes on this machine.

Standard library only. Workers are started once per run, forked from a ``forkserver``
that has steep imported (``spawn`` where there is none), with the environment variables of
the moment; each gets one chunk at a time over its own pipe: one point for a pointwise
``f(x)``, an equal share of the batch for a vectorized objective. The problem travels
pickled with every chunk, so every chunk is evaluated by the same copy of it and the
outcome does not depend on how the batch was cut. A worker that dies takes its chunk with
it: the chunk is tried again on a fresh worker (``retries``), then recorded as failed; a
chunk past its ``timeout`` (counted from when the worker starts it) is recorded as failed
and its worker killed and replaced.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import multiprocessing
import os
import pickle
import signal
import time
import warnings
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

import attrs
import numpy as np

from .errors import SteepWarning, UsageError
from .evaluator import BatchTask, Evaluator, Outcome
from .guard import describe
from .markers import hookimpl
from .options import option
from .problem import Problem

#: Seconds a worker is given to finish when the pool closes, before it is killed.
CLOSING_GRACE = 2.0
#: More workers than this per core cannot help even objectives that mostly wait.
MAX_WORKERS_PER_CORE = 8


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the main process, which decides what stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def death_reason(exitcode: int | None) -> str:
    """Why a worker process ended, from its exit code."""
    if exitcode is None:
        return "lost its connection"
    if exitcode < 0:
        try:
            return f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


def is_pointwise(task: BatchTask) -> bool:
    """Whether ``task`` evaluates a pointwise ``f(x)``: then chunks are single points."""
    problem = getattr(task, "__self__", None)
    return isinstance(problem, Problem) and problem.pointwise is not None


def pickle_task(task: BatchTask, evaluator: str, dumps: Callable[[Any], bytes]) -> bytes:
    """``task`` pickled by ``dumps``, or a :class:`UsageError` saying what to do instead."""
    try:
        return dumps(task)
    except Exception as error:
        raise UsageError(
            f"evaluator {evaluator!r} sends the objective to its workers, but it cannot be "
            f"pickled ({describe(error)}); define it with def at the top level of an "
            "importable module, or use the serial evaluator"
        ) from None


def chunk_slices(count: int, pointwise: bool, workers: int) -> list[slice]:
    """Consecutive pieces of a batch of ``count`` points: single points for a pointwise
    objective, else one near-equal piece per worker."""
    if pointwise:
        return [slice(i, i + 1) for i in range(count)]
    pieces = min(workers, count)
    edges = np.linspace(0, count, pieces + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def _serve(connection: Connection, environ: dict[str, str]) -> None:
    """A worker's loop: receive ``(payload, points)``, send back what became of them."""
    ignore_interrupts()
    os.environ.clear()  # a forkserver's environment is that of its start, long ago maybe
    os.environ.update(environ)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        payload, points = job
        connection.send(("started", None))  # the clock of the timeout starts now
        try:
            task = pickle.loads(payload)
        except Exception as error:
            connection.send(("unloadable", describe(error)))
            continue
        try:
            connection.send(("done", task(points)))
        except Exception as error:
            connection.send(("failed", describe(error)))


def _context() -> Any:
    """The multiprocessing context workers start from: a forkserver with steep loaded (fast
    to start, safe beside threads), else ``spawn``."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["steep.pool"])
    return context


class PipedProcess:
    """A daemon worker process and this end of its pipe; the other end is the first argument
    of its ``target`` (the process pool's and the race's workers both start this way)."""

    def __init__(self, context: Any, target: Callable[..., None], args: tuple, name: str):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), daemon=True, name=name)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class _Worker(PipedProcess):
    """One worker process, its pipe, and the chunk it is evaluating."""

    def __init__(self, context: Any) -> None:
        super().__init__(context, _serve, (dict(os.environ),), "steep-worker")
        self.job: int | None = None
        self.limit = self.deadline = math.inf
        #: Whether the process ever answered: one that dies before cannot start at all.
        self.answered = False

    def send(self, job: int, payload: bytes, points: np.ndarray, limit: float) -> None:
        self.job, self.limit, self.deadline = job, limit, math.inf
        with contextlib.suppress(OSError):  # a dead worker is found by its sentinel
            self.connection.send((payload, points))

    def receive(self) -> tuple[str, Any] | None:
        """The answer to the job if it has come; starts the clock when the job has started."""
        try:
            while self.connection.poll():
                kind, value = self.connection.recv()
                self.answered = True
                if kind != "started":
                    return kind, value
                self.deadline = time.monotonic() + self.limit
        except (EOFError, OSError):
            pass
        return None


@attrs.frozen
class ProcessOptions:
    workers: int | None = option(
        None,
        "worker processes; None: one per core this process may use",
        check=attrs.validators.optional(attrs.validators.ge(1)),
    )
    timeout: float | None = option(
        None,
        "seconds one evaluation may take; a longer one fails ('timed out') and its worker is "
        "replaced; None: no limit",
        check=attrs.validators.optional(attrs.validators.gt(0)),
    )
    retries: int = option(
        1,
        "times a chunk whose worker died is tried again on a fresh worker before its "
        "evaluations are recorded as failed",
        check=attrs.validators.ge(0),
    )


class ProcessEvaluator(Evaluator):
    """Spread each batch over worker processes on this machine."""

    name = "processes"
    Options = ProcessOptions

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.workers: list[_Worker] = []
        self.limit: int | None = None  # workers it may start, set on entering

    @property
    def size(self) -> int:
        """Workers to use: as asked, at most :data:`MAX_WORKERS_PER_CORE` per core."""
        cores = available_cores()
        asked = self.options.workers or cores
        if asked > MAX_WORKERS_PER_CORE * cores:
            warnings.warn(
                f"evaluator {self.name!r}: workers={asked} is far above the {cores} core(s) "
                f"here; using {MAX_WORKERS_PER_CORE * cores}",
                SteepWarning,
                stacklevel=2,
            )
            return MAX_WORKERS_PER_CORE * cores
        return asked

    def __enter__(self) -> ProcessEvaluator:
        self.context = _context()
        self.limit = self.size
        return self

    def _start_workers(self, needed: int) -> None:
        """Start workers up to ``needed`` (never more than the batch has chunks)."""
        while len(self.workers) < min(needed, self.limit):
            self.workers.append(_Worker(self.context))

    def __exit__(self, *exc_info: object) -> None:
        workers, self.workers, self.limit = self.workers, [], None
        for worker in workers:
            if worker.job is None and worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            else:
                worker.process.kill()
        deadline = time.monotonic() + CLOSING_GRACE
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()

    def _replace(self, index: int) -> None:
        self.workers[index].kill()
        self.workers[index] = _Worker(self.context)

    def evaluate(self, task: BatchTask, points: np.ndarray) -> Outcome:
        if self.limit is None:
            raise RuntimeError("the processes evaluator evaluates only inside `with evaluator:`")
        payload = pickle_task(task, self.name, pickle.dumps)
        pieces = chunk_slices(len(points), is_pointwise(task), self.limit)
        self._start_workers(len(pieces))
        outcomes: list[Outcome | None] = [None] * len(pieces)
        tries = [0] * len(pieces)
        waiting = deque(range(len(pieces)))
        timeout = self.options.timeout
        while waiting or any(w.job is not None for w in self.workers):
            for index, worker in enumerate(self.workers):
                if waiting and worker.job is None:
                    if not worker.process.is_alive():  # died while idle: nothing lost
                        self._replace(index)
                        worker = self.workers[index]
                    job = waiting.popleft()
                    piece = points[pieces[job]]
                    limit = math.inf if timeout is None else timeout * len(piece)
                    worker.send(job, payload, piece, limit)
            busy = [w for w in self.workers if w.job is not None]
            soonest = min(w.deadline for w in busy)
            wait(
                [w.connection for w in busy] + [w.process.sentinel for w in busy],
                None if soonest == math.inf else max(0.0, soonest - time.monotonic()),
            )
            for index, worker in enumerate(self.workers):
                job = worker.job
                if job is None:
                    continue
                size = pieces[job].stop - pieces[job].start
                message = worker.receive()
                if message is not None:
                    worker.job = None
                    kind, value = message
                    if kind == "unloadable":
                        raise UsageError(
                            f"evaluator {self.name!r}: a worker process cannot load the "
                            f"objective ({value}); it must be importable in a fresh "
                            "interpreter (not defined interactively or in __main__ without "
                            "an `if __name__ == '__main__':` guard)"
                        )
                    outcomes[job] = value if kind == "done" else Outcome.failed(size, value)
                elif not worker.process.is_alive():
                    worker.process.join()
                    reason = death_reason(worker.process.exitcode)
                    if not worker.answered:
                        raise UsageError(
                            f"evaluator {self.name!r}: worker processes die as they start "
                            f"({reason}); this happens when the program is read from standard "
                            "input (python - <<EOF): put the code in a file, or use the serial "
                            "evaluator"
                        )
                    self._replace(index)
                    if tries[job] < self.options.retries:
                        tries[job] += 1
                        waiting.appendleft(job)
                    else:
                        outcomes[job] = Outcome.failed(size, f"worker died: {reason}")
                elif time.monotonic() >= worker.deadline:
                    self._replace(index)
                    outcomes[job] = Outcome.failed(size, f"timed out after {timeout * size:g} s")
        return Outcome.join(outcomes)


@hookimpl
def register_evaluators(register: Callable[..., None]) -> None:
    register(ProcessEvaluator)
