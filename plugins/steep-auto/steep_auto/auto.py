"""auto: probe the landscape with a little of the budget, then hand the rest to the method
that fits it, each method run through the same ask/tell contract as in any run."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import steep
from steep_evolution import CMAES
from steep_evolution.strategy import default_popsize
from steep_newton import BFGS

from .options import AutoOptions
from .probes import CoordinateSearch, LineWalks, SeparabilityTest, separability_cost
from .stage import Stage
from .valleys import SAME_DEPTH, SAME_PLACE, WIDE, Descent, count_valleys

#: Rugged: at least this many bumps per box width along the lines, valleys narrower than a
#: sixth of the box; CMA-ES then starts its IPOP restarts from this multiple of its
#: default population, which sees through them.
RUGGED, RUGGED_POPSIZE = 6.0, 4
#: ... when the budget left affords it this many generations, else a smaller multiple.
GENERATIONS = 50
#: Fewest evaluations worth walking lines with (two lines, a box width at 48 points each).
WALKS_LEAST = 96
#: A trend beneath the ripples: a parabola explains this share of the lines' cost ranks.
TREND = 0.1
#: CMA-ES needs about this many times d² evaluations to learn a valley's shape.
LEARNING = 50
#: Candidates drawn for each spread start; the one farthest from every start and end wins.
SPREAD_CANDIDATES = 32
#: The step of the CMA-ES run that checks a bottom found, as a share of the box width.
POLISH_STEP = 0.01
#: The step of the CMA-ES run that follows bfgs down a long valley, from where it stopped.
LOCAL_STEP = 0.003


class Auto(steep.Optimizer):
    """The choice that needs no expertise: probes the landscape, then runs the method that fits.

    Before the run auto knows the dimension, the budget, the box and whether the landscape
    has an analytic slope (bfgs then uses it). During the run it learns from its first
    cups, each probe on a share of the budget, and hands the rest to the method that fits:

    1. **Separable?** Two pairs of random points swap coordinates (``4 d + 4`` evaluations,
       when that is at most ``probe_share`` of the budget). If no sum of costs changes, the
       cost is one function per coordinate (or a plateau that tells nothing), and grids
       along each coordinate (``grid_share`` of the budget) find its lowest point for
       ``d m`` evaluations instead of ``m ** d``: a scan of 24 points, then, unless every
       coordinate shows a single dip, a coarse grid, finer grids around the lowest dips and
       zooming grids. In 1-D the grids take half the budget.
    2. **Rugged?** Lines across the box in random directions, 48 points per box width (at
       most ``probe_share`` of the budget). Six bumps or more per box width is rugged
       terrain, valleys narrower than a sixth of the box and too many to visit one by one:
       CMA-ES with IPOP restarts from four times its default population (less if the budget
       left cannot pay 50 generations of it), which sees through the ripples to the trend
       beneath them, when a parabola explains a tenth of the lines' cost ranks; with no
       trend, from its default population.
    3. **One valley or several?** BFGS descends from the best point so far, then from
       spread starts (``descents``, each on at most ``descent_length`` evaluations per
       dimension):

       - the slope exactly zero at a random start: flat or stepped terrain, CMA-ES;
       - a descent still going at the end of its share: a long valley; bfgs goes on from
         where it stopped if the budget left is under ``50 d²`` (too little for CMA-ES to
         learn the valley's shape), else CMA-ES with small steps from there (smooth lines)
         or with IPOP restarts (no line walks to tell);
       - every end at the same point: one smooth valley; once ``confirm`` descents agree
         and a short CMA-ES run around the bottom finds nothing lower, the run stops as
         converged;
       - ends at the same depth (within a thousandth of the drop) in different places: a
         valley bfgs cannot settle (ill-conditioned, a ridge), CMA-ES;
       - ends at different depths, after descents that travelled an eighth of the box's
         diagonal or more (or found a valley twice): a few wide valleys, bfgs from spread
         starts one after another; after shorter descents: many narrow valleys, CMA-ES from
         large populations.
    4. **The end.** When CMA-ES runs, the last ``polish_share`` of the budget goes to bfgs
       from the best point, which settles it.

    Without a box (``steep.minimize(f, x0=...)``) there is nothing to lay grids or lines
    across: auto starts at step 3, from ``x0``, with spread starts drawn around it.

    Every choice and its evidence is a line of ``result.decisions``. The methods are the
    installed plugins' own classes (``steep-newton``'s BFGS, ``steep-evolution``'s CMA-ES)
    and auto's probes, each driven through the ask/tell contract with its own task (the
    same box, a start, the budget left, the analytic slope) and a random generator drawn
    from auto's; none is asked for more than the budget left.
    """

    name = "auto"
    Options = AutoOptions
    needs_box = False
    parallelism = (
        "asks what the method running asks: the separability swaps and each coordinate grid "
        "in one batch, bfgs's slope stencils, cma-es's populations"
    )

    def __init__(self, task: steep.Task, options: Any, rng: np.random.Generator) -> None:
        super().__init__(task, options, rng)
        self.nit = 0
        self.spent = 0
        self.best_f = math.inf
        self.best_x = np.array(task.x0, dtype=np.float64)
        self.descents: list[Descent] = []
        self.bumps: float | None = None  # bumps per box width along the line walks
        self.trend = math.nan
        self.walked = ""
        self.sampled = True  # whether the descent running started at a sampled point
        self._nit_before = 0
        self.stage: Stage | None = None
        budget, d = task.budget, self.dim
        self.descent_budget = max(1, min(budget // 2, options.descent_length * d))
        #: The last evaluations, in which the method chosen hands over to a polish.
        reserve = max(int(options.polish_share * budget), 2 * (d + 1))
        self.reserve = reserve if options.polish_share > 0 else 0
        self.checked_x = self.best_x
        self.restart_from: np.ndarray | None = None  # the first restart's start, if not spread
        self.paused: Stage | None = None  # cma-es, while bfgs polishes its best point
        #: The box widths distances are measured in (an open space's reference widths).
        self.scale = self.bounds.reference().width
        if task.gradient is not None:
            self.decisions.append("the landscape has an analytic slope: bfgs descends on it")
        if not self.bounds.finite:
            self.decisions.append(
                "no box: no grids or line walks across it; bfgs descends from x0, "
                "then from starts spread around it"
            )
            self._descend(task.x0, sampled=False)
        elif d == 1:
            self._grids(max(options.grid_share, 0.5), "1-D")
        elif separability_cost(d, 2) <= options.probe_share * budget:
            self._start("separability", SeparabilityTest, task.x0, separability_cost(d, 2))
        else:
            self._walk()

    # -- the contract ----------------------------------------------------------------

    @property
    def left(self) -> int:
        return self.task.budget - self.spent

    def ask(self) -> np.ndarray:
        return self.stage.ask(self.left)

    def tell(self, points: np.ndarray, costs: np.ndarray) -> None:
        self.spent += len(points)
        best = int(costs.argmin())
        if costs[best] < self.best_f:
            self.best_f, self.best_x = float(costs[best]), points[best].copy()
        self.stage.tell(points, costs)
        while not self.converged and self.left > 0 and self.stage.done:
            self._nit_before += self.stage.nit
            self._after(self.stage)
        if (
            self.paused is None
            and self.stage.label.startswith("cma-es")
            and 0 < self.left <= self.reserve
        ):
            self.paused = self.stage
            self._nit_before += self.stage.nit
            self.decisions.append(
                f"{self.left} evaluations left: bfgs polishes the best point "
                f"(cost {self.best_f:.6g}), then cma-es goes on with what it leaves"
            )
            self._start("polish", BFGS, self.best_x, self.left)
        self.nit = self._nit_before + self.stage.nit

    # -- stages ----------------------------------------------------------------------

    def _start(self, label: str, method: type[steep.Optimizer], x0: Any, budget: int, **options):
        x0 = self.bounds.clip(np.asarray(x0, dtype=np.float64))
        budget = max(1, min(budget, self.left))
        task = steep.Task(self.bounds, x0, budget, self.task.gradient, self.task.space)
        rng = np.random.default_rng(self.rng.integers(2**63))
        self.stage = Stage(label, method, task, method.Options(**options), rng)

    def _after(self, stage: Stage) -> None:
        """The stage is done: learn from it, and start the next."""
        if stage.label == "separability":
            test = stage.inner
            if test.separable:
                self._grids(self.options.grid_share, f"separable ({test.converged})")
            elif test.flat:
                self._grids(self.options.grid_share, f"{test.converged}: a plateau")
            else:
                self.decisions.append(f"not separable: {test.converged}")
                self._walk()
        elif stage.label == "grids":
            self.decisions.append(f"grids: {stage.converged}")
            if stage.inner.one_dip or self.dim == 1:  # descents finish it; 1-D: seen whole
                if stage.inner.one_dip:  # the lines along the axes: no bumps
                    self.bumps, self.walked = 0.0, stage.converged
                self._descend(self.best_x, sampled=False)
            else:
                self._walk()
        elif stage.label == "descent":
            self._descended(stage)
        elif stage.label == "walks":
            self._walked(stage)
        elif stage.label == "check":
            self._checked(stage)
        elif stage.label == "polish":  # cma-es goes on where it paused
            self._nit_before -= self.paused.nit  # counted when it paused
            self.stage = self.paused
        elif stage.label == "bfgs":
            self._start("bfgs", BFGS, self._spread_start(), self.left)
        elif stage.label == "cma-es local":  # IPOP goes on, from a random point
            popsize = 2 * default_popsize(self.dim)
            start = self.bounds.sample(self.rng, 1)[0]
            self._start("cma-es", CMAES, start, self.left, popsize=popsize)
        else:  # cma-es converged with budget left: it starts again, from a random point
            self._start("cma-es", CMAES, self.bounds.sample(self.rng, 1)[0], self.left)

    def _grids(self, share: float, why: str) -> None:
        self._start("grids", CoordinateSearch, self.best_x, int(share * self.task.budget))
        self.decisions.append(
            f"{why}: coordinate-wise grids through the best point for up to "
            f"{self.stage.budget} evaluations"
        )

    def _walk(self) -> None:
        """The line walks, if the budget affords them; else the first descent."""
        walks = int(self.options.probe_share * self.task.budget)
        if walks >= WALKS_LEAST:
            self._start("walks", LineWalks, self.best_x, walks)
        else:
            self._descend(self.best_x)

    def _descend(self, x0: np.ndarray, sampled: bool = True) -> None:
        """A probing descent from ``x0``: a sampled point, or where a search ended."""
        self._start("descent", BFGS, x0, self.descent_budget)
        self.sampled = sampled

    def _descended(self, stage: Stage) -> None:
        inner = stage.inner
        self.descents.append(
            Descent(
                start=np.array(inner.task.x0),
                end=stage.best_x,
                start_cost=stage.first_f,
                cost=stage.best_f,
                stopped=stage.converged,
                flat=self.sampled
                and stage.converged is not None
                and inner.nit == 0
                and not np.any(inner.g),
                spent=stage.spent,
            )
        )
        self._choose()

    def _walked(self, stage: Stage) -> None:
        self.bumps, self.trend = stage.inner.bumps, stage.inner.trend
        walked = stage.inner.converged
        if self.bumps < RUGGED:
            self.walked = walked
            return self._descend(self.best_x)
        if self.trend >= TREND:
            return self._cma(f"{walked}: rugged, on a trend", popsize_factor=RUGGED_POPSIZE)
        return self._cma(f"{walked}: rugged, with no trend to follow")

    def _choose(self) -> None:
        """After a descent: probe further, or hand the rest on."""
        last, count = self.descents[-1], len(self.descents)
        if last.flat:
            self.reserve = 0  # no slope for bfgs to polish on
            return self._cma(
                "bfgs found the slope exactly zero at a sampled point: flat or stepped terrain"
            )
        if last.stopped is None:
            why = f"bfgs was still descending after {last.spent} evaluations"
            if self.left < LEARNING * self.dim**2:
                self.restart_from = last.end  # where it stopped: go on from there
                return self._restart_bfgs(
                    f"{why}, and too few evaluations are left for cma-es to learn the "
                    "valley's shape"
                )
            if self.bumps is None:  # no walks: the valley may be rugged
                return self._cma(f"{why}: a long or rugged valley")
            return self._cma_local(f"{why}, {self.walked}: a long smooth valley")
        if count < self.options.descents:
            return self._descend(self._spread_start())
        ends = count_valleys(self.descents, self.scale)
        if ends == 1:
            if not self.options.confirm:
                return self._restart_bfgs(
                    f"bfgs from {count} spread starts ended at the same point: one smooth valley"
                )
            if count >= self.options.confirm:
                return self._check(count)
            if count == self.options.descents:
                self.decisions.append(
                    f"bfgs from {count} spread starts ended at the same point: one smooth "
                    "valley; more descents from spread starts to confirm it"
                )
            return self._descend(self._spread_start())
        costs = [d.cost for d in self.descents]
        drops = [d.start_cost - d.cost for d in self.descents]
        drop = max((x for x in drops if math.isfinite(x)), default=0.0)
        listed = f"bfgs from {count} spread starts ended in {ends} places (costs " + (
            ", ".join(f"{c:.6g}" for c in costs) + ")"
        )
        if max(costs) - min(costs) <= SAME_DEPTH * drop:
            return self._cma(f"{listed} at the same depth: one valley bfgs cannot settle")
        travel = float(np.median([d.travel(self.scale) for d in self.descents]))
        went = f"{listed}, {travel:.2f} of the diagonal from their starts"
        if ends < count or travel >= WIDE:
            return self._restart_bfgs(f"{went}: a few wide valleys")
        return self._cma(f"{went}: many narrow valleys", popsize_factor=RUGGED_POPSIZE)

    def _spread_start(self) -> np.ndarray:
        """A random start far from every start and end so far (the best of a few draws)."""
        candidates = self.bounds.sample(self.rng, SPREAD_CANDIDATES)
        seen = [d.start for d in self.descents] + [d.end for d in self.descents]
        seen = np.array(seen or [self.best_x])
        unit = (candidates[:, None, :] - seen[None]) / self.scale
        nearest = np.linalg.norm(unit, axis=2).min(axis=1)
        return candidates[int(nearest.argmax())]

    def _check(self, count: int) -> None:
        self.decisions.append(
            f"bfgs from {count} spread starts all ended at the same point (cost "
            f"{self.best_f:.6g}): one valley; cma-es with small steps checks its bottom"
        )
        self.checked_x = self.best_x
        self._start("check", CMAES, self.best_x, self.left, sigma0=POLISH_STEP, max_restarts=0)

    def _checked(self, stage: Stage) -> None:
        moved = np.linalg.norm((self.best_x - self.checked_x) / self.scale)
        if moved <= SAME_PLACE * math.sqrt(self.dim):
            self.converged = (
                f"{len(self.descents)} bfgs descents from spread starts ended at the same "
                f"point and cma-es found no other bottom near it (cost {self.best_f:.6g}): "
                "one valley, its bottom found"
            )
            self.decisions.append(self.converged)
            return
        self._cma("cma-es found the bottom elsewhere: the valley is not settled")

    def _cma(self, why: str, popsize_factor: int = 1) -> None:
        default = default_popsize(self.dim)
        while popsize_factor > 1 and self.left < GENERATIONS * popsize_factor * default:
            popsize_factor //= 2  # a large population needs generations to pay off
        popsize = popsize_factor * default if popsize_factor > 1 else None
        self._start("cma-es", CMAES, self.best_x, self.left, popsize=popsize)
        population = f", population {popsize} doubling" if popsize else ""
        self.decisions.append(
            f"{why}: cma-es with IPOP restarts{population} from the best point for the "
            f"remaining {self.left} evaluations"
        )

    def _cma_local(self, why: str) -> None:
        """CMA-ES with small steps around the best point, then IPOP from random starts."""
        self._start(
            "cma-es local", CMAES, self.best_x, self.left, sigma0=LOCAL_STEP, max_restarts=0
        )
        self.decisions.append(
            f"{why}: cma-es with steps of {LOCAL_STEP:.1%} of the box from the best point, "
            f"then with IPOP restarts, for the remaining {self.left} evaluations"
        )

    def _restart_bfgs(self, why: str) -> None:
        start, self.restart_from = self.restart_from, None
        self._start("bfgs", BFGS, self._spread_start() if start is None else start, self.left)
        first = "" if start is None else " on from where it stopped, then"
        self.decisions.append(
            f"{why}: bfgs{first} from spread starts, one after another, for the remaining "
            f"{self.left} evaluations"
        )
