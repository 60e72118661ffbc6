"""How the probe shares its budget among its phases, so that every budget from about 20
evaluations per dimension up buys each measurement it can afford, and never one more."""

from __future__ import annotations

import math

import attrs

from ..errors import UsageError

#: Evaluations per dimension when no budget is given.
DEFAULT_BUDGET_PER_DIM = 100
#: The smallest budget that still measures something in ``d`` dimensions: ``10 d + 10``.
MINIMUM_BUDGET_PER_DIM, MINIMUM_BUDGET_BASE = 10, 10
#: Most of the budget the curvature at the best point may take (``d (d + 3) / 2`` points).
HESSIAN_SHARE = 0.2
#: Iterations a local descent is planned for: enough to settle into a valley from a step
#: of a tenth of the box, halving on each failure, not to polish its bottom.
DESCENT_ITERATIONS = 10
MOST_DESCENTS = 8
#: Points per large-step walk along an axis: enough to see a few bumps, few enough for
#: several walks; a small-step walk from the same point takes half as many.
WALK_POINTS = (10, 40)


def hessian_cost(dim: int) -> int:
    """Evaluations of a forward-difference Hessian whose centre is known: ``d (d + 3) / 2``."""
    return dim * (dim + 3) // 2


def descent_batch(dim: int) -> int:
    """Points a descent tries per iteration: mirrored pairs, more of them in more
    dimensions, and its last move repeated."""
    return 2 * (1 + int(1.5 * math.log(dim))) + 1


def minimum_budget(dim: int) -> int:
    return MINIMUM_BUDGET_PER_DIM * dim + MINIMUM_BUDGET_BASE


def check_budget(budget: int, dim: int) -> None:
    """Refuse a budget too small to probe ``dim`` dimensions, saying what would do."""
    least = minimum_budget(dim)
    if budget < least:
        raise UsageError(
            f"budget {budget} is too small to probe a {dim}-D problem; give at least {least} "
            f"({MINIMUM_BUDGET_PER_DIM} per dimension + {MINIMUM_BUDGET_BASE})"
        )


def _clip(value: float, low: int, high: int) -> int:
    return int(min(max(value, low), high))


@attrs.frozen
class ProbePlan:
    """Evaluations of each phase of the probe; :attr:`evaluations` never exceeds the budget.

    ``walks`` walks along the axes, each with ``walk_points`` large steps and then
    ``short_points`` small ones from the same point;
    ``descents`` local descents asking ``descent_batch`` points
    per iteration, ``descent_evaluations`` in all; a hill test (3 points) between each
    descent's end and its nearest better one; ``interactions`` separability tests of 3
    points each.
    """

    dim: int
    sample: int
    repeats: int
    slopes: int
    walks: int
    walk_points: int
    short_points: int
    descents: int
    descent_batch: int
    descent_evaluations: int
    hessian: bool
    interactions: int

    @property
    def hill_tests(self) -> int:
        return max(self.descents - 1, 0)

    @property
    def evaluations(self) -> int:
        return (
            self.sample
            + self.repeats
            + self.slopes
            + self.walks * (self.walk_points + self.short_points)
            + self.descent_evaluations
            + 3 * self.hill_tests
            + (hessian_cost(self.dim) if self.hessian else 0)
            + 3 * self.interactions
        )


def plan_probe(budget: int, dim: int) -> ProbePlan:
    """The phases a probe of ``budget`` evaluations affords in ``dim`` dimensions.

    Fixed small costs first (repeats for noise, tiny steps for flat slopes, the Hessian
    where it takes at most a fifth, a few separability tests), then the rest: 25 % spread
    out samples, 35 % walks along the axes, the remainder local descents and their hill
    tests.
    """
    check_budget(budget, dim)
    repeats = _clip(budget // 25, 2, 6)
    slopes = _clip(budget // 25, 2, 8)
    hessian = hessian_cost(dim) <= HESSIAN_SHARE * budget
    interactions = 0 if dim == 1 else _clip(0.05 * budget / 3, 1, 20)
    rest = budget - repeats - slopes - (hessian_cost(dim) if hessian else 0) - 3 * interactions
    batch = descent_batch(dim)
    descents = _clip(0.45 * rest / (DESCENT_ITERATIONS * batch), 2, MOST_DESCENTS)
    rest -= 3 * (descents - 1)
    sample = max(int(0.25 * rest), 2)
    walk_budget = int(0.35 * rest)
    walk_points = _clip(2 * walk_budget // (3 * dim), *WALK_POINTS)
    short_points = walk_points // 2
    walks = walk_budget // (walk_points + short_points)
    descent_evaluations = rest - sample - walks * (walk_points + short_points)
    return ProbePlan(
        dim=dim,
        sample=sample,
        repeats=repeats,
        slopes=slopes,
        walks=walks,
        walk_points=walk_points,
        short_points=short_points,
        descents=descents,
        descent_batch=batch,
        descent_evaluations=descent_evaluations,
        hessian=hessian,
        interactions=interactions,
    )
