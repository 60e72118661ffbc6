"""The outputs printed in the docs are what their commands print now (tests/doc_outputs.py)."""

from __future__ import annotations

import importlib.metadata
import textwrap

import doc_outputs
import pytest

BLOCKS = doc_outputs.all_blocks()


def missing_plugins() -> list[str]:
    missing = []
    for name in doc_outputs.repository_plugins():
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    return missing


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.name)
def test_each_pinned_output_is_what_its_command_prints_now(block):
    missing = missing_plugins()
    if missing:
        pytest.skip(f"the docs' outputs are of every plugin of the repository; missing {missing}")
    if "bench_" in block.command + (block.code or ""):
        pytest.importorskip("scipy")
    assert block.current(), (
        f"{block.name}: the page differs from what the command prints now "
        f"(wall times aside); run {doc_outputs.WRITE}\n{doc_outputs.difference(block)}"
    )


def test_the_pages_with_drifting_figures_pin_them():
    pinned = {str(block.page.relative_to(doc_outputs.ROOT)) for block in BLOCKS}
    assert pinned >= {
        "README.md",
        "docs/race.md",
        "docs/diagnose.md",
        "docs/benchmarks.md",
        "docs/benchmarks/gradient.md",
    }


PAGE = """\
# A page

```python
print("table 1-D\\n  annealing  3/5  12.5 ms\\n\\ncurves\\n\\nsummary: annealing")
print("\\nSaved 5 runs to results/race-20261202-005050/")
```

<!-- output: python, the code above | keep: table; summary -->
```
table 1-D
  annealing  FIGURE  WALL
...
summary: annealing
...
```
<!-- end output -->

<!-- output: python -c "print(6 * 7)" -->
```console
$ python -c "print(6 * 7)"
ANSWER
```
<!-- end output -->
"""


def written(figure: str, wall: str, answer: str) -> str:
    return PAGE.replace("FIGURE", figure).replace("WALL", wall).replace("ANSWER", answer)


def test_a_changed_figure_is_found_and_rewritten_but_a_wall_time_is_not(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(written("3/5", "99.9 ms", "42"))
    block, answer = doc_outputs.blocks(page)
    assert block.keep == ("table", "summary")
    assert block.current() and answer.current()  # only the time differs
    assert doc_outputs.write(page) == [] and page.read_text() == written("3/5", "99.9 ms", "42")

    page.write_text(written("4/5", "99.9 ms", "41"))
    block, answer = doc_outputs.blocks(page)
    assert not block.current() and not answer.current()
    assert "-  annealing  4/5  99.9 ms\n+  annealing  3/5  12.5 ms" in doc_outputs.difference(block)
    assert doc_outputs.main([str(page)]) == 1
    assert [b.command for b in doc_outputs.write(page)] == [block.command, answer.command]
    assert page.read_text() == written("3/5", "12.5 ms", "42")
    assert doc_outputs.main([str(page)]) == 0


def test_a_block_that_keeps_nothing_or_a_command_that_fails_is_an_error(tmp_path):
    page = tmp_path / "page.md"
    failing = '<!-- output: python -c "raise SystemExit(3)" -->\n```\n```\n<!-- end output -->\n'
    page.write_text(failing)
    (block,) = doc_outputs.blocks(page)
    with pytest.raises(RuntimeError, match="exit 3"):
        block.expected()
    page.write_text(
        textwrap.dedent("""\
            <!-- output: python -c "print(1)" | keep: nothing -->
            ```
            ```
            <!-- end output -->
            """)
    )
    (block,) = doc_outputs.blocks(page)
    with pytest.raises(ValueError, match="no paragraph starts with"):
        block.expected()
