"""Performance against the bid (SPEC §9): hand-computed measures at every boundary, and who is missed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from dps_cli.calloff import CallOff
from dps_cli.events import Event
from dps_cli.milestones import derive, rules_of
from dps_cli.performance import MeasureResult, Performance, performance
from dps_cli.reference import load_reference
from dps_cli.validate import check_file

EXAMPLE = Path(__file__).parent.parent / "examples" / "calloffs" / "crawley-warehouse-award.yaml"
REF = load_reference(None)
BASE = check_file(EXAMPLE.read_bytes(), str(EXAMPLE), REF).model
assert isinstance(BASE, CallOff)
CO = BASE.id
S = date(2026, 11, 2)
C = S + timedelta(weeks=6)  # 2026-12-14
LATER = date(2027, 12, 31)


def terms(
    commitments: dict[str, int],
    targets: dict[str, int] | None = None,
    *,
    rule: str = "all",
    participants: int = 200,
    continuous: bool = False,
) -> CallOff:
    names = commitments.keys() | (targets or {}).keys()
    measures = {m: REF.measures[m] for m in names}
    if continuous:
        measures["job_outcome"] = measures["job_outcome"].model_copy(update={"in_work": "continuous"})
    return BASE.model_copy(
        update={
            "commitments": {m: Decimal(v) for m, v in commitments.items()},
            "targets": {m: Decimal(v) for m, v in (targets or {}).items()},
            "targets_rule": rule,
            "measures": measures,
            "participants": participants,
        }
    )


def ev(who: str, event: str, when: date) -> Event:
    return Event(CO, who, event, when, "", "e.csv", 0)


def group(prefix: str, n: int, *more: tuple[str, int]) -> list[Event]:
    """``n`` starters on S, each with ``more`` events (name, days after S)."""
    out = []
    for i in range(n):
        who = f"{prefix}-{i:03d}"
        out += [ev(who, "start", S), *(ev(who, name, S + timedelta(days)) for name, days in more)]
    return out


def completers(n: int, *more: tuple[str, int], prefix: str = "C") -> list[Event]:
    return group(prefix, n, ("completion", 42), *more)


def leavers(n: int) -> list[Event]:
    return group("L", n, ("leaver", 10))


def run(co: CallOff, events: list[Event], as_of: date = LATER) -> Performance:
    return performance([co], derive(events, {co.id: rules_of(co)}, as_of))


def measure(co: CallOff, events: list[Event], name: str, as_of: date = LATER) -> MeasureResult:
    (result,) = run(co, events, as_of).calloffs
    return next(m for m in result.measures if m.measure == name)


# -- ratings: commitment 80, bands 90% (72) and 75% (60) -------------------------


@pytest.mark.parametrize(
    ("done", "left", "rating"),
    [
        (8, 2, "good"),  # 80: exactly the commitment
        (79, 21, "approaching-target"),  # 79: just under
        (18, 7, "approaching-target"),  # 72: exactly 90% of the commitment
        (71, 29, "requires-improvement"),  # 71: just under 90% of it
        (15, 10, "requires-improvement"),  # 60: exactly 75% of it
        (59, 41, "inadequate"),  # 59: just under 75% of it
        (0, 3, "inadequate"),
    ],
)
def test_rating_bands_at_their_boundaries(done, left, rating):
    m = measure(terms({"completion": 80}), completers(done) + leavers(left), "completion")
    assert (m.achieved, m.missed, m.open, m.final) == (done, left, 0, True)
    assert m.rating == rating


def test_no_rating_before_anyone_is_settled():
    m = measure(terms({"completion": 80}), group("P", 3), "completion")
    assert (m.rate, m.rating, m.open, m.final, m.warning) == (None, None, 3, False, None)
    assert (m.lower, m.upper) == (0, 100)


def outcome_group(achieved: int, missed: int, open_: int) -> list[Event]:
    """Job outcomes: achievers work from C+1; the missed never work (window closed); the open are not done."""
    return completers(achieved, ("job_start", 43), prefix="A") + completers(missed, prefix="M") + group("O", open_)


def test_upper_exactly_at_the_target_is_no_cannot_meet_target():
    co = terms({"job_outcome": 50}, {"job_outcome": 45})
    m = measure(co, outcome_group(9, 11, 0), "job_outcome")  # upper 9/20 = 45%
    assert m.upper == 45 and m.warning == "cannot-meet-commitment"
    m = measure(co, outcome_group(8, 11, 1), "job_outcome")  # upper 9/20 still: one open
    assert m.upper == 45 and m.warning == "cannot-meet-commitment" and not m.final
    m = measure(co, outcome_group(8, 12, 0), "job_outcome")  # upper 40%
    assert m.warning == "cannot-meet-target" and m.below_target is True


def test_lower_exactly_at_the_commitment_is_secured():
    co = terms({"completion": 80})
    m = measure(co, completers(8) + group("O", 2), "completion")  # lower 8/10
    assert (m.lower, m.upper, m.warning) == (80, 100, "secured")
    m = measure(co, completers(7) + leavers(1) + group("O", 2), "completion")  # lower 70, upper 90
    assert (m.lower, m.upper, m.warning) == (70, 90, None)
    m = measure(co, completers(7) + leavers(3), "completion")  # upper 70 < 80
    assert m.warning == "cannot-meet-commitment" and m.rating == "requires-improvement"  # 87.5% of 80


def test_a_target_above_the_rate_is_below_target_and_a_measure_with_no_target_is_null():
    co = terms({"completion": 80, "job_outcome": 50}, {"job_outcome": 45})
    (result,) = run(co, outcome_group(4, 6, 0)).calloffs
    completion, job = result.measures
    assert completion.target is None and completion.below_target is None
    assert job.rate == 40 and job.below_target is True
    (result,) = run(co, outcome_group(9, 11, 0)).calloffs
    assert result.measures[1].rate == 45 and result.measures[1].below_target is False


# -- who is missed ------------------------------------------------------------------


def test_leavers_miss_completion_and_job_outcome_and_are_outside_completers_measures():
    co = terms({"completion": 80, "job_outcome": 50, "action_plan": 100})
    (result,) = run(co, leavers(2), S + timedelta(days=20)).calloffs
    counts = {m.measure: (m.achieved, m.open, m.missed) for m in result.measures}
    assert counts == {"completion": (0, 0, 2), "action_plan": (0, 0, 0), "job_outcome": (0, 0, 2)}
    assert result.measures[1].rate is None and result.measures[1].final


def day_after_c(days: int) -> date:
    return C + timedelta(days=days)


@pytest.mark.parametrize(
    ("as_of", "state"),
    [(day_after_c(63), "open"), (day_after_c(64), "missed"), (day_after_c(91), "missed"), (day_after_c(92), "missed")],
)
def test_a_job_outcome_is_missed_once_too_few_days_remain(as_of, state):
    """28 days needed in C+1 … C+91: with no work, the last chance to start is C+64."""
    m = measure(terms({"job_outcome": 50}), completers(1), "job_outcome", as_of)
    assert (m.open, m.missed) == ((1, 0) if state == "open" else (0, 1))


def test_days_already_worked_keep_the_outcome_open():
    worked = completers(1, ("job_start", 43), ("job_end", 52))  # C+1 … C+10: 10 days
    m = measure(terms({"job_outcome": 50}), worked, "job_outcome", day_after_c(73))  # 18 days left, 18 needed
    assert m.open == 1
    m = measure(terms({"job_outcome": 50}), worked, "job_outcome", day_after_c(74))
    assert m.missed == 1
    # one unbroken run: the 10 days no longer help once the run has ended
    continuous = terms({"job_outcome": 50}, continuous=True)
    assert measure(continuous, worked, "job_outcome", day_after_c(63)).open == 1
    assert measure(continuous, worked, "job_outcome", day_after_c(64)).missed == 1


def test_a_run_still_going_counts_towards_a_continuous_outcome():
    continuous = terms({"job_outcome": 50}, continuous=True)
    from_64 = completers(1, ("job_start", 42 + 64))  # C+64 … C+91 is exactly 28 days
    assert measure(continuous, from_64, "job_outcome", day_after_c(80)).open == 1  # 17 days in, 11 to go, 11 left
    assert measure(continuous, from_64, "job_outcome", day_after_c(91)).achieved == 1
    from_65 = completers(1, ("job_start", 42 + 65))
    assert measure(continuous, from_65, "job_outcome", day_after_c(65)).missed == 1


def test_completers_without_an_action_plan_on_or_before_completion_are_missed():
    co = terms({"action_plan": 100})
    events = (
        completers(1, ("action_plan", 42), prefix="ON")  # on the completion day: counts
        + completers(1, ("action_plan", 43), prefix="AFTER")  # after completion: never counts
        + completers(1, prefix="NONE")
        + group("STILL", 2, ("action_plan", 5))  # not completed yet: may still complete
        + leavers(1)
    )
    m = measure(co, events, "action_plan")
    assert (m.achieved, m.open, m.missed, m.base_count) == (1, 2, 2, 5)
    assert (m.rate, m.lower, m.upper) == (pytest.approx(100 / 3), 20, 60)


def test_withheld_and_over_contract_participants_count_in_no_measure():
    co = terms({"completion": 80}, participants=3)
    broken = [ev("B-1", "start", S), ev("B-1", "completion", C), ev("B-1", "leaver", C)]
    late = [ev("Z-9", "start", S + timedelta(days=3))]
    perf = run(co, completers(2) + broken + late)
    (result,) = perf.calloffs
    assert (result.starters, result.withheld, result.measures[0].base_count) == (2, 1, 2)
    assert perf.errors == 1 and {f.finding.rule for f in perf.findings} == {"event-order", "over-contract"}


# -- category 3 (any) and category 8 ---------------------------------------------------


def category3(commitments: dict[str, int]) -> CallOff:
    return terms(commitments, {"action_plan": 100, "sj_outcome": 100}, rule="any")


def test_category_3_is_below_target_only_when_every_measure_is():
    events = completers(2, ("action_plan", 40), ("sj_outcome", 41)) + completers(2, ("action_plan", 40), prefix="D")
    (result,) = run(category3({"action_plan": 100, "sj_outcome": 100}), events).calloffs
    plan, sj = result.measures
    assert (plan.rate, plan.below_target, plan.warning, plan.rating) == (100, False, "secured", "good")
    # sj_outcome alone cannot meet its target, but action_plan does: the next warning applies
    assert (sj.rate, sj.below_target, sj.warning, sj.rating) == (50, False, "cannot-meet-commitment", "inadequate")
    (result,) = run(category3({"action_plan": 100}), events).calloffs
    assert result.measures[1].warning is None and result.measures[1].rating is None


def test_category_3_warns_when_both_measures_cannot_meet_the_target():
    events = completers(1, ("action_plan", 40)) + completers(1, ("sj_outcome", 40), prefix="D")
    (result,) = run(category3({"action_plan": 100, "sj_outcome": 100}), events).calloffs
    assert [(m.below_target, m.warning) for m in result.measures] == [(True, "cannot-meet-target")] * 2
    assert run(category3({"action_plan": 100}), events).warned == 2


def test_category_3_open_measure_keeps_the_other_from_warning():
    events = completers(1, ("sj_outcome", 40)) + group("O", 1, ("action_plan", 3))  # one still on provision
    (result,) = run(category3({"action_plan": 100, "sj_outcome": 100}), events).calloffs
    plan, sj = result.measures
    assert (plan.upper, plan.below_target) == (50, False)  # sj_outcome's rate (100) meets the target
    assert (plan.warning, sj.warning, sj.below_target) == ("cannot-meet-commitment", None, False)


SIGNED = 5  # days after S


def category8_events() -> list[Event]:
    signed = S + timedelta(days=SIGNED)
    on_day = (signed + timedelta(weeks=13) - S).days
    return (
        group("W", 2, ("mentoring_agreement", SIGNED), ("job_start", 20))  # in work on the day: achieved
        + group("X", 1, ("mentoring_agreement", SIGNED), ("job_start", 20), ("job_end", on_day - 1))
        + completers(1, prefix="N")  # never signed and completed: outside the signers
        + group("Y", 1)  # not signed yet, still on provision
    )


def test_category_8_mentoring_agreement_and_in_work_13_weeks():
    co = terms(
        {"mentoring_agreement": 100, "in_work_13_weeks": 75}, {"mentoring_agreement": 100, "in_work_13_weeks": 75}
    )
    on_day = S + timedelta(days=SIGNED, weeks=13)
    (early,) = run(co, category8_events(), on_day - timedelta(days=1)).calloffs
    (late,) = run(co, category8_events(), on_day).calloffs
    counts = {m.measure: (m.achieved, m.open, m.missed) for m in early.measures}
    assert counts == {"mentoring_agreement": (3, 1, 1), "in_work_13_weeks": (0, 4, 0)}
    counts = {m.measure: (m.achieved, m.open, m.missed) for m in late.measures}
    assert counts == {"mentoring_agreement": (3, 1, 1), "in_work_13_weeks": (2, 1, 1)}
    signers = late.measures[1]
    assert (signers.rate, signers.lower, signers.upper) == (pytest.approx(200 / 3), 50, 75)
    assert signers.warning is None and signers.below_target is True and signers.rating == "requires-improvement"


def test_cohorts_by_start_month():
    co = terms({"completion": 80, "job_outcome": 50})
    december = [ev("D-1", "start", date(2026, 12, 1)), ev("D-1", "completion", date(2027, 1, 12))]
    (result,) = run(co, outcome_group(2, 1, 1) + december, date(2027, 1, 20)).calloffs
    assert [(k.month, k.starters, k.completions, k.final) for k in result.cohorts] == [
        ("2026-11", 4, 3, False),
        ("2026-12", 1, 1, False),
    ]
    assert [k.measures["job_outcome"].achieved for k in result.cohorts] == [2, 0]


def test_an_agreement_signed_after_leaving_the_provision_does_not_count():
    co = terms({"mentoring_agreement": 100, "in_work_13_weeks": 75})
    late = completers(1, ("mentoring_agreement", 43), ("job_start", 44))
    (result,) = run(co, late).calloffs
    agreement, in_work = result.measures
    assert (agreement.achieved, agreement.missed, in_work.base_count) == (0, 1, 0)


def test_category_8_json_names_its_measures_and_cohort_counts():
    from dps_cli.report.performance_data import to_json

    co = terms({"mentoring_agreement": 100, "in_work_13_weeks": 75}, {"mentoring_agreement": 100})
    (doc,) = to_json(run(co, category8_events(), LATER))["calloffs"]
    assert [(m["measure"], m["base"], m["base_count"]) for m in doc["measures"]] == [
        ("mentoring_agreement", "starters", 5),
        ("in_work_13_weeks", "signers", 4),
    ]
    assert doc["measures"][1]["target"] is None and doc["measures"][1]["below_target"] is None
    (cohort,) = doc["cohorts"]
    assert cohort == {
        "month": "2026-11",
        "starters": 5,
        "completions": 1,
        "mentoring_agreements": 3,
        "in_work_13_weeks": 2,
        "final": False,
    }
