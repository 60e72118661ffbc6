"""Values at the points the literature documents, and the stated minima's precision."""

from __future__ import annotations

import numpy as np
import pytest
from steep_landscapes_classic import (
    Ackley,
    Easom,
    Ellipsoid,
    Griewank,
    Himmelblau,
    Levy,
    Rastrigin,
    Rosenbrock,
    Schwefel,
    Sphere,
    StyblinskiTang,
)

DIMS = [1, 2, 3, 10]


@pytest.mark.parametrize("dim", [2, 3, 10])
def test_rosenbrock_at_the_origin_is_d_minus_1(dim):
    assert Rosenbrock(dim=dim)(np.zeros(dim)) == dim - 1


@pytest.mark.parametrize(("dim", "cost"), [(4, 3.7014), (10, 3.9866)])
def test_rosenbrock_has_a_second_minimum_from_4_dimensions(dim, cost):
    """Newton's method from (-1, 1, ..., 1) settles in a strict local minimum, not at 1."""
    landscape, x, h = Rosenbrock(dim=dim), np.r_[-1.0, np.ones(dim - 1)], 1e-6
    for _ in range(30):
        rows = [landscape.gradient(np.array([x + h * e, x - h * e])) for e in np.eye(dim)]
        hessian = np.array([(plus - minus) / (2 * h) for plus, minus in rows])
        x = x - np.linalg.solve(hessian, landscape.gradient(x[None])[0])
    assert np.abs(landscape.gradient(x[None])).max() < 1e-10
    assert np.linalg.eigvalsh((hessian + hessian.T) / 2).min() > 0
    assert x[0] < -0.7 and landscape(x) == pytest.approx(cost, abs=1e-4)


def test_rosenbrock_in_1d_is_its_anchor_term():
    x = np.linspace(-5, 10, 31).reshape(-1, 1)
    np.testing.assert_allclose(Rosenbrock(dim=1).evaluate(x), (1 - x[:, 0]) ** 2)


@pytest.mark.parametrize("dim", DIMS)
def test_sphere_and_ellipsoid_weights(dim):
    ones = np.ones(dim)
    assert Sphere(dim=dim)(np.arange(1, dim + 1)) == pytest.approx(
        dim * (dim + 1) * (2 * dim + 1) / 6
    )
    expected = 1.0 if dim == 1 else sum(10 ** (6 * i / (dim - 1)) for i in range(dim))
    assert Ellipsoid(dim=dim)(ones) == pytest.approx(expected, rel=1e-12)


def test_rastrigin_on_the_integer_lattice_is_the_sum_of_squares():
    lattice = np.random.default_rng(0).integers(-5, 6, size=(50, 3)).astype(float)
    np.testing.assert_allclose(
        Rastrigin(dim=3).evaluate(lattice), (lattice**2).sum(axis=1), atol=1e-9
    )


@pytest.mark.parametrize("cls", [Ackley, Griewank, Levy, Rastrigin, Sphere, Ellipsoid, Rosenbrock])
@pytest.mark.parametrize("dim", DIMS)
def test_minimum_value_zero(cls, dim):
    landscape = cls(dim=dim)
    assert landscape.minimum.fun == 0.0
    assert abs(landscape(landscape.minimum.x)) < 1e-15


def test_ackley_at_the_corner_of_its_box():
    # the defining formula written out at the corner of the box
    corner = 32.768
    expected = 20 + np.e - 20 * np.exp(-0.2 * corner) - np.exp(np.cos(2 * np.pi * corner))
    assert Ackley(dim=4)(np.full(4, corner)) == pytest.approx(expected, rel=1e-12)


def test_himmelblau_has_four_global_minima_of_zero_and_a_hump():
    literature = [(-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    landscape = Himmelblau()
    for ours, rounded in zip(Himmelblau.other_minima, literature):
        assert landscape(ours) < 1e-25
        assert landscape(rounded) < 1e-8
        np.testing.assert_allclose(ours, rounded, atol=1e-6)
        np.testing.assert_allclose(landscape.gradient(np.array([ours])), 0.0, atol=1e-12)
    assert landscape((-0.270845, -0.923039)) == pytest.approx(181.617, abs=1e-3)


@pytest.mark.parametrize("dim", DIMS)
def test_styblinski_tang_minimum(dim):
    minimum = StyblinskiTang(dim=dim).minimum
    assert minimum.fun == pytest.approx(-39.16616570377142 * dim, rel=1e-14)
    assert StyblinskiTang(dim=dim)(np.full(dim, -2.903534)) == pytest.approx(minimum.fun, rel=1e-11)
    np.testing.assert_allclose(StyblinskiTang(dim=dim).gradient(minimum.x[None]), 0, atol=1e-13)


@pytest.mark.parametrize("dim", DIMS)
def test_schwefel_minimum_is_zero_to_the_literature_precision(dim):
    landscape = Schwefel(dim=dim)
    assert 0 <= landscape.minimum.fun < 1e-12 * dim
    assert landscape(np.full(dim, 420.9687)) < 1e-6 * dim
    np.testing.assert_allclose(landscape.gradient(landscape.minimum.x[None]), 0, atol=1e-13)
    # the second-best valley, on the other side of the box
    assert landscape(np.full(dim, -302.5249)) == pytest.approx(118.4384 * dim, rel=1e-5)


def test_easom_hole_and_plain():
    landscape = Easom()
    assert landscape.minimum.fun == landscape((np.pi, np.pi)) == -1.0
    assert landscape((0.0, 0.0)) == pytest.approx(-np.exp(-2 * np.pi**2), rel=1e-12)
    assert landscape((-50.0, 80.0)) == 0.0
