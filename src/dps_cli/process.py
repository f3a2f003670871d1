"""How dps behaves as a Unix process: signals and the standard streams.

- SIGINT (Ctrl-C) and SIGTERM end a run with one line on stderr and exit
  130 / 143 (128 + the signal), whatever is under way.
- A reader that stops reading (``dps validate . | head -1``) ends the run
  quietly with exit 141 (128 + SIGPIPE), as tools killed by SIGPIPE do.
- A closed standard output (``>&-``) is one error line and exit 2: the report
  cannot be delivered.  A closed standard error is treated as /dev/null.
- Text that the output encoding cannot hold is escaped, never a crash.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO, Any, NoReturn

EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
EXIT_STDOUT_CLOSED = 2


class Interrupted(BaseException):
    """A signal asked dps to stop (a BaseException, so no handler on the way mistakes it for an error)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        return "dps: interrupted" if self.signum == signal.SIGINT else "dps: terminated"


class OutputClosed(BaseException):
    """Standard output cannot take the report: its reader has gone, or it was never open."""

    def __init__(self, *, broken_pipe: bool) -> None:
        super().__init__("broken pipe" if broken_pipe else "standard output is closed")
        self.broken_pipe = broken_pipe


class GuardedOutput:
    """Standard output that reports a gone reader or a closed descriptor as :class:`OutputClosed`."""

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if self._stream is None:
            raise OutputClosed(broken_pipe=False)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise OutputClosed(broken_pipe=True) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed(broken_pipe=True) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


@contextmanager
def handled() -> Iterator[None]:
    """Turn a signal or a closed output inside the block into its exit code and message."""
    try:
        try:
            yield
        finally:  # the report's last bytes reach the reader here, not in the flush at exit
            sys.stdout.flush()
    except Interrupted as stop:
        print(stop.message, file=sys.stderr)
        sys.exit(stop.exit_code)
    except OutputClosed as closed:
        sys.exit(output_closed(closed))


def finish(code: object) -> NoReturn:
    """End a command-line run with exit ``code`` once its output is out, skipping the interpreter's teardown.

    Freeing every object one by one takes longer than a small run's work; nothing is
    left to do by then (files are closed, workers joined), so the process ends at once
    after flushing both streams.  Anything unusual (a code that is not a number, a
    stream that cannot be flushed) ends the ordinary way instead.
    """
    code = 0 if code is None else code
    if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 255:
        raise SystemExit(code)
    with handled():  # a reader gone or a signal now still ends the run as they always do
        sys.stdout.flush()
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


def install() -> None:
    """Signal handlers and guarded standard streams for a command-line run (once per process)."""
    if isinstance(sys.stdout, GuardedOutput):
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _raise_interrupted)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        _escape_unencodable(stream)
    sys.stdout = GuardedOutput(sys.stdout)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _escape_unencodable(stream: IO[str] | None) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
        reconfigure(errors="backslashreplace")


def output_closed(error: OutputClosed) -> int:
    """Say what happened (nothing, for a gone reader) and give the exit code."""
    if error.broken_pipe:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    print("dps: error: standard output is closed, so there is nowhere to write the report", file=sys.stderr)
    print("  hint: send it to a file, or to /dev/null if only the exit code matters", file=sys.stderr)
    return EXIT_STDOUT_CLOSED


def _silence_stdout() -> None:
    """Point descriptor 1 at /dev/null, so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
