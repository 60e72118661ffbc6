"""steep-plot draws a small saved race: the files exist and are real pictures."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
import steep
from steep.cli import main
from steep.race import load


def test_draws_every_picture_of_a_saved_race(registry, saved_race, check_picture, tmp_path):
    saved = saved_race(tmp_path / "race", ("ripples", "test-sphere"), (1,))
    drawn = registry.hook.draw_race(race=load(saved), folder=tmp_path / "out")
    (files,) = drawn
    names = {p.name for p in files}
    assert names == {
        "scoreboard.png",
        "ecdf.png",
        "index.html",
        *(f"convergence-{land}-1d.png" for land in ("ripples", "test-sphere")),
        *(f"paths-{land}-1d.png" for land in ("ripples", "test-sphere")),
    }
    for path in files:
        assert path.parent == tmp_path / "out" / "plots"
        if path.suffix == ".png":
            check_picture(path)


def test_plot_command_redraws_a_saved_folder(registry, saved_race, check_picture, capsys, tmp_path):
    saved = saved_race(tmp_path / "race", ("test-sphere",), (1,))
    command = registry.entries["command"]["plot"].extra["run"]
    assert command(argparse.Namespace(folder=str(saved), out=None), registry) == 0
    printed = capsys.readouterr().out.split()
    # scoreboard, ECDF, convergence and paths of sphere 1-D, and the page showing them
    assert sorted(line.split("/")[-1] for line in printed) == [
        "convergence-test-sphere-1d.png",
        "ecdf.png",
        "index.html",
        "paths-test-sphere-1d.png",
        "scoreboard.png",
    ]
    for line in printed:
        if line.endswith(".png"):
            check_picture(saved / "plots" / line.split("/")[-1])


def test_race_with_plots_draws_into_the_results_folder(registry, check_picture, tmp_path, capsys):
    folder = tmp_path / "r"
    arguments = ["--optimizers", "creep,scatter", "--landscapes", "test-sphere", "--dims", "2"]
    arguments += ["--budget", "100", "--seeds", "2", "--jobs", "1", "--out", str(folder)]
    status = main(["race", *arguments, "--plots"], registry=registry)
    assert status == 0, capsys.readouterr().err
    assert "Pictures:" in capsys.readouterr().out
    for name in ("scoreboard", "ecdf", "convergence-test-sphere-2d", "paths-test-sphere-2d"):
        check_picture(folder / "plots" / f"{name}.png")
    assert (folder / "plots" / "index.html").is_file()


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


def test_no_optimizer_is_grey_nor_crossed():
    """Grey points vanish on the grey terrain, and a cross means "missed the target"."""
    from matplotlib.colors import to_rgb
    from steep_plot.style import MARKERS, PALETTE

    for colour in PALETTE:
        red, green, blue = to_rgb(colour)
        assert max(red, green, blue) - min(red, green, blue) > 0.15 or max(red, green, blue) < 0.1
    assert not {"x", "X", "+", "*"} & set(MARKERS)
