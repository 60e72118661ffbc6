"""The verdict: which vehicle the terrain calls for, and which installed optimizer drives it.

The race car (slope followers) for a smooth single valley; the pickup truck (robust
randomized methods) where valleys, wiggles, stairs, a plateau or noise wreck it; on foot
(a grid) when the dimension is small enough for a fine grid and nothing else can be
trusted. Optimizers are named by the strings plugins register, never imported.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .model import Finding, Recommendation
from .shape import BUMPS_PER_WIDTH

#: The budget per dimension ``steep run`` spends by default: what a grid may use.
RUN_BUDGET_PER_DIM = 1000
#: A grid walks "on foot" only when its points are at most this share of the box apart.
FINE_GRID = 0.01
#: The vehicle each well-known optimizer is, for naming a stand-in's kind truthfully.
VEHICLE_OF = {
    "bfgs": "race car",
    "newton": "race car",
    "gradient-descent": "race car",
    "cma-es": "pickup truck",
    "annealing": "pickup truck",
    "genetic": "pickup truck",
    "random-search": "pickup truck",
    "exhaustive": "on foot",
}


def terrain(findings: Sequence[Finding]) -> str:
    """The finding that decides the vehicle: the first present of noise, plateau, stairs,
    wiggles and valleys (each hides those after it; bumps on no trend count as valleys),
    else "smooth", or "unknown" when the probe could tell none of them."""
    by_key = {finding.key: finding for finding in findings}
    present = {key: finding.present for key, finding in by_key.items()}
    wiggles = by_key.get("wiggles")
    if wiggles is not None and wiggles.figure >= BUMPS_PER_WIDTH and not wiggles.present:
        present["valleys"] = True
    for key in ("noise", "plateau", "stairs", "wiggles", "valleys"):
        if present.get(key):
            return key
    telling = [present.get(key) for key in ("noise", "wiggles", "valleys")]
    return "smooth" if all(value is False for value in telling) else "unknown"


def grid_is_fine(dim: int) -> bool:
    """Whether a grid of ``steep run``'s default budget is at most :data:`FINE_GRID` apart."""
    return (RUN_BUDGET_PER_DIM * dim) ** (1 / dim) >= 1 / FINE_GRID


@attrs.frozen
class Choice:
    """The vehicle a terrain calls for, the optimizers that fit it best first, and why."""

    vehicle: str
    fits: tuple[str, ...]
    reason: str


def _coupling(findings: dict[str, Finding], dim: int) -> tuple[tuple[str, ...], str]:
    """Pickup trucks for rough terrain, best first: annealing, whose default moves change
    one coordinate, where coordinates can be searched alone; else CMA-ES, which learns
    how they are coupled; and what that means, as words."""
    if dim == 1:
        return ("annealing", "cma-es", "genetic"), "in 1-D annealing's jumps cover the range"
    if findings["separability"].present is True:
        return ("annealing", "cma-es", "genetic"), (
            "separable, so annealing's one-coordinate moves search each coordinate alone"
        )
    return ("cma-es", "genetic", "annealing"), (
        "CMA-ES learns the coupling and the scale of the valleys from its population"
    )


def choose(findings: dict[str, Finding], dim: int) -> Choice:
    """The :class:`Choice` the findings (by key) call for in ``dim`` dimensions."""
    kind = terrain(list(findings.values()))
    rough, coupling = _coupling(findings, dim)
    if kind == "noise":
        return Choice(
            "pickup truck",
            ("genetic", "cma-es", "annealing"),
            "noise: a genetic algorithm compares whole generations of cups, so no single "
            "lucky tasting steers it",
        )
    if kind == "plateau" and grid_is_fine(dim):
        return Choice(
            "on foot",
            ("exhaustive", "annealing", "genetic"),
            f"a plateau where slopes say nothing; in {dim}-D a grid of "
            f"{RUN_BUDGET_PER_DIM * dim} cups walks the box finely enough to step into a "
            "narrow bottom",
        )
    if kind == "plateau":
        return Choice(
            "pickup truck",
            ("annealing", "genetic", "cma-es"),
            "a plateau where slopes say nothing: annealing keeps tasting across the box "
            f"until it falls in, where a {dim}-D grid would be too coarse",
        )
    if kind == "stairs":
        return Choice(
            "pickup truck",
            ("genetic", "annealing", "cma-es"),
            "stairs: slopes are zero between the steps, and a genetic algorithm compares "
            "cups far apart instead",
        )
    if kind == "wiggles":
        return Choice(
            "pickup truck",
            rough,
            "wiggles: small steps stop in the first dip, while large steps and populations "
            f"see the valley beneath; {coupling}",
        )
    if kind == "valleys":
        return Choice(
            "pickup truck",
            rough,
            "several valleys: descent ends in whichever it starts in, so search across the "
            f"box; {coupling}; the valleys being smooth, the race car restarted from many "
            "spread-out starts also works where enough of them reach the lowest",
        )
    conditioning = findings["conditioning"]
    if kind == "smooth" and conditioning.present:
        return Choice(
            "race car",
            ("bfgs", "newton", "cma-es", "gradient-descent"),
            "one smooth valley, narrow: BFGS learns its shape from the slopes, where plain "
            "gradient descent would zig-zag",
        )
    if kind == "smooth":
        return Choice(
            "race car",
            ("bfgs", "newton", "gradient-descent", "cma-es"),
            "one smooth valley: no noise, stairs, plateau, wiggles or second valley found; "
            "the race car follows the slope straight to the bottom",
        )
    return Choice(
        "pickup truck",
        ("cma-es", "genetic", "annealing"),
        "the probe could not tell the terrain (too small a budget, or costs that failed); "
        "a robust method is the safe choice",
    )


def recommend(findings: Sequence[Finding], dim: int, installed: Sequence[str]) -> Recommendation:
    """The optimizer the ``findings`` call for, among the ``installed`` optimizer names.

    Where the best fit is not installed, the next that is stands in and the reason says
    what to install; where none of them is, the first of ``installed`` (put the registry's
    default first) stands in.
    """
    by_key = {finding.key: finding for finding in findings}
    choice = choose(by_key, dim)
    vehicle, fits, reason = choice.vehicle, choice.fits, choice.reason
    conditioning = by_key.get("conditioning")
    if conditioning is not None and conditioning.present:
        reason += f"; ill-conditioned: curvatures differ {conditioning.figure:.3g}-fold"
    available = [name for name in fits if name in installed]
    if available and available[0] == fits[0]:
        return Recommendation(fits[0], vehicle, reason)
    wanted = f"install a plugin that registers {fits[0]!r} for the best fit"
    stand_in = available[0] if available else (installed[0] if installed else None)
    if stand_in is None:
        return Recommendation(None, vehicle, f"{reason}; no optimizer is installed: {wanted}")
    return Recommendation(
        stand_in,
        VEHICLE_OF.get(stand_in, vehicle),
        f"{reason}; {stand_in!r} stands in: {wanted}",
    )
