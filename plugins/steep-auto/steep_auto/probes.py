"""auto's own probes, on the same ask/tell contract as any method: the separability test,
the line walks that measure ruggedness, and the coordinate-wise grids a separable cost
allows."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import steep
from attrs.validators import ge
from steep import option

#: Largest interaction, relative to the costs involved, that still counts as none.
INTERACTION_TOLERANCE = 1e-9


def separability_cost(dim: int, pairs: int) -> int:
    """Evaluations the separability test takes: two points and 2 d swaps per pair."""
    return pairs * (2 + 2 * dim)


@attrs.frozen
class SeparabilityOptions:
    pairs: int = option(2, "random pairs of points whose coordinates are swapped", check=ge(1))


class SeparabilityTest(steep.Optimizer):
    """Is the cost a sum of one function per coordinate? Swap coordinates between points.

    For pairs of points ``a, b`` (the first ``a`` is the start), and each coordinate ``i``,
    ``a`` with ``b``'s ``i``-th coordinate and ``b`` with ``a``'s: a separable cost
    ``f(x) = sum_i f_i(x_i)`` gives ``f(a) + f(b) = f(a^i) + f(b^i)`` exactly. One batch;
    then :attr:`separable` says, and :attr:`converged` why.
    """

    name = "auto-separability-test"
    Options = SeparabilityOptions

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.separable = False
        self.flat = False  # every cost was the same: nothing to tell
        self.largest = math.nan  # the largest relative interaction measured

    def ask(self) -> np.ndarray:
        pairs, d = self.options.pairs, self.dim
        ends = self.bounds.sample(self.rng, 2 * pairs).reshape(pairs, 2, d)
        ends[0, 0] = self.task.x0
        points = []
        for a, b in ends:
            swapped_a, swapped_b = np.tile(a, (d, 1)), np.tile(b, (d, 1))
            swapped_a[np.arange(d), np.arange(d)] = b
            swapped_b[np.arange(d), np.arange(d)] = a
            points.extend([a[None], b[None], swapped_a, swapped_b])
        return np.vstack(points)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        d = self.dim
        self.nit = 1
        if not np.isfinite(costs).all():
            self.converged = "a cost was not finite: separability untested"
            return
        if costs.max() == costs.min():
            self.flat = True
            self.converged = "every cost was equal, whatever the swaps"
            return
        worst = 0.0
        for pair in costs.reshape(self.options.pairs, 2 + 2 * d):
            fa, fb, fa_swapped, fb_swapped = pair[0], pair[1], pair[2 : 2 + d], pair[2 + d :]
            with np.errstate(over="ignore", invalid="ignore"):
                interaction = np.abs((fa - fa_swapped) + (fb - fb_swapped))
                scale = np.abs(fa) + np.abs(fb) + np.abs(fa_swapped) + np.abs(fb_swapped)
                relative = np.where(interaction > 0, interaction / np.maximum(scale, 1e-300), 0)
            worst = max(worst, float(np.max(relative)))
        self.largest = worst
        self.separable = bool(worst <= INTERACTION_TOLERANCE)
        self.converged = (
            f"swapping coordinates changed no sum of costs (largest change {worst:.1e})"
            if self.separable
            else f"swapping coordinates changed sums of costs by up to {worst:.1e} of them"
        )


@attrs.frozen
class WalkOptions:
    lines: int = option(
        4, "random lines walked across the box, as many as the budget allows", check=ge(1)
    )
    density: int = option(48, "points tasted per box width along a line", check=ge(2))
    tolerance: float = option(
        1e-6,
        "changes of cost below this share of a line's range are not bumps",
        check=attrs.validators.ge(0),
    )


#: Fewest points along a line.
FEWEST_POINTS = 16


def quadratic_fit(costs: np.ndarray) -> float:
    """How much of a profile's ranks a parabola explains (R², 0 to 1): the trend beneath."""
    ranks = np.argsort(np.argsort(costs, kind="stable"), kind="stable").astype(float)
    if len(ranks) < 4 or ranks.var() == 0:
        return 1.0
    t = np.linspace(-1.0, 1.0, len(ranks))
    basis = np.vander(t, 3)
    coefficients, *_ = np.linalg.lstsq(basis, ranks, rcond=None)
    return float(1.0 - (ranks - basis @ coefficients).var() / ranks.var())


