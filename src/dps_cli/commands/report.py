"""`dps report CALLOFF [--format html|markdown] [-o FILE]`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .batch import load_model
from .common import ReferenceOption, reference, refuse_existing, write_new


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

    refuse_existing(output)
    calloff = load_model(calloff_path, CallOff, reference(reference_dir), as_json=False)
    if output_format is RecordFormat.markdown:
        from ..report.markdown import render
    else:
        from ..report.html import render
    write_new(render(calloff), output)
