"""The documentation site builds with warnings as errors: every page in the navigation, every
link and cross-reference resolved, every documented object with a docstring."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
yaml = pytest.importorskip("yaml")
pytest.importorskip("mkdocstrings_handlers.python")

ROOT = Path(__file__).parents[1]


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", site],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_the_site_builds_strictly_with_the_api_reference(tmp_path):
    built = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    testing = (tmp_path / "site" / "reference" / "testing" / "index.html").read_text()
    assert 'id="steep.testing.parametrize_with_checks"' in testing
    landscapes = (tmp_path / "site" / "reference" / "landscapes" / "index.html").read_text()
    assert 'id="steep.Landscape.evaluate"' in landscapes and ":class:" not in landscapes
    assert "``" not in landscapes  # reST literals read as Markdown
    assert (tmp_path / "site" / "plugin-hooks" / "index.html").exists()
    assert (tmp_path / "site" / "writing-landscapes" / "index.html").exists()


def allowed_missing(config: dict) -> list[str]:
    python = config["plugins"][-1]["mkdocstrings"]["handlers"]["python"]
    (extension,) = python["options"]["extensions"]
    return next(iter(extension.values()))["allow_missing"]


def test_a_broken_cross_reference_or_a_missing_docstring_fails_the_build(tmp_path):
    """Without its list of names allowed to lack a docstring, the build fails on each of
    them (so a name is taken off the list once it has one), and on a broken reference."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "reference", docs / "reference")
    (docs / "index.md").write_text("# Home\n\nSee [nothing][steep.no_such_thing].\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    missing = allowed_missing(config)
    options = config["plugins"][-1]["mkdocstrings"]["handlers"]["python"]["options"]
    options["extensions"] = [
        {f"{ROOT}/docs/reference/griffe_steep.py:SteepDocstrings": {"allow_missing": []}}
    ]
    config.update(docs_dir=str(docs), hooks=[f"{ROOT}/docs/reference/mkdocs_hooks.py"])
    del config["nav"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    built = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 1
    assert "Could not find cross-reference target 'steep.no_such_thing'" in built.stderr
    for name in missing:
        assert f"{name} has no docstring" in built.stderr, f"{name} has one: allow it no more"
