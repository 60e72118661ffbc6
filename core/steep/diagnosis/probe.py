"""The probe: an ask/tell optimizer that spends its budget measuring the terrain, not
minimizing it, so the run loop counts, seeds and journals its evaluations like any run's."""

from __future__ import annotations

from collections.abc import Generator
from typing import ClassVar

import numpy as np

from ..optimizer import Optimizer, Task
from .evidence import Evidence
from .plan import ProbePlan, plan_probe

#: First step of a local descent, as a share of the box width.
DESCENT_STEP = 0.1
#: A descent has settled when its step is below this share of the box width.
SETTLED_STEP = 1e-3
#: Step factors after an iteration that found a lower point, and after one that did not.
GROW, SHRINK = 1.5, 0.5
#: Step of the tiny slopes: the scale of a finite-difference gradient (share of the width).
TINY_STEP = 1e-6
#: Step of the forward-difference Hessian (share of the width).
HESSIAN_STEP = 1e-4
#: Steps of the separability tests (share of the width).
INTERACTION_STEP = 0.2
#: Steps of the walks along the axes (shares of the width), large and small: bumps a
#: tenth of the box apart show at the first, wiggles a hundredth apart at the second.
WALK_STEPS = (0.03, 0.002)
#: Where along the segment between two descents' ends the hill test tastes.
HILL_FRACTIONS = np.array([0.25, 0.5, 0.75])


Phases = Generator[np.ndarray, np.ndarray, None]


