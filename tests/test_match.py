"""`dps match`: eligibility at every boundary, exact scores, ranking, outputs."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from dps_cli.matching import Candidate, eligibility, match
from dps_cli.models import BusinessCase, Marks, Offer
from dps_cli.validate import check_file
from tests.conftest import DATA, ROOT, invoke

GOLDEN = ROOT / "tests" / "golden"
CRAWLEY = ["match", "examples/business-cases/crawley-warehouse.yaml", "examples/offers",
           "--evaluations", "examples/evaluations.yaml"]  # fmt: skip
BASE_OFFER = (DATA / "valid" / "offer-category-7.yaml").read_text()
CASE = """kind: business-case
id: BC-T-1
district: Test
title: Test case
need: Jobs.
accepts: [7, R3]
participants: 40
client_groups: [entrenched-worklessness, esol]
areas: [RH10]
start_by: 2026-09-01
budget: 50000.00
"""


def model(text: str, ref) -> Offer | BusinessCase:
    result = check_file(text.encode(), "t.yaml", ref)
    assert result.model is not None, result.findings
    return result.model  # type: ignore[return-value]


def offer(ref, *pairs: tuple[str, str], oid: str = "OF-9001") -> Offer:
    text = BASE_OFFER.replace("OF-9001", oid)
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return model(text, ref)  # type: ignore[return-value]


def case(ref, *pairs: tuple[str, str]) -> BusinessCase:
    text = CASE
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return model(text, ref)  # type: ignore[return-value]


def gates(o: Offer, c: BusinessCase, ref) -> list[str]:
    return [r.rule for r in eligibility(o, c, ref)]


# The base offer: category 7, areas RH10 + BN, capacity 40, 2026-09-01..2027-08-31, £1,250.00.


def test_all_gates_pass_at_their_boundaries(ref):
    # capacity == participants, 40 × 1250 == budget, start_by == available.from
    assert gates(offer(ref), case(ref), ref) == []


def test_start_by_equal_to_until_is_available(ref):
    assert gates(offer(ref), case(ref, ("start_by: 2026-09-01", "start_by: 2027-08-31")), ref) == []


@pytest.mark.parametrize(("pairs", "rule"), [
    ((("accepts: [7, R3]", "accepts: [5, R4]"),), "provision"),
    ((("participants: 40", "participants: 41"), ("budget: 50000.00", "budget: 60000.00")), "capacity"),
    ((("budget: 50000.00", "budget: 49999.99"),), "budget"),
    ((("start_by: 2026-09-01", "start_by: 2026-08-31"),), "availability"),
    ((("start_by: 2026-09-01", "start_by: 2027-09-01"),), "availability"),
    ((("areas: [RH10]", "areas: [RH10, RH11]"),), "location"),
])  # fmt: skip
def test_each_gate_one_step_past_its_boundary(ref, pairs, rule):
    assert gates(offer(ref), case(ref, *pairs), ref) == [rule]


@pytest.mark.parametrize(("offered", "wanted", "ok"), [
    ("[RH]", "[RH10, RH11]", True), ("[national]", "[RH10, BN, ZE]", True), ("[RH10]", "[RH10]", True),
    ("[RH10]", "[RH]", False), ("[RH10]", "[RH11]", False), ("[BN]", "[national]", False),
])  # fmt: skip
def test_location_area_district_national(ref, offered, wanted, ok):
    o = offer(ref, ("areas: [RH10, BN]", f"areas: {offered}"))
    c = case(ref, ("areas: [RH10]", f"areas: {wanted}"))
    assert (gates(o, c, ref) == []) is ok


def test_location_reason_lists_uncovered_areas(ref):
    reasons = eligibility(offer(ref), case(ref, ("areas: [RH10]", "areas: [RH10, RH11, GU]")), ref)
    assert reasons[0].message.startswith("does not cover RH11, GU")


SKILLS = (("category: 7", "category: 6"), ("job_outcome: 45", "job_outcome: 60"), ("capacity: 40", "capacity: 50"))


def test_category_6_alone_at_exactly_50000_is_excluded(ref):
    o = offer(ref, *SKILLS)  # 50 × 1250 = 62,500 capacity value: a valid offer
    c = case(ref, ("accepts: [7, R3]", "accepts: [6]"), ("budget: 50000.00", "budget: 90000"))
    assert gates(o, c, ref) == ["skills-contract-value"]  # 40 participants × 1250 = 50,000.00
    over = case(ref, ("accepts: [7, R3]", "accepts: [6]"), ("budget: 50000.00", "budget: 90000"),
                ("participants: 40", "participants: 41"))  # fmt: skip
    assert gates(o, over, ref) == []


def test_routeway_with_skills_is_exempt_in_matching(ref):
    o = offer(ref, ("category: 7", "routeway: R4"), ("job_outcome: 45", "job_outcome: 60"))
    assert gates(o, case(ref, ("accepts: [7, R3]", "accepts: [R4]")), ref) == []


def marks(*values: int) -> Marks:
    return Marks(fit=values[0], closer_to_work=values[1], performance_rationale=values[2],
                 performance_management=values[3])  # fmt: skip


def run(ref, c, offers, given):
    return match(c, [Candidate(f"{o.id}.yaml", o) for o in offers], given, ref)


def test_scores_are_exact(ref):
    a = offer(ref, oid="OF-A")
    b = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 1000.00"),
              ("[entrenched-worklessness, esol]", "[esol]"), oid="OF-B")  # fmt: skip
    c = case(ref)
    result = run(ref, c, [a, b], {"OF-A": marks(3, 3, 2, 4), "OF-B": marks(2, 2, 2, 2)})
    by_id = {s.offer.id: s for s in result.ranked}
    assert by_id["OF-A"].quality == 75
    assert by_id["OF-A"].price == 80
    assert by_id["OF-A"].total == Fraction(60 * 75 + 10 * 100 + 30 * 80, 100)
    assert by_id["OF-B"].fit == 50
    assert by_id["OF-B"].total == Fraction(60 * 50 + 10 * 50 + 30 * 100, 100)


def test_weights_change_the_winner(ref):
    cheap = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 700.00"), oid="OF-CHEAP")
    good = offer(ref, oid="OF-GOOD")
    given = {"OF-CHEAP": marks(2, 2, 2, 2), "OF-GOOD": marks(4, 4, 4, 4)}
    quality_first = run(ref, case(ref), [cheap, good], given)
    assert quality_first.recommended.offer.id == "OF-GOOD"  # type: ignore[union-attr]
    price_first = case(
        ref, ("budget: 50000.00", "budget: 50000.00\nevaluation:\n  weights: {quality: 10, fit: 0, price: 90}")
    )
    assert run(ref, price_first, [cheap, good], given).recommended.offer.id == "OF-CHEAP"  # type: ignore[union-attr]


def test_unevaluated_offer_is_ranked_but_never_recommended(ref):
    cheap = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 100.00"), oid="OF-CHEAP")
    result = run(ref, case(ref), [cheap], {})
    assert result.ranked[0].quality is None
    assert result.ranked[0].notes == ("not evaluated: no marks for this offer",)
    assert result.recommended is None


def test_unsuitable_offer_can_rank_above_the_recommended_one(ref):
    a = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 900.00"), oid="OF-A")
    b = offer(ref, oid="OF-B")
    result = run(ref, case(ref), [a, b], {"OF-A": marks(4, 4, 1, 4), "OF-B": marks(3, 3, 3, 3)})
    assert [s.offer.id for s in result.ranked] == ["OF-A", "OF-B"]
    assert result.recommended.offer.id == "OF-B"  # type: ignore[union-attr]
    assert result.ranked[0].notes == ("a mark below 2 (performance_rationale 1)",)


def test_minimum_quality_is_inclusive(ref):
    c = case(ref, ("budget: 50000.00", "budget: 50000.00\nevaluation:\n  minimum_quality: 75"))
    assert run(ref, c, [offer(ref)], {"OF-9001": marks(3, 3, 3, 3)}).recommended is not None
    assert run(ref, c, [offer(ref)], {"OF-9001": marks(3, 3, 3, 2)}).recommended is None


def test_ties_go_to_higher_quality_then_lower_price_then_id(ref):
    # Same total: quality breaks the tie.
    c = case(ref, ("budget: 50000.00", "budget: 50000.00\nevaluation:\n  weights: {quality: 50, fit: 0, price: 50}"))
    hi_q = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 1000.00"), oid="OF-Z")
    lo_q = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 500.00"), oid="OF-A")
    # OF-Z: Q=100, P=50 -> 75; OF-A: Q=50, P=100 -> 75
    result = run(ref, c, [lo_q, hi_q], {"OF-Z": marks(4, 4, 4, 4), "OF-A": marks(2, 2, 2, 2)})
    assert result.ranked[0].total == result.ranked[1].total
    assert [s.offer.id for s in result.ranked] == ["OF-Z", "OF-A"]
    # Identical offers but the id: id order.
    twins = [offer(ref, oid="OF-2"), offer(ref, oid="OF-1")]
    result = run(ref, case(ref), twins, {"OF-1": marks(3, 3, 3, 3), "OF-2": marks(3, 3, 3, 3)})
    assert [s.offer.id for s in result.ranked] == ["OF-1", "OF-2"]


def test_tie_on_total_and_quality_goes_to_lower_price(ref):
    c = case(ref, ("budget: 50000.00", "budget: 50000.00\nevaluation:\n  weights: {quality: 100, fit: 0, price: 0}"))
    dear = offer(ref, oid="OF-A")
    cheap = offer(ref, ("price_per_participant: 1250.00", "price_per_participant: 1200.00"), oid="OF-B")
    result = run(ref, c, [dear, cheap], {"OF-A": marks(3, 3, 3, 3), "OF-B": marks(3, 3, 3, 3)})
    assert [s.offer.id for s in result.ranked] == ["OF-B", "OF-A"]


def test_no_client_groups_means_fit_100(ref):
    c = case(ref, ("client_groups: [entrenched-worklessness, esol]\n", ""))
    assert run(ref, c, [offer(ref)], {}).ranked[0].fit == 100


# -- through the command line --------------------------------------------------


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_golden_text(runner, at_root):
    result = invoke(runner, *CRAWLEY)
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "match-crawley.txt").read_text()


def test_golden_json(runner, at_root):
    result = invoke(runner, *CRAWLEY, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((GOLDEN / "match-crawley.json").read_text())


def test_output_is_byte_identical_across_runs_and_argument_order(runner, at_root):
    first = invoke(runner, *CRAWLEY, "--format", "json").stdout
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "offers").glob("*.yaml"))
    reordered = invoke(runner, *CRAWLEY[:2], *reversed(files), *CRAWLEY[3:], "--format", "json").stdout
    assert json.loads(first)["ranked"] == json.loads(reordered)["ranked"]
    assert first == invoke(runner, *CRAWLEY, "--format", "json").stdout


def test_spec_json_keys(runner, at_root):
    data = json.loads(invoke(runner, *CRAWLEY, "--format", "json").stdout)
    assert data["business_case"] == "BC-SE-0007"
    assert data["recommended"] == "OF-0042"
    assert set(data["ranked"][0]) >= {
        "rank",
        "offer",
        "supplier",
        "total",
        "quality",
        "fit",
        "price",
        "suitable",
        "notes",
    }
    assert data["ranked"][1] | {} == data["ranked"][1]
    assert {"offer", "reasons"} <= set(data["excluded"][0])
    assert data["ranked"][1]["total"] == 76.6


def test_csv(runner, at_root):
    lines = invoke(runner, *CRAWLEY, "--format", "csv").stdout.splitlines()
    header = lines[0].split(",")
    assert header[:9] == ["rank", "offer", "supplier", "provision", "total", "quality", "fit", "price", "suitable"]
    assert "reasons" in header
    assert lines[1].startswith("1,OF-0310,JobClub Online Ltd,7,80.00,75.00,50.00,100.00,no,")
    assert lines[4].startswith(",OF-0051,")


def test_top_limits_the_ranking(runner, at_root):
    data = json.loads(invoke(runner, *CRAWLEY, "--format", "json", "--top", "1").stdout)
    assert [r["offer"] for r in data["ranked"]] == ["OF-0310", "OF-0042"]  # the recommendation is never hidden
    assert data["recommended"] == "OF-0042"


def test_invalid_offer_is_excluded_and_exit_is_0(runner, at_root):
    result = invoke(runner, *CRAWLEY[:3], "tests/data/invalid/below-target-under.yaml", *CRAWLEY[3:], "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    invalid = next(e for e in data["excluded"] if e["offer"] == "OF-9001")
    assert invalid["reasons"][0]["rule"] == "invalid"
    assert "below-target" in invalid["reasons"][0]["message"]


def test_no_suitable_offer_says_so(runner, at_root):
    result = invoke(runner, *CRAWLEY[:3])  # no evaluations: nothing is evaluated
    assert result.exit_code == 0
    assert "No recommendation: no offer is of a suitable standard" in result.stdout
    assert json.loads(invoke(runner, *CRAWLEY[:3], "-f", "json").stdout)["recommended"] is None


def test_invalid_business_case_exits_1(runner, at_root):
    result = invoke(runner, "match", "tests/data/invalid/unknown-kind.yaml", "examples/offers")
    assert result.exit_code == 1
    result = invoke(runner, "match", "examples/offers/jobclub-online.yaml", "examples/offers")
    assert result.exit_code == 1
    assert "not a business case" in result.stderr


def test_invalid_evaluations_exits_1(runner, at_root, tmp_path):
    bad = tmp_path / "marks.yaml"
    bad.write_text(
        "kind: evaluations\nmarks:\n"
        "  OF-0042: {fit: 9, closer_to_work: 3, performance_rationale: 2, performance_management: 4}\n"
    )
    assert invoke(runner, *CRAWLEY[:3], "--evaluations", str(bad)).exit_code == 1


def test_missing_paths_are_usage_errors(runner, at_root):
    assert invoke(runner, "match", "nope.yaml", "examples/offers").exit_code == 2
    assert invoke(runner, *CRAWLEY[:2], "nope/").exit_code == 2


def test_brighton_shows_the_skills_rule_in_a_match(runner, at_root):
    args = ["match", "examples/business-cases/brighton-skills.yaml", "examples/offers",
            "--evaluations", "examples/evaluations.yaml", "-f", "json"]  # fmt: skip
    data = json.loads(invoke(runner, *args).stdout)
    assert data["recommended"] == "OF-0203"
    skills = next(e for e in data["excluded"] if e["offer"] == "OF-0115")
    assert [r["rule"] for r in skills["reasons"]] == ["skills-contract-value"]
    assert Decimal("30") * Decimal("1650.00") == Decimal("49500.00")
    assert date(2027, 1, 11)  # the business case's start_by sits inside OF-0203's availability
