"""When a run must stop: its budget of evaluations, time, target cost and failures in a row."""

from __future__ import annotations

import math
import secrets
from typing import Any

import attrs
import numpy as np

from .errors import UsageError
from .evaluator import Outcome
from .problem import NON_FINITE


def _positive_int(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise UsageError(f"budget: {attribute.name} must be a positive integer, got {value!r}")


def _positive_int_or_none(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None:
        _positive_int(instance, attribute, value)


def _positive_or_none(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise UsageError(f"budget: {attribute.name} must be a positive number, got {value!r}")


def _finite_or_none(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"budget: {attribute.name} must be a finite number, got {value!r}")


def _non_negative_int(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    non_negative_int(f"budget: {attribute.name}", value)


@attrs.frozen
class Budget:
    """When a run must stop: after ``evaluations`` (exact, across ``restarts``), ``seconds``,
    at ``target`` cost,
    or after ``failures`` failed evaluations in a row (errors: raised, wrong type or shape,
    timed out; NaN and inf costs do not count, as they may mark where a cost is undefined)."""

    evaluations: int = attrs.field(validator=_positive_int)
    seconds: float | None = attrs.field(default=None, validator=_positive_or_none)
    target: float | None = attrs.field(default=None, validator=_finite_or_none)
    failures: int | None = attrs.field(default=50, validator=_positive_int_or_none)
    #: Fresh starts allowed when the optimizer converges with evaluations left.
    restarts: int = attrs.field(default=0, validator=_non_negative_int)


def errors_in_a_row(outcome: Outcome, streak: int) -> int:
    """Failed evaluations in a row (errors only) after ``outcome``, given ``streak`` before."""
    errors = [i for i, reason in outcome.failures.items() if not reason.startswith(NON_FINITE)]
    count = len(outcome.costs)
    if len(errors) == count:
        return streak + count
    last_ok = max(set(range(count)) - set(errors))
    return count - 1 - last_ok


def non_negative_int(name: str, value: Any) -> int:
    """``value`` as an int, or :class:`UsageError` naming ``name`` when it is no count."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise UsageError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def draw_seed() -> int:
    """A fresh random seed, small enough to read and type again."""
    return secrets.randbelow(2**32)
