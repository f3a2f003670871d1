"""Self-billing claims (SPEC §8): milestones + a call-off's terms + the ledger -> what is due. Pure.

A milestone is due when a contracted participant who is not withheld achieved
it by the cut-off, its share of the split is above 0, and the ledger does not
hold it yet.  Each fee is §5's split of the call-off's frozen price (the one
implementation, :func:`.schedule.split_fees`), so the fees ever due for one
participant add up to the price at most and a call-off's to its value at most.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .calloff import CallOff
from .events import EventFinding, capped, masked
from .findings import Finding
from .milestones import Derivation, Progress
from .money import display_money
from .reference import MILESTONES
from .schedule import split_fees

ZERO = Decimal("0.00")
LEDGER_COLUMNS = ("calloff", "participant", "milestone", "achieved", "fee", "period", "evidence")  # its CSV form
_Problem = Callable[["Claim", str, str, str | None], None]


class Claim(NamedTuple):
    """One milestone of one participant, paid or to pay: a line of the ledger's CSV form."""

    calloff: str
    participant: str
    milestone: str
    achieved: str  # ISO date (as written, in a ledger)
    fee: Decimal
    period: str
    evidence: str
    path: str = ""  # where a ledger line was read
    line: int = 0


@dataclass(frozen=True)
class Recovery:
    participant: str
    milestone: str
    fee: Decimal
    message: str


@dataclass(frozen=True)
class Withheld:
    participant: str
    reasons: tuple[EventFinding, ...]


@dataclass(frozen=True)
class Totals:
    due: Decimal
    claimed_before: Decimal
    to_date: Decimal
    value: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Statement:
    """One call-off's self-billing statement for one period."""

    calloff: CallOff
    fees: dict[str, Decimal]  # per participant, by milestone
    due: tuple[Claim, ...]
    totals: Totals
    withheld: tuple[Withheld, ...]
    recover: tuple[Recovery, ...]


