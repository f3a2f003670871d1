"""`dps claims CALLOFF... --events FILE... --period YYYY-MM [--claimed FILE...]`."""

from __future__ import annotations

import calendar
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..findings import ExitCode
from ..inputs import display_path
from .common import ReferenceOption, ReportFormat, fail_usage, no_collector, reference
from .lifefiles import as_of_day, read_calloffs, read_events, read_ledger

if TYPE_CHECKING:
    from ..events import Event, EventFinding
    from ..milestones import Progress, Rules


def claims_command(
    calloffs: Annotated[list[str], typer.Argument(metavar="CALLOFF...", help="Call-off files or folders of them.")],
    events: Annotated[
        list[Path], typer.Option("--events", "-e", metavar="FILE", help="Participant events (CSV); repeatable.")
    ],
    period: Annotated[str, typer.Option("--period", "-p", metavar="YYYY-MM", help="The month claimed for.")],
    claimed: Annotated[
        list[Path] | None,
        typer.Option("--claimed", "-c", metavar="FILE", help="Earlier statements (the CSV form); repeatable."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Cut-off (default: the period's last day)."),
    ] = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ReportFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """Draw up the self-billing statement: the milestones due for a month, per call-off.

    A milestone (start, completion, job outcome) is due when a contracted
    participant achieved it by the period's last day and the ledger (--claimed)
    does not hold it yet; its fee is the call-off's split of its price.
    Participants whose records do not hold together are withheld, with the
    reasons; ledger lines the events do not support are money to recover.
    --format csv is the ledger form that --claimed reads back.

    Exit code 0 with no error finding, 1 with one (the statement is still
    printed), 2 for a usage error.

    Example: `dps claims call-off.yaml --events events.csv --period 2026-12 --claimed ledger.csv`.
    """
    from ..claims import claims_each
    from ..milestones import rules_of
    from ..report import claims as report
    from ..report.console import make_console, write_json

    cutoff = _cutoff(period, as_of)
    ref = reference(reference_dir)
    terms = read_calloffs(calloffs, ref, as_json=output is ReportFormat.json)
    rules = {c.id: rules_of(c) for c in terms}
    with no_collector():  # a million rows make millions of objects and no cycles
        rows, found = read_events(events, set(rules), cutoff)
        ledger, ledger_found = read_ledger(claimed or [])
        derive_one = _by_calloff(rows, found, rules, cutoff)
        del rows  # each call-off's rows are let go once its statement is drawn up
        result = claims_each(terms, derive_one, cutoff, ledger, period, [*found, *ledger_found])
    if output is ReportFormat.json:
        write_json(report.to_json(result))
    elif output is ReportFormat.csv:
        report.render_csv(sys.stdout, result)
    else:
        report.render_text(make_console(), result)
    if result.errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _by_calloff(
    rows: list[Event], found: list[EventFinding], rules: dict[str, Rules], cutoff: date
) -> Callable[[str], tuple[list[Progress], tuple[EventFinding, ...]]]:
    """Each call-off's participants, derived when asked for and then forgotten (memory: one call-off's)."""
    from ..milestones import derive

    grouped: dict[str, list[Event]] = {}
    for row in rows:
        grouped.setdefault(row.calloff, []).append(row)
    rows.clear()
    flagged: dict[str, list[EventFinding]] = {}
    for finding in found:
        flagged.setdefault(finding.calloff, []).append(finding)

    def derive_one(calloff: str) -> tuple[list[Progress], tuple[EventFinding, ...]]:
        one = derive(grouped.pop(calloff, []), {calloff: rules[calloff]}, cutoff, flagged.get(calloff, ()))
        return one.of(calloff), one.findings

    return derive_one


def _cutoff(period: str, as_of: str | None) -> date:
    from ..dates import PERIOD

    match = PERIOD.fullmatch(period)
    if match is None:
        fail_usage(f"--period '{display_path(period)}' is not a month", "write it as YYYY-MM, e.g. 2026-12")
    year, month = int(match.group(1)), int(match.group(2))
    last = date(year, month, calendar.monthrange(year, month)[1])
    if as_of is None:
        return last
    day = as_of_day(as_of)
    if day > last:
        fail_usage(f"--as-of {as_of} is after the period {period}", "give a day in or before the period")
    return day
