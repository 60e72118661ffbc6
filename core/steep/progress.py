"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ProgressBar:
    """Counts finished items; shows done, left and the estimated time left.

    Quiet (draws nothing) unless ``stream`` is a terminal, or ``force`` is set.
    """

    def __init__(
        self, total: int, label: str, stream: TextIO | None = None, *, force: bool = False
    ) -> None:
        self.total = total
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.enabled = force or self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self.last_drawn = 0.0

    def __enter__(self) -> ProgressBar:
        self.draw()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last_drawn >= 0.1 or self.done == self.total:
            self.draw()

    def text(self, width: int = 30) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = round(width * fraction)
        bar = "#" * filled + "." * (width - filled)
        elapsed = time.monotonic() - self.started
        left = self.total - self.done
        eta = _clock(elapsed / self.done * left) if self.done else "?"
        return f"{self.label} [{bar}] {self.done}/{self.total} runs done, {left} to go, ~{eta} left"

    def draw(self) -> None:
        if not self.enabled:
            return
        self.last_drawn = time.monotonic()
        self.stream.write("\r" + self.text())
        self.stream.flush()
