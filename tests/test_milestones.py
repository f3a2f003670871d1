"""The milestone derivation (SPEC §8): every boundary, by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dps_cli.events import Event
from dps_cli.milestones import OutcomeRule, Rules, derive, union

CO = "CO-T-1"
S = date(2026, 11, 2)
C = S + timedelta(weeks=6)  # 2026-12-14
RULES = Rules(CO, date(2026, 11, 1), 40, OutcomeRule(4, 13, "completion", continuous=False), in_work_weeks=13)
CONTINUOUS = Rules(CO, date(2026, 11, 1), 40, OutcomeRule(4, 13, "completion", continuous=True))


def day(offset: int, base: date = C) -> date:
    return base + timedelta(days=offset)


def ev(event: str, when: date, participant: str = "P-1", line: int = 0) -> Event:
    return Event(CO, participant, event, when, f"{event}-ev", "e.csv", line)


def completer(*more: Event) -> list[Event]:
    return [ev("start", S, line=2), ev("completion", C, line=3), *more]


def progress(events: list[Event], as_of: date, rules: Rules = RULES):
    derivation = derive(events, {CO: rules}, as_of)
    (person,) = derivation.participants
    return person, derivation


@pytest.mark.parametrize(("as_of", "achieved"), [(day(27), None), (day(28), day(28)), (day(200), day(28))])
def test_earliest_outcome_is_day_c_plus_28(as_of, achieved):
    person, _ = progress(completer(ev("job_start", day(1))), as_of)
    assert person.achieved.get("job_outcome") == achieved


def test_work_on_the_completion_day_is_outside_the_window():
    person, _ = progress(completer(ev("job_start", C), ev("job_end", day(27))), day(200))
    assert "job_outcome" not in person.achieved
    person, _ = progress(completer(ev("job_start", C), ev("job_end", day(28))), day(200))
    assert person.achieved["job_outcome"] == day(28)


@pytest.mark.parametrize(("first", "achieved"), [(64, day(91)), (65, None)])
def test_window_closes_on_day_c_plus_91(first, achieved):
    person, _ = progress(completer(ev("job_start", day(first))), day(400))
    assert person.achieved.get("job_outcome") == achieved
    assert person.window == (day(1), day(91))


def test_overlapping_spells_count_each_day_once():
    events = completer(ev("job_start", day(1)), ev("job_start", day(5)), ev("job_end", day(20)), ev("job_end", day(27)))
    person, _ = progress(events, day(200))
    assert person.worked == ((day(1), day(27)),)  # FIFO: spells 1-20 and 5-27
    assert "job_outcome" not in person.achieved  # 27 distinct days, not 43


def test_open_spell_lasts_to_the_as_of_date():
    person, _ = progress(completer(ev("job_start", day(10))), day(30))
    assert person.spells == ((day(10), None),) and person.worked == ((day(10), day(30)),)
    assert "job_outcome" not in person.achieved
    person, _ = progress(completer(ev("job_start", day(10))), day(37))
    assert person.achieved["job_outcome"] == day(37)


def gapped() -> list[Event]:
    return completer(ev("job_start", day(1)), ev("job_end", day(14)), ev("job_start", day(20)), ev("job_end", day(40)))


def test_cumulative_adds_up_spells():
    person, _ = progress(gapped(), day(200))
    assert person.achieved["job_outcome"] == day(33)  # 14 days, then 14 more from day 20


def test_continuous_needs_one_unbroken_run():
    person, _ = progress(gapped(), day(200), CONTINUOUS)
    assert "job_outcome" not in person.achieved  # runs of 14 and 21 days
    touching = completer(ev("job_start", day(1)), ev("job_end", day(14)), ev("job_start", day(15)))
    person, _ = progress(touching, day(200), CONTINUOUS)
    assert person.achieved["job_outcome"] == day(28)


def test_only_completers_achieve_a_job_outcome():
    events = [ev("start", S), ev("leaver", day(-20)), ev("job_start", day(1))]
    person, _ = progress(events, day(200))
    assert "job_outcome" not in person.achieved and person.window is None


def test_in_work_13_weeks_after_the_agreement():
    signed = day(-30)
    target = signed + timedelta(weeks=13)
    events = [ev("start", S), ev("mentoring_agreement", signed), ev("job_start", target)]
    person, _ = progress(events, target)
    assert person.achieved["in_work_13_weeks"] == target
    person, _ = progress([*events[:2], ev("job_start", target + timedelta(days=1))], day(300))
    assert "in_work_13_weeks" not in person.achieved


def test_action_plan_counts_only_on_or_before_completion():
    person, _ = progress(completer(ev("action_plan", C)), day(5))
    assert person.achieved["action_plan"] == C
    person, _ = progress(completer(ev("action_plan", day(1))), day(5))
    assert "action_plan" not in person.achieved and person.dates["action_plan"] == day(1)


def test_events_after_the_as_of_date_are_left_out():
    person, derivation = progress(completer(ev("start", day(5), line=9)), C)
    assert derivation.findings == () and person.achieved["completion"] == C


def rules_found(events: list[Event], as_of: date = date(2027, 6, 1)) -> list[tuple[str, int]]:
    derivation = derive(events, {CO: RULES}, as_of)
    return [(f.finding.rule, f.finding.line) for f in derivation.findings]


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([ev("completion", C, line=5)], [("event-order", 5)]),
        ([ev("start", S, line=2), ev("job_start", S - timedelta(days=1), line=3)], [("event-order", 3)]),
        ([ev("start", S, line=2), ev("start", S + timedelta(days=1), line=3)], [("duplicate-event", 3)]),
        ([ev("start", S, line=2), ev("start", S, line=3)], [("duplicate-event", 3)]),
        ([ev("start", date(2026, 10, 31), line=2)], [("event-order", 2)]),
        (completer(ev("leaver", day(1), line=4)), [("event-order", 4)]),
        (completer(ev("completion", day(1), line=4)), [("duplicate-event", 4)]),
        (completer(ev("job_end", day(3), line=4)), [("event-order", 4)]),
        (completer(ev("action_plan", S, line=4), ev("action_plan", C, line=5)), [("duplicate-event", 5)]),
    ],
)
def test_history_rules(events, expected):
    assert rules_found(events) == expected


def test_a_withheld_participant_keeps_its_place():
    rules = Rules(CO, date(2026, 11, 1), 2, None)
    events = [
        ev("start", S, "P-A", 2),
        ev("leaver", S, "P-A", 3),
        ev("completion", S + timedelta(days=1), "P-A", 4),  # P-A: inconsistent, withheld
        ev("start", S + timedelta(days=1), "P-C", 5),
        ev("start", S + timedelta(days=1), "P-B", 6),  # same day as P-C: reference decides
    ]
    derivation = derive(events, {CO: rules}, day(100))
    placed = {p.participant: (p.contracted, p.withheld) for p in derivation.participants}
    assert placed == {"P-A": (True, True), "P-B": (True, False), "P-C": (False, False)}
    assert [(f.finding.rule, f.finding.line) for f in derivation.findings] == [("event-order", 4), ("over-contract", 5)]


def test_union_merges_touching_and_overlapping():
    d = date(2027, 1, 1)
    spells = [(d, day(3, d)), (day(4, d), day(6, d)), (day(10, d), day(12, d)), (day(11, d), day(11, d))]
    assert union(spells) == [(d, day(6, d)), (day(10, d), day(12, d))]
