"""The leaderboard of a race as text: per problem, the fastest reliable method per tag, and
COCO's runtime ECDF."""

from __future__ import annotations

from .ecdf import ecdf_lines
from .leaderboard import format_table, format_winners, tag_winners
from .model import RaceProblem, RaceResults


def _problem_header(problem: RaceProblem, trials: int) -> str:
    tags = f" [{', '.join(problem.tags)}]" if problem.tags else ""
    head = f"{problem.key}{tags}: {trials} seeds, budget {problem.budget} evaluations"
    if problem.error is not None:
        return f"{head}\n  broken, so every run on it failed: {problem.error}"
    if problem.target_gap is None:
        return f"{head}\n  minimum unknown, so success is not defined: ranked by median best cost"
    return (
        f"{head}\n  success: best cost within {problem.target_gap:.3g} of f* = "
        f"{problem.fstar:.6g} (target {problem.target_gap / problem.scale:g} x scale "
        f"{problem.scale:.3g})"
    )


def report_lines(results: RaceResults) -> list[str]:
    """The leaderboard of every problem, then the fastest reliable method per tag."""
    tables = results.tables()
    lines = []
    for problem in results.problems:
        trials = len({r.trial for _, r in results.records_of(problem.key)})
        lines.append(_problem_header(problem, trials))
        lines.extend(f"  {row}" for row in format_table(tables[problem.key]))
        lines.append("")
    tags = {p.key: p.tags for p in results.problems}
    lines.extend(format_winners(tag_winners(tables, tags)))
    ecdf = ecdf_lines(results)
    if ecdf:
        lines.extend(["", *ecdf])
    errors = [r for r in results.records if r.stop == "error"]
    if errors:
        lines.append(
            f"{len(errors)} run(s) failed with an error; see the message column of runs.csv"
        )
    return lines
