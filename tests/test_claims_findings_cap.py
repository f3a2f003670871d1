"""Event findings are capped per rule and file (reporting only), and a short row withholds its participant."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from dps_cli import events, validate
from dps_cli.events import EventFinding, capped, read
from dps_cli.findings import Finding
from dps_cli.milestones import Rules, derive
from tests.conftest import ROOT, invoke

CO = "CO-BC-SE-0007"
CALLOFF = "examples/calloffs/crawley-warehouse-award.yaml"
HEADER = "calloff,participant,event,date,evidence\n"


def bad_rows(count: int) -> str:
    """``count`` participants, each with a start and one row of an event that does not exist."""
    return HEADER + "".join(f"{CO},P-{n:04},start,2026-11-02,\n{CO},P-{n:04},bogus,2026-11-03,\n" for n in range(count))


def finding(rule: str, line: int, path: str = "e.csv") -> EventFinding:
    return EventFinding(path, Finding(rule, f"problem on line {line}", line=line), CO, f"P-{line}")


@pytest.mark.parametrize(("count", "kept"), [(100, 100), (101, 101), (250, 101)])
def test_at_most_100_of_a_rule_then_one_summing_up(count, kept):
    found = capped([finding("event-order", line) for line in range(2, count + 2)])
    assert len(found) == kept
    assert found[:100] == [finding("event-order", line) for line in range(2, 102)]
    if count > 100:
        summary = found[100].finding
        assert summary.message == f"… and {count - 100:,} more event-order findings in this file"
        assert summary.rule == "event-order" and summary.line == 102 and "first 100" in (summary.hint or "")


def test_the_cap_counts_each_rule_in_each_file_apart():
    found = [finding("type", n) for n in range(2, 102)] + [finding("event-order", n) for n in range(2, 102)]
    found += [finding("type", n, "other.csv") for n in range(2, 102)]
    assert capped(found) == found  # 100 of each (rule, file): nothing summed up


def test_the_cap_is_the_one_validate_uses():
    assert events.MAX_PER_RULE == validate.MAX_PER_RULE


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("count", [100, 101])
def test_every_format_reports_the_cap_and_every_participant_is_withheld(runner, tmp_path, at_root, count):
    path = tmp_path / "events.csv"
    path.write_text(bad_rows(count))
    run = ("claims", CALLOFF, "--events", str(path), "--period", "2026-12")
    doc = json.loads(invoke(runner, *run, "--format", "json").stdout)
    unknown = [f for f in doc["findings"] if f["rule"] == "unknown-event"]
    assert len(unknown) == min(count, 101)
    assert ("… and 1 more unknown-event findings in this file" in unknown[-1]["message"]) is (count == 101)
    assert doc["summary"]["withheld"] == count == len(doc["calloffs"][0]["withheld"])  # the cap is not on effect
    assert doc["calloffs"][0]["due"] == []
    text = invoke(runner, *run).stdout
    assert ("more unknown-event findings in this file" in text) is (count == 101)
    assert text.count("is not an event") == count + min(count, 100)  # every withheld reason; findings capped


def test_a_short_row_withholds_the_participant_it_names():
    text = HEADER + f"{CO},P-1,start,2026-11-02,\n{CO},P-1,completion\n{CO},P-2,start,2026-11-02,\n"
    result = read(io.BytesIO(text.encode()), "e.csv", {CO}, date(2027, 1, 31))
    (short,) = result.findings
    assert (short.finding.rule, short.finding.line, short.participant) == ("events-format", 3, "P-1")
    rules = {CO: Rules(CO, date(2026, 11, 1), 40)}
    derivation = derive(result.rows, rules, date(2027, 1, 31), result.findings)
    assert [(p.participant, p.withheld) for p in derivation.participants] == [("P-1", True), ("P-2", False)]


@pytest.mark.parametrize(
    "row",
    [f"{CO}\n", "CO-OTHER,P-1\n", f"{CO},\n"],
    ids=["no-participant-cell", "unknown-calloff", "empty-participant"],
)
def test_a_short_row_that_names_no_participant_of_ours_withholds_nobody(row):
    text = HEADER + f"{CO},P-1,start,2026-11-02,\n" + row
    result = read(io.BytesIO(text.encode()), "e.csv", {CO}, date(2027, 1, 31))
    (short,) = result.findings
    assert short.finding.rule == "events-format" and short.participant == ""


@pytest.mark.parametrize(("option", "what"), [("--events", "events"), ("--claimed", "ledger")])
def test_a_dash_is_not_standard_input_and_the_message_says_so(runner, at_root, option, what):
    run = ["claims", CALLOFF, "--events", "examples/events/crawley-warehouse.csv", "--period", "2026-12"]
    result = invoke(runner, *run, option, "-")
    assert result.exit_code == 2
    assert f"{option} - would be standard input; dps reads the {what} from a file" in result.output
    assert "No such file" not in result.output
