"""Rendering claims: the self-billing statement a finance officer signs; json; the ledger's csv."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, Protocol

from rich.text import Text

from ..claims import ZERO, Claims, Statement, Totals
from ..events import EventFinding
from ..money import display_money, format_money
from .console import data, write_csv
from .layout import Col, emit, grid

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

LEDGER = ("calloff", "participant", "milestone", "achieved", "fee", "period", "evidence")
LABELS = {"start": "start", "completion": "completion", "job_outcome": "job outcome"}


class Found(Protocol):
    """A result with findings: claims, or performance (whose findings section is this one)."""

    @property
    def findings(self) -> tuple[EventFinding, ...]: ...
    @property
    def errors(self) -> int: ...
    @property
    def warnings(self) -> int: ...


TEXT_ROWS = 1_000  # rows of one table in the text statement; a hostile file cannot make it print for minutes


def finding_json(found: EventFinding) -> dict[str, Any]:
    f = found.finding
    out: dict[str, Any] = {"rule": f.rule, "severity": str(f.severity), "message": f.message}
    return out | {"path": found.path, "line": f.line}


def to_json(result: Claims) -> dict[str, Any]:
    return {
        "period": result.period,
        "calloffs": [_statement_json(s) for s in result.statements],
        "findings": [finding_json(f) for f in result.findings],
        "summary": {
            "calloffs": len(result.statements),
            "due": format_money(sum((s.totals.due for s in result.statements), start=ZERO)),
            "withheld": sum(len(s.withheld) for s in result.statements),
            "errors": result.errors,
            "warnings": result.warnings,
        },
    }


def _statement_json(s: Statement) -> dict[str, Any]:
    t = s.totals
    return {
        "calloff": s.calloff.id,
        "supplier": s.calloff.supplier.name,
        "due": [
            {
                "participant": c.participant,
                "milestone": c.milestone,
                "achieved": c.achieved,
                "fee": format_money(c.fee),
                "evidence": c.evidence,
            }
            for c in s.due
        ],
        "totals": {
            "due": format_money(t.due),
            "claimed_before": format_money(t.claimed_before),
            "to_date": format_money(t.to_date),
            "value": format_money(t.value),
            "remaining": format_money(t.remaining),
        },
        "withheld": [
            {
                "participant": w.participant,
                "reasons": [
                    {"rule": r.finding.rule, "message": r.finding.message, "line": r.finding.line} for r in w.reasons
                ],
            }
            for w in s.withheld
        ],
        "recover": [
            {"participant": r.participant, "milestone": r.milestone, "fee": format_money(r.fee), "message": r.message}
            for r in s.recover
        ],
    }


def render_csv(stream: IO[str], result: Claims) -> None:
    """The ledger form: one row per due milestone, which `--claimed` reads back."""
    rows: list[list[object]] = [list(LEDGER)]
    for s in result.statements:
        rows += [[c.calloff, c.participant, c.milestone, c.achieved, c.fee, c.period, c.evidence] for c in s.due]
    write_csv(stream, rows)


def render_text(console: Console, result: Claims) -> None:
    parts: list[RenderableType] = []
    for statement in result.statements:
        parts += _statement(console.width, statement, result)
    parts += findings_section(console.width, result)
    emit(console, *parts)


def _statement(width: int, s: Statement, result: Claims) -> list[RenderableType]:
    c, t = s.calloff, s.totals
    parts: list[RenderableType] = [
        data(f"Self-billing statement {c.id}, period {result.period}", style="bold"),
        data(
            f"Supplier: {c.supplier.name}. Call-off {c.id}: {c.title} (provision {c.provision}), "
            f"{c.participants} participants × {display_money(c.price_per_participant)}."
        ),
        data(
            f"Events up to {result.as_of}. Fees per participant: "
            + ", ".join(f"{LABELS[m]} {display_money(fee)}" for m, fee in s.fees.items())
            + "."
        ),
        Text(""),
    ]
    if s.due:
        rows = [
            [
                data(d.participant),
                Text(LABELS[d.milestone]),
                Text(d.achieved),
                data(d.evidence),
                Text(display_money(d.fee)),
            ]
            for d in s.due
        ]
        columns = [
            Col("participant"),
            Col("milestone"),
            Col("achieved"),
            Col("evidence", wrap=True),
            Col("fee", right=True),
        ]
        parts += [Text(f"Due this period ({len(s.due)})", style="bold"), grid(width, columns, rows), Text("")]
    else:
        parts += [Text("Nothing due this period."), Text("")]
    parts += _totals(width, t)
    parts += _withheld(width, s)
    parts += _recover(width, s)
    parts += [Text("Approved for payment by: ____________________   Date: ____________"), Text("")]
    return parts


def _totals(width: int, t: Totals) -> list[RenderableType]:
    names = ("due now", "claimed before", "total to date", "contract value", "remaining")
    amounts = (t.due, t.claimed_before, t.to_date, t.value, t.remaining)
    rows = [[Text(n), Text(display_money(a))] for n, a in zip(names, amounts, strict=True)]
    return [Text("Totals", style="bold"), grid(width, [Col(""), Col("amount", right=True)], rows), Text("")]


def _withheld(width: int, s: Statement) -> list[RenderableType]:
    if not s.withheld:
        return []
    rows = [
        [data(w.participant), Text(str(r.finding.line)), Text(r.finding.rule), data(r.finding.message)]
        for w in s.withheld[:TEXT_ROWS]
        for r in w.reasons
    ]
    columns = [Col("participant"), Col("line", right=True), Col("rule"), Col("reason", wrap=True)]
    title = f"Withheld: {len(s.withheld)} participant(s), no fee until their records are corrected"
    return [Text(title, style="bold"), grid(width, columns, rows), *_more(len(s.withheld), "withheld participants")]


def _more(total: int, what: str) -> list[RenderableType]:
    """The note under a table cut at TEXT_ROWS rows (the json lists every row), then a blank line."""
    if total <= TEXT_ROWS:
        return [Text("")]
    return [Text(f"… and {total - TEXT_ROWS:,} more {what}; `--format json` lists every one"), Text("")]


def _recover(width: int, s: Statement) -> list[RenderableType]:
    if not s.recover:
        return []
    rows = [
        [data(r.participant), data(LABELS.get(r.milestone, r.milestone)), Text(display_money(r.fee)), data(r.message)]
        for r in s.recover
    ]
    columns = [Col("participant"), Col("milestone"), Col("amount", right=True), Col("why", wrap=True)]
    total = display_money(sum((r.fee for r in s.recover), start=ZERO))
    return [Text(f"To recover: {total}", style="bold"), grid(width, columns, rows), Text("")]


def findings_section(
    width: int, result: Found, none: str = "No findings in the events or the ledger."
) -> list[RenderableType]:
    if not result.findings:
        return [Text(none)]
    rows = [
        [
            data(f"{f.path}:{f.finding.line}"),
            Text(str(f.finding.severity)),
            Text(f.finding.rule),
            data(f.finding.message + (f" (hint: {f.finding.hint})" if f.finding.hint else "")),
        ]
        for f in result.findings[:TEXT_ROWS]
    ]
    columns = [Col("where"), Col("severity"), Col("rule"), Col("finding", wrap=True)]
    summary = f"{result.errors} error(s), {result.warnings} warning(s)"
    more = _more(len(result.findings), "findings")[:-1]
    return [Text(f"Findings: {summary}", style="bold"), grid(width, columns, rows), *more]
