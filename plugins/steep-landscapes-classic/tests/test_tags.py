"""Each tag a classic claims, measured: descent from a grid of starts, one-coordinate
changes, the Hessian at the minimum, difference quotients, the flat share of the box."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from steep.testing import central_slopes
from steep_landscapes_classic import CLASSICS, Ellipsoid


@pytest.fixture
def rng():
    return np.random.default_rng(2024)


def tagged(tag):
    return [cls for cls in CLASSICS if tag in cls.tags]


def compass_descent(landscape, starts, first_step=1e-3, last_step=1e-9, max_moves=4000):
    """Local descent from each start: move to the best axis neighbour at the current step
    (a share of the box width) while that improves, else halve the step."""
    bounds, dim = landscape.bounds, landscape.dim
    points = starts.copy()
    costs = landscape.evaluate(points)
    steps = np.full(len(points), first_step)
    directions = np.vstack([np.eye(dim), -np.eye(dim)]) * bounds.width
    for _ in range(max_moves):
        (moving,) = np.nonzero(steps > last_step)
        if not len(moving):
            break
        trials = bounds.clip(points[moving, None, :] + steps[moving, None, None] * directions)
        trial_costs = landscape.evaluate(trials.reshape(-1, dim)).reshape(len(moving), -1)
        best = trial_costs.argmin(axis=1)
        best_costs = trial_costs[np.arange(len(moving)), best]
        better = best_costs < costs[moving]
        points[moving[better]] = trials[better, best[better]]
        costs[moving[better]] = best_costs[better]
        steps[moving[~better]] /= 2
    assert (steps <= last_step).all(), "descent did not settle within its moves"
    return points, costs


def grid_starts(landscape, per_axis):
    """Cell centres of a per_axis × per_axis grid over the 2-D box."""
    fractions = (np.arange(per_axis) + 0.5) / per_axis
    grid = np.stack(np.meshgrid(fractions, fractions), axis=-1).reshape(-1, 2)
    return landscape.bounds.lower + grid * landscape.bounds.width


def distinct(points, radius):
    found = []
    for point in points:
        if all(np.abs(point - other).max() > radius for other in found):
            found.append(point)
    return found


@functools.cache
def descents_2d(cls):
    """Where descent from a 12 × 12 grid of starts ends in 2-D (computed once per class)."""
    landscape = cls(dim=2)
    ends, costs = compass_descent(landscape, grid_starts(landscape, 12))
    return landscape, ends, costs


@pytest.mark.parametrize("cls", tagged("multimodal"), ids=lambda cls: cls.name)
def test_multimodal_descent_ends_in_several_minima(cls):
    landscape, ends, _ = descents_2d(cls)
    assert len(distinct(ends, 1e-4 * landscape.bounds.width.max())) >= 2


@pytest.mark.parametrize("cls", tagged("rugged"), ids=lambda cls: cls.name)
def test_rugged_traps_most_small_steps(cls):
    landscape, ends, costs = descents_2d(cls)
    assert len(distinct(ends, 1e-4 * landscape.bounds.width.max())) >= 10
    stuck = costs > landscape.minimum.fun + 1e-6
    assert stuck.mean() > 0.5, f"only {stuck.mean():.0%} of descents ended in a wrong dip"


@pytest.mark.parametrize("cls", tagged("unimodal"), ids=lambda cls: cls.name)
def test_unimodal_descent_always_reaches_the_minimum(cls):
    landscape, ends, _ = descents_2d(cls)
    np.testing.assert_allclose(ends, np.tile(landscape.minimum.x, (len(ends), 1)), atol=1e-6)


def near_minimum(landscape, n, share, rng):
    """``n`` points within ``share`` of the box width around the minimum."""
    bounds = landscape.bounds
    offsets = share * bounds.width * rng.uniform(-1, 1, (n, landscape.dim))
    return bounds.clip(landscape.minimum.x + offsets)


def largest_change_spread(landscape, points, rng):
    """Over coordinates k: how much f(p with x_k = a) - f(p with x_k = b) varies across the
    points p (for fixed a, b); a separable cost changes by the same amount at every p."""
    a, b = near_minimum(landscape, 2, 0.01, rng)
    spreads = []
    for k in range(landscape.dim):
        before, after = points.copy(), points.copy()
        before[:, k], after[:, k] = a[k], b[k]
        spreads.append(np.ptp(landscape.evaluate(before) - landscape.evaluate(after)))
    return max(spreads), np.abs(landscape.evaluate(points)).max()


@pytest.mark.parametrize("cls", CLASSICS, ids=lambda cls: cls.name)
def test_separable_exactly_when_tagged(cls, rng):
    landscape = cls(dim=cls.fixed_dim or 4)
    points = np.vstack([landscape.bounds.sample(rng, 40), near_minimum(landscape, 40, 0.02, rng)])
    spread, scale = largest_change_spread(landscape, points, rng)
    if "separable" in cls.tags:
        assert spread <= 1e-9 * scale, f"a change of one coordinate varies by {spread:.3g}"
    else:
        assert spread > 1e-6 * scale, "changing one coordinate never depends on the others"


def hessian(landscape, x, step):
    """Central second differences of the cost at ``x``."""
    eye = np.eye(landscape.dim) * step
    plus_plus = x + eye[:, None] + eye[None, :]
    plus_minus = x + eye[:, None] - eye[None, :]
    corners = np.stack([plus_plus, plus_minus, -plus_minus + 2 * x, -plus_plus + 2 * x])
    f = landscape.evaluate(corners.reshape(-1, landscape.dim)).reshape(corners.shape[:3])
    return (f[0] - f[1] - f[2] + f[3]) / (4.0 * np.outer(step, step))


@pytest.mark.parametrize("cls", tagged("smooth"), ids=lambda cls: cls.name)
def test_ill_conditioned_exactly_when_tagged(cls):
    for dim in [cls.fixed_dim] if cls.fixed_dim else [2, 10]:
        landscape = cls(dim=dim)
        curvatures = np.linalg.eigvalsh(
            hessian(landscape, landscape.minimum.x, 1e-4 * landscape.bounds.width)
        )
        assert curvatures.min() > 0, "the minimum is not a strict minimum"
        condition = curvatures.max() / curvatures.min()
        assert (condition > 100) == ("ill-conditioned" in cls.tags), (
            f"condition number {condition:.3g} in {dim}-D"
        )


def test_ellipsoid_condition_is_a_million_and_its_slope_exact(rng):
    landscape = Ellipsoid(dim=5)
    curvatures = np.linalg.eigvalsh(hessian(landscape, np.zeros(5), np.full(5, 1e-3)))
    assert curvatures.max() / curvatures.min() == pytest.approx(1e6, rel=1e-6)
    points = landscape.bounds.sample(rng, 20)
    steps = 1e-20j * np.eye(5)
    complex_step = np.stack([landscape.evaluate(points + s).imag / 1e-20 for s in steps], 1)
    np.testing.assert_allclose(landscape.gradient(points), complex_step, rtol=1e-13)


def quotient_decay(landscape, h):
    """How much one-sided difference quotients at the minimum shrink when h shrinks tenfold:
    about 10 where the slope is continuous (it is 0 there), about 1 at a kink."""
    x = landscape.minimum.x
    steps = np.vstack([np.eye(landscape.dim), -np.eye(landscape.dim)]) * h
    rise = [landscape.evaluate(x + s) - landscape.minimum.fun for s in (steps, steps / 10)]
    return np.min(rise[0] / rise[1]) / 10


@pytest.mark.parametrize("cls", CLASSICS, ids=lambda cls: cls.name)
def test_smooth_exactly_when_tagged(cls, rng):
    landscape = cls(dim=2)
    decay = quotient_decay(landscape, 1e-4 * landscape.bounds.width)
    assert (decay > 5) == ("smooth" in cls.tags), f"quotients shrank {decay:.3g} times"
    if "smooth" in cls.tags:
        points = landscape.bounds.sample(rng, 100)
        coarse, fine = (central_slopes(landscape, points, step) for step in (1e-5, 1e-6))
        scale = np.abs(coarse).max() + 1e-12
        np.testing.assert_allclose(coarse, fine, rtol=1e-3, atol=1e-6 * scale)


@pytest.mark.parametrize("cls", CLASSICS, ids=lambda cls: cls.name)
def test_plateau_exactly_when_tagged(cls, rng):
    landscape = cls(dim=2)
    bounds = landscape.bounds
    points = bounds.sample(rng, 2000)
    slopes = central_slopes(landscape, points).T
    depth = landscape.evaluate(points).max() - landscape.minimum.fun
    flat = (np.abs(slopes) * bounds.width[:, None] <= 1e-8 * depth).all(axis=0).mean()
    assert (flat > 0.5) == ("plateau" in cls.tags), f"{flat:.0%} of the box is flat"
