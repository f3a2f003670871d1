"""Reading the files named on the command line (the only file input in dps).

Two steps, neither of which blocks or raises for a bad path:

- :func:`expand` turns PATHs into :class:`Target`s: files as named, folders
  searched for YAML (hidden entries and ``--exclude`` matches left out), each
  file once; a folder that cannot be searched is a target carrying its problem.
- :func:`read` reads one target's bytes, refusing anything but a regular file
  (a FIFO would block, a device never ends) without waiting on it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePath

from .yamlsource import MAX_BYTES

STDIN = "-"
STDIN_NAME = "<stdin>"
SUFFIXES = (".yaml", ".yml")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_KINDS_OF_FILE = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True)
class Target:
    """One file to check: where it is, whether it was named, and any problem already known.

    ``named`` files are always checked; files found in a folder are skipped
    when they turn out not to be dps files.  ``problem`` is set for a folder
    that could not be searched, so it is reported in its place.
    """

    path: str
    named: bool = True
    problem: str | None = None

    @property
    def shown(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class Input:
    """One file's bytes, or why they could not be read; ``path`` is for display."""

    path: str
    content: bytes | None
    problem: str | None = None


class MissingPath(Exception):
    """A path on the command line that does not exist (a usage error)."""


def display_path(path: str) -> str:
    """``path`` as text that can always be printed and stays on one line.

    Bytes that are not UTF-8 (kept by Python as surrogates) and control
    characters are shown escaped, ``\\xff``; ``-`` is shown as ``<stdin>``.
    """
    if path == STDIN:
        return STDIN_NAME
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# -- which files -------------------------------------------------------------


def expand(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[Target]:
    """Files as given; folders searched recursively for *.yaml / *.yml, in path order.

    A file reached more than once is listed once, where it was first reached,
    and counts as named if it was named anywhere.
    """
    patterns = [p.removeprefix("./") for p in exclude]
    found: dict[str, Target] = {}
    folders: dict[str, str] = {}
    for name in paths:
        for target in _targets(name, patterns):
            key = _identity(target.path, folders)
            first = found.setdefault(key, target)
            if target.named and not first.named:
                found[key] = replace(first, named=True)
    return list(found.values())


def _identity(path: str, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, with the real path of each folder worked out once (``folders``).

    A file that is not a symbolic link is its folder's real path joined with its name;
    anything else (a link, `.` or `..`, a path that cannot be looked at) is resolved whole.
    """
    if path == STDIN:
        return path
    head, tail = os.path.split(path)
    if tail in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    real = folders.get(head)
    if real is None:
        real = folders[head] = os.path.realpath(head or os.curdir)
    return os.path.join(real, tail)


def _targets(name: str, patterns: Sequence[str]) -> list[Target]:
    if name == STDIN:
        return [Target(STDIN)]
    try:
        mode = os.stat(name).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise MissingPath(name) from None
    except (OSError, ValueError) as error:
        return [Target(name, problem=_cannot("read the file", error))]
    if stat.S_ISDIR(mode):
        return sorted(_walk(Path(name), patterns), key=lambda t: t.path)
    return [Target(name)]


def _walk(root: Path, patterns: Sequence[str]) -> list[Target]:
    """Every YAML file under ``root`` (not following linked folders), without recursion."""
    out: list[Target] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            out.append(Target(str(folder), named=False, problem=_cannot("search this folder", error)))
            continue
        for entry in entries:
            path = folder / entry.name
            if entry.name.startswith(".") or (patterns and excluded(str(path), patterns)):
                continue
            if _is_folder(entry, follow=False):
                folders.append(path)
            elif entry.name.lower().endswith(SUFFIXES) and not _is_folder(entry, follow=True):
                out.append(Target(str(path), named=False))
    return out


def _is_folder(entry: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether a glob matches the path, or its end from any folder down (`drafts/*`, `*.tmpl.yaml`)."""
    parts = PurePath(path).parts
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return any(fnmatchcase(tail, pattern) for pattern in patterns for tail in tails)


# -- reading -----------------------------------------------------------------


def read(path: str, limit: int = MAX_BYTES) -> Input:
    """A file's bytes, at most one past the size ``limit``, so a huge file costs nothing.

    Only a regular file is read: a FIFO, device or socket is refused without
    waiting on it (stat first, then open non-blocking and check again).
    """
    if path == STDIN:
        return _read_stdin(limit)
    shown = display_path(path)
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            return Input(shown, None, f"not a regular file: it is {kind}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with open(fd, "rb") as handle:
            kind = _not_regular(os.fstat(fd).st_mode)
            if kind:
                return Input(shown, None, f"not a regular file: it is {kind}")
            return Input(shown, handle.read(limit + 1))
    except (OSError, ValueError) as error:
        return Input(shown, None, _cannot("read the file", error))


def _read_stdin(limit: int) -> Input:
    stream = sys.stdin
    if stream is None:
        return Input(STDIN_NAME, None, "standard input is closed")
    try:
        return Input(STDIN_NAME, stream.buffer.read(limit + 1))
    except (OSError, ValueError, AttributeError) as error:
        return Input(STDIN_NAME, None, _cannot("read standard input", error))


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS_OF_FILE if test(mode)), "another kind of file")


def _cannot(action: str, error: Exception) -> str:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return f"cannot {action}: {reason}"
