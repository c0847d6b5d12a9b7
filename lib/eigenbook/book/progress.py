"""Live progress of long work: one status line per running task.

On a terminal the lines are redrawn in place (about twice a second); elsewhere
(a CI log, a pipe) each running task's line is printed as a plain line every
``interval`` seconds, so that a log shows that the work is alive and where it
is without flooding. Finished tasks print their final line once, above the
live block. Used by ``execute`` (one line per running chapter), ``seeds`` and
any other long runner (``benchmarks/``)::

    with Progress() as progress:
        progress.start("case-a", "case-a")
        progress.update("case-a", "call 2/5")
        progress.finish("case-a", "[ok] case-a 1.2 s")

:func:`describe` formats the line of a running chapter.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO

INTERVAL_S = 30.0
"""Seconds between plain status lines when the output is not a terminal."""
REDRAW_S = 0.5
"""Seconds between redraws on a terminal."""


def _is_tty(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


class Progress:
    """Status lines of running tasks on ``stream`` (see the module docstring).

    Parameters
    ----------
    stream : text stream, default ``sys.stderr``
    interval : seconds between plain lines when ``stream`` is not a terminal
        (``0`` or less: none, only final lines).
    tty : force terminal (``True``) or plain (``False``) mode; default: detect.
    """

    def __init__(self, stream: IO[str] | None = None, *, interval: float = INTERVAL_S,
                 tty: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.tty = _is_tty(self.stream) if tty is None else tty
        self._tasks: dict[str, tuple[str, str, float]] = {}  # key -> (label, text, start)
        self._lock = threading.RLock()
        self._drawn = 0  # live lines currently on the terminal
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_plain = time.monotonic()

    # -- tasks -------------------------------------------------------------
    def start(self, key: str, label: str | None = None) -> None:
        """A task begins (its elapsed time counts from now)."""
        with self._lock:
            self._tasks[key] = (label or key, "starting", time.monotonic())

    def update(self, key: str, text: str) -> None:
        """What the task is doing now (the part of its line after label and elapsed time)."""
        with self._lock:
            if key in self._tasks:
                label, _, t0 = self._tasks[key]
                self._tasks[key] = (label, text, t0)

    def elapsed(self, key: str) -> float:
        with self._lock:
            return time.monotonic() - self._tasks[key][2] if key in self._tasks else 0.0

    def finish(self, key: str, line: str | None = None) -> None:
        """The task ended; print its final ``line`` (if any) once."""
        with self._lock:
            self._tasks.pop(key, None)
            if line is not None:
                self.print(line)
            elif self.tty:
                self._redraw()

    def print(self, line: str) -> None:
        """Print a line above the live block (never interleaved with it)."""
        with self._lock:
            self._clear()
            self.stream.write(line + "\n")
            self._draw()

    def lines(self) -> list[str]:
        """The current status line of every running task."""
        with self._lock:
            now = time.monotonic()
            return [f"  {label:<34} {_clock(now - t0):>6}  {text}"
                    for label, text, t0 in self._tasks.values()]

    # -- rendering ---------------------------------------------------------
    def _clear(self) -> None:
        if self.tty and self._drawn:
            self.stream.write(f"\x1b[{self._drawn}F\x1b[J")
            self._drawn = 0

    def _draw(self) -> None:
        if self.tty:
            width = _width(self.stream)
            lines = [line[: width - 1] for line in self.lines()]
            if lines:
                self.stream.write("\n".join(lines) + "\n")
            self._drawn = len(lines)
        self.stream.flush()

    def _redraw(self) -> None:
        with self._lock:
            self._clear()
            self._draw()

    def tick(self) -> None:
        """One step of the display (called by the background thread; public for tests)."""
        with self._lock:
            if self.tty:
                self._redraw()
            elif self.interval > 0 and time.monotonic() - self._last_plain >= self.interval:
                self._last_plain = time.monotonic()
                for line in self.lines():
                    self.stream.write("[running]" + line[1:] + "\n")
                self.stream.flush()

    def _loop(self) -> None:
        while not self._stop.wait(REDRAW_S if self.tty else min(1.0, max(self.interval, 0.1))):
            self.tick()

    def __enter__(self) -> Progress:
        self._last_plain = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._clear()
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _width(stream) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 120


def describe(state: dict) -> str:
    """The status text of a running chapter from its worker's progress record.

    ``state``: ``{"cell": i, "of": N, "heading": "...", "slowest": [seconds, cell]}``
    (what the worker writes, :mod:`eigenbook.book.execute`).
    """
    if not state:
        return "starting kernel"
    text = f"code cell {state.get('cell', '?')}/{state.get('of', '?')}"
    if state.get("heading"):
        heading = state["heading"]
        text += f"  § {heading[:40] + '…' if len(heading) > 41 else heading}"
    slowest = state.get("slowest")
    if slowest:
        text += f"  (slowest so far: cell {slowest[1]}, {slowest[0]:.1f} s)"
    return text
