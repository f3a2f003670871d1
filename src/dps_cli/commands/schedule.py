"""`dps schedule OFFER (--participants N | --business-case FILE) [--start DATE]`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..findings import ExitCode
from .batch import load_model
from .common import ReferenceOption, ReportFormat, fail_usage, option_date, reference

if TYPE_CHECKING:
    from ..reference import Reference
    from ..schedule import Schedule

MAX_PARTICIPANTS = 1_000_000


def schedule(
    offer_path: Annotated[Path, typer.Argument(metavar="OFFER", help="The offer file.")],
    participants: Annotated[
        int | None,
        typer.Option(
            "--participants",
            "-n",
            metavar="N",
            callback=_participants,
            help="Participants in the cohort, 1 to 1,000,000.",
        ),
    ] = None,
    business_case: Annotated[
        Path | None,
        typer.Option("--business-case", "-b", metavar="FILE", help="Take participants and start date from it."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="YYYY-MM-DD", help="Cohort start date (default: today).")
    ] = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="text, json or csv.")] = ReportFormat.text,
    reference_dir: ReferenceOption = None,
) -> None:
    """Show what an offer will be paid, and when, for a cohort.

    Per-participant fees follow the funding split of the offer's category or
    routeway, rounded half-up to the penny, the last fee taking the remainder
    so they add up to the price. Scenarios: maximum (everyone reaches every
    milestone), target (the category's targets), offered (the offer's own
    commitments). --participants and --start override the business case.

    Examples: `dps schedule offer.yaml --participants 40 --start 2026-11-02`,
    `dps schedule offer.yaml --business-case case.yaml --format json`.
    """
    from ..report import schedule as report
    from ..report.console import make_console, safe_text, write_json

    ref = reference(reference_dir)
    start_date = option_date("--start", start) if start is not None else None
    as_json = output is ReportFormat.json
    result = _build(offer_path, business_case, participants, start_date, ref, as_json=as_json)
    if output is ReportFormat.json:
        write_json(report.to_json(result))
    elif output is ReportFormat.csv:
        for warning in result.warnings:
            print(f"dps: warning: {safe_text(warning)}", file=sys.stderr)
        report.render_csv(sys.stdout, result)
    else:
        report.render_text(make_console(), result)


def _build(
    offer_path: Path,
    business_case: Path | None,
    participants: int | None,
    start: date | None,
    ref: Reference,
    *,
    as_json: bool,
) -> Schedule:
    """The schedule, the options overriding the business case; files' problems exit 1, options' exit 2."""
    from ..models import BusinessCase, Offer
    from ..schedule import ScheduleError, build

    offer = load_model(offer_path, Offer, ref, as_json=as_json)
    if business_case is not None:
        case = load_model(business_case, BusinessCase, ref, as_json=as_json)
        participants = participants or case.participants
        start = start or case.start_by
    if participants is None:
        fail_usage("say how many participants", "give --participants N, or --business-case FILE to take it from")
    try:
        return build(offer, participants, start or date.today(), ref)
    except ScheduleError as error:
        print(f"dps: error: {error}", file=sys.stderr)
        print("  hint: check the start date and the course's duration_weeks", file=sys.stderr)
        raise typer.Exit(ExitCode.FINDINGS) from None


def _participants(value: int | None) -> int | None:
    """--participants within SPEC §2's bound for participants, so every sum stays small."""
    if value is not None and not 1 <= value <= MAX_PARTICIPANTS:
        raise typer.BadParameter(f"{value} is not allowed: give 1 to {MAX_PARTICIPANTS:,}")
    return value
