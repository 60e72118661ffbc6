"""steep: find the bottom of a cost function, see why an optimizer failed, plug in your own."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("steep")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .api import (
    LandscapeInfo,
    OptimizerInfo,
    landscapes,
    make_problem,
    minimize,
    optimizers,
    resume,
)
from .errors import PluginError, SteepError, UsageError
from .evaluator import Evaluator, Outcome
from .hookspecs import hookimpl
from .landscape import Landscape, Minimum
from .optimizer import Optimizer, Task
from .options import NoOptions, option
from .problem import Problem
from .result import History, Result
from .run import Budget, Run
from .space import Bounds

__all__ = [
    "Bounds",
    "Budget",
    "Evaluator",
    "History",
    "Landscape",
    "LandscapeInfo",
    "Minimum",
    "NoOptions",
    "Optimizer",
    "OptimizerInfo",
    "Outcome",
    "PluginError",
    "Problem",
    "Result",
    "Run",
    "SteepError",
    "Task",
    "UsageError",
    "__version__",
    "hookimpl",
    "landscapes",
    "make_problem",
    "minimize",
    "optimizers",
    "option",
    "resume",
]
