"""`dps schedule OFFER (--participants N | --business-case FILE) [--start DATE]`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .batch import load_model
from .common import ReferenceOption, ReportFormat, fail_usage, reference


def schedule(
    offer_path: Annotated[Path, typer.Argument(metavar="OFFER", help="The offer file.")],
    participants: Annotated[
        int | None, typer.Option("--participants", "-n", min=1, help="Participants in the cohort.")
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
    from ..models import BusinessCase, Offer
    from ..report import schedule as report
    from ..report.console import make_console, write_json
    from ..schedule import build

    ref = reference(reference_dir)
    start_date = _parse_date(start) if start else None
    as_json = output is ReportFormat.json
    offer = load_model(offer_path, Offer, ref, as_json=as_json)
    if business_case is not None:
        case = load_model(business_case, BusinessCase, ref, as_json=as_json)
        participants = participants or case.participants
        start_date = start_date or case.start_by
    if participants is None:
        fail_usage("say how many participants", "give --participants N, or --business-case FILE to take it from")
    result = build(offer, participants, start_date or date.today(), ref)
    if output is ReportFormat.json:
        write_json(report.to_json(result))
    elif output is ReportFormat.csv:
        for warning in result.warnings:
            print(f"dps: warning: {warning}", file=sys.stderr)
        report.render_csv(sys.stdout, result)
    else:
        report.render_text(make_console(), result)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail_usage(f"--start {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-02")
