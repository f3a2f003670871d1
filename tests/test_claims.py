"""Claims (SPEC §8): hand-computed statements, the ledger's rules, and a Hypothesis property."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dps_cli.calloff import CallOff, Split
from dps_cli.claims import Claim, claims
from dps_cli.events import Event
from dps_cli.milestones import derive, rules_of
from dps_cli.reference import load_reference
from dps_cli.validate import check_file

EXAMPLE = Path(__file__).parent.parent / "examples" / "calloffs" / "crawley-warehouse-award.yaml"
BASE = check_file(EXAMPLE.read_bytes(), str(EXAMPLE), load_reference(None)).model
assert isinstance(BASE, CallOff)
CO = BASE.id
S = date(2026, 11, 2)
C = S + timedelta(weeks=6)


def calloff(price: str, split: tuple[int, int, int], participants: int = 40, provision: str = "7") -> CallOff:
    funding = Split(start=Decimal(split[0]), completion=Decimal(split[1]), job_outcome=Decimal(split[2]))
    value = Decimal(price) * participants
    return BASE.model_copy(
        update={
            "price_per_participant": Decimal(price),
            "funding": funding,
            "participants": participants,
            "value": value,
            "provision": provision,
        }
    )


def ev(participant: str, event: str, when: date, line: int = 0) -> Event:
    return Event(CO, participant, event, when, "", "e.csv", line)


def achiever(participant: str) -> list[Event]:
    """Start, completion and a job from the day after completion: all three milestones by C+28."""
    return [
        ev(participant, "start", S),
        ev(participant, "completion", C),
        ev(participant, "job_start", C + timedelta(1)),
    ]


def statement(terms: CallOff, events: list[Event], period: str, as_of: date, ledger: list[Claim] | None = None):
    derivation = derive(events, {terms.id: rules_of(terms)}, as_of)
    result = claims([terms], derivation, ledger or [], period)
    return result, result.statements[0]


def due(s) -> list[tuple[str, str, str]]:
    return [(c.participant, c.milestone, str(c.fee)) for c in s.due]


END = date(2027, 3, 31)


def test_category_with_three_fees_and_the_remainder_rule():
    terms = calloff("1234.57", (20, 50, 30), provision="4")  # 246.914 / 617.285 / remainder
    _, s = statement(terms, achiever("P-1"), "2027-03", END)
    assert due(s) == [("P-1", "start", "246.91"), ("P-1", "completion", "617.29"), ("P-1", "job_outcome", "370.37")]
    assert s.totals.due == Decimal("1234.57") and s.totals.remaining == Decimal("1234.57") * 39


def test_ten_thirty_sixty_split_of_1234_57():
    _, s = statement(calloff("1234.57", (10, 30, 60)), achiever("P-1"), "2027-03", END)
    assert [str(c.fee) for c in s.due] == ["123.46", "370.37", "740.74"]


def test_routeway_split():
    terms = calloff("1000.01", (20, 30, 50), provision="R2")
    _, s = statement(terms, achiever("P-1"), "2027-03", END)
    assert [str(c.fee) for c in s.due] == ["200.00", "300.00", "500.01"]


def test_category_1_never_pays_a_job_outcome():
    terms = calloff("1234.57", (30, 70, 0), provision="1")
    _, s = statement(terms, achiever("P-1"), "2027-03", END)
    assert due(s) == [("P-1", "start", "370.37"), ("P-1", "completion", "864.20")]


def test_a_fee_that_rounds_to_nothing_is_still_due():
    _, s = statement(calloff("0.01", (10, 30, 60)), achiever("P-1"), "2027-03", END)
    assert due(s) == [("P-1", "start", "0.00"), ("P-1", "completion", "0.00"), ("P-1", "job_outcome", "0.01")]


def test_the_last_day_of_the_period_counts():
    events = [ev("P-1", "start", date(2026, 11, 30)), ev("P-2", "start", date(2026, 12, 1))]
    _, s = statement(calloff("1000.00", (10, 30, 60)), events, "2026-11", date(2026, 11, 30))
    assert due(s) == [("P-1", "start", "100.00")]


def test_over_contract_starters_are_not_paid():
    terms = calloff("1000.00", (10, 30, 60), participants=1)
    result, s = statement(terms, [ev("P-1", "start", S, 2), ev("P-2", "start", S, 3)], "2026-11", date(2026, 11, 30))
    assert due(s) == [("P-1", "start", "100.00")] and s.totals.value == Decimal("1000.00")
    assert [(f.finding.rule, f.finding.line) for f in result.findings] == [("over-contract", 3)]
    assert result.errors == 0


def ledger_line(participant: str, milestone: str, fee: str, line: int) -> Claim:
    return Claim(CO, participant, milestone, "2026-11-02", Decimal(fee), "2026-11", "", "ledger.csv", line)


def test_ledger_rules_and_money_to_recover():
    ledger = [
        ledger_line("P-1", "start", "100.00", 2),
        ledger_line("P-1", "start", "100.00", 3),  # paid twice
        ledger_line("P-9", "start", "100.00", 4),  # no such participant
        ledger_line("P-1", "completion", "400.00", 5),  # the fee is 300.00
        ledger_line("P-1", "job_outcome", "600.00", 6),  # not achieved yet
    ]
    events = [ev("P-1", "start", S), ev("P-1", "completion", C)]
    result, s = statement(calloff("1000.00", (10, 30, 60)), events, "2026-12", date(2026, 12, 31), ledger)
    found = [(f.finding.rule, f.finding.line) for f in result.findings]
    assert found == [("duplicate-claim", 3), ("unsupported-claim", 4), ("fee-mismatch", 5), ("unsupported-claim", 6)]
    assert [(r.participant, r.milestone, str(r.fee)) for r in s.recover] == [
        ("P-1", "start", "100.00"),
        ("P-9", "start", "100.00"),
        ("P-1", "completion", "100.00"),
        ("P-1", "job_outcome", "600.00"),
    ]
    assert s.due == () and s.totals.claimed_before == Decimal("1300.00")


def test_a_withheld_participant_is_not_paid_and_others_are():
    events = [*achiever("P-1"), ev("P-2", "start", S, 7), ev("P-2", "start", S + timedelta(1), 8)]
    _result, s = statement(calloff("1000.00", (10, 30, 60)), events, "2027-03", END)
    assert [c.participant for c in s.due] == ["P-1"] * 3
    assert [(w.participant, [r.finding.line for r in w.reasons]) for w in s.withheld] == [("P-2", [8])]


# -- the property: monthly runs with their own output as the ledger ------------

MONTHS = [f"{y}-{m:02}" for y, m in [(2026, 11), (2026, 12), (2027, 1), (2027, 2), (2027, 3), (2027, 4), (2027, 5)]]


def month_end(month: str) -> date:
    year, number = map(int, month.split("-"))
    return date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    """Consistent histories (inconsistent ones are withheld, whatever was paid before)."""
    events = []
    for n in range(draw(st.integers(1, 6))):
        who = f"P-{n}"
        start = date(2026, 11, 1) + timedelta(draw(st.integers(0, 120)))
        events.append(ev(who, "start", start))
        end = draw(st.sampled_from(["none", "completion", "leaver"]))
        if end != "none":
            events.append(ev(who, end, start + timedelta(draw(st.integers(0, 60)))))
        at = start
        for _ in range(draw(st.integers(0, 3))):
            at += timedelta(draw(st.integers(1, 40)))  # one job_start a day: the same row twice is an error
            events.append(ev(who, "job_start", at))
            if draw(st.booleans()):
                at += timedelta(draw(st.integers(0, 40)))
                events.append(ev(who, "job_end", at))
    return events


@settings(max_examples=150, deadline=None)
@given(
    histories(),
    st.sampled_from([("1234.57", (10, 30, 60)), ("999.99", (20, 50, 30)), ("0.05", (30, 70, 0))]),
    st.integers(1, 4),
    st.lists(st.sampled_from(MONTHS), min_size=1, max_size=len(MONTHS), unique=True).map(sorted),
    st.booleans(),
)
def test_monthly_claims_add_up_to_one_claim_over_the_span(events, terms, places, months, continuous):
    price, split = terms
    co = calloff(price, split, participants=places)
    if continuous:
        job = co.measures["job_outcome"].model_copy(update={"in_work": "continuous"})
        co = co.model_copy(update={"measures": {**co.measures, "job_outcome": job}})
    ledger: list[Claim] = []
    for month in months:
        _, s = statement(co, events, month, month_end(month), ledger)
        assert not s.recover and s.totals.to_date <= co.value
        keys = {(c.participant, c.milestone) for c in ledger}
        assert keys.isdisjoint((c.participant, c.milestone) for c in s.due)
        ledger += s.due
    _, whole = statement(co, events, months[-1], month_end(months[-1]))
    assert sum(c.fee for c in ledger) == whole.totals.due <= co.value
    assert sorted((c.participant, c.milestone) for c in ledger) == sorted(
        (c.participant, c.milestone) for c in whole.due
    )
