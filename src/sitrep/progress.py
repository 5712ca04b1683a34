"""A Rich progress bar (rate and ETA) that appears only when work takes over a second.

Short jobs print nothing but their result; long ones show how fast they go and when
they will end, on stderr so that data on stdout stays clean.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

SHOW_AFTER_S = 1.0


class RateColumn(ProgressColumn):
    """Items per second, once there is a rate to show."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f} {self.unit}/s", style="cyan")


class DelayedProgress:
    """Call `update(done, total)` as work completes; `close()` at the end."""

    def __init__(self, description: str, unit: str, console: Console) -> None:
        self.started = time.monotonic()
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(unit),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(description, total=None, start=True)
        self.shown = False

    def update(self, done: int, total: int) -> None:
        """Record progress; the bar appears once a second has passed."""
        self.progress.update(self.task, completed=done, total=total)
        if not self.shown and time.monotonic() - self.started > SHOW_AFTER_S:
            self.progress.start()
            self.shown = True

    def close(self) -> None:
        """Stop the live display (if it was shown)."""
        if self.shown:
            self.progress.stop()
