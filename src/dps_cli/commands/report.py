"""`dps report CALLOFF [--format html|markdown] [-o FILE]`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitCode
from ..report.console import safe_text
from .batch import load_model
from .common import ReferenceOption, fail_usage, reference


class RecordFormat(StrEnum):
    html = "html"
    markdown = "markdown"


def report_command(
    calloff_path: Annotated[Path, typer.Argument(metavar="CALLOFF", help="The call-off file dps award wrote.")],
    output_format: Annotated[
        RecordFormat, typer.Option("--format", "-f", help="html (one self-contained page) or markdown.")
    ] = RecordFormat.html,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (never over an existing file).")
    ] = None,
    reference_dir: ReferenceOption = None,
) -> None:
    """Render a call-off's decision record for people to read, print and defend.

    The need, the weights and the suitable standard; the ranking with each
    score as a bar; why every other offer was passed over; the marks; the terms
    awarded; and the payment schedule for a cohort from the call-off's start.
    The terms are the call-off's own (frozen at award), whatever the reference
    data says today. HTML is one self-contained file: no scripts, nothing
    fetched from a network, every text from the files escaped.

    Examples: `dps report call-off.yaml -o decision.html`,
    `dps report call-off.yaml --format markdown`.
    """
    from ..calloff import CallOff

    if output is not None and output.exists():
        print(f"dps: error: {safe_text(output)} already exists; dps never overwrites a file", file=sys.stderr)
        print("  hint: choose another name with -o, or move the existing file first", file=sys.stderr)
        raise typer.Exit(ExitCode.FINDINGS)
    calloff = load_model(calloff_path, CallOff, reference(reference_dir), as_json=False)
    if output_format is RecordFormat.markdown:
        from ..report.markdown import render
    else:
        from ..report.html import render
    _write(render(calloff), output)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with output.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        print(f"dps: error: {safe_text(output)} already exists; dps never overwrites a file", file=sys.stderr)
        raise typer.Exit(ExitCode.FINDINGS) from None
    except OSError as error:
        fail_usage(f"cannot write {output}: {error.strerror}")
    print(f"wrote {safe_text(output)}", file=sys.stderr)
