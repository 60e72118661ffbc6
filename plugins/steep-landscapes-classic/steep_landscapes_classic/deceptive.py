"""Few, deep valleys far apart: Schwefel's and Styblinski–Tang's functions."""

from __future__ import annotations

import numpy as np
import steep

from .bowls import VLSE

#: Schwefel's offset per coordinate, making the global minimum (nearly) 0.
SCHWEFEL_OFFSET = 418.9828872724338
#: Where x sin √|x| peaks in [-500, 500]: the root of sin √x + (√x/2) cos √x near 421.
SCHWEFEL_BEST = 420.968746359982
#: The root of 4x³ - 32x + 5 = 0 where x⁴ - 16x² + 5x is lowest.
STYBLINSKI_TANG_BEST = -2.903534027771178


class Schwefel(steep.Landscape):
    name = "schwefel"
    reference = f"Schwefel 1981, Numerical Optimization of Computer Models; {VLSE}"
    story = (
        "Schwefel's function, f(x) = 418.9828872724338 d - Σ x_i sin √|x_i|: a deceptive "
        "egg-box whose valleys get deeper towards the edges of [-500, 500]. The global "
        "minimum, about 0, lies near the corner at x_i = 420.9687, while the second-best "
        "valleys sit far away on the other side (near -302.5), so a method that follows the "
        "promising region it found first is led astray. The box holds 7^d local minima "
        "inside, and the function is separable. "
        f"Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal", "separable"})
    lower, upper = -500.0, 500.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        best = np.full(self.dim, SCHWEFEL_BEST)
        return steep.Minimum(best, self.evaluate(best.reshape(1, -1))[0])

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return SCHWEFEL_OFFSET * X.shape[1] - (X * np.sin(np.sqrt(np.abs(X)))).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        root = np.sqrt(np.abs(X))
        return -(np.sin(root) + 0.5 * root * np.cos(root))


class StyblinskiTang(steep.Landscape):
    name = "styblinski-tang"
    reference = f"Styblinski & Tang 1990, Neural Networks 3(4):467-483; {VLSE}"
    story = (
        "The Styblinski–Tang function, f(x) = ½ Σ (x_i⁴ - 16x_i² + 5x_i): in each "
        "coordinate a double well, with the deeper well at x_i = -2.9035 and a shallower one "
        "at 2.7468, so the box [-5, 5]^d holds 2^d local minima and the global one, "
        "-39.16617 d, is a single corner of that hypercube of wells. Descent ends in the well "
        "it starts in, and the number of wrong wells doubles with every dimension. "
        f"Separable. Reference: {reference}."
    )
    tags = frozenset({"smooth", "multimodal", "separable"})
    lower, upper = -5.0, 5.0
    default_dim = 2

    @property
    def minimum(self) -> steep.Minimum:
        best = np.full(self.dim, STYBLINSKI_TANG_BEST)
        return steep.Minimum(best, self.evaluate(best.reshape(1, -1))[0])

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        return 0.5 * (X**4 - 16.0 * X**2 + 5.0 * X).sum(axis=1)

    def gradient(self, X: np.ndarray) -> np.ndarray:
        return 2.0 * X**3 - 16.0 * X + 2.5
