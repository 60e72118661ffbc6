"""The words that describe a landscape's terrain, so users and races can select by property."""

from __future__ import annotations

import re

KNOWN_TAGS: dict[str, str] = {
    "smooth": "continuous with a continuous slope: finite differences work",
    "unimodal": "a single valley: any descent reaches the bottom",
    "multimodal": "several valleys: descent ends in whichever one it starts in",
    "rugged": "small wiggles on top of the trend trap small steps",
    "stepped": "the cost moves in discrete jumps, flat almost everywhere",
    "plateau": "wide flat regions where the slope says nothing",
    "noisy": "the same point scores differently each time",
    "ill-conditioned": "much steeper in some directions than others",
    "separable": "the cost is a sum of one-dimensional costs",
}

TAG_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
