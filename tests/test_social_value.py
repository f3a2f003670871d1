"""Social value (SPEC §4): the fifth weight and mark, and byte-identical outputs when it is not weighted."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dps_cli.matching import total
from dps_cli.models import BusinessCase
from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, ROOT, invoke
from tests.test_widths import assert_fits

GOLDEN = ROOT / "tests" / "golden"
CASE = "examples/business-cases/crawley-warehouse.yaml"
SOCIAL_CASE = "examples/business-cases/crawley-warehouse-social-value.yaml"
OFFERS = "examples/offers"
MARKS = "examples/evaluations.yaml"
PANEL = "examples/panel/consensus.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(runner, *args: str) -> str:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def ranked(runner, case: str, marks: str) -> dict[str, dict]:
    document = json.loads(run(runner, "match", case, OFFERS, "--evaluations", marks, "--format", "json"))
    return {entry["offer"]: entry for entry in document["ranked"]}


def with_weights(tmp_path: Path, weights: str, name: str = "case.yaml") -> str:
    text = (ROOT / CASE).read_text().replace("weights: {quality: 60, fit: 10, price: 30}", f"weights: {weights}")
    target = tmp_path / name
    target.write_text(text)
    return str(target)


def with_marks(tmp_path: Path, social: dict[str, int | None]) -> str:
    data = yaml.safe_load((ROOT / MARKS).read_text())
    for offer, mark in social.items():
        if mark is None:
            data["marks"][offer].pop("social_value", None)
        else:
            data["marks"][offer]["social_value"] = mark
    target = tmp_path / "marks.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(target)


# -- no social-value weight: every output as it was ---------------------------


@pytest.mark.parametrize("weights", [None, "{quality: 60, fit: 10, price: 30, social_value: 0}"])
def test_unweighted_social_value_leaves_every_output_byte_identical(runner, tmp_path, weights):
    """The goldens and the example call-off, with social value absent or weighted 0.

    Fifth marks change nothing then (the JSON echoes the marks as given, so it is compared without them)."""
    case = CASE if weights is None else with_weights(tmp_path, weights)
    fifth = with_marks(tmp_path, {"OF-0042": 1, "OF-0107": 0, "OF-0310": 4})  # a weight of 0 ignores them
    assert run(runner, "match", case, OFFERS, "-e", fifth) == (GOLDEN / "match-crawley.txt").read_text()
    golden_json = (GOLDEN / "match-crawley.json").read_text()
    assert run(runner, "match", case, OFFERS, "-e", MARKS, "--format", "json") == golden_json
    echoed = json.loads(run(runner, "match", case, OFFERS, "-e", fifth, "--format", "json"))
    for entry in echoed["ranked"]:
        assert entry["marks"].pop("social_value") in (0, 1, 4)
    assert echoed == json.loads(golden_json)
    plain = ["match", CASE, OFFERS, "--evaluations", MARKS]
    assert run(runner, "match", case, OFFERS, "-e", fifth, "-f", "csv") == run(runner, *plain, "--format", "csv")
    if weights is None:  # the example call-off and its record, byte for byte
        award = ["award", CASE, OFFERS, "--evaluations", MARKS, "--date", "2026-10-20"]
        calloff = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"
        assert run(runner, *award) == calloff.read_text()
        record = run(runner, "report", str(calloff), "--format", "markdown")
        assert record == (GOLDEN / "report-crawley.md").read_text()


# -- the five-term total -------------------------------------------------------


def test_five_term_total_by_hand(runner):
    """quality 50, fit 10, price 25, social value 15; the lowest eligible price is OF-0310's £900."""
    entries = ranked(runner, SOCIAL_CASE, PANEL)
    # OF-0042: Q = 100×12/16 = 75, F = 100, P = 100×900/1250 = 72, S = 100×3/4 = 75
    # (50×75 + 10×100 + 25×72 + 15×75) / 100 = 7675 / 100
    assert entries["OF-0042"]["total"] == 76.75
    assert entries["OF-0042"]["social_value"] == 75.0
    # OF-0107: Q = 75, F = 50, P = 100×900/1400 = 450/7, S = 50 → (3750 + 500 + 11250/7 + 750) / 100 = 66.0714…
    assert entries["OF-0107"]["total"] == 66.07
    assert entries["OF-0107"]["social_value"] == 50.0
    assert [e["offer"] for e in entries.values()] == ["OF-0042", "OF-0310", "OF-0107"]


def test_total_is_exact(ref):
    case = check_file((ROOT / SOCIAL_CASE).read_bytes(), SOCIAL_CASE, ref).model
    assert isinstance(case, BusinessCase)
    assert total(case, Fraction(75), Fraction(50), Fraction(450, 7), Fraction(50)) == Fraction(46250, 700)
    assert total(case, None, Fraction(50), Fraction(450, 7), None) == Fraction(500 * 7 + 11250, 700)


# -- suitable standard and "not evaluated" ---------------------------------------


