"""Diagnose: probe a cost function's terrain within a budget and recommend an optimizer.

An application on steep's kernel, using only its public API. The probe is an ask/tell
optimizer run by steep's own run loop, so its evaluations are budgeted, seeded and
journaled like any run's. Its modules: ``plan`` (the budget of each phase), ``probe``
(the phases: samples, repeats, tiny slopes, walks, descents, hill tests, curvature,
separability), ``evidence`` (what they gathered), ``measures`` and ``shape`` (evidence to
findings, with their thresholds), ``findings`` (every measure applied), ``verdict`` (findings to a
recommendation), ``model`` (the values), ``api`` (:func:`diagnose`) and ``command``
(``steep diagnose``).
"""

from __future__ import annotations

from .api import diagnose
from .model import FINDING_KEYS, Diagnosis, Finding, Recommendation
from .probe import Probe

__all__ = ["FINDING_KEYS", "Diagnosis", "Finding", "Probe", "Recommendation", "diagnose"]
