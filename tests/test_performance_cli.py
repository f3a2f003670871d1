"""`dps performance` end to end: the example at two dates (golden), formats, widths, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import ROOT, invoke

CALLOFF = "examples/calloffs/crawley-warehouse-award.yaml"
EVENTS = "examples/events/crawley-warehouse.csv"
RUN = ("performance", CALLOFF, "--events", EVENTS)
GOLDEN = ROOT / "tests" / "golden"
DATES = ("2026-12-31", "2027-06-30")  # early (a warning), and once every window has closed (final)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("form", ["txt", "json", "csv"])
def test_golden_output(runner, as_of, form):
    result = invoke(runner, *RUN, "--as-of", as_of, "--format", {"txt": "text"}.get(form, form))
    assert result.exit_code == 1  # P-018 both completed and left: an error finding, whatever the ratings
    assert result.stdout == (GOLDEN / f"performance-crawley-{as_of}.{form}").read_text()


def test_the_json_keys_are_spec_9s():
    doc = json.loads((GOLDEN / "performance-crawley-2027-06-30.json").read_text())
    assert set(doc) == {"as_of", "calloffs", "findings", "summary"}
    (calloff,) = doc["calloffs"]
    assert set(calloff) == {"calloff", "supplier", "provision", "participants", "starters", "measures", "cohorts"}
    keys = {"measure", "base", "base_count", "target", "commitment", "achieved", "open", "missed", "final"}
    keys |= {"rate", "lower", "upper", "rating", "below_target", "warning"}
    assert all(set(m) == keys for m in calloff["measures"])
    assert set(calloff["cohorts"][0]) == {"month", "starters", "completions", "job_outcomes", "final"}
    assert all(set(f) == {"rule", "severity", "message", "path", "line"} for f in doc["findings"])


def test_early_the_completion_commitment_is_already_out_of_reach():
    doc = json.loads((GOLDEN / "performance-crawley-2026-12-31.json").read_text())
    completion, job = doc["calloffs"][0]["measures"]
    # 39 starters, 8 left: at best 31/39 = 79.49% complete, under the 85% committed
    assert (completion["achieved"], completion["open"], completion["missed"]) == (20, 11, 8)
    assert (completion["upper"], completion["warning"], completion["final"]) == (79.49, "cannot-meet-commitment", False)
    assert (job["rate"], job["lower"], job["upper"], job["warning"]) == (0.0, 0.0, 79.49, None)
    assert doc["summary"] == {"calloffs": 1, "inadequate": 1, "warnings": 1}


def test_late_every_measure_is_final():
    doc = json.loads((GOLDEN / "performance-crawley-2027-06-30.json").read_text())
    completion, job = doc["calloffs"][0]["measures"]
    assert completion["final"] and job["final"] and doc["calloffs"][0]["cohorts"][0]["final"]
    assert job["rate"] == job["lower"] == job["upper"] == 61.54  # 24 of 39
    assert (job["rating"], job["below_target"], job["warning"]) == ("good", False, "secured")
    assert job["target"] == 45.0 and isinstance(job["target"], float)


def test_percentages_are_rounded_half_up_to_two_places():
    doc = json.loads((GOLDEN / "performance-crawley-2026-12-31.json").read_text())
    completion = doc["calloffs"][0]["measures"][0]
    assert completion["rate"] == 71.43  # 20/28 = 71.428…
    assert completion["lower"] == 51.28  # 20/39 = 51.282…


def test_two_runs_are_byte_identical(runner):
    first = invoke(runner, *RUN, "--as-of", "2027-01-15", "--format", "json").stdout
    assert first == invoke(runner, *RUN, "--as-of", "2027-01-15", "--format", "json").stdout
    text = invoke(runner, *RUN, "--as-of", "2027-01-15").stdout
    assert text == invoke(runner, *RUN, "--as-of", "2027-01-15").stdout


@pytest.mark.parametrize("width", [60, 80, 120])
def test_text_fits_the_width_without_colour(runner, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = invoke(runner, *RUN, "--as-of", "2027-01-15").stdout
    assert max(len(line) for line in out.splitlines()) <= width
    assert "\x1b" not in out
    chart = [line for line in out.splitlines() if line.startswith("2026-11  ") and "│" in line]
    assert len(chart) == 1 and chart[0].endswith("20.00%  5.13–79.49%")


def test_csv_is_one_row_per_calloff_and_measure():
    rows = list(csv.DictReader(io.StringIO((GOLDEN / "performance-crawley-2027-06-30.csv").read_text())))
    assert [(r["calloff"], r["measure"]) for r in rows] == [
        ("CO-BC-SE-0007", "completion"),
        ("CO-BC-SE-0007", "job_outcome"),
    ]
    assert rows[1]["rate"] == "61.54" and rows[1]["warning"] == "secured" and rows[0]["target"] == ""


def test_events_after_as_of_are_left_out(runner):
    doc = json.loads(invoke(runner, *RUN, "--as-of", "2026-11-03", "--format", "json").stdout)
    assert doc["calloffs"][0]["starters"] == 3 and doc["findings"] == []


def test_exit_0_when_the_events_hold_together_whatever_the_ratings(runner, tmp_path):
    events = tmp_path / "e.csv"
    rows = [line for line in (ROOT / EVENTS).read_text().splitlines() if ",P-018," not in line]
    events.write_text("\n".join(rows) + "\n")
    result = invoke(runner, "performance", CALLOFF, "--events", str(events), "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.output
    assert "inadequate" in result.stdout and "cannot meet" in result.stdout


@pytest.mark.parametrize("as_of", ["2027-13-01", "tomorrow", "1999-12-31"])
def test_a_bad_as_of_is_a_usage_error(runner, as_of):
    result = invoke(runner, *RUN, "--as-of", as_of)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"dps: error: --as-of '{as_of}' is not a date")


def test_missing_events_is_a_usage_error(runner):
    result = invoke(runner, "performance", CALLOFF, "--events", "nowhere.csv")
    assert result.exit_code == 2 and "nowhere.csv" in result.stderr
    assert "Traceback" not in result.output


def test_a_formula_in_the_events_never_reaches_a_csv_cell_as_a_formula(runner, tmp_path):
    calloff = (ROOT / CALLOFF).read_text().replace("name: Brightpath Training Ltd", "name: '=HYPERLINK(1)'")
    path = tmp_path / "c.yaml"
    path.write_text(calloff)
    out = invoke(runner, "performance", str(path), "--events", EVENTS, "--as-of", "2027-06-30", "-f", "csv").stdout
    assert "'=HYPERLINK(1)" in out and ",=HYPERLINK" not in out


def test_before_anyone_starts_there_is_nothing_to_rate(runner):
    result = invoke(runner, *RUN, "--as-of", "2026-10-31")
    assert result.exit_code == 0
    assert "0 of 40 contracted participants started." in result.stdout
    assert "No contracted participant has started yet." in result.stdout
    assert result.stdout.rstrip().endswith("No findings in the events.")
    doc = json.loads(invoke(runner, *RUN, "--as-of", "2026-10-31", "--format", "json").stdout)
    (calloff,) = doc["calloffs"]
    assert calloff["starters"] == 0 and calloff["cohorts"] == []
    assert all(m["rate"] is None and m["rating"] is None and m["warning"] is None for m in calloff["measures"])


def test_hostile_text_from_the_calloff_is_shown_as_data(runner, tmp_path):
    hostile = "Evil\\x1b]0;owned\\x07 [red]Ltd[/red]"
    calloff = (ROOT / CALLOFF).read_text().replace("name: Brightpath Training Ltd", f'name: "{hostile}"')
    path = tmp_path / "c.yaml"
    path.write_text(calloff)
    out = invoke(runner, "performance", str(path), "--events", EVENTS, "--as-of", "2027-06-30").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil\\x1b]0;owned\\x07 [red]Ltd[/red]" in out
