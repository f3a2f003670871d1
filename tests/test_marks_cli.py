"""`dps marks sheet` and `dps marks combine` end to end: files written, exit codes, never overwriting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.conftest import EXAMPLES, invoke

OFFERS = str(EXAMPLES / "offers")
CASE = str(EXAMPLES / "business-cases" / "crawley-warehouse.yaml")
IDS = ["OF-0042", "OF-0051", "OF-0077", "OF-0088", "OF-0107", "OF-0115", "OF-0150", "OF-0203", "OF-0310"]


def make_sheet(runner, tmp_path: Path, evaluator: str, *more: str) -> Path:
    path = tmp_path / f"marks-{evaluator}.xlsx"
    result = invoke(runner, "marks", "sheet", OFFERS, "--evaluator", evaluator, "-o", str(path), *more)
    assert result.exit_code == 0, result.output
    return path


def fill(path: Path, marks: dict[tuple[str, str], int], default: int = 3) -> Path:
    """Mark every question ``default`` but those given, as an evaluator would in a spreadsheet."""
    book = openpyxl.load_workbook(path)
    sheet = book["Marks"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        offer = row[0].value
        for column, name in enumerate(header):
            if name in ("fit", "closer_to_work", "performance_rationale", "performance_management", "social_value"):
                row[column].value = marks.get((offer, name), default)
    book.save(path)
    return path


def test_sheet_writes_one_row_per_valid_offer(runner, tmp_path):
    path = make_sheet(runner, tmp_path, "AB")
    book = openpyxl.load_workbook(path)
    assert [row[0] for row in book["Marks"].iter_rows(min_row=2, values_only=True)] == IDS
    assert book["Marks"]["B2"].value == "Brightpath Training Ltd"
    assert book["Guide"]["B2"].value == "AB"


def test_sheet_names_and_leaves_out_invalid_offers(runner, tmp_path):
    bad = tmp_path / "offers"
    bad.mkdir()
    (bad / "bad.yaml").write_text("kind: offer\nid: OF-9\n")
    (bad / "good.yaml").write_bytes((EXAMPLES / "offers" / "jobclub-online.yaml").read_bytes())
    result = invoke(runner, "marks", "sheet", str(bad), "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 0
    assert "left out OF-9" in result.stderr and "invalid" in result.stderr
    rows = list(openpyxl.load_workbook(tmp_path / "x.xlsx")["Marks"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["OF-0310"]


def test_sheet_with_no_valid_offer_is_invalid_input(runner, tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: offer\nid: OF-9\n")
    result = invoke(runner, "marks", "sheet", str(tmp_path / "bad.yaml"), "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1 and "no valid offers to mark" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--evaluator", "=HYPERLINK(1)"], "--evaluator: the evaluator's name `=HYPERLINK(1)` is not 1 to 40 letters"),
        (["--evaluator", "A" * 41], "is not 1 to 40 letters"),
        (["--evaluator", ""], "--evaluator: the evaluator's name is blank"),
    ],
)
def test_bad_evaluator_names_are_usage_errors(runner, tmp_path, args, message):
    result = invoke(runner, "marks", "sheet", OFFERS, *args, "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("name", ["A" * 40, "Ann O'Neil-Smith", "J.R.", "7"])
def test_names_an_evaluations_file_takes_are_taken(runner, tmp_path, name):
    result = invoke(runner, "marks", "sheet", OFFERS, "--evaluator", name, "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 0, result.output


def test_sheet_output_must_be_xlsx(runner, tmp_path):
    result = invoke(runner, "marks", "sheet", OFFERS, "-o", str(tmp_path / "x.xls"))
    assert result.exit_code == 2 and "does not end in .xlsx" in result.stderr


def test_sheet_never_overwrites(runner, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"mine")
    result = invoke(runner, "marks", "sheet", OFFERS, "-o", str(path))
    assert result.exit_code == 1 and "already exists; dps never overwrites a file" in result.stderr
    assert path.read_bytes() == b"mine"


def test_the_workbook_is_written_as_a_file_opened_for_writing_would_be(runner, tmp_path):
    path = make_sheet(runner, tmp_path, "AB")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".dps-")]
    assert path.stat().st_mode & 0o044  # the temporary file's 0600 is not kept


def test_sheet_with_a_business_case_names_it_on_the_guide(runner, tmp_path):
    path = make_sheet(runner, tmp_path, "AB", "--business-case", CASE)
    guide = openpyxl.load_workbook(path)["Guide"]
    assert guide["B3"].value == "BC-SE-0007"


def test_combine_lists_what_to_moderate_and_exits_1(runner, tmp_path):
    ab = fill(make_sheet(runner, tmp_path, "AB"), {})
    cd = fill(make_sheet(runner, tmp_path, "CD"), {("OF-0042", "closer_to_work"): 2})
    out = tmp_path / "panel.yaml"
    result = invoke(runner, "marks", "combine", str(ab), str(cd), "-o", str(out))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == ["to moderate:", "  OF-0042 closer_to_work: AB 3, CD 2"]
    assert "not yet an evaluations file: 1 to moderate" in result.stderr
    document = yaml.safe_load(out.read_text())
    assert document["moderate"] == {"OF-0042": {"closer_to_work": {"marks": {"AB": 3, "CD": 2}}}}


def test_combine_reports_bad_cells_as_file_sheet_cell_and_writes_nothing(runner, tmp_path):
    ab = fill(make_sheet(runner, tmp_path, "AB"), {("OF-0051", "fit"): 5})
    book = openpyxl.load_workbook(ab)
    book["Marks"]["G2"] = "=4"
    book.save(ab)
    out = tmp_path / "panel.yaml"
    result = invoke(runner, "marks", "combine", str(ab), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stdout.splitlines()[0] == (
        f"{ab}:Marks!G2: error[type] closer_to_work: a formula where a mark should be; dps never runs formulas"
    )
    assert f"{ab}:Marks!E3: error[range] fit: 5 is out of range: marks are 0 to 4" in result.stdout


def test_combine_takes_csv_sheets_with_the_evaluator_from_the_file_name(runner, tmp_path):
    header = "offer,fit,closer_to_work,performance_rationale,performance_management\n"
    (tmp_path / "AB.csv").write_text(header + "OF-1,3,3,2,4\n")
    (tmp_path / "CD.csv").write_text(header + "OF-1,3,3,2,4\n")
    out = tmp_path / "panel.yaml"
    result = invoke(runner, "marks", "combine", str(tmp_path / "AB.csv"), str(tmp_path / "CD.csv"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text())["evaluators"] == ["AB", "CD"]


def test_combine_never_overwrites(runner, tmp_path):
    (tmp_path / "AB.csv").write_text("offer,fit,closer_to_work,performance_rationale,performance_management\n")
    out = tmp_path / "panel.yaml"
    out.write_text("mine")
    result = invoke(runner, "marks", "combine", str(tmp_path / "AB.csv"), "-o", str(out))
    assert result.exit_code == 1 and out.read_text() == "mine"


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.xlsx", "no such file: "), ("notes.txt", "is neither a workbook (.xlsx) nor a CSV file (.csv)")],
)
def test_combine_usage_errors(runner, tmp_path, name, message):
    if name == "notes.txt":
        (tmp_path / name).write_text("x")
    result = invoke(runner, "marks", "combine", str(tmp_path / name), "-o", str(tmp_path / "o.yaml"))
    assert result.exit_code == 2 and message in result.stderr


def test_validate_never_imports_openpyxl():
    code = (
        "import sys; sys.argv = ['dps', 'validate', sys.argv[1]]\n"
        "from dps_cli.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('openpyxl', 'defusedxml') if m in sys.modules))"
    )
    offer = str(EXAMPLES / "offers" / "jobclub-online.yaml")
    out = subprocess.run([sys.executable, "-c", code, offer], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"


@pytest.mark.parametrize("name", ["AB.xlsx", "AB.csv"])
def test_a_named_pipe_is_refused_without_waiting_on_it(runner, tmp_path, name):
    pipe = tmp_path / name
    os.mkfifo(pipe)
    result = invoke(runner, "marks", "combine", str(pipe), "-o", str(tmp_path / "o.yaml"))
    assert result.exit_code == 1
    assert f"{pipe}: error[unreadable] not a regular file" in result.stdout


@pytest.mark.parametrize(("weight", "asked"), [("", False), (", social_value: 0", False), (", social_value: 10", True)])
def test_social_value_is_a_fifth_question_only_when_the_business_case_weights_it(runner, tmp_path, weight, asked):
    text = (EXAMPLES / "business-cases" / "crawley-warehouse.yaml").read_text()
    old = "weights: {quality: 60, fit: 10, price: 30"
    assert old in text
    case = tmp_path / "case.yaml"
    case.write_text(text.replace(old, old + weight))
    path = make_sheet(runner, tmp_path, "AB", "--business-case", str(case))
    book = openpyxl.load_workbook(path)
    header = [cell.value for cell in book["Marks"][1]]
    assert ("social_value" in header) is asked and ("social_value comment" in header) is asked
    assert header[-2:] == (
        ["social_value", "social_value comment"]
        if asked
        else ["performance_management", "performance_management comment"]
    )
    guide = [row[0] for row in book["Guide"].iter_rows(values_only=True)]
    assert ("social_value" in guide) is asked


def test_sheet_refuses_more_offers_than_a_sheet_holds(runner, tmp_path, monkeypatch):
    from dps_cli import marksheets

    monkeypatch.setattr(marksheets, "MAX_OFFERS", 8)
    result = invoke(runner, "marks", "sheet", OFFERS, "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and "9 offers: a workbook holds at most 8" in result.stderr
    monkeypatch.setattr(marksheets, "MAX_OFFERS", 9)
    assert invoke(runner, "marks", "sheet", OFFERS, "-o", str(tmp_path / "x.xlsx")).exit_code == 0


def test_combine_takes_a_panel_of_at_most_100(runner, tmp_path):
    header = "offer,fit,closer_to_work,performance_rationale,performance_management\n"
    names = [f"E{n}" for n in range(101)]
    for name in names:
        (tmp_path / f"{name}.csv").write_text(header + "OF-1,3,3,2,4\n")
    out = tmp_path / "panel.yaml"
    result = invoke(runner, "marks", "combine", *(str(tmp_path / f"{n}.csv") for n in names), "-o", str(out))
    assert result.exit_code == 2 and "101 sheets: a panel has at most 100 evaluators" in result.stderr
    result = invoke(runner, "marks", "combine", *(str(tmp_path / f"{n}.csv") for n in names[:100]), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert invoke(runner, "validate", str(out)).exit_code == 0
