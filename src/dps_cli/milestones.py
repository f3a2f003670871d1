"""Each participant's milestones from their events (SPEC §8). Pure: no I/O.

The one derivation ``dps claims`` pays from and ``dps performance`` measures
with: per participant, the days of the milestones (start, completion, leaver,
action plan, SJ outcome, mentoring agreement), the spells in work, the
job-outcome window and the day each measure was achieved, whether the
participant holds a contracted place, and the reasons to withhold them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import lt

from .calloff import CallOff
from .events import Event, EventFinding, masked
from .findings import Finding
from .schedule import weeks_after

ONCE = ("start", "completion", "leaver", "action_plan", "sj_outcome", "mentoring_agreement")
_ORDER = {"start": 0, "job_end": 2}  # on one day: start, then the rest, job_end last
ONE_DAY = timedelta(days=1)

Period = tuple[date, date]  # first and last day, inclusive


@dataclass(frozen=True)
class OutcomeRule:
    """How a job outcome is achieved: the call-off's frozen `measures.job_outcome`."""

    weeks_in_work: int
    window_weeks: int
    opens: str  # the milestone the window opens on (`completion`)
    continuous: bool  # one unbroken run (`in_work: continuous`) or in total (`cumulative`)


@dataclass(frozen=True)
class Rules:
    """What the derivation needs of a call-off."""

    calloff: str
    start: date
    participants: int
    outcome: OutcomeRule | None = None
    in_work_weeks: int | None = None  # `in_work_13_weeks`: weeks after the mentoring agreement


def rules_of(calloff: CallOff) -> Rules:
    """The derivation's rules from a call-off's frozen terms (never today's reference data)."""
    job = calloff.measures.get("job_outcome")
    outcome = None
    if job is not None and job.weeks_in_work and job.window_weeks:
        opens = job.window_opens or "completion"
        outcome = OutcomeRule(job.weeks_in_work, job.window_weeks, opens, job.in_work == "continuous")
    signers = calloff.measures.get("in_work_13_weeks")
    weeks = signers.weeks_after if signers is not None else None
    return Rules(calloff.id, calloff.start, calloff.participants, outcome, weeks)


@dataclass(slots=True)
class Progress:
    """One participant's history as of the cut-off.

    Built and placed by :func:`derive` (a million participants are built once,
    not copied to set their place); read, never changed, by everything else.
    """

    calloff: str
    participant: str
    dates: Mapping[str, date]  # each once-only event as recorded: start, completion, leaver, ...
    spells: tuple[tuple[date, date | None], ...]  # job spells as recorded; None: still open
    worked: tuple[Period, ...]  # days in work (the union of the spells, open ones to the cut-off)
    window: Period | None  # the job-outcome window, once it has opened
    achieved: Mapping[str, date]  # milestone or measure -> the day it was achieved
    evidence: Mapping[str, str]  # milestone -> the evidence reference of its event
    start_line: int = 0  # where the (first) start is: file and line
    path: str = ""
    contracted: bool = False
    reasons: tuple[EventFinding, ...] = ()

    @property
    def withheld(self) -> bool:
        return bool(self.reasons)

    @property
    def key(self) -> tuple[str, str]:
        return (self.calloff, self.participant)


@dataclass(frozen=True)
class Derivation:
    as_of: date
    participants: tuple[Progress, ...]  # sorted by call-off, participant
    findings: tuple[EventFinding, ...]  # the history rules' findings, over-contract warnings included
    _index: dict[str, list[Progress]] = field(default_factory=dict, compare=False, repr=False)

    def of(self, calloff: str) -> list[Progress]:
        """The participants of one call-off, in reference order."""
        return self._by_calloff().get(calloff, [])

    def _by_calloff(self) -> dict[str, list[Progress]]:
        if not self._index:
            for person in self.participants:
                self._index.setdefault(person.calloff, []).append(person)
        return self._index


def derive(
    events: Iterable[Event], rules: Mapping[str, Rules], as_of: date, flagged: Iterable[EventFinding] = ()
) -> Derivation:
    """Every participant's milestones; ``flagged`` are the reader's findings, which withhold their participants."""
    groups: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.day <= as_of and event.calloff in rules:
            groups[(event.calloff, event.participant)].append(event)
    reasons: dict[tuple[str, str], list[EventFinding]] = defaultdict(list)
    for found in flagged:
        if found.finding.is_error and found.participant and found.calloff in rules:
            reasons[(found.calloff, found.participant)].append(found)
    findings: list[EventFinding] = []
    people = []
    for key in sorted(groups.keys() | reasons.keys()):
        progress, own = history(groups.get(key, []), rules[key[0]], as_of, key)
        findings += own
        people.append(_with_reasons(progress, [*reasons[key], *own] if key in reasons else own))
    placed, warnings = _places(people, rules)
    return Derivation(as_of, tuple(placed), tuple(sorted([*findings, *warnings], key=EventFinding.sort_key)))


def _with_reasons(progress: Progress, found: list[EventFinding]) -> Progress:
    if found:
        progress.reasons = tuple(sorted((f for f in found if f.finding.is_error), key=EventFinding.sort_key))
    return progress


