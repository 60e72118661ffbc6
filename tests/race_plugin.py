"""A plugin for the race tests: optimizers and landscapes whose races are easy to predict.

Importable by name (``tests`` is on the path), so race workers rebuild the registry it is in.
"""

import attrs
import numpy as np
import steep
from steep.testing import Sphere

__version__ = "0.1.0"


@attrs.frozen
class JumperOptions:
    batch: int = steep.option(10, "points asked at once", check=attrs.validators.gt(0))


class Jumper(steep.Optimizer):
    """Uniform random points in batches."""

    name = "test-jumper"
    Options = JumperOptions
    parallelism = "asks a batch of independent points"

    def ask(self):
        return self.bounds.sample(self.rng, self.options.batch)

    def tell(self, points, costs):
        pass


class Walker(steep.Optimizer):
    """Random walk: a step of a tenth of the box from the best point, shrinking on failure."""

    name = "test-walker"
    parallelism = "asks one point"

    def __init__(self, task, options, rng):
        super().__init__(task, options, rng)
        self.best, self.best_cost, self.step, self.first = task.x0, np.inf, 0.1, True

    def ask(self):
        if self.first:
            return self.best.reshape(1, -1)
        move = self.rng.normal(size=self.dim) * self.step * self.bounds.width
        return self.bounds.clip(self.best + move).reshape(1, -1)

    def tell(self, points, costs):
        self.first = False
        if costs[0] < self.best_cost:
            self.best, self.best_cost = points[0], costs[0]
        else:
            self.step *= 0.97


class Breaker(steep.Optimizer):
    """Random points, then one far outside the box in the fifth batch."""

    name = "test-breaker"
    parallelism = "asks one point"

    def __init__(self, task, options, rng):
        super().__init__(task, options, rng)
        self.asked = 0

    def ask(self):
        self.asked += 1
        if self.asked == 5:
            return (self.bounds.upper + 1.0).reshape(1, -1)
        return self.bounds.sample(self.rng, 1)

    def tell(self, points, costs):
        pass


class Quitter(Breaker):
    """Random points, then Ctrl-C (as if pressed) in the third batch."""

    name = "test-quitter"

    def ask(self):
        if self.asked == 2:
            raise KeyboardInterrupt
        return super().ask()


class Tilt(Sphere):
    name = "test-tilt"
    story = "A tilted egg-box, in the plane only."
    tags = frozenset({"smooth", "multimodal"})
    fixed_dim = 2
    default_dim = 2


class Mystery(steep.Landscape):
    name = "test-mystery"
    story = "A rippled plain whose lowest point nobody knows."
    tags = frozenset({"plateau", "rugged"})

    def evaluate(self, X):
        return np.cos(3 * X).sum(axis=1) + 0.1 * (X**2).sum(axis=1)


@steep.hookimpl
def register_optimizers(register):
    register(Jumper)
    register(Walker)
    register(Breaker)
    register(Quitter)


@steep.hookimpl
def register_landscapes(register):
    register(Sphere)
    register(Tilt)
    register(Mystery)
