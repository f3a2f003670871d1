"""Forked worker processes for big batches, that never outlive the command.

Each worker has a pipe of its own and at most one chunk in hand, so there is
no shared lock a killed process could leave held (the reason a pool's
terminate can hang).  Workers ignore SIGINT: Ctrl-C reaches the whole process
group, and only the parent decides; on the way out, normal or not, the parent
stops every worker (SIGTERM, then SIGKILL) and waits for it.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:  # multiprocessing is imported only when a batch is big enough for workers
    from multiprocessing.connection import Connection

_T = TypeVar("_T")
_R = TypeVar("_R")
STOP_WAIT = 0.5  # seconds a worker gets to end after SIGTERM before SIGKILL
_BLOCKED = {signal.SIGINT, signal.SIGTERM}


class WorkerLost(Exception):
    """A worker process ended without being asked to (killed from outside, out of memory)."""


def available() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Workers(Generic[_T, _R]):
    """``with Workers(n, work) as workers: workers.map(chunks)`` — results in chunk order."""

    def __init__(self, count: int, work: Callable[[_T], _R]) -> None:
        self._count = count
        self._work = work
        self._processes: list[Any] = []
        self._pipes: list[Connection] = []

    def __enter__(self) -> Workers[_T, _R]:
        try:
            self._start()
        except BaseException:
            self._stop(abandon=True)
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop(abandon=kind is not None)

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        # Signals wait until each child has set its own handlers; the parent gets them after.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED)
        try:
            for _ in range(self._count):
                ours, theirs = context.Pipe()
                self._pipes.append(ours)
                process = context.Process(target=_serve, args=(theirs, self._work, self._pipes), daemon=True)
                process.start()
                self._processes.append(process)
                theirs.close()  # a worker's death then reads as the end of its pipe
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _stop(self, *, abandon: bool) -> None:
        """Ask each worker to stop, or on the way out of an error or signal make it; wait for every one."""
        if not abandon:
            for pipe in self._pipes:
                _send(pipe, None)
        for process in self._processes:
            if abandon and process.is_alive():
                process.terminate()
            process.join(STOP_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
        for pipe in self._pipes:
            pipe.close()

    def map(self, items: Sequence[_T]) -> Iterator[_R]:
        """Each item's result, in the order of ``items``, as soon as it and those before it are done."""
        from multiprocessing.connection import wait

        pending = iter(enumerate(items))
        busy: dict[Connection, int] = {}
        for pipe in self._pipes:
            self._give(pipe, pending, busy)
        done: dict[int, _R] = {}
        following = 0
        while busy:
            for ready in wait(list(busy)):
                pipe = cast("Connection", ready)
                done[busy.pop(pipe)] = self._receive(pipe)
                self._give(pipe, pending, busy)
            while following in done:
                yield done.pop(following)
                following += 1

    @staticmethod
    def _give(pipe: Connection, pending: Iterator[tuple[int, _T]], busy: dict[Connection, int]) -> None:
        task = next(pending, None)
        if task is not None:
            pipe.send(task)
            busy[pipe] = task[0]

    def _receive(self, pipe: Connection) -> _R:
        try:
            ok, value = pipe.recv()
        except (EOFError, OSError):
            raise WorkerLost(self._how_lost()) from None
        if not ok:
            raise RuntimeError(f"in a worker process: {value}")
        result: _R = value
        return result

    def _how_lost(self) -> str:
        for process in self._processes:
            process.join(STOP_WAIT)
            code = process.exitcode
            if code is not None and code < 0:
                return f"a worker process was stopped by signal {signal.Signals(-code).name}"
        return "a worker process ended unexpectedly"


def _send(pipe: Connection, message: object) -> None:
    with contextlib.suppress(OSError):  # the worker has gone already; joining it is all that is left
        pipe.send(message)


def _serve(pipe: Connection, work: Callable[[Any], Any], parents: list[Connection]) -> None:
    """A worker's life: take a chunk, send back its result, until told to stop or the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOCKED)
    for other in parents:  # so that the parent's death closes this pipe
        other.close()
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        _, item = task
        try:
            reply = (True, work(item))
        except Exception as error:  # a bug: the parent reports it
            reply = (False, f"{type(error).__name__}: {error}")
        pipe.send(reply)
