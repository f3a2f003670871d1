"""What a newcomer hits in match and schedule, help without Python types, and crash triggers in the commands."""

from __future__ import annotations

import json
import os
import shutil
import signal
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import typer

from dps_cli import schedule as core
from dps_cli.cli import app
from dps_cli.commands import batch
from dps_cli.models import Offer
from dps_cli.validate import check_file
from tests.conftest import DATA, EXAMPLES, invoke

OFFER = str(EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml")  # available 2026-09-01 to 2027-08-31
CASE = str(EXAMPLES / "business-cases" / "crawley-warehouse.yaml")
MARKS = str(EXAMPLES / "evaluations.yaml")
BASE = (DATA / "valid" / "offer-category-7.yaml").read_text()


def assert_clean(output: str) -> None:
    assert "internal error" not in output
    assert "Traceback" not in output


def one_usage_error(result, message: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2 with `dps: error: …` first and a hint after it."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"dps: error: {message}"
    assert lines[1].startswith("  hint: ")
    assert_clean(result.output)


def offer_model(ref, *pairs: tuple[str, str]) -> Offer:
    text = BASE
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    result = check_file(text.encode(), "t.yaml", ref)
    assert isinstance(result.model, Offer), result.findings
    return result.model


# -- help --------------------------------------------------------------------

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_is_covered():
    assert COMMANDS == [
        "award",
        "categories",
        "claims",
        "marks",
        "match",
        "new",
        "performance",
        "report",
        "routeways",
        "schedule",
        "schema",
        "validate",
    ]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_shows_no_python_types(runner, command):
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0
    for python in ("<list", "<int", "<str", "<path", "<bool", "range>", "x>=", "{", "NoneType"):
        assert python not in result.stdout, (command, python)


def test_help_names_arguments_by_their_metavar(runner):
    lines = invoke(runner, "match", "--help").stdout.splitlines()
    assert lines[0] == "Usage: dps match [OPTIONS] BUSINESS_CASE OFFERS..."
    assert any(line.startswith("  BUSINESS_CASE  The business case file.") for line in lines)
    assert any(line.startswith("  --top N ") for line in lines)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", OFFER, "--jobs", "0"],
        ["match", CASE, OFFER, "--top", "0"],
    ],
)
def test_counts_below_one_are_usage_errors_in_words(runner, args):
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert "0 is not allowed: give 1 or more" in result.stderr
    assert "x>=" not in result.stderr


@pytest.mark.parametrize(("n", "ok"), [("0", False), ("1", True), ("1000000", True), ("1000001", False)])
def test_participants_are_1_to_a_million(runner, n, ok):
    result = invoke(runner, "schedule", OFFER, "--participants", n, "--start", "2026-11-02", "-f", "json")
    assert result.exit_code == (0 if ok else 2)
    if not ok:
        assert f"{n} is not allowed: give 1 to 1,000,000" in result.stderr


# -- match -------------------------------------------------------------------


def test_match_with_no_offer_files_says_so(runner, tmp_path):
    shutil.copy(CASE, tmp_path / "case.yaml")
    shutil.copy(MARKS, tmp_path / "marks.yaml")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = invoke(runner, "match", CASE, str(tmp_path))
    one_usage_error(result, f"no offer files in {tmp_path}: nothing to match")


def test_match_with_only_its_own_business_case_says_so(runner):
    one_usage_error(invoke(runner, "match", CASE, CASE), f"no offer files in {CASE}: nothing to match")


def test_match_with_no_offers_argument_is_a_usage_error(runner):
    result = invoke(runner, "match", CASE)
    assert result.exit_code == 2
    assert "Missing argument 'OFFERS...'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["match", "examples/business-cases", "examples/offers"], "is a folder; give the business case file"),
        (["match", CASE, "examples/offers", "--evaluations", "examples"], "is a folder; give the evaluations file"),
        (["schedule", "examples/offers", "-n", "3"], "is a folder; give the offer file"),
        (["schedule", OFFER, "-b", "examples/business-cases"], "is a folder; give the business case file"),
    ],
)
def test_a_folder_where_a_file_belongs_is_named_as_a_folder(runner, monkeypatch, args, message):
    monkeypatch.chdir(EXAMPLES.parent)
    result = invoke(runner, *args)
    folder = "examples" if "--evaluations" in args else next(a for a in args[1:] if os.path.isdir(a))
    one_usage_error(result, f"{folder} {message}")


def test_a_missing_file_is_still_no_such_file(runner):
    one_usage_error(invoke(runner, "schedule", "nowhere.yaml", "-n", "3"), "no such file: nowhere.yaml")


def test_an_offer_given_as_the_business_case_says_which_kind_it_is(runner):
    result = invoke(runner, "match", OFFER, "examples/offers")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"dps: error: {OFFER} is an offer file, not a business case file"


def test_a_lost_worker_is_one_error_line_not_a_crash(runner, tmp_path, monkeypatch):
    for i in range(130):
        shutil.copy(OFFER, tmp_path / f"{i}.yaml")

    def killed(targets):  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(batch, "_check_chunk", killed)
    result = invoke(runner, "validate", str(tmp_path), "--jobs", "2")
    one_usage_error(result, "a worker process was stopped by signal SIGKILL")


# -- schedule: availability --------------------------------------------------


