"""The in-life inputs `dps claims`, `dps performance` and `dps report --events` share.

Call-off files (each id once), events and ledger CSV files: read from regular
files only (never standard input, a pipe or a device, which could block or
never end), each through its reader's bounds and rules.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..inputs import display_path
from .batch import expand, load_model
from .common import fail_usage

if TYPE_CHECKING:
    from ..calloff import CallOff
    from ..claims import Claim
    from ..events import Event, EventFinding
    from ..reference import Reference


def as_of_day(text: str) -> date:
    """The ``--as-of`` day of claims and performance: a date from 2000 to 2099, else exit 2."""
    from ..dates import parse_day

    day = parse_day(text)
    if day is None:
        fail_usage(f"--as-of '{display_path(text)}' is not a date", "write it as YYYY-MM-DD, 2000 to 2099")
    return day


def read_calloffs(paths: list[str], ref: Reference, *, as_json: bool) -> list[CallOff]:
    from ..calloff import CallOff

    found: dict[str, CallOff] = {}
    for target in expand(paths):
        calloff = load_model(Path(target.path), CallOff, ref, as_json=as_json)
        if calloff.id in found:
            fail_usage(f"two call-off files have the id {calloff.id}", "give each call-off once")
        found[calloff.id] = calloff
    return list(found.values())


def open_file(path: Path, what: str) -> BinaryIO:
    if str(path) == "-":  # read as a file it would be "no such file"; standard input is not read either
        option = "--events" if what == "events" else "--claimed"
        fail_usage(
            f"{option} - would be standard input; dps reads the {what} from a file",
            f"save the {what} to a file and give its path to {option}",
        )
    shown = display_path(str(path))
    if path.is_dir():
        fail_usage(f"{shown} is a folder; give the {what} file")
    if path.exists() and not path.is_file():  # a pipe or a device could block or never end
        fail_usage(f"{shown} is not a regular file", f"save the {what} to a file first")
    try:
        return path.open("rb")
    except OSError as error:
        fail_usage(f"cannot read {display_path(str(path))}: {error.strerror}", f"check the path to the {what} file")


def read_events(paths: list[Path], calloffs: set[str], cutoff: date) -> tuple[list[Event], list[EventFinding]]:
    from ..events import read

    rows: list[Event] = []
    found: list[EventFinding] = []
    for path in paths:
        with open_file(path, "events") as stream:
            result = read(stream, display_path(str(path)), calloffs, cutoff)
        rows += result.rows
        found += result.findings
    return rows, found


def read_ledger(paths: list[Path]) -> tuple[list[Claim], list[EventFinding]]:
    from ..ledger import read

    lines: list[Claim] = []
    found: list[EventFinding] = []
    for path in paths:
        with open_file(path, "ledger") as stream:
            more, problems = read(stream, display_path(str(path)))
        lines += more
        found += problems
    return lines, found
