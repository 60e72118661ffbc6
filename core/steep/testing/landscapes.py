"""The landscape contract, as named checks: shapes, seeds, dimensions, a real minimum, slopes.

PYTEST_DONT_REWRITE: its asserts' messages are the kit's own, said in full.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..errors import UsageError
from ..landscape import Landscape, Minimum
from ..registry import VALIDATORS
from ..space import Bounds
from .kit import Check, Rule, checks_of


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


def _stated_minima(landscape: type[Landscape]) -> Iterator[tuple[int, Landscape, Minimum]]:
    """Each checked dimension's instance and the minimum it states, where it states one."""
    for dim in _dims(landscape):
        instance = landscape(dim=dim, seed=0)
        if instance.minimum is not None:
            yield dim, instance, instance.minimum


def _minimum_is_real(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(2)
    for dim, instance, minimum in _stated_minima(landscape):
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


#: Evaluations the search below the stated minimum spends per start and dimension tried.
SEARCH_EVALUATIONS = 1000


def _pattern_search(
    landscape: Landscape, starts: np.ndarray, steps: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, float]:
    """Compass search with random directions from each row of ``starts`` at once: the best
    point found and its cost. Steps (fractions of the box width) double after a success
    and halve after a failure; every trial is clipped to the box."""
    bounds = landscape.bounds
    points, costs = starts.copy(), landscape.evaluate(starts)
    count, dim = points.shape
    axes = np.vstack([np.eye(dim), -np.eye(dim)])
    spent = 0
    while spent < SEARCH_EVALUATIONS and (steps > 1e-12).any():
        random = rng.standard_normal((count, 4, dim))
        random /= np.linalg.norm(random, axis=2, keepdims=True)
        directions = np.concatenate([np.broadcast_to(axes, (count, 2 * dim, dim)), random], 1)
        trials = bounds.clip(points[:, None] + steps[:, None, None] * bounds.width * directions)
        trial_costs = landscape.evaluate(trials.reshape(-1, dim)).reshape(count, -1)
        spent += trial_costs.shape[1]
        best = trial_costs.argmin(axis=1)
        lowest = trial_costs[np.arange(count), best]
        better = lowest < costs
        points[better], costs[better] = trials[better, best[better]], lowest[better]
        steps = np.where(better, 2 * steps, steps / 2)
    best = int(costs.argmin())
    return points[best], float(costs[best])


def _nothing_below_the_minimum(landscape: type[Landscape]) -> None:
    rng = np.random.default_rng(5)
    for dim, instance, minimum in _stated_minima(landscape):
        bounds = instance.bounds
        sample = bounds.sample(rng, 500)
        lowest = sample[np.argsort(instance.evaluate(sample))[:3]]
        starts = np.vstack([minimum.x, minimum.x, lowest, bounds.sample(rng, 2)])
        steps = np.array([1e-6, 1e-2] + [0.1] * (len(starts) - 2))
        point, cost = _pattern_search(instance, starts, steps, rng)
        tolerance = 1e-9 * max(1.0, abs(minimum.fun))
        assert cost >= minimum.fun - tolerance, (
            f"in dimension {dim}, the point {point.tolist()} costs {cost!r}, below the stated "
            f"minimum {minimum.fun!r} at {minimum.x.tolist()}"
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


LANDSCAPE_RULES: dict[str, Rule] = {
    "is_registrable": Rule(
        _landscape_registrable,
        "the class can be registered as a landscape, and builds in its default dimension",
        "give it a `name` (lowercase words joined by '-'), a non-empty `story`, lowercase "
        "`tags` and evaluate(X); call super().__init__(dim, seed) from an __init__ of yours",
    ),
    "returns_one_finite_cost_per_point": Rule(
        _one_cost_per_point,
        "evaluate(X) of an (n, dim) array returns n finite float costs, n = 0 included",
        "compute with numpy over the rows of X and return an array of shape (len(X),), e.g. "
        "((X - c) ** 2).sum(axis=1); keep costs finite inside the box",
    ),
    "vectorized_matches_pointwise": Rule(
        _vectorized_matches_pointwise,
        "a point costs the same evaluated alone or in a batch",
        "compute each row's cost from that row alone: no normalizing over the batch, no "
        "state changed by evaluating (draw random placements in __init__ from self.rng)",
    ),
    "minimum_is_real": Rule(
        _minimum_is_real,
        "`minimum` lies in the box, evaluate(minimum.x) == minimum.fun, no sample lies lower",
        "return steep.Minimum(x, fun) with fun = evaluate(x) at the global minimum x of "
        "this dimension and instance, or None where it is not known exactly",
    ),
    "nothing_lies_below_the_minimum": Rule(
        _nothing_below_the_minimum,
        "a short, strong local search near minimum.x and from the best samples finds no "
        "cost below minimum.fun",
        "state the true global minimum: compute x* and f* from the function itself (e.g. "
        "solve the least-squares fit rather than quote the parameters the data came from), "
        "or return None",
    ),
    "same_seed_same_instance": Rule(
        _same_seed_same_instance,
        "two instances built with the same seed give the same costs",
        "draw whatever the landscape places at random from self.rng (seeded by `seed`, which "
        "`steep run --instance` sets) in __init__, never from np.random.* or in evaluate",
    ),
    "rejects_bad_dimensions": Rule(
        _rejects_bad_dimensions,
        "dim=0, -1, 2.5 (and other than fixed_dim) raise steep.UsageError",
        "let steep.Landscape's __init__ check the dimension (call super().__init__(dim, "
        "seed)); set `fixed_dim`, or override check_dim calling it first",
    ),
    "gradient_matches_slope": Rule(
        _gradient_matches_slope,
        "gradient(X), where defined, matches central finite differences of evaluate",
        "return the (n, dim) array of slopes of evaluate at the rows of X, or remove the "
        "gradient method so that optimizers measure slopes themselves",
    ),
}


def landscape_checks(landscape: type[Landscape]) -> list[Check]:
    """The checks every landscape must pass, one :class:`Check` per rule, named
    ``ClassName.rule`` (test ids)."""
    return checks_of(landscape.__name__, LANDSCAPE_RULES, landscape)


def check_landscape(landscape: type[Landscape]) -> None:
    """Run every landscape check; raise :class:`CheckFailure` at the first broken rule."""
    for check in landscape_checks(landscape):
        check()
