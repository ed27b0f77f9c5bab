"""What docgen tells people: diagnostics, progress and a summary, on stderr.

Machine-read output (`parse --json`, `lint`, drift listings) stays on stdout,
untouched by anything here except diagnostic color on a terminal. Color and the
progress bar appear on terminals only, so CI logs and pipes get plain lines;
``NO_COLOR`` (any non-empty value) turns color off, ``FORCE_COLOR`` on.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, TextIO

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:  # rich.progress is imported only when a bar is drawn (start-up time)
    from rich.progress import Progress, TaskID

from .model import Diagnostic

QUIET, NORMAL, VERBOSE = -1, 0, 1

# A build this short finishes before a bar would help; showing one only flickers.
PROGRESS_DELAY = 1.0

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def wants_color(stream: IO[str], env: dict[str, str] | None = None) -> bool:
    """Color only on a terminal, unless NO_COLOR or FORCE_COLOR says otherwise.

    NO_COLOR wins over FORCE_COLOR (https://no-color.org: "regardless of").
    """
    env = dict(os.environ) if env is None else env
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_console(stream: TextIO, env: dict[str, str] | None = None) -> Console:
    """A rich console that writes lines verbatim: no wrapping, markup or emoji.

    Without color it emits no escape codes at all (rich's own NO_COLOR handling
    still emits bold, hence ``color_system=None``).
    """
    color = wants_color(stream, env)
    return Console(
        file=stream,
        color_system="auto" if color else None,
        force_terminal=True if color and not is_terminal(stream) else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


# Characters that would let a file name or page text move the cursor, color the
# terminal or start a line of its own (and so forge a `path:line:col:` line).
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _needs_escape(ch: str) -> bool:
    code = ord(ch)
    return (
        code < 0x20
        or 0x7F <= code < 0xA0
        or ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        or 0xD800 <= code <= 0xDFFF
    )


def escape(text: str) -> str:
    """`text` with control characters, escape codes, line breaks, bidi controls and
    undecodable bytes written as `\\n`, `\\x1b`, `\\u202e`..., so one message stays one
    plain line whatever a file name or a page holds."""
    if not any(_needs_escape(ch) for ch in text):
        return text
    return "".join(_escape_char(ch) if _needs_escape(ch) else ch for ch in text)


def diagnostic_text(d: Diagnostic, where: Callable[[str], str] | None = None) -> Text:
    """`path:line:col: severity CODE message`, the severity and code styled.

    `where` turns the page's name in the model (relative to its docs folder)
    into the path the user gave; everything printed is escaped.
    """
    path = where(d.path) if where is not None else d.path
    text = Text(f"{escape(path)}:{d.line}:{d.col}: ")
    text.append(f"{d.severity} {d.code}", style=SEVERITY_STYLE.get(d.severity, ""))
    text.append(f" {escape(d.message)}")
    return text


def shown(path: Path) -> str:
    """`path` as the user would type it: relative to the working directory when inside it."""
    try:
        absolute = Path(os.path.abspath(path))
        return str(absolute.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Reporter:
    """Everything a command says on stderr, at one verbosity.

    Quiet: errors only. Normal: errors, a warning count, a progress bar (on a
    terminal, for runs over a second) and a one-line summary. Verbose: every
    warning and the time of each stage too.
    """

    def __init__(
        self,
        verbosity: int = NORMAL,
        stream: TextIO | None = None,
        env: dict[str, str] | None = None,
        progress: bool = False,
        progress_delay: float = PROGRESS_DELAY,
    ) -> None:
        self.verbosity = verbosity
        self.stream = stream if stream is not None else sys.stderr
        self.console = make_console(self.stream, env)
        self.started = time.monotonic()
        self.pages = 0
        self.stages: list[tuple[str, float]] = []
        # How a page's name in the model is shown (the CLI maps it to the path given).
        self.where: Callable[[str], str] | None = None
        self._stage_start = self.started
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._live = False
        self._lock = threading.Lock()
        if progress and verbosity > QUIET and is_terminal(self.stream):
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._task = self._progress.add_task("starting", total=None)
            self._timer = threading.Timer(progress_delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    # --- progress ---

    def _show(self) -> None:
        with self._lock:
            if self._progress is not None and not self._live:
                self._progress.start()
                self._live = True

    def stage(self, name: str, total: int | None = None) -> None:
        """Start a pipeline stage; `total` items when known (pages, files)."""
        now = time.monotonic()
        if self.stages:
            previous, _ = self.stages[-1]
            self.stages[-1] = (previous, now - self._stage_start)
        self.stages.append((name, 0.0))
        self._stage_start = now
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=name, total=total, completed=0)

    def advance(self, done: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, done)

    def close(self) -> None:
        """Stop the bar (it leaves nothing behind) and end the last stage."""
        if self.stages:
            name, _ = self.stages[-1]
            self.stages[-1] = (name, time.monotonic() - self._stage_start)
            self._stage_start = time.monotonic()
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._progress is not None and self._live:
                self._progress.stop()
            self._live = False
            self._progress = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- lines ---

    def line(self, text: str | Text, *, level: int = NORMAL) -> None:
        """Print one line if the verbosity allows (above the bar while it runs)."""
        if self.verbosity >= level:
            self.console.print(text)

    def error(self, message: str) -> None:
        text = Text("docgen: ")
        text.append("error:", style=SEVERITY_STYLE["error"])
        text.append(f" {escape(message)}")
        self.console.print(text)

    def warning(self, message: str) -> None:
        """`docgen: warning: ...` unless quiet (not a diagnostic: no page to point at)."""
        text = Text("docgen: ")
        text.append("warning:", style=SEVERITY_STYLE["warning"])
        text.append(f" {escape(message)}")
        self.line(text)

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
        """Errors always, warnings when verbose (else counted); returns (errors, warnings)."""
        errors = warnings = 0
        for d in diagnostics:
            if d.severity == "error":
                errors += 1
                self.console.print(diagnostic_text(d, self.where))
            else:
                warnings += 1
                self.line(diagnostic_text(d, self.where), level=VERBOSE)
        if errors:
            self.console.print(
                Text(
                    f"{plural(errors, 'error')}, {plural(warnings, 'warning')}: nothing written",
                    style=SEVERITY_STYLE["error"],
                )
            )
        return errors, warnings

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self, what: str, warnings: int) -> None:
        """The closing line: `docgen: <what>; N warnings; 1.2s` (and stage times if verbose)."""
        self.close()
        text = Text()
        text.append("docgen:", style="bold")
        text.append(f" {escape(what)}; ")
        style = SEVERITY_STYLE["warning"] if warnings else ""
        text.append(plural(warnings, "warning"), style=style)
        if warnings and self.verbosity < VERBOSE:
            text.append(" (-v lists them)")
        text.append(f"; {self.elapsed():.1f}s")
        self.line(text)
        if self.stages:
            times = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.stages)
            self.line(f"docgen: time by stage: {times}", level=VERBOSE)
