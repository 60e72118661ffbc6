"""What the pictures say: the scoreboard stays readable, the ECDF counts right, the floor
is labelled honestly, animations and the HTML page are written and complete."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from steep.race import load, report_lines
from steep_plot.animation import MAX_FRAMES, draw_animation, schedule
from steep_plot.convergence import gap_floor
from steep_plot.ecdf import TARGETS, draw_ecdf, first_hits, fraction_reached, runtimes
from steep_plot.figures import draw_all
from steep_plot.scoreboard import MAX_WIDTH_PX, cell_text, draw_scoreboard
from steep_plot.style import Style

# --- scoreboard --------------------------------------------------------------------------


def test_scoreboard_of_many_problems_is_at_most_2000_pixels_wide(kit, check_picture, tmp_path):
    names = [f"optimizer-{n}" for n in range(8)]
    problems = [
        kit.problem(f"landscape-{n:02d}", dim, budget=100 * dim)
        for n in range(40)
        for dim in (2, 10)
    ]
    runs = [
        (name, p, 0, [1.0, 1e-5 if k % 3 else 0.5])
        for k, name in enumerate(names)
        for p in problems
    ]
    race = kit.make_race(problems, runs)
    width, height = check_picture(
        draw_scoreboard(race, Style(names), tmp_path / "scoreboard.png"), 1000, 1000
    )
    assert width <= MAX_WIDTH_PX and height <= 2200, (width, height)
    # one landscape row per 0.3 in at 110 dpi: 80 rows in a single block would be 2,640 px
    assert height < 80 * 33


def test_small_scoreboard_has_room_for_its_title(kit, check_picture, tmp_path):
    sphere = kit.problem("sphere", 1)
    race = kit.make_race([sphere], [("a", sphere, 0, [1.0, 0.0]), ("b", sphere, 0, [1.0])])
    width, _ = check_picture(draw_scoreboard(race, Style(["a", "b"]), tmp_path / "s.png"), 300, 800)
    assert width < MAX_WIDTH_PX


def test_scoreboard_cells_explain_ert_beyond_the_budget():
    assert cell_text(3, 3, 120.0, 1000) == "3/3 · 120"
    assert cell_text(1, 3, 2120.0, 1000) == "1/3 · 2120*"
    assert cell_text(0, 3, float("inf"), 1000) == "0/3 · ∞"


# --- ECDF --------------------------------------------------------------------------------


def test_first_hits_agree_with_a_plain_search():
    rng = np.random.default_rng(1)
    gaps = np.minimum.accumulate(10.0 ** rng.uniform(-10, 3, 300))
    hits = first_hits(gaps, TARGETS)
    for target, hit in zip(TARGETS, hits):
        reached = np.flatnonzero(gaps <= target)
        assert hit == (reached[0] + 1 if reached.size else np.inf)
    assert np.all(np.isinf(first_hits(np.empty(0), TARGETS)))


def test_targets_are_cocos_51_from_1e2_to_1e_minus_8():
    assert TARGETS.size == 51
    assert TARGETS[0] == pytest.approx(100) and TARGETS[-1] == pytest.approx(1e-8)
    assert np.allclose(np.diff(np.log10(TARGETS)), -0.2)


def test_ecdf_is_the_fraction_of_problem_target_pairs_reached(kit, tmp_path):
    one = kit.problem("one", 1, fstar=0.0)
    two = kit.problem("two", 2, fstar=10.0)
    unknown = kit.problem("unknown", 1, fstar=None)
    runs = [
        # on "one": 2 targets (100, 63.1) reached at evaluation 2, the other 49 at 3
        ("a", one, 0, [1000.0, 50.0, 1e-9]),
        # on "two", two runs: one reaches the 12 targets >= 0.5 at once, one fails
        ("a", two, 0, [10.5, 10.5, 10.5, 10.5]),
        ("a", two, 1, []),
        ("a", unknown, 0, [-5.0]),  # no minimum known: not counted
        ("b", one, 0, [100.0]),  # the first target, at once; "b" never ran on "two"
    ]
    race = kit.make_race([one, two, unknown], runs)
    # "a": 3 runs on known minima, 153 (run, target) pairs; "b": 1 run, 51 pairs
    assert fraction_reached(race, "a", 0.4) == 0
    assert fraction_reached(race, "a", 0.5) == pytest.approx(12 / 153)  # evaluation 1 / 2-D
    assert fraction_reached(race, "a", 1.9) == pytest.approx(12 / 153)
    assert fraction_reached(race, "a", 2) == pytest.approx(14 / 153)
    assert fraction_reached(race, "a", 3) == pytest.approx(63 / 153)
    assert fraction_reached(race, "a", 1e9) == pytest.approx(63 / 153)
    assert fraction_reached(race, "b", 1) == pytest.approx(1 / 51)
    times = runtimes(race)["a"]
    assert times.size == 3 * 51 and np.all(np.diff(times[np.isfinite(times)]) >= 0)
    assert draw_ecdf(race, Style(["a", "b"]), tmp_path / "ecdf.png").is_file()


def test_the_picture_draws_the_numbers_of_the_reports_ecdf_table(race_2d):
    race = load(race_2d)
    lines = report_lines(race)
    start = next(i for i, line in enumerate(lines) if line.startswith("Runtime ECDF"))
    checkpoints = [float(c) for c in lines[start + 1].split()[1:]]
    for line in lines[start + 2 :]:
        if not line.startswith("  "):
            break
        name, *shares = line.split()
        for checkpoint, share in zip(checkpoints, shares):
            assert fraction_reached(race, name, checkpoint) == pytest.approx(float(share), abs=5e-4)


# --- convergence -------------------------------------------------------------------------


def test_the_floor_is_absolute_and_far_below_the_target(kit):
    # a huge scale (the ellipsoid's 6.6e6) no longer lifts the floor to 7e-4
    ellipsoid = kit.problem("ellipsoid", 2, fstar=0.0, scale=6.6e6, target_gap=660.0)
    assert gap_floor(ellipsoid) == pytest.approx(1e-12)
    assert gap_floor(kit.problem("far", 2, fstar=1000.0)) == pytest.approx(1e-9)
    tight = kit.problem("tight", 2, fstar=0.0, target_gap=1e-13)
    assert gap_floor(tight) <= 1e-15


# --- animation ---------------------------------------------------------------------------


def test_schedule_shows_every_evaluation_once_in_at_most_the_frames():
    for evaluations in (1, 7, MAX_FRAMES, 200, 2000, 10_000):
        counts = schedule(evaluations)
        assert counts[0] == 1 and counts[-1] == evaluations
        assert np.all(np.diff(counts) > 0) and counts.size <= MAX_FRAMES


def test_a_1d_animation_is_a_gif_of_several_frames(kit, tmp_path):
    from PIL import Image

    valley = kit.problem("valley", 1, fstar=0.0, budget=60)
    rng = np.random.default_rng(0)
    walk = rng.uniform(-1, 1, (60, 1))
    runs = [
        ("walker", valley, 0, np.minimum.accumulate(walk[:, 0] ** 2)),
        ("stopper", valley, 0, np.minimum.accumulate(walk[:9, 0] ** 2)),
    ]
    race = kit.make_race([valley], runs)
    race.paths = {0: walk, 1: walk[:9]}
    grid = np.linspace(-1, 1, 101)
    race.terrains = {valley.key: (grid, grid**2)}
    path = draw_animation(race, valley, tmp_path, fps=5)
    assert path.name == "animation-valley-1d.gif"
    with Image.open(path) as image:
        assert image.format == "GIF" and 1 < image.n_frames <= 100


@pytest.fixture(scope="module")
def drawn_2d(race_2d):
    """Every picture of the 2-D race, its animations too, drawn here (no worker)."""
    race = load(race_2d)
    return race, draw_all(race, race_2d / "plots", jobs=1, animate=True)


def test_2d_animations_are_small_gifs(drawn_2d):
    from PIL import Image

    _, written = drawn_2d
    gifs = [p for p in written if p.suffix == ".gif"]
    assert {p.name for p in gifs} == {"animation-ripples-2d.gif", "animation-test-sphere-2d.gif"}
    for path in gifs:
        assert path.stat().st_size <= 2_000_000
        with Image.open(path) as image:
            assert 1 < image.n_frames <= 100
            image.seek(image.n_frames - 1)  # every frame decodes
            assert image.size[0] >= 300


# --- HTML report -------------------------------------------------------------------------


def test_html_page_holds_every_table_and_picture(drawn_2d):
    race, written = drawn_2d
    (page,) = [p for p in written if p.name == "index.html"]
    text = page.read_text(encoding="utf-8")
    folder = page.parent
    linked = set(re.findall(r'<img src="([^"]+)"', text))
    pictures = {p.name for p in folder.iterdir() if p.suffix in (".png", ".gif")}
    assert linked == pictures and len(pictures) >= 8
    assert all((folder / name).is_file() for name in linked)  # relative links that resolve
    for problem in race.problems:
        assert f'id="{problem.key.replace(" ", "-").lower()}"' in text
    lines = report_lines(race)
    tables = lines[: next(i for i, line in enumerate(lines) if line.startswith("Fastest"))]
    rows = [re.split(r"\s{2,}", line.strip()) for line in tables]
    rows = [cells for cells in rows if cells[0] in race.optimizers]
    assert len(rows) == len(race.records) // 3  # 3 seeds: one row per optimizer and problem
    for cells in rows:
        assert "".join(f"<td>{html.escape(c)}</td>" for c in cells) in text, cells
    for line in lines[len(tables) :]:  # the summaries: per tag, the ECDF table
        assert html.escape(line.strip()) in text, line
    assert "http://" not in text and "https://" not in text and "<script" not in text


# --- paths -------------------------------------------------------------------------------


def test_a_stop_short_of_the_target_is_a_cross_and_edge_markers_are_not_clipped():
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from steep_plot.paths import draw_stops

    axes = Figure().add_subplot()
    draw_stops(axes, (0.0, 0.0), False, "#0072B2", "o")
    draw_stops(axes, (1.0, 1.0), True, "#0072B2", "o")
    missed, reached = axes.collections
    assert tuple(missed.get_edgecolor()[0]) == to_rgba("black")
    assert tuple(reached.get_facecolor()[0]) == to_rgba("#0072B2")
    assert not missed.get_clip_on() and not reached.get_clip_on()


def test_rugged_terrains_get_no_contour_lines():
    from steep_plot.terrain import MAX_LINE_DENSITY, line_density, shading

    grid = np.linspace(-5, 5, 201)
    x, y = np.meshgrid(grid, grid)
    bowl = shading((grid, grid, x**2 + y**2))
    rugged = shading((grid, grid, x**2 + y**2 + 10 * np.cos(2 * np.pi * x) * np.cos(2 * np.pi * y)))
    assert line_density(bowl) <= MAX_LINE_DENSITY < line_density(rugged)
    assert np.all(np.diff(bowl.edges) > 0) and bowl.count == 10


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_steep_diagnose_plot_draws_the_probes_with_the_verdict(
    tmp_path, capsys, check_picture, dim
):
    from steep.cli import main
    from steep.testing import only_plugins

    picture = tmp_path / "probe.png"
    with only_plugins("steep-plot", "steep-landscapes-classic") as registry:
        arguments = ["diagnose", "-L", "sphere", "-d", str(dim), "-s", "0", "--plot", str(picture)]
        assert main(arguments, registry=registry) == 0
    assert f"Picture: {picture}" in capsys.readouterr().out
    check_picture(picture)
