"""Progress on the terminal for long work (a race's runs, a long run), drawn by tqdm only when
stderr is a terminal, and only once the work has taken a moment."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

#: Work shorter than this many seconds shows no bar at all.
QUIET_SECONDS = 2.0


class ProgressBar:
    """Counts finished items (``unit``: "runs", "evaluations") out of ``total``.

    Quiet (draws nothing) unless ``stream`` is a terminal or ``force`` is set; a bar
    appears after :data:`QUIET_SECONDS`, so quick work stays silent.
    """

    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        *,
        force: bool = False,
        unit: str = "runs",
        delay: float = QUIET_SECONDS,
    ) -> None:
        self.total, self.label, self.unit, self.delay = total, label, unit, delay
        self.stream = sys.stderr if stream is None else stream
        self.enabled = force or self.stream.isatty()
        self.done = 0
        self._bar: tqdm | None = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from tqdm import tqdm  # only when a bar may be drawn: `steep list` stays quick

            self._bar = tqdm(
                total=self.total or None,  # 0: not known beforehand
                desc=self.label,
                unit=f" {self.unit}",
                file=self.stream,
                delay=self.delay,
                leave=False,
                dynamic_ncols=True,
                bar_format="{desc} {bar} {n_fmt}/{total_fmt}{unit} done, ~{remaining} left",
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def draw(self) -> None:
        """Draw the bar now, not at tqdm's next interval."""
        if self._bar is not None:
            self._bar.refresh()

    def move_to(self, done: int) -> None:
        """Set the count of finished items to ``done`` (for counters kept elsewhere)."""
        self.advance(done - self.done)
