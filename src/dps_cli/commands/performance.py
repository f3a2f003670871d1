"""`dps performance CALLOFF... --events FILE... [--as-of DATE]`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitCode
from .common import ReferenceOption, ReportFormat, no_collector, reference
from .lifefiles import as_of_day, read_calloffs, read_events


def performance_command(
    calloffs: Annotated[list[str], typer.Argument(metavar="CALLOFF...", help="Call-off files or folders of them.")],
    events: Annotated[
        list[Path], typer.Option("--events", "-e", metavar="FILE", help="Participant events (CSV); repeatable.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Measure as of this day (default: today)."),
    ] = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ReportFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """Measure each call-off against its bid: rates, bounds, ratings and early warnings.

    For each measure the call-off committed to or has a target for: the
    participants who achieved it, who still could (open) and who no longer can
    (missed); the rate among those settled; the bounds the final rate must lie
    in; the rating against the commitment (good, approaching-target,
    requires-improvement, inadequate); and a warning that is certain, never
    statistical (cannot-meet-target, cannot-meet-commitment, secured). Events
    dated after --as-of are left out; participants whose records do not hold
    together are withheld and counted in no measure.

    Exit code 0 whatever the ratings, 1 with an error finding in the events,
    2 for a usage error.

    Example: `dps performance call-off.yaml --events events.csv --as-of 2027-03-31`.
    """
    from ..milestones import derive, rules_of
    from ..performance import performance
    from ..report import performance as text
    from ..report import performance_data as report
    from ..report.console import make_console, write_json

    cutoff = as_of_day(as_of) if as_of is not None else date.today()
    terms = read_calloffs(calloffs, reference(reference_dir), as_json=output is ReportFormat.json)
    rules = {c.id: rules_of(c) for c in terms}
    with no_collector():  # as in `dps claims`: many objects, no cycles
        rows, found = read_events(events, set(rules), cutoff)
        result = performance(terms, derive(rows, rules, cutoff, found), found)
    if output is ReportFormat.json:
        write_json(report.to_json(result))
    elif output is ReportFormat.csv:
        report.render_csv(sys.stdout, result)
    else:
        text.render_text(make_console(), result)
    if result.errors:
        raise typer.Exit(ExitCode.FINDINGS)