def _places(people: list[Progress], rules: Mapping[str, Rules]) -> tuple[list[Progress], list[EventFinding]]:
    """The first `participants` starters by (earliest start, reference) hold places; before withholding."""
    starters: dict[str, list[Progress]] = defaultdict(list)
    for person in people:
        if "start" in person.dates:
            starters[person.calloff].append(person)
    contracted: set[tuple[str, str]] = set()
    warnings = []
    for calloff, group in starters.items():
        group.sort(key=lambda p: (p.dates["start"], p.participant))
        limit = rules[calloff].participants
        contracted |= {p.key for p in group[:limit]}
        for person in group[limit:]:
            message = f"{masked(person.participant)} starts beyond the {limit} contracted places: no fees, not measured"
            finding = Finding("over-contract", message, line=person.start_line)
            warnings.append(EventFinding(person.path, finding, calloff, person.participant))
    for person in people:
        person.contracted = person.key in contracted
    return people, warnings


# -- one participant -----------------------------------------------------------


class _Builder:
    """One participant's events taken in order (a plain class: built once per participant, a million times)."""

    __slots__ = (
        "dates",
        "evidence",
        "findings",
        "first_start",
        "key",
        "open",
        "path",
        "rules",
        "seen",
        "spells",
        "start_line",
    )

    def __init__(self, key: tuple[str, str], rules: Rules, first_start: date | None) -> None:
        self.key, self.rules, self.first_start = key, rules, first_start
        self.dates: dict[str, date] = {}
        self.evidence: dict[str, str] = {}
        self.open: list[Event] = []
        self.spells: list[tuple[date, date | None, str]] = []
        self.findings: list[EventFinding] = []
        self.seen: set[tuple[str, date]] = set()
        self.start_line, self.path = 0, ""

    def problem(self, event: Event, rule: str, message: str, hint: str | None = None) -> None:
        finding = Finding(rule, message, line=event.line, hint=hint)
        self.findings.append(EventFinding(event.path, finding, *self.key))

    def take(self, event: Event) -> None:
        if (event.event, event.day) in self.seen:
            self.problem(event, "duplicate-event", f"the same {event.event} on {event.day} again")
            return
        self.seen.add((event.event, event.day))
        if event.event == "start":
            self.on_start(event)
        elif "start" not in self.dates:
            self.before_start(event)
        elif event.event in ONCE:
            self.once(event)
        elif event.event == "job_start":
            self.open.append(event)
        else:
            self.job_end(event)

    def take_each_day(self, events: list[Event]) -> None:
        """As :meth:`take` for each event, when each is on a later day than the one before.

        No event can repeat another then, and the common events (a first start on or after the call-off's,
        a first completion, job spells) are taken here with no call, as a million events pass through this
        loop; every other event goes through :meth:`take`, with every rule.
        """
        dates, evidence, opened, spells, take = self.dates, self.evidence, self.open, self.spells, self.take
        for event in events:
            name = event.event
            if name == "start" and "start" not in dates and event.day >= self.rules.start:
                dates["start"], evidence["start"] = event.day, event.evidence
                self.start_line, self.path = event.line, event.path
            elif name == "completion" and "start" in dates and "completion" not in dates and "leaver" not in dates:
                dates["completion"], evidence["completion"] = event.day, event.evidence
            elif name == "job_start" and "start" in dates:
                opened.append(event)
            elif name == "job_end" and opened:  # a spell is open only after the start
                first = opened.pop(0)
                spells.append((first.day, event.day, first.evidence))
            else:
                take(event)

    def on_start(self, event: Event) -> None:
        if "start" in self.dates:
            self.problem(event, "duplicate-event", f"a second start (the first is on {self.dates['start']})")
            return
        self.dates["start"], self.evidence["start"], self.start_line = event.day, event.evidence, event.line
        self.path = event.path
        if event.day < self.rules.start:
            message = f"a start on {event.day}, before the call-off starts on {self.rules.start}"
            self.problem(event, "event-order", message, "check the date, or the call-off the row names")

    def before_start(self, event: Event) -> None:
        if self.first_start is None:
            message = f"{event.event} on {event.day}, but the participant has no start"
            self.problem(event, "event-order", message, "record the participant's start first")
        else:
            message = f"{event.event} on {event.day}, before the participant's start on {self.first_start}"
            self.problem(event, "event-order", message, "check the dates")

    def once(self, event: Event) -> None:
        name = event.event
        if name in self.dates:
            self.problem(event, "duplicate-event", f"a second {name} (the first is on {self.dates[name]})")
            return
        other = {"completion": "leaver", "leaver": "completion"}.get(name)
        if other is not None and other in self.dates:
            message = f"both a {other} (on {self.dates[other]}) and a {name}: a participant completes or leaves"
            self.problem(event, "event-order", message, "keep the one that happened")
            return
        self.dates[name], self.evidence[name] = event.day, event.evidence

    def job_end(self, event: Event) -> None:
        if not self.open:
            self.problem(event, "event-order", f"a job_end on {event.day} with no job spell open")
            return
        opened = self.open.pop(0)
        self.spells.append((opened.day, event.day, opened.evidence))


