"""`--performance FILE` of match and award: the file `dps performance --format json` wrote, read as untrusted.

No such path, a folder or something that is not a regular file is a usage
error (exit 2), as for every file named on the command line; a file that is
too large, not UTF-8, not JSON or not of that shape is invalid input (exit 1,
as for an invalid evaluations file), each with the file and a hint.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .. import inputs
from ..findings import ExitCode
from ..report.console import safe_text
from .common import fail_usage

if TYPE_CHECKING:
    from ..past import PastPerformance

PerformanceOption = Annotated[
    str | None,
    typer.Option(
        "--performance",
        metavar="FILE",
        help="Past performance: the JSON `dps performance` wrote (- for standard input); notes only.",
    ),
]


def load_past(path: str) -> tuple[PastPerformance, bytes]:
    """The past performance in ``path`` and the bytes read, or exit 2 (no such file) or 1 (not a performance file)."""
    from ..past import MAX_BYTES, Refused, parse

    shown = inputs.display_path(path)
    if path != inputs.STDIN:
        _exists(path, shown)
    item = inputs.read(path, MAX_BYTES)
    if item.content is None:
        fail_usage(f"cannot read {shown}: {item.problem}", "give --performance a regular file")
    try:
        return parse(item.content), item.content
    except Refused as refused:
        _invalid(shown, refused.message, refused.hint)


def _exists(path: str, shown: str) -> None:
    try:
        folder = stat.S_ISDIR(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        fail_usage(f"no such file: {shown}", "check the path given to --performance")
    except (OSError, ValueError):
        return  # reading it says why it cannot be read
    if folder:
        fail_usage(f"--performance {shown} is a folder", "give the file `dps performance --format json` wrote")


def _invalid(shown: str, message: str, hint: str) -> NoReturn:
    print(f"dps: error: {safe_text(shown)} is not a performance file: {safe_text(message)}", file=sys.stderr)
    print(f"  hint: {safe_text(hint)}", file=sys.stderr)
    raise typer.Exit(ExitCode.FINDINGS)
