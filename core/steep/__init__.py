"""steep: find the bottom of a cost function, see why an optimizer failed, plug in your own."""

from __future__ import annotations

from .api import maximize, minimize, resume
from .asktell import AskTell
from .catalogue import LandscapeInfo, OptimizerInfo, landscapes, optimizers
from .diagnosis import Diagnosis, diagnose  # last: the probe subclasses steep.Optimizer
from .errors import PluginError, PluginWarning, SteepError, SteepWarning, UsageError
from .evaluator import Evaluator, Outcome
from .journal import JournalError
from .landscape import Landscape, Minimum
from .markers import hookimpl, hookspec
from .optimizer import Optimizer, Task
from .options import NoOptions, option
from .problem import Problem
from .registry import Registry
from .resolve import make_problem
from .result import History, Result
from .result_file import load_result, save_result
from .run import Budget, Run
from .space import Bounds
from .spaces import Choice, Integer, Real, Space
from .version import __version__

__all__ = [
    "AskTell",
    "Bounds",
    "Budget",
    "Choice",
    "Diagnosis",
    "Evaluator",
    "History",
    "Integer",
    "JournalError",
    "Landscape",
    "LandscapeInfo",
    "Minimum",
    "NoOptions",
    "Optimizer",
    "OptimizerInfo",
    "Outcome",
    "PluginError",
    "PluginWarning",
    "Problem",
    "Real",
    "Registry",
    "Result",
    "Run",
    "Space",
    "SteepError",
    "SteepWarning",
    "Task",
    "UsageError",
    "__version__",
    "diagnose",
    "hookimpl",
    "hookspec",
    "landscapes",
    "load_result",
    "make_problem",
    "maximize",
    "minimize",
    "optimizers",
    "option",
    "resume",
    "save_result",
]
