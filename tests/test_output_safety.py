"""SPEC §3: text from input files is data, in every command and format.

A hostile supplier writes escape sequences (clear screen, retitle the window),
rich markup and spreadsheet formulas into the fields a buyer's output shows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from dps_cli.report.console import csv_cell, data, safe_text
from dps_cli.report.layout import emit
from tests.conftest import EXAMPLES, invoke

CLEAR = "\x1b[2J"
RETITLE = "\x1b]0;pwned\x07"
CSI = "\x9b31m"  # the one-character C1 form of ESC [
MARKUP = "[red]Evil[/] [link=https://example.com/x]click[/link] [/]"
HOSTILE_NAME = f"{RETITLE}{CLEAR}{CSI}{MARKUP}"
FORMULA = '=HYPERLINK("https://example.com/x","y")'
# Any raw control character but newline and tab (escape sequences a terminal would act on).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (YAML's own escapes for control characters)."""
    return json.dumps(text)


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """A valid hostile offer (recommended), an invalid one, a business case and marks naming them."""
    offers = tmp_path / "offers"
    offers.mkdir()
    example = (EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml").read_text()
    (offers / "evil.yaml").write_text(
        example.replace("id: OF-0042", "id: OF-0999")
        .replace("name: Brightpath Training Ltd", f"name: {quoted(HOSTILE_NAME)}")
        .replace("title: Routes into Warehouse Work", f"title: {quoted(FORMULA)}")
    )
    (offers / "bad.yaml").write_text(
        example.replace("id: OF-0042", f"id: {quoted('OF-' + CLEAR + '[/]')}")
        .replace("name: Brightpath Training Ltd", f"name: {quoted('-2+3' + CLEAR)}")
        .replace("[entrenched-worklessness, esol]", f"[{quoted('[red]x')}, {quoted(CLEAR + 'z')}]")
    )
    case = tmp_path / "case.yaml"
    case.write_text(
        (EXAMPLES / "business-cases" / "crawley-warehouse.yaml")
        .read_text()
        .replace("district: Sussex", f"district: {quoted('@SUM(A1)' + RETITLE)}")
    )
    marks = tmp_path / "marks.yaml"
    marks.write_text(
        "kind: evaluations\nmarks:\n"
        "  OF-0999: {fit: 4, closer_to_work: 4, performance_rationale: 4, performance_management: 4}\n"
    )
    return {"offers": offers, "case": case, "marks": marks, "evil": offers / "evil.yaml", "bad": offers / "bad.yaml"}


def flat(text: str) -> str:
    """Text output with its wrapping undone: words joined by single spaces."""
    return " ".join(text.split())


def assert_inert(text: str) -> None:
    """No raw control character; the hostile values shown escaped and literally."""
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text))
    assert "dps: internal error" not in text