def history(
    events: list[Event], rules: Rules, as_of: date, key: tuple[str, str]
) -> tuple[Progress, list[EventFinding]]:
    """One participant's :class:`Progress` (not yet placed) and the findings of their history."""
    builder = _Builder(key, rules, None)
    if _on_later_days(events):  # most histories: already in order, and no two events on one day
        builder.first_start = _first_start(events)
        builder.take_each_day(events)
    else:
        ordered = sorted(events, key=_in_order)
        builder.first_start = _first_start(ordered)
        for event in ordered:
            builder.take(event)
    spells = _spells(builder)
    worked = union([(first, last or as_of) for first, last, _ in spells]) if spells else []
    dates = builder.dates
    window = _window(dates, rules.outcome)
    achieved = _achieved(dates, worked, window, rules)
    evidence = builder.evidence
    if "job_outcome" in achieved:
        evidence["job_outcome"] = _spell_evidence(spells, achieved["job_outcome"])
    recorded = tuple([(a, b) for a, b, _ in spells]) if spells else ()
    progress = Progress(*key, dates, recorded, tuple(worked), window, achieved, evidence, builder.start_line)
    progress.path = builder.path
    return progress, builder.findings


def _first_start(ordered: list[Event]) -> date | None:
    if ordered and ordered[0].event == "start":  # most histories
        return ordered[0].day
    return next((e.day for e in ordered if e.event == "start"), None)


def _spells(builder: _Builder) -> list[tuple[date, date | None, str]]:
    """The job spells, closed ones and those still open, in date order."""
    if not builder.open:
        spells = builder.spells
    else:
        spells = [*builder.spells, *((e.day, None, e.evidence) for e in builder.open)]
    if len(spells) > 1:
        spells.sort(key=lambda s: (s[0], s[1] or date.max))
    return spells


def _on_later_days(events: list[Event]) -> bool:
    """Each event on a later day than the one before, as most files list them: no sort could change that order."""
    days = [event.day for event in events]
    return all(map(lt, days, days[1:]))


def _in_order(event: Event) -> tuple[date, int, str, int]:
    """Date order; on one day start, then the rest, job_end last; then where the rows are."""
    return (event.day, _ORDER.get(event.event, 1), event.path, event.line)


def union(spells: Iterable[Period]) -> list[Period]:
    """Days in work, each counted once: overlapping or touching spells merged."""
    merged: list[Period] = []
    for first, last in sorted(spells):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


_SPANS: dict[int, timedelta] = {}


def _after(day: date, weeks: int) -> date:
    """:func:`.schedule.weeks_after`, sharing the few spans a million participants use."""
    span = _SPANS.get(weeks)
    if span is None:
        if len(_SPANS) > 64 or not 0 <= weeks <= 10_000:
            return weeks_after(day, weeks)
        span = _SPANS[weeks] = timedelta(weeks=weeks)
    try:
        return day + span
    except OverflowError:
        return weeks_after(day, weeks)


def _window(dates: Mapping[str, date], rule: OutcomeRule | None) -> Period | None:
    """Days opens+1 … opens + window_weeks × 7, once the milestone it opens on has happened."""
    if rule is None or rule.opens not in dates or "completion" not in dates:
        return None
    opened = dates[rule.opens]
    return opened + ONE_DAY, _after(opened, rule.window_weeks)


def _achieved(dates: Mapping[str, date], worked: list[Period], window: Period | None, rules: Rules) -> dict[str, date]:
    achieved = {m: dates[m] for m in ("start", "completion", "mentoring_agreement") if m in dates}
    completion = dates.get("completion")
    for measure in ("action_plan", "sj_outcome"):
        if measure in dates and completion is not None and dates[measure] <= completion:
            achieved[measure] = completion  # it counts once the participant completes
    if window is not None and rules.outcome is not None:
        day = outcome_day(worked, window, rules.outcome)
        if day is not None:
            achieved["job_outcome"] = day
    signed = dates.get("mentoring_agreement")
    if signed is not None and rules.in_work_weeks is not None:
        day = _after(signed, rules.in_work_weeks)
        if any(first <= day <= last for first, last in worked):
            achieved["in_work_13_weeks"] = day
    return achieved


def outcome_day(worked: Iterable[Period], window: Period, rule: OutcomeRule) -> date | None:
    """The day the participant has been in work ``weeks_in_work`` × 7 days inside ``window``, or None."""
    opened = window[0] - ONE_DAY
    needed = (_after(opened, rule.weeks_in_work) - opened).days
    total = 0
    for first, last in worked:
        first, last = max(first, window[0]), min(last, window[1])
        if first > last:
            continue
        days = (last - first).days + 1
        if rule.continuous:
            total = 0
        if total + days >= needed:
            return first + timedelta(days=needed - total - 1)
        total += days
    return None


def _spell_evidence(spells: list[tuple[date, date | None, str]], day: date) -> str:
    """The evidence of the job spell the outcome was achieved in (the latest one that gives any)."""
    held = [note for first, last, note in spells if first <= day and (last is None or day <= last) and note]
    return held[-1] if held else ""
