"""Payment schedule for an Offer (SPEC §5): fee split, scenarios, timeline. Pure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .models import Offer
from .money import split
from .reference import MILESTONES, Category, Reference, Routeway

SCENARIOS = ("maximum", "target", "offered")


class ScheduleError(ValueError):
    """The schedule cannot be drawn up (its dates run past what a calendar date can hold)."""


def weeks_after(day: date, weeks: int) -> date:
    """The one place week arithmetic happens."""
    try:
        return day + timedelta(weeks=weeks)
    except OverflowError:
        raise ScheduleError(f"{weeks} weeks after {day.isoformat()} is past the year 9999") from None


def _paid(shares: Sequence[tuple[str, Decimal]]) -> dict[str, bool]:
    """Which milestones the split pays: by share, never by the rounded fee (1p at 30% rounds to 0p)."""
    return {milestone: share > 0 for milestone, share in shares}


def at_least(participants: int, rate: Decimal) -> int:
    """The smallest whole number of participants that meets ``rate`` percent."""
    return math.ceil(Fraction(participants) * Fraction(rate) / 100)


@dataclass(frozen=True)
class Scenario:
    name: str
    starts: int
    completions: int
    job_outcomes: int
    total: Decimal

    def counts(self) -> dict[str, int]:
        return {"start": self.starts, "completion": self.completions, "job_outcome": self.job_outcomes}


@dataclass(frozen=True)
class Entry:
    """A milestone's payments for the cohort: when, how many, how much (maximum scenario)."""

    milestone: str
    start: date
    until: date
    count: int
    amount: Decimal


@dataclass(frozen=True)
class Terms:
    """What a cohort's payments depend on: an offer's under today's reference data, or a call-off's frozen ones."""

    price: Decimal
    shares: tuple[tuple[str, Decimal], ...]  # the funding split, by milestone
    targets: Mapping[str, Decimal]
    commitments: Mapping[str, Decimal]
    course_weeks: int
    outcome_window: tuple[int, int]  # (weeks after completion, weeks until the window closes)


@dataclass(frozen=True)
class Cohort:
    """One cohort's payments: fees, scenarios and timeline."""

    participants: int
    start: date
    fees: dict[str, Decimal]  # per participant, by milestone
    scenarios: dict[str, Scenario]
    timeline: tuple[Entry, ...]

    def monthly(self) -> list[tuple[str, dict[str, Decimal]]]:
        """Cash by calendar month for each scenario.

        Start and completion fees fall on their dates; job-outcome fees in the
        month their window closes, the latest they can be paid.
        """
        if not self.timeline:
            return []
        paid_in = [f"{entry.until.year:04}-{entry.until.month:02}" for entry in self.timeline]
        months = {month: dict.fromkeys(SCENARIOS, Decimal(0)) for month in _months_between(min(paid_in), max(paid_in))}
        for entry, month in zip(self.timeline, paid_in, strict=True):
            for name, scenario in self.scenarios.items():
                months[month][name] += self.fees[entry.milestone] * scenario.counts()[entry.milestone]
        return list(months.items())


@dataclass(frozen=True)
class Schedule(Cohort):
    """An offer's cohort under the reference data in force."""

    offer: Offer
    provision: Category | Routeway
    warnings: tuple[str, ...]


def _months_between(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04}-{month:02}" <= last:
        out.append(f"{year:04}-{month:02}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def fees(price: Decimal, provision: Category | Routeway) -> dict[str, Decimal]:
    """Per-participant fees; they add up to ``price`` exactly."""
    return split_fees(price, provision.funding.shares())


def split_fees(price: Decimal, shares: Sequence[tuple[str, Decimal]]) -> dict[str, Decimal]:
    parts = split(price, [pct for _, pct in shares])
    return dict(zip(MILESTONES, parts, strict=True))


def scenarios(terms: Terms, n: int, fee: dict[str, Decimal]) -> dict[str, Scenario]:
    pays_outcomes = _paid(terms.shares)["job_outcome"]
    target = terms.targets.get("job_outcome")
    committed = terms.commitments.get("job_outcome")
    completion = terms.commitments.get("completion")
    offered_completions = at_least(n, completion) if completion is not None else n
    counts = {
        "maximum": (n, n, n if pays_outcomes else 0),
        "target": (n, n, at_least(n, target) if pays_outcomes and target is not None else 0),
        "offered": (
            n,
            offered_completions,
            min(at_least(n, committed), offered_completions) if pays_outcomes and committed is not None else 0,
        ),
    }
    return {
        name: Scenario(name, s, c, o, s * fee["start"] + c * fee["completion"] + o * fee["job_outcome"])
        for name, (s, c, o) in counts.items()
    }


def timeline(terms: Terms, n: int, start: date, fee: dict[str, Decimal]) -> tuple[Entry, ...]:
    completion = weeks_after(start, terms.course_weeks)
    earliest, closes = terms.outcome_window
    windows = {
        "start": (start, start),
        "completion": (completion, completion),
        "job_outcome": (weeks_after(completion, earliest), weeks_after(completion, closes)),
    }
    paid = _paid(terms.shares)
    return tuple(Entry(m, *windows[m], n, fee[m] * n) for m in MILESTONES if paid[m])


def cohort(terms: Terms, participants: int, start: date) -> Cohort:
    """The payments for ``participants`` starting on ``start`` under ``terms``."""
    fee = split_fees(terms.price, terms.shares)
    return Cohort(
        participants=participants,
        start=start,
        fees=fee,
        scenarios=scenarios(terms, participants, fee),
        timeline=timeline(terms, participants, start, fee),
    )


def offer_terms(offer: Offer, provision: Category | Routeway, ref: Reference) -> Terms:
    """An offer's terms under the reference data in force."""
    commitments = offer.performance.model_dump(exclude_none=True) if offer.performance else {}
    return Terms(
        price=offer.price_per_participant,
        shares=tuple(provision.funding.shares()),
        targets=provision.targets,
        commitments=commitments,
        course_weeks=offer.course.duration_weeks,
        outcome_window=ref.job_outcome_window,
    )


def build(offer: Offer, participants: int, start: date, ref: Reference) -> Schedule:
    provision = ref.provision(offer.provision)
    if provision is None:  # a validated offer always names a known provision
        raise ValueError(f"unknown provision {offer.provision}")
    planned = cohort(offer_terms(offer, provision, ref), participants, start)
    return Schedule(
        **vars(planned), offer=offer, provision=provision, warnings=warnings_for(offer, participants, start)
    )


def warnings_for(offer: Offer, participants: int, start: date) -> tuple[str, ...]:
    """What the buyer should know before relying on the schedule: capacity and availability."""
    out = []
    if participants > offer.capacity:
        out.append(f"{participants} participants is more than the offer's capacity of {offer.capacity}")
    available = offer.available
    if not available.from_ <= start <= available.until:
        out.append(
            f"the cohort starts {start.isoformat()}, outside the offer's availability "
            f"({available.from_.isoformat()} to {available.until.isoformat()})"
        )
    return tuple(out)
