"""A plugin's fault stays with that plugin: observers, landscapes, names, commands, hooks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import steep
from fakes import RandomSteps, Shifted, basic_plugin, make_plugin
from steep.cli import main
from steep.plugins import load_registry


def load(*named, environ=None):
    return load_registry(plugins=named, use_entry_points=False, environ=environ or {})


def boom(*args, **kwargs):
    raise RuntimeError("observer broke")


@pytest.mark.parametrize("hook", ["run_started", "batch_evaluated", "run_finished"])
def test_a_raising_observer_is_switched_off_and_the_run_goes_on(hook):
    calls = []

    def counting(**kwargs):
        calls.append(1)
        raise RuntimeError("observer broke")

    registry = load(("basic", basic_plugin()), ("noisy-observer", make_plugin(**{hook: counting})))
    with pytest.warns(steep.PluginWarning, match="plugin noisy-observer: .*observer broke"):
        result = steep.minimize("shifted", budget=20, seed=0, registry=registry)
    clean = steep.minimize("shifted", budget=20, seed=0, registry=load(("basic", basic_plugin())))
    np.testing.assert_array_equal(result.history.x, clean.history.x)
    assert result.nfev == 20 and result.fun == clean.fun and len(calls) == 1
    assert result.warnings and "switched off" not in result.message


def test_a_raising_observer_leaves_the_cli_result_printed(capsys):
    registry = load(("basic", basic_plugin()), ("bad", make_plugin(run_finished=boom)))
    assert main(["run", "-n", "10", "-s", "0"], registry=registry) == 0
    out, err = capsys.readouterr()
    assert "fun:" in out
    assert "steep: warning: plugin bad: run_finished raised RuntimeError: observer broke" in err
    assert "Traceback" not in err


class BrokenMinimum(Shifted):
    name = "broken-minimum"

    @property
    def minimum(self):
        raise ValueError("no idea where")


def test_a_landscape_whose_minimum_raises_is_reported_and_list_still_works(capsys):
    broken = make_plugin(register_landscapes=lambda register: register(BrokenMinimum))
    registry = load(("basic", basic_plugin()), ("broken", broken))
    assert main(["list"], registry=registry) == 0
    out, _ = capsys.readouterr()
    assert "shifted" in out and "broken-minimum" not in out
    assert any("no idea where" in e for e in registry.plugins["broken"].errors)


def test_a_name_taken_twice_names_both_plugins_and_keeps_the_first():
    twin = make_plugin(register_optimizers=lambda register: register(RandomSteps))
    registry = load(("basic", basic_plugin()), ("mistake", twin))
    (problem,) = registry.errors
    assert "'basic' and plugin 'mistake'" in problem and "exclude 'basic'" in problem
    assert registry.get("optimizer", "random-steps").plugin == "basic"


def test_a_raising_plugin_command_is_one_line_naming_the_plugin(capsys):
    def run(args, registry):
        raise KeyError("lost")

    commands = make_plugin(register_commands=lambda register: register("oops", run, help="x"))
    registry = load(("basic", basic_plugin()), ("steep-oops", commands))
    assert main(["oops"], registry=registry) == 1
    err = capsys.readouterr().err.strip()
    assert err == "steep oops: error: plugin 'steep-oops': command 'oops' raised KeyError: 'lost'"


def test_steep_debug_prints_the_traceback(capsys, monkeypatch):
    def run(args, registry):
        raise KeyError("lost")

    commands = make_plugin(register_commands=lambda register: register("oops", run, help="x"))
    monkeypatch.setenv("STEEP_DEBUG", "1")
    assert main(["oops"], registry=load(("steep-oops", commands))) == 1
    assert "Traceback" in capsys.readouterr().err


def test_a_hook_named_function_without_the_marker_is_reported():
    module = type("Module", (), {"register_optimizers": staticmethod(lambda register: None)})
    registry = load(("forgetful", module))
    assert any("not marked @steep.hookimpl" in e for e in registry.plugins["forgetful"].errors)


def test_steep_plugins_naming_no_installed_plugin_is_warned_of():
    registry = load_registry(environ={"STEEP_PLUGINS": "steep-nosuch-plugin"})
    assert registry.warnings == [
        "STEEP_PLUGINS names 'steep-nosuch-plugin', which matches no installed plugin"
    ]


def test_the_python_api_warns_of_broken_plugins_once_and_names_them(monkeypatch):
    broken = make_plugin(register_optimizers=boom)
    registry = load(("steep-broken", broken))
    with steep.plugins.using(registry), pytest.raises(steep.UsageError, match="'steep-broken'"):
        steep.minimize("shifted", optimizer="hill")
    steep.plugins.reset_registry()
    monkeypatch.setenv("STEEP_PLUGINS", "steep-nosuch-plugin")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        steep.plugins.get_registry()
        steep.plugins.get_registry()
    steep.plugins.reset_registry()
    assert [str(w.message) for w in caught if w.category is steep.PluginWarning] == [
        "STEEP_PLUGINS names 'steep-nosuch-plugin', which matches no installed plugin"
    ]


def test_a_negative_instance_is_one_line(capsys):
    registry = load(("basic", basic_plugin()))
    with pytest.raises(SystemExit) as exit_status:
        main(["run", "--instance", "-5"], registry=registry)
    assert exit_status.value.code == 2
    assert "--instance: '-5' must be a non-negative integer" in capsys.readouterr().err
    with pytest.raises(steep.UsageError, match="instance must be a non-negative integer"):
        steep.minimize("shifted", instance=-1, registry=registry)


class WrongMinimum(Shifted):
    name = "wrong-minimum"

    @property
    def minimum(self):
        return steep.Minimum(np.full(self.dim, 1.0), 0.5)  # the true minimum is 0 at 1


def test_a_run_below_the_stated_minimum_warns_that_the_minimum_is_wrong():
    plugin = make_plugin(register_landscapes=lambda register: register(WrongMinimum))
    registry = load(("basic", basic_plugin()), ("wrong", plugin))
    with pytest.warns(steep.SteepWarning, match="below its stated minimum 0.5"):
        result = steep.minimize("wrong-minimum", budget=200, seed=0, registry=registry)
    assert any("minimum is wrong" in w for w in result.warnings)
