"""The leaderboard of a race: success rate, expected running time (ERT), gaps and times.

ERT is COCO's expected running time: the evaluations spent by all runs (a successful run
counts its evaluations until it first reached the target, a failed run its whole budget),
divided by the number of successful runs; ``inf`` when no run succeeded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

#: A method is reliable on a tag when it succeeds this often on every landscape with it.
RELIABLE_RATE = 0.8


def expected_running_time(evals_to_target: Sequence[int | None], budget: int) -> float:
    """COCO's ERT: evaluations of all runs over the number of successes.

    ``evals_to_target[i]`` is the evaluation at which run ``i`` first reached the target,
    or ``None`` when it never did (it then counts the whole ``budget``).
    """
    successes = [e for e in evals_to_target if e is not None]
    if not successes:
        return math.inf
    failures = len(evals_to_target) - len(successes)
    return (sum(successes) + failures * budget) / len(successes)


@attrs.frozen
class Standing:
    """One optimizer's line on one problem's leaderboard."""

    optimizer: str
    runs: int
    successes: int | None  # None where the minimum is unknown: success is not defined
    ert: float | None
    median_gap: float | None
    median_fun: float
    median_time: float
    median_nfev: float

    @property
    def success_rate(self) -> float | None:
        return None if self.successes is None else self.successes / self.runs

    def sort_key(self) -> tuple[Any, ...]:
        """Best first: lowest ERT, then most successes, then lowest gap; ties by name.

        Where success is undefined: lowest median cost, then fewest evaluations. Wall
        time never decides, so the order is the same on any machine.
        """
        if self.successes is None:
            return (self.median_fun, self.median_nfev, self.optimizer)
        gap = math.inf if self.median_gap is None else self.median_gap
        return (self.ert, -self.successes, gap, self.optimizer)


def _median(values: Iterable[float]) -> float:
    array = np.array(list(values), dtype=np.float64)
    return float(np.median(array)) if array.size else math.nan


def standings(records: Sequence[Any], budget: int) -> list[Standing]:
    """The standings of the optimizers in ``records`` (runs of one problem), best first.

    Each record has ``optimizer``, ``success`` (``None`` when undefined),
    ``evals_to_target``, ``gap``, ``fun``, ``elapsed`` and ``nfev``.
    """
    by_optimizer: dict[str, list[Any]] = {}
    for record in records:
        by_optimizer.setdefault(record.optimizer, []).append(record)
    lines = []
    for name, runs in by_optimizer.items():
        defined = all(r.success is not None for r in runs)
        lines.append(
            Standing(
                optimizer=name,
                runs=len(runs),
                successes=sum(bool(r.success) for r in runs) if defined else None,
                ert=expected_running_time([r.evals_to_target for r in runs], budget)
                if defined
                else None,
                median_gap=_median(r.gap for r in runs) if defined else None,
                median_fun=_median(r.fun for r in runs),
                median_time=_median(r.elapsed for r in runs),
                median_nfev=_median(r.nfev for r in runs),
            )
        )
    return sorted(lines, key=Standing.sort_key)


def format_count(value: float | None) -> str:
    if value is None:
        return "-"
    if math.isinf(value):
        return "inf"
    return f"{value:.0f}" if value < 1e6 else f"{value:.2e}"


def format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def format_table(lines: Sequence[Standing]) -> list[str]:
    """The standings as aligned text lines, a header first."""
    width = max([len("optimizer"), *(len(s.optimizer) for s in lines)])
    known = any(s.successes is not None for s in lines)
    if known:
        header = (
            f"{'optimizer':<{width}}  {'success':>11}  {'ERT (evals)':>11}  "
            f"{'median gap':>10}  {'median time':>11}"
        )
    else:
        header = (
            f"{'optimizer':<{width}}  {'median cost':>12}  {'median evals':>12}  "
            f"{'median time':>11}"
        )
    rows = [header]
    for s in lines:
        if known:
            success = (
                "-" if s.successes is None else f"{s.successes}/{s.runs} {s.success_rate:4.0%}"
            )
            gap = "-" if s.median_gap is None else f"{s.median_gap:.2e}"
            rows.append(
                f"{s.optimizer:<{width}}  {success:>11}  {format_count(s.ert):>11}  "
                f"{gap:>10}  {format_seconds(s.median_time):>11}"
            )
        else:
            rows.append(
                f"{s.optimizer:<{width}}  {s.median_fun:>12.5g}  "
                f"{format_count(s.median_nfev):>12}  {format_seconds(s.median_time):>11}"
            )
    return rows


@attrs.frozen
class TagWinner:
    """The fastest reliable optimizer on the landscapes sharing a tag."""

    tag: str
    landscapes: tuple[str, ...]
    optimizer: str | None  # None: no optimizer is reliable on every one of them
    mean_ert: float | None
    best_effort: str | None = None  # when none is reliable: the most successful one
    best_rate: float | None = None


def tag_winners(
    tables: dict[str, list[Standing]], tags: dict[str, Iterable[str]]
) -> list[TagWinner]:
    """Per tag, the reliable method with the lowest mean ERT over the tag's problems.

    ``tables`` maps a problem to its standings; ``tags`` maps it to its tags. Problems whose
    minimum is unknown (success undefined) take no part. A method is reliable when it
    succeeds in at least :data:`RELIABLE_RATE` of the runs on every problem with the tag.
    """
    by_tag: dict[str, list[str]] = {"all": []}
    for problem, table in tables.items():
        if not table or table[0].successes is None:
            continue
        by_tag["all"].append(problem)
        for tag in tags[problem]:
            by_tag.setdefault(tag, []).append(problem)
    winners = []
    for tag in sorted(by_tag, key=lambda t: (t == "all", t)):
        problems = by_tag[tag]
        if not problems:
            continue
        per_optimizer: dict[str, list[Standing]] = {}
        for problem in problems:
            for line in tables[problem]:
                per_optimizer.setdefault(line.optimizer, []).append(line)
        complete = {k: v for k, v in per_optimizer.items() if len(v) == len(problems)}
        reliable = {
            name: float(np.mean([s.ert for s in lines]))
            for name, lines in complete.items()
            if all((s.success_rate or 0.0) >= RELIABLE_RATE for s in lines)
        }
        if reliable:
            best = min(reliable, key=lambda k: (reliable[k], k))
            winners.append(TagWinner(tag, tuple(problems), best, reliable[best]))
            continue
        rates = {
            name: sum(s.successes or 0 for s in lines) / sum(s.runs for s in lines)
            for name, lines in complete.items()
        }
        effort = max(rates, key=lambda k: (rates[k], k)) if rates else None
        winners.append(
            TagWinner(
                tag,
                tuple(problems),
                None,
                None,
                effort,
                None if effort is None else rates[effort],
            )
        )
    return winners


def format_winners(winners: Sequence[TagWinner]) -> list[str]:
    """The tag summary as text lines."""
    if not winners:
        return ["No landscape with a known minimum: success, and so a winner, is not defined."]
    width = max(len(w.tag) for w in winners)
    rows = [
        f"Fastest reliable method per tag (reliable: success >= {RELIABLE_RATE:.0%} "
        "on every landscape with the tag; fastest: lowest mean ERT):"
    ]
    for w in winners:
        where = f"on {len(w.landscapes)} landscape{'s' if len(w.landscapes) > 1 else ''}"
        if w.optimizer is not None:
            rows.append(
                f"  {w.tag:<{width}}  {w.optimizer}  (mean ERT {format_count(w.mean_ert)}, {where})"
            )
        elif w.best_effort is not None:
            rows.append(
                f"  {w.tag:<{width}}  none reliable; most successful: {w.best_effort} "
                f"({w.best_rate:.0%} of runs, {where})"
            )
    return rows
