"""Writing a plugin distribution from the templates: names, refusals, the files."""

from __future__ import annotations

import os
from importlib import resources
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import attrs

from ..errors import UsageError
from ..registry import NAME_PATTERN, Registry
from ..version import __version__

#: What ``steep new`` can write, and the template folder of each.
KINDS = ("optimizer", "landscape")
#: Where each template file goes (``PACKAGE``: the package, ``MODULE``: the name as a module).
LAYOUT = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "package/__init__.py.tmpl": "PACKAGE/__init__.py",
    "tests/test_package.py.tmpl": "tests/test_MODULE.py",
}


@attrs.frozen
class Plan:
    """A plugin about to be written: its kind, names and folder."""

    kind: str
    name: str
    folder: Path

    @property
    def distribution(self) -> str:
        return f"steep-{self.name}"

    @property
    def package(self) -> str:
        return f"steep_{self.name.replace('-', '_')}"

    @property
    def class_name(self) -> str:
        return "".join(word.capitalize() for word in self.name.split("-"))

    @property
    def target(self) -> Path:
        return self.folder / self.distribution

    def substitutions(self) -> dict[str, str]:
        return {
            "{{dist}}": self.distribution,
            "{{package}}": self.package,
            "{{name}}": self.name,
            "{{Class}}": self.class_name,
            "{{steep_version}}": __version__,
        }


def _installed_distribution(name: str) -> bool:
    try:
        distribution(name)
    except PackageNotFoundError:
        return False
    return True


def plan_plugin(
    kind: str, name: str, folder: str | os.PathLike[str] = ".", registry: Registry | None = None
) -> Plan:
    """The plugin ``steep-NAME`` of ``kind`` to write in ``folder``, or :class:`UsageError`
    when the name is no plugin name, the folder is taken, or ``registry`` (or an installed
    distribution) already has the name."""
    if kind not in KINDS:
        raise UsageError(f"cannot write a {kind!r}: choose {' or '.join(KINDS)}")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise UsageError(
            f"{kind} name {name!r} must be lowercase letters and digits, words joined by '-' "
            "(e.g. 'hill-climber')"
        )
    if name == "steep" or name.startswith("steep-"):
        raise UsageError(
            f"{kind} name {name!r}: give the {kind}'s own name, without 'steep-' "
            f"(the distribution is named steep-NAME)"
        )
    where = Path(folder)
    if not where.is_dir():
        raise UsageError(f"--dir {str(folder)!r} is not an existing folder")
    plan = Plan(kind, name, where)
    if plan.target.exists():
        raise UsageError(f"{str(plan.target)!r} already exists; choose another name or folder")
    if registry is not None and name in registry.entries[kind]:
        owner = registry.entries[kind][name].plugin
        raise UsageError(
            f"{kind} {name!r} is already registered by plugin {owner!r}; choose another name"
        )
    if _installed_distribution(plan.distribution):
        raise UsageError(f"a distribution {plan.distribution!r} is installed already")
    return plan


def _render(text: str, plan: Plan) -> str:
    for token, value in plan.substitutions().items():
        text = text.replace(token, value)
    return text


def write_plugin(
    kind: str, name: str, folder: str | os.PathLike[str] = ".", registry: Registry | None = None
) -> list[Path]:
    """Write the plugin distribution ``steep-NAME`` of ``kind`` (``"optimizer"`` or
    ``"landscape"``) into ``folder``; the files written, ``pyproject.toml`` first.

    It holds a ``pyproject.toml`` (hatchling, version 0.1.0, the entry point in the
    ``steep`` group), the package ``steep_NAME`` with a working example (a (1+1) evolution
    strategy, or a tea curve with an exact minimum), tests that run steep's conformance kit
    and a README. Refused as :func:`plan_plugin` says.
    """
    plan = plan_plugin(kind, name, folder, registry)
    templates = resources.files(__package__).joinpath("templates", kind)
    written = []
    for source, destination in LAYOUT.items():
        text = _render(templates.joinpath(*source.split("/")).read_text(encoding="utf-8"), plan)
        relative = destination.replace("PACKAGE", plan.package)
        path = plan.target / relative.replace("MODULE", plan.name.replace("-", "_"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
