"""Reading the files named on the command line (the only file input in dps)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .yamlsource import MAX_BYTES

STDIN = "-"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Input:
    """One file to check: its bytes, or why they could not be read."""

    path: str
    content: bytes | None
    problem: str | None = None


class MissingPath(Exception):
    """A path on the command line that does not exist (a usage error)."""


def expand(paths: list[str]) -> list[str]:
    """Files as given; folders searched recursively for *.yaml / *.yml, in path order."""
    out: list[str] = []
    for name in paths:
        if name == STDIN:
            out.append(STDIN)
            continue
        path = Path(name)
        if path.is_dir():
            out += sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        elif path.exists():
            out.append(name)
        else:
            raise MissingPath(name)
    return out


def read(path: str) -> Input:
    """Read at most one byte past the size limit, so a huge file costs nothing."""
    if path == STDIN:
        return Input("<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1))
    try:
        with open(path, "rb") as handle:
            return Input(path, handle.read(MAX_BYTES + 1))
    except OSError as error:
        return Input(path, None, f"cannot read the file: {error.strerror or error}")
