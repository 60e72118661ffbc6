"""No box where none is needed: ``steep.minimize(f, x0=...)`` for methods that declare so."""

from __future__ import annotations

import json

import numpy as np
import pytest
import steep
from steep.cli import main
from steep.space import Bounds

pytest.importorskip("steep_newton")
pytest.importorskip("steep_evolution")


def far_bowl(x):
    """A tilted bowl whose bottom, at (40, -25), lies far outside x0 = 0's reference box."""
    return float((x[0] - 40.0) ** 2 + 10 * (x[1] + 25.0) ** 2 + (x[0] - 40.0) * (x[1] + 25.0))


@pytest.mark.parametrize("optimizer", ["bfgs", "newton", "cma-es", "auto"])
def test_methods_that_need_no_box_find_a_bottom_far_from_x0(optimizer):
    result = steep.minimize(far_bowl, x0=[0.0, 0.0], optimizer=optimizer, seed=2, budget=3000)
    assert np.allclose(result.x, [40.0, -25.0], atol=1e-3), (optimizer, result.x)
    assert np.isfinite(result.history.x).all()


def test_a_method_that_needs_a_box_is_refused_in_one_line_naming_those_that_do_not():
    with pytest.raises(steep.UsageError) as caught:
        steep.minimize(far_bowl, x0=[0.0, 0.0], optimizer="annealing")
    message = str(caught.value)
    assert "\n" not in message and "'annealing' needs a box: give bounds" in message
    assert "bfgs" in message and "cma-es" in message and "genetic" not in message.split(":")[-1]


def test_a_run_driven_directly_refuses_it_too():
    problem = steep.Problem.from_function(far_bowl, None, x0=[0.0, 0.0])
    annealing = steep.plugins.get_registry().optimizer("annealing")
    with pytest.raises(steep.UsageError, match="'annealing' needs a box: give bounds"):
        steep.Run(problem, annealing, annealing.Options(), budget=steep.Budget(100), x0=[0, 0])


def test_the_default_optimizer_needs_no_box():
    assert steep.minimize(far_bowl, x0=[1.0, 1.0], seed=0, budget=2000).fun < 1e-8


def test_restarts_without_walls_start_around_x0_and_keep_the_best():
    result = steep.minimize(
        far_bowl, x0=[0.0, 0.0], optimizer="bfgs", seed=3, budget=1500, restarts=4, target=None
    )
    assert result.restarts == 4 and result.fun < 1e-8
    assert np.isfinite(result.history.x).all()


def test_an_open_space_has_no_walls_and_a_reference_box_around_x0():
    bounds = Bounds.around([0.0, -300.0])
    assert not bounds.finite and bounds.contains(np.array([[1e200, -1e200]]))
    assert bounds.reference().as_pairs() == [(-1.0, 1.0), (-600.0, 0.0)]
    points = np.array([[1e9, -1e9]])
    assert np.array_equal(bounds.clip(points), points) and np.array_equal(
        bounds.reflect(points), points
    )
    drawn = bounds.sample(np.random.default_rng(0), 2000)
    assert np.allclose(drawn.mean(axis=0), [0.0, -300.0], atol=[0.1, 30.0])
    assert np.allclose(drawn.std(axis=0), [1.0, 300.0], rtol=0.1)


@pytest.mark.parametrize(
    ("x0", "message"),
    [
        ([0.0, np.nan], "must hold at least one finite number each"),
        ([1.0, 2.0, 3.0], "dimension is 2"),
    ],
)
def test_a_bad_x0_without_bounds_is_refused(x0, message):
    with pytest.raises(steep.UsageError, match=message):
        steep.minimize(far_bowl, x0=x0, dim=2, optimizer="bfgs")


def test_a_journaled_run_without_walls_resumes(tmp_path):
    journal = tmp_path / "open.jsonl"
    whole = steep.minimize(far_bowl, x0=[0.0, 0.0], optimizer="bfgs", seed=1, budget=400)
    first = steep.minimize(
        far_bowl, x0=[0.0, 0.0], optimizer="bfgs", seed=1, budget=400, journal=journal
    )
    again = steep.resume(journal, objective=far_bowl)
    assert again.nfev == first.nfev == whole.nfev and np.array_equal(again.x, whole.x)


def test_ask_tell_without_walls():
    run = steep.AskTell(x0=[0.0, 0.0], optimizer="bfgs", seed=0, budget=500)
    while not run.done:
        run.tell([far_bowl(x) for x in run.ask()])
    assert np.allclose(run.result.x, [40.0, -25.0], atol=1e-3)


def test_the_cli_runs_an_objective_from_x0_alone_and_says_which_methods_need_no_box(capsys):
    args = ["run", "--objective", "journal_objectives:tea", "--x0=-4,7", "-O", "bfgs"]
    status = main([*args, "-n", "300", "-s", "0", "--json"])
    out, _ = capsys.readouterr()
    assert status == 0 and np.allclose(json.loads(out)["x"], [0.3, 0.3], atol=1e-5)
    with pytest.raises(SystemExit) as refused:
        main(["run", "--objective", "journal_objectives:tea", "--x0=1,x"])
    assert refused.value.code == 2
    assert "'x' is not a number" in capsys.readouterr().err
    main(["show", "bfgs"])
    assert "Box: none needed" in capsys.readouterr().out
    main(["show", "annealing"])
    assert "Box: needs bounds" in capsys.readouterr().out
