"""Reading the probe's evidence: every measure applied, in the order reports list them."""

from __future__ import annotations

import numpy as np

from . import measures, shape
from .evidence import Evidence
from .model import Finding


def _conditioning(evidence: Evidence, noisy: bool) -> Finding:
    steps = evidence.hessian_steps
    if steps is None:
        return shape.conditioning_finding(None, 0.0, noisy)
    stencil = [evidence.hessian_single, evidence.hessian_double, evidence.hessian_pairs]
    hessian = shape.hessian_matrix(evidence.hessian_centre_f, *stencil, steps)
    costs = np.concatenate([[evidence.hessian_centre_f], *stencil])
    return shape.conditioning_finding(
        hessian, shape.curvature_rounding(measures.finite(costs), steps), noisy
    )


def read_findings(evidence: Evidence) -> tuple[Finding, ...]:
    """The findings the evidence supports; those of phases not reached are not measured."""
    costs = evidence.sample_f
    noise = measures.noise_finding(evidence.repeats, costs)
    noisy = bool(noise.present)
    tolerance = measures.change_tolerance(evidence.repeats, costs)
    finite = measures.finite(costs)
    relief = float(np.median(finite) - evidence.best_f) if len(finite) else 0.0
    walks, widths = evidence.walks, evidence.walk_widths
    large = shape.bump_density(walks[0::2], widths[0::2], tolerance)
    small = shape.bump_density(walks[1::2], widths[1::2], tolerance)
    funnel = shape.trend(evidence.sample_u, costs, evidence.best_u)
    return (
        noise,
        measures.plateau_finding(costs, evidence.best_f),
        measures.stairs_finding(evidence.slopes, costs),
        shape.wiggles_finding(large, small, funnel),
        shape.valleys_finding(
            evidence.end_f,
            evidence.hill_links,
            evidence.hill_straight,
            tolerance,
            relief,
        ),
        _conditioning(evidence, noisy),
        measures.separability_finding(evidence.interactions, evidence.dim, noisy),
    )
