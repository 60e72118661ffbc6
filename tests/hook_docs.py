"""docs/plugin-hooks.md's hook sections, rendered from the docstrings that declare the hooks.

``python tests/hook_docs.py`` rewrites the page's generated part; a test checks it is current.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from steep import hookspecs
from steep.diagnosis import hookspecs as diagnosis_hookspecs
from steep.race import hookspecs as race_hookspecs

PAGE = Path(__file__).parents[1] / "docs" / "plugin-hooks.md"
MARK = "<!-- generated from the hook specifications' docstrings: python tests/hook_docs.py -->"
GROUPS = [
    ("Hooks of the kernel", "core/steep/hookspecs.py", hookspecs),
    ("Hooks of the race application", "core/steep/race/hookspecs.py", race_hookspecs),
    ("Hooks of the diagnose application", "core/steep/diagnosis/hookspecs.py", diagnosis_hookspecs),
]


def _markdown(docstring: str) -> str:
    text = re.sub(r":\w+:`([^`]+)`", r"`\1`", docstring)
    text = text.replace("``", "`")
    return re.sub(
        r"::\n\n((?:    .*\n|\n)+)",
        lambda m: (
            ":\n\n```python\n"
            + "\n".join(line[4:] for line in m.group(1).rstrip().splitlines())
            + "\n```\n\n"
        ),
        text + "\n",
    ).strip()


def render() -> str:
    parts = [MARK, ""]
    for title, path, module in GROUPS:
        parts += [f"## {title}", "", f"Declared in [`{path}`](../{path}).", ""]
        declared = hookspecs.specifications(module).items()
        for name, function in sorted(declared, key=lambda item: item[1].__code__.co_firstlineno):
            signature = str(inspect.signature(function)).replace("'", "")
            parts += [
                f"### {name}",
                "",
                f"`{name}{signature}`",
                "",
                _markdown(inspect.getdoc(function)),
                "",
            ]
    return "\n".join(parts)


def written() -> str:
    text = PAGE.read_text()
    return text[text.index(MARK) :] if MARK in text else ""


if __name__ == "__main__":
    text = PAGE.read_text()
    intro = text[: text.index(MARK)] if MARK in text else text
    PAGE.write_text(intro + render())
    sys.exit(0)