@dataclass(frozen=True)
class Claims:
    period: str
    as_of: date
    statements: tuple[Statement, ...]
    findings: tuple[EventFinding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.finding.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def fees_of(calloff: CallOff) -> tuple[dict[str, Decimal], dict[str, bool]]:
    """The call-off's fee per milestone (§5's split of its frozen price) and which milestones it pays."""
    shares = calloff.funding.shares()
    return split_fees(calloff.price_per_participant, shares), {m: share > 0 for m, share in shares}


def claims(
    calloffs: Sequence[CallOff],
    derivation: Derivation,
    ledger: Sequence[Claim],
    period: str,
    found: Iterable[EventFinding] = (),
) -> Claims:
    """The statements of ``calloffs`` for ``period``; ``found`` are the readers' findings, listed with the rest."""
    found = [*found, *derivation.findings]
    return claims_each(calloffs, lambda calloff: (derivation.of(calloff), ()), derivation.as_of, ledger, period, found)


def claims_each(
    calloffs: Sequence[CallOff],
    derive_one: Callable[[str], tuple[list[Progress], Iterable[EventFinding]]],
    as_of: date,
    ledger: Sequence[Claim],
    period: str,
    found: Iterable[EventFinding] = (),
) -> Claims:
    """As :func:`claims`, deriving each call-off's milestones only while its statement is drawn up.

    ``derive_one(id)`` gives a call-off's participants and the findings of their histories.  Only one
    call-off's participants are held at a time, so a national year's events fit in bounded memory.
    """
    findings = [*found]
    statements = []
    claimed: dict[str, list[Claim]] = {}
    for line in ledger:
        if line.period <= period:  # a later statement's lines are not "claimed before"
            claimed.setdefault(line.calloff, []).append(line)
    for calloff in sorted(calloffs, key=lambda c: c.id):
        people, history = derive_one(calloff.id)
        statement, own = statement_for(calloff, people, claimed.get(calloff.id, []), period)
        statements.append(statement)
        findings += history
        findings += own
    return Claims(period, as_of, tuple(statements), tuple(capped(sorted(findings, key=EventFinding.sort_key))))


def statement_for(
    calloff: CallOff, people: list[Progress], ledger: list[Claim], period: str
) -> tuple[Statement, list[EventFinding]]:
    fees, paid = fees_of(calloff)
    supported = _supported(calloff, people, fees, paid, period)
    withheld = {p.participant for p in people if p.withheld}
    claimed, recover, findings = _check_ledger(calloff.id, ledger, supported, withheld, fees, paid)
    due = tuple(claim for key, claim in sorted(supported.items(), key=_order) if key not in claimed)
    due_total = sum((c.fee for c in due), ZERO)
    before = sum((c.fee for c in ledger), ZERO)
    totals = Totals(due_total, before, before + due_total, calloff.value, calloff.value - before - due_total)
    held = tuple(Withheld(masked(p.participant), p.reasons) for p in people if p.withheld)
    return Statement(calloff, fees, due, totals, held, tuple(recover)), findings


def _order(item: tuple[tuple[str, str], Claim]) -> tuple[str, int]:
    (participant, milestone), _ = item
    return participant, MILESTONES.index(milestone)


def _supported(
    calloff: CallOff, people: list[Progress], fees: dict[str, Decimal], paid: dict[str, bool], period: str
) -> dict[tuple[str, str], Claim]:
    """Every paid milestone the events support: contracted participants not withheld, achieved by the cut-off."""
    out = {}
    owed = [(milestone, fees[milestone]) for milestone in MILESTONES if paid[milestone]]
    new, calloff_id = tuple.__new__, calloff.id  # a claim per milestone of a million participants: built directly
    for person in people:
        if not person.contracted or person.withheld:
            continue
        achieved, evidence, participant = person.achieved, person.evidence, person.participant
        for milestone, fee in owed:
            day = achieved.get(milestone)
            if day is not None:
                note = evidence.get(milestone, "")
                claim = new(Claim, (calloff_id, participant, milestone, day.isoformat(), fee, period, note, "", 0))
                out[(participant, milestone)] = claim
    return out


def _check_ledger(
    calloff: str,
    ledger: list[Claim],
    supported: dict[tuple[str, str], Claim],
    withheld: set[str],
    fees: dict[str, Decimal],
    paid: dict[str, bool],
) -> tuple[set[tuple[str, str]], list[Recovery], list[EventFinding]]:
    """What the ledger already holds, the money to recover, and the ledger findings."""
    claimed: set[tuple[str, str]] = set()
    recover: list[Recovery] = []
    findings: list[EventFinding] = []

    def problem(claim: Claim, rule: str, message: str, hint: str | None = None) -> None:
        finding = Finding(rule, message, line=claim.line, hint=hint)
        findings.append(EventFinding(claim.path, finding, calloff, claim.participant))

    for claim in sorted(ledger, key=lambda c: (c.path, c.line)):
        key = (claim.participant, claim.milestone)
        who = f"{masked(claim.participant)} {claim.milestone}"
        if key in claimed:
            message = f"{who} is claimed twice in the ledger: {display_money(claim.fee)} paid again"
            problem(claim, "duplicate-claim", message, "recover the second payment")
            recover.append(Recovery(masked(claim.participant), claim.milestone, claim.fee, message))
            continue
        claimed.add(key)
        if claim.participant in withheld:
            continue  # the records do not hold together: judged once they are corrected
        if key not in supported or not paid.get(claim.milestone, False):
            message = f"{who} was claimed ({display_money(claim.fee)}) but the events do not support it"
            problem(claim, "unsupported-claim", message, "recover the fee, or record the missing events")
            recover.append(Recovery(masked(claim.participant), claim.milestone, claim.fee, message))
        elif claim.fee != fees[claim.milestone]:
            _mismatch(claim, fees[claim.milestone], who, problem, recover)
    return claimed, recover, findings


def _mismatch(claim: Claim, fee: Decimal, who: str, problem: _Problem, recover: list[Recovery]) -> None:
    message = f"{who} was claimed at {display_money(claim.fee)}; the call-off's fee is {display_money(fee)}"
    problem(claim, "fee-mismatch", message, "correct the ledger line")
    if claim.fee > fee:
        recover.append(Recovery(masked(claim.participant), claim.milestone, claim.fee - fee, message))
