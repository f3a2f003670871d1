"""The in-life part of the decision record (SPEC §11 with `--events`): performance so far and claims to date.

A view for people of results computed elsewhere: the measures of
:mod:`dps_cli.performance` (SPEC §9), one chart per measure by start month,
and the claims :mod:`dps_cli.claims` finds due by the as-of date (SPEC §8, the
numbers `dps claims` gives).  Nothing is computed twice here: this module only
words and arranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..claims import Statement
from ..events import EventFinding
from ..money import display_money
from ..performance import CallOffPerformance, MeasureResult
from ..performance import percent as rounded
from ..reference import MILESTONES
from .chart import Chart, Point, percent

FINDINGS_SHOWN = 1_000  # a hostile events file cannot make a record of millions of lines
RATING_WORDS = {
    "good": "good",
    "approaching-target": "approaching target",
    "requires-improvement": "requires improvement",
    "inadequate": "inadequate",
}
WARNING_WORDS = {
    "cannot-meet-target": "cannot meet the target",
    "cannot-meet-commitment": "cannot meet the commitment",
    "secured": "commitment secured",
}
MILESTONE_WORDS = {"start": "Start", "completion": "Completion", "job_outcome": "Job outcome"}


@dataclass(frozen=True)
class MeasureView:
    """One measure of §9, as the record shows it."""

    measure: str
    base: str
    base_count: int
    achieved: int
    open: int
    missed: int
    final: bool
    rate: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    commitment: Decimal | None
    target: Decimal | None
    rating: str | None
    warning: str | None

    @property
    def shown(self) -> dict[str, str]:
        """Each cell in words; nothing is said by colour or by a symbol alone."""
        return {
            "rate": _pct(self.rate),
            "lower": _pct(self.lower),
            "upper": _pct(self.upper),
            "commitment": percent(self.commitment) if self.commitment is not None else "none",
            "target": percent(self.target) if self.target is not None else "none",
            "rating": self.rating_words,
            "warning": WARNING_WORDS.get(self.warning or "", "none"),
            "counts": f"{self.achieved} / {self.open} / {self.missed} of {self.base_count} {self.base}",
        }

    @property
    def rating_words(self) -> str:
        if self.commitment is None:
            return "none: no commitment to rate against"
        if self.rating is None:
            return "none yet: no one settled"
        return RATING_WORDS.get(self.rating, self.rating) + ("" if self.final else " (provisional)")

    @property
    def alarm(self) -> bool:
        """Whether the warning calls for action (drawn with a ⚠ and in words)."""
        return self.warning in ("cannot-meet-target", "cannot-meet-commitment")


@dataclass(frozen=True)
class ClaimLine:
    milestone: str
    count: int
    fee: str
    amount: str


@dataclass(frozen=True)
class InLife:
    as_of: date
    participants: int
    starters: int  # contracted, started by the as-of date, not withheld
    withheld_count: int
    measures: tuple[MeasureView, ...]
    charts: tuple[Chart, ...]
    claims: tuple[ClaimLine, ...]
    to_date: str
    value: str
    remaining: str
    withheld: tuple[tuple[str, tuple[str, ...]], ...]  # participant (masked), the reasons; at most FINDINGS_SHOWN
    withheld_total: int
    findings: tuple[str, ...]  # `path:line: severity rule: message`, at most FINDINGS_SHOWN
    findings_total: int
    errors: int

    @property
    def findings_more(self) -> int:
        return self.findings_total - len(self.findings)

    @property
    def withheld_more(self) -> int:
        return self.withheld_total - len(self.withheld)


def build(
    as_of: date, measured: CallOffPerformance, statement: Statement, findings: tuple[EventFinding, ...]
) -> InLife:
    """The in-life part from §9's measures of the call-off and §8's statement of the same derivation."""
    t = statement.totals
    return InLife(
        as_of=as_of,
        participants=statement.calloff.participants,
        starters=measured.starters,
        withheld_count=measured.withheld,
        measures=tuple(measure_view(m) for m in measured.measures),
        charts=charts(measured),
        claims=claim_lines(statement),
        to_date=display_money(t.to_date),
        value=display_money(t.value),
        remaining=display_money(t.remaining),
        withheld=tuple(
            (w.participant, tuple(_reason(r) for r in w.reasons)) for w in statement.withheld[:FINDINGS_SHOWN]
        ),
        withheld_total=len(statement.withheld),
        findings=tuple(finding_line(f) for f in findings[:FINDINGS_SHOWN]),
        findings_total=len(findings),
        errors=sum(1 for f in findings if f.finding.is_error),
    )


def measure_view(m: MeasureResult) -> MeasureView:
    return MeasureView(
        m.measure, m.base, m.base_count, m.achieved, m.open, m.missed, m.final, rounded(m.rate), rounded(m.lower),
        rounded(m.upper), rounded(m.commitment), rounded(m.target), m.rating, m.warning,
    )  # fmt: skip


def charts(measured: CallOffPerformance) -> tuple[Chart, ...]:
    """One chart per measure: each start-month cohort's rate and bounds (§9's cohorts) against the levels."""
    out = []
    for m in measured.measures:
        points = tuple(
            Point(c.month, c.starters, rounded(t.rate), rounded(t.lower), rounded(t.upper), t.final)
            for c in measured.cohorts
            for t in (c.measures[m.measure],)
        )
        out.append(Chart(m.measure, rounded(m.target), rounded(m.commitment), points))
    return tuple(out)


def claim_lines(statement: Statement) -> tuple[ClaimLine, ...]:
    """Per paid milestone: how many are due to date, the fee and the amount (the statement's own lines)."""
    out = []
    for milestone in MILESTONES:
        if milestone not in statement.fees or not _paid(statement, milestone):
            continue
        lines = [c for c in statement.due if c.milestone == milestone]
        amount = sum((c.fee for c in lines), Decimal("0.00"))
        fee = display_money(statement.fees[milestone])
        out.append(ClaimLine(MILESTONE_WORDS[milestone], len(lines), fee, display_money(amount)))
    return tuple(out)


def _paid(statement: Statement, milestone: str) -> bool:
    return any(m == milestone and share > 0 for m, share in statement.calloff.funding.shares())


def _reason(found: EventFinding) -> str:
    return f"line {found.finding.line}: {found.finding.rule}: {found.finding.message}"


def finding_line(found: EventFinding) -> str:
    f = found.finding
    hint = f" (hint: {f.hint})" if f.hint else ""
    return f"{found.path}:{f.line}: {f.severity} {f.rule}: {f.message}{hint}"


def _pct(value: Decimal | None) -> str:
    return "none" if value is None else f"{value:.2f}%"
