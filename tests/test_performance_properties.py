"""Performance (SPEC §9) properties over random histories: bounds, monotone bounds, finality, claims agree."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dps_cli.calloff import CallOff
from dps_cli.claims import claims
from dps_cli.events import Event
from dps_cli.milestones import derive, rules_of
from dps_cli.performance import Performance, performance
from tests.test_performance import CO, terms

FIRST = date(2026, 11, 2)
ALL = {"completion": 80, "action_plan": 90, "sj_outcome": 60, "job_outcome": 50}
SIGNERS = {"mentoring_agreement": 100, "in_work_13_weeks": 75}
TERMS = [
    terms(ALL, {"job_outcome": 45, "action_plan": 80}, participants=4),
    terms(ALL, {"action_plan": 100, "sj_outcome": 100}, rule="any", participants=5, continuous=True),
    terms(SIGNERS, SIGNERS, participants=4),
    terms({**ALL, **SIGNERS}, {"job_outcome": 45}, participants=6, continuous=True),
]


def ev(who: str, event: str, when: date) -> Event:
    return Event(CO, who, event, when, "", "e.csv", 0)


@st.composite
def histories(draw: st.DrawFn, *, ends: bool = False, tidy: bool = True) -> list[Event]:
    """Histories of 1–7 participants; ``ends``: everyone completes or leaves; ``tidy``: no errors."""
    events = []
    for n in range(draw(st.integers(1, 7))):
        who = f"P-{n}"
        start = FIRST + timedelta(draw(st.integers(0, 60)))
        events.append(ev(who, "start", start))
        end = draw(st.sampled_from(["completion", "leaver"] if ends else ["none", "completion", "leaver"]))
        if end != "none":
            events.append(ev(who, end, start + timedelta(draw(st.integers(0, 60)))))
        for once in ("action_plan", "sj_outcome", "mentoring_agreement"):
            if draw(st.booleans()):
                events.append(ev(who, once, start + timedelta(draw(st.integers(0, 70)))))
        at = start
        for _ in range(draw(st.integers(0, 3))):
            at += timedelta(draw(st.integers(1, 40)))
            events.append(ev(who, "job_start", at))
            if draw(st.booleans()):
                at += timedelta(draw(st.integers(0, 60)))
                events.append(ev(who, "job_end", at))
        if not tidy and draw(st.integers(0, 4)) == 0:
            events.append(ev(who, "leaver" if end == "completion" else "completion", start))
    return events


def measured(co: CallOff, events: list[Event], as_of: date) -> Performance:
    return performance([co], derive(events, {co.id: rules_of(co)}, as_of))


DAYS = st.integers(0, 400)


@settings(max_examples=200, deadline=None)
@given(histories(tidy=False), st.sampled_from(TERMS), DAYS)
def test_the_rate_lies_within_the_bounds(events, co, days):
    (result,) = measured(co, events, FIRST + timedelta(days)).calloffs
    for m in result.measures:
        assert m.base_count == m.achieved + m.open + m.missed <= result.starters
        if m.rate is not None:
            assert m.lower is not None and m.upper is not None
            assert m.lower <= m.rate <= m.upper
        if m.final and m.base_count:
            assert m.lower == m.rate == m.upper


@settings(max_examples=200, deadline=None)
@given(histories(), st.sampled_from(TERMS), st.integers(61, 300), st.integers(0, 300))
def test_a_later_as_of_never_lowers_lower_nor_raises_upper(events, co, days, more):
    """For the same starters (all started by the first as-of), the bounds only ever narrow."""
    (early,) = measured(co, events, FIRST + timedelta(days)).calloffs
    (late,) = measured(co, events, FIRST + timedelta(days + more)).calloffs
    assert early.starters == late.starters
    for before, after in zip(early.measures, late.measures, strict=True):
        if before.base_count and after.base_count:
            assert before.lower is not None and after.lower is not None
            assert before.upper is not None and after.upper is not None
            assert after.lower >= before.lower and after.upper <= before.upper
        assert after.achieved >= before.achieved and after.missed >= before.missed
        if before.final:
            assert (after.achieved, after.missed, after.base_count) == (
                before.achieved,
                before.missed,
                before.base_count,
            )


@settings(max_examples=150, deadline=None)
@given(histories(ends=True), st.sampled_from(TERMS))
def test_once_every_window_has_closed_every_measure_is_final(events, co):
    (result,) = measured(co, events, date(2028, 1, 1)).calloffs
    for m in result.measures:
        assert m.final and m.open == 0
        if m.base_count:
            assert m.lower == m.rate == m.upper
    assert all(k.final for k in result.cohorts)


@settings(max_examples=200, deadline=None)
@given(histories(tidy=False), st.sampled_from(TERMS), DAYS)
def test_the_counts_agree_with_the_milestones_claims_pays(events, co, days):
    as_of = FIRST + timedelta(days)
    derivation = derive(events, {co.id: rules_of(co)}, as_of)
    (result,) = performance([co], derivation).calloffs
    paid = claims([co], derivation, [], as_of.isoformat()[:7]).statements[0]
    fees = {m: sum(1 for c in paid.due if c.milestone == m) for m in ("start", "completion", "job_outcome")}
    assert result.starters == fees["start"] == sum(k.starters for k in result.cohorts)
    assert fees["completion"] == sum(k.completions for k in result.cohorts)
    measures = {m.measure: m for m in result.measures}
    for paid_for in ("completion", "job_outcome"):
        if paid_for in measures:
            assert measures[paid_for].achieved == fees[paid_for]
    for m in result.measures:
        assert m.achieved == sum(k.measures[m.measure].achieved for k in result.cohorts)
