"""The HTML report: one self-contained page (``index.html``) beside the pictures, with every
leaderboard table and every picture, readable from the folder with no server."""

from __future__ import annotations

import html
import re
from pathlib import Path

from steep.race import RaceProblem, RaceResults, report_lines

from .style import file_name

PAGE = "index.html"
PICTURES = (".png", ".gif")
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #e4e4e4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tbody tr:first-child td { font-weight: bold; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
img { max-width: 100%; height: auto; display: block; margin: 0.5em 0 1.5em; }
nav a { margin-right: 0.8em; white-space: nowrap; } .note { color: #555; }
"""


def _blocks(race: RaceResults) -> tuple[dict[str, tuple[str, list[str]]], list[str], list[str]]:
    """``steep report``'s lines cut up: per problem its header and table rows; the summary
    after the tables; and all the lines. A block that does not have the expected shape
    is left out (and shown only in the full text)."""
    lines = report_lines(race)
    tables = race.tables()
    blocks, position = {}, 0
    for problem in race.problems:
        size = 3 + len(tables[problem.key])
        block = lines[position : position + size]
        if len(block) == size and block[-1] == "" and block[0].startswith(problem.key):
            blocks[problem.key] = (block[0], [row.strip() for row in block[1:-1]])
        position += size
    return blocks, lines[position:], lines


def _table(rows: list[str]) -> str:
    """A leaderboard as an HTML table: its columns are separated by two spaces or more."""
    head, *body = (re.split(r"\s{2,}", row) for row in rows)
    out = ["<table>", "<thead><tr>", *(f"<th>{html.escape(c)}</th>" for c in head), "</tr></thead>"]
    out.append("<tbody>")
    for cells in body:
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _picture(name: str, alt: str) -> str:
    href, text = html.escape(name, quote=True), html.escape(alt, quote=True)
    return f'<a href="{href}"><img src="{href}" alt="{text}" loading="lazy"></a>'


def _problem_pictures(problem: RaceProblem) -> list[tuple[str, str]]:
    return [
        (file_name("convergence", problem), f"convergence on {problem.key}"),
        (file_name("paths", problem), f"paths on {problem.key}"),
        (file_name("animation", problem, "gif"), f"animation on {problem.key}"),
    ]


def _anchor(problem: RaceProblem) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", problem.key.lower()).strip("-")


def _settings(race: RaceResults) -> str:
    settings = race.settings
    seeds = settings.get("seeds") or settings.get("trials")
    parts = [
        f"{len(race.optimizers)} optimizers ({', '.join(race.optimizers)})",
        f"{len(race.problems)} problems",
        f"seeds: {seeds}",
        f"budget: {settings.get('budget') or '1000 × dimension'}",
        f"target: {settings.get('target')} × scale",
    ]
    text = "; ".join(html.escape(str(p)) for p in parts)
    if not race.complete:
        text += f" <strong>(unfinished: {len(race.records)} of {race.planned} runs)</strong>"
    return f"<p>{text}</p>"


def write_html_report(race: RaceResults, folder: Path) -> Path:
    """Write ``folder/index.html``: the settings, the scoreboard and ECDF, the summaries
    that follow the tables in ``steep report`` (the fastest reliable method per tag, the
    ECDF table), then per problem its leaderboard and pictures, and ``steep report``'s
    text. Pictures
    are linked by relative name, and only those present in ``folder`` (any other PNG or GIF
    there is listed at the end); returns the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    present = {p.name for p in folder.iterdir() if p.suffix in PICTURES}
    shown: set[str] = set()
    blocks, summary, lines = _blocks(race)
    title = f"steep race {race.created}".strip()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        _settings(race),
    ]
    files = [n for n in ("race.json", "runs.csv", "curves.npz") if (folder.parent / n).is_file()]
    if files:
        links = ", ".join(f'<a href="../{n}">{n}</a>' for n in files)
        out.append(
            f'<p class="note">The race itself: {links} (read by <code>steep report</code>).</p>'
        )
    out.append(
        "<nav>"
        + "".join(f'<a href="#{_anchor(p)}">{html.escape(p.key)}</a>' for p in race.problems)
        + "</nav>"
    )
    for name, heading in (("scoreboard.png", "Scoreboard"), ("ecdf.png", "Runtime ECDF")):
        if name in present:
            out += [f"<h2>{heading}</h2>", _picture(name, heading)]
            shown.add(name)
    if summary:
        out += [
            "<h2>Summary: the fastest reliable method per tag, the runtime ECDF</h2>",
            f"<pre>{html.escape(chr(10).join(summary).strip())}</pre>",
        ]
    for problem in race.problems:
        out.append(f'<h2 id="{_anchor(problem)}">{html.escape(problem.key)}</h2>')
        if problem.key in blocks:
            header, rows = blocks[problem.key]
            first, *rest = header.split("\n")
            out.append(f"<p><strong>{html.escape(first)}</strong><br>")
            out.append("<br>".join(html.escape(line.strip()) for line in rest) + "</p>")
            out.append(_table(rows))
        for name, alt in _problem_pictures(problem):
            if name in present:
                out.append(_picture(name, alt))
                shown.add(name)
    others = sorted(present - shown)
    if others:
        out.append("<h2>Other pictures</h2>")
        out += [_picture(name, name) for name in others]
    out += [
        "<h2>The leaderboard as text</h2>",
        "<details><summary><code>steep report</code> of this race</summary>",
        f"<pre>{html.escape(chr(10).join(lines))}</pre></details>",
        "</body></html>",
    ]
    path = folder / PAGE
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
