"""A griffe extension for steep's API reference: steep's docstrings, read as Markdown.

steep's docstrings are written as pytest's and attrs' are: ``code`` in double backticks,
Sphinx roles (:class:`steep.Optimizer`, :func:`minimize`, :meth:`evaluate`) and ``::``
literal blocks. This extension, run by mkdocstrings when it loads ``steep``, turns them into
Markdown: a role becomes a cross-reference that mkdocs-autorefs must resolve (so a broken
one fails ``mkdocs build --strict``), a literal block a fenced Python block, and a ``#:``
comment above an attribute its docstring. It also warns of every object on a reference page
(``::: name`` in docs/reference/*.md) or public member of one that has no docstring, except
those named in its ``allow_missing`` option.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import griffe

LOG = logging.getLogger("mkdocs.plugins.steep_reference")
PAGES = Path(__file__).parent
ROLE = re.compile(r":(?:class|func|meth|data|mod|attr|exc|obj):`~?([^`]+)`")
LITERAL = re.compile(r"(?<!`)``(?!`)([^`]+?)``(?!`)")
FENCE = re.compile(r"(^```.*?^```$)", re.M | re.S)
BLOCK = re.compile(r"::\n\n((?:    .*\n|[ \t]*\n)+)")
DOCUMENTED = re.compile(r"^::: ([\w.]+)", re.M)


def _walk(obj: Any) -> Iterator[Any]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


class SteepDocstrings(griffe.Extension):
    """Reads steep's docstrings as Markdown, resolves their roles, checks none is missing."""

    def __init__(self, allow_missing: list[str] | None = None) -> None:
        super().__init__()
        self.allow_missing = set(allow_missing or ())

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        """Rewrite every docstring of the package, then check the documented objects."""
        if pkg.name != "steep":
            return
        self.package = pkg
        self.public = self._public_names(pkg)
        for obj in _walk(pkg):
            if obj.is_attribute and obj.docstring is None:
                self._comment_docstring(obj)
            if obj.docstring is not None:
                obj.docstring.value = self._markdown(obj.docstring.value, obj)
        self._check_documented()

    def _public_names(self, pkg: Any) -> dict[str, str]:
        """Canonical path -> the public path it is documented under (``steep.X``)."""
        names = {}
        for module in (pkg, pkg["testing"]):
            for name in module.exports or ():
                member = module.members.get(name)
                if member is not None and member.is_alias:
                    names[member.target_path] = f"{module.path}.{name}"
        return names

    def _lookup(self, path: str) -> Any:
        if path == "steep":
            return self.package
        if not path.startswith("steep."):
            return None
        try:
            found = self.package[path.removeprefix("steep.")]
            if found.is_alias:
                found.final_target  # noqa: B018 (resolves, or raises)
            return found
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None

    def _publish(self, path: str) -> str:
        for canonical, public in self.public.items():
            if path == canonical or path.startswith(canonical + "."):
                return public + path[len(canonical) :]
        return path

    def _resolve(self, target: str, obj: Any) -> str:
        """The identifier autorefs should find for ``target`` written in ``obj``'s docstring."""
        candidates = [target] if target.startswith("steep.") else []
        scope = obj if obj.is_class or obj.is_module else obj.parent
        while scope is not None:
            candidates.append(f"{scope.path}.{target}")
            scope = scope.parent
        for candidate in candidates:
            found = self._lookup(candidate)
            if found is not None:
                path = found.path if found.is_alias else self._publish(found.path)
                return self._publish(path)
        return candidates[0] if candidates else target  # unresolved: autorefs will warn

    def _markdown(self, text: str, obj: Any) -> str:
        def block(match: re.Match[str]) -> str:
            code = "\n".join(line[4:] for line in match.group(1).rstrip().splitlines())
            return f":\n\n```python\n{code}\n```\n\n"

        parts = FENCE.split(BLOCK.sub(block, text + "\n").rstrip())
        for i in range(0, len(parts), 2):  # the odd parts are code, kept as they are
            prose = ROLE.sub(lambda m: f"[`{m.group(1)}`][{self._resolve(m[1], obj)}]", parts[i])
            parts[i] = LITERAL.sub(r"`\1`", prose)
        return "".join(parts)

    def _comment_docstring(self, obj: Any) -> None:
        """An attribute's ``#:`` comments (as Sphinx reads them) become its docstring."""
        collection = obj.lines_collection
        if not obj.lineno or not obj.filepath or obj.filepath not in collection:
            return
        lines = collection[obj.filepath]
        comments, number = [], obj.lineno - 2
        while number >= 0 and lines[number].strip().startswith("#:"):
            comments.insert(0, lines[number].strip()[2:].strip())
            number -= 1
        if comments:
            obj.docstring = griffe.Docstring(" ".join(comments), parent=obj)

    def _check_documented(self) -> None:
        for page in sorted(PAGES.glob("*.md")):
            for path in DOCUMENTED.findall(page.read_text()):
                found = self._lookup(path)
                if found is None:
                    LOG.warning("%s names %s, which steep does not have", page.name, path)
                    continue
                target = found.final_target if found.is_alias else found
                self._check(path, target)
                if target.is_class:
                    for name, member in target.members.items():
                        public = not name.startswith("_") and not member.is_alias
                        if public and (member.is_function or "property" in member.labels):
                            self._check(f"{path}.{name}", member)

    def _check(self, path: str, obj: Any) -> None:
        if obj.docstring is None and path not in self.allow_missing:
            LOG.warning("%s has no docstring (%s:%s)", path, obj.relative_filepath, obj.lineno)
