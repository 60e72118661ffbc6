"""COCO's 24 noiseless BBOB functions as steep landscapes, bbob-f1 ... bbob-f24, evaluated by
COCO's own code through cocoex (imported only when a landscape is first evaluated)."""

from __future__ import annotations

import steep

from .coco import BBOBLandscape
from .functions import BBOB, GROUPS

__all__ = ["BBOB", "GROUPS", "BBOBLandscape"]


@steep.hookimpl
def register_landscapes(register):
    for landscape in BBOB:
        register(landscape)
