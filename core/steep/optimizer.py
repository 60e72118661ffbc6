"""Optimizers: ask/tell strategies over batches of points."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import numpy as np

from .options import NoOptions
from .space import Bounds
from .spaces import Space


@attrs.frozen(eq=False)
class Task:
    """What an optimizer is asked to do: search ``bounds`` from ``x0`` within ``budget``.

    ``gradient`` is the landscape's analytic slope (``(n, d) -> (n, d)``) when it has one,
    else ``None``; calls to it are counted as ``njev``, not as evaluations. ``space`` is the
    typed :class:`~steep.spaces.Space` behind the box when the objective has one: a method
    that can use the types reads which coordinates are integers or choices
    (``space.discrete``) and the cell of box coordinates each value owns (``space.cells``);
    any other method searches the box as it is. ``incumbent`` is the lowest cost the run
    found before this start (``+inf`` on a first start; after a restart, the best of the
    earlier ones): a local method may give up a descent that cannot get below it in the
    budget left, so that the run restarts sooner.
    """

    bounds: Bounds
    x0: np.ndarray
    budget: int
    gradient: Callable[[np.ndarray], np.ndarray] | None = None
    space: Space | None = None
    incumbent: float = math.inf

    @property
    def dim(self) -> int:
        return self.bounds.dim


class Optimizer:
    """Base class of optimizers, written as ask/tell on batches.

    The core's run loop calls :meth:`ask` for a batch of points, evaluates them and hands
    the costs back through :meth:`tell`, until the budget is spent, a target is reached, or
    :attr:`converged` says why to stop. Costs told are finite or ``+inf`` (the core turns
    NaN and infinities into ``+inf``, worse than any finite cost). All randomness must come
    from ``rng``; state should be plain data (numbers, numpy arrays).
    """

    name: ClassVar[str]
    #: Options class (attrs, fields made with :func:`steep.option`).
    Options: ClassVar[type] = NoOptions
    #: How the optimizer uses parallel workers (how many points it asks at once).
    parallelism: ClassVar[str] = "asks one point at a time"
    #: Whether the method needs walls on every coordinate. ``False`` declares it can search
    #: an :class:`~steep.space.OpenBounds` from ``x0`` alone, scaling its steps by
    #: ``bounds.reference()`` and drawing from ``bounds.sample``, so that
    #: ``steep.minimize(f, x0=...)`` runs it without ``bounds``.
    needs_box: ClassVar[bool] = True

    def __init__(self, task: Task, options: Any, rng: np.random.Generator) -> None:
        self.task = task
        self.bounds = task.bounds
        self.dim = task.dim
        self.options = options
        self.rng = rng
        #: Iterations of the method, as the method counts them (``None``: count batches).
        self.nit: int | None = None
        #: Why the method has stopped, once it has (e.g. "slope below 1e-10"), else ``None``.
        self.converged: str | None = None
        #: What the method decided along the way, for people (a portfolio's choice of method,
        #: a restart scheme's restarts); the result carries it as ``result.decisions``.
        self.decisions: list[str] = []

    def ask(self) -> np.ndarray:
        """The next batch of points to evaluate: shape ``(k, dim)``, ``k >= 1``, inside bounds."""
        raise NotImplementedError

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        """The costs (shape ``(k,)``) of the batch last asked (``points``, shape ``(k, dim)``)."""
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """One line describing the method: the first line of the class docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
