"""`dps award` and the call-off file kind (SPEC §7)."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml

from dps_cli import __version__
from dps_cli.validate import check_file
from tests.conftest import EXAMPLES, ROOT, invoke

CASE = "examples/business-cases/crawley-warehouse.yaml"
OFFERS = "examples/offers"
MARKS = "examples/evaluations.yaml"
AWARD = ["award", CASE, OFFERS, "--evaluations", MARKS, "--date", "2026-10-20"]
CALLOFF = EXAMPLES / "calloffs" / "crawley-warehouse-award.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def awarded(runner, *extra: str) -> dict:
    result = invoke(runner, *AWARD, *extra)
    assert result.exit_code == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_awards_the_recommendation_with_frozen_terms(runner):
    record = awarded(runner)
    assert record["offer"] == record["basis"]["recommended"] == "OF-0042"
    assert record["basis"]["reason"] is None
    assert record["value"] == "50000.00" and record["participants"] == 40
    assert record["funding"] == {"start": 10, "completion": 30, "job_outcome": 60}
    assert record["targets"] == {"job_outcome": 45} and record["targets_rule"] == "all"
    assert record["commitments"] == {"completion": 85, "job_outcome": 50}
    assert set(record["measures"]) == {"completion", "job_outcome"}
    assert record["measures"]["job_outcome"]["window_weeks"] == 13
    assert record["ratings"] == {"approaching_target": 90, "requires_improvement": 75}


def test_basis_is_the_match_json_and_the_file_hashes(runner):
    record = awarded(runner)
    match = json.loads(invoke(runner, "match", CASE, OFFERS, "--evaluations", MARKS, "--format", "json").stdout)
    basis = record["basis"]
    assert basis["ranked"] == match["ranked"]
    assert basis["excluded"] == match["excluded"]
    assert basis["weights"] == match["weights"] and basis["minimum_quality"] == match["minimum_quality"]
    assert basis["marks"] == {e["offer"]: e["marks"] for e in match["ranked"]}
    paths = [i["path"] for i in basis["inputs"]]
    assert paths[:2] == [CASE, MARKS]
    assert sorted(paths[2:]) == sorted(str(p.relative_to(ROOT)) for p in (ROOT / OFFERS).glob("*.yaml"))
    for item in basis["inputs"]:
        assert item["sha256"] == hashlib.sha256((ROOT / item["path"]).read_bytes()).hexdigest()
    for name in ("categories.yaml", "routeways.yaml"):
        assert basis["reference"][name] == hashlib.sha256((ROOT / name).read_bytes()).hexdigest()
    assert basis["dps"] == __version__


def test_defaults_of_date_start_and_id(runner):
    from datetime import date

    result = invoke(runner, "award", CASE, OFFERS, "--evaluations", MARKS)
    record = yaml.safe_load(result.stdout)
    assert record["awarded"] == date.today()
    assert record["start"] == date(2026, 11, 1)  # the business case's start_by
    assert record["id"] == "CO-BC-SE-0007"
    record = awarded(runner, "--start", "2026-11-09", "--id", "CO-CRAWLEY-1")
    assert record["start"] == date(2026, 11, 9) and record["id"] == "CO-CRAWLEY-1"
    assert record["awarded"] == date(2026, 10, 20)


def test_another_offer_with_a_reason_is_recorded(runner):
    record = awarded(runner, "--offer", "OF-0107", "--reason", "Routeway R3 also covers barriers")
    assert record["offer"] == "OF-0107" and record["basis"]["recommended"] == "OF-0042"
    assert record["basis"]["reason"] == "Routeway R3 also covers barriers"
    assert record["provision"] == "R3" and record["value"] == "56000.00"


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--offer", "OF-0107"], "say why"),
        (["--offer", "OF-0107", "--reason", "  "], "say why"),
        (["--offer", "OF-0310", "--reason", "cheapest"], "not of a suitable standard"),
        (["--offer", "OF-0051", "--reason", "local"], "not eligible"),
        (["--offer", "OF-9999", "--reason", "x"], "no offer OF-9999"),
    ],
)
def test_refusals_exit_1_and_write_nothing(runner, tmp_path, extra, said):
    target = tmp_path / "co.yaml"
    result = invoke(runner, *AWARD, *extra, "-o", str(target))
    assert result.exit_code == 1
    assert said in result.stderr
    assert not target.exists()


def test_no_suitable_offer_exit_1_nothing_written(runner, tmp_path):
    marks = tmp_path / "marks.yaml"
    marks.write_text("kind: evaluations\nmarks:\n  OF-0042: {fit: 1, closer_to_work: 3, performance_rationale: 3, "
                     "performance_management: 3}\n")  # fmt: skip
    target = tmp_path / "co.yaml"
    result = invoke(runner, "award", CASE, OFFERS, "--evaluations", str(marks), "-o", str(target))
    assert result.exit_code == 1
    assert "no offer is of a suitable standard" in result.stderr
    assert not target.exists() and result.stdout == ""


def test_output_is_never_overwritten(runner, tmp_path):
    target = tmp_path / "co.yaml"
    target.write_text("mine")
    result = invoke(runner, *AWARD, "-o", str(target))
    assert result.exit_code == 1 and target.read_text() == "mine"
    fresh = tmp_path / "new.yaml"
    assert invoke(runner, *AWARD, "-o", str(fresh)).exit_code == 0
    assert yaml.safe_load(fresh.read_text())["kind"] == "call-off"


@pytest.mark.parametrize(("option", "value"), [("--date", "20/10/2026"), ("--start", "2026-13-01"), ("--id", "co 1")])
def test_bad_options_are_usage_errors(runner, option, value):
    assert invoke(runner, *AWARD, option, value).exit_code == 2


def test_edited_reference_is_frozen_in(runner, ref_copy):
    categories = ref_copy / "categories.yaml"
    text = categories.read_text()
    categories.write_text(text.replace("approaching_target: 90", "approaching_target: 95"))
    record = awarded(runner, "--reference", str(ref_copy))
    assert record["ratings"]["approaching_target"] == 95
    digest = hashlib.sha256(categories.read_bytes()).hexdigest()
    assert record["basis"]["reference"]["categories.yaml"] == digest


def test_the_award_validates_as_a_call_off(runner, ref):
    result = invoke(runner, *AWARD)
    checked = check_file(result.stdout.encode(), "co.yaml", ref)
    assert checked.kind == "call-off" and checked.findings == []


def test_example_call_off_is_what_award_makes_today(runner):
    """Catches drift: regenerate with the command in examples/calloffs/README when inputs change."""
    result = invoke(runner, *AWARD)
    assert result.stdout == CALLOFF.read_text()


def test_hostile_reason_stays_text(runner, ref):
    reason = "line one\nkind: offer\n<script>alert(1)</script> {{ 7*7 }}"
    record = awarded(runner, "--offer", "OF-0107", "--reason", reason)
    assert record["basis"]["reason"] == reason.strip() and record["kind"] == "call-off"


def test_match_skips_call_offs_in_a_folder_of_offers(runner):
    whole = json.loads(invoke(runner, "match", CASE, "examples", "--evaluations", MARKS, "--format", "json").stdout)
    offers = json.loads(invoke(runner, "match", CASE, OFFERS, "--evaluations", MARKS, "--format", "json").stdout)
    assert [e["offer"] for e in whole["excluded"]] == [e["offer"] for e in offers["excluded"]]
    assert whole["ranked"] == offers["ranked"]


@pytest.mark.parametrize(
    ("option", "value"), [("--date", "9999-12-31"), ("--start", "1999-12-31"), ("--date", "20261020")]
)
def test_award_dates_are_read_as_files_read_them(runner, option, value):
    result = invoke(runner, *AWARD, option, value)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"dps: error: {option} ")