def latin_hypercube(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    """``count`` points in the unit box, one in each of ``count`` slices of every axis."""
    slices = np.argsort(rng.random((dim, count)), axis=1).T
    return (slices + rng.random((count, dim))) / count


def random_directions(rng: np.random.Generator, count: int, dim: int) -> np.ndarray:
    """``count`` unit vectors drawn uniformly over the sphere."""
    vectors = rng.standard_normal((count, dim))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def spread_out(points: np.ndarray, costs: np.ndarray, count: int) -> np.ndarray:
    """Indices of ``count`` points among the better half, far apart: the best first, then
    each time the one farthest from those chosen (finite costs only)."""
    finite = np.flatnonzero(np.isfinite(costs))
    if len(finite) == 0:
        return finite
    ranked = finite[np.argsort(costs[finite], kind="stable")]
    candidates = ranked[: max(count, (len(ranked) + 1) // 2)]
    chosen = [int(candidates[0])]
    nearest = np.linalg.norm(points[candidates] - points[chosen[0]], axis=1)
    while len(chosen) < min(count, len(candidates)):
        chosen.append(int(candidates[np.argmax(nearest)]))
        moved = np.linalg.norm(points[candidates] - points[chosen[-1]], axis=1)
        nearest = np.minimum(nearest, moved)
    return np.array(chosen)


def inward(point: np.ndarray, reach: float) -> np.ndarray:
    """Per coordinate +1, or -1 where a step of ``reach`` up would leave the unit box."""
    return np.where(point + reach <= 1.0, 1.0, -1.0)


class Probe(Optimizer):
    """Landscape probe: samples, repeats, tiny slopes, walks along the axes, short descents,
    curvature and separability tests, within the budget it is given."""

    name = "diagnose-probe"
    parallelism: ClassVar[str] = "asks each phase's points in whole batches"

    def __init__(self, task: Task, options: object, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.plan: ProbePlan = plan_probe(task.budget, task.dim)
        self.evidence = Evidence(task.dim)
        self._phases = self._measure()
        self._asked = next(self._phases)

    def ask(self) -> np.ndarray:
        box = self.bounds
        return np.clip(box.lower + self._asked * box.width, box.lower, box.upper)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.evidence.note_best(self._asked, costs)
        try:
            self._asked = self._phases.send(np.array(costs))
        except StopIteration:
            self.converged = "the probe measured everything its budget affords"

    def _measure(self) -> Phases:
        yield from self._sample()
        yield from self._repeat()
        yield from self._tiny_slopes()
        yield from self._walks()
        yield from self._descend()
        yield from self._hill_tests()
        yield from self._hessian()
        yield from self._interactions()

    def _sample(self) -> Phases:
        evidence = self.evidence
        evidence.sample_u = latin_hypercube(self.rng, self.plan.sample, self.dim)
        evidence.sample_f = yield evidence.sample_u

    def _finite_sample(self, count: int) -> np.ndarray:
        """Indices of up to ``count`` sample points with finite costs, drawn at random."""
        finite = np.flatnonzero(np.isfinite(self.evidence.sample_f))
        return self.rng.permutation(finite)[:count]

    def _repeat(self) -> Phases:
        evidence = self.evidence
        chosen = self._finite_sample(self.plan.repeats)
        if len(chosen):
            again = yield evidence.sample_u[chosen]
            evidence.repeats = np.column_stack([evidence.sample_f[chosen], again])

    def _tiny_slopes(self) -> Phases:
        evidence = self.evidence
        chosen = self._finite_sample(self.plan.slopes)
        if len(chosen):
            start = evidence.sample_u[chosen]
            step = TINY_STEP * random_directions(self.rng, len(chosen), self.dim)
            step = np.where((start + step >= 0) & (start + step <= 1), step, -step)
            moved = yield start + step
            evidence.slopes = np.column_stack([evidence.sample_f[chosen], moved])

    def _walks(self) -> Phases:
        """Walks along the coordinate axes from random points, every axis in turn, each at
        the two scales of :data:`WALK_STEPS`, in one batch: along an axis a few big valleys
        make a bump or two, wiggles many."""
        plan, evidence = self.plan, self.evidence
        if not plan.walks:
            return
        axes = np.resize(self.rng.permutation(self.dim), plan.walks)
        profiles, widths = [], []
        for point, axis in zip(self.rng.random((plan.walks, self.dim)), axes):
            for step, count in zip(WALK_STEPS, (plan.walk_points, plan.short_points)):
                span = min(step * (count - 1), 1.0)
                first = np.clip(point[axis] - span / 2, 0.0, 1.0 - span)
                walk = np.repeat(point[None, :], count, axis=0)
                walk[:, axis] = first + np.linspace(0.0, span, count)
                profiles.append(walk)
                widths.append(span)
        costs = yield np.concatenate(profiles)
        sizes = np.cumsum([len(profile) for profile in profiles])[:-1]
        evidence.walks, evidence.walk_widths = np.split(costs, sizes), widths

    def _descend(self) -> Phases:
        """Short (1+λ) descents from spread-out starts, all asked together: mirrored random
        steps, and the last move repeated further (so a descent can run along a curved
        valley); a step grows after a lower point is found and halves otherwise."""
        plan, evidence = self.plan, self.evidence
        chosen = spread_out(evidence.sample_u, evidence.sample_f, plan.descents)
        if len(chosen) == 0:
            return
        here, cost = evidence.sample_u[chosen].copy(), evidence.sample_f[chosen].copy()
        step = np.full(len(chosen), DESCENT_STEP)
        last_move = np.zeros_like(here)
        pairs, left = (plan.descent_batch - 1) // 2, plan.descent_evaluations
        while True:
            moving = np.flatnonzero(step >= SETTLED_STEP)[: left // plan.descent_batch]
            if len(moving) == 0:
                break
            directions = random_directions(self.rng, len(moving) * pairs, self.dim)
            directions = directions.reshape(len(moving), pairs, self.dim)
            moves = np.concatenate([directions, -directions], axis=1) * step[moving, None, None]
            moves = np.concatenate([moves, GROW * last_move[moving, None, :]], axis=1)
            tried = np.clip(here[moving, None, :] + moves, 0, 1)
            costs = yield tried.reshape(-1, self.dim)
            left -= costs.size
            costs = costs.reshape(len(moving), plan.descent_batch)
            best = np.argmin(costs, axis=1)
            lowest = costs[np.arange(len(moving)), best]
            better = lowest < cost[moving]
            arrived = tried[np.arange(len(moving)), best]
            last_move[moving] = np.where(better[:, None], arrived - here[moving], 0.0)
            here[moving[better]] = arrived[better]
            cost[moving[better]] = lowest[better]
            step[moving] *= np.where(better, GROW, SHRINK)
        evidence.ends_u, evidence.end_f = here, cost

    def _hill_tests(self) -> Phases:
        """Taste the segment from each descent's end to its nearest better end (a quarter,
        half and three quarters of the way): a rise above both ends means a hill between
        two valleys. Ends closer than a settled step share a valley untested."""
        evidence = self.evidence
        ends, costs = evidence.ends_u, evidence.end_f
        order = np.argsort(costs, kind="stable")
        links, apart = [], []
        for rank, end in enumerate(order[1:], start=1):
            better = order[:rank]
            distances = np.linalg.norm(ends[better] - ends[end], axis=1)
            links.append((int(end), int(better[np.argmin(distances)])))
            apart.append(distances.min() > SETTLED_STEP)
        evidence.hill_links = np.array(links, dtype=int).reshape(-1, 2)
        evidence.hill_straight = np.full((len(links), len(HILL_FRACTIONS)), np.nan)
        tested = evidence.hill_links[np.array(apart, dtype=bool)]
        if len(tested):
            first, second = ends[tested[:, 0]], ends[tested[:, 1]]
            steps = HILL_FRACTIONS[:, None] * (second - first)[:, None, :]
            tasted = yield (first[:, None, :] + steps).reshape(-1, self.dim)
            evidence.hill_straight[np.array(apart)] = tasted.reshape(len(tested), -1)

    def _hessian(self) -> Phases:
        evidence, dim = self.evidence, self.dim
        if not self.plan.hessian or evidence.best_u is None:
            return
        centre, centre_cost = evidence.best_u.copy(), evidence.best_f
        steps = HESSIAN_STEP * inward(centre, 2 * HESSIAN_STEP)
        single = centre + np.diag(steps)
        double = centre + 2 * np.diag(steps)
        rows, columns = np.triu_indices(dim, 1)
        pairs = single[rows] + np.diag(steps)[columns]
        costs = yield np.concatenate([single, double, pairs])
        evidence.hessian_steps, evidence.hessian_centre_f = steps, centre_cost
        evidence.hessian_single = costs[:dim]
        evidence.hessian_double = costs[dim : 2 * dim]
        evidence.hessian_pairs = costs[2 * dim :]

    def _interactions(self) -> Phases:
        evidence, count = self.evidence, self.plan.interactions
        chosen = self._finite_sample(count)
        if not count or len(chosen) == 0:
            return
        start = evidence.sample_u[chosen]
        first = self.rng.integers(0, self.dim, len(chosen))
        second = (first + self.rng.integers(1, self.dim, len(chosen))) % self.dim
        along, across = np.zeros_like(start), np.zeros_like(start)
        rows = np.arange(len(chosen))
        along[rows, first] = INTERACTION_STEP * inward(start[rows, first], INTERACTION_STEP)
        across[rows, second] = INTERACTION_STEP * inward(start[rows, second], INTERACTION_STEP)
        costs = yield np.concatenate([start + along, start + across, start + along + across])
        costs = costs.reshape(3, len(chosen)).T
        evidence.interactions = np.column_stack([evidence.sample_f[chosen], costs])
