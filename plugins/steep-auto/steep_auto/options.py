"""auto's options: the shares of the budget its probes may take, and how many descents it
compares before it chooses."""

from __future__ import annotations

import attrs
from attrs.validators import ge, gt, lt
from steep import option


@attrs.frozen
class AutoOptions:
    probe_share: float = option(
        0.1,
        "largest share of the budget the separability test and the line walks may each take "
        "(else they are skipped)",
        check=[gt(0), lt(1)],
    )
    grid_share: float = option(
        0.3,
        "share of the budget for the coordinate-wise grids of a separable cost (1-D: 0.5)",
        check=[gt(0), lt(1)],
    )
    descent_length: int = option(
        200,
        "evaluations per dimension a probing bfgs descent may take (at most half the "
        "budget); one still going then is in a long valley",
        check=ge(1),
    )
    descents: int = option(
        2, "bfgs descents from spread starts compared before choosing", check=ge(2)
    )
    confirm: int = option(
        3,
        "descents from spread starts that must all end at the same point before a last "
        "check with cma-es, after which the run stops as converged; 0: never stop early",
        check=ge(0),
    )
    polish_share: float = option(
        0.05,
        "share of the budget kept at the end for bfgs to polish the best point cma-es found",
        check=[ge(0), lt(1)],
    )
