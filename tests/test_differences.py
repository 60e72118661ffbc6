"""steep.differences: slopes and Hessians of known functions, stencils that stay in the box."""

from __future__ import annotations

import numpy as np
import pytest
import steep
from hypothesis import given, settings
from hypothesis import strategies as st
from steep.differences import (
    EPS,
    curvature_centre,
    curvature_stencil,
    slope,
    slope_and_curvature,
    slope_stencil,
    steps,
)

A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -0.5], [0.0, -0.5, 4.0]])
B = np.array([1.0, -2.0, 0.5])


def quadratic(X):
    """``x A x / 2 + b x``: slope ``A x + b``, Hessian ``A``."""
    return 0.5 * np.einsum("ni,ij,nj->n", X, A, X) + X @ B


def cubic(X):
    """``sum x_i^3 + x_0 x_1 x_2``: third derivatives of 6 on the diagonal, 1 off it."""
    return (X**3).sum(axis=1) + X.prod(axis=1)


def cubic_slope(x):
    return 3 * x**2 + np.array([x[1] * x[2], x[0] * x[2], x[0] * x[1]])


def cubic_hessian(x):
    off = np.array([[0.0, x[2], x[1]], [x[2], 0.0, x[0]], [x[1], x[0], 0.0]])
    return np.diag(6 * x) + off


BOX = steep.Bounds.broadcast(-2.0, 2.0, 3)


def fd_slope(cost, x, bounds, relative, central):
    h = steps(x, bounds, relative)
    points, signed = slope_stencil(x, bounds, h, central)
    assert bounds.contains(points)
    return slope(cost(x[None])[0], cost(points), x, bounds, signed)


def fd_curvature(cost, x, bounds, relative):
    h = steps(x, bounds, relative)
    centre = curvature_centre(x, bounds, h)
    points = curvature_stencil(centre, h)
    assert len(points) == len(x) * (len(x) + 1)
    return centre, slope_and_curvature(cost(centre[None])[0], cost(points), h)


# -- slopes -------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [[0.3, -0.7, 1.1], [-2.0, 0.0, 2.0], [2.0, 1.99, -1.99]])
def test_central_slope_of_a_quadratic_is_exact_inside_and_at_the_walls(x):
    x = np.array(x)
    g = fd_slope(quadratic, x, BOX, EPS ** (1 / 3), central=True)
    np.testing.assert_allclose(g, A @ x + B, rtol=0, atol=1e-9)


@pytest.mark.parametrize("x", [[0.3, -0.7, 1.1], [-2.0, 0.0, 2.0]])
def test_forward_slope_of_a_quadratic_errs_by_half_the_curvature_times_the_step(x):
    x = np.array(x)
    h = steps(x, BOX, 1e-4)
    points, signed = slope_stencil(x, BOX, h, central=False)
    g = slope(quadratic(x[None])[0], quadratic(points), x, BOX, signed)
    np.testing.assert_allclose(g, A @ x + B + np.diag(A) * signed / 2, rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        fd_slope(quadratic, x, BOX, EPS ** (1 / 2), central=False), A @ x + B, atol=1e-6
    )


