"""The base of every BBOB landscape: COCO's own problem, built through cocoex on first use."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import steep

REFERENCE = (
    "N. Hansen, S. Finck, R. Ros and A. Auger 2009, Real-parameter black-box optimization "
    "benchmarking 2009: noiseless functions definitions, INRIA research report RR-6829"
)

#: COCO builds its rotation matrices only while dim² < 2000 (an assertion in its BBOB legacy
#: code that release builds compile out): past 44 a stack buffer overflows and Python dies.
MAX_ROTATED_DIM = 44

#: cocoex takes the instance as a C int, and instance 2**31 - 1 is instance 0 again.
MAX_SEED = 2**31 - 3


class BBOBLandscape(steep.Landscape):
    """One of COCO's noiseless BBOB functions; ``seed`` s is COCO's instance s + 1.

    The cocoex problem is made on first use, not at construction, so listing and pickling
    stay cheap and the C object never crosses a process boundary: each process builds its
    own, and cocoex frees it when the landscape is collected.
    """

    #: COCO's function number, 1 to 24.
    number: ClassVar[int]
    #: The dimensions COCO computes: none in 1-D (its formulas divide by dim - 1), and for
    #: the functions it rotates no more than MAX_ROTATED_DIM.
    min_dim: ClassVar[int] = 2
    max_dim: ClassVar[int | None]
    reference: ClassVar[str] = REFERENCE
    lower, upper = -5.0, 5.0
    default_dim = 2

    def __init__(self, dim: int | None = None, seed: int | None = 0) -> None:
        if seed is not None and (
            isinstance(seed, bool)
            or not isinstance(seed, (int, np.integer))
            or not 0 <= seed <= MAX_SEED
        ):
            raise steep.UsageError(
                f"landscape {self.name!r}: seed (COCO instance - 1) must be an integer "
                f"from 0 to {MAX_SEED}, got {seed!r}"
            )
        super().__init__(dim, seed)
        self.instance = 1 if seed is None else int(seed) + 1
        self._problem: Any = None

    @classmethod
    def check_dim(cls, dim: int | None) -> int:
        """Also refuses the dimensions COCO does not compute (``min_dim``, ``max_dim``)."""
        dim = super().check_dim(dim)
        if dim < cls.min_dim or (cls.max_dim is not None and dim > cls.max_dim):
            allowed = f"{cls.min_dim} to {cls.max_dim}" if cls.max_dim else f"from {cls.min_dim} on"
            raise steep.UsageError(
                f"landscape {cls.name!r} takes dimensions {allowed} (what COCO computes), "
                f"cannot take dim={dim}"
            )
        return dim

    @property
    def problem(self) -> Any:
        """COCO's unobserved problem for this function, dimension and instance."""
        if self._problem is None:
            import cocoex  # here, not at module level: `steep list` imports every plugin

            self._problem = cocoex.BareProblem("bbob", self.number, self.dim, self.instance)
        return self._problem

    @property
    def minimum(self) -> steep.Minimum:
        return steep.Minimum(self.problem.best_parameter(), self.problem.best_value())

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        points = np.ascontiguousarray(X, dtype=np.float64)  # cocoex reads C-ordered doubles
        if points.ndim != 2 or points.shape[1] != self.dim:
            # cocoex reads dim numbers per row whatever the row's length: past its end if shorter
            raise steep.UsageError(
                f"landscape {self.name!r} in {self.dim}-D: points must have shape "
                f"(n, {self.dim}), got {points.shape}"
            )
        return self.problem(points)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_problem": None}  # a C object: the receiver builds its own
