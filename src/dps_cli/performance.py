"""Performance against the bid (SPEC §9): each call-off's measures, ratings and early warnings. Pure.

Everything rests on the milestone derivation :func:`.milestones.derive` (the
one ``dps claims`` pays from): a measure is achieved exactly when the
participant's :attr:`.milestones.Progress.achieved` holds it.  On top of it,
:mod:`.standing` says who can no longer achieve a measure (``missed``) and this
module counts, bounds, rates and warns.

The API other parts build on (kept stable):

- :func:`performance` (call-offs + a derivation) -> :class:`Performance`;
- :class:`CallOffPerformance`: one call-off's ``starters``, ``measures`` (one
  :class:`MeasureResult` per measure in commitments ∪ targets, in SPEC §1's
  order) and ``cohorts`` (one :class:`Cohort` per start month);
- :class:`Tally`: achieved / open / missed counts and the exact bounds.

Rates, bounds, targets and commitments are exact :class:`~fractions.Fraction`
percentages (0–100), ``None`` when the divisor is 0; :func:`percent` rounds one
half-up to 2 dp for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Literal

from .calloff import CallOff, MeasureName
from .events import EventFinding, capped
from .milestones import Derivation, Progress, rules_of
from .money import round_score
from .standing import Judge
from .standing import State as State  # part of this module's API

ORDER: tuple[MeasureName, ...] = (
    "completion",
    "action_plan",
    "sj_outcome",
    "job_outcome",
    "mentoring_agreement",
    "in_work_13_weeks",
)
COUNT_NAMES = {
    "completion": "completions",
    "action_plan": "action_plans",
    "sj_outcome": "sj_outcomes",
    "job_outcome": "job_outcomes",
    "mentoring_agreement": "mentoring_agreements",
    "in_work_13_weeks": "in_work_13_weeks",
}
"""How a cohort names the count of each measure achieved (SPEC §9's ``completions``, ``job_outcomes``)."""

Rating = Literal["good", "approaching-target", "requires-improvement", "inadequate"]
Warning = Literal["cannot-meet-target", "cannot-meet-commitment", "secured"]
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Tally:
    """Participants in a measure's base by state; the exact bounds follow from the counts."""

    achieved: int = 0
    open: int = 0
    missed: int = 0

    @property
    def base_count(self) -> int:
        return self.achieved + self.open + self.missed

    @cached_property
    def lower(self) -> Fraction | None:
        """The worst the final rate can be for these starters (achieved / base)."""
        return _ratio(self.achieved, self.base_count)

    @cached_property
    def upper(self) -> Fraction | None:
        """The best the final rate can be ((achieved + open) / base)."""
        return _ratio(self.achieved + self.open, self.base_count)

    @cached_property
    def rate(self) -> Fraction | None:
        """The rate among those settled so far (achieved / (achieved + missed))."""
        return _ratio(self.achieved, self.achieved + self.missed)

    @property
    def final(self) -> bool:
        return self.open == 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.achieved + other.achieved, self.open + other.open, self.missed + other.missed)


def _ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(100 * part, whole) if whole else None


def percent(value: Fraction | None) -> Decimal | None:
    """A percentage for display: half-up to 2 dp (``None`` stays ``None``)."""
    return None if value is None else round_score(value)


@dataclass(frozen=True)
class MeasureResult:
    """One measure of one call-off: the counts, the bounds, the rating and the warning."""

    measure: str
    base: str  # starters | completers | signers
    target: Fraction | None  # the provision's target at award; None when the measure has none
    commitment: Fraction | None  # the bid's committed level; None when the offer committed to none
    tally: Tally
    rating: Rating | None
    below_target: bool | None
    warning: Warning | None

    @property
    def achieved(self) -> int:
        return self.tally.achieved

    @property
    def open(self) -> int:
        return self.tally.open

    @property
    def missed(self) -> int:
        return self.tally.missed

    @property
    def base_count(self) -> int:
        return self.tally.base_count

    @property
    def lower(self) -> Fraction | None:
        return self.tally.lower

    @property
    def upper(self) -> Fraction | None:
        return self.tally.upper

    @property
    def rate(self) -> Fraction | None:
        return self.tally.rate

    @property
    def final(self) -> bool:
        return self.tally.final