# -- safe_text and csv_cell ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\nb\rc", "a\\x0ab\\x0dc"),
        ("tab\tstays", "tab\tstays"),
        ("\x7f\x9b\x85", "\\x7f\\x9b\\x85"),
        ("\u202eevil", "\\u202eevil"),  # a bidi override would reorder what the reader sees
        ("bad\udcffname", "bad\\xffname"),  # a file name that is not UTF-8
        ("[red]x[/]", "[red]x[/]"),
        ("£1,250.00 – Crawley “ok”", "£1,250.00 – Crawley “ok”"),
    ],
)
def test_safe_text(raw, shown):
    assert safe_text(raw) == shown


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\\x0dx"),  # escaped, so no longer a formula
        ("Brightpath Training Ltd", "Brightpath Training Ltd"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cell(raw, cell):
    assert csv_cell(raw) == cell


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_reaches_a_console_as_control_or_markup(value):
    out = io.StringIO()
    emit(Console(file=out, width=80, color_system=None, markup=False), data(value))
    assert not RAW_CONTROL.search(out.getvalue())
    assert not RAW_CONTROL.search(safe_text(value)) and "\n" not in safe_text(value)
    assert not csv_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


# -- every command and format ------------------------------------------------------


def match_args(h: dict[str, Path], *extra: str) -> list[str]:
    return ["match", str(h["case"]), str(h["offers"]), "--evaluations", str(h["marks"]), *extra]


def test_match_text_shows_hostile_text_as_data(runner, hostile):
    result = invoke(runner, *match_args(hostile))
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    out = flat(result.stdout)
    assert "Recommended: OF-0999" in out
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m" in result.stdout
    for literal in ("[red]Evil[/]", "[link=https://example.com/x]click[/link]", "[/]", FORMULA):
        assert literal in out
    assert "OF-\\x1b[2J[/]" in out  # the invalid offer's id
    assert "`[red]x` is not a known client group" in out  # a message embedding input
    assert "`\\x1b[2Jz`" in out


def test_match_csv_never_starts_a_cell_with_a_formula(runner, hostile):
    result = invoke(runner, *match_args(hostile, "--format", "csv"))
    assert result.exit_code == 0
    assert_inert(result.stdout)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    evil = next(r for r in rows if r["offer"] == "OF-0999")
    assert evil["supplier"].startswith("\\x1b]0;pwned")
    bad = next(r for r in rows if r["offer"].startswith("OF-"))
    assert bad["rank"] == "1"
    invalid = next(r for r in rows if r["reasons"].startswith("invalid"))
    assert invalid["supplier"] == "'-2+3\\x1b[2J"
    assert invalid["path"] == str(hostile["bad"])


def test_match_csv_numbers_are_numbers_and_missing_scores_empty(runner, hostile, tmp_path):
    (tmp_path / "nomarks.yaml").write_text("kind: evaluations\nmarks: {}\n")
    args = ["match", str(hostile["case"]), str(hostile["offers"]), "--evaluations", str(tmp_path / "nomarks.yaml")]
    rows = list(csv.DictReader(io.StringIO(invoke(runner, *args, "--format", "csv").stdout)))
    ranked = [r for r in rows if r["rank"]]
    assert ranked and all(r["quality"] == "" for r in ranked)  # not evaluated: no placeholder to quote
    for row in ranked:
        for column in ("total", "fit", "price", "price_per_participant", "cost"):
            Decimal(row[column])


def test_match_json_keeps_the_values_as_written(runner, hostile):
    data = json.loads(invoke(runner, *match_args(hostile, "--format", "json")).stdout)
    assert data["ranked"][0]["supplier"] == HOSTILE_NAME


def test_schedule_every_format(runner, hostile):
    args = ["schedule", str(hostile["evil"]), "--participants", "40", "--start", "2026-11-02"]
    text = invoke(runner, *args)
    assert text.exit_code == 0
    assert_inert(text.stdout)
    assert FORMULA in text.stdout and "[link=https://example.com/x]click[/link]" in flat(text.stdout)
    assert json.loads(invoke(runner, *args, "--format", "json").stdout)["offer"] == "OF-0999"
    rows = list(csv.reader(io.StringIO(invoke(runner, *args, "--format", "csv").stdout)))
    assert rows[0] == ["month", "maximum", "target", "offered"]
    assert all(Decimal(cell) >= 0 for row in rows[1:] for cell in row[1:])


@pytest.mark.parametrize("output", ["text", "github"])
def test_validate_escapes_messages_fields_and_paths(runner, hostile, output):
    result = invoke(runner, "validate", str(hostile["offers"]), "--format", output)
    assert result.exit_code == 1
    assert_inert(result.stdout)
    assert "`\\x1b[2Jz` is not a known client group" in result.stdout
    assert "`[red]x` is not a known client group" in result.stdout


def test_validate_a_newline_in_a_field_or_file_name_keeps_one_line_per_finding(runner, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    name = folder / "a\nb,c:d.yaml"
    example = (EXAMPLES / "offers" / "brightpath-warehouse-ready.yaml").read_text()
    name.write_text(example.replace("capacity: 60", 'capacity: 60\n"wrong\\nkey\\e[2J": 1'))
    text = invoke(runner, "validate", str(folder)).stdout
    assert_inert(text)
    shown = safe_text(str(name))
    assert shown.endswith("a\\x0ab,c:d.yaml")
    findings = [line for line in text.splitlines() if line.startswith(f"{shown}:")]
    assert len(findings) == 1
    assert "unknown-field] wrong\\x0akey\\x1b[2J:" in findings[0]
    github = invoke(runner, "validate", str(folder), "--format", "github").stdout
    assert_inert(github)
    (line,) = [line for line in github.splitlines() if line.startswith("::")]
    # Paths are carried in their shown form (control characters escaped), then GitHub-escaped.
    assert "a\\x0ab%2Cc%3Ad.yaml,line=16,col=1," in line
    assert "::wrong%0Akey\\x1b[2J: " in line


def test_validate_json_is_unchanged_data(runner, hostile):
    data = json.loads(invoke(runner, "validate", str(hostile["bad"]), "--format", "json").stdout)
    messages = [f["message"] for f in data["files"][0]["findings"]]
    assert f"`{CLEAR}z` is not a known client group" in messages


def test_reference_names_are_data_too(runner, ref_copy):
    path = ref_copy / "routeways.yaml"
    path.write_text(path.read_text().replace("name: Skills for work and Getting jobs", f"name: {quoted(HOSTILE_NAME)}"))
    for args in (["routeways"], ["routeways", "R4"]):
        result = invoke(runner, *args, "--reference", str(ref_copy))
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout)
        assert "[link=https://example.com/x]click[/link]" in flat(result.stdout)


def test_reference_problems_are_data_too(runner, ref_copy):
    path = ref_copy / "routeways.yaml"
    text = path.read_text()
    assert "targets_rule: all" in text or "routeways:" in text
    path.write_text(text.replace("routeways:\n", 'routeways:\n  - {"\\e]0;pwned\\a": 1}\n', 1))
    result = invoke(runner, "categories", "--reference", str(ref_copy))
    assert result.exit_code == 2, result.output
    assert "\\x1b]0;pwned\\x07" in result.stderr
    assert_inert(result.stderr)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# -- a real terminal -------------------------------------------------------------


def run_in_terminal(args: list[str], columns: str | None) -> str:
    """Run dps with its stdout on a pseudo-terminal, as a buyer would see it."""
    pty = pytest.importorskip("pty")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    if columns is not None:
        env["COLUMNS"] = columns
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dps_cli", *args], stdout=secondary, stderr=subprocess.PIPE, env=env, close_fds=True
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closes when dps exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=60) in (0, 1), process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [None, "0", "wide", "80"])
def test_on_a_terminal_nothing_from_a_file_acts_and_columns_never_silences(hostile, columns):
    out = run_in_terminal(match_args(hostile), columns)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)  # dps's own colours
    assert RETITLE not in out and CLEAR not in out and "\x9b" not in out
    assert "\\x1b]0;pwned" in plain
    assert "Recommended: OF-0999" in plain
    assert "Passed over" in plain


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("command", ["schedule", "validate"])
def test_on_a_terminal_schedule_and_validate_show_escapes(hostile, command):
    args = (
        ["schedule", str(hostile["evil"]), "-n", "40"] if command == "schedule" else ["validate", str(hostile["bad"])]
    )
    out = run_in_terminal(args, None)
    assert CLEAR not in out and RETITLE not in out and "\x9b" not in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert ("\\x1b]0;pwned" if command == "schedule" else "`\\x1b[2Jz`") in plain


@pytest.mark.parametrize("output", ["text", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(runner, tmp_path, output):
    try:
        (Path(os.fsdecode(os.fsencode(tmp_path) + b"/bad\xff.yaml"))).write_text("kind: offer\nid: [\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system wants UTF-8 names")
    result = invoke(runner, "validate", str(tmp_path), "--format", output)
    assert result.exit_code == 1, result.output
    assert "bad\\xff.yaml" in result.stdout
    assert_inert(result.stdout)
