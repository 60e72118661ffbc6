"""The ``dask`` evaluator: each batch spread over a Dask cluster, local or running elsewhere.

Dask is imported only when the evaluator is entered, never when the plugin registers.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import steep
from steep import UsageError, option
from steep.guard import describe
from steep.pool import chunk_slices, is_pointwise, pickle_task

#: Seconds to keep trying to reach a running scheduler.
CONNECT_WAIT = 10.0
#: Seconds to wait for a running cluster to have at least one worker.
WORKER_WAIT = 60.0
#: Reruns of a chunk lost without an error of its own (its finished result was held by a
#: worker that another chunk killed).
INNOCENT_RERUNS = 2


def evaluate_chunk(payload: bytes, points: np.ndarray) -> tuple[str, Any]:
    """Run on a Dask worker: unpickle the task and evaluate ``points``."""
    import cloudpickle

    try:
        task = cloudpickle.loads(payload)
    except Exception as error:
        return "unloadable", describe(error)
    return "done", task(points)


def exit_soon() -> None:
    """Run on a Dask worker: end its process in a moment (after answering the caller)."""
    threading.Timer(0.05, os._exit, (1,)).start()


def _lost_reason(error: BaseException | None) -> str:
    return f"worker died (dask: {'lost' if error is None else type(error).__name__})"


def _no_workers_with_scheduler(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and instance.scheduler is not None:
        raise ValueError(
            f"workers={value!r} sizes the LocalCluster started when no scheduler is given; "
            "a running cluster has its own workers"
        )


@attrs.frozen
class DaskOptions:
    scheduler: str | None = option(
        None,
        "address of a running Dask scheduler, tcp://HOST:PORT; None: start a LocalCluster "
        "on this machine for the run",
    )
    workers: int | None = option(
        None,
        "worker processes of the LocalCluster (one thread each); None: one per CPU",
        check=attrs.validators.and_(
            attrs.validators.optional(attrs.validators.ge(1)), _no_workers_with_scheduler
        ),
    )
    timeout: float | None = option(
        None,
        "seconds one evaluation may take; a longer one fails ('timed out') and its worker is "
        "restarted; None: no limit",
        check=attrs.validators.optional(attrs.validators.gt(0)),
    )
    retries: int = option(
        1,
        "times a chunk whose worker died is run again before its evaluations are recorded "
        "as failed",
        check=attrs.validators.ge(0),
    )


class DaskEvaluator(steep.Evaluator):
    """Spread each batch over the workers of a Dask cluster."""

    name = "dask"
    Options = DaskOptions

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskEvaluator:
        import dask
        import distributed

        address = self.options.scheduler
        if address is None:
            # The scheduler reruns a chunk whose worker died `retries` times; a worker runs
            # one chunk at a time, and finished results it held when it died are rerun by
            # evaluate(), so no other chunk is charged with its death.
            settings = {
                "distributed.scheduler.allowed-failures": self.options.retries,
                "distributed.scheduler.worker-saturation": 1.0,
            }
            with dask.config.set(settings):
                try:
                    self.cluster = distributed.LocalCluster(
                        n_workers=self.options.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        scheduler_kwargs={"dashboard_address": ":0"},  # any free port
                        silence_logs=logging.CRITICAL,
                    )
                except RuntimeError as error:  # its worker processes could not start
                    raise UsageError(
                        f"evaluator 'dask': the local cluster's workers cannot start "
                        f"({describe(error)}); this happens when the program is read from "
                        "standard input (python - <<EOF): put the code in a file, or give "
                        "scheduler= of a running cluster"
                    ) from None
            self.client = distributed.Client(self.cluster)
            return self
        try:
            self.client = distributed.Client(address, timeout=CONNECT_WAIT)
        except (OSError, TimeoutError, ValueError) as error:
            raise UsageError(
                f"evaluator 'dask': cannot reach the scheduler at {address!r}: {describe(error)}"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            self.__exit__()
            raise UsageError(
                f"evaluator 'dask': the scheduler at {address!r} has had no worker for "
                f"{WORKER_WAIT:g} s"
            ) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def executor(self) -> Any:
        """The cluster as a ``concurrent.futures`` executor: ``steep race`` spreads whole
        runs over it (every worker needs the race's plugins installed)."""
        return self.client.get_executor(pure=False)

    @property
    def slots(self) -> int:
        """Tasks the cluster runs at once: its worker threads."""
        return max(1, sum(self.client.nthreads().values()))

    def _abandon(self, future: Any) -> None:
        """Cancel ``future``, and end the worker process running it (a hung task holds its
        thread forever); the worker's nanny starts a fresh one."""
        running_on = [a for a, keys in self.client.processing().items() if future.key in keys]
        self.client.cancel([future], force=True)  # first, so it is not run again elsewhere
        with contextlib.suppress(OSError):  # the worker may be gone already
            self.client.run(exit_soon, workers=running_on, on_error="ignore")

    def evaluate(self, task: steep.evaluator.BatchTask, points: np.ndarray) -> steep.Outcome:
        if self.client is None:
            raise RuntimeError("the dask evaluator evaluates only inside `with evaluator:`")
        import cloudpickle
        import distributed
        from distributed.client import FuturesCancelledError
        from distributed.scheduler import KilledWorker

        payload = pickle_task(task, self.name, cloudpickle.dumps)
        slots = self.slots
        pieces = chunk_slices(len(points), is_pointwise(task), slots)
        outcomes: list[steep.Outcome | None] = [None] * len(pieces)
        tries = [0] * len(pieces)
        waiting = deque(range(len(pieces)))
        running: dict[Any, tuple[int, float]] = {}
        timeout = self.options.timeout
        # The LocalCluster's scheduler reruns lost chunks itself; a running cluster's
        # scheduler does as its own allowed-failures says, then steep reruns them.
        retries = 0 if self.cluster is not None else self.options.retries
        # With a timeout, only as many chunks as the cluster runs at once are submitted, so
        # the clock of each starts (within the scheduling delay) when it starts running.
        in_flight = len(pieces) if timeout is None else slots
        while waiting or running:
            while waiting and len(running) < in_flight:
                job = waiting.popleft()
                piece = points[pieces[job]]
                future = self.client.submit(evaluate_chunk, payload, piece, pure=False)
                limit = math.inf if timeout is None else timeout * len(piece)
                running[future] = (job, time.monotonic() + limit)
            soonest = min(deadline for _, deadline in running.values())
            with contextlib.suppress(TimeoutError, FuturesCancelledError):
                distributed.wait(
                    list(running),
                    None if soonest == math.inf else max(0.01, soonest - time.monotonic()),
                    return_when="FIRST_COMPLETED",
                )
            for future, (job, deadline) in list(running.items()):
                size = pieces[job].stop - pieces[job].start
                if future.status == "finished":
                    del running[future]
                    kind, value = future.result()
                    if kind == "unloadable":
                        raise UsageError(
                            f"evaluator 'dask': a worker cannot load the objective ({value}); "
                            "every worker needs steep, steep-dask and the objective's module"
                        )
                    outcomes[job] = value
                elif future.status in ("error", "cancelled", "lost"):
                    del running[future]
                    error = future.exception() if future.status == "error" else None
                    lost = error is None or isinstance(error, KilledWorker)
                    # No error of its own: its result died with a worker another chunk
                    # killed (the scheduler may not rerun it), so it always gets reruns.
                    limit = retries if error is not None else max(retries, INNOCENT_RERUNS)
                    if lost and tries[job] < limit:
                        tries[job] += 1
                        waiting.appendleft(job)
                    elif lost:
                        outcomes[job] = steep.Outcome.failed(size, _lost_reason(error))
                    else:
                        outcomes[job] = steep.Outcome.failed(
                            size, f"task failed on the cluster: {describe(error)}"
                        )
                elif time.monotonic() >= deadline:
                    del running[future]
                    self._abandon(future)
                    outcomes[job] = steep.Outcome.failed(
                        size, f"timed out after {timeout * size:g} s"
                    )
        return steep.Outcome.join(outcomes)


@steep.hookimpl
def register_evaluators(register: Callable[..., None]) -> None:
    register(DaskEvaluator)
