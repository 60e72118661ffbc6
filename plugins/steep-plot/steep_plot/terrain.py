"""The landscape under the points: its curve in 1-D; in 2-D, light grey bands (darker is
lower) with a few thin contour lines, and the colour bar that says what each shade costs."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

#: Shading bands of a 2-D terrain, each holding an equal share of the map.
BANDS = 10
#: A contour line at every this many band edges.
LINE_EVERY = 2
#: Contour lines are left out where more of the grid than this lies on one (a rugged
#: terrain: the lines would swamp the points; the shading shows it alone).
MAX_LINE_DENSITY = 0.1
#: The shades, from the lowest band to the highest (fractions of matplotlib's "Greys",
#: which runs from white to black): light enough for every optimizer's colour to show.
SHADES = (0.5, 0.03)


@attrs.frozen(eq=False)
class Shading:
    """A 2-D terrain cut into bands: ``bands[i, j]`` the band of each grid point, the
    cost at each band edge (``edges``, increasing) and the costs rounded (``rounded``, in
    fractions of the range above ``edges[0]``)."""

    x: np.ndarray
    y: np.ndarray
    bands: np.ndarray
    edges: np.ndarray
    rounded: np.ndarray
    levels: np.ndarray

    @property
    def count(self) -> int:
        return self.edges.size - 1


def shading(terrain: tuple[np.ndarray, ...]) -> Shading:
    """Bands at the quantiles of the terrain's costs, so valleys and plains both show.

    Costs are first rounded to 0.1 % of their range, so that a flat plain (costs that
    differ only by rounding noise) is one band instead of a checkerboard.
    """
    x, y, f = terrain
    finite = f[np.isfinite(f)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    span = high - low if high > low else 1.0
    rounded = np.round((np.where(np.isfinite(f), f, high) - low) / span, 3)
    levels = np.unique(np.quantile(rounded, np.linspace(0, 1, BANDS + 1)))
    if levels.size < 2:
        levels = np.array([0.0, 1.0])
    bands = np.digitize(rounded, levels[1:-1])
    return Shading(x, y, bands, low + levels * span, rounded, levels)


def line_density(cut: Shading) -> float:
    """The share of neighbouring grid points that a contour line would separate."""
    lines = cut.bands // LINE_EVERY
    across = np.mean(lines[:, 1:] != lines[:, :-1]) if lines.shape[1] > 1 else 0.0
    along = np.mean(lines[1:] != lines[:-1]) if lines.shape[0] > 1 else 0.0
    return float(across + along) / 2


def colour_map(count: int) -> Any:
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    return ListedColormap(colormaps["Greys"](np.linspace(*SHADES, max(count, 1))))


def shade(axes: Any, terrain: tuple[np.ndarray, ...], contours: bool = True) -> Shading:
    """Draw the 2-D ``terrain`` on ``axes``: shaded bands and thin contour lines."""
    cut = shading(terrain)
    x, y = cut.x, cut.y
    axes.imshow(
        cut.bands,
        origin="lower",
        extent=(x[0], x[-1], y[0], y[-1]),
        cmap=colour_map(cut.count),
        vmin=-0.5,
        vmax=cut.count - 0.5,
        aspect="auto",
        interpolation="nearest",
        zorder=0,
    )
    if contours and cut.count > 1 and line_density(cut) <= MAX_LINE_DENSITY:
        axes.contour(
            x,
            y,
            cut.rounded,
            levels=cut.levels[1:-1:LINE_EVERY],
            colors="0.4",
            linewidths=0.35,
            alpha=0.6,
            zorder=1,
        )
    axes.set_xlim(x[0], x[-1])
    axes.set_ylim(y[0], y[-1])
    return cut


def colour_bar(figure: Any, axes: Any, cut: Shading, unit: str = "") -> Any:
    """The colour bar of ``cut``'s bands beside ``axes`` (one or several), in cost."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm

    norm = BoundaryNorm(cut.edges, cut.count)
    mappable = ScalarMappable(norm=norm, cmap=colour_map(cut.count))
    label = "cost" + (f" ({unit})" if unit else "") + ": darker is lower"
    bar = figure.colorbar(
        mappable, ax=axes, spacing="uniform", ticks=cut.edges, shrink=0.85, pad=0.03
    )
    bar.set_label(label + "\n(each band holds an equal share of the map)", fontsize=9)
    bar.ax.set_yticklabels([f"{v:.3g}" for v in cut.edges], fontsize=8)
    bar.ax.text(0.5, -0.01, "low", transform=bar.ax.transAxes, ha="center", va="top", fontsize=8)
    bar.ax.text(0.5, 1.01, "high", transform=bar.ax.transAxes, ha="center", va="bottom", fontsize=8)
    return bar


def curve(axes: Any, terrain: tuple[np.ndarray, ...]) -> None:
    """Draw the 1-D ``terrain`` as a dark grey curve."""
    x, f = terrain
    axes.plot(x, f, color="0.35", linewidth=1.2, zorder=1)


def height_at(terrain: tuple[np.ndarray, ...], points: np.ndarray) -> np.ndarray:
    """The 1-D terrain's cost at ``points``, interpolated on its grid."""
    x, f = terrain
    return np.interp(points, x, f)
