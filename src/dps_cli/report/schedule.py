"""Rendering a payment schedule: what a finance officer expects; json; csv."""

from __future__ import annotations

from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from rich.text import Text

from ..money import display_money, format_money, round_money
from ..reference import MILESTONES
from ..schedule import SCENARIOS, Schedule
from .console import data, number, write_csv
from .layout import GAP, Col, emit, grid, natural_width

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

LABELS = {"start": "start", "completion": "completion", "job_outcome": "job outcome"}
BAR_WIDTH = 30  # the widest bar, for the busiest month
MIN_BAR_WIDTH = 10  # narrower bars say too little: left out


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
    rows: list[list[object]] = [["month", *SCENARIOS]]
    rows += [[month, *(round_money(cash[name]) for name in SCENARIOS)] for month, cash in s.monthly()]
    rows.append(["total", *(round_money(s.scenarios[name].total) for name in SCENARIOS)])
    write_csv(stream, rows)


def render_text(console: Console, s: Schedule) -> None:
    offer = s.offer
    parts: list[RenderableType] = [
        data(f"Payment schedule for {offer.id}: {offer.title} ({offer.supplier.name})", style="bold"),
        data(
            f"{s.provision.label.capitalize()}; {s.participants} participants × "
            f"{display_money(offer.price_per_participant)}; cohort starts {s.start}; "
            f"course {offer.course.duration_weeks} weeks"
        ),
        *(data(f"warning: {warning}", style="yellow") for warning in s.warnings),
    ]
    width = console.width
    for title, table in [
        ("Fees per participant", _split_table(width, s)),
        ("Scenarios", _scenario_table(width, s)),
        ("Timeline (maximum scenario)", _timeline_table(width, s)),
        ("Cash by month", _monthly_table(width, s, bars=console.is_terminal)),
    ]:
        parts += [Text(), Text(title, style="bold"), table]
    parts.append(Text("outcome fees fall in the month their window closes", style="dim"))
    emit(console, *parts)


def _split_table(width: int, s: Schedule) -> RenderableType:
    columns = [Col("milestone"), Col("share", right=True), Col("fee", right=True)]
    rows = [
        [Text(LABELS[m]), Text(f"{number(pct)}%"), Text(display_money(s.fees[m]))]
        for m, pct in s.provision.funding.shares()
    ]
    total = display_money(sum(s.fees.values(), Decimal(0)))
    rows.append([Text("total", style="bold"), Text("100%", style="bold"), Text(total, style="bold")])
    return grid(width, columns, rows)


def _scenario_table(width: int, s: Schedule) -> RenderableType:
    columns = [Col(""), *(Col(name, right=True) for name in SCENARIOS)]
    rows = [
        [Text(label), *(Text(str(getattr(s.scenarios[n], attr))) for n in SCENARIOS)]
        for label, attr in [("starts", "starts"), ("completions", "completions"), ("job outcomes", "job_outcomes")]
    ]
    rows.append(
        [Text("total", style="bold"), *(Text(display_money(s.scenarios[n].total), style="bold") for n in SCENARIOS)]
    )
    return grid(width, columns, rows)


def _timeline_table(width: int, s: Schedule) -> RenderableType:
    columns = [Col("milestone"), Col("from"), Col("until"), Col("count", right=True), Col("amount", right=True)]
    rows = [
        [
            Text(LABELS[e.milestone]),
            Text(str(e.start)),
            Text(str(e.until)),
            Text(str(e.count)),
            Text(display_money(e.amount)),
        ]
        for e in s.timeline
    ]
    return grid(width, columns, rows)


def _monthly_table(width: int, s: Schedule, *, bars: bool) -> RenderableType:
    """Cash by month; on a terminal, a bar for the maximum when there is room for one."""
    columns = [Col("month"), *(Col(name, right=True) for name in SCENARIOS)]
    months = s.monthly()
    rows = [[Text(month), *(Text(display_money(cash[n])) for n in SCENARIOS)] for month, cash in months]
    room = min(BAR_WIDTH, width - natural_width(columns, rows) - GAP)
    peak = max((cash["maximum"] for _, cash in months), default=Decimal(0))
    if bars and room >= MIN_BAR_WIDTH and peak:
        columns.append(Col("maximum"))
        for row, (_, cash) in zip(rows, months, strict=True):
            row.append(Text("█" * round(room * cash["maximum"] / peak)))
    return grid(width, columns, rows)
