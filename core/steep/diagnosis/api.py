"""``diagnose()``: the probe run through steep's own run loop, and its findings read."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..budget import Budget
from ..journal import read_journal
from ..journal_header import refuse_changes, run_header
from ..journal_writer import JournalWriter
from ..options import NoOptions
from ..plugins import get_registry
from ..problem import Problem
from ..resolve import make_problem
from ..run import Run
from .findings import read_findings
from .model import Diagnosis
from .plan import DEFAULT_BUDGET_PER_DIM, check_budget
from .probe import Probe
from .verdict import recommend

if TYPE_CHECKING:
    from ..registry import Registry


def _journal(
    path: str | os.PathLike[str],
    problem: Problem,
    limits: Budget,
    seed: int | None,
    registry: Registry,
) -> tuple[JournalWriter, list[Any], int]:
    """The journal writer, the evaluations to replay and the seed: a journal that exists
    and holds the same probe is continued, as ``steep run --journal`` continues a run."""
    contents = read_journal(path) if Path(path).exists() else None
    if seed is None:
        seed = contents.header["seed"] if contents is not None else secrets.randbelow(2**32)
    header = run_header(
        problem,
        optimizer_class=Probe,
        optimizer_name=Probe.name,
        options=NoOptions(),
        budget=attrs.asdict(limits),
        seed=seed,
        x0=None,
        registry=registry,
    )
    if contents is None:
        return JournalWriter(path, header), [], seed
    refuse_changes(path, contents.header, header, force=False)
    return JournalWriter(path, None), contents.chunks, seed


def diagnose(
    objective: Any,
    bounds: Any = None,
    *,
    dim: int | None = None,
    budget: int | None = None,
    seed: int | None = None,
    journal: str | os.PathLike[str] | None = None,
    registry: Registry | None = None,
    instance: int = 0,
    vectorized: bool = False,
) -> Diagnosis:
    """Probe the terrain of ``objective`` and recommend an optimizer for it.

    ``objective``, ``bounds``, ``dim``, ``vectorized`` and ``instance`` are as in
    :func:`steep.minimize`: a landscape name, a :class:`steep.Landscape`, or a function
    with its bounds. The probe spends at most ``budget`` evaluations (default 100 per
    dimension, at least ``10 d + 10``), counted, seeded (``seed``; drawn when ``None``)
    and journaled (``journal``, a file continued if it holds the same probe) by the same
    run loop as any run. Only optimizers registered in ``registry`` (default: the
    process's own) are recommended.
    """
    registry = registry or get_registry()
    problem = make_problem(
        objective, bounds, dim=dim, vectorized=vectorized, instance=instance, registry=registry
    )
    limits = Budget(DEFAULT_BUDGET_PER_DIM * problem.dim if budget is None else budget)
    check_budget(limits.evaluations, problem.dim)
    writer, replay = None, []
    if journal is not None:
        writer, replay, seed = _journal(journal, problem, limits, seed, registry)
    run = Run(
        problem,
        Probe,
        NoOptions(),
        budget=limits,
        seed=seed,
        registry=registry,
        journal=writer,
        replay=replay,
    )
    result = run.execute()
    findings = read_findings(run.optimizer.evidence)
    names = registry.names("optimizer")
    defaults = [name for name in names if registry.entries["optimizer"][name].default]
    installed = defaults + [name for name in names if name not in defaults]
    return Diagnosis(
        problem=problem.name,
        dim=problem.dim,
        findings=findings,
        recommendation=recommend(findings, problem.dim, installed),
        nfev=result.nfev,
        budget=limits.evaluations,
        seed=result.seed,
        stop=result.stop,
        points=result.history.x,
        costs=result.history.fun,
    )
