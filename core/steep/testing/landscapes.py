"""The landscape contract, as named checks: shapes, seeds, dimensions, a real minimum, slopes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import UsageError
from ..landscape import Landscape
from ..registry import VALIDATORS
from ..space import Bounds
from .kit import Check


def _dims(landscape: type[Landscape]) -> list[int]:
    return [d for d in (1, 2, 10) if landscape.takes(d)] or [landscape.check_dim(None)]


def _landscape_registrable(landscape: type[Landscape]) -> None:
    try:
        VALIDATORS["landscape"](landscape)
    except ValueError as error:
        raise AssertionError(str(error)) from None
    instance = landscape()
    assert instance.dim == (landscape.fixed_dim or landscape.default_dim)


def _one_cost_per_point(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(0)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        bounds = instance.bounds
        assert bounds.dim == dim, f"bounds have {bounds.dim} coordinates in dimension {dim}"
        for n in (0, 1, 17):
            costs = np.asarray(instance.evaluate(bounds.sample(rng, n)))
            assert costs.shape == (n,), f"evaluate of {n} points returned shape {costs.shape}"
            assert costs.dtype.kind == "f", f"costs have dtype {costs.dtype}, expected float"
        assert np.isfinite(instance.evaluate(bounds.sample(rng, 200))).all(), (
            "non-finite costs inside the box"
        )


def _vectorized_matches_pointwise(landscape: type[Landscape]) -> None:
    if "noisy" in landscape.tags:
        return  # each evaluation draws new noise, so two calls never agree
    rng = np.random.default_rng(1)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        points = instance.bounds.sample(rng, 50)
        batch = instance.evaluate(points)
        single = np.array([instance.evaluate(p.reshape(1, -1))[0] for p in points])
        np.testing.assert_allclose(batch, single, rtol=1e-12, atol=1e-12)


def _minimum_is_real(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(2)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        minimum = instance.minimum
        if minimum is None:
            continue
        bounds = instance.bounds
        assert minimum.x.shape == (dim,), f"minimum.x has shape {minimum.x.shape}"
        assert bounds.contains(minimum.x.reshape(1, -1)), "the minimum lies outside the box"
        tolerance = 1e-9 * max(1.0, abs(minimum.fun))
        if "noisy" not in landscape.tags:
            value = instance.evaluate(minimum.x.reshape(1, -1))[0]
            assert abs(value - minimum.fun) <= tolerance, (
                f"cost at minimum.x is {value!r}, but minimum.fun is {minimum.fun!r}"
            )
        points = bounds.sample(rng, 20_000)
        if dim <= 2:
            axes = [np.linspace(lo, hi, 201 if dim == 1 else 141) for lo, hi in bounds.as_pairs()]
            grid = np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, dim)
            points = np.vstack([points, grid])
        lowest = instance.evaluate(points).min()
        assert lowest >= minimum.fun - tolerance, (
            f"a point costs {lowest!r}, below the stated minimum {minimum.fun!r}"
        )


def _same_seed_same_instance(landscape: type[Landscape]) -> None:
    points = landscape(seed=0).bounds.sample(np.random.default_rng(3), 100)
    first = landscape(seed=5).evaluate(points)
    second = landscape(seed=5).evaluate(points)
    np.testing.assert_array_equal(first, second, err_msg="same seed, different costs")


def _rejects_bad_dimensions(landscape: type[Landscape]) -> None:
    bad = [0, -1, 2.5]
    if landscape.fixed_dim:
        bad.append(landscape.fixed_dim + 1)
    for dim in bad:
        try:
            landscape(dim=dim)
        except UsageError:
            continue
        raise AssertionError(f"dim={dim!r} was accepted")


def _gradient_matches_slope(landscape: type[Landscape]) -> None:
    if landscape.gradient is None:
        return
    rng = np.random.default_rng(4)
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        bounds = instance.bounds
        inner = Bounds(bounds.lower + 0.1 * bounds.width, bounds.upper - 0.1 * bounds.width)
        points = inner.sample(rng, 5)
        slopes = np.asarray(instance.gradient(points))
        assert slopes.shape == points.shape, f"gradient returned shape {slopes.shape}"
        step = 1e-6 * bounds.width
        for point, slope in zip(points, slopes):
            shifts = np.diag(step)
            above, below = instance.evaluate(point + shifts), instance.evaluate(point - shifts)
            central = (above - below) / (2 * step)
            # central differences carry rounding error of about eps * |f| / step
            rounding = 100 * np.finfo(float).eps * np.abs(above).max() / step.min()
            np.testing.assert_allclose(slope, central, rtol=1e-4, atol=1e-6 + rounding)


LANDSCAPE_RULES: dict[str, Callable[[type[Landscape]], None]] = {
    "is_registrable": _landscape_registrable,
    "returns_one_finite_cost_per_point": _one_cost_per_point,
    "vectorized_matches_pointwise": _vectorized_matches_pointwise,
    "minimum_is_real": _minimum_is_real,
    "same_seed_same_instance": _same_seed_same_instance,
    "rejects_bad_dimensions": _rejects_bad_dimensions,
    "gradient_matches_slope": _gradient_matches_slope,
}


def landscape_checks(landscape: type[Landscape]) -> list[Check]:
    """The checks every landscape must pass, one :class:`Check` per rule."""
    return [
        Check(f"{landscape.__name__}.{rule}", lambda rule=rule: LANDSCAPE_RULES[rule](landscape))
        for rule in LANDSCAPE_RULES
    ]


def check_landscape(landscape: type[Landscape]) -> None:
    """Run every landscape check; raise ``AssertionError`` at the first broken rule."""
    for check in landscape_checks(landscape):
        check()
