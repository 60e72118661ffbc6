"""The terrain tags that COCO's costs can confirm, measured: separability from one-coordinate
changes, plateaus from slopes, ill-conditioning from the curvature at x*."""

from __future__ import annotations

import numpy as np
import pytest
from steep.testing import central_slopes
from steep_landscapes_bbob import BBOB

by_name = pytest.mark.parametrize("cls", BBOB, ids=lambda cls: cls.name)


@by_name
def test_separable_exactly_when_tagged(cls):
    """A separable cost changes by the same amount when one coordinate moves from a to b,
    wherever the other coordinates are."""
    rng = np.random.default_rng(1)
    landscape = cls(dim=4)
    points = landscape.bounds.sample(rng, 60)
    a, b = landscape.bounds.sample(rng, 2)
    spreads = []
    for k in range(4):
        before, after = points.copy(), points.copy()
        before[:, k], after[:, k] = a[k], b[k]
        spreads.append(np.ptp(landscape.evaluate(before) - landscape.evaluate(after)))
    relative = max(spreads) / np.abs(landscape.evaluate(points)).max()
    assert (relative < 1e-12) == ("separable" in cls.tags), f"spread {relative:.3g}"


@by_name
def test_plateau_exactly_when_tagged(cls):
    landscape = cls(dim=2)
    points = landscape.bounds.sample(np.random.default_rng(2), 1000)
    slopes = central_slopes(landscape, points)
    depth = landscape.evaluate(points).max() - landscape.minimum.fun
    flat = (np.abs(slopes) * landscape.bounds.width <= 1e-8 * depth).all(axis=1).mean()
    assert (flat > 0.5) == ("plateau" in cls.tags), f"{flat:.0%} of the box is flat"


def curvature_condition(landscape, step=1e-4):
    """Condition number of the central-difference Hessian at x*."""
    x, dim = landscape.minimum.x, landscape.dim
    eye = np.eye(dim) * step
    plus, minus = eye[:, None] + eye[None, :], eye[:, None] - eye[None, :]
    corners = x + np.stack([plus, minus, -minus, -plus])
    f = landscape.evaluate(corners.reshape(-1, dim)).reshape(corners.shape[:3])
    curvatures = np.linalg.eigvalsh((f[0] - f[1] - f[2] + f[3]) / (4 * step**2))
    assert curvatures.min() > 0, "x* is not a strict minimum"
    return curvatures.max() / curvatures.min()


@pytest.mark.parametrize("number", [1, 2, 6, 8, 9])
@pytest.mark.parametrize("dim", [2, 5])
def test_ill_conditioned_exactly_when_tagged_where_x_star_has_a_curvature(number, dim):
    """Where second differences at x* do not depend on the step (on f10-f12 COCO's
    oscillations make them): f1, f2, f6, and the Rosenbrocks that COCO files under
    moderate conditioning."""
    cls = BBOB[number - 1]
    condition = curvature_condition(cls(dim=dim))
    assert (condition > 100) == ("ill-conditioned" in cls.tags), f"condition {condition:.3g}"
