"""The docs' printed outputs, pinned to the commands that print them.

A pinned block in a page (README.md or docs/) sits between two comments, invisible in the
rendered page::

    <!-- output: steep race --landscapes valleys | keep: valleys 1-D; Fastest -->
    ```console
    $ steep race --landscapes valleys
    valleys 1-D [multimodal, separable, smooth]: 5 seeds, budget 1000 evaluations
    ...
    ```
    <!-- end output -->

The opening comment holds the command, then optional parts after `` | ``:

- ``keep: PREFIX; PREFIX``: only the paragraphs (runs of lines between blank lines) whose
  first line starts with one of the prefixes, with ``...`` where paragraphs were left out.

``python, the code above`` as the command runs the page's last ``python`` code block
before the comment, from the repository's root. The block's form is kept as it is
written: a ``console`` fence shows ``$ COMMAND`` and the output, any other fence the
output alone, and no fence the output as Markdown (a table the page renders).

Commands run with this repository's plugins only (``STEEP_PLUGINS`` names every
distribution in plugins/), in an empty temporary folder (a race's results go there), with
this Python: ``steep`` is ``python -m steep``, and script paths are the repository's.
Wall times (``12.3 ms``, ``4 s``) are the one figure that moves between identical runs:
they are ignored when blocks are compared, and a block that differs in nothing else is
left as written.

``python tests/doc_outputs.py`` reports the blocks that differ from what their commands
print now (exit status 1); ``python tests/doc_outputs.py --write`` rewrites them.
``tests/test_doc_outputs.py`` fails on each block that differs.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import itertools
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).parents[1]
WRITE = "python tests/doc_outputs.py --write"
CODE_ABOVE = "python, the code above"
BLOCK = re.compile(
    r"^<!-- output: (?P<spec>.+?) -->\n(?P<body>.*?)^<!-- end output -->$", re.M | re.S
)
PYTHON_FENCE = re.compile(r"^```python\n(?P<code>.*?)^```$", re.M | re.S)
TIME = re.compile(r" *(?<![\w.])\d+(?:\.\d+)? (?:µs|ms|s)\b")
RACE_FOLDER = re.compile(r"results/race-\d{8}-\d{6}")


def shown(page: Path) -> str:
    """The page's path as the repository names it."""
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else str(page)


def pages() -> list[Path]:
    """Every page that may hold a pinned block."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def repository_plugins() -> list[str]:
    """The distribution name of every plugin in plugins/ (its folder's name, as
    tests/test_repository.py checks)."""
    return sorted(p.parent.name for p in (ROOT / "plugins").glob("*/pyproject.toml"))


@attrs.frozen
class Block:
    """One pinned block of a page: where it is, its command, what it keeps, and its text."""

    page: Path
    start: int  # offsets of the body, between the two comments
    end: int
    command: str
    keep: tuple[str, ...]
    body: str
    code: str | None  # the code above, for ``python, the code above``

    @property
    def name(self) -> str:
        line = self.page.read_text()[: self.start].count("\n")
        return f"{shown(self.page)}:{line + 1} {self.command}"

    def expected(self) -> str:
        """The body as the command prints it now, in the block's own form."""
        output = select(run(self.command, self.code), self.keep)
        lines = self.body.splitlines()
        fence = lines[0] if lines and lines[0].startswith("```") else None
        if fence is None:
            return output + "\n"
        shown = f"$ {self.command}\n{output}" if fence == "```console" else output
        return f"{fence}\n{shown}\n```\n"

    def current(self) -> bool:
        return normalized(self.body) == normalized(self.expected())