class LineWalks(steep.Optimizer):
    """How rugged is the terrain, and is there a trend beneath? Walk random lines across it.

    Each line passes through a random point in a random direction, from wall to wall, and
    is tasted at ``density`` evenly spaced points per box width it crosses (at least 16);
    lines are drawn while the budget allows, up to ``lines``, and asked in one batch. A bump
    is a local maximum of a line's costs (changes below ``tolerance`` of the line's range
    ignored): :attr:`bumps` is their number per box width crossed. A smooth valley has
    none, wide valleys a few, a rugged terrain many. :attr:`trend` is the median share of
    each line's cost ranks a parabola explains: near 1 for a funnel under ripples, near 0
    where the ripples are all there is.
    """

    name = "auto-line-walks"
    Options = WalkOptions

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.bumps = math.nan
        self.trend = math.nan
        self.crossed = 0.0  # box widths crossed
        self.lines: list[np.ndarray] = []
        for _ in range(options.lines):
            line, widths = self._line()
            if sum(map(len, self.lines)) + len(line) > task.budget and self.lines:
                break
            self.lines.append(line[: task.budget])
            self.crossed += widths

    def _line(self) -> tuple[np.ndarray, float]:
        """Points along a random line from wall to wall, and the box widths it crosses."""
        lower, upper, width = self.bounds.lower, self.bounds.upper, self.bounds.width
        through = self.bounds.sample(self.rng, 1)[0]
        direction = self.rng.standard_normal(self.dim) * width
        moving = direction != 0
        if not moving.any():
            return np.tile(through, (FEWEST_POINTS, 1)), 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            ends = np.stack([(lower - through) / direction, (upper - through) / direction])
        start = np.max(np.min(ends, axis=0)[moving])
        stop = np.min(np.max(ends, axis=0)[moving])
        widths = float(np.linalg.norm((stop - start) * direction[moving] / width[moving]))
        count = max(FEWEST_POINTS, math.ceil(self.options.density * widths))
        steps = np.linspace(start, stop, count)
        return self.bounds.clip(through + steps[:, None] * direction), widths

    def ask(self) -> np.ndarray:
        return np.vstack(self.lines)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.nit = 1
        count, fits, offset = 0, [], 0
        for line in self.lines:
            profile = costs[offset : offset + len(line)]
            offset += len(line)
            finite = profile[np.isfinite(profile)]
            if len(finite) < 3:
                continue
            changes = np.diff(finite)
            tolerance = self.options.tolerance * (finite.max() - finite.min())
            signs = np.sign(changes[np.abs(changes) > tolerance])
            count += int(np.sum((signs[:-1] > 0) & (signs[1:] < 0)))
            fits.append(quadratic_fit(finite))
        self.bumps = count / self.crossed if self.crossed > 0 else 0.0
        self.trend = float(np.median(fits)) if fits else math.nan
        self.converged = (
            f"{len(self.lines)} lines across the box found {self.bumps:.1f} bumps per box "
            f"width, a parabola explaining {self.trend:.0%} of their ranks"
        )


@attrs.frozen
class CoordinateOptions:
    candidates: int = option(
        3,
        "lowest dips of each coordinate's coarse grid searched again, finer",
        check=ge(1),
    )
    zoom: int = option(8, "points per coordinate of each zooming grid", check=ge(2))
    xtol: float = option(
        1e-11,
        "zooming stops when the grid spacing is below this share of every box width",
        check=attrs.validators.gt(0),
    )


#: Points per coordinate of the first scan, which tells one dip from several.
SCAN = 24


def dips(profile: np.ndarray) -> np.ndarray:
    """Where a profile of costs has a local minimum, no higher than its neighbours (every
    point of a flat stretch is one)."""
    padded = np.concatenate([[np.inf], profile, [np.inf]])
    return np.flatnonzero((profile <= padded[:-2]) & (profile <= padded[2:]))


def single_dip(profile: np.ndarray) -> bool:
    """Whether a profile falls, then rises, once (equal neighbours count as one point),
    without being flat."""
    levels = profile[np.concatenate([[True], profile[1:] != profile[:-1]])]
    return len(levels) > 1 and len(dips(levels)) == 1


