"""Reading events (SPEC §8): every event finding, and hostile CSV never crashes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dps_cli import events
from dps_cli.events import masked, read

CO = "CO-BC-SE-0007"
HEADER = "calloff,participant,event,date,evidence\n"
CUTOFF = date(2027, 1, 31)


def found(text: str | bytes, cutoff: date = CUTOFF) -> list[tuple[str, int]]:
    raw = text.encode() if isinstance(text, str) else text
    result = read(io.BytesIO(raw), "e.csv", {CO}, cutoff)
    return [(f.finding.rule, f.finding.line) for f in result.findings]


def test_a_clean_file_with_bom_any_column_order_and_case():
    text = "\ufeffDate,EVENT,Participant,notes,CallOff\n2026-11-02,start,P-1,x,CO-BC-SE-0007\n\n"
    result = read(io.BytesIO(text.encode()), "e.csv", {CO}, CUTOFF)
    assert result.findings == ()
    (row,) = result.rows
    assert (row.participant, row.event, row.day, row.line, row.evidence) == ("P-1", "start", date(2026, 11, 2), 2, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + f"{CO},P-1,Start,2026-11-02,\n", [("unknown-event", 2)]),
        (HEADER + f"{CO},P-1,start,2026-13-02,\n", [("type", 2)]),
        (HEADER + f"{CO},P-1,start,1999-12-31,\n", [("type", 2)]),
        (HEADER + f"{CO},P-1,start,02/11/2026,\n", [("type", 2)]),
        (HEADER + "CO-BC-SE-0008,P-1,start,2026-11-02,\n", [("unknown-calloff", 2)]),
        (HEADER + f"{CO},AB123456C,start,2026-11-02,\n", [("personal-data", 2)]),
        (HEADER + f"{CO},P-1,start\n", [("events-format", 2)]),
        (HEADER + f"{CO},,start,2026-11-02,\n", [("events-format", 2)]),
        ("calloff,participant,date\n", [("events-format", 1)]),
        ("calloff,participant,event,date,Event\n", [("events-format", 1)]),
        ("", [("events-format", 1)]),
        (HEADER + f'{CO},"P-1,start,2026-11-02,\n', [("events-format", 2)]),
    ],
)
def test_row_findings(text, expected):
    assert found(text) == expected


def test_unknown_event_hints_the_nearest():
    result = read(io.BytesIO((HEADER + f"{CO},P-1,job_strat,2026-11-02,\n").encode()), "e.csv", {CO}, CUTOFF)
    assert "job_start" in (result.findings[0].finding.hint or "")


def test_rows_after_the_cut_off_are_left_out_before_the_rules():
    text = HEADER + f"{CO},P-1,bogus,2027-02-01,\nX,P-1,start,2027-02-01,\n{CO},P-1,start,2027-13-01,\n"
    assert found(text) == [("type", 4)]


def test_lines_count_the_header_and_quoted_newlines():
    text = HEADER + f'{CO},P-1,start,2026-11-02,"two\nlines"\n{CO},P-1,nope,2026-11-03,\n'
    assert found(text) == [("unknown-event", 4)]


@pytest.mark.parametrize(
    "raw",
    [
        "calloff,participant,event,date\n".encode("utf-16"),
        b"calloff,participant,event,date\n" + b"\xff\xfe\n",
        HEADER.encode() + b"CO-BC-SE-0007,P-1,start,2026-11-02," + b"x" * 5000 + b"\n",
        HEADER.encode() + b"a" * (2 * 1024 * 1024),
    ],
    ids=["utf-16", "latin-1", "huge-field", "huge-line"],
)
def test_files_that_are_not_events(raw):
    assert [rule for rule, _ in found(raw)] == ["events-format"]


def test_too_many_rows_and_too_many_bytes(monkeypatch):
    rows = HEADER + f"{CO},P-1,start,2026-11-02,\n" * 4
    monkeypatch.setattr(events, "MAX_ROWS", 3)
    assert found(rows) == [("events-format", 5)]
    monkeypatch.setattr(events, "MAX_ROWS", 1_000_000)
    monkeypatch.setattr(events, "MAX_BYTES", 50)
    assert [rule for rule, _ in found(rows)] == ["events-format"]


def test_nul_bytes_control_characters_and_many_columns_are_data():
    cells = ",".join(f"c{i}" for i in range(5000))
    text = (
        f"{cells},calloff,participant,event,date\n"
        + ",".join("" for _ in range(5000))
        + f",{CO},P\x00\x1b,start,2026-11-02\n"
    )
    result = read(io.BytesIO(text.encode()), "e.csv", {CO}, CUTOFF)
    (problem,) = result.findings  # taken as data, and refused so the participant is withheld
    assert problem.finding.rule == "type" and problem.participant == "P\x00\x1b"
    assert result.rows[0].participant == "P\x00\x1b"


def test_an_ni_number_is_found_whatever_call_off_the_row_names():
    assert found(HEADER + "CO-X,ab 12 34 56 d,start,2026-11-02,\n") == [("personal-data", 2), ("unknown-calloff", 2)]


def test_ni_numbers_are_masked():
    assert masked("AB 12 34 56 C") == "AB**********C" and masked("P-001") == "P-001"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: (HEADER + t).encode()))
def test_no_input_crashes_the_reader(raw):
    result = read(io.BytesIO(raw), "e.csv", {CO}, CUTOFF)
    assert all(f.finding.rule for f in result.findings)