def blocks(page: Path) -> Iterator[Block]:
    text = page.read_text()
    for match in BLOCK.finditer(text):
        command, *options = (part.strip() for part in match["spec"].split(" | "))
        keep: tuple[str, ...] = ()
        for option in options:
            key, _, value = option.partition(":")
            if key.strip() != "keep":
                raise ValueError(f"{page}: unknown option {option!r} in {match[0]!r}")
            keep = tuple(prefix.strip() for prefix in value.split(";") if prefix.strip())
        code = None
        if command == CODE_ABOVE:
            above = list(PYTHON_FENCE.finditer(text, 0, match.start()))
            if not above:
                raise ValueError(f"{page}: no python code block above {match[0]!r}")
            code = above[-1]["code"]
        yield Block(
            page, match.start("body"), match.end("body"), command, keep, match["body"], code
        )


def all_blocks() -> list[Block]:
    return [block for page in pages() for block in blocks(page)]


def argv(command: str) -> list[str]:
    """The command as this Python runs it, with the repository's scripts."""
    words = shlex.split(command)
    if words[0] == "steep":
        words = [sys.executable, "-m", "steep", *words[1:]]
    elif words[0] == "python":
        words = [sys.executable, *words[1:]]
    return [str(ROOT / w) if w.endswith(".py") and (ROOT / w).is_file() else w for w in words]


@functools.cache
def run(command: str, code: str | None = None) -> str:
    """What ``command`` (or ``code``) prints on stdout, trailing blanks stripped."""
    environment = {**os.environ, "STEEP_PLUGINS": ",".join(repository_plugins())}
    environment.pop("STEEP_STRICT_PLUGINS", None)
    words = [sys.executable, "-"] if code is not None else argv(command)
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            words,
            input=code if code is not None else "",
            capture_output=True,
            text=True,
            cwd=ROOT if code is not None else folder,
            env=environment,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed (exit {done.returncode}):\n{done.stderr}")
    return "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())


def select(output: str, keep: tuple[str, ...]) -> str:
    """The paragraphs of ``output`` that start with one of ``keep`` (all when empty), with
    ``...`` where paragraphs were left out."""
    if not keep:
        return output
    paragraphs = re.split(r"\n\s*\n", output)
    kept = [i for i, p in enumerate(paragraphs) if p.lstrip().startswith(keep)]
    if not kept:
        raise ValueError(f"no paragraph starts with any of {keep}:\n{output}")
    parts: list[str] = []
    previous = -1
    for i in kept:
        if i > previous + 1:
            parts.append("...")
        parts.append(paragraphs[i])
        previous = i
    if previous < len(paragraphs) - 1:
        parts.append("...")
    text = parts[0]
    for before, part in itertools.pairwise(parts):
        text += ("\n" if "..." in (before, part) else "\n\n") + part
    return text


def normalized(text: str) -> str:
    """``text`` without what moves between identical runs: wall times, race folders."""
    text = RACE_FOLDER.sub("results/race-<time>", text)
    return "\n".join(TIME.sub(" <time>", line).rstrip() for line in text.splitlines())


def difference(block: Block) -> str:
    """A diff of the block as written against what its command prints now; empty if none."""
    if block.current():
        return ""
    return "".join(
        difflib.unified_diff(
            block.body.splitlines(keepends=True),
            block.expected().splitlines(keepends=True),
            f"{shown(block.page)} as written",
            f"{block.command} now",
        )
    )


def write(page: Path) -> list[Block]:
    """Rewrite the blocks of ``page`` that differ; return them."""
    text = page.read_text()
    changed = [block for block in blocks(page) if not block.current()]
    for block in reversed(changed):
        text = text[: block.start] + block.expected() + text[block.end :]
    if changed:
        page.write_text(text)
    return changed


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the blocks that differ")
    parser.add_argument("pages", nargs="*", type=Path, help="only these pages (default: all)")
    options = parser.parse_args(arguments)
    chosen = [page.resolve() for page in options.pages] or pages()
    stale = 0
    for page in chosen:
        if options.write:
            for block in write(page):
                print(f"rewrote {block.name}")
            continue
        for block in blocks(page):
            diff = difference(block)
            if diff:
                stale += 1
                print(diff)
    if stale:
        print(f"{stale} block(s) differ from their commands' output: run {WRITE}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
