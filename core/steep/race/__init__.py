"""Races: every chosen optimizer on every chosen landscape, several seeds each.

An application on steep's kernel, using only its public API: one run is one optimizer on
one landscape in one dimension with one seed, carried out by :func:`steep.minimize`. A race
is saved to a folder (``race.json``, ``runs.csv``, ``curves.npz``) that :func:`load` reads
back for ``steep report`` and for plot plugins; while it runs, each finished run is appended
to the folder's ``runs.jsonl``, so that an interrupted race keeps its runs and
:func:`resume_race` finishes it. Its modules: ``model`` (the data), ``parse`` (what users
type), ``plan`` (seeds, scales, runs), ``execute`` (carrying runs out), ``workers`` (the
worker processes), ``store`` (the folder), ``schema`` (checking what is read back),
``runlog`` (``runs.jsonl``), ``resume`` (what may be resumed), ``leaderboard`` and
``report`` (the tables), ``command`` (``steep race`` and ``steep report``) and
``hookspecs`` (``draw_race``).
"""

from __future__ import annotations

from .execute import FinishedRun, carry_out, resume_race, run_one, run_race
from .model import RaceProblem, RaceResults, RaceSettings, RunRecord, RunSpec
from .parse import select_landscapes, select_optimizers
from .plan import build_problems, derive_seed, first_hit, landscape_scale, plan
from .report import report_lines
from .store import load, retarget, save

__all__ = [
    "FinishedRun",
    "RaceProblem",
    "RaceResults",
    "RaceSettings",
    "RunRecord",
    "RunSpec",
    "build_problems",
    "carry_out",
    "derive_seed",
    "first_hit",
    "landscape_scale",
    "load",
    "plan",
    "report_lines",
    "resume_race",
    "retarget",
    "run_one",
    "run_race",
    "save",
    "select_landscapes",
    "select_optimizers",
]