def test_a_social_value_mark_of_1_fails_the_suitable_standard_only_when_weighted(runner, tmp_path):
    marks = with_marks(tmp_path, {"OF-0042": 1, "OF-0107": 2, "OF-0310": 2})
    weighted = ranked(runner, SOCIAL_CASE, marks)
    assert weighted["OF-0042"]["suitable"] is False
    assert weighted["OF-0042"]["notes"] == ["a mark below 2 (social_value 1)"]
    assert weighted["OF-0107"]["suitable"] is True  # 2 is the lowest suitable mark
    unweighted = ranked(runner, CASE, marks)
    assert unweighted["OF-0042"]["suitable"] is True
    assert "social_value" not in unweighted["OF-0042"]


def test_an_offer_without_the_fifth_mark_is_not_evaluated_when_weighted(runner, tmp_path):
    marks = with_marks(tmp_path, {"OF-0042": None, "OF-0107": 2, "OF-0310": 2})
    entry = ranked(runner, SOCIAL_CASE, marks)["OF-0042"]
    assert entry["suitable"] is False
    assert entry["notes"][0].startswith("not evaluated")
    assert entry["quality"] is None and entry["social_value"] is None
    assert entry["total"] == (10 * 100 + 25 * 72) / 100  # quality and social value count as 0
    assert entry["marks"]["fit"] == 3  # the marks given are still shown


def test_text_and_csv_show_social_value_only_when_weighted(runner):
    text = run(runner, "match", SOCIAL_CASE, OFFERS, "--evaluations", PANEL)
    assert "Weights: quality 50, fit 10, price 25, social value 15." in text
    assert "social value 75.00" in text
    rows = list(csv.DictReader(io.StringIO(run(runner, "match", SOCIAL_CASE, OFFERS, "-e", PANEL, "-f", "csv"))))
    assert rows[0]["offer"] == "OF-0042" and rows[0]["social_value"] == "75.00"
    assert list(rows[0])[7:9] == ["price", "social_value"]
    plain = run(runner, "match", CASE, OFFERS, "-e", PANEL, "-f", "csv")
    assert "social_value" not in plain.splitlines()[0]
    document = json.loads(run(runner, "match", SOCIAL_CASE, OFFERS, "-e", PANEL, "-f", "json"))
    assert document["weights"] == {"quality": 50, "fit": 10, "price": 25, "social_value": 15}


# -- the social-value-weight warning ---------------------------------------------


def warned(ref, weights: str) -> bool:
    text = (ROOT / CASE).read_text().replace("weights: {quality: 60, fit: 10, price: 30}", f"weights: {weights}")
    result = check_file(text.encode(), "case.yaml", ref)
    assert result.valid, result.findings
    return [f.rule for f in result.findings] == ["social-value-weight"]


@pytest.mark.parametrize(
    ("weights", "warns"),
    [
        ("{quality: 50, fit: 10, price: 30, social_value: 10}", False),  # exactly 10%
        ("{quality: 50.01, fit: 10, price: 30, social_value: 10}", True),  # just under
        ("{quality: 60, fit: 10, price: 30, social_value: 11.12}", False),  # 10.007%
        ("{quality: 60, fit: 10, price: 30, social_value: 11.11}", True),  # 9.999%
        ("{social_value: 11.11}", True),  # the others at their defaults, 60 + 10 + 30
        ("{social_value: 11.12}", False),
        ("{quality: 60, fit: 10, price: 30, social_value: 0}", False),  # not weighted at all
        ("{quality: 0, fit: 0, price: 0, social_value: 1}", False),  # 100%
    ],
)
def test_social_value_weight_boundary(ref, weights, warns):
    assert warned(ref, weights) is warns


@given(st.lists(st.integers(0, 10_000), min_size=4, max_size=4).filter(lambda w: w[3] > 0))
def test_property_warned_exactly_when_under_a_tenth(ref, hundredths):
    q, f, p, s = (Decimal(h) / 100 for h in hundredths)
    weights = f"{{quality: {q}, fit: {f}, price: {p}, social_value: {s}}}"
    assert warned(ref, weights) is (s * 10 < q + f + p + s)


def test_weights_may_be_all_social_value_but_not_all_zero(ref):
    text = (
        (ROOT / CASE)
        .read_text()
        .replace(
            "weights: {quality: 60, fit: 10, price: 30}", "weights: {quality: 0, fit: 0, price: 0, social_value: 0}"
        )
    )
    assert [f.rule for f in check_file(text.encode(), "case.yaml", ref).findings] == ["range"]


def test_the_html_record_of_an_unweighted_call_off_is_byte_identical(runner, tmp_path):
    """tests/golden/report-crawley.html is the page as it was before social value and panels."""
    page = tmp_path / "record.html"
    run(runner, "report", str(EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"), "-o", str(page))
    assert page.read_text() == (GOLDEN / "report-crawley.html").read_text()


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160])
def test_weighted_ranking_fits_every_width(runner, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    text = run(runner, "match", SOCIAL_CASE, OFFERS, "--evaluations", PANEL)
    assert_fits(text, width)
    assert "75.00" in text and "76.75" in text  # the social score and the total, never cut
