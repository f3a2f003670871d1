"""SPEC §2: numbers are read exactly as written or refused, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dps_cli.validate import check_file
from tests.conftest import DATA, EXAMPLES, invoke

OFFER = (DATA / "valid" / "offer-category-7.yaml").read_text()
CASE = (EXAMPLES / "business-cases" / "crawley-warehouse.yaml").read_text()


def edit(base: str, old: str, new: str) -> bytes:
    assert old in base, old
    return base.replace(old, new, 1).encode()


def findings(content: bytes, ref, field: str):  # type: ignore[no-untyped-def]
    return [f for f in check_file(content, "x.yaml", ref).findings if f.field == field]


def one(content: bytes, ref, field: str):  # type: ignore[no-untyped-def]
    found = findings(content, ref, field)
    assert len(found) == 1, found
    return found[0]


PRICE = "price_per_participant: 1250.00"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("12,50", "`12.50`"),
        ('"4,5"', "`4.5`"),
        ("1,2,5,0", "`1250`"),
        ("1.250,00", "`1250.00`"),
        ("12,5000", "`125000`"),
        ("£1250", "`1250` without the £"),
        ('"1250%"', "without the £ or % sign"),
        ("1e3", "without an exponent"),
        ('"1e309"', "without an exponent"),
        ("1.0e+3", "without `e`"),
        (".inf", "finite"),
        (".nan", "finite"),
        ("1_250", "1250 without underscores"),
        ('"1_250.00"', "`1250.00` without underscores"),
        ("1:25", "in quotes"),
        ("0x1F", "decimal digits"),
    ],
)
def test_money_in_any_other_form_is_a_type_error_with_the_accepted_form(ref, written, hint):
    finding = one(edit(OFFER, PRICE, f"price_per_participant: {written}"), ref, "price_per_participant")
    assert finding.rule == "type"
    assert hint in (finding.hint or "")


@pytest.mark.parametrize(
    ("written", "value"),
    [("1,250.00", "1250.00"), ('"12,500"', "12500"), ("1250.10", "1250.10"), ("1,000,000,000", "1000000000")],
)
def test_thousands_separators_are_read_exactly(ref, written, value):
    result = check_file(edit(OFFER, PRICE, f"price_per_participant: {written}"), "x", ref)
    assert result.findings == []
    assert str(result.model.price_per_participant) == value  # type: ignore[union-attr]


@pytest.mark.parametrize("written", ["1000000000.01", "100000000000000000000000000", "1" * 5000, "9" * 200 + ".5"])
def test_money_over_a_billion_is_out_of_range(ref, written):
    finding = one(edit(OFFER, PRICE, f"price_per_participant: {written}"), ref, "price_per_participant")
    assert finding.rule == "range"
    assert len(finding.message) < 200


@pytest.mark.parametrize(("written", "hint"), [("4,5", "`4.5`"), ("45%", "`45` without"), ("1e1", "exponent")])
def test_percentages_refuse_other_forms(ref, written, hint):
    finding = one(edit(OFFER, "job_outcome: 45", f"job_outcome: {written}"), ref, "performance.job_outcome")
    assert (finding.rule, hint in (finding.hint or "")) == ("type", True)


@pytest.mark.parametrize(
    ("field", "old", "written", "rule", "hint"),
    [
        ("capacity", "capacity: 40", "capacity: 1,000", "type", "1000"),
        ("capacity", "capacity: 40", 'capacity: "40"', "type", "40 without quotes"),
        ("capacity", "capacity: 40", "capacity: 40.0", "type", "40 without the decimal point"),
        ("capacity", "capacity: 40", "capacity: 1_000", "type", "1000 without underscores"),
        ("capacity", "capacity: 40", "capacity: 1000001", "range", None),
        ("capacity", "capacity: 40", "capacity: " + "9" * 5000, "range", None),
        ("capacity", "capacity: 40", "capacity: 0x" + "F" * 5000, "type", "decimal digits"),
        ("capacity", "capacity: 40", "capacity: " + "1:" * 3000 + "1", "type", "in quotes"),
        ("capacity", "capacity: 40", "capacity: 0" + "7" * 5000, "type", "without the leading zero"),
        ("course.duration_weeks", "duration_weeks: 6", "duration_weeks: 521", "range", None),
        ("course.duration_weeks", "duration_weeks: 6", "duration_weeks: 1000000", "range", None),
        ("available.from", "from: 2026-09-01", "from: 0999-09-01", "range", "2000-01-01"),
        ("available.until", "until: 2027-08-31", "until: 2100-01-01", "range", "2099-12-31"),
        ("available.until", "until: 2027-08-31", "until: 9999-12-31", "range", "2099-12-31"),
    ],
)
def test_whole_numbers_and_dates(ref, field, old, written, rule, hint):
    finding = one(edit(OFFER, old, written), ref, field)
    assert finding.rule == rule
    if hint:
        assert hint in (finding.hint or "")
    assert len(finding.message) < 300


def test_participants_are_bounded(ref):
    finding = one(edit(CASE, "participants: 40", "participants: 1000001"), ref, "participants")
    assert finding.rule == "range"


@pytest.mark.parametrize(
    ("written", "reading"),
    [("010", "octal number 8"), ("1:25", "base-60 number 85"), ("0x7", "hexadecimal number 7"), ("0b111", "binary")],
)
def test_yaml11_forms_never_become_a_category(ref, written, reading):
    result = check_file(edit(OFFER, "category: 7", f"category: {written}"), "x", ref)
    assert result.model is None
    finding = one(edit(OFFER, "category: 7", f"category: {written}"), ref, "category")
    assert finding.rule == "unknown-provision"
    assert reading in finding.message


def test_base_60_completion_is_refused_with_the_quote_hint(ref):
    finding = one(edit(OFFER, "completion: 85", "completion: 1:25"), ref, "performance.completion")
    assert finding.rule == "type"
    assert "base-60 number 85" in finding.message
    assert '"1:25" in quotes' in (finding.hint or "")


def test_the_cli_refuses_a_decimal_comma(runner, tmp_path: Path):
    path = tmp_path / "offer.yaml"
    path.write_bytes(edit(OFFER, PRICE, "price_per_participant: 12,50"))
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    assert "12.50" in result.stdout
    assert "internal error" not in result.stdout + result.stderr