@pytest.mark.parametrize(
    ("start", "warned"),
    [("2026-08-31", True), ("2026-09-01", False), ("2027-08-31", False), ("2027-09-01", True)],
)
def test_schedule_warns_when_the_start_is_outside_availability(runner, start, warned):
    result = invoke(runner, "schedule", OFFER, "-n", "40", "--start", start, "-f", "json")
    assert result.exit_code == 0
    expected = f"the cohort starts {start}, outside the offer's availability (2026-09-01 to 2027-08-31)"
    assert json.loads(result.stdout)["warnings"] == ([expected] if warned else [])


def test_the_availability_warning_in_text_and_csv(runner):
    text = invoke(runner, "schedule", OFFER, "-n", "40", "--start", "2030-01-07")
    assert "warning: the cohort starts 2030-01-07, outside the offer's availability" in text.stdout
    csv = invoke(runner, "schedule", OFFER, "-n", "40", "--start", "2030-01-07", "-f", "csv")
    assert "dps: warning: the cohort starts 2030-01-07" in csv.stderr


def test_a_business_case_start_outside_availability_is_warned(runner, tmp_path):
    late = tmp_path / "case.yaml"
    late.write_text(Path(CASE).read_text().replace("start_by: 2026-11-01", "start_by: 2028-01-03"))
    data = json.loads(invoke(runner, "schedule", OFFER, "-b", str(late), "-f", "json").stdout)
    assert data["warnings"] == [
        "the cohort starts 2028-01-03, outside the offer's availability (2026-09-01 to 2027-08-31)"
    ]


# -- schedule: a milestone counts by its share, never its rounded fee ---------


def test_a_penny_category_4_offer_still_counts_job_outcomes(ref):
    offer = offer_model(ref, ("category: 7", "category: 4"), ("1250.00", "0.01"))
    result = core.build(offer, 10, date(2026, 10, 1), ref)
    assert result.fees == {"start": Decimal("0.00"), "completion": Decimal("0.01"), "job_outcome": Decimal("0.00")}
    outcomes = {name: s.job_outcomes for name, s in result.scenarios.items()}
    assert outcomes == {"maximum": 10, "target": 3, "offered": 5}
    assert [e.milestone for e in result.timeline] == ["start", "completion", "job_outcome"]
    assert sum(s.total for s in result.scenarios.values()) == Decimal("0.29")


def test_a_zero_share_milestone_is_still_never_counted(ref):
    offer = offer_model(
        ref,
        ("category: 7", "category: 8"),
        ("  job_outcome: 45\n", "  mentoring_agreement: 100\n  in_work_13_weeks: 75\n"),
    )
    result = core.build(offer, 10, date(2026, 10, 1), ref)
    assert all(s.job_outcomes == 0 for s in result.scenarios.values())
    assert [e.milestone for e in result.timeline] == ["start", "completion"]


def test_penny_offer_through_the_cli(runner, tmp_path):
    path = tmp_path / "penny.yaml"
    path.write_text(BASE.replace("category: 7", "category: 4").replace("1250.00", "0.01"))
    data = json.loads(invoke(runner, "schedule", str(path), "-n", "10", "--start", "2026-10-01", "-f", "json").stdout)
    assert [data["scenarios"][s]["job_outcomes"] for s in ("maximum", "target", "offered")] == [10, 3, 5]


# -- schedule: dates ---------------------------------------------------------


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_start_outside_the_accepted_range_is_a_usage_error(runner, start):
    one_usage_error(invoke(runner, "schedule", OFFER, "-n", "3", "--start", start), f"--start {start} is out of range")
    assert (
        "give a date from 2000-01-01 to 2099-12-31"
        in invoke(runner, "schedule", OFFER, "-n", "3", "--start", start).stderr
    )


@pytest.mark.parametrize("start", ["2000-01-01", "2099-12-31"])
def test_the_range_ends_are_accepted(runner, start):
    assert invoke(runner, "schedule", OFFER, "-n", "3", "--start", start).exit_code == 0


@pytest.mark.parametrize("start", ["", "20261102", "2026-W45-1", "2026-11-02T00:00", "２０２６-11-02", "2026-02-30"])
def test_start_must_be_yyyy_mm_dd(runner, start):
    one_usage_error(invoke(runner, "schedule", OFFER, "-n", "3", "--start", start), f"--start '{start}' is not a date")


def test_week_arithmetic_never_overflows(ref):
    with pytest.raises(core.ScheduleError, match="past the year 9999"):
        core.weeks_after(date(9999, 12, 1), 10)
    offer = offer_model(ref)
    far = offer.model_copy(update={"course": offer.course.model_copy(update={"duration_weeks": 1_000_000})})
    with pytest.raises(core.ScheduleError):
        core.build(far, 3, date(2026, 10, 1), ref)


def test_cash_by_month_names_early_years_in_four_digits(ref):
    months = [month for month, _ in core.build(offer_model(ref), 3, date(1, 1, 1), ref).monthly()]
    assert months[0] == "0001-01" and months[-1] == "0001-05"


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("offer", "duration_weeks: 6", "duration_weeks: 1000000"),
        ("case", "start_by: 2026-11-01", "start_by: 9999-12-31"),
    ],
)
def test_dates_from_files_that_overflow_end_in_exit_1(runner, tmp_path, file, old, new):
    offer, case = tmp_path / "offer.yaml", tmp_path / "case.yaml"
    offer.write_text(BASE.replace(old, new) if file == "offer" else BASE)
    text = Path(CASE).read_text()
    case.write_text(text.replace(old, new) if file == "case" else text)
    result = invoke(runner, "schedule", str(offer), "-b", str(case))
    assert result.exit_code == 1
    assert result.stderr.startswith("dps: error: ")
    assert_clean(result.output)