@dataclass(frozen=True)
class Cohort:
    """The contracted participants who started in one month (``YYYY-MM``)."""

    month: str
    starters: int
    completions: int
    measures: dict[str, Tally]  # every measure of the call-off, in its order

    @property
    def final(self) -> bool:
        return all(t.final for t in self.measures.values())


@dataclass(frozen=True)
class CallOffPerformance:
    calloff: CallOff
    starters: int  # contracted participants who started by the as-of date and are not withheld
    withheld: int  # contracted participants left out of every measure because their records do not hold
    measures: tuple[MeasureResult, ...]
    cohorts: tuple[Cohort, ...]


@dataclass(frozen=True)
class Performance:
    as_of: date
    calloffs: tuple[CallOffPerformance, ...]
    findings: tuple[EventFinding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.finding.is_error)

    @property
    def inadequate(self) -> int:
        """Measures rated ``inadequate``."""
        return sum(1 for c in self.calloffs for m in c.measures if m.rating == "inadequate")

    @property
    def warnings(self) -> int:
        """Warning findings (over-contract starters)."""
        return len(self.findings) - self.errors

    @property
    def warned(self) -> int:
        """Measures warned ``cannot-meet-target`` or ``cannot-meet-commitment`` (SPEC §9's ``summary.warnings``)."""
        return sum(1 for c in self.calloffs for m in c.measures if m.warning in _ALARMS)


_ALARMS = ("cannot-meet-target", "cannot-meet-commitment")


def performance(calloffs: Sequence[CallOff], derivation: Derivation, found: Iterable[EventFinding] = ()) -> Performance:
    """Every call-off measured as of the derivation's cut-off; ``found`` are the readers' findings.

    The findings are capped per rule and file as ``dps claims`` caps them (the withheld stay withheld)."""
    findings = capped(sorted([*found, *derivation.findings], key=EventFinding.sort_key))
    results = tuple(
        measure_calloff(c, derivation.of(c.id), derivation.as_of) for c in sorted(calloffs, key=lambda c: c.id)
    )
    return Performance(derivation.as_of, results, tuple(findings))


def measures_of(calloff: CallOff) -> list[MeasureName]:
    """The measures a call-off is held to: commitments ∪ targets, in SPEC §1's order."""
    named = calloff.commitments.keys() | calloff.targets.keys()
    return [m for m in ORDER if m in named]


def measure_calloff(calloff: CallOff, people: Iterable[Progress], as_of: date) -> CallOffPerformance:
    """One call-off's measures and cohorts from its participants' progress (any order)."""
    names = measures_of(calloff)
    judge = Judge(rules_of(calloff), as_of)
    judges = [(2 + 3 * at, judge.of(name)) for at, name in enumerate(names)]
    width = 2 + 3 * len(names)
    rows: dict[int, list[int]] = {}  # start month (year × 12 + month) -> starters, completions, then per measure
    withheld = 0
    for person in people:
        if not person.contracted:
            continue
        if person.withheld:
            withheld += 1
            continue
        started = person.dates["start"]
        row = rows.get(started.year * 12 + started.month)
        if row is None:
            row = rows[started.year * 12 + started.month] = [0] * width
        row[0] += 1
        row[1] += "completion" in person.achieved
        for at, state in judges:
            judged = state(person)
            if judged is not None:
                row[at + _COLUMN[judged]] += 1
    return _assembled(calloff, names, rows, withheld)


_COLUMN = {"achieved": 0, "open": 1, "missed": 2}


