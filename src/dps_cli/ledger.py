"""The ledger (SPEC §8): earlier claim statements in their CSV form, read back. Untrusted input.

Read with the events file's bounded CSV reader.  A line whose fee is not an
amount, or whose achieved day or period is not one, is a ``type`` finding and
left out; the rules that compare the ledger with the events are
:mod:`.claims`'.
"""

from __future__ import annotations

from typing import IO

from .claims import LEDGER_COLUMNS, Claim
from .dates import PERIOD, parse_day
from .events import MAX_ROWS, EventFinding, FormatError, header, rows
from .findings import Finding
from .money import AmountError, parse_decimal

REQUIRED = ("calloff", "participant", "milestone", "fee", "period")


def read(raw: IO[bytes], path: str) -> tuple[list[Claim], list[EventFinding]]:
    """The ledger lines in ``raw`` and the problems with the file."""
    lines: list[Claim] = []
    findings: list[EventFinding] = []
    try:
        numbered = rows(raw)
        first = next(numbered, None)
        if first is None:
            raise FormatError("the file is empty", hint="a ledger's first row is: " + ",".join(LEDGER_COLUMNS))
        columns = header(first[1], REQUIRED, ("achieved", "evidence"))
        for count, (line, cells) in enumerate(numbered, start=1):
            if count > MAX_ROWS:
                raise FormatError("more than 1,000,000 rows", line, "split the ledger into several files")
            if cells and cells != [""]:
                _line(path, line, cells, columns, lines, findings)
    except FormatError as error:
        return [], [EventFinding(path, Finding("events-format", str(error), line=error.line, hint=error.hint))]
    return lines, findings


def _line(
    path: str, line: int, cells: list[str], columns: dict[str, int], out: list[Claim], findings: list[EventFinding]
) -> None:
    def cell(name: str) -> str:
        at = columns.get(name)
        return cells[at] if at is not None and at < len(cells) else ""

    problem = _problem(cell("fee"), cell("achieved"), cell("period"))
    if problem is not None:
        finding = Finding("type", problem, line=line, hint="write the line as `dps claims --format csv` does")
        findings.append(EventFinding(path, finding, cell("calloff"), cell("participant")))
        return
    fee = parse_decimal(cell("fee"))
    out.append(
        Claim(
            cell("calloff"),
            cell("participant"),
            cell("milestone"),
            cell("achieved"),
            fee,
            cell("period"),
            cell("evidence"),
            path,
            line,
        )
    )


def _problem(fee: str, achieved: str, period: str) -> str | None:
    try:
        amount = parse_decimal(fee, what="fee")
    except AmountError as error:
        return f"fee: {error}"
    if amount < 0:
        return f"fee: {fee} is negative"
    if achieved and parse_day(achieved) is None:
        return f"achieved: `{achieved[:40]}` is not a date from 2000-01-01 to 2099-12-31"
    if not PERIOD.fullmatch(period):
        return f"period: `{period[:40]}` is not a month written YYYY-MM"
    return None
