"""Progress display of the bulk export: a rich bar, plain lines, or nothing."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Protocol, TextIO

from ._constants import EXPORT_PLAIN_PROGRESS_INTERVAL

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = ["PROGRESS_MODES", "ExportProgress", "make_progress"]

PROGRESS_MODES = ("auto", "bar", "plain", "off")


class ExportProgress(Protocol):
    """What the export reports while it runs."""

    def start(self, *, total: int | None, completed: int) -> None:
        """Begin; `completed` is non-zero when resuming."""

    def set_total(self, total: int) -> None:
        """The total became known (from the first page's `total_records`)."""

    def advance(self, rows: int) -> None:
        """`rows` more customers were written."""

    def stop(self) -> None:
        """Remove or finish the display (always called, also on failure)."""


class NoProgress:
    """Quiet: for pipes and logs."""

    def start(self, *, total: int | None, completed: int) -> None:
        return None

    def set_total(self, total: int) -> None:
        return None

    def advance(self, rows: int) -> None:
        return None

    def stop(self) -> None:
        return None


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class PlainProgress:
    """A line every few seconds: count, rate, ETA (no rich needed)."""

    def __init__(self, stream: TextIO, *, interval: float = EXPORT_PLAIN_PROGRESS_INTERVAL) -> None:
        self._stream = stream
        self._interval = interval
        self._total: int | None = None
        self._completed = 0
        self._initial = 0
        self._started = 0.0
        self._last_line = 0.0

    def start(self, *, total: int | None, completed: int) -> None:
        self._total = total
        self._completed = self._initial = completed
        self._started = self._last_line = time.monotonic()

    def set_total(self, total: int) -> None:
        self._total = total

    def advance(self, rows: int) -> None:
        self._completed += rows
        now = time.monotonic()
        if now - self._last_line >= self._interval:
            self._last_line = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self._started, 1e-9)
        rate = (self._completed - self._initial) / elapsed
        if self._total is not None:
            count = f"{self._completed:,}/{self._total:,}"
            left = max(self._total - self._completed, 0)
            eta = f", ETA {_duration(left / rate)}" if rate > 0 else ""
        else:
            count, eta = f"{self._completed:,}", ""
        print(f"exported {count} customers ({rate:,.0f}/s{eta})", file=self._stream, flush=True)

    def stop(self) -> None:
        return None


class RichProgress:
    """A rich progress bar on stderr: count, percentage, rate, elapsed and ETA."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress: Progress = Progress(
            TextColumn("[bold]exporting customers"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._task: TaskID | None = None

    def start(self, *, total: int | None, completed: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task("export", total=total, completed=completed, rate="")

    def set_total(self, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, total=total)

    def advance(self, rows: int) -> None:
        if self._task is None:
            return
        self._progress.update(self._task, advance=rows)
        speed = self._progress.tasks[self._task].speed
        if speed:
            self._progress.update(self._task, rate=f"{speed:,.0f}/s")

    def stop(self) -> None:
        self._progress.stop()


def make_progress(mode: str, stream: TextIO | None = None) -> ExportProgress:
    """`auto`: a rich bar when `stream` is a terminal and rich is installed, plain lines on a
    terminal without rich, nothing when piped. `bar`, `plain`, `off` force a style."""
    stream = stream if stream is not None else sys.stderr
    if mode == "off":
        return NoProgress()
    if mode == "plain":
        return PlainProgress(stream)
    if mode == "auto" and not stream.isatty():
        return NoProgress()
    try:
        return RichProgress(stream)
    except ImportError:
        return PlainProgress(stream)
