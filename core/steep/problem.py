"""What one run minimizes: a landscape or a user's function, over a box."""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from .errors import UsageError
from .evaluator import Outcome
from .guard import describe
from .landscape import Landscape, Minimum
from .space import Bounds
from .spaces import Space

#: How the reason for a NaN or infinite cost starts; such failures are no errors: they may
#: mark a region where the cost is undefined, and do not count towards ``Budget.failures``.
NON_FINITE = "non-finite cost: "


class ObjectiveExit(BaseException):
    """The objective called ``sys.exit``: the run stops with what it has, as at Ctrl-C (a
    BaseException like KeyboardInterrupt, so that no guard mistakes it for a plugin fault)."""

    def __init__(self, code: Any) -> None:
        super().__init__(code)
        self.code = code


def _as_cost(value: Any) -> float:
    """``value`` as a cost, or ``TypeError`` saying what came back instead."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"returned {type(value).__name__}, expected a number")
    return float(value)


def _pointwise_batch(function: Callable[[np.ndarray], Any], points: np.ndarray) -> np.ndarray:
    """``function`` applied to each row of ``points`` (module level, so it pickles)."""
    return np.array([_as_cost(function(point)) for point in points], dtype=np.float64)


def _with_values(function: Callable[[dict[str, Any]], Any], space: Space, point: np.ndarray) -> Any:
    """``function`` on the typed values of box point ``point`` (module level, so it pickles)."""
    return function(space.decode(point))


def _rows(jac: Callable[[np.ndarray], Any], points: np.ndarray) -> np.ndarray:
    """A pointwise gradient applied to each row of ``points``."""
    return np.array([np.asarray(jac(point), dtype=np.float64) for point in points])


def function_reference(function: Any) -> str | None:
    """``"module:qualified.name"`` if ``function`` can be imported again, else ``None``."""
    module, name = getattr(function, "__module__", None), getattr(function, "__qualname__", "")
    if not module or module == "__main__" or "<" in name:
        return None
    return f"{module}:{name}"


@attrs.frozen(eq=False)
class Problem:
    """A cost function over ``bounds``.

    ``evaluate`` maps points of shape ``(n, d)`` to costs of shape ``(n,)``; ``pointwise``
    is the user's ``f(x) -> float`` when the problem came from one. ``spec`` says how to
    build the problem again (for journals).
    """

    name: str
    bounds: Bounds
    evaluate: Callable[[np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray], np.ndarray] | None = None
    minimum: Minimum | None = None
    landscape: Landscape | None = None
    pointwise: Callable[[np.ndarray], Any] | None = None
    spec: dict[str, Any] = attrs.field(factory=dict)
    #: The typed parameters a box point stands for, when the problem came with a space.
    space: Space | None = None

    @property
    def dim(self) -> int:
        return self.bounds.dim

    def evaluate_safely(self, points: np.ndarray) -> Outcome:
        """The :class:`Outcome` of ``points``, never raising: an objective that raises, returns
        the wrong shape or type, NaN or inf gives failed evaluations with the reason."""
        count = len(points)
        failures: dict[int, str] = {}
        if self.pointwise is not None:
            costs = np.empty(count)
            for i, point in enumerate(points):
                try:
                    costs[i] = _as_cost(self.pointwise(point))
                except Exception as error:
                    costs[i], failures[i] = np.nan, describe(error)
                except SystemExit as error:
                    raise ObjectiveExit(error.code) from None
        else:
            try:
                costs = np.asarray(self.evaluate(points), dtype=np.float64)
            except Exception as error:
                return Outcome.failed(count, describe(error))
            except SystemExit as error:
                raise ObjectiveExit(error.code) from None
            if costs.shape != (count,):
                return Outcome.failed(
                    count, f"returned shape {costs.shape} for {count} points, expected ({count},)"
                )
        finite = np.isfinite(costs)
        if not finite.all():
            for i in np.flatnonzero(~finite):
                failures.setdefault(int(i), f"{NON_FINITE}{costs[i]}")
        return Outcome(costs, failures)

    def start(self, x0: Any, rng: np.random.Generator) -> np.ndarray:
        """Where a run starts: ``x0`` checked against the box, or a point drawn from ``rng``."""
        bounds = self.bounds
        if x0 is None:
            return bounds.sample(rng, 1)[0]
        try:
            start = np.array(x0, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise UsageError(f"x0 {x0!r} is not a vector of numbers") from None
        if start.size != bounds.dim:
            raise UsageError(f"x0 has {start.size} coordinates but the dimension is {bounds.dim}")
        if not bounds.contains(start.reshape(1, -1)):
            raise UsageError(f"x0 {start.tolist()} is outside the bounds {bounds.as_pairs()}")
        return start

    @classmethod
    def from_landscape(cls, landscape: Landscape, bounds: Any = None) -> Problem:
        """The problem of minimizing ``landscape`` over its own box, or over ``bounds``."""
        box = landscape.bounds if bounds is None else Bounds.parse(bounds, landscape.dim)
        minimum = landscape.minimum
        if minimum is not None and not box.contains(minimum.x.reshape(1, -1)):
            minimum = None
        return cls(
            name=landscape.name,
            bounds=box,
            evaluate=landscape.evaluate,
            gradient=landscape.gradient,
            minimum=minimum,
            landscape=landscape,
            spec={
                "landscape": landscape.name,
                "dim": landscape.dim,
                "instance": landscape.seed,
                "bounds": None if bounds is None else box.as_pairs(),
            },
        )

    @classmethod
    def from_function(
        cls,
        function: Callable[..., Any],
        bounds: Any,
        *,
        dim: int | None = None,
        vectorized: bool = False,
        jac: Callable[..., Any] | None = None,
        space: Space | None = None,
        x0: Any = None,
    ) -> Problem:
        """The problem of minimizing a user's pointwise (or ``vectorized``) ``function``.

        ``jac`` is its gradient, ``jac(x) -> (d,)`` (``jac(X) -> (n, d)`` when vectorized).
        With ``space``, ``function`` takes a dict of typed values and the box is the space's.
        With neither bounds nor space, ``x0`` gives the start of a search without walls
        (:class:`~steep.space.OpenBounds`), for methods that need none.
        """
        if not callable(function):
            raise UsageError(f"objective {function!r} is neither a landscape name nor callable")
        if jac is not None and not callable(jac):
            raise UsageError(f"jac {jac!r} is not callable")
        if space is not None:
            if bounds is not None:
                raise UsageError("give either bounds or a space, not both")
            if vectorized or jac is not None:
                raise UsageError("an objective over a space takes one dict of values at a time")
            bounds, pointwise = space.bounds, functools.partial(_with_values, function, space)
        elif bounds is None and x0 is None:
            raise UsageError(
                "a function needs bounds, a space, or x0 (a start, for methods that need no box)"
            )
        else:
            pointwise = function
        box = Bounds.around(x0, dim) if bounds is None else Bounds.parse(bounds, dim)
        name = getattr(function, "__qualname__", None) or type(function).__name__
        gradient = None if jac is None else jac if vectorized else functools.partial(_rows, jac)
        return cls(
            name=name,
            bounds=box,
            evaluate=function if vectorized else functools.partial(_pointwise_batch, pointwise),
            pointwise=None if vectorized else pointwise,
            gradient=gradient,
            space=space,
            spec={
                "function": function_reference(function),
                "vectorized": vectorized,
                "bounds": box.as_pairs() if box.finite and space is None else None,
                **({"space": space.to_dict()} if space is not None else {}),
                **({"jac": function_reference(jac)} if jac is not None else {}),
            },
        )