class CoordinateSearch(steep.Optimizer):
    """Grids along each coordinate through the start, finer around its dips, then zooming.

    For a separable cost the lowest point of each coordinate's grid, put together, is the
    lowest point of the whole grid: ``d m`` evaluations stand for ``m ** d``. A first scan
    of 24 points per coordinate ends the search if every coordinate shows a single dip (one
    valley, for a descent to finish). Otherwise two fifths of
    the budget go to coarse grids of ``m`` points per coordinate (walls included), three
    tenths to finer grids between the neighbours of each coordinate's ``candidates`` lowest
    dips; then grids of ``zoom`` points around each coordinate's best value, each spanning
    the last spacing either side, until the spacing is below ``xtol`` of the width (or the
    budget ends). The last evaluation is the point put together.
    """

    name = "auto-coordinate-search"
    Options = CoordinateOptions

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        d, budget = self.dim, task.budget - 1
        self.coarse = max(2, int(0.4 * budget) // d)
        self.fine = max(0, int(0.3 * budget) // (d * options.candidates))
        self.axes = np.linspace(self.bounds.lower, self.bounds.upper, self.coarse).T  # (d, m)
        self.spacing = self.bounds.width / (self.coarse - 1)
        self.base = np.array(task.x0, dtype=np.float64)
        self.best_values = self.base.copy()
        self.best_costs = np.full(d, np.inf)
        self.scan = min(SCAN, self.coarse)
        self.scan_values = np.linspace(self.bounds.lower, self.bounds.upper, self.scan).T
        self.phase = "scan" if self.scan < self.coarse else "coarse"
        self.one_dip = False  # every coordinate's scan found a single dip
        self.spent = 0
        self.levels = 0
        self.nit = 0

    def _along(self, values: np.ndarray) -> np.ndarray:
        """Points through the base, coordinate i set to each of ``values[i]`` (rows: (d, k))."""
        d, k = values.shape
        points = np.tile(self.base, (d * k, 1))
        points[np.arange(d * k), np.repeat(np.arange(d), k)] = values.ravel()
        return self.bounds.clip(points)

    def ask(self) -> np.ndarray:
        if self.phase == "together":
            return self.best_values[None].copy()
        return self._along(self.values)

    def _keep(self, values: np.ndarray, costs: np.ndarray) -> None:
        """The lowest of ``values`` (rows per coordinate) where it beats what is kept."""
        lowest = costs.argmin(axis=1)
        rows = np.arange(self.dim)
        better = costs[rows, lowest] < self.best_costs
        self.best_costs[better] = costs[rows, lowest][better]
        self.best_values[better] = values[rows, lowest][better]

    @property
    def values(self) -> np.ndarray:
        """The grid of the current phase, one row of values per coordinate."""
        return self.axes if self.phase == "coarse" else getattr(self, f"{self.phase}_values")

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.nit += 1
        self.spent += len(points)
        d = self.dim
        if self.phase == "together":
            self.converged = (
                f"each coordinate's {self.scan} points have a single dip"
                if self.one_dip
                else f"searched each coordinate on {self.coarse} points, {self.fine} around "
                f"each of its {self.options.candidates} lowest dips, then {self.levels} "
                "zooming grids"
            )
            return
        profile = costs.reshape(d, -1)
        self._keep(self.values, profile)
        if self.phase == "scan":
            self.one_dip = all(single_dip(row) for row in profile)
            self.phase = "together" if self.one_dip else "coarse"
            return
        if self.phase == "coarse" and self.fine > 0:
            self.fine_values = np.vstack([self._finer(i, profile[i]) for i in range(d)])
            self.spacing = self.spacing * 2 / (self.fine + 1)
            self.phase = "fine"
            return
        self._zoom()

    def _zoom(self) -> None:
        """A zooming grid if the budget and the resolution call for one, else the end."""
        k = self.options.zoom
        room = self.task.budget - self.spent - 1
        if room < self.dim * k or (self.spacing <= self.options.xtol * self.bounds.width).all():
            self.phase = "together"
            return
        if self.phase == "zoom":
            self.spacing = self.spacing * 2 / (k + 1)
        offsets = np.linspace(-1, 1, k + 2)[1:-1]
        offsets = offsets[offsets != 0]  # the best value itself is known
        if len(offsets) < k:
            offsets = np.concatenate([offsets, [1.0]])
        self.zoom_values = self.best_values[:, None] + self.spacing[:, None] * offsets[None]
        self.levels += 1
        self.phase = "zoom"

    def _finer(self, i: int, profile: np.ndarray) -> np.ndarray:
        """``candidates * fine`` points between the neighbours of the lowest dips of a
        coordinate's profile, shared evenly among its dips when it has fewer."""
        axis, m = self.axes[i], self.coarse
        lowest = dips(profile)
        lowest = lowest[np.argsort(profile[lowest], kind="stable")][: self.options.candidates]
        total = self.options.candidates * self.fine
        counts = np.full(len(lowest), total // len(lowest))
        counts[: total % len(lowest)] += 1
        values = [
            np.linspace(axis[max(j - 1, 0)], axis[min(j + 1, m - 1)], count + 2)[1:-1]
            for j, count in zip(lowest, counts)
        ]
        return np.concatenate(values)
