"""`dps schedule`: penny-exact splits, scenarios, timeline, outputs."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dps_cli.money import round_money, split
from dps_cli.schedule import at_least, build, fees
from dps_cli.validate import check_file
from tests.conftest import DATA, ROOT, invoke

GOLDEN = ROOT / "tests" / "golden"
OFFER = "examples/offers/brightpath-warehouse-ready.yaml"
BASE = (DATA / "valid" / "offer-category-7.yaml").read_text()


def D(text: str) -> Decimal:
    return Decimal(text)


def test_spec_example():
    assert split(D("1234.57"), [D(10), D(30), D(60)]) == [D("123.46"), D("370.37"), D("740.74")]


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5", "6", "7", "8", "R1", "R2", "R3", "R4", "R5"])
def test_every_provision_splits_1234_57_exactly(ref, key):
    provision = ref.provision(key)
    fee = fees(D("1234.57"), provision)
    assert sum(fee.values()) == D("1234.57")
    shares = dict(provision.funding.shares())
    last = [m for m, p in shares.items() if p][-1]
    for milestone, pct in shares.items():
        if milestone != last:
            assert fee[milestone] == round_money(D("1234.57") * pct / 100)
        if pct == 0:
            assert fee[milestone] == 0


def test_half_up_not_bankers_rounding():
    # 10% of 0.25 is 0.025: half-up gives 0.03, banker's rounding 0.02.
    assert split(D("0.25"), [D(10), D(30), D(60)])[0] == D("0.03")
    assert D("0.025").quantize(D("0.01"), rounding=ROUND_HALF_EVEN) == D("0.02")
    # 30% of 1.15 is 0.345: half-up 0.35 (banker's 0.34); 70% takes the remainder 0.80.
    assert split(D("1.15"), [D(30), D(70), D(0)]) == [D("0.35"), D("0.80"), D("0.00")]


@given(
    st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2),
    st.tuples(st.integers(0, 100), st.integers(0, 100)).filter(lambda t: sum(t) <= 100),
)
def test_fees_are_non_negative_and_add_up_to_the_price(price, shares):
    percentages = [D(shares[0]), D(shares[1]), D(100 - sum(shares))]
    parts = split(price, percentages)
    assert sum(parts) == price
    assert all(part >= 0 for part in parts)
    assert all(part == 0 for part, pct in zip(parts, percentages, strict=True) if pct == 0)


def offer(ref, *pairs):
    text = BASE
    for old, new in pairs:
        text = text.replace(old, new, 1)
    result = check_file(text.encode(), "o.yaml", ref)
    assert result.model is not None, result.findings
    return result.model


@given(st.integers(1, 500), st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2))
def test_scenario_totals_never_exceed_maximum(ref, n, price):
    o = offer(ref, ("price_per_participant: 1250.00", f"price_per_participant: {price}"))
    s = build(o, n, date(2026, 11, 2), ref)
    assert s.scenarios["maximum"].total == n * price
    assert s.scenarios["target"].total <= s.scenarios["maximum"].total
    assert s.scenarios["offered"].total <= s.scenarios["maximum"].total
    assert s.scenarios["offered"].job_outcomes <= s.scenarios["offered"].completions


def test_smallest_whole_number_that_meets_the_rate():
    assert at_least(40, D(45)) == 18  # exactly 18.0
    assert at_least(41, D(45)) == 19  # 18.45 -> 19
    assert at_least(10, D("33.33")) == 4  # 3.333 -> 4
    assert at_least(3, D("33.34")) == 2  # 1.0002 -> 2


@pytest.mark.parametrize("pairs", [
    (("category: 7", "category: 1"), ("job_outcome: 45", "action_plan: 100")),
    (("category: 7", "category: 8"), ("job_outcome: 45", "mentoring_agreement: 100\n  in_work_13_weeks: 75")),
    (("category: 7", "routeway: R1"), ("job_outcome: 45", "action_plan: 100\n  job_outcome: 50")),
])  # fmt: skip
def test_provisions_without_outcome_fee_pay_no_outcomes(ref, pairs):
    s = build(offer(ref, *pairs), 40, date(2026, 11, 2), ref)
    assert all(sc.job_outcomes == 0 for sc in s.scenarios.values())
    assert [e.milestone for e in s.timeline] == ["start", "completion"]


def test_timeline_across_a_year_end(ref):
    s = build(offer(ref), 40, date(2026, 12, 7), ref)
    assert [(e.milestone, e.start, e.until) for e in s.timeline] == [
        ("start", date(2026, 12, 7), date(2026, 12, 7)),
        ("completion", date(2027, 1, 18), date(2027, 1, 18)),
        ("job_outcome", date(2027, 2, 15), date(2027, 4, 19)),
    ]
    assert [m for m, _ in s.monthly()] == ["2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]


def test_window_weeks_come_from_the_reference_data(ref_copy, runner):
    text = (ref_copy / "categories.yaml").read_text().replace("window_weeks: 13", "window_weeks: 26")
    (ref_copy / "categories.yaml").write_text(text)
    args = [
        "schedule",
        str(ROOT / OFFER),
        "-n",
        "40",
        "--start",
        "2026-11-02",
        "-f",
        "json",
        "--reference",
        str(ref_copy),
    ]
    timeline = json.loads(invoke(runner, *args).stdout)["timeline"]
    assert timeline[2]["until"] == "2027-06-14"  # completion 2026-12-14 + 26 weeks


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_golden_text(runner, at_root):
    result = invoke(runner, "schedule", OFFER, "--participants", "40", "--start", "2026-11-02")
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "schedule-brightpath.txt").read_text()


def test_golden_json(runner, at_root):
    result = invoke(runner, "schedule", OFFER, "--participants", "40", "--start", "2026-11-02", "--format", "json")
    assert json.loads(result.stdout) == json.loads((GOLDEN / "schedule-brightpath.json").read_text())


def test_business_case_gives_participants_and_start_and_options_override(runner, at_root):
    case = "examples/business-cases/crawley-warehouse.yaml"
    data = json.loads(invoke(runner, "schedule", OFFER, "--business-case", case, "-f", "json").stdout)
    assert (data["participants"], data["timeline"][0]["from"]) == (40, "2026-11-01")
    data = json.loads(
        invoke(runner, "schedule", OFFER, "-b", case, "-n", "10", "--start", "2027-01-04", "-f", "json").stdout
    )
    assert (data["participants"], data["timeline"][0]["from"]) == (10, "2027-01-04")


def test_over_capacity_is_a_warning(runner, at_root):
    result = invoke(runner, "schedule", OFFER, "-n", "61", "--start", "2026-11-02", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == ["61 participants is more than the offer's capacity of 60"]


def test_csv_is_cash_by_month(runner, at_root):
    lines = invoke(runner, "schedule", OFFER, "-n", "40", "--start", "2026-11-02", "-f", "csv").stdout.splitlines()
    assert lines[0] == "month,maximum,target,offered"
    assert lines[1] == "2026-11,5000.00,5000.00,5000.00"
    assert lines[-1] == "total,50000.00,33500.00,32750.00"


@pytest.mark.parametrize(("args", "code"), [
    (["-n", "0"], 2), (["-n", "-3"], 2), (["-n", "40", "--start", "2026-13-01"], 2), ([], 2),
])  # fmt: skip
def test_bad_options_exit_2(runner, at_root, args, code):
    result = invoke(runner, "schedule", OFFER, *args)
    assert result.exit_code == code
    assert "Traceback" not in result.output


def test_invalid_offer_gives_findings_and_exit_1(runner):
    result = invoke(runner, "schedule", str(DATA / "invalid" / "below-target-under.yaml"), "-n", "40")
    assert result.exit_code == 1
    assert "below-target" in result.stderr
