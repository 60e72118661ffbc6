"""What steep-plot's tests share: two small optimizers and landscapes, a registry holding
them and the plugin, small saved races, hand-made races, and a check for pictures."""

from __future__ import annotations

import math
import types

import numpy as np
import pytest
import steep
import steep_plot
from steep.plugins import load_registry
from steep.race import RaceProblem, RaceResults, RaceSettings, RunRecord, run_race, save
from steep.testing import Sphere


class Scatter(steep.Optimizer):
    """Uniform random points, eight at a time."""

    name = "scatter"
    parallelism = "asks eight independent points"

    def ask(self):
        return self.bounds.sample(self.rng, 8)

    def tell(self, points, costs):
        pass


class Creep(steep.Optimizer):
    """A shrinking random walk from the start point."""

    name = "creep"
    parallelism = "asks one point"

    def __init__(self, task, options, rng):
        super().__init__(task, options, rng)
        self.best, self.best_cost, self.step = task.x0, np.inf, 0.2

    def ask(self):
        move = self.rng.normal(size=self.dim) * self.step * self.bounds.width
        return self.bounds.clip(self.best + move).reshape(1, -1)

    def tell(self, points, costs):
        if costs[0] < self.best_cost:
            self.best, self.best_cost = points[0], costs[0]
        else:
            self.step *= 0.95


class Ripples(steep.Landscape):
    name = "ripples"
    story = "Ripples on a plain; nobody knows the lowest point."
    tags = frozenset({"rugged"})

    def evaluate(self, X):
        return np.sin(4 * X).sum(axis=1) + 0.05 * (X**2).sum(axis=1)


class Parts:
    @staticmethod
    @steep.hookimpl
    def register_optimizers(register):
        register(Scatter)
        register(Creep)

    @staticmethod
    @steep.hookimpl
    def register_landscapes(register):
        register(Sphere)
        register(Ripples)


def make_registry():
    return load_registry(
        plugins=[("parts", Parts), ("steep-plot", steep_plot)], use_entry_points=False
    )


@pytest.fixture
def registry():
    return make_registry()


def run_small_race(registry, folder, landscapes, dims, budget=200):
    """Race creep and scatter (3 seeds) on ``landscapes`` in ``dims``; save it in ``folder``."""
    settings = RaceSettings(
        optimizers=("creep", "scatter"), landscapes=landscapes, dims=dims, trials=3, budget=budget
    )
    save(run_race(settings, registry, show_progress=False), folder)
    return folder


@pytest.fixture
def saved_race(registry):
    return lambda folder, landscapes, dims: run_small_race(registry, folder, landscapes, dims)


@pytest.fixture(scope="module")
def race_2d(tmp_path_factory):
    """A saved race on the sphere and the ripples in 2-D (one with a known minimum)."""
    folder = tmp_path_factory.mktemp("race-2d")
    return run_small_race(make_registry(), folder, ("ripples", "test-sphere"), (2,))


def problem(landscape, dim, fstar=0.0, budget=10, target_gap=1e-4, scale=1.0):
    return RaceProblem(
        landscape=landscape,
        dim=dim,
        tags=(),
        fstar=fstar,
        minimum_x=None if fstar is None else (0.0,) * dim,
        scale=scale,
        target_gap=None if fstar is None else target_gap,
        budget=budget,
        lower=(-1.0,) * dim,
        upper=(1.0,) * dim,
        unit="",
    )


def record(optimizer, where, trial, curve, target_gap=1e-4):
    """The record of a run of ``optimizer`` on problem ``where`` whose best-so-far is
    ``curve`` (success judged at ``target_gap``, ``None`` where f* is unknown)."""
    fstar = where.fstar
    gap = None if fstar is None or not len(curve) else float(curve[-1] - fstar)
    hit = None
    if fstar is not None and len(curve):
        reached = np.flatnonzero(np.asarray(curve) - fstar <= target_gap)
        hit = int(reached[0]) + 1 if reached.size else None
    return RunRecord(
        optimizer=optimizer,
        landscape=where.landscape,
        dim=where.dim,
        trial=trial,
        seed=trial,
        success=None if fstar is None else hit is not None,
        evals_to_target=hit,
        nfev=len(curve),
        nit=len(curve),
        fun=float(curve[-1]) if len(curve) else math.inf,
        gap=math.inf if gap is None and fstar is not None else gap,
        elapsed=0.001,
        stop="budget",
        message="",
        x=(0.0,) * where.dim if len(curve) else (),
    )


def make_race(problems, runs):
    """A race from ``problems`` and ``runs``: (optimizer, problem, trial, best-so-far)."""
    optimizers = sorted({name for name, *_ in runs})
    records, curves = [], {}
    for index, (name, where, trial, curve) in enumerate(runs):
        records.append(record(name, where, trial, curve, where.target_gap or 1e-4))
        curves[index] = np.asarray(curve, dtype=float)
    settings = {
        "optimizers": optimizers,
        "landscapes": sorted({p.landscape for p in problems}),
        "trials": 1,
        "budget": None,
        "target": 1e-4,
    }
    return RaceResults(settings, {}, {}, list(problems), records, curves=curves)


def assert_picture(path, min_height=300, min_width=500):
    assert path.is_file(), path
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    from matplotlib.image import imread

    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert height > min_height and width > min_width, (path, pixels.shape)
    assert pixels[..., :3].std() > 0.05, f"{path.name} is nearly blank"
    return width, height


@pytest.fixture
def check_picture():
    """:func:`assert_picture`: a PNG of at least the given size, not blank."""
    return assert_picture


@pytest.fixture
def kit():
    """Hand-made races: ``kit.problem(...)`` and ``kit.make_race(problems, runs)``."""
    return types.SimpleNamespace(problem=problem, make_race=make_race)
