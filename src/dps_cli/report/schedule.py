"""Rendering a payment schedule: what a finance officer expects; json; csv."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..money import display_money, format_money
from ..reference import MILESTONES
from ..schedule import SCENARIOS, Schedule
from .console import number

LABELS = {"start": "start", "completion": "completion", "job_outcome": "job outcome"}
BAR_WIDTH = 30


def to_json(s: Schedule) -> dict[str, Any]:
    return {
        "offer": s.offer.id,
        "provision": s.offer.provision,
        "participants": s.participants,
        "price_per_participant": format_money(s.offer.price_per_participant),
        "split": {m: number(p) for m, p in s.provision.funding.shares()},
        "fees": {m: format_money(s.fees[m]) for m in MILESTONES},
        "scenarios": {
            name: {
                "starts": sc.starts,
                "completions": sc.completions,
                "job_outcomes": sc.job_outcomes,
                "total": format_money(sc.total),
            }
            for name, sc in s.scenarios.items()
        },
        "timeline": [
            {
                "milestone": e.milestone,
                "from": e.start.isoformat(),
                "until": e.until.isoformat(),
                "count": e.count,
                "amount": format_money(e.amount),
            }
            for e in s.timeline
        ],
        "monthly": [{"month": month, **{k: format_money(v) for k, v in cash.items()}} for month, cash in s.monthly()],
        "start": s.start.isoformat(),
        "warnings": list(s.warnings),
    }


def render_csv(stream: IO[str], s: Schedule) -> None:
    """Month-by-month cash, one column per scenario: for a spreadsheet."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["month", *SCENARIOS])
    for month, cash in s.monthly():
        writer.writerow([month, *(format_money(cash[name]) for name in SCENARIOS)])
    writer.writerow(["total", *(format_money(s.scenarios[name].total) for name in SCENARIOS)])


def render_text(console: Console, s: Schedule) -> None:
    offer = s.offer
    console.print(
        Text(f"Payment schedule for {offer.id}: {offer.title} ({offer.supplier.name})", style="bold"), soft_wrap=True
    )
    console.print(
        f"{s.provision.label.capitalize()}; {s.participants} participants × "
        f"{display_money(offer.price_per_participant)}; cohort starts {s.start}; "
        f"course {offer.course.duration_weeks} weeks",
        soft_wrap=True,
    )
    for warning in s.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"), soft_wrap=True)
    console.print()
    console.print(_split_table(s))
    console.print()
    console.print(_scenario_table(s))
    console.print()
    console.print(_timeline_table(s))
    console.print()
    console.print(_monthly_table(s, bars=console.is_terminal))


def _table(title: str) -> Table:
    return Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )


def _split_table(s: Schedule) -> Table:
    table = _table("Fees per participant")
    for name in ("milestone", "share", "fee"):
        table.add_column(name, justify="left" if name == "milestone" else "right")
    for milestone, pct in s.provision.funding.shares():
        table.add_row(LABELS[milestone], f"{number(pct)}%", display_money(s.fees[milestone]))
    table.add_row("total", "100%", display_money(sum(s.fees.values(), Decimal(0))), style="bold")
    return table


def _scenario_table(s: Schedule) -> Table:
    table = _table("Scenarios")
    table.add_column("")
    for name in SCENARIOS:
        table.add_column(name, justify="right")
    rows = [("starts", "starts"), ("completions", "completions"), ("job outcomes", "job_outcomes")]
    for label, attr in rows:
        table.add_row(label, *(str(getattr(s.scenarios[n], attr)) for n in SCENARIOS))
    table.add_row("total", *(display_money(s.scenarios[n].total) for n in SCENARIOS), style="bold")
    return table


def _timeline_table(s: Schedule) -> Table:
    table = _table("Timeline (maximum scenario)")
    for name in ("milestone", "from", "until", "count", "amount"):
        table.add_column(name, justify="right" if name in ("count", "amount") else "left")
    for e in s.timeline:
        table.add_row(LABELS[e.milestone], str(e.start), str(e.until), str(e.count), display_money(e.amount))
    return table


def _monthly_table(s: Schedule, *, bars: bool) -> Table:
    table = _table("Cash by month")
    table.caption = "outcome fees fall in the month their window closes"
    table.add_column("month")
    for name in SCENARIOS:
        table.add_column(name, justify="right")
    if bars:
        table.add_column("maximum", no_wrap=True)
    months = s.monthly()
    peak = max((cash["maximum"] for _, cash in months), default=Decimal(0))
    for month, cash in months:
        cells = [month, *(display_money(cash[n]) for n in SCENARIOS)]
        if bars:
            cells.append("█" * (round(BAR_WIDTH * cash["maximum"] / peak) if peak else 0))
        table.add_row(*cells)
    return table
