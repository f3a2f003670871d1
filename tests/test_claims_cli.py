"""`dps claims` end to end: the example, the ledger round trip, formats, exit codes, safety."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import ROOT, invoke

CALLOFF = "examples/calloffs/crawley-warehouse-award.yaml"
EVENTS = "examples/events/crawley-warehouse.csv"
LEDGER = "examples/events/crawley-ledger.csv"
RUN = ("claims", CALLOFF, "--events", EVENTS)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def claims_json(runner, *args):
    result = invoke(runner, *RUN, *args, "--format", "json")
    return result, json.loads(result.stdout)


def test_the_example_statement(runner):
    result, doc = claims_json(runner, "--period", "2027-01", "--claimed", LEDGER)
    assert result.exit_code == 1  # P-018 completed and left
    (statement,) = doc["calloffs"]
    assert set(doc) == {"period", "calloffs", "findings", "summary"}  # SPEC §8's keys, exactly
    assert set(statement) == {"calloff", "supplier", "due", "totals", "withheld", "recover"}
    assert set(statement["due"][0]) == {"participant", "milestone", "achieved", "fee", "evidence"}
    assert set(statement["withheld"][0]["reasons"][0]) == {"rule", "message", "line"}
    assert all(set(f) == {"rule", "severity", "message", "path", "line"} for f in doc["findings"])
    assert statement["totals"] == {
        "due": "19875.00",
        "claimed_before": "5000.00",
        "to_date": "24875.00",
        "value": "50000.00",
        "remaining": "25125.00",
    }
    assert [w["participant"] for w in statement["withheld"]] == ["P-018"]
    assert [(f["rule"], f["line"]) for f in doc["findings"]] == [("over-contract", 51), ("event-order", 80)]
    assert doc["summary"] == {"calloffs": 1, "due": "19875.00", "withheld": 1, "errors": 1, "warnings": 1}


def test_the_example_ledger_is_the_november_statement(runner):
    result = invoke(runner, *RUN, "--period", "2026-11", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == (ROOT / LEDGER).read_text()


def test_ledger_round_trip_leaves_nothing_due(runner, tmp_path):
    today = invoke(runner, *RUN, "--period", "2027-03", "--claimed", LEDGER, "--format", "csv").stdout
    (tmp_path / "march.csv").write_text(today)
    again = invoke(
        runner,
        *RUN,
        "--period",
        "2027-03",
        "--claimed",
        LEDGER,
        "--claimed",
        str(tmp_path / "march.csv"),
        "--format",
        "csv",
    )
    assert len(today.splitlines()) > 10 and again.stdout.splitlines() == [today.splitlines()[0]]


def test_ledger_findings_through_the_cli(runner, tmp_path):
    ledger = tmp_path / "ledger.csv"
    lines = (ROOT / LEDGER).read_text().splitlines()
    bad = [
        lines[0],
        lines[1],
        lines[1],
        lines[2].replace("125.00", "150.00"),
        "CO-BC-SE-0007,P-999,start,2026-11-02,125.00,2026-11,",
        "CO-BC-SE-0007,P-001,start,x,1,2026-11,",
    ]
    ledger.write_text("\n".join(bad) + "\n")
    _, doc = claims_json(runner, "--period", "2026-11", "--claimed", str(ledger))
    rules = [(f["rule"], f["line"]) for f in doc["findings"] if f["path"].endswith("ledger.csv")]
    assert rules == [("duplicate-claim", 3), ("fee-mismatch", 4), ("unsupported-claim", 5), ("type", 6)]
    recover = doc["calloffs"][0]["recover"]
    assert sorted((r["participant"], r["fee"]) for r in recover) == [
        ("P-001", "125.00"),
        ("P-002", "25.00"),
        ("P-999", "125.00"),
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_byte_identical_output(runner, fmt):
    args = (*RUN, "--period", "2027-02", "--claimed", LEDGER, "--format", fmt)
    assert invoke(runner, *args).stdout == invoke(runner, *args).stdout


def test_text_is_a_statement_to_sign(runner):
    text = invoke(runner, *RUN, "--period", "2027-01", "--claimed", LEDGER).stdout
    for part in (
        "Self-billing statement CO-BC-SE-0007, period 2027-01",
        "Brightpath Training Ltd",
        "due now",
        "claimed before",
        "contract value",
        "remaining",
        "Withheld",
        "P-018",
        "Approved for payment by",
    ):
        assert part in text
    assert all(line == line.rstrip() for line in text.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-13"), "is not a month"),
        (("--period", "2026-11", "--as-of", "2026-12-01"), "after the period"),
        (("--period", "2026-11", "--claimed", "missing.csv"), "cannot read"),
    ],
)
def test_usage_errors_exit_2(runner, args, message):
    result = invoke(runner, *RUN, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_hostile_cells_never_act(runner, tmp_path):
    events = tmp_path / "e.csv"
    events.write_text(
        "calloff,participant,event,date,evidence\n"
        'CO-BC-SE-0007,=HYPERLINK("x"),start,2026-11-02,"@SUM(1)\x1b]0;pwned\x07"\n'
        'CO-BC-SE-0007,P-1,start,2026-11-02,"@SUM(1)\x1b]0;pwned\x07"\n'
    )
    out = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "--format", "csv").stdout
    (row,) = [r for r in csv.reader(io.StringIO(out)) if r[0] == "CO-BC-SE-0007"]
    assert row[1] == "P-1" and row[6].startswith("'@") and "\x1b" not in out
    text = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11").stdout
    assert "\x1b" not in text and "\\x1b" in text
    assert '=HYPERLINK("x")' in text and "starts like a spreadsheet formula" in text  # withheld, shown as data


def test_an_ni_number_is_never_printed(runner, tmp_path):
    events = tmp_path / "e.csv"
    events.write_text("calloff,participant,event,date\nCO-BC-SE-0007,QQ123456C,start,2026-11-02\n")
    for fmt in ("text", "json", "csv"):
        result = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "--format", fmt)
        assert result.exit_code == 1 and "QQ123456C" not in result.stdout


def test_a_file_over_200_mib_is_refused_before_it_is_read(runner, tmp_path):
    events = tmp_path / "big.csv"
    with events.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024 + 1)  # sparse: no disk used
    result = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and [(f["rule"], f["line"]) for f in doc["findings"]] == [("events-format", 1)]
    assert "200 MiB" in doc["findings"][0]["message"]


def test_as_of_cuts_the_events_off_inside_the_period(runner):
    _, doc = claims_json(runner, "--period", "2026-11", "--as-of", "2026-11-04")
    achieved = {line["achieved"] for line in doc["calloffs"][0]["due"]}
    assert achieved == {"2026-11-02", "2026-11-04"}


def test_a_ledger_milestone_is_shown_as_data(runner, tmp_path):
    ledger = tmp_path / "evil-ledger.csv"
    ledger.write_text(
        "calloff,participant,milestone,achieved,fee,period\nCO-BC-SE-0007,P-001,\x1b]0;pwned\x07,2026-11-02,1.00,2026-11\n"
    )
    result = invoke(runner, *RUN, "--period", "2026-11", "--claimed", str(ledger))
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_text_lists_at_most_a_thousand_findings_and_counts_the_rest(runner, tmp_path):
    events = tmp_path / "many.csv"
    rows = "".join(f"CO-BC-SE-0007,P-{i},strat,2026-11-02\n" for i in range(1_500))
    events.write_text("calloff,participant,event,date\n" + rows)
    result = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11")
    assert result.exit_code == 1, result.output
    assert "… and 1,400 more unknown-event findings in this file" in result.stdout  # capped per rule
    assert "… and 500 more withheld participants" in result.stdout
    assert result.stdout.count("unknown-event") <= 2_000
    doc = json.loads(
        invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "-f", "json").stdout
    )
    assert len(doc["findings"]) == 101  # as in text: 100 and one summing up the rest
    assert len(doc["calloffs"][0]["withheld"]) == 1_500


def test_a_reference_the_ledger_would_guard_is_withheld_not_paid_twice(runner, tmp_path):
    events = tmp_path / "m.csv"
    events.write_text(
        "calloff,participant,event,date\nCO-BC-SE-0007,-P3,start,2026-11-03\nCO-BC-SE-0007,P-4,start,2026-11-03\n"
    )
    ledger = tmp_path / "l.csv"
    first = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "-f", "csv")
    assert first.exit_code == 1
    ledger.write_text(first.stdout)
    assert "-P3" not in first.stdout
    again = invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "--claimed", str(ledger))
    doc = json.loads(
        invoke(runner, "claims", CALLOFF, "--events", str(events), "--period", "2026-11", "--claimed", str(ledger),
               "-f", "json").stdout
    )  # fmt: skip
    assert doc["calloffs"][0]["due"] == [] and doc["calloffs"][0]["recover"] == []
    assert [w["participant"] for w in doc["calloffs"][0]["withheld"]] == ["-P3"]
    assert again.exit_code == 1
