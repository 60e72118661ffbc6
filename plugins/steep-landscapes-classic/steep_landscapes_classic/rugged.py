"""Bowls with wiggles: Rastrigin, Ackley, Griewank and Lévy, a local minimum in every dip."""

from __future__ import annotations

import numpy as np
import steep

from .bowls import VLSE

TWO_PI = 2.0 * np.pi


class Rastrigin(steep.Landscape):
    name = "rastrigin"
    reference = f"Rastrigin 1974; d-dimensional form of Mühlenbein et al. 1991; {VLSE}"
    story = (
        "Rastrigin's function, f(x) = 10d + Σ (x_i² - 10 cos 2πx_i): the sphere with an "
        "egg-crate of cosine bumps on top, ten units high, so there is a local minimum near "
        "every point of the integer lattice, 11^d of them in the box, and the global one, "
        "0 at the origin, sits in the middle. A local method stops in the first dip it "
        "meets; only steps larger than the bumps, or a population that sees the bowl "
        "beneath them, find the trend. It is separable, which coordinate-wise methods can "
        f"exploit. Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal", "rugged", "separable"})
    lower, upper = -5.12, 5.12
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.zeros(self.dim), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return 10.0 * X.shape[1] + (X**2 - 10.0 * np.cos(TWO_PI * X)).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * X + 10.0 * TWO_PI * np.sin(TWO_PI * X)


class Ackley(steep.Landscape):
    name = "ackley"
    reference = f"Ackley 1987, A connectionist machine for genetic hillclimbing; {VLSE}"
    story = (
        "Ackley's function, f(x) = -20 exp(-0.2 √(mean x_i²)) - exp(mean cos 2πx_i) + 20 + "
        "e: a nearly flat, gently tilted plain riddled with small cosine dips, falling into "
        "a sharp funnel around the global minimum, 0 at the origin, where the function has "
        "a kink (no slope). Far out the tilt is tiny next to the dips, so local steps are "
        "trapped; near the centre the funnel leads straight down. It is not separable: the "
        f"exponentials couple all coordinates. Reference: {reference}."
    )
    tags = frozenset({"multimodal", "rugged"})
    lower, upper = -32.768, 32.768
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.zeros(self.dim), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        funnel = -20.0 * np.exp(-0.2 * np.sqrt((X**2).mean(axis=1)))
        dips = -np.exp(np.cos(TWO_PI * X).mean(axis=1))
        return funnel + dips + 20.0 + np.e


class Griewank(steep.Landscape):
    name = "griewank"
    reference = f"Griewank 1981, J. Optim. Theory Appl. 34:11-39; {VLSE}"
    story = (
        "Griewank's function, f(x) = 1 + Σ x_i²/4000 - Π cos(x_i/√i): a wide, shallow bowl "
        "over [-600, 600] with a product of cosines printed on it, so the floor is covered "
        "with thousands of shallow local minima, a few units apart, around the global one, "
        "0 at the origin. Seen from afar it is an easy bowl; up close every small step is "
        "trapped. The product couples the coordinates (not separable), and the wiggles "
        "matter less as the dimension grows. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal", "rugged"})
    lower, upper = -600.0, 600.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.zeros(self.dim), 0.0)

    @staticmethod
    def _scaled(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cosine arguments x_i/√i and the factors 1/√i."""
        factors = 1.0 / np.sqrt(np.arange(1, X.shape[1] + 1))
        return X * factors, factors

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        scaled, _ = self._scaled(X)
        return 1.0 + (X**2).sum(axis=1) / 4000.0 - np.cos(scaled).prod(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        scaled, factors = self._scaled(X)
        cosines = np.cos(scaled)
        ones = np.ones((len(X), 1))
        before = np.cumprod(np.hstack([ones, cosines[:, :-1]]), axis=1)
        after = np.cumprod(np.hstack([ones, cosines[:, :0:-1]]), axis=1)[:, ::-1]
        return X / 2000.0 + factors * np.sin(scaled) * before * after


class Levy(steep.Landscape):
    name = "levy"
    reference = (
        f"Levy & Montalvo 1985, SIAM J. Sci. Stat. Comput. 6(1):15-29, in the form of {VLSE}"
    )
    story = (
        "Lévy's function, a bowl around (1, ..., 1), where f = 0, whose walls are creased by "
        "sine ripples that grow with the distance from the bottom. With w_i = 1 + (x_i - 1)/4, "
        "f = sin²(πw_1) + Σ_{i<d} (w_i - 1)²(1 + 10 sin²(πw_i + 1)) + (w_d - 1)²(1 + "
        "sin²(2πw_d)). Each coordinate has about eight broad local minima in [-10, 10], each "
        "a trap for local descent, and from afar the global one looks no deeper than its "
        "neighbours. In this common form every term depends on one coordinate, so it is "
        "separable. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal", "rugged", "separable"})
    lower, upper = -10.0, 10.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(np.ones(self.dim), 0.0)

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        w = 1.0 + (X - 1.0) / 4.0
        first = np.sin(np.pi * w[:, 0]) ** 2
        inner = w[:, :-1]
        middle = ((inner - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * inner + 1.0) ** 2)).sum(axis=1)
        last = (w[:, -1] - 1.0) ** 2 * (1.0 + np.sin(TWO_PI * w[:, -1]) ** 2)
        return first + middle + last

    def gradient(self, X: np.ndarray) -> np.ndarray:
        w = 1.0 + (X - 1.0) / 4.0
        slope = np.zeros_like(X)
        slope[:, 0] += np.pi * np.sin(TWO_PI * w[:, 0])
        inner = w[:, :-1]
        slope[:, :-1] += 2.0 * (inner - 1.0) * (1.0 + 10.0 * np.sin(np.pi * inner + 1.0) ** 2)
        slope[:, :-1] += 10.0 * np.pi * (inner - 1.0) ** 2 * np.sin(2.0 * (np.pi * inner + 1.0))
        last = w[:, -1]
        slope[:, -1] += 2.0 * (last - 1.0) * (1.0 + np.sin(TWO_PI * last) ** 2)
        slope[:, -1] += TWO_PI * (last - 1.0) ** 2 * np.sin(2.0 * TWO_PI * last)
        return slope / 4.0  # dw/dx
