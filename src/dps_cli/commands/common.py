"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ..findings import ExitCode
from ..report.console import safe_text

if TYPE_CHECKING:
    from ..reference import Reference

ReferenceOption = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        metavar="DIR",
        help="Folder holding edited copies of categories.yaml and routeways.yaml (default: the embedded ones).",
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]


class TableFormat(StrEnum):
    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    """For reports a spreadsheet can also take: match and schedule."""

    text = "text"
    json = "json"
    csv = "csv"


def at_least_one(value: int | None) -> int | None:
    """Option callback for counts (--jobs, --top, --participants): 1 or more."""
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} is not allowed: give 1 or more")
    return value


def fail_usage(message: str, hint: str | None = None) -> NoReturn:
    """A usage problem: say so on stderr and exit 2."""
    print(f"dps: error: {safe_text(message)}", file=sys.stderr)
    if hint:
        print(f"  hint: {safe_text(hint)}", file=sys.stderr)
    raise typer.Exit(ExitCode.USAGE)


def reference(directory: Path | None) -> Reference:
    """The reference data, or exit 2 naming every problem in it."""
    from ..reference import ReferenceDataError, load_reference

    try:
        return load_reference(str(directory) if directory else None)
    except ReferenceDataError as error:
        print("dps: error: the reference data cannot be used:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {safe_text(problem)}", file=sys.stderr)
        print("  hint: fix the file named above, or leave out --reference to use the embedded data", file=sys.stderr)
        raise typer.Exit(ExitCode.USAGE) from None


def option_date(option: str, text: str) -> date:
    """A date option as SPEC §2 reads dates in files: YYYY-MM-DD, from 2000-01-01 to 2099-12-31; else exit 2."""
    from ..dates import FIRST_DATE, ISO_DATE, LAST_DATE
    from ..inputs import display_path

    day = None
    if ISO_DATE.fullmatch(text):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(text)
    if day is None:
        fail_usage(f"{option} '{display_path(text)}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-02")
    if not FIRST_DATE <= day <= LAST_DATE:
        fail_usage(f"{option} {text} is out of range", f"give a date from {FIRST_DATE} to {LAST_DATE}")
    return day


def fail_input(message: str, hint: str) -> NoReturn:
    """The input cannot give what was asked (not a usage problem): say so on stderr and exit 1."""
    print(f"dps: error: {safe_text(message)}", file=sys.stderr)
    print(f"  hint: {safe_text(hint)}", file=sys.stderr)
    raise typer.Exit(ExitCode.FINDINGS)


def refuse_existing(output: Path | None) -> None:
    """Exit 1 before any work when ``-o FILE`` exists: dps never overwrites what a user wrote."""
    if output is not None and output.exists():
        _exists(output)


def write_new(text: str, output: Path | None, done: str = "") -> None:
    """``text`` to stdout, or to a new file ``output`` (never overwritten: exit 1), then `wrote FILE{done}`."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with output.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        _exists(output)
    except OSError as error:
        fail_usage(f"cannot write {output}: {error.strerror}", "check the folder exists and you may write to it")
    print(f"wrote {safe_text(output)}{done}", file=sys.stderr)


def _exists(output: Path) -> NoReturn:
    print(f"dps: error: {safe_text(output)} already exists; dps never overwrites a file", file=sys.stderr)
    print("  hint: choose another name with -o, or move the existing file first", file=sys.stderr)
    raise typer.Exit(ExitCode.FINDINGS)


@contextlib.contextmanager
def no_collector() -> Iterator[None]:
    """No cyclic-garbage passes during a long run of work that makes many objects and no cycles; restored after.

    A file's check, or an event row, leaves next to no cyclic garbage (reference counting frees
    the rest), while each full pass walks every object kept so far; what is alive before (modules,
    reference data) is frozen out of the passes, which also keeps forked workers' pages shared.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
