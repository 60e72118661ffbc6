"""The examples under examples/ run and show what they claim: the practitioner's three tasks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
pytest.importorskip("sklearn")


def example(name: str):
    """The example module, imported by name so that worker processes can import it too."""
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))
    return importlib.import_module(name)


def test_the_svc_is_tuned_over_a_typed_space_as_well_as_tpe_does(capsys):
    pytest.importorskip("optuna")
    found = example("svc_search").main(budget=60, seed=0)
    one_sample = 1 / 569  # of the breast-cancer data: a difference of less is no difference
    assert found["steep"] <= found["optuna"] + one_sample
    assert "CV error" in capsys.readouterr().out


def test_logistic_regression_with_its_gradient_reaches_scipys_loss_within_twice_its_cost():
    found = example("logistic_regression").main()
    _, nfev = found["scipy"]
    assert found["to_reach"] is not None and found["to_reach"] <= 2 * nfev


def test_a_slow_objective_on_two_processes_gives_the_serial_run():
    times = example("slow_on_two_processes").main(budget=8)  # it asserts the same points
    assert set(times) == {"serial", "processes"}
