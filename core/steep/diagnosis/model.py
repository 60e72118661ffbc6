"""The values a diagnosis is made of: findings, the recommendation, and the diagnosis itself."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

#: What the probe looks for, in the order reports list them.
FINDING_KEYS = (
    "noise",
    "plateau",
    "stairs",
    "wiggles",
    "valleys",
    "conditioning",
    "separability",
)
VEHICLES = ("race car", "pickup truck", "on foot")


def _one_of(choices: tuple[str, ...]) -> Any:
    def check(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
        if value not in choices:
            raise ValueError(
                f"{type(instance).__name__}.{attribute.name} must be one of "
                f"{', '.join(map(repr, choices))}, got {value!r}"
            )

    return check


def _one_line(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name} must be one non-empty line, got {value!r}"
        )


def _optional_bool(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValueError(f"Finding.{attribute.name} must be True, False or None, got {value!r}")


def _number(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(
            f"Finding.{attribute.name} must be a number (NaN: not measured), got {value!r}"
        )


def _plain(value: float) -> float | None:
    """``value`` for JSON: NaN and infinities have no JSON spelling, so they become ``None``."""
    return float(value) if math.isfinite(value) else None


def _details(value: Any) -> dict[str, float]:
    details = dict(value)
    for name, number in details.items():
        if not isinstance(name, str) or isinstance(number, bool):
            raise ValueError(f"Finding.details: {name!r}: {number!r} is not a named number")
        details[name] = float(number)
    return details


@attrs.frozen
class Finding:
    """One property of the terrain: whether it is ``present`` (``None``: not measured, or
    the probe could not tell), the ``figure`` measured (NaN when none), ``text``, one line
    saying what the figure means, and ``details``, the other figures behind it by name."""

    key: str = attrs.field(validator=_one_of(FINDING_KEYS))
    present: bool | None = attrs.field(validator=_optional_bool)
    figure: float = attrs.field(validator=_number)
    text: str = attrs.field(validator=_one_line)
    details: dict[str, float] = attrs.field(factory=dict, converter=_details)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "present": self.present,
            "figure": _plain(self.figure),
            "text": self.text,
            "details": {name: _plain(number) for name, number in self.details.items()},
        }


@attrs.frozen
class Recommendation:
    """The optimizer to use (``None`` when none is installed), its kind of vehicle in the
    mission's words, and why."""

    optimizer: str | None
    vehicle: str = attrs.field(validator=_one_of(VEHICLES))
    reason: str = attrs.field(validator=_one_line)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def _findings(value: Any) -> tuple[Finding, ...]:
    findings = tuple(value)
    for finding in findings:
        if not isinstance(finding, Finding):
            raise ValueError(f"Diagnosis.findings must hold Finding values, got {finding!r}")
    return findings


def _readonly(value: Any) -> np.ndarray:
    array = np.array(value, dtype=np.float64)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False)
class Diagnosis:
    """What ``steep diagnose`` found on a problem: the findings, the recommendation, what
    the probe cost, why it stopped (``stop``, as :attr:`steep.Result.stop`: "converged"
    when every phase was done), and every point it evaluated with its cost (``points`` in
    the problem's own coordinates, ``costs`` raw, NaN and inf included)."""

    problem: str
    dim: int
    findings: tuple[Finding, ...] = attrs.field(converter=_findings)
    recommendation: Recommendation
    nfev: int
    budget: int
    seed: int
    stop: str
    points: np.ndarray = attrs.field(converter=_readonly)
    costs: np.ndarray = attrs.field(converter=_readonly)

    def __attrs_post_init__(self) -> None:
        if self.points.shape != (len(self.costs), self.dim):
            raise ValueError(
                f"Diagnosis.points has shape {self.points.shape}; expected "
                f"({len(self.costs)}, {self.dim}) for {len(self.costs)} costs in {self.dim}-D"
            )
        if not 0 <= self.nfev <= self.budget:
            raise ValueError(f"Diagnosis.nfev {self.nfev} is not within the budget {self.budget}")

    def finding(self, key: str) -> Finding:
        """The finding named ``key`` (one of :data:`FINDING_KEYS`)."""
        for finding in self.findings:
            if finding.key == key:
                return finding
        raise KeyError(f"no finding {key!r}; findings: {', '.join(f.key for f in self.findings)}")

    def to_dict(self) -> dict[str, Any]:
        """The diagnosis as JSON data."""
        return {
            "problem": self.problem,
            "dim": self.dim,
            "budget": self.budget,
            "nfev": self.nfev,
            "seed": self.seed,
            "stop": self.stop,
            "findings": [finding.to_dict() for finding in self.findings],
            "recommendation": self.recommendation.to_dict(),
            "points": self.points.tolist(),
            "costs": [_plain(cost) for cost in self.costs],
        }

    def lines(self) -> list[str]:
        """The report for the terminal, line by line."""
        marks = {True: "yes", False: "no", None: "?"}
        width = max(len(key) for key in FINDING_KEYS)
        early = "" if self.stop in ("converged", "budget") else f", stopped early ({self.stop})"
        lines = [
            f"{self.problem} ({self.dim}-D): probed with {self.nfev} of {self.budget} "
            f"evaluations, seed {self.seed}{early}",
            f"  {'finding'.ljust(width)}  present  {'figure':>9}  meaning",
        ]
        for finding in self.findings:
            figure = "-" if math.isnan(finding.figure) else f"{finding.figure:.3g}"
            lines.append(
                f"  {finding.key.ljust(width)}  {marks[finding.present]:<7}  {figure:>9}  "
                f"{finding.text}"
            )
        advice = self.recommendation
        name = advice.optimizer or "no optimizer installed"
        lines.append(f"Verdict: {advice.vehicle}, {name}: {advice.reason}")
        return lines