def _assembled(
    calloff: CallOff, names: list[MeasureName], rows: dict[int, list[int]], withheld: int
) -> CallOffPerformance:
    """The counts per start month made into cohorts, and their sums into the call-off's measures."""
    cohorts = []
    for key in sorted(rows):
        row = rows[key]
        tallies: dict[str, Tally] = {name: Tally(*row[2 + 3 * at : 5 + 3 * at]) for at, name in enumerate(names)}
        month = f"{(key - 1) // 12:04d}-{(key - 1) % 12 + 1:02d}"
        cohorts.append(Cohort(month, row[0], row[1], tallies))
    sums = [sum(column) for column in zip(*rows.values(), strict=True)] or [0] * (2 + 3 * len(names))
    totals = {name: Tally(*sums[2 + 3 * at : 5 + 3 * at]) for at, name in enumerate(names)}
    results = _judged(calloff, names, totals)
    return CallOffPerformance(calloff, sums[0], withheld, results, tuple(cohorts))


# -- rating, target and warning --------------------------------------------------


def _judged(calloff: CallOff, names: list[MeasureName], totals: dict[MeasureName, Tally]) -> tuple[MeasureResult, ...]:
    results = [_result(calloff, name, totals[name]) for name in names]
    if calloff.targets_rule == "any":
        results = _any_rule(calloff, results)
    return tuple(results)


def _result(calloff: CallOff, name: MeasureName, tally: Tally) -> MeasureResult:
    target = _level(calloff.targets.get(name))
    commitment = _level(calloff.commitments.get(name))
    rate = tally.rate
    below = None if target is None or rate is None else rate < target
    base = calloff.measures[name].base if name in calloff.measures else "starters"
    rating = rating_of(rate, commitment, calloff)
    return MeasureResult(name, base, target, commitment, tally, rating, below, warning_of(tally, target, commitment))


def _level(value: Decimal | None) -> Fraction | None:
    return None if value is None else _fraction(value)


@lru_cache(maxsize=1024)
def _fraction(value: Decimal) -> Fraction:
    """A percentage as a fraction (call-offs share a few levels: made once each)."""
    return Fraction(value)


def rating_of(rate: Fraction | None, commitment: Fraction | None, calloff: CallOff) -> Rating | None:
    """The Procurement Act rating of ``rate`` against the commitment, by the call-off's frozen bands."""
    if rate is None or commitment is None:
        return None
    if rate >= commitment:
        return "good"
    if rate * HUNDRED >= commitment * _fraction(calloff.ratings.approaching_target):
        return "approaching-target"
    if rate * HUNDRED >= commitment * _fraction(calloff.ratings.requires_improvement):
        return "requires-improvement"
    return "inadequate"


def warning_of(
    tally: Tally, target: Fraction | None, commitment: Fraction | None, *, target_counts: bool = True
) -> Warning | None:
    """The certain early warning from the bounds; ``target_counts=False`` skips ``cannot-meet-target``."""
    lower, upper = tally.lower, tally.upper
    if upper is None or lower is None:
        return None
    if target_counts and target is not None and upper < target:
        return "cannot-meet-target"
    if commitment is not None and upper < commitment:
        return "cannot-meet-commitment"
    if commitment is not None and lower >= commitment:
        return "secured"
    return None


def _any_rule(calloff: CallOff, results: list[MeasureResult]) -> list[MeasureResult]:
    """Category 3: the target is met when either measure meets it, so "below" and "cannot" hold only for all."""
    ruled = [r for r in results if r.target is not None]
    all_below = bool(ruled) and all(r.below_target is True for r in ruled)
    all_cannot = bool(ruled) and all(r.warning == "cannot-meet-target" for r in ruled)
    out = []
    for r in results:
        if r.target is None:
            out.append(r)
            continue
        below = r.below_target if all_below or r.below_target is None else False
        warning = r.warning
        if warning == "cannot-meet-target" and not all_cannot:
            warning = warning_of(r.tally, r.target, r.commitment, target_counts=False)
        out.append(MeasureResult(r.measure, r.base, r.target, r.commitment, r.tally, r.rating, below, warning))
    return out
