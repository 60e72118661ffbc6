"""Loading plugins: registration validated at once, broken plugins reported, never fatal."""

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
import steep
from fakes import RandomSteps, Shifted, basic_plugin, make_plugin
from steep import PluginError
from steep.plugins import load_registry


def load(*named_plugins, environ=None):
    return load_registry(plugins=named_plugins, use_entry_points=False, environ=environ or {})


def test_registration_records_which_plugin_registered_what():
    registry = load(("basic", basic_plugin()))
    assert registry.get("optimizer", "random-steps").plugin == "basic"
    assert registry.plugins["basic"].registers == {
        "optimizer": ["random-steps"],
        "landscape": ["shifted"],
    }
    assert registry.get("evaluator", "serial").plugin == "steep.evaluator"
    assert registry.errors == []


def test_a_raising_plugin_is_reported_and_the_others_keep_working():
    def explode(register):
        raise RuntimeError("boom")

    registry = load(("basic", basic_plugin()), ("bad", make_plugin(register_landscapes=explode)))
    assert registry.names("landscape") == ["shifted"]
    (error,) = registry.plugins["bad"].errors
    assert error.startswith("register_landscapes raised RuntimeError: boom")
    assert "remove it" in error


def test_a_taken_name_blames_neither_plugin_and_keeps_the_first():
    twin = make_plugin(register_optimizers=lambda register: register(RandomSteps))
    registry = load(("basic", basic_plugin()), ("twin", twin))
    assert registry.get("optimizer", "random-steps").plugin == "basic"
    (conflict,) = registry.conflicts
    assert conflict.startswith(
        "optimizer name 'random-steps' is registered by both plugin 'basic' and plugin 'twin'; "
        "'basic''s, loaded first, is used"
    )
    assert not registry.plugins["basic"].errors and not registry.plugins["twin"].errors


def test_a_misspelled_hook_is_reported_with_a_suggestion():
    typo = make_plugin(register_optimiser=lambda register: register(RandomSteps))
    registry = load(("typo", typo))
    assert (
        registry.plugins["typo"]
        .errors[0]
        .startswith(
            "implements unknown hook 'register_optimiser' (did you mean 'register_optimizers'?)"
        )
    )
    assert registry.names("optimizer") == []


def test_a_hook_with_unknown_parameters_is_rejected():
    odd = make_plugin(register_optimizers=lambda register, colour: None)
    registry = load(("odd", odd))
    assert "rejected by the plugin manager" in registry.plugins["odd"].errors[0]


class NoStory(Shifted):
    name = "no-story"
    story = " "


class BadName(Shifted):
    name = "Bad_Name"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (NoStory, "landscape 'no-story' needs a story"),
        (BadName, "landscape name 'Bad_Name' must be lowercase"),
        (RandomSteps, "must be a subclass of steep.Landscape"),
        ("bowl", "must be a subclass of steep.Landscape"),
    ],
)
def test_invalid_registrations_are_explained(item, message):
    registry = load(("p", make_plugin(register_landscapes=lambda register: register(item))))
    assert message in registry.plugins["p"].errors[0]


def test_strict_mode_turns_a_plugin_failure_into_an_error():
    def explode(register):
        raise RuntimeError("boom")

    with pytest.raises(PluginError, match="plugin 'bad': register_optimizers raised"):
        load(
            ("bad", make_plugin(register_optimizers=explode)), environ={"STEEP_STRICT_PLUGINS": "1"}
        )


def test_default_is_offered_by_a_plugin_and_missing_defaults_are_explained():
    registry = load(("basic", basic_plugin()))
    assert registry.default("optimizer").name == "random-steps"
    with pytest.raises(steep.UsageError, match="no default optimizer is installed"):
        load().default("optimizer")


def test_unknown_names_suggest_close_ones():
    registry = load(("basic", basic_plugin()))
    with pytest.raises(
        steep.UsageError, match="unknown optimizer 'random-step'; did you mean 'random-steps'"
    ):
        registry.optimizer("random-step")
    with pytest.raises(steep.UsageError, match=r"unknown landscape 'zzz' \(installed: shifted\)"):
        registry.landscape("zzz")


# -- real entry points, through a distribution installed on a temporary path ----------------

PLUGIN_CODE = """
import steep

class Flat(steep.Landscape):
    name = "{name}"
    story = "A flat test landscape."
    def evaluate(self, X):
        return X.sum(axis=1) * 0.0

@steep.hookimpl
def register_landscapes(register):
    register(Flat)
"""


def install_fake(site, dist, module, code):
    """A minimal installed distribution: a module plus a .dist-info with an entry point."""
    (site / f"{module}.py").write_text(textwrap.dedent(code))
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[steep]\n{dist} = {module}\n")
    return info


def steep_cli(site, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STEEP_")}
    environ.update(PYTHONPATH=str(site), **env)
    return subprocess.run(
        [sys.executable, "-m", "steep", *args], capture_output=True, text=True, env=environ
    )


@pytest.fixture
def site(tmp_path):
    install_fake(tmp_path, "steep-fake-one", "fake_one", PLUGIN_CODE.format(name="fake-one"))
    install_fake(tmp_path, "steep-fake-two", "fake_two", PLUGIN_CODE.format(name="fake-two"))
    return tmp_path


def landscape_names(process):
    assert process.returncode == 0, process.stderr
    return {entry["name"] for entry in json.loads(process.stdout)["landscapes"]}


def test_installing_and_uninstalling_a_plugin_adds_and_removes_it(site):
    allowed = "steep-fake-one,steep-fake-two"
    before = landscape_names(steep_cli(site, "list", "--json", STEEP_PLUGINS=allowed))
    assert before == {"fake-one", "fake-two"}
    shutil.rmtree(site / "steep_fake_two-0.1.dist-info")
    after = landscape_names(steep_cli(site, "list", "--json", STEEP_PLUGINS=allowed))
    assert after == {"fake-one"}


def test_steep_plugins_restricts_loading(site):
    assert landscape_names(steep_cli(site, "list", "--json", STEEP_PLUGINS="")) == set()
    only = steep_cli(site, "list", "--json", STEEP_PLUGINS="steep-fake-two")
    assert landscape_names(only) == {"fake-two"}


def test_a_broken_installed_plugin_is_reported_while_the_rest_work(site):
    install_fake(site, "steep-broken", "broken_plugin", "raise ImportError('missing thing')\n")
    allowed = "steep-fake-one,steep-broken"
    listed = steep_cli(site, "list", "--json", STEEP_PLUGINS=allowed)
    assert landscape_names(listed) == {"fake-one"}
    assert "plugin steep-broken: import failed: ImportError: missing thing" in listed.stderr
    assert "pip uninstall steep-broken" in listed.stderr

    shown = steep_cli(site, "plugins", "--json", STEEP_PLUGINS=allowed)
    by_name = {p["name"]: p for p in json.loads(shown.stdout)}
    assert by_name["steep-broken"]["errors"] and not by_name["steep-fake-one"]["errors"]
    assert by_name["steep-fake-one"]["version"] == "0.1"
    assert by_name["steep-fake-one"]["registers"] == {"landscape": ["fake-one"]}

    strict = steep_cli(site, "list", STEEP_PLUGINS=allowed, STEEP_STRICT_PLUGINS="1")
    assert strict.returncode == 1
    assert strict.stderr.strip().startswith("steep: error: plugin 'steep-broken': import failed")
