"""Defects found when the in-life, panel and marks work met: each test fails without its fix."""

from __future__ import annotations

import json
from decimal import Decimal

from dps_cli.report.inlife import MeasureView
from tests.conftest import EXAMPLES, invoke

CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"


def _view(commitment: Decimal | None, rating: str | None, rate: Decimal | None) -> MeasureView:
    return MeasureView(
        "action_plan", "completers", 10, 4, 3, 3, False, rate, Decimal("40"), Decimal("70"),
        commitment, Decimal("75"), rating, "cannot-meet-target",
    )  # fmt: skip


def test_a_measure_with_no_commitment_is_not_said_to_have_no_one_settled():
    assert _view(None, None, Decimal("57.14")).rating_words == "none: no commitment to rate against"
    assert _view(Decimal("80"), None, None).rating_words == "none yet: no one settled"
    assert _view(Decimal("80"), "good", Decimal("80")).rating_words == "good (provisional)"


def test_performance_caps_each_rules_findings_as_claims_does(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "calloff,participant,event,date\n" + "".join(f"CO-BC-SE-0007,P-{i},strat,2026-11-05\n" for i in range(101))
    )
    args = ["--events", str(bad), "--format", "json"]
    found = json.loads(invoke(runner, "performance", str(CALLOFF), *args, "--as-of", "2027-01-01").stdout)["findings"]
    claimed = json.loads(invoke(runner, "claims", str(CALLOFF), *args, "--period", "2026-12").stdout)["findings"]
    assert len(found) == 101 and found[-1]["message"] == "… and 1 more unknown-event findings in this file"
    assert [f["message"] for f in found] == [f["message"] for f in claimed]


def test_a_ranked_entrys_panel_reasons_are_not_named_like_an_excluded_entrys_reasons(runner):
    out = invoke(
        runner, "match", str(EXAMPLES / "business-cases" / "crawley-warehouse-social-value.yaml"),
        str(EXAMPLES / "offers"), "--evaluations", str(EXAMPLES / "panel" / "consensus.yaml"), "--format", "json",
    )  # fmt: skip
    result = json.loads(out.stdout)
    ranked = {entry["offer"]: entry for entry in result["ranked"]}
    assert "reasons" not in ranked["OF-0042"]
    assert set(ranked["OF-0042"]["consensus_reasons"]) == {"closer_to_work"}
    assert all(isinstance(entry["reasons"], list) for entry in result["excluded"])


def test_a_sheet_for_a_business_case_lists_only_the_offers_it_could_award(runner, tmp_path):
    from openpyxl import load_workbook

    case = EXAMPLES / "business-cases" / "crawley-warehouse-social-value.yaml"
    out = tmp_path / "AB.xlsx"
    result = invoke(runner, "marks", "sheet", str(EXAMPLES / "offers"), "-b", str(case), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "left out OF-0051 (" in result.stderr and "not eligible (provision, location)" in result.stderr
    sheet = load_workbook(out, read_only=True)["Marks"]
    offers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert offers == ["OF-0042", "OF-0107", "OF-0310"]


def test_combine_takes_reference_as_every_command_does(runner, tmp_path):
    from dps_cli.reference import embedded_directory

    sheets = [str(EXAMPLES / "panel" / f"{name}.csv") for name in ("AB", "CD", "EF")]
    args = ["--consensus", str(EXAMPLES / "panel" / "consensus.yaml"), "--reference", str(embedded_directory())]
    result = invoke(runner, "marks", "combine", *sheets, *args, "-o", str(tmp_path / "panel.yaml"))
    assert result.exit_code == 0, result.output
    missing = invoke(
        runner, "marks", "combine", *sheets, "--reference", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.yaml")
    )
    assert missing.exit_code == 2
