"""`dps report CALLOFF [--events FILE... [--as-of DATE]] [--format html|markdown] [-o FILE]`."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..findings import ExitCode
from .batch import load_model
from .common import ReferenceOption, fail_usage, no_collector, option_date, reference, refuse_existing, write_new

if TYPE_CHECKING:
    from ..calloff import CallOff
    from ..report.inlife import InLife


class RecordFormat(StrEnum):
    html = "html"
    markdown = "markdown"


def report_command(
    calloff_path: Annotated[Path, typer.Argument(metavar="CALLOFF", help="The call-off file dps award wrote.")],
    events: Annotated[
        list[Path] | None,
        typer.Option(
            "--events", "-e", metavar="FILE", help="Participant events (CSV), for the in-life part; repeatable."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="YYYY-MM-DD", help="With --events: events after this day are left out (default: today)."
        ),
    ] = None,
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

    With --events, the record adds its in-life part as of --as-of: each
    measure against the commitment and the target with its rating and early
    warning (as `dps performance`), a chart by start month, the claims to date
    (as `dps claims`) and the findings in the events. Exit code 1 when the
    events hold an error finding (the record is still written, listing them).

    Examples: `dps report call-off.yaml -o decision.html`,
    `dps report call-off.yaml --events events.csv --as-of 2027-03-31 --format markdown`.
    """
    from ..calloff import CallOff

    if as_of is not None and not events:
        fail_usage("--as-of needs --events", "give the participants' events with --events FILE")
    day = option_date("--as-of", as_of) if as_of is not None else date.today()
    refuse_existing(output)
    calloff = load_model(calloff_path, CallOff, reference(reference_dir), as_json=False)
    inlife = _inlife(calloff, events, day) if events else None
    if output_format is RecordFormat.markdown:
        from ..report.markdown import render
    else:
        from ..report.html import render
    write_new(render(calloff, inlife), output)
    if inlife is not None and inlife.errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _inlife(calloff: CallOff, paths: list[Path], as_of: date) -> InLife:
    """The in-life part: the one milestone derivation, measured (§9) and claimed (§8)."""
    from ..claims import claims
    from ..milestones import derive, rules_of
    from ..performance import measure_calloff
    from ..report import inlife
    from .lifefiles import read_events

    rules = {calloff.id: rules_of(calloff)}
    with no_collector():  # a million rows make millions of objects and no cycles
        rows, found = read_events(paths, set(rules), as_of)
        derivation = derive(rows, rules, as_of, found)
        statement = claims([calloff], derivation, [], f"{as_of:%Y-%m}", found)
    measured = measure_calloff(calloff, derivation.of(calloff.id), as_of)
    return inlife.build(as_of, measured, statement.statements[0], statement.findings)
