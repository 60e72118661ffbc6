"""steep-plot draws a small saved race: the files exist and are real pictures."""

from __future__ import annotations

import argparse
import subprocess
import sys

import numpy as np
import pytest
import steep
import steep_plot
from steep.cli import main
from steep.plugins import load_registry
from steep.race import RaceSettings, load, run_race, save
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


@pytest.fixture
def registry():
    return load_registry(
        plugins=[("parts", Parts), ("steep-plot", steep_plot)], use_entry_points=False
    )


def saved_race(registry, folder, landscapes, dims):
    settings = RaceSettings(
        optimizers=("creep", "scatter"), landscapes=landscapes, dims=dims, trials=3, budget=200
    )
    save(run_race(settings, registry, show_progress=False), folder)
    return folder


def assert_picture(path):
    assert path.is_file(), path
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    from matplotlib.image import imread

    pixels = imread(path)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 500, (path, pixels.shape)
    assert pixels[..., :3].std() > 0.05, f"{path.name} is nearly blank"


def test_draws_every_picture_of_a_saved_race(registry, tmp_path):
    saved = saved_race(registry, tmp_path / "race", ("ripples", "test-sphere"), (1,))
    drawn = registry.hook.draw_race(race=load(saved), folder=tmp_path / "out")
    (files,) = drawn
    names = {p.name for p in files}
    assert names == {
        "scoreboard.png",
        "ecdf.png",
        *(f"convergence-{land}-1d.png" for land in ("ripples", "test-sphere")),
        *(f"paths-{land}-1d.png" for land in ("ripples", "test-sphere")),
    }
    for path in files:
        assert path.parent == tmp_path / "out" / "plots"
        assert_picture(path)


def test_plot_command_redraws_a_saved_folder(registry, capsys, tmp_path):
    saved = saved_race(registry, tmp_path / "race", ("test-sphere",), (1,))
    command = registry.entries["command"]["plot"].extra["run"]
    assert command(argparse.Namespace(folder=str(saved), out=None), registry) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 4  # scoreboard, ECDF, convergence and paths of sphere 1-D
    for line in printed:
        assert_picture(saved / "plots" / line.split("/")[-1])


def test_race_with_plots_draws_into_the_results_folder(registry, tmp_path, capsys):
    folder = tmp_path / "r"
    arguments = ["--optimizers", "creep,scatter", "--landscapes", "test-sphere", "--dims", "2"]
    arguments += ["--budget", "100", "--seeds", "2", "--jobs", "1", "--out", str(folder)]
    status = main(["race", *arguments, "--plots"], registry=registry)
    assert status == 0, capsys.readouterr().err
    assert "Pictures:" in capsys.readouterr().out
    for name in ("scoreboard", "ecdf", "convergence-test-sphere-2d", "paths-test-sphere-2d"):
        assert_picture(folder / "plots" / f"{name}.png")


def test_plot_of_a_folder_without_a_race_is_a_usage_error(registry, tmp_path):
    command = registry.entries["command"]["plot"].extra["run"]
    with pytest.raises(steep.UsageError, match="holds no saved race"):
        command(argparse.Namespace(folder=str(tmp_path), out=None), registry)


def test_matplotlib_is_not_imported_at_registration():
    code = (
        "import sys, steep_plot; from steep.plugins import load_registry; "
        "load_registry(plugins=[('p', steep_plot)], use_entry_points=False); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_each_optimizer_keeps_its_colour_across_pictures():
    from steep_plot.figures import Style

    style = Style(["a", "b", "c"])
    assert len(set(style.colour.values())) == 3
    assert Style(["a", "b", "c"]).colour == style.colour