@pytest.mark.parametrize(("central", "order"), [(False, 1), (True, 2)])
@pytest.mark.parametrize("x", [[0.4, -0.9, 1.3], [-2.0, 0.5, 2.0]], ids=["inside", "walls"])
def test_slope_error_shrinks_with_the_order_of_the_differences(central, order, x):
    x = np.array(x)
    errors = [
        np.abs(fd_slope(cubic, x, BOX, relative, central) - cubic_slope(x)).max()
        for relative in (1e-2, 5e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(2**order, rel=0.05)


def test_one_sided_central_slope_at_a_wall_has_the_second_order_error_of_its_formula():
    x = np.array([2.0, -2.0, 0.0])
    h = steps(x, BOX, 1e-2)
    points, signed = slope_stencil(x, BOX, h, central=True)
    g = slope(cubic(x[None])[0], cubic(points), x, BOX, signed)
    # (4 f(x+s) - f(x+2s) - 3 f(x)) / 2s = f' - s^2 f''' / 3 for a cubic along one axis
    one_sided = cubic_slope(x) - signed**2 * 6 / 3
    np.testing.assert_allclose(g[:2], one_sided[:2], rtol=1e-9)
    np.testing.assert_allclose(g[2], cubic_slope(x)[2] + h[2] ** 2 * 6 / 6, rtol=1e-9)


def test_components_whose_stencil_met_a_non_finite_cost_are_zero():
    x = np.array([0.5, 0.5])
    bounds = steep.Bounds([0.0, 0.0], [1.0, 1.0])
    for central in (False, True):
        points, signed = slope_stencil(x, bounds, steps(x, bounds, 1e-6), central)
        costs = points.sum(axis=1)
        costs[0] = np.inf
        g = slope(1.0, costs, x, bounds, signed)
        assert g[0] == 0.0
        assert g[1] == pytest.approx(1.0, rel=1e-6 if central else 1e-4)


# -- curvature ------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [[0.3, -0.7, 1.1], [-2.0, 0.0, 2.0]])
def test_hessian_of_a_quadratic_is_exact(x):
    centre, (g, hessian) = fd_curvature(quadratic, np.array(x), BOX, EPS ** (1 / 4))
    np.testing.assert_allclose(hessian, A, rtol=0, atol=1e-5)
    np.testing.assert_allclose(g, A @ centre + B, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(hessian, hessian.T)


def test_hessian_of_a_cubic_is_exact_and_its_slope_errs_by_h_squared():
    x = np.array([0.4, -0.9, 1.3])
    h = steps(x, BOX, 1e-2)
    centre, (g, hessian) = fd_curvature(cubic, x, BOX, 1e-2)
    np.testing.assert_array_equal(centre, x)
    np.testing.assert_allclose(hessian, cubic_hessian(x), rtol=0, atol=1e-9)
    np.testing.assert_allclose(g, cubic_slope(x) + h**2, rtol=1e-9)  # f''' h^2 / 6, f''' = 6


def test_curvature_centre_moves_in_from_the_walls_only():
    x = np.array([-2.0, 0.0, 2.0])
    h = steps(x, BOX, 1e-3)
    centre = curvature_centre(x, BOX, h)
    np.testing.assert_array_equal(centre, [-2.0 + h[0], 0.0, 2.0 - h[2]])


def test_non_finite_curvature_entries_are_zero():
    x = np.array([0.5, 0.5])
    h = np.full(2, 1e-3)
    points = curvature_stencil(x, h)
    costs = (points**2).sum(axis=1)
    costs[0] = np.nan  # x + h e_0
    g, hessian = slope_and_curvature(0.5, costs, h)
    assert g[0] == 0.0 and hessian[0, 0] == 0.0 and hessian[0, 1] == hessian[1, 0] == 0.0
    assert g[1] == pytest.approx(1.0) and hessian[1, 1] == pytest.approx(2.0)


# -- the box --------------------------------------------------------------------------------


@st.composite
def boxes_and_points(draw):
    dim = draw(st.integers(1, 4))
    lower = np.array(draw(st.lists(st.floats(-1e3, 1e3), min_size=dim, max_size=dim)))
    width = np.array(draw(st.lists(st.floats(1e-6, 1e3), min_size=dim, max_size=dim)))
    share = np.array(
        draw(
            st.lists(st.sampled_from([0.0, 1e-9, 0.3, 1.0 - 1e-9, 1.0]), min_size=dim, max_size=dim)
        )
    )
    bounds = steep.Bounds(lower, lower + width)
    x = bounds.clip(bounds.lower + share * bounds.width)
    return bounds, x, draw(st.sampled_from([EPS ** (1 / 2), EPS ** (1 / 3), EPS ** (1 / 4), 0.5]))


@settings(max_examples=300, deadline=None)
@given(boxes_and_points(), st.booleans())
def test_slope_stencils_stay_inside_the_box(case, central):
    bounds, x, relative = case
    h = steps(x, bounds, relative)
    assert (h > 0).all() and (h <= bounds.width / 4).all()
    points, signed = slope_stencil(x, bounds, h, central)
    assert points.shape == (len(x) * (2 if central else 1), len(x))
    assert bounds.contains(points)
    np.testing.assert_array_equal(np.abs(signed), h)


@settings(max_examples=300, deadline=None)
@given(boxes_and_points())
def test_curvature_stencils_stay_inside_the_box_up_to_rounding(case):
    bounds, x, relative = case
    h = steps(x, bounds, relative)
    points = curvature_stencil(curvature_centre(x, bounds, h), h)
    rounding = 2 * np.spacing(np.maximum(np.abs(bounds.lower), np.abs(bounds.upper)))
    assert (points >= bounds.lower - rounding).all() and (points <= bounds.upper + rounding).all()


def test_slope_stencils_go_one_sided_at_the_walls():
    bounds = steep.Bounds([0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    x = np.array([0.0, 0.5, 1.0])
    h = steps(x, bounds, 1e-3)
    forward, signed = slope_stencil(x, bounds, h, central=False)
    np.testing.assert_array_equal(np.sign(signed), [1.0, 1.0, -1.0])  # backward at the top
    np.testing.assert_array_equal(forward, x + np.diag(signed))
    central, _ = slope_stencil(x, bounds, h, central=True)
    # room on both sides: x ± h; against a wall: x + s and x + 2 s, away from it
    np.testing.assert_array_equal(central[3:], x + np.diag([2 * h[0], -h[1], -2 * h[2]]))


@pytest.mark.parametrize("central", [False, True])
def test_finite_differences_match_the_slope_even_against_the_walls(central):
    bounds = steep.Bounds([0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    x = np.array([0.0, 0.5, 1.0])

    def cost(X):
        return np.sin(3 * X).sum(axis=1) + X[:, 0] * X[:, 1]

    h = steps(x, bounds, 1e-5 if central else 1e-7)
    points, signed = slope_stencil(x, bounds, h, central)
    assert bounds.contains(points)
    g = slope(cost(x[None])[0], cost(points), x, bounds, signed)
    exact = 3 * np.cos(3 * x) + np.array([x[1], x[0], 0.0])
    np.testing.assert_allclose(g, exact, atol=1e-8 if central else 1e-5)


def test_finite_difference_hessian_matches_the_exact_one_next_to_a_wall():
    bounds = steep.Bounds([0.0, 0.0], [1.0, 1.0])
    x = np.array([1.0, 0.3])

    def cost(X):
        return np.exp(X[:, 0]) * np.sin(X[:, 1]) + X[:, 0] ** 2 * X[:, 1]

    h = np.full(2, 1e-4)
    centre = curvature_centre(x, bounds, h)
    points = curvature_stencil(centre, h)
    assert bounds.contains(points) and len(points) == 6
    g, hessian = slope_and_curvature(cost(centre[None])[0], cost(points), h)
    a, b = centre
    np.testing.assert_allclose(g, [np.exp(a) * np.sin(b) + 2 * a * b, np.exp(a) * np.cos(b) + a**2])
    exact = [
        [np.exp(a) * np.sin(b) + 2 * b, np.exp(a) * np.cos(b) + 2 * a],
        [np.exp(a) * np.cos(b) + 2 * a, -np.exp(a) * np.sin(b)],
    ]
    np.testing.assert_allclose(hessian, exact, atol=1e-5)
